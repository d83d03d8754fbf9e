// Package resources implements Mesos resources: the text format agents
// are configured with, and the multiset arithmetic the master, the agents
// and the allocator do on them, with the semantics of Mesos 1.11
// (src/common/resources.cpp, src/common/values.cpp,
// src/common/resource_quantities.cpp).
//
// # Usage
//
//	total, err := resources.Parse("cpus:4;mem:8192;ports:[31000-32000];disk(web):100")
//	task := resources.MustParse("cpus:0.5;mem:512;ports:[31000-31000]")
//	if total.Contains(task) {
//		total = total.Minus(task) // cpus:3.5; mem:7680; ports:[31001-32000]; ...
//	}
//	offer := total.AllocatableTo("web").Allocate("web")
//	wire := offer.ToProto() // []*mesospb.Resource for an Offer
//
// [Resources] is an immutable value; every operation returns a new value,
// so values may be shared and copied freely. [Quantities] and [Limits]
// are Mesos's ResourceQuantities and ResourceLimits (quota guarantees and
// limits, minimum allocatable resources).
//
// # Semantics
//
//   - Identity. Two elements merge when they have the same name, type,
//     allocation role, reservation stack (type, role, principal, labels),
//     disk information (source and persistence ID; the volume is ignored),
//     revocability, sharedness and provider ID — Mesos's `addable`. An
//     element with a different identity is kept apart:
//     "cpus:1;cpus(web):1" has two elements. Persistent volumes, MOUNT and
//     BLOCK disks and RAW disks with an ID never merge, even with an equal
//     element; shared volumes merge by counting copies.
//   - Scalars are fixed point with three decimals ([Scalar]); 0.1+0.2 is
//     exactly 0.3, and a non-zero value below 0.0005 is invalid.
//   - Ranges are kept sorted and coalesced ([1-4, 3-5, 7-8, 8-10] is
//     [1-5, 7-10]); sets have no duplicates and keep insertion order.
//   - Subtraction removes what it can and drops elements that reach zero;
//     it never goes negative. Elements of the subtrahend that match
//     nothing are ignored.
//   - Contains: every element of the argument must fit in one element of
//     the receiver with the same identity (a reserved cpu does not
//     satisfy an unreserved one).
//   - Rendering follows Mesos's logs: "cpus:4; ports:[31000-31005,
//     31010-31010]; disks:{a, b}; disk(reservations: [(STATIC,web)]):100";
//     [Resources.StateJSON] follows /master/state.
//
// # The text format
//
// [Parse] reads "name(role):value" elements separated by ';'. See its
// documentation for the exact rules, which are Mesos's, quirks included:
// there is no syntax for a principal, "(role1,alice)" is a role named
// "role1,alice". [ParseAttributes] reads agent attributes. [AgentResources]
// fills in the resources an agent's --resources leaves out; Mesos probes
// the host for them, the simulator uses Mesos's fallbacks (cpus:1,
// mem:1024, disk:10240, ports:[31000-32000]).
//
// # Differences from Mesos
//
//   - The JSON-array form of --resources is not supported yet
//     ([ErrJSONUnsupported]).
//   - [Resources.ShrinkTo] visits elements in order where Mesos shuffles
//     them, so the choice between divisible and indivisible disks is
//     deterministic.
//   - Removing an element keeps the order of the others (Mesos swaps in
//     the last element); only [Resources.String] can tell.
//   - A shared resource with n copies becomes n wire elements in
//     [Resources.ToProto] (Mesos emits one and loses the count).
//   - Infinite scalars are rejected; sets compare as sets (Mesos's
//     Value::Set equality is order-sensitive by accident); labels compare
//     as multisets.
//   - Attributes with a SET value make Mesos abort; [ParseAttributes]
//     returns an error.
package resources
