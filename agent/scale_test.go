package agent

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// checkAccounting verifies Used == live tasks + live accounted executors.
func checkAccounting(a *Agent) error {
	var sum resources.Resources
	for _, t := range a.tasks {
		if !t.terminal {
			sum = sum.Plus(t.res)
		}
	}
	for _, fw := range a.frameworks {
		for _, ex := range fw.executors {
			if ex.state != exTerminated {
				sum = sum.Plus(ex.res)
			}
		}
	}
	if !sum.Equal(a.Used()) {
		return fmt.Errorf("agent %s: used %v, live tasks and executors hold %v", a.Name(), a.Used(), sum)
	}
	if !a.Total().Contains(a.Used()) {
		return fmt.Errorf("agent %s: used %v exceeds total %v", a.Name(), a.Used(), a.Total())
	}
	return nil
}

func TestTenThousandTasks(t *testing.T) {
	const nAgents, perAgent = 100, 100
	var cfgs []Config
	for i := range nAgents {
		cfgs = append(cfgs, Config{Name: fmt.Sprintf("agent-%d", i), Resources: "cpus:200;mem:100000"})
	}
	l, m, as := newWorld(t, cfgs...)
	for _, a := range as {
		a.Start()
		m.pingEvery(a.Name(), 15*time.Second)
	}
	settle(t, l)
	rng := rand.New(rand.NewPCG(1, 2))
	// Drop a tenth of the acknowledgements: the agents retry.
	m.autoAck = false
	net := m.net
	prev := m.receive
	net.Unregister(msg.MasterEndpoint)
	net.Register(msg.MasterEndpoint, func(x simnet.Message) {
		prev(x)
		if u, ok := x.Body.(*msg.StatusUpdate); ok && rng.IntN(10) != 0 {
			m.ack(x.From, u)
		}
	})
	behaviors := []string{"", "run=30s", "run=20s exit=3", "ignore-term", "hang-on-kill", "crash-executor=40s",
		"fail-to-start", "start-delay=5s", "unhealthy-after=30s", "start-delay=90s", "run=10m"}
	fws := []*mesospb.FrameworkInfo{fwInfo("F0"), fwInfo("F1", mesospb.FrameworkInfo_Capability_TASK_KILLING_STATE),
		fwInfo("F2", mesospb.FrameworkInfo_Capability_PARTITION_AWARE)}
	type ref struct {
		agent string
		fw    string
		id    string
	}
	var all []ref
	for i, a := range as {
		for j := range perAgent {
			fw := fws[(i+j)%len(fws)]
			id := fmt.Sprintf("t-%d-%d", i, j)
			b := behaviors[rng.IntN(len(behaviors))]
			var ti *mesospb.TaskInfo
			if j%10 == 9 {
				// Groups of two under the default executor.
				g := groupMsg(fw, "E-"+id, b, "")
				m.send(a.Name(), g)
				for _, gt := range g.TaskGroup.Tasks {
					all = append(all, ref{a.Name(), fw.GetId().GetValue(), gt.GetTaskId().GetValue()})
				}
				continue
			}
			ti = cmdTask(id, "./serve", b)
			if j%7 == 0 {
				ti.HealthCheck = &mesospb.HealthCheck{Type: mesospb.HealthCheck_COMMAND.Enum(), Command: &mesospb.CommandInfo{Value: proto.String("true")}}
			}
			m.send(a.Name(), &msg.RunTask{Framework: fw, Task: ti})
			all = append(all, ref{a.Name(), fw.GetId().GetValue(), id})
		}
	}
	check := func() {
		t.Helper()
		for _, a := range as {
			if err := checkAccounting(a); err != nil {
				t.Fatal(err)
			}
		}
	}
	settle(t, l)
	check()
	// Kill a third of the tasks at random times over two minutes.
	byName := map[string]*Agent{}
	for _, a := range as {
		byName[a.Name()] = a
	}
	for _, r := range all {
		if rng.IntN(3) == 0 {
			l.After(time.Duration(rng.Int64N(int64(2*time.Minute))), "test.kill", func() {
				// Like the master: no kill for a task whose terminal
				// update was acknowledged (an unknown task gets
				// "Cannot find executor", tested elsewhere).
				if byName[r.agent].tasks[key{r.fw, r.id}] != nil {
					m.send(r.agent, &msg.KillTask{FrameworkID: r.fw, TaskID: r.id})
				}
			})
		}
	}
	for range 12 {
		advance(t, l, 15*time.Second)
		check()
	}
	// Shut every executor down (the frameworks stay, so their updates
	// flow) and let retries drain.
	for _, a := range as {
		for _, e := range a.Executors() {
			if !e.Terminated {
				m.send(a.Name(), &msg.ShutdownExecutor{FrameworkID: e.FrameworkID, ExecutorID: e.ExecutorID})
			}
		}
	}
	advance(t, l, 2*time.Hour)
	check()
	terminal := map[string]map[string]bool{} // task -> distinct terminal uuids
	for _, x := range m.got {
		u, ok := x.Body.(*msg.StatusUpdate)
		if !ok || !isTerminal(u.Status.GetState()) {
			continue
		}
		k := u.FrameworkID + "/" + u.Status.GetTaskId().GetValue()
		if terminal[k] == nil {
			terminal[k] = map[string]bool{}
		}
		terminal[k][string(u.Status.GetUuid())] = true
	}
	for _, r := range all {
		if n := len(terminal[r.fw+"/"+r.id]); n != 1 {
			t.Errorf("task %s of %s on %s: %d terminal updates, want 1", r.id, r.fw, r.agent, n)
		}
	}
	if len(all) != nAgents*perAgent+nAgents*perAgent/10 {
		t.Errorf("%d tasks", len(all))
	}
	for _, a := range as {
		if !a.Used().IsEmpty() || len(a.Tasks()) != 0 || len(a.PendingUpdates()) != 0 {
			t.Fatalf("agent %s after teardown: used %v, %d tasks, %d pending", a.Name(), a.Used(), len(a.Tasks()), len(a.PendingUpdates()))
		}
	}
}
