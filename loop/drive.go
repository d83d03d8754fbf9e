package loop

import (
	"fmt"
	"math"
	"time"
)

// The driving methods below are called by the one goroutine that owns the
// loop, never from inside an event (they panic if re-entered). Each runs
// events in (time, seq) order; virtual time moves to each event's due time as
// it runs, so Now inside an event always equals the time it was due.

// Pending returns how many events are queued (stopped timers are not).
func (l *Loop) Pending() int { return l.due.len() + l.timers.len() }

// NextAt returns the due time of the next queued event, and false if the
// queue is empty.
func (l *Loop) NextAt() (time.Time, bool) {
	at, ok := l.peekAt()
	if !ok {
		return time.Time{}, false
	}
	return l.epoch.Add(time.Duration(at)), true
}

// Step runs the next event, first moving virtual time to its due time. It
// returns false, and does nothing, if the queue is empty.
func (l *Loop) Step() bool {
	l.enter("Step")
	defer l.exit()
	if l.Pending() == 0 {
		return false
	}
	l.runNext()
	return true
}

// Settle runs every event due at or before now, including those they
// schedule for now, without moving virtual time. It returns an error
// wrapping ErrBound if events are still due after maxEvents of them ran: a
// livelock, such as two components answering each other forever at zero
// latency.
func (l *Loop) Settle(maxEvents int) error {
	l.enter("Settle")
	defer l.exit()
	if _, err := l.settle(maxEvents, 0); err != nil {
		return fmt.Errorf("loop: Settle: %w", err)
	}
	return nil
}

// AdvanceTo runs, in order, every event due at or before t, moving virtual
// time to each event's due time as it runs, and ends with Now == t and
// nothing due now. Events that run may schedule more events at or before t;
// those run too. A t before Now only settles. More than
// Config.MaxEventsPerInstant events at one virtual instant is reported as a
// livelock (an error wrapping ErrBound, with Now left at that instant).
func (l *Loop) AdvanceTo(t time.Time) error {
	l.enter("AdvanceTo")
	defer l.exit()
	if err := l.advanceTo(l.offset(t)); err != nil {
		return fmt.Errorf("loop: AdvanceTo %s: %w", stamp(l.offset(t)), err)
	}
	return nil
}

// Advance is AdvanceTo(Now() + d); a negative d counts as 0.
func (l *Loop) Advance(d time.Duration) error {
	l.enter("Advance")
	defer l.exit()
	target := l.plus(d)
	if err := l.advanceTo(target); err != nil {
		return fmt.Errorf("loop: Advance %v: %w", d, err)
	}
	return nil
}

// RunUntil settles, then jumps from timer to timer until cond holds, never
// past Now+limit. cond is evaluated whenever the loop is settled — before the
// first jump and after all events of each virtual instant have run — so it
// sees a consistent world, and on success Now is the instant at which cond
// first held. If cond does not hold by the deadline, RunUntil ends with Now
// at the deadline (every event due by then has run) and returns false and a
// nil error. If maxEvents events run first, it returns false and an error
// wrapping ErrBound.
func (l *Loop) RunUntil(cond func() bool, limit time.Duration, maxEvents int) (bool, error) {
	l.enter("RunUntil")
	defer l.exit()
	deadline := l.plus(limit)
	ran := 0
	for {
		n, err := l.settle(maxEvents, ran)
		ran += n
		if err != nil {
			return false, fmt.Errorf("loop: RunUntil (limit %v): condition not met: %w", limit, err)
		}
		if cond() {
			return true, nil
		}
		if l.timers.len() == 0 || l.timers.top().at > deadline {
			l.now = deadline
			return false, nil
		}
		l.now = l.timers.top().at
	}
}

// RunUntilIdle runs events in order, jumping from timer to timer, until the
// queue is empty. It returns an error wrapping ErrBound if maxEvents events
// ran and more are queued, or if events are still queued beyond Now+limit;
// in the latter case Now ends at Now+limit with every event due by then run.
// A cluster with periodic timers (heartbeats, the allocation interval) is
// never idle: use RunUntil or Advance for it.
func (l *Loop) RunUntilIdle(limit time.Duration, maxEvents int) error {
	l.enter("RunUntilIdle")
	defer l.exit()
	deadline := l.plus(limit)
	for ran := 0; ; ran++ {
		at, ok := l.peekAt()
		if !ok {
			return nil
		}
		if at > deadline {
			l.now = deadline
			return fmt.Errorf("loop: RunUntilIdle: still busy after %v at %s: %d events pending (next %q at %s; pending: %s): %w",
				limit, stamp(l.now), l.Pending(), l.nextName(), stamp(at), l.describe(math.MaxInt64), ErrBound)
		}
		if ran >= maxEvents {
			return fmt.Errorf("loop: RunUntilIdle (limit %v): ran %d events, the bound, at %s; %d still pending (last ran %q; next %q at %s; pending: %s): %w",
				limit, ran, stamp(l.now), l.Pending(), l.lastRun, l.nextName(), stamp(at), l.describe(math.MaxInt64), ErrBound)
		}
		l.runNext()
	}
}

// settle runs events due now until none are, or until ran+n reaches max. It
// returns how many events it ran.
func (l *Loop) settle(max, ran int) (int, error) {
	n := 0
	for l.dueNow() {
		if ran+n >= max {
			return n, l.errDueNow(ran + n)
		}
		l.runNext()
		n++
	}
	return n, nil
}

// advanceTo runs every event due at or before target, then sets now to it.
func (l *Loop) advanceTo(target int64) error {
	instant, n := l.now, 0
	for {
		at, ok := l.peekAt()
		if !ok || at > target {
			break
		}
		if at != instant {
			instant, n = at, 0
		}
		if n >= l.maxPerInstant {
			return l.errDueNow(n)
		}
		l.runNext()
		n++
	}
	l.now = target
	return nil
}

// plus returns now+d, with a negative d counting as 0 and saturating at the
// end of representable time.
func (l *Loop) plus(d time.Duration) int64 {
	if d <= 0 {
		return l.now
	}
	if d > math.MaxInt64-time.Duration(l.now) {
		return math.MaxInt64
	}
	return l.now + int64(d)
}

func (l *Loop) dueNow() bool {
	return l.due.len() > 0 || (l.timers.len() > 0 && l.timers.top().at <= l.now)
}

// peekAt returns the due time of the next event.
func (l *Loop) peekAt() (int64, bool) {
	switch {
	case l.due.len() > 0:
		return l.now, true // posted events are always due now
	case l.timers.len() > 0:
		return l.timers.top().at, true
	}
	return 0, false
}

// postedFirst reports whether the next event is the head of the post queue
// rather than the earliest timer; there must be a next event.
func (l *Loop) postedFirst() bool {
	if l.due.len() == 0 {
		return false
	}
	if l.timers.len() == 0 {
		return true
	}
	t := l.timers.top()
	return t.at > l.now || t.seq > l.due.peek().seq
}

// runNext runs the next event in (time, seq) order; there must be one.
func (l *Loop) runNext() {
	var name string
	var fn func()
	if l.postedFirst() {
		p := l.due.pop()
		name, fn = p.name, p.fn
	} else {
		t := l.timers.pop()
		l.now = t.at
		name, fn = t.name, t.fn
		t.fn = nil
	}
	l.lastRun = name
	l.runCount++
	if l.trace != nil {
		l.traceLine("loop", name)
	}
	fn()
	if len(l.hooks) > 0 {
		l.runHooks()
	}
}

func (l *Loop) nextName() string {
	if l.postedFirst() {
		return l.due.peek().name
	}
	if l.timers.len() > 0 {
		return l.timers.slots[l.timers.top().slot].name
	}
	return ""
}

// enter marks the start of a driving method and panics if one is already
// running: driving the loop from inside an event would break the (time,
// seq) order.
func (l *Loop) enter(method string) {
	if l.running {
		panic(fmt.Sprintf("loop: %s called while the loop is running (from inside event %q?); schedule with Post/After instead", method, l.lastRun))
	}
	l.running = true
}

// exit is deferred by every driving method, so that a panicking event does
// not leave the loop marked as running.
func (l *Loop) exit() { l.running = false }

// stamp formats a virtual time offset for error messages: "+1m30s".
func stamp(at int64) string { return "+" + time.Duration(at).String() }
