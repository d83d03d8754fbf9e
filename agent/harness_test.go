package agent

import (
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// fakeMaster records what agents send and answers registration; with
// autoAck it acknowledges every status update at once.
type fakeMaster struct {
	l       *loop.Loop
	net     *simnet.Network
	got     []simnet.Message
	at      []time.Duration
	autoAck bool
	noReg   bool
	n       int
}

func newWorld(t testing.TB, cfgs ...Config) (*loop.Loop, *fakeMaster, []*Agent) {
	l := loop.New(loop.Config{Seed: 1})
	net := simnet.New(l, simnet.Config{})
	m := &fakeMaster{l: l, net: net}
	net.Register(msg.MasterEndpoint, m.receive)
	var as []*Agent
	for _, c := range cfgs {
		a := New(l, net, c)
		as = append(as, a)
	}
	return l, m, as
}

func (m *fakeMaster) receive(x simnet.Message) {
	m.got = append(m.got, x)
	m.at = append(m.at, m.l.Elapsed())
	switch b := x.Body.(type) {
	case *msg.RegisterAgent:
		if m.noReg {
			return
		}
		id := fmt.Sprintf("M-S%d", m.n)
		m.n++
		m.net.Send(msg.Envelope(msg.MasterEndpoint, x.From, &msg.AgentRegistered{AgentID: id}))
	case *msg.ReregisterAgent:
		if m.noReg {
			return
		}
		m.net.Send(msg.Envelope(msg.MasterEndpoint, x.From, &msg.AgentReregistered{AgentID: b.Info.GetId().GetValue()}))
	case *msg.StatusUpdate:
		if m.autoAck {
			m.ack(x.From, b)
		}
	}
}

func (m *fakeMaster) ack(to string, u *msg.StatusUpdate) {
	m.net.Send(msg.Envelope(msg.MasterEndpoint, to, &msg.StatusUpdateAcknowledgement{
		AgentID: u.Status.GetAgentId().GetValue(), FrameworkID: u.FrameworkID,
		TaskID: u.Status.GetTaskId().GetValue(), UUID: u.Status.GetUuid()}))
}

func (m *fakeMaster) send(to string, b msg.Body) { m.net.Send(msg.Envelope(msg.MasterEndpoint, to, b)) }

// updates returns the status updates received since index from.
func (m *fakeMaster) updates(from int) []*msg.StatusUpdate {
	var out []*msg.StatusUpdate
	for _, x := range m.got[from:] {
		if u, ok := x.Body.(*msg.StatusUpdate); ok {
			out = append(out, u)
		}
	}
	return out
}

func (m *fakeMaster) kinds(from int) []string {
	var out []string
	for _, x := range m.got[from:] {
		out = append(out, x.Kind)
	}
	return out
}

func settle(t testing.TB, l *loop.Loop) {
	t.Helper()
	if err := l.Settle(1_000_000); err != nil {
		t.Fatal(err)
	}
}

func advance(t testing.TB, l *loop.Loop, d time.Duration) {
	t.Helper()
	if err := l.Advance(d); err != nil {
		t.Fatal(err)
	}
}

func fwInfo(id string, caps ...mesospb.FrameworkInfo_Capability_Type) *mesospb.FrameworkInfo {
	fi := &mesospb.FrameworkInfo{Id: &mesospb.FrameworkID{Value: proto.String(id)}, Name: proto.String(id), User: proto.String("u")}
	for _, c := range caps {
		fi.Capabilities = append(fi.Capabilities, &mesospb.FrameworkInfo_Capability{Type: c.Enum()})
	}
	return fi
}

func res(t testing.TB, text string) []*mesospb.Resource {
	t.Helper()
	r, err := parseRes(text)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// cmdTask is a command task with cpus:1;mem:128 and optional behaviour label.
func cmdTask(id, command, behavior string) *mesospb.TaskInfo {
	ti := &mesospb.TaskInfo{
		Name:      proto.String(id),
		TaskId:    &mesospb.TaskID{Value: proto.String(id)},
		Resources: mustParseRes("cpus:1;mem:128"),
		Command:   &mesospb.CommandInfo{Value: proto.String(command)},
	}
	if behavior != "" {
		ti.Labels = &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String(BehaviorLabel), Value: proto.String(behavior)}}}
	}
	return ti
}

type upd struct {
	State   mesospb.TaskState
	Source  mesospb.TaskStatus_Source
	Reason  string
	Message string
	Healthy string
}

func describe(us []*msg.StatusUpdate) []upd {
	var out []upd
	for _, u := range us {
		d := upd{State: u.Status.GetState(), Source: u.Status.GetSource(), Message: u.Status.GetMessage()}
		if u.Status.Reason != nil {
			d.Reason = u.Status.GetReason().String()
		}
		if u.Status.Healthy != nil {
			d.Healthy = fmt.Sprint(u.Status.GetHealthy())
		}
		out = append(out, d)
	}
	return out
}

// pingEvery pings the agent endpoint every d, like the master's
// SlaveObserver, while *on is true.
func (m *fakeMaster) pingEvery(to string, d time.Duration) {
	m.l.After(d, "fake.ping", func() {
		m.send(to, &msg.Ping{Connected: true})
		m.pingEvery(to, d)
	})
}

// statusTimes is the virtual time of each status update received since from.
func (m *fakeMaster) statusTimes(from int) []time.Duration {
	var at []time.Duration
	for i, x := range m.got[from:] {
		if _, ok := x.Body.(*msg.StatusUpdate); ok {
			at = append(at, m.at[from+i])
		}
	}
	return at
}
