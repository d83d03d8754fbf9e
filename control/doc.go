// Package control is the mesos-sim binary's control API: JSON over HTTP
// under /sim/v1/, beside (never inside) the Mesos paths the simulated
// master serves, for what a real cluster has no API for — adding and
// removing agents, injecting faults, moving a manual clock, reading the
// simulator's trace — and a small [Client] for it, which the binary's
// command-line subcommands use.
//
// # Endpoints
//
//	GET    /sim/v1/cluster          seed, virtual time, clock, master id, agents, frameworks, tasks
//	GET    /sim/v1/agents           the agents
//	POST   /sim/v1/agents           add an agent: {"resources", "attributes", "region", "zone"}
//	GET    /sim/v1/agents/{name}    one agent
//	DELETE /sim/v1/agents/{name}    remove an agent for good (it crashes and never comes back)
//	POST   /sim/v1/faults           inject one fault (an object) or install a schedule (an array)
//	POST   /sim/v1/clock/advance    {"duration": "90s"}: move a manual clock
//	GET    /sim/v1/trace            the last trace lines, as text
//
// Every answer but the trace is JSON; every error is {"error": "..."} with
// the status saying what kind: 400 a body that does not parse, 404 an
// unknown path or agent, 405 a wrong method (with Allow), 409 a request
// the cluster's state refuses (advancing a real-time clock), 413 a body
// over [DefaultMaxBodyBytes], 503 a cluster that stopped. A panic while
// serving is answered 500 and logged; the server goes on.
//
// # Usage
//
//	c, _ := sim.NewCluster(sim.Agents(3, ""))
//	mux := http.NewServeMux()
//	mux.Handle("/", c.Handler())
//	mux.Handle(control.Prefix, control.NewServer(c, control.Options{BaseURL: "http://127.0.0.1:5050"}))
//
//	cl := control.NewClient("http://127.0.0.1:5050")
//	info, err := cl.Cluster(ctx)
package control
