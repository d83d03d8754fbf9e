package master_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/msg"
)

// ready subscribes a framework and consumes SUBSCRIBED, HEARTBEAT and the
// first OFFERS (if agents exist).
func (e *env) ready(info *mesospb.FrameworkInfo) (*stream, []*mesospb.Offer) {
	e.t.Helper()
	s := e.subscribe(info)
	s.expect(schedulerpb.Event_SUBSCRIBED)
	s.expect(schedulerpb.Event_HEARTBEAT)
	if len(e.agents) == 0 {
		return s, nil
	}
	return s, s.expect(schedulerpb.Event_OFFERS).GetOffers().GetOffers()
}

func TestAcceptedCallTypes(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	s, offers := e.ready(fwInfo("fw"))
	agentID := offers[0].GetAgentId()
	fid := &mesospb.FrameworkID{Value: proto.String(s.id)}
	uuid := make([]byte, 16)
	calls := []struct {
		name string
		call *schedulerpb.Call
		code int
	}{
		{"REVIVE", &schedulerpb.Call{Type: schedulerpb.Call_REVIVE.Enum()}, 202},
		{"SUPPRESS", &schedulerpb.Call{Type: schedulerpb.Call_SUPPRESS.Enum(), Suppress: &schedulerpb.Call_Suppress{Roles: []string{"*"}}}, 202},
		{"SUPPRESS bad role", &schedulerpb.Call{Type: schedulerpb.Call_SUPPRESS.Enum(), Suppress: &schedulerpb.Call_Suppress{Roles: []string{"nope"}}}, 202},
		{"REQUEST", &schedulerpb.Call{Type: schedulerpb.Call_REQUEST.Enum(), Request: &schedulerpb.Call_Request{}}, 202},
		{"ACCEPT_INVERSE_OFFERS", &schedulerpb.Call{Type: schedulerpb.Call_ACCEPT_INVERSE_OFFERS.Enum(), AcceptInverseOffers: &schedulerpb.Call_AcceptInverseOffers{InverseOfferIds: []*mesospb.OfferID{{Value: proto.String("x")}}}}, 202},
		{"DECLINE_INVERSE_OFFERS", &schedulerpb.Call{Type: schedulerpb.Call_DECLINE_INVERSE_OFFERS.Enum(), DeclineInverseOffers: &schedulerpb.Call_DeclineInverseOffers{}}, 202},
		{"ACKNOWLEDGE_OPERATION_STATUS", &schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE_OPERATION_STATUS.Enum(), AcknowledgeOperationStatus: &schedulerpb.Call_AcknowledgeOperationStatus{AgentId: agentID, Uuid: uuid, OperationId: &mesospb.OperationID{Value: proto.String("op")}}}, 202},
		{"SHUTDOWN", &schedulerpb.Call{Type: schedulerpb.Call_SHUTDOWN.Enum(), Shutdown: &schedulerpb.Call_Shutdown{AgentId: agentID, ExecutorId: &mesospb.ExecutorID{Value: proto.String("e")}}}, 202},
		{"MESSAGE", &schedulerpb.Call{Type: schedulerpb.Call_MESSAGE.Enum(), Message: &schedulerpb.Call_Message{AgentId: agentID, ExecutorId: &mesospb.ExecutorID{Value: proto.String("e")}, Data: []byte("hi")}}, 202},
		{"UPDATE_FRAMEWORK", &schedulerpb.Call{Type: schedulerpb.Call_UPDATE_FRAMEWORK.Enum(), UpdateFramework: &schedulerpb.Call_UpdateFramework{FrameworkInfo: withID(fwInfo("renamed"), fid)}}, 200},
		{"UNKNOWN", &schedulerpb.Call{Type: schedulerpb.Call_UNKNOWN.Enum()}, 501},
	}
	for _, tc := range calls {
		if code, body := s.call(tc.call); code != tc.code {
			t.Errorf("%s: %d %q, want %d", tc.name, code, body, tc.code)
		}
	}
	got := strings.Join(e.agents[0].got, ",")
	for _, kind := range []string{"ShutdownExecutorMessage", "FrameworkToExecutorMessage", "UpdateFrameworkMessage"} {
		if !strings.Contains(got, kind) {
			t.Errorf("agent did not get %s: %s", kind, got)
		}
	}
	var fws []master.Framework
	e.do(func() { fws = e.m.Frameworks() })
	// UPDATE_FRAMEWORK replaces the suppressed set (none given: none).
	if diff := cmp.Diff([]string(nil), fws[0].Suppressed); diff != "" || fws[0].Name != "renamed" {
		t.Errorf("framework %+v %s", fws[0], diff)
	}
}

func withID(info *mesospb.FrameworkInfo, id *mesospb.FrameworkID) *mesospb.FrameworkInfo {
	info.Id = id
	return info
}

func TestUpdateFrameworkErrors(t *testing.T) {
	e := newEnv(t)
	s, _ := e.ready(fwInfo("fw"))
	fid := &mesospb.FrameworkID{Value: proto.String(s.id)}
	user := withID(fwInfo("fw"), fid)
	user.User = proto.String("alice")
	multi := withID(fwInfo("fw"), fid)
	multi.Roles = []string{"a"}
	tests := []struct {
		name string
		info *mesospb.FrameworkInfo
		supp []string
		text string
	}{
		{"invalid", multi, nil, "Supplied FrameworkInfo is not valid: 'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable"},
		{"user", user, nil, "FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is unsupported; attempted to update from 'root' to 'alice'"},
		{"suppressed", withID(fwInfo("fw"), fid), []string{"x"}, "'UpdateFramework' call is not valid: Suppressed roles { x } are not contained in the set of roles"},
		{"id differs", fwInfo("fw"), nil, "Failed to validate scheduler::Call: 'framework_id' differs from 'update_framework.framework_info.id'"},
	}
	for _, tc := range tests {
		code, body := s.call(&schedulerpb.Call{Type: schedulerpb.Call_UPDATE_FRAMEWORK.Enum(), UpdateFramework: &schedulerpb.Call_UpdateFramework{FrameworkInfo: tc.info, SuppressedRoles: tc.supp}})
		if code != 400 || body != tc.text {
			t.Errorf("%s: %d %q, want 400 %q", tc.name, code, body, tc.text)
		}
	}
}

func TestReconcileOperations(t *testing.T) {
	e := newEnv(t)
	s, _ := e.ready(fwInfo("fw"))
	code, _ := s.call(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE_OPERATIONS.Enum(), ReconcileOperations: &schedulerpb.Call_ReconcileOperations{
		Operations: []*schedulerpb.Call_ReconcileOperations_Operation{
			{OperationId: &mesospb.OperationID{Value: proto.String("a")}},
			{OperationId: &mesospb.OperationID{Value: proto.String("b")}, AgentId: &mesospb.AgentID{Value: proto.String("gone")}},
		}}})
	if code != 202 {
		t.Fatalf("code %d", code)
	}
	want := []string{"Reconciliation: Operation is unknown and no 'agent_id' was provided", "Reconciliation: Both operation and agent are unknown"}
	for _, w := range want {
		st := s.expect(schedulerpb.Event_UPDATE_OPERATION_STATUS).GetUpdateOperationStatus().GetStatus()
		if st.GetState() != mesospb.OperationState_OPERATION_UNKNOWN || st.GetMessage() != w {
			t.Errorf("status %v", st)
		}
	}
}

func TestSuppressRevive(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	s, offers := e.ready(fwInfo("fw"))
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_SUPPRESS.Enum()})
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_DECLINE.Enum(), Decline: &schedulerpb.Call_Decline{OfferIds: []*mesospb.OfferID{offers[0].GetId()},
		Filters: &mesospb.Filters{RefuseSeconds: proto.Float64(0)}}})
	e.advance(10 * time.Second)
	drainHeartbeats(s)
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_REVIVE.Enum()})
	s.expect(schedulerpb.Event_OFFERS) // revive allocates at once
}

// drainHeartbeats consumes waiting HEARTBEATs and fails on anything else.
func drainHeartbeats(s *stream) {
	s.e.t.Helper()
	for _, ev := range s.pending() {
		if ev.GetType() != schedulerpb.Event_HEARTBEAT {
			s.e.t.Fatalf("unexpected %v", ev)
		}
	}
}

func TestLaunchGroupAndExecutorFailure(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096;disk:1000")
	s, offers := e.ready(fwInfo("fw"))
	o := offers[0]
	exec := &mesospb.ExecutorInfo{
		ExecutorId:  &mesospb.ExecutorID{Value: proto.String("ex")},
		FrameworkId: &mesospb.FrameworkID{Value: proto.String(s.id)},
		Type:        mesospb.ExecutorInfo_DEFAULT.Enum(),
		Resources:   mustRes("cpus:0.1;mem:32;disk:10"),
	}
	group := func(ids ...string) *mesospb.TaskGroupInfo {
		g := &mesospb.TaskGroupInfo{}
		for _, id := range ids {
			g.Tasks = append(g.Tasks, &mesospb.TaskInfo{Name: proto.String(id), TaskId: &mesospb.TaskID{Value: proto.String(id)}, AgentId: o.AgentId, Resources: mustRes("cpus:0.5;mem:64")})
		}
		return g
	}
	bad := proto.Clone(exec).(*mesospb.ExecutorInfo)
	bad.Resources = mustRes("cpus:0.001;mem:32;disk:10")
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds: []*mesospb.OfferID{o.GetId()},
		Operations: []*mesospb.Offer_Operation{
			{Type: mesospb.Offer_Operation_LAUNCH_GROUP.Enum(), LaunchGroup: &mesospb.Offer_Operation_LaunchGroup{Executor: bad, TaskGroup: group("x1", "x2")}},
			{Type: mesospb.Offer_Operation_LAUNCH_GROUP.Enum(), LaunchGroup: &mesospb.Offer_Operation_LaunchGroup{Executor: exec, TaskGroup: group("g1", "g2")}},
		},
	}})
	for _, id := range []string{"x1", "x2"} {
		st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		if st.GetTaskId().GetValue() != id || st.GetState() != mesospb.TaskState_TASK_ERROR || st.GetReason() != mesospb.TaskStatus_REASON_TASK_GROUP_INVALID ||
			st.GetMessage() != "Executor 'ex' uses less CPUs (0.001) than the minimum required (0.01)" {
			t.Errorf("status %v", st)
		}
	}
	for _, id := range []string{"g1", "g2"} {
		st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		if st.GetTaskId().GetValue() != id || st.GetState() != mesospb.TaskState_TASK_RUNNING {
			t.Errorf("status %v", st)
		}
	}
	// Later offers on the agent name the running executor (after the
	// default 5s filter on the ACCEPT's leftover).
	e.advance(6 * time.Second)
	var next *mesospb.Offer
	for _, ev := range drain(s) {
		if ev.GetType() == schedulerpb.Event_OFFERS {
			next = ev.GetOffers().GetOffers()[0]
		}
	}
	if next == nil || len(next.GetExecutorIds()) != 1 || next.GetExecutorIds()[0].GetValue() != "ex" {
		t.Errorf("offer executor_ids: %v", next)
	}
	// The executor's exit is a FAILURE event.
	e.do(func() {
		e.net.Send(msg.Envelope(e.agents[0].name, msg.MasterEndpoint, &msg.ExitedExecutor{AgentID: o.GetAgentId().GetValue(), FrameworkID: s.id, ExecutorID: "ex", Status: 9}))
	})
	f := s.expect(schedulerpb.Event_FAILURE).GetFailure()
	want := &schedulerpb.Event_Failure{AgentId: o.AgentId, ExecutorId: exec.ExecutorId, Status: proto.Int32(9)}
	if diff := cmp.Diff(want, f, protocmp.Transform()); diff != "" {
		t.Errorf("failure (-want +got):\n%s", diff)
	}
}

func TestReserve(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	info := fwInfo("fw")
	info.Role = proto.String("web")
	s, offers := e.ready(info)
	o := offers[0]
	res := mustRes("cpus:1")
	res[0].Reservations = []*mesospb.Resource_ReservationInfo{{Type: mesospb.Resource_ReservationInfo_DYNAMIC.Enum(), Role: proto.String("web")}}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds:   []*mesospb.OfferID{o.GetId()},
		Operations: []*mesospb.Offer_Operation{{Type: mesospb.Offer_Operation_RESERVE.Enum(), Reserve: &mesospb.Offer_Operation_Reserve{Resources: res}}},
		Filters:    &mesospb.Filters{RefuseSeconds: proto.Float64(0)},
	}})
	if !contains(e.agents[0].got, "CheckpointResourcesMessage") {
		t.Fatalf("no checkpoint: %v", e.agents[0].got)
	}
	e.advance(time.Second)
	drainOffers := s.next()
	for drainOffers.GetType() == schedulerpb.Event_HEARTBEAT {
		drainOffers = s.next()
	}
	got := drainOffers.GetOffers().GetOffers()[0]
	var reserved bool
	for _, r := range got.GetResources() {
		if r.GetRole() == "web" && r.Reservation != nil && r.GetName() == "cpus" && r.GetScalar().GetValue() == 1 {
			reserved = true
		}
	}
	if !reserved {
		t.Errorf("offer after RESERVE: %v", got)
	}
}

func TestPartitionAwareInvalidOffer(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	info := fwInfo("fw")
	info.Capabilities = []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_PARTITION_AWARE.Enum()}}
	s, _ := e.ready(info)
	bogus := &mesospb.Offer{Id: &mesospb.OfferID{Value: proto.String("bogus")}}
	s.call(accept(bogus, &mesospb.TaskInfo{Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t")}, AgentId: &mesospb.AgentID{Value: proto.String("a")}}))
	st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetState() != mesospb.TaskState_TASK_DROPPED || st.GetMessage() != "Task launched with invalid offers: Offer bogus is no longer valid" {
		t.Errorf("status %v", st)
	}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), Reconcile: &schedulerpb.Call_Reconcile{Tasks: []*schedulerpb.Call_Reconcile_Task{{TaskId: &mesospb.TaskID{Value: proto.String("q")}}}}})
	if st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus(); st.GetState() != mesospb.TaskState_TASK_UNKNOWN {
		t.Errorf("PA reconcile unknown: %v", st)
	}
}

func TestFailoverTimeoutResubscribeInTime(t *testing.T) {
	e := newEnv(t)
	info := fwInfo("fw")
	info.FailoverTimeout = proto.Float64(30)
	s, _ := e.ready(info)
	s.resp.Body.Close()
	e.waitFor(func() bool { return !e.m.Frameworks()[0].Connected })
	e.advance(29 * time.Second)
	info.Id = &mesospb.FrameworkID{Value: proto.String(s.id)}
	s2, _ := e.ready(info)
	e.advance(time.Hour)
	var fws []master.Framework
	e.do(func() { fws = e.m.Frameworks() })
	if len(fws) != 1 || !fws[0].Connected || fws[0].ID != s2.id {
		t.Errorf("frameworks %+v", fws)
	}
}

func TestFailoverTimeoutExpires(t *testing.T) {
	e := newEnv(t)
	info := fwInfo("fw")
	info.FailoverTimeout = proto.Float64(30)
	s, _ := e.ready(info)
	s.resp.Body.Close()
	e.waitFor(func() bool { return !e.m.Frameworks()[0].Connected })
	e.advance(30 * time.Second)
	var n int
	e.do(func() { n = len(e.m.Frameworks()) })
	if n != 0 {
		t.Fatalf("%d frameworks", n)
	}
	info.Id = &mesospb.FrameworkID{Value: proto.String(s.id)}
	s2 := e.subscribe(info)
	if ev := s2.expect(schedulerpb.Event_ERROR); ev.GetError().GetMessage() != "Framework has been removed" {
		t.Errorf("resubscribe: %v", ev)
	}
}

func TestAgentUnreachable(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	s, offers := e.ready(fwInfo("fw"))
	o := offers[0]
	s.call(accept(o, &mesospb.TaskInfo{Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t1")}, AgentId: o.AgentId,
		Resources: mustRes("cpus:1;mem:64"), Command: &mesospb.CommandInfo{Value: proto.String("x")}}))
	s.expect(schedulerpb.Event_UPDATE)
	e.do(func() { e.agents[0].mute = true })
	e.advance(89 * time.Second) // last pong at 0s; pings at 15s..75s time out at 30s..90s
	for _, ev := range drain(s) {
		if ev.GetType() != schedulerpb.Event_HEARTBEAT && ev.GetType() != schedulerpb.Event_OFFERS {
			t.Fatalf("early %v", ev)
		}
	}
	e.advance(time.Second)
	var types []string
	for _, ev := range drain(s) {
		if ev.GetType() == schedulerpb.Event_HEARTBEAT {
			continue
		}
		types = append(types, ev.GetType().String())
		if ev.GetType() == schedulerpb.Event_UPDATE {
			st := ev.GetUpdate().GetStatus()
			if st.GetState() != mesospb.TaskState_TASK_LOST || st.GetReason() != mesospb.TaskStatus_REASON_AGENT_REMOVED || st.GetMessage() != "health check timed out" {
				t.Errorf("status %v", st)
			}
		}
	}
	if len(types) < 2 || types[0] != "UPDATE" || types[len(types)-1] != "FAILURE" {
		t.Errorf("events %v", types)
	}
}

func drain(s *stream) []*schedulerpb.Event { return s.pending() }

func TestOfferTimeout(t *testing.T) {
	e := newEnvConfig(t, master.Config{OfferTimeout: 10 * time.Second}, "cpus:4;mem:4096")
	s, offers := e.ready(fwInfo("fw"))
	e.advance(10 * time.Second)
	var rescinded bool
	for _, ev := range drain(s) {
		if ev.GetType() == schedulerpb.Event_RESCIND && ev.GetRescind().GetOfferId().GetValue() == offers[0].GetId().GetValue() {
			rescinded = true
		}
	}
	if !rescinded {
		t.Error("offer not rescinded")
	}
}

func TestOverflowDisconnects(t *testing.T) {
	e := newEnvConfig(t, master.Config{MaxQueuedEvents: 3})
	info := fwInfo("fw")
	info.FailoverTimeout = proto.Float64(1000)
	var sub *master.Subscription
	e.do(func() {
		sub = e.m.Subscribe(&schedulerpb.Call_Subscribe{FrameworkInfo: info})
	})
	// SUBSCRIBED, HEARTBEAT queued, nobody reads; two more heartbeats overflow.
	e.advance(30 * time.Second)
	var fws []master.Framework
	e.do(func() { fws = e.m.Frameworks() })
	if fws[0].Connected || !sub.Closed() {
		t.Errorf("framework %+v closed=%v", fws[0], sub.Closed())
	}
	if evs, closed := sub.Drain(); len(evs) != 3 || !closed {
		t.Errorf("%d events, closed %v", len(evs), closed)
	}
}

func TestDeterministicIDs(t *testing.T) {
	ids := func() []string {
		e := newEnv(t, "cpus:4;mem:4096")
		s, offers := e.ready(fwInfo("fw"))
		return []string{s.id, s.streamID, offers[0].GetId().GetValue(), offers[0].GetAgentId().GetValue()}
	}
	if diff := cmp.Diff(ids(), ids()); diff != "" {
		t.Errorf("not deterministic:\n%s", diff)
	}
}

func TestUnreachableAgentReregisters(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	s, offers := e.ready(fwInfo("fw"))
	o := offers[0]
	s.call(accept(o, &mesospb.TaskInfo{Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t1")}, AgentId: o.AgentId,
		Resources: mustRes("cpus:1;mem:64"), Command: &mesospb.CommandInfo{Value: proto.String("x")}}))
	s.expect(schedulerpb.Event_UPDATE)
	e.do(func() { e.agents[0].mute = true })
	e.advance(90 * time.Second)
	drain(s)
	a := e.agents[0]
	e.do(func() {
		a.mute = false
		a.send(&msg.ReregisterAgent{Name: a.name, Info: &mesospb.AgentInfo{Id: o.AgentId, Hostname: proto.String(a.name + ".example"), Resources: mustRes("cpus:4;mem:4096")},
			Tasks: []*mesospb.Task{{Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t1")}, FrameworkId: &mesospb.FrameworkID{Value: proto.String(s.id)},
				AgentId: o.AgentId, State: mesospb.TaskState_TASK_RUNNING.Enum(), Resources: mustRes("cpus:1;mem:64")}}})
	})
	st := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetState() != mesospb.TaskState_TASK_RUNNING || st.GetReason() != mesospb.TaskStatus_REASON_AGENT_REREGISTERED || st.GetMessage() != "Unreachable agent re-reregistered" {
		t.Errorf("status %v", st)
	}
	var tasks []master.Task
	e.do(func() { tasks = e.m.Tasks() })
	if len(tasks) != 1 || tasks[0].State != mesospb.TaskState_TASK_RUNNING {
		t.Errorf("tasks %+v", tasks)
	}
}

func TestSubscribeRefusals(t *testing.T) {
	multi := []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_MULTI_ROLE.Enum()}}
	tests := []struct {
		name string
		edit func(*mesospb.FrameworkInfo)
		supp []string
		text string
	}{
		{"role with MULTI_ROLE", func(i *mesospb.FrameworkInfo) { i.Capabilities = multi; i.Role = proto.String("a") }, nil,
			"'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable"},
		{"roles without MULTI_ROLE", func(i *mesospb.FrameworkInfo) { i.Roles = []string{"a"} }, nil,
			"'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable"},
		{"duplicate roles", func(i *mesospb.FrameworkInfo) { i.Capabilities = multi; i.Roles = []string{"a", "b", "a"} }, nil,
			"'FrameworkInfo.roles' contains duplicate items: { a }"},
		{"invalid role", func(i *mesospb.FrameworkInfo) { i.Role = proto.String("/a") }, nil,
			"'FrameworkInfo.role' is not a valid role: "},
		{"invalid id", func(i *mesospb.FrameworkInfo) { i.Id = &mesospb.FrameworkID{Value: proto.String("a/b")} }, nil,
			"'a/b' contains invalid characters"},
		{"suppressed roles", func(i *mesospb.FrameworkInfo) {}, []string{"x", "y"},
			"Suppressed roles { x, y } are not contained in the set of roles"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			info := fwInfo("fw")
			tc.edit(info)
			var sub *master.Subscription
			e.do(func() {
				sub = e.m.Subscribe(&schedulerpb.Call_Subscribe{FrameworkInfo: info, SuppressedRoles: tc.supp})
			})
			evs, closed := sub.Drain()
			if !closed || len(evs) != 1 || evs[0].GetType() != schedulerpb.Event_ERROR || !strings.HasPrefix(evs[0].GetError().GetMessage(), tc.text) {
				t.Errorf("got %v closed=%v, want ERROR %q", evs, closed, tc.text)
			}
		})
	}
}

func TestMultiRoleOffers(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	info := fwInfo("fw")
	info.Capabilities = []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_MULTI_ROLE.Enum()}}
	info.Roles = []string{"web"}
	_, offers := e.ready(info)
	o := offers[0]
	if o.GetAllocationInfo().GetRole() != "web" {
		t.Errorf("offer allocation_info %v", o.GetAllocationInfo())
	}
	for _, r := range o.GetResources() {
		if r.GetAllocationInfo().GetRole() != "web" {
			t.Errorf("resource %v", r)
		}
	}
	// A non-MULTI_ROLE framework sees no allocation_info.
	e2 := newEnv(t, "cpus:4;mem:4096")
	_, offers = e2.ready(fwInfo("fw"))
	if offers[0].AllocationInfo != nil || offers[0].GetResources()[0].AllocationInfo != nil {
		t.Errorf("offer %v", offers[0])
	}
}
