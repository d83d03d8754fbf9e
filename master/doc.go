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
// # Fidelity
//
// Behaviour follows src/master/{master,http,validation}.cpp of Mesos 1.11
// as digested in docs/mesos-scheduler-api.md. Known simplifications: no
// authentication, leader election, registry or master failover; no
// resource providers (operation feedback), maintenance or quota calls;
// offer constraints are accepted and ignored; agent removal other than by
// failed health checks is not modelled.
package master
