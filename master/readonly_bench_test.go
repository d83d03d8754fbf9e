package master_test

import (
	"fmt"
	"io"
	"testing"

	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/sim"
)

// BenchmarkStateEndpoint measures GET /master/state (snapshot on the loop,
// JSON off it) and /metrics/snapshot on 1,000 agents with a running task
// each.
func BenchmarkStateEndpoint(b *testing.B) {
	c := sim.New(b, sim.Seed(1), sim.Agents(1000, "cpus:4;mem:8192"))
	s := subscribeSched(b, c, fwInfo("bench"))
	offers := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()
	for i, o := range offers {
		s.launch(o, commandTask(fmt.Sprintf("t%d", i), "./serve", "cpus:1;mem:128"))
	}
	s.updates(2 * len(offers))
	for _, path := range []string{"/master/state", "/metrics/snapshot"} {
		b.Run(path, func(b *testing.B) {
			client := c.HTTPClient()
			var n int64
			for b.Loop() {
				resp, err := client.Get("http://mesos-sim" + path)
				if err != nil {
					b.Fatal(err)
				}
				n, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}
