package loop

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// action is one step of a random schedule driven from outside the loop.
type action struct {
	Kind string // post, after, stop, advance, step, settle
	D    time.Duration
	K    int // stop: which timer, modulo the number created
}

var actionGen = rapid.Custom(func(t *rapid.T) action {
	a := action{Kind: rapid.SampledFrom([]string{"post", "after", "after", "stop", "advance", "step", "settle"}).Draw(t, "kind")}
	switch a.Kind {
	case "after":
		// Mostly few distinct instants, so that ties are common; some negative.
		a.D = time.Duration(rapid.IntRange(-2, 20).Draw(t, "ms")) * 100 * time.Millisecond
	case "advance":
		a.D = time.Duration(rapid.IntRange(-1, 15).Draw(t, "ms")) * 100 * time.Millisecond
	case "stop":
		a.K = rapid.IntRange(0, 1000).Draw(t, "k")
	}
	return a
})

// scheduled is the model's view of one event.
type scheduled struct {
	due     int64 // expected due time
	order   int   // order of the scheduling call
	stopped bool
	runs    int
	timer   *Timer // nil for posts
}

// runSchedule executes script on a fresh loop and checks, as it goes, that
// events run in (due time, scheduling order), at their due time, once, and
// never after being stopped. Events schedule children and stop timers using
// the loop's own seeded stream. It returns the trace.
func runSchedule(seed uint64, script []action) (string, error) {
	var trace bytes.Buffer
	l := New(Config{Seed: seed, Trace: NewWriterSink(&trace)})
	r := l.Rand("prop")
	var events []*scheduled
	var timers []*scheduled
	var failure error
	fail := func(format string, args ...any) {
		if failure == nil {
			failure = fmt.Errorf(format, args...)
		}
	}
	var last *scheduled
	budget := 200 // children events events may still create
	var schedule func(post bool, d time.Duration)
	run := func(e *scheduled) func() {
		return func() {
			e.runs++
			switch {
			case e.stopped:
				fail("stopped event %d ran", e.order)
			case e.runs > 1:
				fail("event %d ran %d times", e.order, e.runs)
			case l.Elapsed() != time.Duration(e.due):
				fail("event %d ran at +%v, due +%v", e.order, l.Elapsed(), time.Duration(e.due))
			case last != nil && (e.due < last.due || (e.due == last.due && e.order < last.order)):
				fail("event %d (due %d) ran after event %d (due %d)", e.order, e.due, last.order, last.due)
			}
			last = e
			l.Tracef("prop", "event %d", e.order)
			if budget > 0 && r.IntN(3) > 0 {
				budget--
				switch r.IntN(3) {
				case 0:
					schedule(true, 0)
				case 1:
					schedule(false, time.Duration(r.IntN(20))*100*time.Millisecond)
				case 2:
					if len(timers) > 0 {
						stop(timers[r.IntN(len(timers))])
					}
				}
			}
		}
	}
	schedule = func(post bool, d time.Duration) {
		e := &scheduled{due: l.now, order: len(events)}
		if d > 0 {
			e.due += int64(d)
		}
		events = append(events, e)
		if post {
			l.Post("post", run(e))
		} else {
			e.timer = l.After(d, "timer", run(e))
			timers = append(timers, e)
		}
	}
	for _, a := range script {
		switch a.Kind {
		case "post":
			schedule(true, 0)
		case "after":
			schedule(false, a.D)
		case "stop":
			if len(timers) > 0 {
				stop(timers[a.K%len(timers)])
			}
		case "advance":
			if err := l.Advance(a.D); err != nil {
				return "", err
			}
			if l.dueNow() {
				fail("events still due after Advance")
			}
		case "step":
			l.Step()
		case "settle":
			if err := l.Settle(10_000); err != nil {
				return "", err
			}
		}
		if failure != nil {
			return "", failure
		}
	}
	if err := l.RunUntilIdle(time.Hour, 100_000); err != nil {
		return "", err
	}
	for _, e := range events {
		if !e.stopped && e.runs != 1 {
			fail("event %d (due %d) ran %d times, want once", e.order, e.due, e.runs)
		}
	}
	return trace.String(), failure
}

// stop stops e's timer and checks that Stop's answer matches the model.
func stop(e *scheduled) {
	want := !e.stopped && e.runs == 0
	if got := e.timer.Stop(); got != want {
		panic(fmt.Sprintf("Stop() on event %d = %v, want %v", e.order, got, want))
	}
	e.stopped = true
	if e.timer.Pending() {
		panic("stopped timer still pending")
	}
}

func TestPropertyScheduleOrderAndDeterminism(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := rapid.Uint64().Draw(t, "seed")
		n := rapid.IntRange(1, 200).Draw(t, "actions")
		script := rapid.SliceOfN(actionGen, n, n).Draw(t, "script")
		first, err := runSchedule(seed, script)
		if err != nil {
			t.Fatal(err)
		}
		second, err := runSchedule(seed, script)
		if err != nil {
			t.Fatal(err)
		}
		if first != second {
			t.Fatalf("same seed and script, different traces:\n--- first\n%s--- second\n%s", first, second)
		}
	})
}
