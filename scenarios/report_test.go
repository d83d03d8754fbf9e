package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// doubleLaunchCase makes the broken double launcher fail without faults:
// its tasks take 3 s to start, and it launches again on every offer.
func doubleLaunchCase() Case {
	return Case{Seed: 3, Framework: "double-launch-on-reoffer", Agents: []string{"cpus:2;mem:2048"}, Frameworks: 1,
		Workload: frameworks.Workload{Tasks: 1, Behavior: "start-delay=3s"}, Chaos: Minutes(1),
		Faults: faults.Schedule{faults.At(0, faults.CutStream{Framework: "double-launch"})}}
}

// A failing case's report carries the case as JSON, its seed and the
// replay commands, and the file it writes replays to the same violations
// and the same trace.
func TestFailureReportReplays(t *testing.T) {
	cs := doubleLaunchCase()
	factory, _ := frameworks.Reference(cs.Framework)
	res, err := RunCase(cs, factory)
	if err != nil {
		t.Fatal(err)
	}
	if res.OK() {
		t.Fatal("the double launcher passed")
	}
	dir := t.TempDir()
	report := failureReport("TestX/sub", cs, res, nil, &config{reproDir: dir})
	file := filepath.Join(dir, "TestX_sub.json")
	for _, want := range []string{`"seed": 3`, `"kind": "cut-stream"`, "-rapid.seed=", "scenarios.Replay(t, \"" + file + "\")",
		"mesos-sim scenario replay " + file, "violation: "} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	again, err := ReplayFile(file)
	if !errors.Is(err, ErrViolation) {
		t.Fatalf("ReplayFile: %v, want ErrViolation", err)
	}
	if diff := cmp.Diff(res.Violations, again.Violations); diff != "" {
		t.Errorf("the replay broke other invariants (-first +replay):\n%s", diff)
	}
	if again.Trace != res.Trace || again.TraceHash != res.TraceHash {
		t.Errorf("the replay's trace differs from the first run's")
	}
}

// A case survives its JSON form.
func TestCaseJSONRoundTrip(t *testing.T) {
	cs := doubleLaunchCase()
	pa := true
	cs.Workload.PartitionAware = &pa
	cs.OfferTimeout = faults.Duration(30e9)
	js, err := cs.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "case.json")
	if err := os.WriteFile(path, js, 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := ReadCase(path)
	if err != nil {
		t.Fatal(err)
	}
	js2, err := back.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(js), string(js2)); diff != "" {
		t.Errorf("round trip (-first +second):\n%s", diff)
	}
	if _, err := ReadCase(writeTemp(t, `{"seed":1,"agents":["cpus:1"],"frameworks":1,"chaos":"1m","bogus":true}`)); err == nil {
		t.Error("an unknown field was accepted")
	}
}

func writeTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.json")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The leak check sees a cluster's goroutine while it runs, and not after
// Close.
func TestClusterGoroutinesCounted(t *testing.T) {
	before := clusterGoroutines()
	w, err := newWorld(Case{Seed: 1, Agents: []string{""}, Frameworks: 1}, func(int) Framework {
		return frameworks.NewServiceKeeper(frameworks.Options{})
	}, newConfig(nil))
	if err != nil {
		t.Fatal(err)
	}
	if during := clusterGoroutines(); during <= before {
		t.Errorf("%d cluster goroutines while a cluster runs, %d before", during, before)
	}
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	if after := waitClusterGoroutines(before); after != before {
		t.Errorf("%d cluster goroutines after Close, %d before", after, before)
	}
}
