package simnet_test

import (
	"fmt"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// A message is delivered at the instant it is sent unless a latency or a
// filter delays it; a partition drops it.
func Example() {
	l := loop.New(loop.Config{Seed: 1})
	net := simnet.New(l, simnet.Config{})
	net.Register("S0", func(m simnet.Message) {
		fmt.Printf("%v: S0 got %s (%v)\n", l.Elapsed(), m.Kind, m.Body)
	})

	net.Send(simnet.Message{From: "master", To: "S0", Kind: "RunTask", Body: "task-1"})
	_ = l.Settle(100)

	slow := net.AddFilter(simnet.Delay(simnet.Match{Kind: "KillTask"}, 3*time.Second))
	net.Send(simnet.Message{From: "master", To: "S0", Kind: "KillTask", Body: "task-1"})
	slow()

	heal := net.AddFilter(simnet.Drop(simnet.Match{From: "S0", Bidirectional: true}))
	net.Send(simnet.Message{From: "master", To: "S0", Kind: "RunTask", Body: "task-2"})
	heal()

	_ = l.Advance(time.Minute)
	fmt.Printf("%+v\n", net.Stats())
	// Output:
	// 0s: S0 got RunTask (task-1)
	// 3s: S0 got KillTask (task-1)
	// {Sent:3 Delivered:2 Dropped:1 Duplicated:0}
}
