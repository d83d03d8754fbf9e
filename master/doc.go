// Package master is mesos-sim's simulated Apache Mesos master: a state
// machine of frameworks, agents, offers and tasks run by a [loop.Loop], and
// the HTTP layer ([Handler]) that translates the v1 scheduler API into
// inputs of that state machine.
//
// The state machine ([Master]) is pure (STYLE.md item 1): it runs only on
// the loop goroutine, uses virtual time and the loop's seeded randomness,
// never starts a goroutine and never orders output by map iteration. It
// talks to agents with the messages of package msg over a simnet.Network,
// drives an allocator.Allocator (periodic runs every allocation interval
// and event-triggered runs after the inputs of an instant), and appends
// scheduler events to a per-subscription outbox ([Subscription]) that never
// blocks the loop. The outbox is bounded (Config.MaxQueuedEvents, default
// 10,000); a stream that overflows is closed, with a trace line, and its
// framework is treated as disconnected.
//
// [Handler] is the only concurrent code: it decodes and validates calls
// with Mesos's status codes and texts (in Mesos's order), applies them to
// the master through a [Runner] (*sim.Driver satisfies it), and writes each
// SUBSCRIBE stream as chunked RecordIO from the request's goroutine. A
// client that goes away is reported back to the master as a framework
// disconnection ([Master.StreamClosed]).
//
// # Usage
//
//	l := loop.New(loop.Config{Seed: 7})
//	n := simnet.New(l, simnet.Config{})
//	m := master.New(l, n, allocator.New(allocator.DefaultOptions()), master.Config{})
//	d := sim.NewDriver(l, sim.DriverConfig{})
//	mux := http.NewServeMux()
//	for _, p := range master.SchedulerPaths {
//		mux.Handle(p, master.NewHandler(m, d))
//	}
//	// frameworks POST to /api/v1/scheduler; tests inspect state with
//	d.Do(func() { offers = m.Offers() })
//
// # Operator API
//
// The same Handler serves the v1 operator API at POST /api/v1 and
// /master/api/v1 (src/master/http.cpp, Master::Http::api), in JSON or
// protobuf, with Mesos's checks, status codes and texts in Mesos's order:
// [ValidateOperatorCall] and [Master.OperatorCall] for the calls, and
// [Master.OperatorSubscribe] for SUBSCRIBE, a RecordIO stream of
// master.Event (SUBSCRIBED with the full state, then TASK_ADDED,
// TASK_UPDATED, AGENT_ADDED, AGENT_REMOVED, FRAMEWORK_ADDED,
// FRAMEWORK_UPDATED, FRAMEWORK_REMOVED, and a HEARTBEAT every 15 s of
// virtual time) written from the request's goroutine like the scheduler
// stream. Weights and quotas set by operators are kept in the master and
// its [Registry]. The calls the simulator does not model (logging levels,
// sandbox files, growing and shrinking volumes) answer 501 with a text
// saying so.
//
// # Read-only endpoints, metrics and maintenance
//
// The Handler also serves Mesos's read-only JSON endpoints
// ([ReadOnlyPaths]: /master/state, /master/state-summary,
// /master/frameworks, /master/slaves, /master/tasks, /master/roles,
// /master/flags, /master/health, /master/redirect, /version,
// /metrics/snapshot; master endpoints also without the /master prefix),
// with Mesos's keys, member order and number formatting, and ?jsonp=. The
// documents are built off the loop from a [State] snapshot
// ([Master.State]) and [Master.MetricsSnapshot].
//
// Maintenance follows docs/maintenance.md: [Master.UpdateMaintenanceSchedule]
// makes the scheduled machines DRAINING (offers carry the unavailability,
// frameworks holding resources there get INVERSE_OFFERS after each
// allocation run and answer with ACCEPT_INVERSE_OFFERS or
// DECLINE_INVERSE_OFFERS), [Master.StartMaintenance] takes machines DOWN
// (their agents removed and refused), [Master.StopMaintenance] brings them
// back. [Master.DrainAgent], [Master.DeactivateAgent] and
// [Master.ReactivateAgent] are Mesos 1.9's agent draining. A simulated
// agent's machine is its hostname and the master's IP.
//
// # Fidelity
//
// Behaviour follows src/master/{master,http,validation}.cpp of Mesos 1.11
// as digested in docs/mesos-scheduler-api.md. Known simplifications: no
// authentication, leader election, registry or master failover; no
// resource providers (operation feedback);
// offer constraints are accepted and ignored; agent removal other than by
// failed health checks is not modelled.
package master
