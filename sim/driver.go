package sim

// NB: the deterministic loop itself lives in package loop, below the master,
// agents and allocator that need its timers and randomness (see loop's
// package documentation). This file is the concurrent shell on top of it:
// the one goroutine and the one wall clock of mesos-sim.

import (
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/mesos-sim/mesos-sim/loop"
)

// DefaultMaxEvents bounds the events one driver call may run: the settling
// after a Do, a RunUntil, a RunUntilIdle.
const DefaultMaxEvents = 1 << 22

var (
	// ErrClosed is returned by calls on a closed Driver.
	ErrClosed = errors.New("sim: driver closed")
	// ErrRealtime is returned by RunUntil and RunUntilIdle in realtime
	// mode, where the wall clock moves virtual time.
	ErrRealtime = errors.New("sim: not available in realtime mode")
)

// PanicError is the error a Driver returns when an event panicked on the
// loop goroutine. The driver refuses all further work after it: the
// components' state can no longer be trusted.
type PanicError struct {
	Value any    // what the event panicked with
	Event string // the name of the event that was running, if known
	Stack []byte // the loop goroutine's stack at the panic
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("sim: event %q panicked: %v\n%s", e.Event, e.Value, e.Stack)
}

// DriverConfig configures a Driver. The zero value is manual mode.
type DriverConfig struct {
	// Realtime makes virtual time follow the wall clock, times Speed,
	// starting from the loop's time when the driver starts. Otherwise
	// (manual mode) virtual time moves only through the driver's Advance,
	// AdvanceTo, RunUntil and RunUntilIdle.
	Realtime bool
	// Speed is how many virtual seconds pass per wall-clock second in
	// realtime mode; 0 or less means 1.
	Speed float64
	// Clock is the wall clock of realtime mode; nil means clock.New() from
	// github.com/benbjohnson/clock. Any clock.Clock fits.
	Clock WallClock
	// MaxEvents bounds the events one call may run; 0 means
	// DefaultMaxEvents.
	MaxEvents int
}

// WallClock is the part of a wall clock the realtime driver uses. Every
// clock.Clock of github.com/benbjohnson/clock satisfies it, and so does a
// small fake in a test. (The core must not be driven by a clock.Mock — see
// STYLE.md: its Add sleeps 1 ms of real time per timer and runs callbacks on
// new goroutines — so the driver only ever asks a WallClock what time it is
// and to wake it up.)
type WallClock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// Driver is the concurrent shell around a loop.Loop: it owns the one
// goroutine that runs the loop, and is the only part of mesos-sim that
// starts a goroutine or reads the wall clock. Its methods may be called
// from any goroutine, except from inside an event of its loop (which would
// deadlock: schedule with the loop's Post instead).
//
// Inputs submitted with Do enter the loop in arrival order. After each
// input, the loop settles — it runs every event due at the current virtual
// time — before the caller is released, so a caller sees all consequences
// of its input that need no timer.
type Driver struct {
	loop      *loop.Loop
	maxEvents int
	rt        *realtime // nil in manual mode

	requests  chan request
	quit      chan struct{}
	done      chan struct{} // closed when the loop goroutine has exited
	closeOnce sync.Once

	mu      sync.Mutex
	failure error         // first fatal failure; every later call returns it
	changed chan struct{} // closed, and replaced, whenever events have run

	lastEvents uint64 // loop.Events() when changed was last closed; loop goroutine only

	lastNow atomic.Int64 // virtual time (ns since epoch) after the last call

	fw     atomic.Pointer[clock.Mock] // FrameworkClock, once asked for
	fwOnce sync.Once
	fwAt   time.Time // time last set on fw; loop goroutine only
}

type request struct {
	op    string       // what the caller asked for, for the trace
	fn    func() error // runs on the loop goroutine
	reply chan error   // buffered: the loop goroutine never blocks on it
}

// NewDriver starts the goroutine that owns l and returns its Driver. From
// now on l belongs to that goroutine: touch it, and anything its events
// touch, only through the Driver. Close the Driver to stop the goroutine.
func NewDriver(l *loop.Loop, cfg DriverConfig) *Driver {
	d := &Driver{
		loop:      l,
		maxEvents: cfg.MaxEvents,
		requests:  make(chan request),
		quit:      make(chan struct{}),
		done:      make(chan struct{}),
		changed:   make(chan struct{}),
	}
	if d.maxEvents <= 0 {
		d.maxEvents = DefaultMaxEvents
	}
	if cfg.Realtime {
		d.rt = newRealtime(l, cfg)
	}
	d.lastNow.Store(int64(l.Elapsed()))
	go d.run()
	return d
}

// run is the loop goroutine.
func (d *Driver) run() {
	defer close(d.done)
	for {
		var wake <-chan time.Time
		if d.rt != nil && d.err() == nil {
			d.catchUp()
			wake = d.rt.wakeFor(d.loop)
		}
		select {
		case req := <-d.requests:
			req.reply <- d.serve(req)
		case <-wake:
			d.notifyIfChanged()
		case <-d.quit:
			return
		}
	}
}

// serve runs one request on the loop goroutine.
func (d *Driver) serve(req request) error {
	if err := d.err(); err != nil {
		return fmt.Errorf("sim: driver stopped after an earlier failure: %w", err)
	}
	if d.rt != nil {
		if err := d.catchUp(); err != nil {
			return err
		}
	}
	err := d.protect(req.op, req.fn)
	d.afterCall()
	return err
}

// protect runs fn, turning a panic into a fatal PanicError.
func (d *Driver) protect(op string, fn func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			perr := &PanicError{Value: v, Event: d.loop.LastEvent(), Stack: debug.Stack()}
			d.fail(perr)
			err = perr
		}
	}()
	if op != "" && d.loop.Tracing() {
		d.loop.Trace("driver", op)
	}
	return fn()
}

// afterCall publishes the new virtual time and brings the framework clock
// in step with it.
func (d *Driver) afterCall() {
	d.lastNow.Store(int64(d.loop.Elapsed()))
	d.syncFrameworkClock()
	d.notifyIfChanged()
}

// notifyIfChanged wakes the WaitFor callers when events have run since the
// last notification: only then can a condition on the loop's state change.
func (d *Driver) notifyIfChanged() {
	if n := d.loop.Events(); n != d.lastEvents {
		d.lastEvents = n
		d.mu.Lock()
		close(d.changed)
		d.changed = make(chan struct{})
		d.mu.Unlock()
	}
}

// ErrWaitTimeout is returned by WaitFor when its condition did not hold in
// time.
var ErrWaitTimeout = errors.New("sim: condition not met in time")

// WaitFor waits, at most timeout of wall time, until cond holds; cond runs
// on the loop goroutine, and is evaluated again only after other inputs (a
// framework's HTTP calls) or timers have run events — it never polls, and
// evaluating it never moves virtual time. It is for conditions that code
// outside the loop brings about while virtual time stands still.
func (d *Driver) WaitFor(cond func() bool, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		d.mu.Lock()
		changed := d.changed
		d.mu.Unlock()
		var ok bool
		if err := d.call("", func() error { ok = cond(); return nil }); err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-changed:
		case <-d.done:
			return ErrClosed
		case <-timer.C:
			return fmt.Errorf("%w (waited %v of wall time, virtual time %v)",
				ErrWaitTimeout, timeout, time.Duration(d.lastNow.Load()))
		}
	}
}

func (d *Driver) fail(err error) {
	d.mu.Lock()
	if d.failure == nil {
		d.failure = err
	}
	d.mu.Unlock()
}

func (d *Driver) err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.failure
}

// Err returns the failure that stopped the driver, if any: a *PanicError,
// or a bound hit while realtime mode was catching up with the wall clock.
func (d *Driver) Err() error { return d.err() }

// call submits fn to the loop goroutine and waits for its result.
func (d *Driver) call(op string, fn func() error) error {
	req := request{op: op, fn: fn, reply: make(chan error, 1)}
	select {
	case d.requests <- req:
	case <-d.done:
		return ErrClosed
	}
	// A request that was received is always answered.
	return <-req.reply
}

// Do submits an input: fn runs on the loop goroutine as an event at the
// current virtual time, after every input that arrived before it; then the
// loop settles, and Do returns. A result of fn can be captured in a closure.
// Do returns ErrClosed after Close, a *PanicError if fn or an event it
// caused panicked, and an error wrapping loop.ErrBound if settling ran more
// than MaxEvents events.
func (d *Driver) Do(fn func()) error {
	return d.call("", func() error {
		d.loop.Post("driver.do", fn)
		return d.loop.Settle(d.maxEvents)
	})
}

// Now returns the current virtual time. After Close it returns the virtual
// time at which the driver stopped.
func (d *Driver) Now() time.Time {
	var now time.Time
	if err := d.call("", func() error { now = d.loop.Now(); return nil }); err != nil {
		return d.loop.Epoch().Add(time.Duration(d.lastNow.Load()))
	}
	return now
}

// Advance moves virtual time forward by dur, running every event due on the
// way in order (see loop.Loop.Advance). In realtime mode it jumps: virtual
// time from then on runs dur ahead of where the wall clock alone would put
// it.
func (d *Driver) Advance(dur time.Duration) error {
	return d.call("advance "+dur.String(), func() error {
		if d.rt != nil {
			d.rt.jump(dur)
			return d.catchUp()
		}
		return d.loop.Advance(dur)
	})
}

// AdvanceTo moves virtual time forward to t, running every event due on the
// way in order; a t in the past only settles. In realtime mode it jumps, as
// Advance does.
func (d *Driver) AdvanceTo(t time.Time) error {
	return d.call("advance to +"+t.Sub(d.loop.Epoch()).String(), func() error {
		if d.rt != nil {
			d.rt.jump(t.Sub(d.loop.Now()))
			return d.catchUp()
		}
		return d.loop.AdvanceTo(t)
	})
}

// RunUntil jumps from timer to timer until cond holds, never past
// Now+limit, and reports whether it held (see loop.Loop.RunUntil). cond runs
// on the loop goroutine, whenever the loop is settled, so it may read the
// state of the loop's components. Manual mode only.
func (d *Driver) RunUntil(cond func() bool, limit time.Duration) (bool, error) {
	var ok bool
	err := d.call("run until (limit "+limit.String()+")", func() error {
		if d.rt != nil {
			return fmt.Errorf("sim: RunUntil: %w", ErrRealtime)
		}
		var err error
		ok, err = d.loop.RunUntil(cond, limit, d.maxEvents)
		return err
	})
	return ok, err
}

// RunUntilIdle runs the loop from timer to timer until nothing is queued,
// within limit of virtual time (see loop.Loop.RunUntilIdle). Manual mode
// only.
func (d *Driver) RunUntilIdle(limit time.Duration) error {
	return d.call("run until idle (limit "+limit.String()+")", func() error {
		if d.rt != nil {
			return fmt.Errorf("sim: RunUntilIdle: %w", ErrRealtime)
		}
		return d.loop.RunUntilIdle(limit, d.maxEvents)
	})
}

// Close stops the loop goroutine and waits for it to exit; no goroutine of
// the driver is left behind. Calls after Close return ErrClosed. Close
// returns the driver's failure, if it had one (see Err). Calling Close more
// than once is harmless.
func (d *Driver) Close() error {
	d.closeOnce.Do(func() { close(d.quit) })
	<-d.done
	return d.err()
}
