package scenarios

import (
	"testing"

	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

func TestSmokeKeeper(t *testing.T) {
	cs := Case{Seed: 1, Framework: "service-keeper", Agents: []string{"cpus:4;mem:4096", "cpus:2;mem:2048"}, Frameworks: 2,
		Workload: frameworks.Workload{Tasks: 3}, Chaos: 60e9}
	f, _ := frameworks.Reference("service-keeper")
	res, err := RunCase(cs, f)
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res.Report())
	if testing.Verbose() {
		t.Log(res.Trace[:min(len(res.Trace), 20000)])
	}
}
