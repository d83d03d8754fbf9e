package frameworks

import "fmt"

// A ServiceKeeper is a state machine: events in, calls out. Here a fake
// connection records its calls (package scenarios drives it for real).
func ExampleNewServiceKeeper() {
	c := newFakeConn()
	k := NewServiceKeeper(Options{Tasks: 2})
	k.Start(c)
	k.Event(c, subscribed("fw-1"))
	k.Event(c, offers("S0", "O1", "O2"))
	for _, call := range c.take() {
		fmt.Println(call)
	}
	fmt.Println(k.Snapshot().Goal)
	// Output:
	// RECONCILE []
	// ACCEPT O1 [keeper.0.0] refuse=0
	// ACCEPT O2 [keeper.1.0] refuse=5
	// SUPPRESS
	// 0 of 2 instances running
}

// Reference frameworks by name, as the scenario files and the binary name
// them.
func ExampleReferenceNames() {
	fmt.Println(ReferenceNames())
	fmt.Println(BrokenNames())
	// Output:
	// [batch-runner greedy-hoarder offer-holder service-keeper service-keeper-pa slow-acknowledger]
	// [double-launch-on-reoffer forgets-to-reconcile ignores-unreachable]
}
