package scenarios_test

import (
	"testing"

	"github.com/mesos-sim/mesos-sim/scenarios"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// drfCase: three frameworks want ten tasks each (1 cpu, 1 GB) on three
// agents of four: twelve places for thirty tasks.
func drfCase() scenarios.Case {
	return scenarios.Case{Seed: 9, Agents: []string{"cpus:4;mem:4096", "cpus:4;mem:4096", "cpus:4;mem:4096"}, Frameworks: 3,
		Workload: frameworks.Workload{Tasks: 10, Resources: "cpus:1;mem:1024"}, Chaos: scenarios.Minutes(1)}
}

// With every framework wanting more than the cluster has, DRF shares it
// out evenly: four tasks each, and the fairness invariant holds.
func TestDRFSharesEvenly(t *testing.T) {
	factory, _ := frameworks.Reference("service-keeper")
	res, err := scenarios.RunCase(drfCase(), factory)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatalf("%v", res.Err())
	}
	for _, f := range res.Frameworks {
		if f.Goal != "4 of 10 instances running" {
			t.Errorf("%s: %s, want 4 of 10", f.Name, f.Goal)
		}
	}
}

// A framework that fills whole offers while the others take one task per
// offer ends with more than its share — here a whole agent of eight places
// while the two others share the second agent — and the fairness invariant
// says so.
func TestDRFInvariantCatchesAGreedyFramework(t *testing.T) {
	i := 0
	factory := func() scenarios.Framework {
		i++
		perOffer := 1
		if i == 1 {
			perOffer = -1 // as many as fit
		}
		return frameworks.NewServiceKeeper(frameworks.Options{TasksPerOffer: perOffer})
	}
	cs := drfCase()
	cs.Agents = []string{"cpus:8;mem:8192", "cpus:8;mem:8192"}
	res, err := scenarios.RunCase(cs, factory)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Violations {
		if v.Invariant == scenarios.InvDRF {
			t.Logf("caught: %s", v)
			return
		}
	}
	t.Errorf("no %s violation; violations %v; %s", scenarios.InvDRF, res.Violations, res.Report())
}
