// Command mesos-sim runs a simulated Apache Mesos cluster on your machine,
// for frameworks written in any language: a master on 127.0.0.1:5050 that
// serves the Mesos v1 scheduler API (JSON or protobuf) exactly as Mesos
// does, agents, executors and tasks simulated behind it, a virtual clock,
// and faults on demand. It starts in milliseconds and leaves nothing
// behind.
//
// # Usage
//
//	mesos-sim [flags]                  start a cluster (Ctrl-C stops it)
//	mesos-sim init [FILE]              write a commented cluster file
//	mesos-sim ps | info | agents | frameworks | state | trace
//	mesos-sim fault partition agent-2  inject a fault
//	mesos-sim advance 90s              move a manual clock
//
// Run "mesos-sim help" for the flags and "mesos-sim help COMMAND" for a
// command. The running simulator also answers a JSON control API under
// /sim/v1/ (see package control); the Mesos paths are Mesos's own.
package main
