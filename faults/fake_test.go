package faults

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// fakeTarget is a Target on a real loop and simnet.Network with the
// endpoints "master" and "agent-1" ("agent-2" is known but not on the
// network). It records every call made on it, and the messages each
// endpoint receives.
type fakeTarget struct {
	l      *loop.Loop
	net    *simnet.Network
	trace  *loop.RingSink
	agents []string

	calls      []string
	fail       map[string]error // by method name: the error it returns
	tasks      []TaskView
	frameworks []FrameworkView

	received []string // "<to> <kind> <body>@<virtual time>"
}

func newFake(t testing.TB, seed uint64) *fakeTarget {
	t.Helper()
	trace := loop.NewRingSink(10_000)
	l := loop.New(loop.Config{Seed: seed, Trace: trace})
	f := &fakeTarget{
		l: l, net: simnet.New(l, simnet.Config{}), trace: trace,
		agents: []string{"agent-1", "agent-2"},
		fail:   map[string]error{},
	}
	for _, ep := range []string{msg.MasterEndpoint, "agent-1"} {
		f.net.Register(ep, func(m simnet.Message) {
			f.received = append(f.received, fmt.Sprintf("%s %s %v@%v", m.To, m.Kind, m.Body, l.Elapsed()))
		})
	}
	return f
}

func (f *fakeTarget) call(method string, args ...any) error {
	line := method
	for _, a := range args {
		line += fmt.Sprintf(" %v", a)
	}
	f.calls = append(f.calls, line)
	return f.fail[method]
}

func (f *fakeTarget) Loop() *loop.Loop             { return f.l }
func (f *fakeTarget) Network() *simnet.Network     { return f.net }
func (f *fakeTarget) AgentNames() []string         { return f.agents }
func (f *fakeTarget) CrashAgent(name string) error { return f.call("CrashAgent", name) }
func (f *fakeTarget) RestartAgent(name string, recover bool) error {
	return f.call("RestartAgent", name, recover)
}
func (f *fakeTarget) MarkAgentGone(name string) error    { return f.call("MarkAgentGone", name) }
func (f *fakeTarget) FailoverMaster(time.Duration) error { return f.call("FailoverMaster") }
func (f *fakeTarget) CutStream(framework string) error   { return f.call("CutStream", framework) }
func (f *fakeTarget) SetCallFault(fw string, c CallFault) error {
	return f.call("SetCallFault", fw, fmt.Sprintf("%+v", c))
}
func (f *fakeTarget) TaskFault(task string, kind TaskFaultKind) error {
	return f.call("TaskFault", task, kind)
}
func (f *fakeTarget) Tasks() []TaskView           { return f.tasks }
func (f *fakeTarget) Frameworks() []FrameworkView { return f.frameworks }

// send sends a message between the master and agent-1: toAgent says which
// way.
func (f *fakeTarget) send(toAgent bool, kind string, body any) {
	m := simnet.Message{From: "agent-1", To: msg.MasterEndpoint, Kind: kind, Body: body}
	if toAgent {
		m.From, m.To = m.To, m.From
	}
	f.net.Send(m)
}

// faultLines returns the trace lines of component "faults", without the
// time.
func (f *fakeTarget) faultLines() []string {
	var out []string
	for _, line := range f.trace.Lines() {
		if _, text, ok := strings.Cut(line, " faults    "); ok {
			out = append(out, text)
		}
	}
	return out
}

func (f *fakeTarget) settle(t testing.TB) {
	t.Helper()
	if err := f.l.Settle(100_000); err != nil {
		t.Fatal(err)
	}
}
