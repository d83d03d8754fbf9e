package scenarios_test

import (
	"fmt"
	"testing"

	"github.com/mesos-sim/mesos-sim/scenarios"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// Run runs a named scenario; the same name and seed give the same trace.
func ExampleRun() {
	res, err := scenarios.Run("partition-then-heal", 42)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range res.Frameworks {
		fmt.Printf("%s: %s\n", f.Name, f.Goal)
	}
	fmt.Println("invariants held:", res.OK())
	// Output:
	// keeper: 3 of 3 instances running
	// keeper-pa: 3 of 3 instances running
	// invariants held: true
}

// Names lists the scenario library.
func ExampleNames() {
	for _, name := range scenarios.Names() {
		fmt.Println(name)
	}
	// Output:
	// agent-lost-during-launch
	// framework-failover-timeout
	// maintenance-drain
	// master-failover-mid-launch
	// offer-rescinded-while-accepting
	// partition-then-heal
}

// RunCase runs one case, here a partition-aware ServiceKeeper on two
// agents while the master fails over.
func ExampleRunCase() {
	cs := scenarios.Case{
		Seed:       7,
		Agents:     []string{"cpus:2;mem:2048", "cpus:2;mem:2048"},
		Frameworks: 1,
		Workload:   frameworks.Workload{Tasks: 3},
		Chaos:      scenarios.Minutes(1),
	}
	cs.Faults = mustSchedule(`[{"at":"10s","fault":{"kind":"failover-master"}}]`)
	res, err := scenarios.RunCase(cs, func() scenarios.Framework {
		return frameworks.NewServiceKeeper(frameworks.Options{PartitionAware: true})
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Frameworks[0].Goal, "-", res.OK())
	// Output:
	// 3 of 3 instances running - true
}

// Check runs generated chaos against a framework inside a test; it fails
// the test with a shrunk, replayable case when an invariant breaks.
func ExampleCheck() {
	test := func(t *testing.T) {
		scenarios.Check(t, func() scenarios.Framework {
			return frameworks.NewServiceKeeper(frameworks.Options{Tasks: 2})
		}, scenarios.Invariant("at-most-two-running", func(v scenarios.View) error {
			for _, f := range v.FrameworkStates() {
				running := 0
				for _, b := range f.Snapshot.Tasks {
					if b.State.String() == "TASK_RUNNING" {
						running++
					}
				}
				if running > 2 {
					return fmt.Errorf("%s believes %d tasks run", f.Name, running)
				}
			}
			return nil
		}))
	}
	_ = test
}
