package scenarios

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// Scenario is a named scenario of the library: a scripted case, the
// framework it runs, and what must hold beyond the built-in invariants.
type Scenario struct {
	// Name is what `mesos-sim scenario run NAME` takes.
	Name string
	// Doc says in one paragraph what happens and what is checked.
	Doc string
	// build returns the case for a seed (the seed only changes jitter:
	// ids, the allocator's agent order, the frameworks' backoffs).
	build func(seed uint64) Case
	// factories make the frameworks: instance i is made by
	// factories[i%len(factories)]; none means the reference framework the
	// case names.
	factories []func() Framework
	// ops are operator actions at fixed times (not faults: drain, ...).
	ops []operatorOp
	// expect are the scenario's own invariants.
	expect []Option
}

// operatorOp is an operator call the scenario makes at a virtual time.
type operatorOp struct {
	at   time.Duration
	what string
	do   func(w *world, m *master.Master) error
}

var library = []Scenario{
	{
		Name: "agent-lost-during-launch",
		Doc: `A partition-aware, checkpointing ServiceKeeper that fills its offers launches its
three instances on agent-1, of three agents; its tasks take 5 s to start (start-delay=5s).
One second in, agent-1 dies for good while they are still being launched. The master sees the connection break but keeps the
tasks of a checkpointing framework (the agent might recover them); after its ping timeouts
(75 s) it marks the agent unreachable and the keeper gets TASK_UNREACHABLE
(REASON_AGENT_REMOVED) for them, and relaunches them on the two agents left. Checked: every
instance runs again on a live agent, the keeper's view equals the agents', no update regresses.`,
		build: func(seed uint64) Case {
			return Case{Seed: seed,
				Agents: []string{"cpus:2;mem:2048", "cpus:2;mem:2048", "cpus:2;mem:2048"}, Frameworks: 1,
				Workload: frameworks.Workload{Tasks: 3, Resources: "cpus:0.5;mem:256", Behavior: "start-delay=5s"},
				Chaos:    faults.Duration(2 * time.Minute),
				Faults:   faults.Schedule{faults.At(time.Second, faults.LoseAgent{Agent: "agent-1"})},
			}
		},
		factories: []func() Framework{func() Framework {
			return frameworks.NewServiceKeeper(frameworks.Options{Name: "keeper-pa", PartitionAware: true, Checkpoint: true, TasksPerOffer: -1})
		}},
		expect: []Option{expectGoals(), expectUpdate("TASK_UNREACHABLE", "REASON_AGENT_REMOVED")},
	},
	{
		Name: "partition-then-heal",
		Doc: `A ServiceKeeper and a partition-aware one keep three instances each on three agents.
Agent-1 is cut off from the master for 2 minutes: after 75 s the master marks it unreachable —
TASK_LOST for the first keeper, TASK_UNREACHABLE for the second — and both relaunch elsewhere.
Then the partition heals: the agent, which kept running its tasks, re-registers and the master
re-reports them as running; the keepers kill the surplus. Checked: each keeper ends with its
three instances, no task of theirs runs unknown to them, every update was acknowledged.`,
		build: func(seed uint64) Case {
			return Case{Seed: seed, Framework: "",
				Agents: []string{"cpus:4;mem:4096", "cpus:4;mem:4096", "cpus:4;mem:4096"}, Frameworks: 2,
				Workload: frameworks.Workload{Tasks: 3, Resources: "cpus:0.5;mem:256"},
				Chaos:    faults.Duration(3 * time.Minute),
				Faults: faults.Schedule{
					faults.At(10*time.Second, faults.Partition{Agent: "agent-1", Direction: faults.Both}),
					faults.At(130*time.Second, faults.Heal{Agent: "agent-1"}),
				},
			}
		},
		factories: []func() Framework{
			func() Framework { return frameworks.NewServiceKeeper(frameworks.Options{Name: "keeper"}) },
			func() Framework {
				return frameworks.NewServiceKeeper(frameworks.Options{Name: "keeper-pa", PartitionAware: true})
			}},
		expect: []Option{expectGoals()},
	},
	{
		Name: "master-failover-mid-launch",
		Doc: `A ServiceKeeper launches four instances whose tasks take 3 s to start; one second
in, the master fails over. The new master knows the agents from its registry but neither the
framework nor its tasks: the agents re-register with what they run, the keeper subscribes
again with its framework id and reconciles. Checked: the keeper ends with its four instances
and believes what the agents run; no task is launched twice for nothing.`,
		build: func(seed uint64) Case {
			return Case{Seed: seed, Framework: "service-keeper",
				Agents: []string{"cpus:2;mem:2048", "cpus:2;mem:2048"}, Frameworks: 1,
				Workload: frameworks.Workload{Tasks: 4, Resources: "cpus:0.5;mem:256", Behavior: "start-delay=3s"},
				Chaos:    faults.Duration(time.Minute),
				Faults:   faults.Schedule{faults.At(time.Second, faults.FailoverMaster{})},
			}
		},
		expect: []Option{expectGoals()},
	},
	{
		Name: "offer-rescinded-while-accepting",
		Doc: `A ServiceKeeper that thinks for 2 s before it answers an offer wants four instances
on two agents. While it thinks about its first offers, agent-1 crashes: the master rescinds
the offers of agent-1, and the keeper's ACCEPT of one of them comes too late — TASK_LOST with
REASON_INVALID_OFFERS. The keeper relaunches on the next offers; agent-1 restarts (recovering)
20 s later. Checked: the keeper ends with its four instances and nothing leaks: no offered
resource is used or offered twice.`,
		build: func(seed uint64) Case {
			return Case{Seed: seed, Framework: "",
				Agents: []string{"cpus:2;mem:2048", "cpus:2;mem:2048"}, Frameworks: 1,
				Workload: frameworks.Workload{Tasks: 4, Resources: "cpus:0.5;mem:256"},
				Chaos:    faults.Duration(time.Minute),
				Faults: faults.Schedule{
					faults.At(1500*time.Millisecond, faults.CrashAgent{Agent: "agent-1"}),
					faults.At(20*time.Second, faults.RestartAgent{Agent: "agent-1", Recover: true}),
				},
			}
		},
		factories: []func() Framework{func() Framework {
			return frameworks.NewServiceKeeper(frameworks.Options{Name: "thinking-keeper", DecisionDelay: 2 * time.Second, TasksPerOffer: -1})
		}},
		expect: []Option{expectGoals(), expectUpdate("TASK_LOST", "REASON_INVALID_OFFERS")},
	},
	{
		Name: "maintenance-drain",
		Doc: `A ServiceKeeper runs three instances on three agents. At 10 s the operator drains
agent-1 (DRAIN_AGENT): the agent is deactivated and kills its tasks (TASK_KILLED,
REASON_AGENT_DRAINING); the keeper relaunches them on the other agents, which get them since
agent-1 gets no offers while deactivated. Checked: the keeper ends with three instances, none
on agent-1, and believes what the agents run.`,
		build: func(seed uint64) Case {
			return Case{Seed: seed, Framework: "service-keeper",
				Agents: []string{"cpus:2;mem:2048", "cpus:2;mem:2048", "cpus:2;mem:2048"}, Frameworks: 1,
				Workload: frameworks.Workload{Tasks: 3, Resources: "cpus:0.5;mem:256"},
				Chaos:    faults.Duration(time.Minute),
			}
		},
		ops: []operatorOp{{at: 10 * time.Second, what: "drain agent-1", do: func(w *world, m *master.Master) error {
			id, err := w.agentID(m, "agent-1")
			if err != nil {
				return err
			}
			return m.DrainAgent(id, nil, false)
		}}},
		expect: []Option{expectGoals(), expectNoTasksOn("agent-1"), expectUpdate("TASK_KILLED", "REASON_AGENT_DRAINING")},
	},
	{
		Name: "framework-failover-timeout",
		Doc: `A ServiceKeeper with a failover timeout of 20 s, that takes a minute to come back
after its connection breaks, and a BatchRunner share two agents. At 10 s the keeper's stream
is cut: the master disconnects it and, 20 s later, removes it — its tasks are killed on the
agents (ShutdownFrameworkMessage) and its id can never subscribe again. When the keeper comes
back the master answers ERROR "Framework has been removed"; it stops. Checked: no agent runs
a task of the removed framework; the BatchRunner, untouched, finishes its jobs.`,
		build: func(seed uint64) Case {
			return Case{Seed: seed, Framework: "",
				Agents: []string{"cpus:2;mem:2048", "cpus:2;mem:2048"}, Frameworks: 2,
				Workload: frameworks.Workload{Tasks: 3, Resources: "cpus:0.5;mem:256"},
				Chaos:    faults.Duration(2 * time.Minute),
				Faults:   faults.Schedule{faults.At(10*time.Second, faults.CutStream{Framework: "forgetful-keeper"})},
			}
		},
		factories: []func() Framework{
			func() Framework {
				return frameworks.NewServiceKeeper(frameworks.Options{Name: "forgetful-keeper",
					FailoverTimeout: 20 * time.Second, ResubscribeDelay: time.Minute})
			},
			func() Framework {
				return frameworks.NewBatchRunner(frameworks.Options{Name: "batch"}, frameworks.BatchOptions{})
			}},
		expect: []Option{expectRemoved("forgetful-keeper"), expectGoalOf("batch")},
	},
}

// Names returns the names of the library's scenarios, sorted.
func Names() []string {
	out := make([]string, 0, len(library))
	for _, s := range library {
		out = append(out, s.Name)
	}
	slices.Sort(out)
	return out
}

// Lookup returns the named scenario.
func Lookup(name string) (Scenario, bool) {
	for _, s := range library {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// Case returns the scenario's case for a seed.
func (s Scenario) Case(seed uint64) Case {
	cs := s.build(seed)
	cs.Name = s.Name
	return cs
}

// Run runs the named scenario with a seed, keeping its whole trace: what
// `mesos-sim scenario run NAME --seed N` does. The error wraps ErrViolation
// when an invariant did not hold (the Result says which); other errors mean
// the scenario could not run. The same name and seed give the same trace.
func Run(name string, seed uint64, opts ...Option) (Result, error) {
	s, ok := Lookup(name)
	if !ok {
		return Result{}, fmt.Errorf("scenarios: no scenario named %q (scenarios: %s)", name, strings.Join(Names(), ", "))
	}
	return s.run(s.Case(seed), opts)
}

func (s Scenario) run(cs Case, opts []Option) (Result, error) {
	cfg := newConfig(append(slices.Clone(s.expect), opts...))
	mk := func(int) Framework { return nil }
	switch {
	case cfg.factory != nil:
		mk = func(int) Framework { return cfg.factory() }
	case len(s.factories) > 0:
		mk = func(i int) Framework { return s.factories[i%len(s.factories)]() }
	default:
		f, ok := frameworks.Reference(cs.Framework)
		if !ok {
			return Result{Case: cs}, fmt.Errorf("scenarios: scenario %s: no framework %q", s.Name, cs.Framework)
		}
		mk = func(int) Framework { return f() }
	}
	cfg.ops = s.ops
	res, err := runCase(cs, mk, cfg)
	if err != nil {
		return res, err
	}
	return res, res.Err()
}
