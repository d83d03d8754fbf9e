package scenarios

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

func TestExplore(t *testing.T) {
	if os.Getenv("EXPLORE") == "" {
		t.Skip()
	}
	kinds := map[string]int{}
	examples := map[string]string{}
	for _, name := range frameworks.ReferenceNames() {
		f, _ := frameworks.Reference(name)
		gc := GenConfig{Framework: name, Reordering: os.Getenv("REORDER") != ""}
		if os.Getenv("GRID") != "" {
			gc.Schedule = GridSchedule()
		}
		g := GenCase(gc)
		n, _ := strconv.Atoi(os.Getenv("N"))
		if n == 0 {
			n = 150
		}
		for i := 0; i < n; i++ {
			cs := g.Example(i)
			res, err := RunCase(cs, f, HashTraceOnly())
			var key string
			if err != nil {
				key = "ERR " + trimIDs(firstLine(err.Error()))
				if i := strings.Index(key, "panicked: "); i >= 0 {
					key = key[i:]
					if j := strings.Index(key, ": task "); j >= 0 {
						key = key[:j] + " " + strings.Join(strings.Fields(key[j:])[3:], " ")
					}
				}
			} else if !res.OK() {
				v := res.Violations[0]
				key = v.Invariant + ": " + trimIDs(v.Detail)
			} else {
				continue
			}
			if len(key) > 160 {
				key = key[:160]
			}
			kinds[key]++
			if _, ok := examples[key]; !ok {
				js, _ := cs.Marshal()
				os.WriteFile(fmt.Sprintf("/tmp/ex-%d.json", len(examples)), js, 0o644)
				t.Logf("example /tmp/ex-%d.json: %s", len(examples), key)
				examples[key] = fmt.Sprintf("%s #%d\n%s%s", name, i, res.Report(), js)
			}
		}
	}
	var keys []string
	for k := range kinds {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%4d %s", kinds[k], k)
	}
	if os.Getenv("EXPLORE") == "2" {
		for _, k := range keys {
			t.Logf("==== %s\n%s", k, examples[k])
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func trimIDs(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		if len(w) > 30 && strings.Count(w, "-") >= 4 {
			f[i] = "<id>"
		}
	}
	return strings.Join(f, " ")
}
