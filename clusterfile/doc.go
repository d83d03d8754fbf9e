// Package clusterfile reads the cluster file of the mesos-sim binary: one
// JSON object, with // comments, that declares the simulated cluster —
// agents, roles, weights and quota, task behaviours, the seed, the clock,
// the master's flags and a fault schedule — and turns it into sim options.
//
// # Usage
//
//	f, err := clusterfile.Load("cluster.json") // or Parse(name, data)
//	if err != nil {
//		log.Fatal(err) // cluster.json:12:18: agents[0].resources: ...
//	}
//	opts, err := f.Options()
//	c, err := sim.NewCluster(opts...)
//
// [Template] is the commented file `mesos-sim init` writes; it parses to
// [Default].
//
// # Format
//
// The file is JSON with comments: "//" outside a string starts a comment
// that runs to the end of the line. Decoding is strict: a field the format
// does not know, a field given twice, a value of the wrong JSON type and
// null where no null is allowed are errors. Every error names its place as
// FILE:LINE:COL (1-based; columns count bytes), then the field's path and
// the reason:
//
//	cluster.json:9:20: agents[0].resources: bad resource text "cpus:x": ...
//
// Durations are Go duration strings ("1s", "1m30s"); resources, attributes,
// quota guarantees and limits are Mesos's text forms; task behaviours use
// the grammar of package agent's "mesos-sim.behavior" label.
package clusterfile
