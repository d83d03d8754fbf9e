package agent

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// TestDeterministicTrace: the same seed and inputs give the same trace,
// byte for byte, including registration backoff and status update uuids.
func TestDeterministicTrace(t *testing.T) {
	run := func() string {
		sink := loop.NewRingSink(100_000)
		l := loop.New(loop.Config{Seed: 42, Trace: sink})
		net := simnet.New(l, simnet.Config{})
		m := &fakeMaster{l: l, net: net, noReg: true, autoAck: true}
		net.Register(msg.MasterEndpoint, m.receive)
		var as []*Agent
		for i := range 5 {
			a := New(l, net, Config{Name: fmt.Sprintf("agent-%d", i), Resources: "cpus:8;mem:4096"})
			a.Start()
			as = append(as, a)
		}
		advance(t, l, 30*time.Second)
		m.noReg = false
		advance(t, l, time.Minute)
		for i, a := range as {
			for j, b := range []string{"", "run=10s", "crash-executor=5s", "unhealthy-after=1s", "ignore-term"} {
				m.send(a.Name(), &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask(fmt.Sprintf("t%d-%d", i, j), "./serve", b)})
			}
			m.send(a.Name(), &msg.ShutdownFramework{FrameworkID: "F1"})
		}
		advance(t, l, time.Hour)
		var b strings.Builder
		for _, x := range m.got {
			if u, ok := x.Body.(*msg.StatusUpdate); ok {
				fmt.Fprintf(&b, "%x %v\n", u.Status.GetUuid(), u.Status.GetState())
			}
		}
		return sink.String() + b.String()
	}
	a, b := run(), run()
	if a != b {
		t.Fatalf("two runs with the same seed differ")
	}
	if !strings.Contains(a, "RegisterSlaveMessage") {
		t.Fatalf("trace lacks registrations:\n%s", a)
	}
}
