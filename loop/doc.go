// Package loop is mesos-sim's deterministic event loop: a virtual clock, a
// queue of events ordered by (virtual time, insertion sequence), seeded
// randomness split per component, Mesos-shaped IDs and the trace.
//
// Everything that changes the simulated cluster — an input from a framework,
// a message between master and agent, a timer — is an event run by one Loop
// on one goroutine. Events due at the same virtual instant run first-in
// first-out. Virtual time moves only when the owner of the Loop says so
// ([Loop.Step], [Loop.Advance], [Loop.RunUntil], ...), and then jumps from
// event to event: an hour of quiet virtual time costs nothing.
//
// # Why a package of its own
//
// The master, the agents and the allocator need timers and randomness, and
// they sit below package sim in the dependency order (api <- allocator <-
// master, agent <- faults <- sim). So the deterministic loop lives in this
// bottom package, which they import; package sim builds the concurrent shell
// (the only goroutine and the only wall clock) and the Cluster on top of it.
//
// # Rules
//
// The package is pure: it starts no goroutine, never reads the wall clock,
// never draws from a global random source, and none of its output depends on
// map iteration order. A Loop is not safe for concurrent use: exactly one
// goroutine owns it, and events run on that goroutine. Code running inside an
// event schedules more work with [Loop.Post], [Loop.After] and [Loop.At]; it
// must not call the driving methods ([Loop.Step], [Loop.Settle], ...), which
// panic if re-entered.
//
// Every driving method takes or has a bound (TigerBeetle: "put a limit on
// everything"). Hitting one returns an error wrapping [ErrBound] that says what
// was running, so a livelock fails a test instead of hanging it.
//
// # Virtual time
//
// Virtual time is a [time.Time] that starts at Config.Epoch, by default
// [DefaultEpoch] (2026-01-01T00:00:00Z), never the wall clock. Internally it is
// a count of nanoseconds since the epoch. Negative durations and times in the
// past clamp to now; times beyond the year 2318 (the int64 nanosecond range)
// saturate.
//
// # Randomness
//
// One uint64 seed feeds every random decision. [Loop.Rand] hands each
// component its own math/rand/v2 PCG stream, derived from the seed and the
// component's name (see [NewRand] for the exact derivation), so one extra draw
// in "agent" never shifts what "allocator" draws.
//
// # IDs
//
// [NewUUID] draws RFC 4122 version-4 UUIDs from a seeded stream (status update
// uuids, stream ids). [IDs] forms IDs the way the Mesos master does
// (src/master/master.cpp, Master::newFrameworkId, newSlaveId, newOfferId): a
// master id in UUID form, then "<master-id>-0000" for frameworks (at least
// four digits, zero padded), "<master-id>-S0" for agents and "<master-id>-O0"
// for offers.
//
// # Trace
//
// With a [TraceSink] configured, every event run and every [Loop.Tracef] line
// becomes one line of text, such as this one (as a Go string):
//
//	"    12.345000s master    SUBSCRIBE framework web -> 6f1c...-0000"
//
// that is: the virtual time since the epoch in seconds with microseconds
// (nanoseconds truncated), the seconds right-aligned in 6 columns so that
// lines align for the first 11 days; the component, left-aligned in 9
// columns; the text, with newlines escaped. Event lines have the component
// "loop" and the event's name as text.
// The same seed and the same inputs give a byte-identical trace. Without a
// sink, tracing costs a nil check; guard expensive arguments with
// [Loop.Tracing].
//
// # Usage
//
//	l := loop.New(loop.Config{Seed: 7, Trace: loop.NewRingSink(1000)})
//	l.After(15*time.Second, "master.heartbeat", func() { ... })
//	l.Post("master.subscribe", func() { ... }) // runs now, after what is queued for now
//	if err := l.Settle(10_000); err != nil { ... } // everything due now
//	if err := l.Advance(time.Minute); err != nil { ... } // timers fire in order
//	ok, err := l.RunUntil(func() bool { return done }, time.Hour, 1_000_000)
//	jitter := l.Rand("agent").IntN(100)
//	ids := l.NewIDs()
//	fw := ids.NextFramework() // "<uuid>-0000"
package loop
