package sim

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
)

// TestCloseLeavesNoGoroutine runs drivers in synctest bubbles: synctest.Test
// fails if any goroutine started in the bubble is still alive (blocked) when
// the test function returns, so passing proves Close leaves nothing behind.
func TestCloseLeavesNoGoroutine(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  DriverConfig
	}{
		{"manual", DriverConfig{}},
		{"realtime", DriverConfig{Realtime: true, Speed: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				l := loop.New(loop.Config{})
				d := NewDriver(l, tc.cfg)
				mustDo(t, d, func() { l.After(time.Hour, "pending", func() {}) })
				if tc.cfg.Realtime {
					time.Sleep(time.Second)
				} else if err := d.Advance(time.Minute); err != nil {
					t.Fatal(err)
				}
				d.FrameworkClock()
				if err := d.Close(); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}
