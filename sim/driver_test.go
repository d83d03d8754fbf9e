package sim

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/loop"
)

// newDriver returns a manual driver over a fresh loop, closed at the end of
// the test.
func newDriver(t *testing.T, cfg DriverConfig, lcfg loop.Config) (*Driver, *loop.Loop) {
	t.Helper()
	l := loop.New(lcfg)
	d := NewDriver(l, cfg)
	t.Cleanup(func() { d.Close() })
	return d, l
}

func mustDo(t *testing.T, d *Driver, fn func()) {
	t.Helper()
	if err := d.Do(fn); err != nil {
		t.Fatal(err)
	}
}

func TestDoSettlesBeforeReturning(t *testing.T) {
	d, l := newDriver(t, DriverConfig{}, loop.Config{})
	var ran []string
	mustDo(t, d, func() {
		ran = append(ran, "input")
		l.Post("followup", func() {
			ran = append(ran, "followup")
			l.After(0, "zero-timer", func() { ran = append(ran, "zero-timer") })
		})
		l.After(time.Second, "later", func() { ran = append(ran, "later") })
	})
	var got []string
	var now time.Duration
	mustDo(t, d, func() { got, now = append([]string(nil), ran...), l.Elapsed() })
	if diff := cmp.Diff([]string{"input", "followup", "zero-timer"}, got); diff != "" {
		t.Errorf("ran after Do (-want +got):\n%s", diff)
	}
	if now != 0 {
		t.Errorf("Do moved virtual time to +%v", now)
	}
}

func TestDoRunsInputsInArrivalOrder(t *testing.T) {
	d, _ := newDriver(t, DriverConfig{}, loop.Config{})
	var order []int
	for i := range 100 {
		mustDo(t, d, func() { order = append(order, i) })
	}
	var got []int
	mustDo(t, d, func() { got = append([]int(nil), order...) })
	for i, v := range got {
		if v != i {
			t.Fatalf("input %d ran as number %d", v, i)
		}
	}
}

// TestConcurrentCallers hammers one driver from many goroutines; run it with
// -race. Every input runs exactly once, on the loop goroutine.
func TestConcurrentCallers(t *testing.T) {
	d, l := newDriver(t, DriverConfig{}, loop.Config{})
	const callers, calls = 8, 200
	count := 0
	var wg sync.WaitGroup
	for range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				if err := d.Do(func() {
					count++
					l.After(time.Millisecond, "tick", func() { count++ })
				}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			if err := d.Advance(time.Millisecond); err != nil {
				t.Error(err)
				return
			}
			d.Now()
		}
	}()
	wg.Wait()
	if err := d.RunUntilIdle(time.Second); err != nil {
		t.Fatal(err)
	}
	var got int
	mustDo(t, d, func() { got = count })
	if got != 2*callers*calls {
		t.Errorf("count = %d, want %d", got, 2*callers*calls)
	}
}

func TestManualTime(t *testing.T) {
	ring := loop.NewRingSink(100)
	d, l := newDriver(t, DriverConfig{}, loop.Config{Trace: ring})
	epoch := l.Epoch()
	var fired []time.Duration
	mustDo(t, d, func() {
		for _, s := range []int{1, 2, 30} {
			l.After(time.Duration(s)*time.Second, "timer", func() { fired = append(fired, l.Elapsed()) })
		}
	})
	// Nothing moves virtual time but the driver's methods.
	if got := d.Now(); !got.Equal(epoch) {
		t.Fatalf("Now() = %v, want the epoch", got)
	}
	if err := d.Advance(time.Second); err != nil {
		t.Fatal(err)
	}
	if err := d.AdvanceTo(epoch.Add(1500 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if got := d.Now(); !got.Equal(epoch.Add(1500 * time.Millisecond)) {
		t.Fatalf("Now() = %v, want epoch+1.5s", got)
	}
	ok, err := d.RunUntil(func() bool { return len(fired) == 2 }, time.Minute)
	if !ok || err != nil {
		t.Fatalf("RunUntil = %v, %v", ok, err)
	}
	if got := d.Now(); !got.Equal(epoch.Add(2 * time.Second)) {
		t.Fatalf("Now() after RunUntil = %v, want epoch+2s", got)
	}
	if err := d.RunUntilIdle(time.Minute); err != nil {
		t.Fatal(err)
	}
	var got []time.Duration
	mustDo(t, d, func() { got = append(got, fired...) })
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second, 30 * time.Second}, got); diff != "" {
		t.Errorf("timers fired at (-want +got):\n%s", diff)
	}
	trace := ring.String()
	for _, want := range []string{"driver    advance 1s", "driver    advance to +1.5s", "driver    run until (limit 1m0s)", "driver    run until idle (limit 1m0s)", "loop      driver.do"} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
}

func TestBounds(t *testing.T) {
	d, l := newDriver(t, DriverConfig{MaxEvents: 100}, loop.Config{})
	// A burst of 150 events at one instant: the first Do hits the bound,
	// which is not fatal; the next Do settles the rest.
	left := 150
	var spin func()
	spin = func() {
		if left--; left > 0 {
			l.Post("spin", spin)
		}
	}
	if err := d.Do(spin); !errors.Is(err, loop.ErrBound) || !strings.Contains(err.Error(), `"spin"`) {
		t.Fatalf("Do(livelock) = %v, want ErrBound naming the event", err)
	}
	mustDo(t, d, func() {})
	var remaining int
	mustDo(t, d, func() { remaining = left })
	if remaining != 0 {
		t.Errorf("%d events left after the second Do", remaining)
	}

	mustDo(t, d, func() {
		var tick func()
		tick = func() { l.After(time.Second, "tick", tick) }
		tick()
	})
	if err := d.RunUntilIdle(time.Hour); !errors.Is(err, loop.ErrBound) {
		t.Errorf("RunUntilIdle on a ticker = %v, want ErrBound", err)
	}
	ok, err := d.RunUntil(func() bool { return false }, 1000*time.Hour)
	if ok || !errors.Is(err, loop.ErrBound) {
		t.Errorf("RunUntil(false) = %v, %v; want the event bound", ok, err)
	}
	if d.Err() != nil {
		t.Errorf("bound errors made the driver fail: %v", d.Err())
	}
}

func TestPanicStopsTheDriver(t *testing.T) {
	d, l := newDriver(t, DriverConfig{}, loop.Config{})
	err := d.Do(func() { l.Post("bad.event", func() { panic("boom") }) })
	var perr *PanicError
	if !errors.As(err, &perr) || perr.Value != "boom" || perr.Event != "bad.event" || len(perr.Stack) == 0 {
		t.Fatalf("Do(panic) = %v, want a *PanicError for bad.event", err)
	}
	if err := d.Do(func() {}); !errors.As(err, &perr) {
		t.Errorf("Do after a panic = %v, want the panic", err)
	}
	if err := d.Advance(time.Second); !errors.As(err, &perr) {
		t.Errorf("Advance after a panic = %v, want the panic", err)
	}
	if !errors.As(d.Err(), &perr) {
		t.Errorf("Err() = %v, want the panic", d.Err())
	}
	if err := d.Close(); !errors.As(err, &perr) {
		t.Errorf("Close() = %v, want the panic", err)
	}
}

func TestClose(t *testing.T) {
	d, l := newDriver(t, DriverConfig{}, loop.Config{})
	if err := d.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close() = %v", err)
	}
	if err := d.Do(func() {}); !errors.Is(err, ErrClosed) {
		t.Errorf("Do after Close = %v, want ErrClosed", err)
	}
	if err := d.Advance(time.Second); !errors.Is(err, ErrClosed) {
		t.Errorf("Advance after Close = %v, want ErrClosed", err)
	}
	if _, err := d.RunUntil(func() bool { return true }, time.Second); !errors.Is(err, ErrClosed) {
		t.Errorf("RunUntil after Close = %v, want ErrClosed", err)
	}
	if got, want := d.Now(), l.Epoch().Add(time.Minute); !got.Equal(want) {
		t.Errorf("Now() after Close = %v, want %v", got, want)
	}
	if got, want := d.FrameworkClock().Now(), l.Epoch().Add(time.Minute); !got.Equal(want) {
		t.Errorf("FrameworkClock().Now() after Close = %v, want %v", got, want)
	}
}

// TestCloseReleasesBlockedCallers closes the driver while callers are
// queued; each gets an answer, ErrClosed or its result, and none hangs.
func TestCloseReleasesBlockedCallers(t *testing.T) {
	d, _ := newDriver(t, DriverConfig{}, loop.Config{})
	release := make(chan struct{})
	started := make(chan struct{})
	go d.Do(func() { close(started); <-release }) // holds the loop goroutine
	<-started
	errs := make(chan error, 10)
	for range 10 {
		go func() { errs <- d.Do(func() {}) }()
	}
	closed := make(chan error)
	go func() { closed <- d.Close() }()
	close(release)
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if err := <-errs; err != nil && !errors.Is(err, ErrClosed) {
			t.Errorf("queued Do = %v, want nil or ErrClosed", err)
		}
	}
}

func TestRealtimeOnlyMethods(t *testing.T) {
	d, _ := newDriver(t, DriverConfig{Realtime: true, Clock: newFakeClock()}, loop.Config{})
	if _, err := d.RunUntil(func() bool { return true }, time.Second); !errors.Is(err, ErrRealtime) {
		t.Errorf("RunUntil in realtime mode = %v, want ErrRealtime", err)
	}
	if err := d.RunUntilIdle(time.Second); !errors.Is(err, ErrRealtime) {
		t.Errorf("RunUntilIdle in realtime mode = %v, want ErrRealtime", err)
	}
}
