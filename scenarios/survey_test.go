package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// TestSurvey is a tool, not a check: with MESOS_SIM_SURVEY=N it runs N
// generated cases per reference framework without stopping at the first
// failure, and logs a census of what broke (errors and first violations,
// ids elided) with one reproducer file per kind. MESOS_SIM_SURVEY_GRID=1
// draws GridSchedule schedules; MESOS_SIM_SURVEY_REORDER=1 allows the
// faults that reorder messages; MESOS_SIM_SURVEY_DIR keeps the files.
//
//	MESOS_SIM_SURVEY=1000 MESOS_SIM_SURVEY_REORDER=1 go test -run TestSurvey -v ./scenarios/
func TestSurvey(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("MESOS_SIM_SURVEY"))
	if n <= 0 {
		t.Skip("set MESOS_SIM_SURVEY=<cases per framework> to run the survey")
	}
	dir := os.Getenv("MESOS_SIM_SURVEY_DIR")
	if dir == "" {
		dir = t.TempDir()
	}
	count := map[string]int{}
	for _, name := range frameworks.ReferenceNames() {
		factory, _ := frameworks.Reference(name)
		g := GenConfig{Framework: name, Reordering: os.Getenv("MESOS_SIM_SURVEY_REORDER") != ""}
		if os.Getenv("MESOS_SIM_SURVEY_GRID") != "" {
			g.Schedule = GridSchedule()
		}
		gen := GenCase(g)
		for i := range n {
			cs := gen.Example(i)
			res, err := RunCase(cs, factory, HashTraceOnly())
			var kind string
			switch {
			case err != nil:
				kind = "error: " + surveyKey(firstLine(err.Error()))
			case !res.OK():
				kind = res.Violations[0].Invariant + ": " + surveyKey(res.Violations[0].Detail)
			default:
				continue
			}
			if count[kind] == 0 {
				js, _ := cs.Marshal()
				file := filepath.Join(dir, fmt.Sprintf("survey-%d.json", len(count)))
				_ = os.WriteFile(file, js, 0o644)
				t.Logf("%s: %s", file, kind)
			}
			count[kind]++
		}
	}
	kinds := sortedKeys(count)
	slices.SortStableFunc(kinds, func(a, b string) int { return count[b] - count[a] })
	for _, k := range kinds {
		t.Logf("%5d × %s", count[k], k)
	}
	t.Logf("%d cases per framework, %d kinds of failure", n, len(kinds))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// surveyKey elides ids, task names and numbers so that failures of one
// kind count together.
func surveyKey(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		switch {
		case strings.Count(w, "-") >= 4 && len(w) > 30:
			f[i] = "<id>"
		case strings.ContainsAny(w, "0123456789") && strings.Contains(w, "."):
			f[i] = "<n>"
		}
	}
	out := strings.Join(f, " ")
	if len(out) > 160 {
		out = out[:160]
	}
	return out
}
