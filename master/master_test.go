package master_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/master"
)

func TestHTTPErrors(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	s := e.subscribe(fwInfo("fw"))
	fid := s.id
	tests := []struct {
		name, method, ctype, body string
		hdr                       map[string]string
		code                      int
		text                      string
	}{
		{"get", "GET", "", "", nil, 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'."},
		{"no content type", "POST", "", `{}`, nil, 400, "Expecting 'Content-Type' to be present"},
		{"bad json", "POST", "application/json", `{`, nil, 400, "Failed to parse body into JSON"},
		{"bad protobuf", "POST", "application/x-protobuf", "\xff\xff", nil, 400, "Failed to parse body into Call protobuf"},
		{"415", "POST", "application/json; charset=utf-8", `{}`, nil, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf"},
		{"no type", "POST", "application/json", `{}`, nil, 400, "Failed to validate scheduler::Call: Expecting 'type' to be present"},
		{"no subscribe", "POST", "application/json", `{"type":"SUBSCRIBE"}`, nil, 400, "Failed to validate scheduler::Call: Expecting 'subscribe' to be present"},
		{"id differs", "POST", "application/json", `{"type":"SUBSCRIBE","framework_id":{"value":"x"},"subscribe":{"framework_info":{"user":"u","name":"n"}}}`, nil, 400, "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'"},
		{"no framework id", "POST", "application/json", `{"type":"TEARDOWN"}`, nil, 400, "Failed to validate scheduler::Call: Expecting 'framework_id' to be present"},
		{"no accept", "POST", "application/json", `{"type":"ACCEPT","framework_id":{"value":"x"}}`, nil, 400, "Failed to validate scheduler::Call: Expecting 'accept' to be present"},
		{"bad uuid", "POST", "application/json", `{"type":"ACKNOWLEDGE","framework_id":{"value":"x"},"acknowledge":{"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":"AAAA"}}`, nil, 400, "Failed to validate scheduler::Call: Not a valid UUID"},
		{"406", "POST", "application/json", `{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}`, map[string]string{"Accept": "text/html"}, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"},
		{"subscribe with stream id", "POST", "application/json", `{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}`, map[string]string{"Mesos-Stream-Id": "x"}, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header"},
		{"unknown framework", "POST", "application/json", `{"type":"REVIVE","framework_id":{"value":"nope"}}`, nil, 400, "Framework cannot be found"},
		{"no stream id", "POST", "application/json", `{"type":"REVIVE","framework_id":{"value":"` + fid + `"}}`, nil, 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header"},
		{"wrong stream id", "POST", "application/json", `{"type":"REVIVE","framework_id":{"value":"` + fid + `"}}`, map[string]string{"Mesos-Stream-Id": "bad"}, 400, "The stream ID 'bad' included in this request didn't match the stream ID currently associated with framework ID " + fid},
		{"accepted", "POST", "application/json", `{"type":"REVIVE","framework_id":{"value":"` + fid + `"}}`, map[string]string{"Mesos-Stream-Id": s.streamID}, 202, ""},
		{"master path", "POST", "application/json", `{"type":"REVIVE","framework_id":{"value":"` + fid + `"}}`, map[string]string{"Mesos-Stream-Id": s.streamID}, 202, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := "/api/v1/scheduler"
			if tc.name == "master path" {
				path = "/master/api/v1/scheduler"
			}
			code, body, hdr := e.post(tc.method, path, tc.ctype, []byte(tc.body), tc.hdr)
			if code != tc.code || !strings.HasPrefix(body, tc.text) {
				t.Errorf("got %d %q, want %d %q", code, body, tc.code, tc.text)
			}
			if code == 405 && hdr.Get("Allow") != "POST" {
				t.Errorf("Allow = %q", hdr.Get("Allow"))
			}
		})
	}
	// 403: known but disconnected framework (failover_timeout keeps it).
	info := fwInfo("patient")
	info.FailoverTimeout = proto.Float64(60)
	s2 := e.subscribe(info)
	s2.expect(schedulerpb.Event_SUBSCRIBED)
	s2.resp.Body.Close()
	e.waitFor(func() bool {
		for _, f := range e.m.Frameworks() {
			if f.ID == s2.id {
				return !f.Connected
			}
		}
		return false
	})
	code, body := s2.call(&schedulerpb.Call{Type: schedulerpb.Call_REVIVE.Enum()})
	if code != http.StatusForbidden || body != "Framework is not subscribed" {
		t.Errorf("disconnected framework: %d %q", code, body)
	}
}

func TestSubscribeJSONStream(t *testing.T) {
	e := newEnv(t)
	code := 0
	req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/scheduler", strings.NewReader(`{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	code = resp.StatusCode
	if code != 200 || resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Mesos-Stream-Id") == "" {
		t.Fatalf("got %d %v", code, resp.Header)
	}
	buf := make([]byte, 4096)
	n, _ := resp.Body.Read(buf)
	if !strings.Contains(string(buf[:n]), `"type":"SUBSCRIBED"`) {
		t.Errorf("first record %q", buf[:n])
	}
}

func TestLifecycle(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	s := e.subscribe(fwInfo("fw"))
	sub := s.expect(schedulerpb.Event_SUBSCRIBED)
	if got := sub.GetSubscribed().GetHeartbeatIntervalSeconds(); got != 15 {
		t.Errorf("heartbeat interval %v", got)
	}
	if !strings.HasSuffix(s.id, "-0000") {
		t.Errorf("framework id %q", s.id)
	}
	s.expect(schedulerpb.Event_HEARTBEAT)
	offers := s.expect(schedulerpb.Event_OFFERS).GetOffers().GetOffers()
	if len(offers) != 1 {
		t.Fatalf("offers %v", offers)
	}
	o := offers[0]
	if !strings.HasSuffix(o.GetId().GetValue(), "-O0") || !strings.HasSuffix(o.GetAgentId().GetValue(), "-S0") || o.GetHostname() != "agent-1.example" {
		t.Errorf("offer %v", o)
	}
	if o.GetUrl().GetPath() != "/slave(1)" {
		t.Errorf("url %v", o.GetUrl())
	}
	task := &mesospb.TaskInfo{
		Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t1")}, AgentId: o.AgentId,
		Resources: mustRes("cpus:1;mem:128"), Command: &mesospb.CommandInfo{Value: proto.String("sleep 1")},
	}
	code, _ := s.call(accept(o, task))
	if code != 202 {
		t.Fatalf("accept %d", code)
	}
	up := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if up.GetState() != mesospb.TaskState_TASK_RUNNING || len(up.GetUuid()) != 16 {
		t.Fatalf("update %v", up)
	}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE.Enum(), Acknowledge: &schedulerpb.Call_Acknowledge{AgentId: o.AgentId, TaskId: up.TaskId, Uuid: up.Uuid}})
	if n := len(e.agents[0].acks); n != 1 {
		t.Fatalf("agent got %d acks", n)
	}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: &schedulerpb.Call_Kill{TaskId: up.TaskId}})
	up = s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if up.GetState() != mesospb.TaskState_TASK_KILLED {
		t.Fatalf("update %v", up)
	}
	var tasks []master.Task
	e.do(func() { tasks = e.m.Tasks() })
	if len(tasks) != 1 || tasks[0].State != mesospb.TaskState_TASK_KILLED {
		t.Fatalf("tasks %+v", tasks)
	}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE.Enum(), Acknowledge: &schedulerpb.Call_Acknowledge{AgentId: o.AgentId, TaskId: up.TaskId, Uuid: up.Uuid}})
	e.do(func() { tasks = e.m.Tasks() })
	if len(tasks) != 0 {
		t.Fatalf("tasks after terminal ack %+v", tasks)
	}
	// TEARDOWN: 202, the stream ends, the id is gone.
	if code, _ := s.call(&schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum()}); code != 202 {
		t.Fatalf("teardown %d", code)
	}
	for ev := s.next(); ev != nil; ev = s.next() {
		if ev.GetType() != schedulerpb.Event_HEARTBEAT && ev.GetType() != schedulerpb.Event_OFFERS {
			t.Fatalf("after teardown: %v", ev)
		}
	}
	if code, body := s.call(&schedulerpb.Call{Type: schedulerpb.Call_REVIVE.Enum()}); code != 400 || body != "Framework cannot be found" {
		t.Fatalf("after teardown %d %q", code, body)
	}
}

func mustRes(text string) []*mesospb.Resource {
	return resourcesParse(text)
}

func accept(o *mesospb.Offer, tasks ...*mesospb.TaskInfo) *schedulerpb.Call {
	return &schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds:   []*mesospb.OfferID{o.GetId()},
		Operations: []*mesospb.Offer_Operation{{Type: mesospb.Offer_Operation_LAUNCH.Enum(), Launch: &mesospb.Offer_Operation_Launch{TaskInfos: tasks}}},
	}}
}

func TestHeartbeatEvery15s(t *testing.T) {
	e := newEnv(t)
	s := e.subscribe(fwInfo("fw"))
	s.expect(schedulerpb.Event_SUBSCRIBED)
	s.expect(schedulerpb.Event_HEARTBEAT)
	e.advance(14 * time.Second)
	s.none()
	e.advance(time.Second)
	s.expect(schedulerpb.Event_HEARTBEAT)
	e.advance(15 * time.Second)
	s.expect(schedulerpb.Event_HEARTBEAT)
}

func TestDeclineFilter(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	s := e.subscribe(fwInfo("fw"))
	s.expect(schedulerpb.Event_SUBSCRIBED)
	s.expect(schedulerpb.Event_HEARTBEAT)
	o := s.expect(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_DECLINE.Enum(), Decline: &schedulerpb.Call_Decline{OfferIds: []*mesospb.OfferID{o.GetId()}}})
	e.advance(4 * time.Second) // filter (default 5s) still on
	s.none()
	e.advance(time.Second + 1)
	e.advance(time.Second)
	if ev := s.next(); ev.GetType() != schedulerpb.Event_OFFERS {
		t.Fatalf("after filter: %v", ev)
	}
}

func TestAcceptValidation(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096", "cpus:4;mem:4096")
	info := fwInfo("fw")
	s := e.subscribe(info)
	s.expect(schedulerpb.Event_SUBSCRIBED)
	s.expect(schedulerpb.Event_HEARTBEAT)
	offers := s.expect(schedulerpb.Event_OFFERS).GetOffers().GetOffers()
	if len(offers) != 2 {
		t.Fatalf("offers %v", offers)
	}
	o := offers[0]
	mk := func(id string, agent *mesospb.AgentID, res string, cmd bool) *mesospb.TaskInfo {
		ti := &mesospb.TaskInfo{Name: proto.String(id), TaskId: &mesospb.TaskID{Value: proto.String(id)}, AgentId: agent}
		if res != "" {
			ti.Resources = mustRes(res)
		}
		if cmd {
			ti.Command = &mesospb.CommandInfo{Value: proto.String("true")}
		}
		return ti
	}
	// Several task errors in one ACCEPT on a valid offer.
	s.call(accept(o,
		mk("a", o.AgentId, "", true),
		mk("b", offers[1].AgentId, "cpus:1", true),
		mk("c", o.AgentId, "cpus:1", false),
		mk("d", o.AgentId, "cpus:100", true),
	))
	want := map[string]string{
		"a": "Task uses no resources",
		"b": "Task uses invalid agent " + offers[1].GetAgentId().GetValue() + " while agent " + o.GetAgentId().GetValue() + " is expected",
		"c": "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present",
		"d": "Total resources cpus(allocated: *):100 required by task and its executor is more than available",
	}
	for range 4 {
		st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		if st.GetState() != mesospb.TaskState_TASK_ERROR || st.GetReason() != mesospb.TaskStatus_REASON_TASK_INVALID || st.GetSource() != mesospb.TaskStatus_SOURCE_MASTER || st.Uuid != nil {
			t.Errorf("status %v", st)
		}
		if w := want[st.GetTaskId().GetValue()]; !strings.HasPrefix(st.GetMessage(), w) {
			t.Errorf("task %s: message %q, want %q", st.GetTaskId().GetValue(), st.GetMessage(), w)
		}
	}
	// The offer is used up: a second ACCEPT is invalid.
	s.call(accept(o, mk("x", o.AgentId, "cpus:1", true)))
	st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if diff := cmp.Diff([]any{mesospb.TaskState_TASK_LOST, mesospb.TaskStatus_REASON_INVALID_OFFERS, "Task launched with invalid offers: Offer " + o.GetId().GetValue() + " is no longer valid"},
		[]any{st.GetState(), st.GetReason(), st.GetMessage()}); diff != "" {
		t.Errorf("invalid offers (-want +got):\n%s", diff)
	}
	// Duplicate offer ids.
	dup := accept(offers[1], mk("y", offers[1].AgentId, "cpus:1", true))
	dup.Accept.OfferIds = append(dup.Accept.OfferIds, offers[1].GetId())
	s.call(dup)
	st = s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetMessage() != "Task launched with invalid offers: Duplicate offer "+offers[1].GetId().GetValue()+" in offer list" {
		t.Errorf("dup: %v", st)
	}
}

func TestReconcile(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	info := fwInfo("fw")
	s := e.subscribe(info)
	s.expect(schedulerpb.Event_SUBSCRIBED)
	s.expect(schedulerpb.Event_HEARTBEAT)
	o := s.expect(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	s.call(accept(o, &mesospb.TaskInfo{Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t1")}, AgentId: o.AgentId,
		Resources: mustRes("cpus:1;mem:64"), Command: &mesospb.CommandInfo{Value: proto.String("x")}}))
	s.expect(schedulerpb.Event_UPDATE)
	rt := func(id string, agent *mesospb.AgentID) *schedulerpb.Call_Reconcile_Task {
		return &schedulerpb.Call_Reconcile_Task{TaskId: &mesospb.TaskID{Value: proto.String(id)}, AgentId: agent}
	}
	tests := []struct {
		name  string
		tasks []*schedulerpb.Call_Reconcile_Task
		state mesospb.TaskState
		text  string
	}{
		{"implicit", nil, mesospb.TaskState_TASK_RUNNING, "Reconciliation: Latest task state"},
		{"known", []*schedulerpb.Call_Reconcile_Task{rt("t1", nil)}, mesospb.TaskState_TASK_RUNNING, "Reconciliation: Latest task state"},
		{"unknown on registered agent", []*schedulerpb.Call_Reconcile_Task{rt("zz", o.AgentId)}, mesospb.TaskState_TASK_LOST, "Reconciliation: Task is unknown to the agent"},
		{"unknown agent", []*schedulerpb.Call_Reconcile_Task{rt("zz", &mesospb.AgentID{Value: proto.String("nope")})}, mesospb.TaskState_TASK_LOST, "Reconciliation: Task is unknown"},
		{"no agent", []*schedulerpb.Call_Reconcile_Task{rt("zz", nil)}, mesospb.TaskState_TASK_LOST, "Reconciliation: Task is unknown"},
	}
	for _, tc := range tests {
		s.call(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), Reconcile: &schedulerpb.Call_Reconcile{Tasks: tc.tasks}})
		st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		if st.GetState() != tc.state || st.GetMessage() != tc.text || st.GetReason() != mesospb.TaskStatus_REASON_RECONCILIATION || st.Uuid != nil {
			t.Errorf("%s: %v", tc.name, st)
		}
	}
	// KILL of an unknown task is a reconciliation answer.
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: &schedulerpb.Call_Kill{TaskId: &mesospb.TaskID{Value: proto.String("ghost")}}})
	if st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus(); st.GetState() != mesospb.TaskState_TASK_LOST || st.GetMessage() != "Reconciliation: Task is unknown" {
		t.Errorf("kill unknown: %v", st)
	}
}

func TestFailoverTimeoutZeroTearsDown(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	s := e.subscribe(fwInfo("fw"))
	s.expect(schedulerpb.Event_SUBSCRIBED)
	s.resp.Body.Close()
	e.waitFor(func() bool { return len(e.m.Frameworks()) == 0 })
	if got := e.agents[0].got; !contains(got, "ShutdownFrameworkMessage") {
		t.Errorf("agent messages %v", got)
	}
}

func TestResubscribeFailsOver(t *testing.T) {
	e := newEnv(t)
	info := fwInfo("fw")
	info.FailoverTimeout = proto.Float64(100)
	s := e.subscribe(info)
	s.expect(schedulerpb.Event_SUBSCRIBED)
	s.expect(schedulerpb.Event_HEARTBEAT)
	info.Id = &mesospb.FrameworkID{Value: proto.String(s.id)}
	s2 := e.subscribe(info)
	if ev := s.expect(schedulerpb.Event_ERROR); ev.GetError().GetMessage() != "Framework failed over" {
		t.Errorf("old stream: %v", ev)
	}
	if ev := s.next(); ev != nil {
		t.Errorf("old stream not closed: %v", ev)
	}
	s2.expect(schedulerpb.Event_SUBSCRIBED)
	if s2.id != s.id || s2.streamID == s.streamID {
		t.Errorf("ids %s %s / %s %s", s.id, s.streamID, s2.id, s2.streamID)
	}
}

func TestSubscribeRefused(t *testing.T) {
	e := newEnv(t)
	info := fwInfo("fw")
	info.Roles = []string{"a"}
	s := e.subscribe(info)
	ev := s.expect(schedulerpb.Event_ERROR)
	if ev.GetError().GetMessage() != "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable" {
		t.Errorf("error %v", ev)
	}
	if s.next() != nil {
		t.Error("stream not closed")
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
