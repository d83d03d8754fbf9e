package clusterfile_test

import (
	"fmt"

	"github.com/mesos-sim/mesos-sim/clusterfile"
	"github.com/mesos-sim/mesos-sim/sim"
)

func ExampleParse() {
	f, err := clusterfile.Parse("cluster.json", []byte(`{
  // one big agent and two small ones
  "seed": 7,
  "clock": {"mode": "manual"},
  "agents": [
    {"count": 1, "resources": "cpus:32;mem:131072"},
    {"count": 2, "resources": "cpus:2;mem:4096"}
  ],
  "weights": {"web": 2}
}`))
	if err != nil {
		panic(err)
	}
	opts, err := f.Options()
	if err != nil {
		panic(err)
	}
	c, err := sim.NewCluster(opts...)
	if err != nil {
		panic(err)
	}
	defer c.Close()
	fmt.Println(f.AgentCount(), "agents, seed", c.Seed(), f.ClockMode(), "clock")
	// Output: 3 agents, seed 7 manual clock
}

// Errors say where they are.
func ExampleParse_error() {
	_, err := clusterfile.Parse("cluster.json", []byte(`{
  "agents": [
    {"count": 3, "resources": "cpus:4;mem:lots"}
  ],
  "clock": {"mode": "fast"}
}`))
	fmt.Println(err)
	// Output:
	// cluster.json:3:31: agents[0].resources: bad resource text "cpus:4;mem:lots": Bad type for resource mem value lots type TEXT
	// cluster.json:5:21: clock.mode: want "real" or "manual", got "fast"
}
