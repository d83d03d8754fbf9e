package master_test

import (
	"fmt"
	"io"
	"strings"

	"github.com/mesos-sim/mesos-sim/sim"
)

// An operator talks to the v1 operator API at /api/v1 (or
// /master/api/v1) in JSON or protobuf, exactly as to a Mesos master.
func Example_operatorAPI() {
	c, err := sim.NewCluster(sim.Agents(1, "cpus:2;mem:1024"), sim.Seed(1))
	if err != nil {
		panic(err)
	}
	defer c.Close()
	post := func(body string) {
		resp, err := c.HTTPClient().Post("http://mesos-sim/api/v1", "application/json", strings.NewReader(body))
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%d %q %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)))
	}
	post(`{"type":"GET_HEALTH"}`)
	post(`{"type":"UPDATE_WEIGHTS","update_weights":{"weight_infos":[{"role":"web","weight":2.5}]}}`)
	post(`{"type":"GET_WEIGHTS"}`)
	post(`{"type":"TEARDOWN","teardown":{"framework_id":{"value":"nope"}}}`)
	// Output:
	// 200 "application/json" {"type":"GET_HEALTH","get_health":{"healthy":true}}
	// 200 ""
	// 200 "application/json" {"type":"GET_WEIGHTS","get_weights":{"weight_infos":[{"weight":2.5,"role":"web"}]}}
	// 400 "text/plain; charset=utf-8" No framework found with specified ID
}
