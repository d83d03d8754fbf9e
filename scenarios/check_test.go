package scenarios_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mesos-sim/mesos-sim/scenarios"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// casesPerFramework is how many generated cases TestReferenceFrameworks
// runs per reference framework: with six of them, 1,200 in all (180 under
// the race detector).
func casesPerFramework() int {
	if raceEnabled {
		return 30
	}
	return 200
}

// Every correct reference framework keeps every invariant under generated
// cluster shapes, workloads and fault schedules.
func TestReferenceFrameworks(t *testing.T) {
	for _, name := range frameworks.ReferenceNames() {
		t.Run(name, func(t *testing.T) {
			factory, _ := frameworks.Reference(name)
			scenarios.Check(t, factory, scenarios.Generate(scenarios.GenConfig{Framework: name}),
				scenarios.Cases(casesPerFramework()))
		})
	}
}

// A user invariant sees every step and the end, and its error is a
// violation that fails the case.
func TestUserInvariant(t *testing.T) {
	steps, finals := 0, 0
	factory, _ := frameworks.Reference("service-keeper")
	cs := scenarios.Case{Seed: 1, Agents: []string{"cpus:2;mem:2048"}, Frameworks: 1,
		Workload: frameworks.Workload{Tasks: 2}, Chaos: scenarios.Minutes(1)}
	res, err := scenarios.RunCase(cs, factory, scenarios.Invariant("at-most-one-task", func(v scenarios.View) error {
		if v.Final() {
			finals++
		} else {
			steps++
		}
		for _, f := range v.FrameworkStates() {
			if n := len(f.Launched); n > 1 {
				return errors.New("more than one task launched")
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if steps == 0 || finals != 1 {
		t.Errorf("the invariant ran at %d steps and %d times at the end; want some and once", steps, finals)
	}
	if res.OK() || res.Violations[0].Invariant != "at-most-one-task" {
		t.Errorf("violations %v, want at-most-one-task", res.Violations)
	}
	if !errors.Is(res.Err(), scenarios.ErrViolation) {
		t.Errorf("Err() = %v, want ErrViolation", res.Err())
	}
}

// BenchmarkCases measures generated cases per minute of wall time (each a
// few virtual minutes of a cluster with faults), for the ServiceKeeper.
func BenchmarkCases(b *testing.B) {
	factory, _ := frameworks.Reference("service-keeper")
	gen := scenarios.GenCase(scenarios.GenConfig{Framework: "service-keeper"})
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		res, err := scenarios.RunCase(gen.Example(i), factory, scenarios.HashTraceOnly())
		if err != nil || !res.OK() {
			b.Fatalf("case %d: %v\n%s", i, err, res.Report())
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Minutes(), "cases/min")
}

// While no master leads (a failover with an election time) the in-loop
// frameworks are answered as over HTTP (503) and keep trying; once a
// leader is elected they subscribe again and the run converges.
func TestFrameworksWaitOutALeaderElection(t *testing.T) {
	cs := scenarios.Case{Seed: 1, Agents: []string{"cpus:2;mem:2048"}, Frameworks: 2,
		Workload: frameworks.Workload{Tasks: 2}, Chaos: scenarios.Minutes(1),
		Faults: mustSchedule(`[{"at":"5s","fault":{"kind":"failover-master","election":"20s"}}]`)}
	factory, _ := frameworks.Reference("service-keeper")
	res, err := scenarios.RunCase(cs, factory)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK() {
		t.Fatal(res.Err())
	}
	for _, f := range res.Frameworks {
		if !f.GoalMet {
			t.Errorf("%s: %s", f.Name, f.Goal)
		}
	}
	if !strings.Contains(res.Trace, "SUBSCRIBE answered 503: no leader") {
		t.Error("no subscription was refused during the election")
	}
}
