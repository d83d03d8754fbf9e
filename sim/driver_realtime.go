package sim

import (
	"math"
	"time"

	"github.com/benbjohnson/clock"
	"github.com/mesos-sim/mesos-sim/loop"
)

// realtime maps wall-clock time to virtual time:
//
//	virtual = virtBase + (wall - wallBase) × speed
//
// virtBase starts at the loop's elapsed time when the driver starts, and a
// jump (Advance in realtime mode) adds to it. Only the loop goroutine uses
// it.
type realtime struct {
	clock    WallClock
	speed    float64
	wallBase time.Time
	virtBase time.Duration
}

func newRealtime(l *loop.Loop, cfg DriverConfig) *realtime {
	r := &realtime{clock: cfg.Clock, speed: cfg.Speed, virtBase: l.Elapsed()}
	if r.clock == nil {
		r.clock = clock.New()
	}
	if r.speed <= 0 || math.IsNaN(r.speed) || math.IsInf(r.speed, 0) {
		r.speed = 1
	}
	r.wallBase = r.clock.Now()
	return r
}

// virtual returns the virtual time since the epoch that the wall clock
// stands for now. A wall clock that goes backwards counts as standing
// still.
func (r *realtime) virtual() time.Duration {
	wall := r.clock.Now().Sub(r.wallBase)
	if wall <= 0 {
		return r.virtBase
	}
	if r.speed == 1 {
		return r.virtBase + wall
	}
	return r.virtBase + time.Duration(float64(wall)*r.speed)
}

// jump moves virtual time d ahead of the wall clock's mapping.
func (r *realtime) jump(d time.Duration) {
	if d > 0 {
		r.virtBase += d
	}
}

// wakeFor returns a channel that fires when the wall clock reaches the due
// time of l's next event, or nil if nothing is queued. The wait is rounded
// up, so that on waking the event is due; if rounding still leaves it a
// nanosecond short, the next wait is a nanosecond.
func (r *realtime) wakeFor(l *loop.Loop) <-chan time.Time {
	next, ok := l.NextAt()
	if !ok {
		return nil
	}
	ahead := next.Sub(l.Epoch()) - r.virtual()
	if ahead <= 0 {
		return r.clock.After(0)
	}
	wait := ahead
	if r.speed != 1 {
		wait = time.Duration(math.Ceil(float64(ahead) / r.speed))
	}
	return r.clock.After(wait)
}

// catchUp runs the loop up to the virtual time the wall clock stands for.
// A failure here has no caller to go to, so it stops the driver (see Err).
func (d *Driver) catchUp() error {
	target := d.loop.Epoch().Add(d.rt.virtual())
	if !target.After(d.loop.Now()) {
		return nil
	}
	err := d.protect("", func() error { return d.loop.AdvanceTo(target) })
	if err != nil {
		d.fail(err)
	}
	d.afterCall()
	return err
}
