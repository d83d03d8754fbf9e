// Package faults injects faults into a simulated Mesos cluster: faults as
// data, schedules of them, and an [Injector] that applies them to a
// [Target] on the cluster's deterministic event loop.
//
// # Faults
//
// A [Fault] is a plain struct that says what goes wrong; its Apply makes it
// happen now. The kinds, by what they act on (the JSON "kind" in
// parentheses):
//
//   - the network between the master and the agents: [Partition]
//     (partition) one way or both, [Heal] (heal), [Drop] (drop), [Delay]
//     (delay) with a jitter that reorders messages, and [Duplicate]
//     (duplicate). They are simnet filters; a [Match] selects the messages
//     of the last three by agent, message kind and direction.
//   - agents: [CrashAgent] (crash-agent), [RestartAgent] (restart-agent),
//     with or without recovery, [LoseAgent] (lose-agent: crashed, never to
//     restart) and [MarkAgentGone] (mark-agent-gone).
//   - the master: [FailoverMaster] (failover-master).
//   - frameworks: [CutStream] (cut-stream) ends a framework's event stream,
//     [CallFaults] (call-faults) loses answers to or delays its calls.
//   - tasks: [FailTask] (fail-task), [CrashExecutor] (crash-executor) and
//     [HangOnKill] (hang-on-kill).
//
// Every random decision (drop or not, the jitter of a delay, duplicate or
// not) draws from the loop's "faults" stream ([loop.Loop.Rand]), per
// message, so the same seed and the same inputs drop, delay and duplicate
// the same messages.
//
// # Schedules
//
// A [Schedule] is a list of steps, each a fault and a trigger: [At] a
// virtual time since the cluster started, [After] a span since the previous
// step fired, or [When] a [Condition] first holds. The steps fire strictly
// in order: a step is armed only once the step before it fired. A When step
// is checked after every event of the loop (through [loop.Loop.OnEvent],
// only while a When step waits), and fires once.
//
// # The Injector
//
// An [Injector] applies faults to a [Target], the cluster: [Injector.Apply]
// now, [Injector.Install] on a schedule. It validates faults first (unknown
// agents, probabilities outside [0,1], negative durations), remembers the
// network filters it installed so that Heal can remove them, refuses to
// restart an agent it lost, writes one trace line (component "faults") per
// fault with the fault's String, and records what fired ([Injector.Applied]).
// Package sim provides the Target (sim.Cluster); tests can use a loop and a
// simnet.Network of their own.
//
// # JSON
//
// Faults, conditions and schedules have a flat JSON form ([Marshal],
// [Unmarshal], [ParseFault], [MarshalFault]), with durations as Go
// duration strings:
//
//	[{"at":"30s","fault":{"kind":"partition","agent":"agent-2","direction":"both"}},
//	 {"after":"2m","fault":{"kind":"heal","agent":"agent-2"}},
//	 {"when":{"kind":"task-state","task":"web-1","state":"TASK_RUNNING"},"fault":{"kind":"crash-agent","agent":"agent-1"}}]
//
// A Match's fields sit in the fault's own object, its Kind spelled
// "message" ({"kind":"drop","agent":"agent-1","message":
// "StatusUpdateMessage","probability":0.5}); "recover" of a restart-agent
// defaults to true. Decoding is strict: an unknown kind or field is an
// error that names the step (counting from 1) and the field, and what is
// decoded is validated. A [Func] condition is Go code and has no JSON form.
// A Schedule implements json.Marshaler and json.Unmarshaler, so it can sit
// in a larger document such as a cluster file.
//
// # Property tests
//
// [GenSchedule], [GenFault], [GenCondition] and [GenTaskFault] are rapid
// generators of valid, bounded faults and schedules that shrink well.
//
// # Usage
//
//	in := faults.NewInjector(cluster)
//	err := in.Apply(faults.Partition{Agent: "agent-2"})
//	err = in.Install(faults.Schedule{
//		faults.At(30*time.Second, faults.CrashAgent{Agent: "agent-1"}),
//		faults.After(time.Minute, faults.RestartAgent{Agent: "agent-1", Recover: true}),
//		faults.When(faults.TasksInState{State: "TASK_RUNNING", N: 3}, faults.FailoverMaster{}),
//	})
//	...
//	for _, r := range in.Applied() { fmt.Println(r) }
package faults
