package master_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/sim"
)

// BenchmarkOperatorGetState measures GET_STATE of a 1,000-agent cluster
// through the in-memory client: building the answer on the loop and
// encoding it off the loop.
func BenchmarkOperatorGetState(b *testing.B) {
	c, err := sim.NewCluster(sim.Agents(1000, "cpus:4;mem:8192;ports:[31000-32000]"), sim.Seed(1))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	client := c.HTTPClient()
	for _, mt := range []mediatype.Type{mediatype.Protobuf, mediatype.JSON} {
		body, err := mediatype.Encode(mt, &masterpb.Call{Type: masterpb.Call_GET_STATE.Enum()})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(mt.String(), func(b *testing.B) {
			b.ReportAllocs()
			var n int64
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPost, "http://mesos-sim/api/v1", bytes.NewReader(body))
				req.Header.Set("Content-Type", mt.String())
				req.Header.Set("Accept", mt.String())
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("GET_STATE: %d", resp.StatusCode)
				}
			}
			b.ReportMetric(float64(n), "bytes")
		})
	}
}
