package master_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/sim"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// fakeAgent registers with the master, answers RunTask with TASK_RUNNING,
// KillTask with TASK_KILLED, Ping with Pong, and records acknowledgements.
type fakeAgent struct {
	name    string
	net     *simnet.Network
	l       *loop.Loop
	id      string
	mute    bool // stop answering pings
	acks    []*msg.StatusUpdateAcknowledgement
	got     []string // message kinds received
	running map[string]bool
}

func newFakeAgent(l *loop.Loop, n *simnet.Network, name, res string) *fakeAgent {
	a := &fakeAgent{name: name, net: n, l: l, running: map[string]bool{}}
	n.Register(name, a.receive)
	a.send(&msg.RegisterAgent{Name: name, Info: &mesospb.AgentInfo{
		Hostname:  proto.String(name + ".example"),
		Port:      proto.Int32(5051),
		Resources: resources.MustParse(res).ToProto(),
	}})
	return a
}

func (a *fakeAgent) send(b msg.Body) { a.net.Send(msg.Envelope(a.name, msg.MasterEndpoint, b)) }

func (a *fakeAgent) update(fwID, taskID string, st mesospb.TaskState) {
	u := loop.NewUUID(a.l.Rand("agent-" + a.name))
	a.send(&msg.StatusUpdate{FrameworkID: fwID, Status: &mesospb.TaskStatus{
		TaskId:  &mesospb.TaskID{Value: proto.String(taskID)},
		State:   st.Enum(),
		Source:  mesospb.TaskStatus_SOURCE_EXECUTOR.Enum(),
		AgentId: &mesospb.AgentID{Value: proto.String(a.id)},
		Uuid:    u.Bytes(),
	}})
}

func (a *fakeAgent) receive(m simnet.Message) {
	a.got = append(a.got, m.Kind)
	switch b := m.Body.(type) {
	case *msg.AgentRegistered:
		a.id = b.AgentID
	case *msg.RunTask:
		a.running[b.Task.GetTaskId().GetValue()] = true
		a.update(b.Framework.GetId().GetValue(), b.Task.GetTaskId().GetValue(), mesospb.TaskState_TASK_RUNNING)
	case *msg.RunTaskGroup:
		for _, t := range b.TaskGroup.GetTasks() {
			a.update(b.Framework.GetId().GetValue(), t.GetTaskId().GetValue(), mesospb.TaskState_TASK_RUNNING)
		}
	case *msg.KillTask:
		a.update(b.FrameworkID, b.TaskID, mesospb.TaskState_TASK_KILLED)
	case *msg.StatusUpdateAcknowledgement:
		a.acks = append(a.acks, b)
	case *msg.Ping:
		if !a.mute {
			a.send(&msg.Pong{AgentID: a.id})
		}
	}
}

type env struct {
	t      *testing.T
	l      *loop.Loop
	net    *simnet.Network
	m      *master.Master
	r      *sim.Driver
	srv    *httptest.Server
	agents []*fakeAgent
}

func newEnv(t *testing.T, agentRes ...string) *env {
	t.Helper()
	return newEnvConfig(t, master.Config{}, agentRes...)
}

func newEnvConfig(t *testing.T, cfg master.Config, agentRes ...string) *env {
	t.Helper()
	l := loop.New(loop.Config{Seed: 1})
	n := simnet.New(l, simnet.Config{})
	opts := allocator.DefaultOptions()
	opts.Seed = 1
	m := master.New(l, n, allocator.New(opts), cfg)
	e := &env{t: t, l: l, net: n, m: m, r: sim.NewDriver(l, sim.DriverConfig{})}
	t.Cleanup(func() { e.r.Close() })
	_ = e.r.Do(func() {
		for i, res := range agentRes {
			e.agents = append(e.agents, newFakeAgent(l, n, "agent-"+string(rune('1'+i)), res))
		}
	})
	mux := http.NewServeMux()
	for _, p := range master.SchedulerPaths {
		mux.Handle(p, master.NewHandler(m, e.r))
	}
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) do(fn func()) {
	e.t.Helper()
	if err := e.r.Do(fn); err != nil {
		e.t.Fatal(err)
	}
}

// waitFor waits (wall time, bounded) until cond holds on the loop; cond is
// evaluated again only when events have run (sim.Driver.WaitFor).
func (e *env) waitFor(cond func() bool) {
	e.t.Helper()
	if err := e.r.WaitFor(cond, 5*time.Second); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) advance(d time.Duration) {
	e.t.Helper()
	if err := e.r.Advance(d); err != nil {
		e.t.Fatal(err)
	}
}

// post sends a raw request and returns status, body and headers.
func (e *env) post(method, path, contentType string, body []byte, hdr map[string]string) (int, string, http.Header) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// stream is a subscribed framework (protobuf encoding).
type stream struct {
	e        *env
	id       string // framework id
	streamID string
	events   chan *schedulerpb.Event
	resp     *http.Response
	pushback *schedulerpb.Event
	read     uint64 // events taken from the channel
}

func pbCall(c *schedulerpb.Call) []byte {
	b, err := proto.Marshal(c)
	if err != nil {
		panic(err)
	}
	return b
}

func (e *env) subscribe(info *mesospb.FrameworkInfo) *stream {
	e.t.Helper()
	c := &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), FrameworkId: info.GetId(),
		Subscribe: &schedulerpb.Call_Subscribe{FrameworkInfo: info}}
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/scheduler", bytes.NewReader(pbCall(c)))
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Accept", "application/x-protobuf")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		e.t.Fatalf("SUBSCRIBE: %d", resp.StatusCode)
	}
	s := &stream{e: e, streamID: resp.Header.Get("Mesos-Stream-Id"), events: make(chan *schedulerpb.Event, 1000), resp: resp}
	e.t.Cleanup(func() { resp.Body.Close() })
	go func() {
		defer close(s.events)
		rd := recordio.NewReader(resp.Body)
		for {
			rec, err := rd.ReadRecord()
			if err != nil {
				return
			}
			ev := &schedulerpb.Event{}
			if err := proto.Unmarshal(rec, ev); err != nil {
				return
			}
			s.events <- ev
		}
	}()
	first := s.next()
	if first.GetType() == schedulerpb.Event_SUBSCRIBED {
		s.id = first.GetSubscribed().GetFrameworkId().GetValue()
	}
	s.pushback = first
	return s
}

func (s *stream) next() *schedulerpb.Event {
	s.e.t.Helper()
	if s.pushback != nil {
		ev := s.pushback
		s.pushback = nil
		return ev
	}
	select {
	case ev, ok := <-s.events:
		if !ok {
			return nil // end of stream
		}
		s.read++
		return ev
	case <-time.After(5 * time.Second):
		s.e.t.Fatal("no event within 5s")
		return nil
	}
}

// pending returns every event the master has queued on the stream so far
// and the test has not read: it asks the master how many it sent and
// reads until it has them all.
func (s *stream) pending() []*schedulerpb.Event {
	s.e.t.Helper()
	var out []*schedulerpb.Event
	if s.pushback != nil {
		out = append(out, s.pushback)
		s.pushback = nil
	}
	var pushed uint64
	s.e.do(func() { pushed = master.StreamPushed(s.e.m, s.streamID) })
	for s.read < pushed {
		ev := s.next()
		if ev == nil {
			break
		}
		out = append(out, ev)
	}
	return out
}

// none asserts that the master has sent nothing the test has not read.
func (s *stream) none() {
	s.e.t.Helper()
	if evs := s.pending(); len(evs) > 0 {
		s.e.t.Fatalf("unexpected event %v", evs[0])
	}
}

func (s *stream) expect(t schedulerpb.Event_Type) *schedulerpb.Event {
	s.e.t.Helper()
	ev := s.next()
	if ev.GetType() != t {
		s.e.t.Fatalf("got event %v, want %v", ev, t)
	}
	return ev
}

func (s *stream) call(c *schedulerpb.Call) (int, string) {
	s.e.t.Helper()
	c.FrameworkId = &mesospb.FrameworkID{Value: proto.String(s.id)}
	code, body, _ := s.e.post("POST", "/api/v1/scheduler", "application/x-protobuf", pbCall(c), map[string]string{"Mesos-Stream-Id": s.streamID})
	return code, body
}

func fwInfo(name string) *mesospb.FrameworkInfo {
	return &mesospb.FrameworkInfo{User: proto.String("root"), Name: proto.String(name)}
}

func resourcesParse(text string) []*mesospb.Resource { return resources.MustParse(text).ToProto() }
