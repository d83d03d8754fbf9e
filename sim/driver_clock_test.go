package sim

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
)

func TestFrameworkClockFollowsVirtualTime(t *testing.T) {
	d, l := newDriver(t, DriverConfig{}, loop.Config{})
	if err := d.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	m := d.FrameworkClock()
	if m != d.FrameworkClock() {
		t.Fatal("FrameworkClock returned two clocks")
	}
	if got, want := m.Now(), l.Epoch().Add(time.Hour); !got.Equal(want) {
		t.Fatalf("mock Now() = %v, want %v", got, want)
	}
	timer := m.Timer(5 * time.Second)
	if err := d.Advance(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	select {
	case <-timer.C:
		t.Fatal("framework timer fired early")
	default:
	}
	if err := d.Advance(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	// Mock.Set sends on a Timer's channel before it returns, and the driver
	// calls Set before Advance returns.
	select {
	case at := <-timer.C:
		if want := l.Epoch().Add(time.Hour + 5*time.Second); !at.Equal(want) {
			t.Errorf("timer fired with %v, want %v", at, want)
		}
	default:
		t.Fatal("framework timer did not fire by the end of Advance")
	}
	if got, want := m.Now(), l.Epoch().Add(time.Hour+5*time.Second); !got.Equal(want) {
		t.Errorf("mock Now() = %v, want %v", got, want)
	}
}

// TestFrameworkClockCallbacks shows a framework timer feeding an input back
// into the loop. AfterFunc callbacks run on goroutines of their own, so the
// test waits for them with synctest.Wait.
func TestFrameworkClockCallbacks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := loop.New(loop.Config{})
		d := NewDriver(l, DriverConfig{})
		defer d.Close()
		var got []time.Duration
		m := d.FrameworkClock()
		m.AfterFunc(10*time.Second, func() {
			d.Do(func() { got = append(got, l.Elapsed()) })
		})
		if err := d.Advance(15 * time.Second); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		var seen []time.Duration
		mustDo(t, d, func() { seen = append(seen, got...) })
		// The input arrives after the Advance: at +15s, not the timer's +10s.
		if len(seen) != 1 || seen[0] != 15*time.Second {
			t.Errorf("callback input ran at %v, want [15s]", seen)
		}
	})
}
