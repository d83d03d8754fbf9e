package sim

import (
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
)

// fakeClock is a WallClock that moves only when the test calls Add.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	armed   chan struct{} // one value per After with a future deadline
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), armed: make(chan struct{}, 1000)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	c.armed <- struct{}{}
	return ch
}

// waitArmed blocks until the driver has armed a wall timer since the last
// call: moving the clock before that would race with the driver computing
// the timer's deadline from Now.
func (c *fakeClock) waitArmed(t *testing.T) {
	t.Helper()
	select {
	case <-c.armed:
	case <-time.After(10 * time.Second):
		t.Fatal("the driver armed no wall timer within 10 s")
	}
}

// Add moves the clock and fires the waiters that are due.
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.waiters = slices.DeleteFunc(c.waiters, func(w fakeWaiter) bool {
		if w.at.After(c.now) {
			return false
		}
		w.ch <- c.now
		return true
	})
}

func TestRealtimeFollowsTheWallClock(t *testing.T) {
	wall := newFakeClock()
	d, l := newDriver(t, DriverConfig{Realtime: true, Speed: 10, Clock: wall}, loop.Config{})
	epoch := l.Epoch()
	fired := make(chan time.Duration, 1)
	mustDo(t, d, func() {
		l.After(5*time.Second, "timeout", func() { fired <- l.Elapsed() })
	})

	wall.waitArmed(t)
	wall.Add(400 * time.Millisecond) // 4 s of virtual time at speed 10
	if got := d.Now(); !got.Equal(epoch.Add(4 * time.Second)) {
		t.Fatalf("Now() = %v, want epoch+4s", got)
	}
	select {
	case at := <-fired:
		t.Fatalf("timer fired at +%v, before its time", at)
	default:
	}

	// The loop wakes by itself when the wall clock reaches the timer: no
	// input is needed. Bound the wall-clock wait generously; assert no timing.
	wall.Add(100 * time.Millisecond)
	select {
	case at := <-fired:
		if at != 5*time.Second {
			t.Errorf("timer fired at +%v, want +5s", at)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the timer did not fire within 10 s of wall time")
	}

	// Advance in realtime mode jumps ahead of the wall clock.
	if err := d.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if got := d.Now(); !got.Equal(epoch.Add(time.Minute + 5*time.Second)) {
		t.Fatalf("Now() after a jump = %v, want epoch+1m5s", got)
	}
	if err := d.AdvanceTo(epoch.Add(2 * time.Minute)); err != nil {
		t.Fatal(err)
	}
	wall.Add(time.Second)
	if got := d.Now(); !got.Equal(epoch.Add(2*time.Minute + 10*time.Second)) {
		t.Fatalf("Now() = %v, want epoch+2m10s", got)
	}
}

// TestRealtimeWithTheRealClock runs the default wall clock, clock.New(),
// inside a synctest bubble, where time is fake: the run is exact and takes
// no real time.
func TestRealtimeWithTheRealClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := loop.New(loop.Config{})
		d := NewDriver(l, DriverConfig{Realtime: true, Speed: 2})
		defer d.Close()
		var fired []time.Duration
		mustDo(t, d, func() {
			var tick func()
			tick = func() {
				fired = append(fired, l.Elapsed())
				l.After(4*time.Second, "tick", tick)
			}
			l.After(4*time.Second, "tick", tick)
		})
		time.Sleep(5 * time.Second) // 10 s of virtual time
		synctest.Wait()
		var got []time.Duration
		var now time.Duration
		mustDo(t, d, func() { got, now = append(got, fired...), l.Elapsed() })
		if want := []time.Duration{4 * time.Second, 8 * time.Second}; !slices.Equal(got, want) {
			t.Errorf("ticks at %v, want %v", got, want)
		}
		if now != 10*time.Second {
			t.Errorf("Now = +%v, want +10s", now)
		}
	})
}
