package loop

import (
	"math"
	"math/rand/v2"
	"time"
)

// DefaultEpoch is where virtual time starts unless Config.Epoch says
// otherwise: 2026-01-01T00:00:00Z. It is a fixed instant, never the wall
// clock, so traces and IDs do not change from one run to the next.
var DefaultEpoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// DefaultMaxEventsPerInstant bounds how many events [Loop.Advance] and
// [Loop.AdvanceTo] run at one virtual instant before they report a livelock.
const DefaultMaxEventsPerInstant = 1 << 22

// Config configures a Loop. The zero value is valid: seed 0, DefaultEpoch,
// no trace.
type Config struct {
	// Seed feeds every random stream (see [NewRand]) and so every ID.
	Seed uint64
	// Epoch is the virtual time at which the loop starts; the zero value
	// means DefaultEpoch.
	Epoch time.Time
	// Trace receives the trace lines; nil disables tracing.
	Trace TraceSink
	// MaxEventsPerInstant bounds Advance and AdvanceTo at any one virtual
	// instant; 0 means DefaultMaxEventsPerInstant.
	MaxEventsPerInstant int
}

// Loop is a deterministic discrete-event loop with a virtual clock. It is
// not safe for concurrent use: one goroutine owns it, see the package
// documentation.
type Loop struct {
	epoch time.Time
	now   int64 // nanoseconds since epoch
	seq   uint64

	// due holds the events posted for now (Post), in FIFO order. They never
	// wait for the clock: now cannot move while one is queued.
	due postQueue
	// timers holds the events scheduled with After and At.
	timers timerHeap

	maxPerInstant int
	running       bool   // an event is running; guards against re-entry
	lastRun       string // name of the last event run, for bound errors
	runCount      uint64 // events run since New

	seed  uint64
	rands map[string]*rand.Rand

	trace    TraceSink
	traceBuf []byte

	hooks []*eventHook // registered with OnEvent, in order; see hook.go
}

// New returns a Loop at its epoch with nothing queued.
func New(cfg Config) *Loop {
	l := &Loop{
		epoch:         cfg.Epoch,
		seed:          cfg.Seed,
		maxPerInstant: cfg.MaxEventsPerInstant,
		trace:         cfg.Trace,
		rands:         make(map[string]*rand.Rand),
	}
	if l.epoch.IsZero() {
		l.epoch = DefaultEpoch
	}
	if l.maxPerInstant <= 0 {
		l.maxPerInstant = DefaultMaxEventsPerInstant
	}
	return l
}

// Seed returns the seed the loop was created with.
func (l *Loop) Seed() uint64 { return l.seed }

// Epoch returns the virtual time at which the loop started.
func (l *Loop) Epoch() time.Time { return l.epoch }

// Now returns the current virtual time.
func (l *Loop) Now() time.Time { return l.epoch.Add(time.Duration(l.now)) }

// Elapsed returns the virtual time since the epoch.
func (l *Loop) Elapsed() time.Duration { return time.Duration(l.now) }

// LastEvent returns the name of the event running now, or of the last one
// that ran.
func (l *Loop) LastEvent() string { return l.lastRun }

// Events returns how many events the loop has run since New.
func (l *Loop) Events() uint64 { return l.runCount }

// Post schedules fn to run at the current virtual time, after every event
// already queued for now. name labels the event in the trace and in bound
// errors; make it a short constant such as "master.allocate" (put details in
// a Tracef line, not in the name). Post never allocates once the loop is warm.
func (l *Loop) Post(name string, fn func()) {
	l.seq++
	l.due.push(posted{seq: l.seq, name: name, fn: fn})
}

// After schedules fn to run d after the current virtual time and returns a
// Timer that can stop it. A negative d counts as 0: the event then runs now,
// after everything already queued for now, like Post.
func (l *Loop) After(d time.Duration, name string, fn func()) *Timer {
	at := l.now
	if d > 0 {
		if d > math.MaxInt64-time.Duration(at) {
			at = math.MaxInt64
		} else {
			at += int64(d)
		}
	}
	return l.schedule(at, name, fn)
}

// At schedules fn to run at virtual time t and returns a Timer that can stop
// it. A t before now counts as now.
func (l *Loop) At(t time.Time, name string, fn func()) *Timer {
	return l.schedule(l.offset(t), name, fn)
}

// offset converts t to nanoseconds since the epoch, clamped to [now, MaxInt64].
func (l *Loop) offset(t time.Time) int64 {
	d := t.Sub(l.epoch) // saturates at the Duration range
	if int64(d) < l.now {
		return l.now
	}
	return int64(d)
}

func (l *Loop) schedule(at int64, name string, fn func()) *Timer {
	l.seq++
	t := &Timer{loop: l, at: at, name: name, fn: fn}
	l.timers.push(t, l.seq)
	return t
}

// Timer is an event scheduled with [Loop.After] or [Loop.At].
type Timer struct {
	loop *Loop
	at   int64
	slot int32 // slot in the loop's heap; -1 once fired or stopped
	name string
	fn   func()
}

// Stop cancels the timer in O(log n). It returns true if that prevented the
// event from running, and false if the event already ran or was stopped. A
// stopped timer never fires. Stop on a nil Timer returns false.
func (t *Timer) Stop() bool {
	if t == nil || t.slot < 0 {
		return false
	}
	t.loop.timers.stop(t)
	t.fn = nil
	return true
}

// Pending reports whether the timer is still queued.
func (t *Timer) Pending() bool { return t != nil && t.slot >= 0 }

// When returns the virtual time at which the timer fires (or fired, or would
// have fired).
func (t *Timer) When() time.Time { return t.loop.epoch.Add(time.Duration(t.at)) }

// Name returns the timer's event name.
func (t *Timer) Name() string { return t.name }
