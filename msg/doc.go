// Package msg defines the messages that the simulated master and agents
// exchange over the simulated network (package simnet). They are Go values,
// never serialised, modelled on the internal protobuf messages a real Mesos
// master and agent exchange (src/messages/messages.proto): the same names,
// the same content, the same order of events. Each type's Kind is the name
// used in simnet.Message.Kind, in the trace and by fault matchers.
//
// Endpoint names on the network are "master" for the leading master and the
// agent's id (once registered; its hostname before that) for an agent; see
// [MasterEndpoint] and [AgentEndpoint].
//
// # Usage
//
//	net.Send(msg.Envelope(from, to, &msg.RunTask{...}))
//
// Bodies are shared by reference (a duplicated message delivers the same
// value twice): receivers must not modify them, and senders must not reuse
// them after sending.
package msg
