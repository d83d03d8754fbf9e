package master_test

import (
	"fmt"
	"net/http/httptest"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/sim"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// The handler serves the read-only endpoints next to the scheduler API;
// ?jsonp= wraps the JSON as Mesos does.
func ExampleHandler_readOnly() {
	l := loop.New(loop.Config{Seed: 1})
	m := master.New(l, simnet.New(l, simnet.Config{}), allocator.New(allocator.DefaultOptions()), master.Config{})
	d := sim.NewDriver(l, sim.DriverConfig{})
	defer d.Close()
	h := master.NewHandler(m, d)

	for _, path := range []string{"/version", "/master/flags?jsonp=show", "/master/health", "/state.json"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Body.Len() == 0 {
			fmt.Println(rec.Code, "(no body)")
			continue
		}
		fmt.Println(rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
	// Output:
	// 200 application/json {"build_date":"2020-11-24 19:43:00","build_time":1606246980.0,"build_user":"mesos-sim","version":"1.11.0"}
	// 200 text/javascript show({"flags":{"agent_ping_timeout":"15secs","agent_reregister_timeout":"10mins","allocation_interval":"1secs","authenticate_agents":"false","authenticate_frameworks":"false","authenticate_http_frameworks":"false","authenticate_http_readonly":"false","authenticate_http_readwrite":"false","hostname":"localhost","ip":"127.0.0.1","max_agent_ping_timeouts":"5","max_completed_frameworks":"50","max_completed_tasks_per_framework":"1000","max_unreachable_tasks_per_framework":"1000","port":"5050","registry":"in_memory"}})
	// 200 (no body)
	// 404 (no body)
}
