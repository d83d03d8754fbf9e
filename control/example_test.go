package control_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/mesos-sim/mesos-sim/control"
	"github.com/mesos-sim/mesos-sim/sim"
)

// The control API beside the Mesos API of one cluster, driven with its
// client.
func ExampleNewServer() {
	c, err := sim.NewCluster(sim.Agents(2, "cpus:4;mem:8192"), sim.Seed(1))
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ts := httptest.NewUnstartedServer(nil)
	mux := http.NewServeMux()
	mux.Handle("/", c.Handler()) // the Mesos paths, as Mesos serves them
	mux.Handle(control.Prefix, control.NewServer(c, control.Options{BaseURL: "http://" + ts.Listener.Addr().String()}))
	ts.Config.Handler = mux
	ts.Start()
	defer ts.Close()

	ctx := context.Background()
	cl := control.NewClient(ts.URL)
	a, _ := cl.AddAgent(ctx, control.AddAgentRequest{Resources: "cpus:16;mem:65536"})
	fmt.Println("added", a.Name, a.Resources)
	ci, _ := cl.Advance(ctx, 90e9)
	fmt.Println("virtual time +" + ci.Elapsed)
	info, _ := cl.Cluster(ctx)
	for _, a := range info.Agents {
		fmt.Println(a.Name, a.Registered)
	}
	// Output:
	// added agent-3 cpus:16;mem:65536;disk:10240;ports:[31000-32000]
	// virtual time +1m30s
	// agent-1 true
	// agent-2 true
	// agent-3 true
}
