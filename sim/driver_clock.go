package sim

import (
	"time"

	"github.com/benbjohnson/clock"
)

// FrameworkClock returns a *clock.Mock of github.com/benbjohnson/clock that
// the driver keeps in step with virtual time, for framework code that
// already takes a clock.Clock. It is created on the first call, set to the
// current virtual time; after that, whenever a driver call (or, in realtime
// mode, a wake-up) has moved virtual time, the loop goroutine calls
// Mock.Set(virtual now) before the call returns. The driver owns the mock:
// never call its Add or Set yourself. The core never reads this clock.
//
// The mock's own mechanics (clock v1.3.5, clock.go) make it a poor clock
// for anything but coarse framework timers; know these caveats:
//
//   - Slow. Mock.Set sleeps 1 ms of real time after every timer or ticker
//     tick it fires, and 1 ms more at the end. So every driver call that
//     moves virtual time costs at least 1 ms of wall time once the mock
//     exists (it is therefore created lazily, and not Set when time did not
//     move), and a 1 s ticker across Advance(time.Hour) costs 3600 ticks ×
//     1 ms = 3.6 s of wall time.
//   - Coarse. The loop runs all of its events up to the target first; the
//     mock's timers fire only afterwards, inside that one Set. Framework
//     timers never interleave with the cluster's events within one Advance:
//     advance in steps no longer than the framework timer resolution you
//     care about.
//   - Concurrent and unordered. AfterFunc callbacks (and so
//     Mock.WithTimeout/WithDeadline expiries) run on new goroutines, after
//     Set has moved on, in no defined order; a callback reading Now may see
//     a later time than its timer's. Timers due at the same instant fire in
//     the order of an unstable sort. Nothing makes the callbacks finish
//     before the driver call returns: wait for their effects (e.g. an input
//     they send with Do) rather than assume them.
//   - Channels are one deep. Timer.C and After hold one value; a ticker
//     drops ticks its reader has not taken. Resetting a fired Timer whose C
//     was not drained makes the next Set block forever on the full channel
//     while holding the mock's lock — and Set runs on the loop goroutine, so
//     the whole cluster hangs. Drain C before Reset.
//   - Zero and past durations. Mock.Timer(0) and After(0) fire at once, but
//     AfterFunc(0, f) and timers due at the current time fire only at the
//     next Set, i.e. the next time virtual time moves.
//   - Callbacks may call the driver (Do): they run on their own goroutines,
//     and their inputs queue behind the current call. They must not expect
//     the virtual time of their input to be their timer's time.
//
// For deterministic framework behaviour, write the framework inside the
// loop (package loop timers) instead.
func (d *Driver) FrameworkClock() *clock.Mock {
	d.fwOnce.Do(func() {
		m := clock.NewMock()
		err := d.call("", func() error {
			now := d.loop.Now()
			m.Set(now)
			d.fwAt = now
			d.fw.Store(m)
			return nil
		})
		if err != nil { // closed or failed: the mock stands where the loop stopped
			m.Set(d.loop.Epoch().Add(time.Duration(d.lastNow.Load())))
			d.fw.Store(m)
		}
	})
	return d.fw.Load()
}

// syncFrameworkClock sets the framework clock, if there is one, to the
// current virtual time if that has moved. Loop goroutine only.
func (d *Driver) syncFrameworkClock() {
	m := d.fw.Load()
	if m == nil {
		return
	}
	now := d.loop.Now()
	if !now.After(d.fwAt) {
		return
	}
	d.fwAt = now
	m.Set(now)
}
