package sim_test

import (
	"testing"
	"testing/synctest"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/sim"
)

// Inside a synctest bubble, with sim.SyncTest and c.HTTPClient, the
// cluster's virtual time is the bubble's fake time: a framework that just
// waits (here: the test reading its stream) sees the heartbeats of 15 s
// and 30 s arrive without anyone calling Advance and without real waiting.
func TestSyncTestBubbleAdvancesByItself(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := sim.New(t, sim.Agents(1, ""), sim.SyncTest())
		start := time.Now()
		s := subscribe(t, c.HTTPClient(), "http://mesos-sim", mediatype.Protobuf)
		defer s.body.Close()
		s.next(schedulerpb.Event_OFFERS)
		for _, want := range []time.Duration{15 * time.Second, 30 * time.Second} {
			s.next(schedulerpb.Event_HEARTBEAT)
			if got := time.Since(start); got != want {
				t.Errorf("heartbeat at bubble time %v, want %v", got, want)
			}
			if got := c.Elapsed(); got != want {
				t.Errorf("heartbeat at cluster time %v, want %v", got, want)
			}
		}
	})
}
