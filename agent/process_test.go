package agent

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/msg"
)

func TestPingPong(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1"})
	from := len(m.got)
	m.send("agent-1", &msg.Ping{Connected: true})
	adv(0)
	if diff := cmp.Diff([]simnetMsgSummary{{"PongSlaveMessage", "M-S0"}}, summarize(m, from)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	_ = a
}

type simnetMsgSummary struct{ Kind, Agent string }

func summarize(m *fakeMaster, from int) []simnetMsgSummary {
	var out []simnetMsgSummary
	for _, x := range m.got[from:] {
		s := simnetMsgSummary{Kind: x.Kind}
		switch b := x.Body.(type) {
		case *msg.Pong:
			s.Agent = b.AgentID
		case *msg.ReregisterAgent:
			s.Agent = b.Info.GetId().GetValue()
		}
		out = append(out, s)
	}
	return out
}

// TestPingTimeoutReregisters: without pings for 75 s the agent re-registers
// with what it runs, then resends its pending updates.
func TestPingTimeoutReregisters(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1"})
	m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask("t1", "./serve", "")})
	adv(0)
	from := len(m.got)
	adv(74 * time.Second)
	if len(m.got) != from+3 { // the head retried at 10, 30, 70 s; no registration yet
		t.Fatalf("before the ping timeout: %v", m.kinds(from))
	}
	adv(2 * time.Second)
	var re *msg.ReregisterAgent
	for _, x := range m.got[from:] {
		if r, ok := x.Body.(*msg.ReregisterAgent); ok {
			re = r
		}
	}
	if re == nil {
		t.Fatalf("no re-registration after 76 s without pings: %v", m.kinds(from))
	}
	if got := len(re.Tasks); got != 1 || re.Tasks[0].GetState() != running || re.Tasks[0].GetStatusUpdateState() != starting {
		t.Errorf("re-registered tasks %v", re.Tasks)
	}
	if !a.Registered() {
		t.Error("not registered after AgentReregistered")
	}
	// The pending head went out again at once after re-registration.
	last := m.got[len(m.got)-1]
	if u, ok := last.Body.(*msg.StatusUpdate); !ok || u.Status.GetState() != starting {
		t.Errorf("last message %s, want the pending TASK_STARTING", last.Kind)
	}
}

func TestCrashRestart(t *testing.T) {
	for _, recover := range []bool{true, false} {
		t.Run(map[bool]string{true: "recover", false: "fresh"}[recover], func(t *testing.T) {
			m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:4;mem:1024"})
			m.autoAck = true
			cp := fwInfo("CP")
			cp.Checkpoint = proto.Bool(true)
			m.send("agent-1", &msg.RunTask{Framework: cp, Task: cmdTask("keep", "sleep 60", "")})
			m.send("agent-1", &msg.RunTask{Framework: fwInfo("NC"), Task: cmdTask("lose", "./serve", "")})
			adv(10 * time.Second)
			a.Crash()
			m.send("agent-1", &msg.KillTask{FrameworkID: "CP", TaskID: "keep"}) // lost with the process
			adv(2 * time.Minute)
			if a.Registered() {
				t.Fatal("a crashed agent is registered")
			}
			from := len(m.got)
			a.Restart(recover)
			adv(0)
			if !recover {
				if a.ID() != "M-S1" || len(a.Tasks()) != 0 || !a.Used().IsEmpty() {
					t.Fatalf("fresh restart: id %s tasks %v used %v", a.ID(), a.Tasks(), a.Used())
				}
				return
			}
			re, ok := m.got[from].Body.(*msg.ReregisterAgent)
			if !ok {
				t.Fatalf("first message after restart %s", m.got[from].Kind)
			}
			var ids []string
			for _, tk := range re.Tasks {
				ids = append(ids, tk.GetTaskId().GetValue())
			}
			if diff := cmp.Diff([]string{"keep"}, ids); diff != "" {
				t.Errorf("re-registered tasks (-want +got):\n%s", diff)
			}
			if len(re.Frameworks) != 1 || re.Frameworks[0].GetId().GetValue() != "CP" {
				t.Errorf("frameworks %v", re.Frameworks)
			}
			// sleep 60 ended while the agent was down: reported at once.
			var states []mesospb.TaskState
			for _, u := range m.updates(from) {
				states = append(states, u.Status.GetState())
			}
			if diff := cmp.Diff([]mesospb.TaskState{finished}, states); diff != "" {
				t.Errorf("updates after restart (-want +got):\n%s", diff)
			}
			if a.ID() != "M-S0" || !a.Used().IsEmpty() || len(a.Tasks()) != 0 {
				t.Errorf("id %s used %v tasks %v", a.ID(), a.Used(), a.Tasks())
			}
		})
	}
}

func TestCheckpointResources(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:4;mem:1024"})
	r := mustParseRes("cpus:2")
	r[0].AllocationInfo = nil
	r[0].Reservations = []*mesospb.Resource_ReservationInfo{{
		Type: mesospb.Resource_ReservationInfo_DYNAMIC.Enum(), Role: proto.String("web"), Principal: proto.String("p")}}
	m.send("agent-1", &msg.CheckpointResources{Resources: r})
	adv(0)
	if got := a.Total().Unreserved().CPUs(); got != 2 {
		t.Errorf("unreserved cpus %v, want 2 (total %v)", got, a.Total())
	}
	if got := a.Total().Reserved("web").CPUs(); got != 2 {
		t.Errorf("reserved cpus %v, want 2 (total %v)", got, a.Total())
	}
	m.send("agent-1", &msg.CheckpointResources{})
	adv(0)
	if got := a.Total().CPUs(); got != 4 || !a.Total().Reserved("web").IsEmpty() {
		t.Errorf("after unreserve: total %v", a.Total())
	}
}

func TestPingDisconnectedReregisters(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1"})
	from := len(m.got)
	m.send("agent-1", &msg.Ping{Connected: false})
	adv(2 * time.Second)
	if diff := cmp.Diff([]simnetMsgSummary{{"PongSlaveMessage", "M-S0"}, {"ReregisterSlaveMessage", "M-S0"}}, summarize(m, from)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !a.Registered() {
		t.Error("not registered again")
	}
}

// TestRestartResendsPending: unacknowledged updates of a checkpointing
// framework survive a restart and go out again on re-registration.
func TestRestartResendsPending(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1"})
	cp := fwInfo("CP")
	cp.Checkpoint = proto.Bool(true)
	m.send("agent-1", &msg.RunTask{Framework: cp, Task: cmdTask("t1", "./serve", "")})
	adv(0)
	head := m.updates(0)[0]
	a.Crash()
	adv(time.Minute)
	a.Restart(true)
	from := len(m.got)
	adv(0)
	us := m.updates(from)
	if len(us) != 1 || !proto.Equal(us[0].Status, head.Status) || us[0].LatestState.String() != "TASK_RUNNING" {
		t.Fatalf("after restart: %v, want the TASK_STARTING head again", describe(us))
	}
	n := len(m.got)
	m.ack("agent-1", us[0])
	adv(0)
	if us := m.updates(n); len(us) != 1 || us[0].Status.GetState() != running {
		t.Fatalf("after ack: %v", describe(us))
	}
	if got := a.Used().CPUs(); got != 1 {
		t.Errorf("used cpus %v", got)
	}
}
