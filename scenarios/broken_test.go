package scenarios_test

import (
	"testing"
	"time"

	"github.com/mesos-sim/mesos-sim/scenarios"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// The deliberately broken frameworks are caught: a search of generated
// cases finds one that breaks an invariant, and rapid shrinks it to a
// reproducer of a few fault steps at most.
func TestBrokenFrameworksAreCaught(t *testing.T) {
	tests := []struct {
		name      string
		invariant string // the invariant the shrunk case breaks
		maxSteps  int    // fault steps the shrunk case may keep
		gen       scenarios.GenConfig
	}{
		{name: "double-launch-on-reoffer", invariant: scenarios.InvViewEqualsTruth, maxSteps: 0},
		{name: "ignores-unreachable", invariant: scenarios.InvViewEqualsTruth, maxSteps: 2},
		{name: "forgets-to-reconcile", invariant: scenarios.InvViewEqualsTruth, maxSteps: 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			factory, _ := frameworks.Reference(tc.name)
			tc.gen.Framework = tc.name
			start := time.Now()
			f := scenarios.Falsify(factory, 500, 10*time.Second, scenarios.Generate(tc.gen))
			if f == nil {
				t.Fatalf("500 generated cases did not catch %s", tc.name)
			}
			js, _ := f.Case.Marshal()
			t.Logf("caught in %v; shrunk case:\n%s%v", time.Since(start), js, f.Violations)
			if f.Err != nil {
				t.Fatalf("the shrunk case failed to run: %v", f.Err)
			}
			found := false
			for _, v := range f.Violations {
				found = found || v.Invariant == tc.invariant
			}
			if !found {
				t.Errorf("shrunk case broke %v, want %s", f.Violations, tc.invariant)
			}
			if n := len(f.Case.Faults); n > tc.maxSteps {
				t.Errorf("shrunk reproducer has %d fault steps, want at most %d:\n%s", n, tc.maxSteps, f.Case.Faults)
			}
		})
	}
}
