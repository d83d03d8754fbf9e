package faults_test

import (
	"fmt"
	"time"

	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// network is a Target with a loop and a network only: enough for network
// faults. (Package sim's Cluster is the real Target.)
type network struct {
	faults.Target // nil: the other methods are not needed here
	l             *loop.Loop
	n             *simnet.Network
}

func (c network) Loop() *loop.Loop         { return c.l }
func (c network) Network() *simnet.Network { return c.n }
func (c network) AgentNames() []string     { return []string{"agent-1"} }

// A schedule partitions agent-1 from the master at 2s and heals it 3s
// later; the agent's pings, one a second, are lost in between.
func Example() {
	l := loop.New(loop.Config{Seed: 1})
	n := simnet.New(l, simnet.Config{})
	n.Register("master", func(m simnet.Message) { fmt.Printf("%v: master got %s\n", l.Elapsed(), m.Kind) })
	n.Register("agent-1", func(simnet.Message) {})
	for i := range 7 {
		l.After(time.Duration(i)*time.Second+500*time.Millisecond, "ping", func() {
			n.Send(simnet.Message{From: "agent-1", To: "master", Kind: "PongSlaveMessage"})
		})
	}

	in := faults.NewInjector(network{l: l, n: n})
	schedule, err := faults.Unmarshal([]byte(`[
		{"at": "2s", "fault": {"kind": "partition", "agent": "agent-1"}},
		{"after": "3s", "fault": {"kind": "heal"}}]`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(schedule)
	if err := in.Install(schedule); err != nil {
		fmt.Println(err)
		return
	}
	_ = l.Advance(time.Minute)
	for _, r := range in.Applied() {
		fmt.Println(r)
	}
	// Output:
	// at 2s: partition agent-1 (both ways)
	// after 3s: heal the network
	// 500ms: master got PongSlaveMessage
	// 1.5s: master got PongSlaveMessage
	// 5.5s: master got PongSlaveMessage
	// 6.5s: master got PongSlaveMessage
	// 2s step 1: partition agent-1 (both ways)
	// 5s step 2: heal the network
}

// A fault's JSON form names its kind beside its fields.
func ExampleParseFault() {
	f, err := faults.ParseFault([]byte(`{"kind":"drop","agent":"agent-2","message":"StatusUpdateMessage","probability":0.5}`))
	fmt.Println(f, err)
	_, err = faults.ParseFault([]byte(`{"kind":"drop","agent":"agent-2","probability":"often"}`))
	fmt.Println(err)
	// Output:
	// drop StatusUpdateMessage between the master and agent-2 with probability 0.5 <nil>
	// drop: probability: want a number, got string
}

// Go code can wait for any condition with a Func; the step fires the first
// time it holds.
func ExampleWhen() {
	l := loop.New(loop.Config{})
	n := simnet.New(l, simnet.Config{})
	in := faults.NewInjector(network{l: l, n: n})
	ready := false
	l.After(7*time.Second, "ready", func() { ready = true })
	err := in.Install(faults.Schedule{
		faults.When(faults.Func{Name: "ready", F: func(faults.Target) bool { return ready }}, faults.Partition{Agent: "agent-1"}),
		faults.After(time.Minute, faults.Heal{}),
	})
	fmt.Println(err)
	_ = l.Advance(time.Hour)
	for _, r := range in.Applied() {
		fmt.Println(r)
	}
	// Output:
	// <nil>
	// 7s step 1: partition agent-1 (both ways)
	// 1m7s step 2: heal the network
}
