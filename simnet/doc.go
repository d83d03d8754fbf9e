// Package simnet is the simulated network between the master and the agents
// of a mesos-sim cluster.
//
// Messages are Go values ([Message]) that the [loop.Loop] delivers in causal
// order: a message is delivered by an event of the loop, after the event that
// sent it, to the handler registered for its destination. Nothing crosses a
// socket, nothing is serialised, and nothing runs on another goroutine.
//
// # Latency and order
//
// By default latency is zero: a message sent at virtual time t is delivered
// at t, by [loop.Loop.Post], after every event already queued for t — the
// way Mesos's own tests see messages under a paused clock. A base latency
// for the whole network can be configured. Messages on the same link with
// the same delay are delivered in the order they were sent (the loop runs
// events due at the same instant first-in first-out).
//
// # Filters
//
// Faults are [Filter]s, not goroutines. Every message passes the filter
// chain, in the order the filters were added, when it is sent; each filter
// returns a [Verdict]: deliver (possibly after an extra delay), drop, or
// duplicate with delays of its own. [Network.AddFilter] returns a function
// that removes the filter again. [Match] selects messages by endpoint, kind
// and direction; [Drop], [Delay] and [Duplicate] build the common filters,
// and [FilterFunc] anything else (a probabilistic drop draws from the loop's
// seeded stream, so it replays with the seed).
//
// # Endpoints
//
// An endpoint is a name ("master", an agent id) with a handler. A message to
// a name with no handler is dropped when sent. A message in flight to an
// endpoint that is unregistered, or unregistered and registered again (an
// agent that crashed and restarted), before delivery is dropped then: it died
// with the old process, as a TCP connection would.
//
// # Trace
//
// Every send, delivery and drop is one trace line of component "net", with a
// per-network message number that ties the lines of one message together:
//
//	"     0.000000s net       send #1 master->S0 RunTask"
//	"     0.000000s net       deliver #1 master->S0 RunTask"
//
// # Usage
//
//	l := loop.New(loop.Config{Seed: 1})
//	net := simnet.New(l, simnet.Config{})
//	net.Register("master", master.Receive)
//	net.Register(agentID, agent.Receive)
//	net.Send(simnet.Message{From: "master", To: agentID, Kind: "RunTask", Body: task})
//	heal := net.AddFilter(simnet.Drop(simnet.Match{From: agentID, Bidirectional: true}))
//	...
//	heal()
//
// Like the loop, a Network is not safe for concurrent use: call it from
// events of its loop (or from the goroutine that owns the loop).
package simnet
