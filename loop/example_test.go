package loop_test

import (
	"fmt"
	"os"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
)

// Timers fire in virtual time as Advance moves the clock; events due at the
// same instant run in the order they were scheduled.
func Example() {
	l := loop.New(loop.Config{Seed: 1})
	l.After(2*time.Second, "ping", func() { fmt.Println("ping at", l.Elapsed()) })
	l.After(time.Second, "tick", func() { fmt.Println("tick at", l.Elapsed()) })
	l.Post("hello", func() { fmt.Println("hello at", l.Elapsed()) })
	_ = l.Advance(5 * time.Second)
	fmt.Println("now", l.Elapsed(), "pending", l.Pending())
	// Output:
	// hello at 0s
	// tick at 1s
	// ping at 2s
	// now 5s pending 0
}

// Every event and every Tracef line becomes one trace line with its virtual
// time; the same seed and inputs give the same bytes.
func ExampleLoop_Tracef() {
	l := loop.New(loop.Config{Seed: 7, Trace: loop.NewWriterSink(os.Stdout)})
	l.After(1500*time.Millisecond, "master.allocate", func() {
		l.Tracef("allocator", "offer to framework %d", l.Rand("allocator").IntN(3))
	})
	_ = l.Advance(2 * time.Second)
	// Output:
	//      1.500000s loop      master.allocate
	//      1.500000s allocator offer to framework 0
}

// A livelock — two components answering each other forever at the same
// instant — is reported by the bound instead of hanging.
func ExampleLoop_Settle() {
	l := loop.New(loop.Config{})
	var ping func()
	ping = func() { l.Post("ping", ping) }
	l.Post("ping", ping)
	err := l.Settle(100)
	fmt.Println(err)
	// Output:
	// loop: Settle: ran 100 events, the bound, at +0s and more are due now (last ran "ping"; due now: "ping"): loop: bound hit
}

// IDs have the shapes the Mesos master gives them, derived from the seed.
func ExampleIDs() {
	ids := loop.NewIDs("4f0a6c5e-2d53-4d0e-9c38-1b7e2f5a9d10")
	fmt.Println(ids.NextFramework())
	fmt.Println(ids.NextAgent())
	fmt.Println(ids.NextOffer())
	// Output:
	// 4f0a6c5e-2d53-4d0e-9c38-1b7e2f5a9d10-0000
	// 4f0a6c5e-2d53-4d0e-9c38-1b7e2f5a9d10-S0
	// 4f0a6c5e-2d53-4d0e-9c38-1b7e2f5a9d10-O0
}
