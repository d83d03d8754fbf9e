package loop

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// recorder collects the names of events as they run, with the virtual time
// (since the epoch) at which each ran.
type recorder struct {
	l   *Loop
	ran []string
}

func (r *recorder) fn(name string) func() {
	return func() { r.ran = append(r.ran, name+"@"+r.l.Elapsed().String()) }
}

func newRecorder(cfg Config) (*Loop, *recorder) {
	l := New(cfg)
	return l, &recorder{l: l}
}

func TestSchedulingOrder(t *testing.T) {
	type sched struct {
		name string
		post bool          // Post rather than After
		d    time.Duration // for After
	}
	tests := []struct {
		name  string
		sched []sched
		want  []string
	}{
		{
			name:  "posts run FIFO",
			sched: []sched{{name: "a", post: true}, {name: "b", post: true}, {name: "c", post: true}},
			want:  []string{"a@0s", "b@0s", "c@0s"},
		},
		{
			name:  "timers run by time",
			sched: []sched{{name: "3s", d: 3 * time.Second}, {name: "1s", d: time.Second}, {name: "2s", d: 2 * time.Second}},
			want:  []string{"1s@1s", "2s@2s", "3s@3s"},
		},
		{
			name:  "timers at the same instant run FIFO",
			sched: []sched{{name: "x", d: time.Second}, {name: "y", d: time.Second}, {name: "z", d: time.Second}},
			want:  []string{"x@1s", "y@1s", "z@1s"},
		},
		{
			name: "After(0) and Post share one FIFO",
			sched: []sched{
				{name: "t0", d: 0}, {name: "p1", post: true}, {name: "t2", d: 0}, {name: "p3", post: true},
			},
			want: []string{"t0@0s", "p1@0s", "t2@0s", "p3@0s"},
		},
		{
			name:  "negative durations clamp to now",
			sched: []sched{{name: "p", post: true}, {name: "neg", d: -time.Hour}, {name: "later", d: time.Millisecond}},
			want:  []string{"p@0s", "neg@0s", "later@1ms"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, r := newRecorder(Config{})
			for _, s := range tc.sched {
				if s.post {
					l.Post(s.name, r.fn(s.name))
				} else {
					l.After(s.d, s.name, r.fn(s.name))
				}
			}
			if err := l.RunUntilIdle(time.Hour, 100); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, r.ran); diff != "" {
				t.Errorf("run order (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPostFromEventRunsAfterWhatIsQueued(t *testing.T) {
	l, r := newRecorder(Config{})
	l.Post("a", func() {
		r.fn("a")()
		l.Post("a.child", r.fn("a.child"))
		l.After(0, "a.timer", r.fn("a.timer"))
	})
	l.Post("b", r.fn("b"))
	l.After(time.Second, "later", func() {
		r.fn("later")()
		l.Post("later.child", r.fn("later.child"))
	})
	l.After(time.Second, "later2", r.fn("later2"))
	if err := l.RunUntilIdle(time.Minute, 100); err != nil {
		t.Fatal(err)
	}
	want := []string{"a@0s", "b@0s", "a.child@0s", "a.timer@0s", "later@1s", "later2@1s", "later.child@1s"}
	if diff := cmp.Diff(want, r.ran); diff != "" {
		t.Errorf("run order (-want +got):\n%s", diff)
	}
}

func TestAtClampsToNow(t *testing.T) {
	l, r := newRecorder(Config{})
	if err := l.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	tm := l.At(l.Epoch(), "past", r.fn("past"))
	if got, want := tm.When(), l.Now(); !got.Equal(want) {
		t.Errorf("When() = %v, want now %v", got, want)
	}
	l.At(l.Now().Add(time.Second), "future", r.fn("future"))
	if err := l.RunUntilIdle(time.Hour, 10); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"past@1m0s", "future@1m1s"}, r.ran); diff != "" {
		t.Errorf("run order (-want +got):\n%s", diff)
	}
}

func TestTimerStop(t *testing.T) {
	tests := []struct {
		name string
		// run builds the schedule, returning the timer to stop and when to
		// stop it: before driving, or from inside an event at stopAt.
		stopFromEvent bool
		wantStop      bool
		want          []string
	}{
		{name: "before it fires", wantStop: true, want: []string{"a@1s", "c@3s"}},
		{name: "from an earlier event", stopFromEvent: true, wantStop: true, want: []string{"a@1s", "c@3s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, r := newRecorder(Config{})
			var b *Timer
			var stopped bool
			l.After(time.Second, "a", func() {
				r.fn("a")()
				if tc.stopFromEvent {
					stopped = b.Stop()
				}
			})
			b = l.After(2*time.Second, "b", r.fn("b"))
			l.After(3*time.Second, "c", r.fn("c"))
			if !tc.stopFromEvent {
				stopped = b.Stop()
			}
			if err := l.RunUntilIdle(time.Hour, 10); err != nil {
				t.Fatal(err)
			}
			if stopped != tc.wantStop {
				t.Errorf("Stop() = %v, want %v", stopped, tc.wantStop)
			}
			if diff := cmp.Diff(tc.want, r.ran); diff != "" {
				t.Errorf("run order (-want +got):\n%s", diff)
			}
			if b.Stop() {
				t.Error("second Stop() = true, want false")
			}
			if b.Pending() {
				t.Error("stopped timer still pending")
			}
		})
	}
}

func TestTimerStopAfterFire(t *testing.T) {
	l := New(Config{})
	tm := l.After(time.Second, "t", func() {})
	if !tm.Pending() {
		t.Fatal("new timer not pending")
	}
	if err := l.Advance(time.Second); err != nil {
		t.Fatal(err)
	}
	if tm.Stop() {
		t.Error("Stop() after firing = true, want false")
	}
	var nilTimer *Timer
	if nilTimer.Stop() {
		t.Error("nil Stop() = true")
	}
}

// TestTimerStopMany stops many timers, in a scrambled order, and checks the
// rest fire in (time, seq) order: removal from the middle of the heap keeps
// it a heap.
func TestTimerStopMany(t *testing.T) {
	tests := []struct {
		name string
		n    int
		stop func(i int) bool
	}{
		{"every third of 2000", 2000, func(i int) bool { return i%3 == 0 }},
		{"nine in ten of 5000", 5000, func(i int) bool { return i%10 != 0 }},
		{"all of 1000", 1000, func(int) bool { return true }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := New(Config{Seed: 3})
			rng := NewRand(1, "test")
			timers := make([]*Timer, tc.n)
			var ran []int
			for i := range tc.n {
				d := time.Duration(rng.IntN(50)) * time.Millisecond
				timers[i] = l.After(d, "t", func() { ran = append(ran, i) })
			}
			stopped := map[int]bool{}
			for _, i := range rng.Perm(tc.n) {
				if tc.stop(i) {
					if !timers[i].Stop() {
						t.Fatalf("Stop(%d) = false", i)
					}
					stopped[i] = true
					if got, want := l.Pending(), tc.n-len(stopped); got != want {
						t.Fatalf("Pending() = %d after %d stops, want %d", got, len(stopped), want)
					}
				}
			}
			if err := l.RunUntilIdle(time.Second, tc.n); err != nil {
				t.Fatal(err)
			}
			if len(ran) != tc.n-len(stopped) {
				t.Fatalf("%d timers ran, want %d", len(ran), tc.n-len(stopped))
			}
			for k, i := range ran {
				if stopped[i] {
					t.Fatalf("stopped timer %d ran", i)
				}
				if k > 0 {
					// Timers were scheduled in index order, so index order is seq order.
					p := ran[k-1]
					prev, cur := timers[p], timers[i]
					if cur.at < prev.at || (cur.at == prev.at && i < p) {
						t.Fatalf("timer %d (at %d) ran after timer %d (at %d)", i, cur.at, p, prev.at)
					}
				}
			}
			if len(l.timers.heap) != 0 {
				t.Errorf("heap not empty after the run: %d entries", len(l.timers.heap))
			}
		})
	}
}

func TestStepPendingNextAt(t *testing.T) {
	l, r := newRecorder(Config{})
	if _, ok := l.NextAt(); ok {
		t.Fatal("NextAt on an empty loop reported an event")
	}
	if l.Step() {
		t.Fatal("Step on an empty loop = true")
	}
	l.After(5*time.Second, "t5", r.fn("t5"))
	l.After(2*time.Second, "t2", r.fn("t2"))
	if got := l.Pending(); got != 2 {
		t.Fatalf("Pending() = %d, want 2", got)
	}
	next, ok := l.NextAt()
	if !ok || !next.Equal(l.Epoch().Add(2*time.Second)) {
		t.Fatalf("NextAt() = %v, %v; want epoch+2s", next, ok)
	}
	l.Post("now", r.fn("now"))
	if next, _ := l.NextAt(); !next.Equal(l.Now()) {
		t.Fatalf("NextAt() with a post = %v, want now", next)
	}
	for l.Step() {
	}
	if diff := cmp.Diff([]string{"now@0s", "t2@2s", "t5@5s"}, r.ran); diff != "" {
		t.Errorf("run order (-want +got):\n%s", diff)
	}
	if got, want := l.Now(), l.Epoch().Add(5*time.Second); !got.Equal(want) {
		t.Errorf("Now() = %v, want %v (Step moves time to the event)", got, want)
	}
	if got := l.Events(); got != 3 {
		t.Errorf("Events() = %d, want 3", got)
	}
}

func TestDefaultEpoch(t *testing.T) {
	if got := New(Config{}).Now(); !got.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Now() = %v, want 2026-01-01T00:00:00Z", got)
	}
	epoch := time.Date(2014, 7, 1, 12, 0, 0, 0, time.UTC)
	if got := New(Config{Epoch: epoch}).Now(); !got.Equal(epoch) {
		t.Errorf("Now() = %v, want %v", got, epoch)
	}
}

func TestSettle(t *testing.T) {
	l, r := newRecorder(Config{})
	l.After(time.Second, "later", r.fn("later"))
	l.Post("a", func() {
		r.fn("a")()
		l.Post("b", r.fn("b"))
	})
	if err := l.Settle(10); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a@0s", "b@0s"}, r.ran); diff != "" {
		t.Errorf("run order (-want +got):\n%s", diff)
	}
	if l.Elapsed() != 0 {
		t.Errorf("Settle moved time to %v", l.Elapsed())
	}
	if l.Pending() != 1 {
		t.Errorf("Pending() = %d, want 1 (the timer)", l.Pending())
	}
}

func TestSettleExactBoundIsNotAnError(t *testing.T) {
	l := New(Config{})
	for range 3 {
		l.Post("e", func() {})
	}
	if err := l.Settle(3); err != nil {
		t.Fatalf("Settle(3) with 3 events: %v", err)
	}
}

func TestSettleBound(t *testing.T) {
	l := New(Config{})
	var ping, pong func()
	ping = func() { l.Post("pong", pong) }
	pong = func() { l.Post("ping", ping) }
	l.Post("ping", ping)
	err := l.Settle(1000)
	if !errors.Is(err, ErrBound) {
		t.Fatalf("Settle on a livelock = %v, want ErrBound", err)
	}
	for _, want := range []string{"Settle", "ran 1000 events", `last ran "pong"`, `due now: "ping"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestAdvance(t *testing.T) {
	l := New(Config{})
	type run struct {
		name string
		due  time.Duration
		now  time.Duration
	}
	var runs []run
	at := func(name string, due time.Duration) func() {
		return func() { runs = append(runs, run{name, due, l.Elapsed()}) }
	}
	l.After(time.Second, "1s", func() {
		at("1s", time.Second)()
		// Scheduled during Advance, due before the target: runs within it.
		l.After(500*time.Millisecond, "1.5s", at("1.5s", 1500*time.Millisecond))
		// Due exactly at the target: runs within it.
		l.After(2*time.Second, "3s", at("3s", 3*time.Second))
		// Due after the target: stays queued.
		l.After(2*time.Second+time.Nanosecond, "3s+1ns", at("3s+1ns", 3*time.Second+1))
	})
	l.After(2*time.Second, "2s", func() {
		at("2s", 2*time.Second)()
		l.Post("2s.post", at("2s.post", 2*time.Second))
	})
	if err := l.Advance(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	want := []run{
		{"1s", time.Second, time.Second},
		{"1.5s", 1500 * time.Millisecond, 1500 * time.Millisecond},
		{"2s", 2 * time.Second, 2 * time.Second},
		{"2s.post", 2 * time.Second, 2 * time.Second},
		{"3s", 3 * time.Second, 3 * time.Second},
	}
	if diff := cmp.Diff(want, runs, cmp.AllowUnexported(run{})); diff != "" {
		t.Errorf("runs (-want +got):\n%s", diff)
	}
	if got := l.Elapsed(); got != 3*time.Second {
		t.Errorf("Now after Advance = +%v, want +3s", got)
	}
	if l.Pending() != 1 {
		t.Errorf("Pending() = %d, want 1", l.Pending())
	}
	// AdvanceTo the past only settles; Advance(negative) too.
	l.Post("p", at("p", 3*time.Second))
	if err := l.AdvanceTo(l.Epoch()); err != nil {
		t.Fatal(err)
	}
	if err := l.Advance(-time.Second); err != nil {
		t.Fatal(err)
	}
	if got := l.Elapsed(); got != 3*time.Second {
		t.Errorf("Now after AdvanceTo(past) = +%v, want +3s", got)
	}
	if runs[len(runs)-1].name != "p" {
		t.Errorf("AdvanceTo(past) did not settle the post")
	}
}

func TestAdvanceLivelock(t *testing.T) {
	l := New(Config{MaxEventsPerInstant: 50})
	var spin func()
	spin = func() { l.After(0, "spin", spin) }
	l.After(time.Second, "spin", spin)
	err := l.Advance(time.Minute)
	if !errors.Is(err, ErrBound) {
		t.Fatalf("Advance on a livelock = %v, want ErrBound", err)
	}
	if !strings.Contains(err.Error(), `"spin"`) || !strings.Contains(err.Error(), "+1s") {
		t.Errorf("error %q should name the event and the instant", err)
	}
	if got := l.Elapsed(); got != time.Second {
		t.Errorf("Now = +%v, want the livelocked instant +1s", got)
	}
	// Many events at distinct instants are not a livelock.
	l2 := New(Config{MaxEventsPerInstant: 2})
	for i := range 10 {
		l2.After(time.Duration(i)*time.Millisecond, "tick", func() {})
	}
	if err := l2.Advance(time.Second); err != nil {
		t.Errorf("Advance over 10 instants with a bound of 2 per instant: %v", err)
	}
}

func TestRunUntil(t *testing.T) {
	// A ticker every second counting up; the condition waits for a count.
	newTicker := func() (*Loop, *int) {
		l := New(Config{})
		count := new(int)
		var tick func()
		tick = func() {
			*count++
			l.After(time.Second, "tick", tick)
		}
		l.After(time.Second, "tick", tick)
		return l, count
	}
	tests := []struct {
		name      string
		want      int // count to wait for
		limit     time.Duration
		maxEvents int
		wantOK    bool
		wantErr   bool
		wantNow   time.Duration
	}{
		{name: "already true", want: 0, limit: time.Minute, maxEvents: 10, wantOK: true, wantNow: 0},
		{name: "true after 5 ticks", want: 5, limit: time.Minute, maxEvents: 10, wantOK: true, wantNow: 5 * time.Second},
		{name: "true exactly at the limit", want: 5, limit: 5 * time.Second, maxEvents: 10, wantOK: true, wantNow: 5 * time.Second},
		{name: "limit first", want: 5, limit: 4500 * time.Millisecond, maxEvents: 10, wantOK: false, wantNow: 4500 * time.Millisecond},
		// The bound is hit at the instant of the 4th event, which is due now.
		{name: "event bound first", want: 5, limit: time.Minute, maxEvents: 3, wantErr: true, wantNow: 4 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, count := newTicker()
			ok, err := l.RunUntil(func() bool { return *count >= tc.want }, tc.limit, tc.maxEvents)
			if ok != tc.wantOK || (err != nil) != tc.wantErr {
				t.Fatalf("RunUntil = %v, %v; want %v, error %v", ok, err, tc.wantOK, tc.wantErr)
			}
			if err != nil && (!errors.Is(err, ErrBound) || !strings.Contains(err.Error(), `"tick"`)) {
				t.Errorf("error %q should wrap ErrBound and name the event", err)
			}
			if got := l.Elapsed(); got != tc.wantNow {
				t.Errorf("Now = +%v, want +%v", got, tc.wantNow)
			}
		})
	}
}

func TestRunUntilSeesSettledInstants(t *testing.T) {
	// The condition holds between two events of one instant only; RunUntil
	// must not stop there, because it checks settled instants.
	l := New(Config{})
	flag := false
	l.After(time.Second, "set", func() { flag = true })
	l.After(time.Second, "clear", func() { flag = false })
	ok, err := l.RunUntil(func() bool { return flag }, 10*time.Second, 100)
	if ok || err != nil {
		t.Fatalf("RunUntil = %v, %v; want false, nil", ok, err)
	}
}

func TestRunUntilIdle(t *testing.T) {
	tests := []struct {
		name      string
		delays    []time.Duration
		limit     time.Duration
		maxEvents int
		wantErr   string // substring; "" for success
		wantNow   time.Duration
	}{
		{name: "empty", limit: time.Second, maxEvents: 1, wantNow: 0},
		{name: "drains", delays: []time.Duration{time.Second, time.Minute}, limit: time.Hour, maxEvents: 2, wantNow: time.Minute},
		{name: "time limit", delays: []time.Duration{time.Second, time.Hour}, limit: time.Minute, maxEvents: 10, wantErr: `still busy after 1m0s`, wantNow: time.Minute},
		{name: "event bound", delays: []time.Duration{1, 2, 3}, limit: time.Hour, maxEvents: 2, wantErr: `ran 2 events, the bound`, wantNow: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := New(Config{})
			for _, d := range tc.delays {
				l.After(d, "work", func() {})
			}
			err := l.RunUntilIdle(tc.limit, tc.maxEvents)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
			} else if !errors.Is(err, ErrBound) || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), `"work"`) {
				t.Fatalf("RunUntilIdle = %v, want ErrBound mentioning %q and the event", err, tc.wantErr)
			}
			if got := l.Elapsed(); got != tc.wantNow {
				t.Errorf("Now = +%v, want +%v", got, tc.wantNow)
			}
		})
	}
}

func TestDrivingFromAnEventPanics(t *testing.T) {
	l := New(Config{})
	var got any
	l.Post("bad", func() {
		defer func() { got = recover() }()
		l.Settle(10)
	})
	if err := l.Settle(10); err != nil {
		t.Fatal(err)
	}
	if s, _ := got.(string); !strings.Contains(s, "Settle called while the loop is running") {
		t.Errorf("re-entrant Settle: recovered %v, want a panic naming the misuse", got)
	}
}

func TestPanickingEventLeavesLoopDrivable(t *testing.T) {
	l, r := newRecorder(Config{})
	l.Post("boom", func() { panic("boom") })
	l.Post("after", r.fn("after"))
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the event's panic did not propagate")
			}
		}()
		l.Settle(10)
	}()
	if err := l.Settle(10); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"after@0s"}, r.ran); diff != "" {
		t.Errorf("run order (-want +got):\n%s", diff)
	}
}

func TestFarFutureSaturates(t *testing.T) {
	l := New(Config{})
	if err := l.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	tm := l.After(time.Duration(1<<63-1), "never", func() {})
	if tm.at != 1<<63-1 {
		t.Errorf("at = %d, want saturation at MaxInt64", tm.at)
	}
	if err := l.Advance(time.Duration(1<<63 - 1)); err != nil {
		t.Fatal(err)
	}
}
