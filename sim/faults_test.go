package sim_test

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/sim"
)

// The tests in this file show, step by step on virtual time, what a
// PARTITION_AWARE and a non-partition-aware framework see when a fault
// hits the agent that runs one task of each, with Mesos's default flags:
// pings every 15 s, 5 missed pings mark the agent unreachable.

// faultWorld is a one-agent cluster with two frameworks, "pa"
// (PARTITION_AWARE) and "plain", each running one task on agent-1.
type faultWorld struct {
	t       *testing.T
	c       *sim.Cluster
	pa, non *scheduler
	agentID *mesospb.AgentID
	epoch   time.Time
}

func newFaultWorld(t *testing.T, checkpoint bool, opts ...sim.Option) *faultWorld {
	t.Helper()
	c := sim.New(t, append([]sim.Option{sim.Agents(1, "cpus:4;mem:4096;disk:1024")}, opts...)...)
	w := &faultWorld{t: t, c: c, epoch: c.Now().Add(-c.Elapsed())}
	info := func(name string, pa bool) *mesospb.FrameworkInfo {
		fi := &mesospb.FrameworkInfo{
			User: proto.String("test"), Name: proto.String(name),
			Checkpoint: proto.Bool(checkpoint), FailoverTimeout: proto.Float64(3600),
		}
		if pa {
			fi.Capabilities = []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_PARTITION_AWARE.Enum()}}
		}
		return fi
	}
	w.pa = subscribeInfo(t, c.HTTPClient(), "http://sim", mediatype.JSON, info("pa", true))
	w.launch(w.pa, "pa-task")
	w.non = subscribeInfo(t, c.HTTPClient(), "http://sim", mediatype.Protobuf, info("plain", false))
	w.launch(w.non, "plain-task")
	t.Cleanup(func() { w.pa.body.Close(); w.non.body.Close() })
	return w
}

// launch runs one task from the framework's first offer, acknowledges its
// updates and suppresses further offers, so that the stream carries only
// what the faults cause.
func (w *faultWorld) launch(s *scheduler, taskID string) {
	w.t.Helper()
	offer := awaitEvent(s, schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	w.agentID = offer.GetAgentId()
	task := &mesospb.TaskInfo{
		Name: proto.String(taskID), TaskId: &mesospb.TaskID{Value: proto.String(taskID)}, AgentId: offer.GetAgentId(),
		Resources: []*mesospb.Resource{
			{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}},
			{Name: proto.String("mem"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(128)}},
		},
		Command: &mesospb.CommandInfo{Value: proto.String("./serve")},
	}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_SUPPRESS.Enum()})
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds: []*mesospb.OfferID{offer.GetId()},
		Operations: []*mesospb.Offer_Operation{{
			Type: mesospb.Offer_Operation_LAUNCH.Enum(), Launch: &mesospb.Offer_Operation_Launch{TaskInfos: []*mesospb.TaskInfo{task}},
		}},
		Filters: &mesospb.Filters{RefuseSeconds: proto.Float64(3600)},
	}})
	s.ack(awaitUpdate(s, mesospb.TaskState_TASK_STARTING))
	s.ack(awaitUpdate(s, mesospb.TaskState_TASK_RUNNING))
}

// awaitEvent reads events until one of type want, skipping heartbeats,
// offers and rescinds.
func awaitEvent(s *scheduler, want schedulerpb.Event_Type) *schedulerpb.Event {
	s.t.Helper()
	return s.nextSkipping(want, schedulerpb.Event_HEARTBEAT, schedulerpb.Event_OFFERS, schedulerpb.Event_RESCIND)
}

func awaitUpdate(s *scheduler, want mesospb.TaskState) *mesospb.TaskStatus {
	s.t.Helper()
	st := awaitEvent(s, schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetState() != want {
		s.t.Fatalf("update %v (%v: %s), want %v", st.GetState(), st.GetReason(), st.GetMessage(), want)
	}
	return st
}

// seen is what a test asserts of a master-made update.
type seen struct {
	Task, State, Reason, Message string
	At                           time.Duration // virtual time of the update
	Unreachable                  time.Duration // its unreachable_time, if any
}

func (w *faultWorld) seen(st *mesospb.TaskStatus) seen {
	at := time.Duration(st.GetTimestamp()*1e9) - time.Duration(w.epoch.UnixNano())
	s := seen{Task: st.GetTaskId().GetValue(), State: st.GetState().String(), Reason: st.GetReason().String(), Message: st.GetMessage(),
		At: at.Round(time.Millisecond)}
	if ut := st.GetUnreachableTime(); ut != nil {
		s.Unreachable = time.Duration(ut.GetNanoseconds() - w.epoch.UnixNano())
	}
	return s
}

func (w *faultWorld) expect(s *scheduler, want seen) {
	w.t.Helper()
	st := awaitEvent(s, schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if diff := cmp.Diff(want, w.seen(st)); diff != "" {
		w.t.Errorf("%s sees (-want +got):\n%s", s.name, diff)
	}
	if len(st.GetUuid()) != 0 {
		w.t.Errorf("%s: master-made update carries a uuid", s.name)
	}
}

func (w *faultWorld) expectFailure(s *scheduler) {
	w.t.Helper()
	f := awaitEvent(s, schedulerpb.Event_FAILURE).GetFailure()
	if f.GetAgentId().GetValue() != w.agentID.GetValue() || f.ExecutorId != nil {
		w.t.Errorf("FAILURE %v, want the loss of agent %s", f, w.agentID.GetValue())
	}
}

// reconcile asks for the state of the framework's task explicitly.
func (w *faultWorld) reconcile(s *scheduler, taskID string) *mesospb.TaskStatus {
	w.t.Helper()
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), Reconcile: &schedulerpb.Call_Reconcile{
		Tasks: []*schedulerpb.Call_Reconcile_Task{{TaskId: &mesospb.TaskID{Value: proto.String(taskID)}, AgentId: w.agentID}},
	}})
	st := awaitEvent(s, schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetReason() != mesospb.TaskStatus_REASON_RECONCILIATION {
		w.t.Fatalf("%s: got %v (%v: %s) before the reconciliation answer", s.name, st.GetState(), st.GetReason(), st.GetMessage())
	}
	return st
}

func (w *faultWorld) advanceTo(d time.Duration) {
	w.t.Helper()
	if err := w.c.AdvanceTo(w.epoch.Add(d)); err != nil {
		w.t.Fatal(err)
	}
}

func TestAgentCrashWithoutCheckpointing(t *testing.T) {
	w := newFaultWorld(t, false)
	w.advanceTo(5 * time.Second)
	if err := w.c.InjectFault(faults.CrashAgent{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	// The socket breaks at once: tasks of frameworks that do not
	// checkpoint are lost right away, TASK_LOST even for PARTITION_AWARE.
	lost := func(task string) seen {
		return seen{Task: task, State: "TASK_LOST", Reason: "REASON_AGENT_DISCONNECTED", Message: "Agent agent-1 disconnected", At: 5 * time.Second}
	}
	w.expect(w.pa, lost("pa-task"))
	w.expect(w.non, lost("plain-task"))
	// Pings at 15 s ... 75 s go unanswered: unreachable at 90 s, with no
	// task left, so only FAILURE.
	w.advanceTo(89 * time.Second)
	w.c.Master(func(m *master.Master) {
		if len(m.Agents()) != 1 {
			t.Errorf("agent removed before 90 s")
		}
	})
	w.advanceTo(90 * time.Second)
	w.expectFailure(w.pa)
	w.expectFailure(w.non)
	// Reconciliation: the agent is unreachable.
	got := w.seen(w.reconcile(w.pa, "pa-task"))
	want := seen{Task: "pa-task", State: "TASK_UNREACHABLE", Reason: "REASON_RECONCILIATION", Message: "Reconciliation: Task is unreachable", At: 90 * time.Second, Unreachable: 90 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("PA reconciliation (-want +got):\n%s", diff)
	}
	if st := w.reconcile(w.non, "plain-task"); st.GetState() != mesospb.TaskState_TASK_LOST {
		t.Errorf("non-PA reconciliation: %v", st.GetState())
	}
}

func TestAgentPartitionThenHeal(t *testing.T) {
	w := newFaultWorld(t, true)
	w.advanceTo(5 * time.Second)
	if err := w.c.InjectFault(faults.Partition{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	heal := func() {
		if err := w.c.InjectFault(faults.Heal{Agent: "agent-1"}); err != nil {
			t.Fatal(err)
		}
	}
	w.advanceTo(89 * time.Second)
	if agents := w.c.AgentsInfo(); len(agents) != 1 {
		t.Errorf("agent removed before 90 s")
	}
	w.advanceTo(90 * time.Second)
	w.expect(w.pa, seen{Task: "pa-task", State: "TASK_UNREACHABLE", Reason: "REASON_AGENT_REMOVED", Message: "health check timed out", At: 90 * time.Second, Unreachable: 90 * time.Second})
	w.expect(w.non, seen{Task: "plain-task", State: "TASK_LOST", Reason: "REASON_AGENT_REMOVED", Message: "health check timed out", At: 90 * time.Second, Unreachable: 90 * time.Second})
	w.expectFailure(w.pa)
	w.expectFailure(w.non)
	w.advanceTo(120 * time.Second)
	heal()
	// The agent retries registration with a backoff capped at one minute;
	// once through, each task is re-reported as it is: still running.
	ok, err := w.c.RunUntil(func(v sim.View) bool { return len(v.Agents()) == 1 && v.Agents()[0].Connected }, 2*time.Minute)
	if err != nil || !ok {
		t.Fatalf("agent did not re-register: %v", err)
	}
	for _, s := range []*scheduler{w.pa, w.non} {
		st := awaitUpdate(s, mesospb.TaskState_TASK_RUNNING)
		if st.GetReason() != mesospb.TaskStatus_REASON_AGENT_REREGISTERED || st.GetMessage() != "Unreachable agent re-reregistered" {
			t.Errorf("%s: re-registration update %v: %s", s.name, st.GetReason(), st.GetMessage())
		}
	}
	if st := w.reconcile(w.non, "plain-task"); st.GetState() != mesospb.TaskState_TASK_RUNNING {
		t.Errorf("after heal, reconciliation says %v", st.GetState())
	}
}

func TestAgentCrashWithCheckpointingThenRecovery(t *testing.T) {
	w := newFaultWorld(t, true)
	w.advanceTo(5 * time.Second)
	if err := w.c.InjectFault(faults.CrashAgent{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	// Checkpointing frameworks see nothing when the socket breaks; the
	// agent has until the health checks fail to come back.
	w.advanceTo(90 * time.Second)
	w.expect(w.pa, seen{Task: "pa-task", State: "TASK_UNREACHABLE", Reason: "REASON_AGENT_REMOVED", Message: "health check timed out", At: 90 * time.Second, Unreachable: 90 * time.Second})
	w.expect(w.non, seen{Task: "plain-task", State: "TASK_LOST", Reason: "REASON_AGENT_REMOVED", Message: "health check timed out", At: 90 * time.Second, Unreachable: 90 * time.Second})
	w.expectFailure(w.pa)
	w.expectFailure(w.non)
	// Restarted with its work directory, the agent recovers the tasks and
	// re-registers under its id; the tasks come back.
	w.advanceTo(100 * time.Second)
	if err := w.c.InjectFault(faults.RestartAgent{Agent: "agent-1", Recover: true}); err != nil {
		t.Fatal(err)
	}
	w.advanceTo(102 * time.Second)
	for _, s := range []*scheduler{w.pa, w.non} {
		st := awaitUpdate(s, mesospb.TaskState_TASK_RUNNING)
		if st.GetMessage() != "Unreachable agent re-reregistered" || st.GetAgentId().GetValue() != w.agentID.GetValue() {
			t.Errorf("%s: %s on %s", s.name, st.GetMessage(), st.GetAgentId().GetValue())
		}
	}
}

func TestAgentRestartWithRecoveryIsInvisible(t *testing.T) {
	w := newFaultWorld(t, true)
	w.advanceTo(5 * time.Second)
	if err := w.c.InjectFault(faults.RestartAgent{Agent: "agent-1", Recover: true}); err != nil {
		t.Fatal(err)
	}
	w.advanceTo(10 * time.Second)
	// Nothing was lost: the first update either framework gets is the
	// answer to its reconciliation, TASK_RUNNING.
	for _, s := range []*scheduler{w.pa, w.non} {
		task := map[*scheduler]string{w.pa: "pa-task", w.non: "plain-task"}[s]
		if st := w.reconcile(s, task); st.GetState() != mesospb.TaskState_TASK_RUNNING {
			t.Errorf("%s: %v", s.name, st.GetState())
		}
	}
}

func TestAgentRestartWithoutRecoveryIsANewAgent(t *testing.T) {
	w := newFaultWorld(t, false)
	w.advanceTo(5 * time.Second)
	old := w.agentID.GetValue()
	if err := w.c.InjectFault(faults.RestartAgent{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []*scheduler{w.pa, w.non} {
		if st := awaitUpdate(s, mesospb.TaskState_TASK_LOST); st.GetReason() != mesospb.TaskStatus_REASON_AGENT_DISCONNECTED {
			t.Errorf("%s: %v", s.name, st.GetReason())
		}
	}
	// The new process registers as a new agent; the old id is removed at
	// once, as a new agent registered at its address.
	w.advanceTo(10 * time.Second)
	w.expectFailure(w.pa)
	w.expectFailure(w.non)
	agents := w.c.AgentsInfo()
	if len(agents) != 1 || agents[0].ID == old || !agents[0].Connected {
		t.Errorf("agents after restart: %+v (old id %s)", agents, old)
	}
}

func TestMarkAgentGone(t *testing.T) {
	w := newFaultWorld(t, true)
	w.advanceTo(5 * time.Second)
	if err := w.c.InjectFault(faults.MarkAgentGone{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	w.expect(w.pa, seen{Task: "pa-task", State: "TASK_GONE_BY_OPERATOR", Reason: "REASON_AGENT_REMOVED_BY_OPERATOR", Message: "Agent has been marked gone", At: 5 * time.Second})
	w.expect(w.non, seen{Task: "plain-task", State: "TASK_LOST", Reason: "REASON_AGENT_REMOVED", Message: "Agent has been marked gone", At: 5 * time.Second})
	w.expectFailure(w.pa)
	w.expectFailure(w.non)
	// The agent was told to shut down and may not come back.
	w.advanceTo(5 * time.Minute)
	if agents := w.c.AgentsInfo(); len(agents) != 0 {
		t.Errorf("agents after MARK_AGENT_GONE: %+v", agents)
	}
	got := w.seen(w.reconcile(w.pa, "pa-task"))
	if got.State != "TASK_GONE_BY_OPERATOR" || got.Message != "Reconciliation: Task is gone" {
		t.Errorf("reconciliation of a gone agent's task: %+v", got)
	}
}

func TestMarkUnreachableAgentGone(t *testing.T) {
	w := newFaultWorld(t, true)
	w.advanceTo(5 * time.Second)
	if err := w.c.InjectFault(faults.Partition{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	w.advanceTo(90 * time.Second)
	awaitUpdate(w.pa, mesospb.TaskState_TASK_UNREACHABLE)
	awaitUpdate(w.non, mesospb.TaskState_TASK_LOST)
	w.expectFailure(w.pa)
	w.expectFailure(w.non)
	w.advanceTo(100 * time.Second)
	if err := w.c.InjectFault(faults.MarkAgentGone{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	// The unreachable tasks get the same updates as a registered agent's,
	// and no FAILURE: the reconciliation answer comes next.
	w.expect(w.pa, seen{Task: "pa-task", State: "TASK_GONE_BY_OPERATOR", Reason: "REASON_AGENT_REMOVED_BY_OPERATOR", Message: "Agent has been marked gone", At: 100 * time.Second})
	w.expect(w.non, seen{Task: "plain-task", State: "TASK_LOST", Reason: "REASON_AGENT_REMOVED", Message: "Agent has been marked gone", At: 100 * time.Second})
	if st := w.reconcile(w.pa, "pa-task"); st.GetState() != mesospb.TaskState_TASK_GONE_BY_OPERATOR {
		t.Errorf("reconciliation: %v", st.GetState())
	}
}

func TestCutStreamAndResubscribe(t *testing.T) {
	w := newFaultWorld(t, false)
	w.advanceTo(5 * time.Second)
	if err := w.c.InjectFault(faults.CutStream{Framework: "plain"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.non.events.ReadRecord(); err != io.EOF {
		t.Fatalf("cut stream: %v, want EOF", err)
	}
	// Within its failover timeout the framework comes back with its id and
	// finds its task.
	w.advanceTo(10 * time.Minute)
	info := &mesospb.FrameworkInfo{User: proto.String("test"), Name: proto.String("plain"), Id: w.non.fwID, FailoverTimeout: proto.Float64(3600)}
	w.non = subscribeInfo(t, w.c.HTTPClient(), "http://sim", mediatype.Protobuf, info)
	if st := w.reconcile(w.non, "plain-task"); st.GetState() != mesospb.TaskState_TASK_RUNNING {
		t.Errorf("after resubscription: %v", st.GetState())
	}
}

func TestMasterFailoverWhileTasksLaunch(t *testing.T) {
	c := sim.New(t, sim.Agents(2, "cpus:4;mem:4096"), sim.Latency(10*time.Millisecond))
	info := &mesospb.FrameworkInfo{User: proto.String("test"), Name: proto.String("keeper"), FailoverTimeout: proto.Float64(3600), Checkpoint: proto.Bool(true)}
	s := subscribeInfo(t, c.HTTPClient(), "http://sim", mediatype.JSON, info)
	defer func() { s.body.Close() }()
	if err := c.Advance(20 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	var launched []string
	offers := awaitEvent(s, schedulerpb.Event_OFFERS).GetOffers().GetOffers()
	for i, o := range offers {
		id := []string{"a", "b"}[i]
		launched = append(launched, id)
		s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
			OfferIds: []*mesospb.OfferID{o.GetId()},
			Operations: []*mesospb.Offer_Operation{{Type: mesospb.Offer_Operation_LAUNCH.Enum(), Launch: &mesospb.Offer_Operation_Launch{TaskInfos: []*mesospb.TaskInfo{{
				Name: proto.String(id), TaskId: &mesospb.TaskID{Value: proto.String(id)}, AgentId: o.GetAgentId(),
				Resources: []*mesospb.Resource{{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}}},
				Command:   &mesospb.CommandInfo{Value: proto.String("sleep 1000")},
			}}}}},
		}})
	}
	// The RunTask messages are still on the wire when the leader dies.
	oldMaster := ""
	c.Master(func(m *master.Master) { oldMaster = m.ID() })
	if err := c.InjectFault(faults.FailoverMaster{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.events.ReadRecord(); err != nil && err != io.EOF {
		t.Logf("stream ended with %v", err)
	}
	for {
		if _, err := s.events.ReadRecord(); err != nil {
			break
		}
	}
	// Agents re-register with the new leader within a second or so; the
	// framework resubscribes with its id and reconciles.
	if err := c.Advance(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	info.Id = s.fwID
	s = subscribeInfo(t, c.HTTPClient(), "http://sim", mediatype.JSON, info)
	var newMaster string
	c.Master(func(m *master.Master) { newMaster = m.ID() })
	if newMaster == oldMaster {
		t.Fatalf("master id unchanged after failover: %s", newMaster)
	}
	// The agents resend the updates the framework never acknowledged
	// (over a network with 10 ms latency: let time run).
	running := map[string]bool{}
	for len(running) < len(launched) {
		if err := c.Advance(100 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
		st := awaitEvent(s, schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		if len(st.GetUuid()) > 0 {
			s.ack(st)
		}
		if st.GetState() == mesospb.TaskState_TASK_RUNNING {
			running[st.GetTaskId().GetValue()] = true
		}
	}
	truth := map[string]string{}
	for _, tasks := range c.AgentTasks() {
		for _, tk := range tasks {
			truth[tk.TaskID] = tk.State.String()
		}
	}
	var req []*schedulerpb.Call_Reconcile_Task
	for _, id := range launched {
		req = append(req, &schedulerpb.Call_Reconcile_Task{TaskId: &mesospb.TaskID{Value: proto.String(id)}})
	}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), Reconcile: &schedulerpb.Call_Reconcile{Tasks: req}})
	if err := c.Advance(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	view := map[string]string{}
	for range launched {
		st := awaitEvent(s, schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		if st.GetReason() == mesospb.TaskStatus_REASON_RECONCILIATION {
			view[st.GetTaskId().GetValue()] = st.GetState().String()
		}
	}
	if diff := cmp.Diff(truth, view); diff != "" {
		t.Errorf("framework's view after failover differs from the agents' truth (-agents +framework):\n%s", diff)
	}
	if len(truth) != len(launched) {
		t.Errorf("agents run %v, launched %v", truth, launched)
	}
}

// launchOne subscribes a framework and launches one task from its first
// offer, without waiting for updates.
func launchOne(t *testing.T, c *sim.Cluster, taskID string) *scheduler {
	t.Helper()
	s := subscribeInfo(t, c.HTTPClient(), "http://sim", mediatype.JSON, &mesospb.FrameworkInfo{User: proto.String("test"), Name: proto.String("fw")})
	t.Cleanup(func() { s.body.Close() })
	offer := awaitEvent(s, schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds: []*mesospb.OfferID{offer.GetId()},
		Operations: []*mesospb.Offer_Operation{{Type: mesospb.Offer_Operation_LAUNCH.Enum(), Launch: &mesospb.Offer_Operation_Launch{TaskInfos: []*mesospb.TaskInfo{{
			Name: proto.String(taskID), TaskId: &mesospb.TaskID{Value: proto.String(taskID)}, AgentId: offer.GetAgentId(),
			Resources: []*mesospb.Resource{{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}}},
			Command:   &mesospb.CommandInfo{Value: proto.String("./serve")},
		}}}}},
	}})
	return s
}

func TestDroppedStatusUpdatesAreRetriedWithBackoff(t *testing.T) {
	c := sim.New(t, sim.Agents(1, ""), sim.Faults(faults.Schedule{
		faults.At(0, faults.Drop{Match: faults.Match{Agent: "agent-1", Kind: "StatusUpdateMessage", Direction: faults.FromAgent}, Probability: 1}),
		faults.At(25*time.Second, faults.Heal{}),
	}))
	launchOne(t, c, "t1")
	// TASK_STARTING is sent at 0 s and retried at 10 s (dropped), then
	// 20 s later, at 30 s: the first copy through.
	ok, err := c.RunUntil(func(v sim.View) bool {
		tasks := v.Tasks()
		return len(tasks) == 1 && tasks[0].StatusUpdateState == mesospb.TaskState_TASK_STARTING
	}, time.Minute)
	if err != nil || !ok {
		t.Fatalf("update never arrived: %v", err)
	}
	if got := c.Elapsed(); got != 30*time.Second {
		t.Errorf("TASK_STARTING reached the master at %v, want 30s", got)
	}
	var drops []string
	for _, r := range c.FaultRecords() {
		drops = append(drops, r.String())
	}
	want := []string{
		"0s step 1: drop StatusUpdateMessage from agent-1 to the master with probability 1",
		"25s step 2: " + faults.Heal{}.String(),
	}
	if diff := cmp.Diff(want, drops); diff != "" {
		t.Errorf("fault records (-want +got):\n%s", diff)
	}
}

func TestCallFaultsDropAnswers(t *testing.T) {
	c := sim.New(t, sim.Agents(1, ""))
	s := subscribeInfo(t, c.HTTPClient(), "http://sim", mediatype.JSON, &mesospb.FrameworkInfo{User: proto.String("test"), Name: proto.String("fw")})
	defer s.body.Close()
	if err := c.InjectFault(faults.CallFaults{Framework: "fw", DropAnswer: 1}); err != nil {
		t.Fatal(err)
	}
	b, _ := mediatype.Encode(mediatype.JSON, &schedulerpb.Call{Type: schedulerpb.Call_SUPPRESS.Enum(), FrameworkId: s.fwID})
	req, _ := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Mesos-Stream-Id", s.streamID)
	if resp, err := s.client.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("answer arrived (%d) although it was to be dropped", resp.StatusCode)
	}
	// The call was processed all the same.
	if fws := c.Frameworks(); len(fws) != 1 || len(fws[0].Suppressed) != 1 {
		t.Errorf("SUPPRESS not applied: %+v", fws)
	}
}

// TestFaultScheduleReplays runs one fault schedule 100 times with one seed
// and gets one trace.
func TestFaultScheduleReplays(t *testing.T) {
	schedule := faults.Schedule{
		faults.At(2*time.Second, faults.Drop{Match: faults.Match{Agent: "agent-1"}, Probability: 0.3}),
		faults.After(10*time.Second, faults.Partition{Agent: "agent-2"}),
		faults.After(100*time.Second, faults.Heal{}),
		faults.After(time.Second, faults.CrashAgent{Agent: "agent-1"}),
		faults.After(5*time.Second, faults.RestartAgent{Agent: "agent-1", Recover: true}),
		faults.After(time.Second, faults.FailoverMaster{}),
	}
	run := func() string {
		var trace strings.Builder
		c := sim.New(t, sim.Seed(42), sim.Agents(3, ""), sim.TraceTo(&trace), sim.Faults(schedule))
		launchOne(t, c, "t1")
		if err := c.Advance(5 * time.Minute); err != nil {
			t.Fatal(err)
		}
		c.Close()
		return trace.String()
	}
	first := run()
	if !strings.Contains(first, "master failover") || !strings.Contains(first, "unreachable") {
		t.Fatalf("the schedule did not play out:\n%s", first)
	}
	for i := 1; i < 100; i++ {
		if got := run(); got != first {
			t.Fatalf("run %d differs from run 0:\n%s", i, cmp.Diff(first, got))
		}
	}
}

func TestTaskFaults(t *testing.T) {
	tests := []struct {
		fault  faults.Fault
		kill   bool // kill the task after the fault
		want   mesospb.TaskState
		reason mesospb.TaskStatus_Reason
	}{
		{fault: faults.FailTask{Task: "t1"}, want: mesospb.TaskState_TASK_FAILED, reason: -1},
		{fault: faults.CrashExecutor{Task: "t1"}, want: mesospb.TaskState_TASK_FAILED, reason: mesospb.TaskStatus_REASON_EXECUTOR_TERMINATED},
		{fault: faults.HangOnKill{Task: "t1"}, kill: true, want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.fault.Kind(), func(t *testing.T) {
			c := sim.New(t, sim.Agents(1, ""))
			s := launchOne(t, c, "t1")
			s.ack(awaitUpdate(s, mesospb.TaskState_TASK_STARTING))
			s.ack(awaitUpdate(s, mesospb.TaskState_TASK_RUNNING))
			if err := c.InjectFault(tt.fault); err != nil {
				t.Fatal(err)
			}
			if tt.kill {
				s.call(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: &schedulerpb.Call_Kill{TaskId: &mesospb.TaskID{Value: proto.String("t1")}}})
				if err := c.Advance(time.Hour); err != nil {
					t.Fatal(err)
				}
				// Hung: still running as far as anyone can tell.
				if tasks := c.Tasks(); len(tasks) != 1 || tasks[0].State != mesospb.TaskState_TASK_RUNNING {
					t.Errorf("hung task: %+v", tasks)
				}
				return
			}
			st := awaitUpdate(s, tt.want)
			if tt.reason >= 0 && st.GetReason() != tt.reason {
				t.Errorf("reason %v, want %v", st.GetReason(), tt.reason)
			}
			if len(st.GetUuid()) == 0 {
				t.Errorf("an executor/agent update without uuid")
			}
		})
	}
}

func TestRecoveredAgentNotBackAfterFailoverBecomesUnreachable(t *testing.T) {
	w := newFaultWorld(t, true)
	w.advanceTo(5 * time.Second)
	// agent-1 cannot reach the new leader.
	if err := w.c.InjectFault(faults.Partition{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	if err := w.c.InjectFault(faults.FailoverMaster{}); err != nil {
		t.Fatal(err)
	}
	w.pa.body.Close()
	info := &mesospb.FrameworkInfo{User: proto.String("test"), Name: proto.String("pa"), Id: w.pa.fwID, Checkpoint: proto.Bool(true), FailoverTimeout: proto.Float64(3600),
		Capabilities: []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_PARTITION_AWARE.Enum()}}}
	w.pa = subscribeInfo(t, w.c.HTTPClient(), "http://sim", mediatype.JSON, info)
	// While the agent may still come back, explicit reconciliation of its
	// task gets no answer: the next event is the FAILURE below, not an
	// UPDATE.
	w.pa.call(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), Reconcile: &schedulerpb.Call_Reconcile{
		Tasks: []*schedulerpb.Call_Reconcile_Task{{TaskId: &mesospb.TaskID{Value: proto.String("pa-task")}, AgentId: w.agentID}},
	}})
	// --agent_reregister_timeout (10 min) after the failover: FAILURE only.
	w.advanceTo(5*time.Second + 10*time.Minute)
	w.expectFailure(w.pa)
	got := w.seen(w.reconcile(w.pa, "pa-task"))
	if got.State != "TASK_UNREACHABLE" || got.Unreachable != 5*time.Second+10*time.Minute {
		t.Errorf("after the agent re-register timeout: %+v", got)
	}
}

func TestKillIsResentWhenTheAgentComesBack(t *testing.T) {
	w := newFaultWorld(t, true)
	w.advanceTo(5 * time.Second)
	if err := w.c.InjectFault(faults.Partition{Agent: "agent-1", Direction: faults.ToAgent}); err != nil {
		t.Fatal(err)
	}
	w.non.call(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: &schedulerpb.Call_Kill{TaskId: &mesospb.TaskID{Value: proto.String("plain-task")}}})
	// The KILL is lost, and so are the pings: after 75 s the agent
	// re-registers, and once the partition heals and the master's answer
	// reaches it, the master sends the KILL again.
	w.advanceTo(100 * time.Second)
	if tasks := w.c.Tasks(); tasks[1].State != mesospb.TaskState_TASK_RUNNING {
		t.Fatalf("task %s is %v during the partition", tasks[1].ID, tasks[1].State)
	}
	if err := w.c.InjectFault(faults.Heal{}); err != nil {
		t.Fatal(err)
	}
	ok, err := w.c.RunUntil(func(v sim.View) bool {
		for _, tk := range v.Tasks() {
			if tk.ID == "plain-task" {
				return tk.State == mesospb.TaskState_TASK_KILLED
			}
		}
		return false
	}, 5*time.Minute)
	if err != nil || !ok {
		t.Fatalf("task never killed: %v", err)
	}
	awaitUpdate(w.non, mesospb.TaskState_TASK_KILLED)
}

func TestNoLeaderDuringElectionAndStandbyRedirects(t *testing.T) {
	c := sim.New(t, sim.Agents(1, ""))
	leader := c.URL()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(base string) (int, string, string) {
		t.Helper()
		body := `{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}`
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/scheduler", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return resp.StatusCode, "", ""
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header.Get("Location")
	}
	// A standby master sends the framework to the leader.
	code, _, loc := post(c.StandbyURL())
	if want := "//" + strings.TrimPrefix(leader, "http://") + "/api/v1/scheduler"; code != http.StatusTemporaryRedirect || loc != want {
		t.Errorf("standby: %d Location %q, want 307 %q", code, loc, want)
	}
	if err := c.InjectFault(faults.FailoverMaster{Election: faults.Duration(10 * time.Second)}); err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{leader, c.StandbyURL()} {
		if code, body, _ := post(base); code != http.StatusServiceUnavailable || body != "No leader elected" {
			t.Errorf("during the election %s answers %d %q", base, code, body)
		}
	}
	if err := c.Advance(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	if code, body, _ := post(leader); code != http.StatusOK {
		t.Errorf("after the election: %d %q", code, body)
	}
}

func TestDuplicatedRunTaskLaunchesOnce(t *testing.T) {
	c := sim.New(t, sim.Agents(1, ""), sim.Latency(time.Millisecond), sim.Faults(faults.Schedule{
		faults.At(0, faults.Duplicate{Match: faults.Match{Kind: "RunTaskMessage"}, Probability: 1}),
	}))
	if err := c.Advance(time.Millisecond); err != nil {
		t.Fatal(err)
	}
	s := launchOne(t, c, "t1")
	if err := c.Advance(time.Second); err != nil {
		t.Fatal(err)
	}
	s.ack(awaitUpdate(s, mesospb.TaskState_TASK_STARTING))
	if err := c.Advance(time.Second); err != nil {
		t.Fatal(err)
	}
	s.ack(awaitUpdate(s, mesospb.TaskState_TASK_RUNNING))
	if !strings.Contains(c.Trace(), "already has that task") {
		t.Errorf("no duplicate RunTask reached the agent")
	}
	if n := len(c.AgentTasks()["agent-1"]); n != 1 {
		t.Errorf("agent-1 runs %d tasks, want 1", n)
	}
}

func TestDisarmFaults(t *testing.T) {
	c := sim.New(t, sim.Agents(1, ""), sim.Faults(faults.Schedule{faults.At(time.Minute, faults.CrashAgent{Agent: "agent-1"})}))
	if err := c.DisarmFaults(); err != nil {
		t.Fatal(err)
	}
	if err := c.Advance(2 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if n := len(c.FaultRecords()); n != 0 {
		t.Errorf("%d faults fired after DisarmFaults", n)
	}
}
