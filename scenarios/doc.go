// Package scenarios runs Mesos frameworks through generated and scripted
// chaos — cluster shapes, workloads, fault schedules — on mesos-sim's
// deterministic loop, checks invariants at every step and at the end, and
// shrinks a failing case to a small reproducer that replays exactly.
//
// # Frameworks inside the loop
//
// A framework here is a deterministic state machine ([Framework], see
// package frameworks for the interface and the reference frameworks). The
// in-loop driver subscribes it through the master directly, on the loop
// goroutine (master.Subscribe, master.Call), and hands it the events of
// its Subscription: the cluster runs (sim.Cluster.RunUntil) until a settled
// instant at which some stream holds events, then the driver delivers them
// in one input (sim.Cluster.Master), and the loop settles what the
// framework's calls caused before the next delivery. Framework timers are
// kept by the driver, which never lets virtual time run past the next one.
// Nothing depends on goroutine scheduling: the same case gives the same
// trace, byte for byte — the cluster's lines and the driver's own
// ("scenario" lines: subscriptions, stream ends, violations).
//
// The same framework code runs as an ordinary HTTP client with [RunHTTP]
// (JSON or protobuf, RecordIO streams): point it at sim.Cluster.HTTPClient()
// or a real URL. Faults on HTTP calls (the call-faults fault) act in the
// cluster's HTTP handler, so they touch frameworks over HTTP only; for the
// in-loop driver they are no-ops.
//
// # A run
//
// A [Case] is data (JSON with [Case.Marshal], [ReadCase]): the seed, the
// agents, how many instances of the framework, their [frameworks.Workload],
// the chaos phase's length and a faults.Schedule. A run starts the
// frameworks, installs the schedule, runs the chaos phase, heals
// everything (the network; crashed agents restart unless lost or marked
// gone), lets the cluster settle (Case.Settle, 3 min, longer while agents
// still retry updates or a framework is still away, within a bound), asks
// every framework to reconcile, runs two more minutes and checks. The
// master runs with a 2-minute agent re-registration timeout (Mesos: 10 min)
// so that a failover's consequences fit in the run.
//
// # Invariants
//
// At every step — each settled virtual instant: after the events of one
// instant and before the frameworks are handed theirs — and at the end:
//
//   - agent-overcommit: no agent uses more than it has;
//   - offers-disjoint: an agent's outstanding offers and what it uses fit
//     in it together: no resource is in two offers, or offered and used.
//
// As the events are delivered:
//
//   - update-order: per task, the updates that carry a uuid arrive in
//     order — a duplicate repeats its state, a new one never goes back;
//   - one-terminal-state: at most one terminal update with a uuid per task.
//
// At the end:
//
//   - view-equals-truth: each framework believes what the agents run (a
//     task a running agent has is believed in the agent's state; a task no
//     running agent has is believed terminal, or unreachable/unknown when
//     its agent is down; a launch lost on the way that the master still
//     tracks as staging may be believed so);
//   - updates-acknowledged: no running agent still retries an update of a
//     subscribed framework: every update was retried until acknowledged;
//   - subscribed: every framework is subscribed, or knows it was removed;
//     removed-framework-tasks: no agent runs a task of a removed framework;
//   - framework-goal: no framework starved through the last two minutes:
//     wanting tasks while room for one stayed free;
//   - drf-fairness: in runs without faults, when every framework still
//     wants tasks of one shape, their dominant shares are within one task.
//
// And for the run as a whole (Check): replay-identical — every 25th case
// runs twice and the traces' hashes and lengths must agree; no-goroutine-leak
// — no cluster goroutine outlives the cases. [Invariant] adds the user's own,
// checked at every step and at the end with a [View] of the cluster and of
// what the frameworks believe. (A step is the finest grain the driver sees
// from outside the loop: within an instant the cluster runs without it.)
//
// # Properties
//
// [Check] runs generated cases ([GenCase]: 1–4 agents, 1–3 instances,
// drawn workloads, schedules from faults.GenSchedule) against a framework
// and fails the test with the shrunk case as JSON, written to
// testdata/scenarios/<Test>.json, and how to replay it (rapid's
// -rapid.seed, [Replay] in a test, `mesos-sim scenario replay FILE`).
// [Falsify] does the same search without a test and returns the shrunk
// case: the tests use it to show that the deliberately broken frameworks
// (frameworks.NewForgetsToReconcile, NewDoubleLaunchOnReoffer,
// NewIgnoresUnreachable) are caught with reproducers of at most a few steps.
//
// By default generated schedules leave out the faults that break the
// per-link FIFO order Mesos relies on — duplicate, and delay (its jitter
// reorders; a heal lets later messages overtake delayed ones) — and, until
// sim.Cluster can cancel the steps that have not fired when the chaos
// phase ends, the When steps. GenConfig.Reordering puts the former back;
// with them the runs find behaviour outside Mesos's failure model: a
// duplicated RunTaskMessage makes an agent panic ("launched twice"); a
// RunTaskMessage delayed past its agent's re-registration resurrects a task
// the master had already declared TASK_LOST/DROPPED (a second terminal
// update); a stale duplicate StatusUpdateMessage sets the master's task
// state back.
//
// # Named scenarios
//
// [Names] lists the library and [Run] runs one with a seed, keeping the
// whole trace ([Result.Report], [Result.Trace]); [ReplayFile] runs a case
// file. Each [Scenario] documents itself (Scenario.Doc):
// agent-lost-during-launch, partition-then-heal, master-failover-mid-launch,
// offer-rescinded-while-accepting, maintenance-drain and
// framework-failover-timeout.
//
// # Usage
//
//	func TestMyFramework(t *testing.T) {
//		scenarios.Check(t, func() scenarios.Framework { return myframework.New() },
//			scenarios.Invariant("never-two-leaders", func(v scenarios.View) error { ... }))
//	}
//
//	res, err := scenarios.Run("partition-then-heal", 42)
//	fmt.Print(res.Report())
package scenarios
