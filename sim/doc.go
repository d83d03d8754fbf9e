// Package sim is the world a framework under test lives in: the concurrent
// shell around mesos-sim's deterministic event loop, and (as it is built)
// the Cluster of master, agents, allocator and faults behind an HTTP server,
// with the test harness sim.New(t, ...).
//
// Today the package holds the [Driver]: the one goroutine that owns a
// [loop.Loop] and the only place, with the binary, that reads the wall
// clock. Everything below sim (package loop and the master, agents and
// allocator that run on it) is single-threaded and deterministic; the
// Driver is how the outside world, HTTP handlers and tests, reaches it.
//
// # Usage
//
//	l := loop.New(loop.Config{Seed: 7})
//	d := sim.NewDriver(l, sim.DriverConfig{}) // manual mode
//	defer d.Close()
//	_ = d.Do(func() { /* an input: runs on the loop, then the loop settles */ })
//	_ = d.Advance(90 * time.Second)           // only the test moves time
//
// Inputs enter the loop at the current virtual time in arrival order; Do
// returns after every event due at that instant has run, so a test sees all
// consequences of an input without sleeping. In realtime mode (the binary)
// virtual time follows the wall clock times a speed factor instead.
package sim
