package scenarios_test

import (
	"slices"
	"testing"
	"time"

	"github.com/mesos-sim/mesos-sim/scenarios"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// agentFaults are the fault kinds that act on agents and the master.
var agentFaults = []string{"lose-agent", "partition", "restart-agent", "failover-master"}

// searchCases bounds the search for a failing case.
func searchCases() int { return 1000 }

// The deliberately broken frameworks are caught: a search of generated
// cases finds one that breaks an invariant, and rapid shrinks it to a
// reproducer of a few fault steps at most.
func TestBrokenFrameworksAreCaught(t *testing.T) {
	if raceEnabled {
		t.Skip("the search and its shrinking take minutes under the race detector; TestFailureReportReplays covers a broken framework")
	}
	tests := []struct {
		name       string
		invariants []string // the shrunk case breaks one of them
		maxSteps   int      // fault steps the shrunk case may keep
		gen        scenarios.GenConfig
	}{
		// Found without faults: a slow start is enough. The forgotten
		// tasks run unknown to it, or, relaunching on every offer, it
		// never has an instance running while room stays free.
		{name: "double-launch-on-reoffer", invariants: []string{scenarios.InvViewEqualsTruth, scenarios.InvGoal}, maxSteps: 0,
			gen: scenarios.GenConfig{Behaviors: []string{"", "start-delay=3s"}}},
		// Agent-level faults: an agent must vanish for good while the
		// master cannot tell its tasks LOST at once (after a failover, or
		// behind a partition).
		{name: "ignores-unreachable", invariants: []string{scenarios.InvViewEqualsTruth}, maxSteps: 3,
			gen: scenarios.GenConfig{Schedule: scenarios.GridSchedule(agentFaults...)}},
		// The framework must miss an update: disconnected (a cut stream, a
		// master failover) while the master reports a task lost.
		{name: "forgets-to-reconcile", invariants: []string{scenarios.InvViewEqualsTruth}, maxSteps: 3,
			gen: scenarios.GenConfig{Schedule: scenarios.GridSchedule(append(agentFaults, "cut-stream")...)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			factory, _ := frameworks.Reference(tc.name)
			tc.gen.Framework = tc.name
			tc.gen.MaxAgents, tc.gen.MaxFrameworks, tc.gen.MaxTasks, tc.gen.MaxFaults = 3, 1, 3, 4
			tc.gen.MaxChaos = time.Minute
			start := time.Now()
			f := scenarios.Falsify(factory, searchCases(), 8*time.Second, scenarios.Generate(tc.gen))
			if f == nil {
				t.Fatalf("%d generated cases did not catch %s", searchCases(), tc.name)
			}
			t.Logf("caught in %v; shrunk case: %s%v", time.Since(start), f.Case, f.Violations)
			if f.Err != nil {
				t.Fatalf("the shrunk case failed to run: %v", f.Err)
			}
			found := false
			for _, v := range f.Violations {
				found = found || slices.Contains(tc.invariants, v.Invariant)
			}
			if !found {
				t.Errorf("shrunk case broke %v, want one of %v", f.Violations, tc.invariants)
			}
			if n := len(f.Case.Faults); n > tc.maxSteps {
				t.Errorf("shrunk reproducer has %d fault steps, want at most %d:\n%s", n, tc.maxSteps, f.Case.Faults)
			}
		})
	}
}
