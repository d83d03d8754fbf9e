package sim_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/sim"
)

// A framework test starts a cluster, points the framework's HTTP client at
// it, and moves virtual time as the test needs.
func ExampleNewCluster() {
	c, err := sim.NewCluster(sim.Agents(3, "cpus:4;mem:8192;ports:[31000-32000]"), sim.Seed(7))
	if err != nil {
		panic(err)
	}
	defer c.Close()

	// Any scheduler client will do; here, a bare SUBSCRIBE in JSON.
	body := `{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"me","name":"example"}}}`
	resp, err := c.HTTPClient().Post("http://mesos-sim/api/v1/scheduler", "application/json", strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	resp.Body.Close()

	c.Advance(90 * time.Second) // timers run on virtual time, instantly
	fmt.Println(len(c.AgentsInfo()), "agents;", c.Elapsed(), "of virtual time")

	// A malformed call gets Mesos's answer.
	resp, _ = c.HTTPClient().Post("http://mesos-sim/api/v1/scheduler", "application/json", strings.NewReader(`{"type":1}`))
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, http.StatusText(resp.StatusCode)+":", string(msg))
	// Output:
	// 200 application/json
	// 3 agents; 1m30s of virtual time
	// 400 Bad Request: Failed to convert JSON into Call protobuf: Not expecting a JSON number for field 'type'
}
