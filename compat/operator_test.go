package compat

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/encoding"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli/httpmaster"
	"github.com/mesos/mesos-go/api/v1/lib/maintenance"
	mmaster "github.com/mesos/mesos-go/api/v1/lib/master"
	mcalls "github.com/mesos/mesos-go/api/v1/lib/master/calls"
	"github.com/mesos/mesos-go/api/v1/lib/quota"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"

	"github.com/mesos-sim/mesos-sim/sim"
)

// goOperator is an operator client built as mesos-go's mwatch builds one:
// httpmaster.NewSender over an httpcli.Client for <master>/api/v1.
type goOperator struct {
	t      *testing.T
	sender mcalls.Sender
}

func newGoOperator(t *testing.T, url string, codec encoding.Codec) *goOperator {
	tr := &http.Transport{ResponseHeaderTimeout: wallWait}
	t.Cleanup(tr.CloseIdleConnections)
	cli := httpcli.New(
		httpcli.Endpoint(url+"/api/v1"),
		httpcli.Codec(codec),
		httpcli.Do(httpcli.With(httpcli.RoundTripper(tr))),
	)
	return &goOperator{t: t, sender: httpmaster.NewSender(cli.Send)}
}

// get sends a GET_* call and decodes the Response with mesos-go's decoder.
func (o *goOperator) get(call *mmaster.Call) *mmaster.Response {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wallWait)
	defer cancel()
	resp, err := o.sender.Send(ctx, mcalls.NonStreaming(call))
	if err != nil {
		o.t.Fatalf("%v: %v", call.GetType(), err)
	}
	defer resp.Close()
	var r mmaster.Response
	if err := resp.Decode(&r); err != nil {
		o.t.Fatalf("%v: decoding the response: %v", call.GetType(), err)
	}
	if r.GetType().String() != call.GetType().String() {
		o.t.Fatalf("%v answered with a %v response", call.GetType(), r.GetType())
	}
	return &r
}

// do sends a call that answers no data (200 without a Content-Type, or
// 202), as httpmaster classifies it.
func (o *goOperator) do(call *mmaster.Call) {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wallWait)
	defer cancel()
	resp, err := o.sender.Send(ctx, mcalls.NonStreaming(call))
	if resp != nil {
		resp.Close()
	}
	if err != nil {
		o.t.Fatalf("%v: %v", call.GetType(), err)
	}
}

// goWatch is mwatch's loop: SUBSCRIBE, then decode master.Events until EOF,
// into a channel so that each wait is bounded.
type goWatch struct {
	t      *testing.T
	events chan *mmaster.Event
	err    error
}

func (o *goOperator) subscribe() *goWatch {
	o.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(wallWait, cancel)
	resp, err := o.sender.Send(ctx, mcalls.NonStreaming(mcalls.Subscribe()))
	if !timer.Stop() {
		err = context.DeadlineExceeded
	}
	if err != nil {
		cancel()
		o.t.Fatalf("SUBSCRIBE: %v", err)
	}
	w := &goWatch{t: o.t, events: make(chan *mmaster.Event, 256)}
	stop := make(chan struct{})
	o.t.Cleanup(func() { close(stop); resp.Close(); cancel() })
	go func() {
		defer close(w.events)
		for {
			var e mmaster.Event
			if err := resp.Decode(&e); err != nil {
				if err != io.EOF {
					w.err = err
				}
				return
			}
			select {
			case w.events <- &e:
			case <-stop:
				return
			}
		}
	}()
	return w
}

// next returns the next event, heartbeats included.
func (w *goWatch) next() *mmaster.Event {
	w.t.Helper()
	select {
	case e, ok := <-w.events:
		if !ok {
			w.t.Fatalf("the operator stream ended: %v", w.err)
		}
		return e
	case <-time.After(wallWait):
		w.t.Fatalf("no operator event within %v of wall time", wallWait)
		return nil
	}
}

// watched renders an operator event as mwatch prints it, in short.
func watched(e *mmaster.Event) string {
	switch e.GetType() {
	case mmaster.Event_TASK_ADDED:
		task := e.GetTaskAdded().Task
		return "TASK_ADDED " + task.GetTaskID().Value + " " + task.GetState().String()
	case mmaster.Event_TASK_UPDATED:
		st := e.GetTaskUpdated().GetStatus()
		return "TASK_UPDATED " + st.GetTaskID().Value + " " + st.GetState().String()
	case mmaster.Event_AGENT_ADDED:
		return "AGENT_ADDED " + e.GetAgentAdded().Agent.AgentInfo.GetHostname()
	case mmaster.Event_AGENT_REMOVED:
		return "AGENT_REMOVED"
	case mmaster.Event_FRAMEWORK_ADDED:
		return "FRAMEWORK_ADDED " + e.GetFrameworkAdded().Framework.FrameworkInfo.GetName()
	case mmaster.Event_FRAMEWORK_UPDATED:
		return "FRAMEWORK_UPDATED " + e.GetFrameworkUpdated().Framework.FrameworkInfo.GetName()
	case mmaster.Event_FRAMEWORK_REMOVED:
		return "FRAMEWORK_REMOVED " + e.GetFrameworkRemoved().FrameworkInfo.GetName()
	}
	return e.GetType().String()
}

// TestMesosGoOperator drives mesos-go v0.0.11's operator client
// (httpmaster + master/calls, as its mwatch command does) against sim.New
// over a real socket, in both of its codecs: SUBSCRIBE sees a framework
// come, its tasks launched, running, killed and lost, an agent added and
// one marked gone, the framework torn down, and an agent removed by
// maintenance, in order; GET_* answers
// decode with mesos-go's decoder and mutations answer as its response
// classifier expects.
func TestMesosGoOperator(t *testing.T) {
	for _, mt := range []encoding.MediaType{codecs.MediaTypeProtobuf, codecs.MediaTypeJSON} {
		t.Run(mt.ContentType(), func(t *testing.T) { operatorSession(t, codecs.ByMediaType[mt]) })
	}
}

func operatorSession(t *testing.T, codec encoding.Codec) {
	c := sim.New(t, sim.Agents(1, "cpus:4;mem:8192;ports:[31000-32000]"), sim.Seed(1))
	op := newGoOperator(t, c.URL(), codec)
	w := op.subscribe()

	first := w.next()
	if first.GetType() != mmaster.Event_SUBSCRIBED {
		t.Fatalf("first event %v", first.GetType())
	}
	if got := first.GetSubscribed().GetHeartbeatIntervalSeconds(); got != 15 {
		t.Errorf("heartbeat_interval_seconds %v", got)
	}
	agents := first.GetSubscribed().GetGetState().GetGetAgents().GetAgents()
	if len(agents) != 1 {
		t.Fatalf("SUBSCRIBED state agents %v", agents)
	}
	agent1 := *agents[0].AgentInfo.GetID()
	var got []string
	read := func(n int) {
		t.Helper()
		for i := 0; i < n; i++ {
			got = append(got, watched(w.next()))
		}
	}
	read(1) // HEARTBEAT

	f := newGoFramework(t, c.URL(), codec, mesos.FrameworkInfo{User: "test", Name: "mesos-go-framework"})
	s := f.subscribe()
	read(1)
	// launch runs a task on an agent, from the first offer of it that
	// arrives.
	launch := func(id string, agentID mesos.AgentID) {
		t.Helper()
		var offer mesos.Offer
		for offer.AgentID != agentID {
			ev := f.next(s, scheduler.Event_OFFERS)
			for _, o := range ev.GetOffers().GetOffers() {
				if o.AgentID == agentID {
					offer = o
				}
			}
		}
		task := mesos.TaskInfo{
			Name: id, TaskID: mesos.TaskID{Value: id}, AgentID: offer.AgentID,
			Resources: []mesos.Resource{scalar("cpus", 1), scalar("mem", 128)},
			Command:   &mesos.CommandInfo{Value: ptr("sleep 600")},
		}
		f.send(s, calls.Accept(calls.OfferOperations{calls.OpLaunch(task)}.WithOffers(offer.ID)).With(calls.RefuseSeconds(0)))
		f.ack(s, f.update(s, id, mesos.TASK_STARTING))
		f.ack(s, f.update(s, id, mesos.TASK_RUNNING))
	}
	launch("t1", agent1)
	read(3)

	// The read-only calls, decoded by mesos-go.
	if !op.get(mcalls.GetHealth()).GetGetHealth().GetHealthy() {
		t.Error("GET_HEALTH: not healthy")
	}
	if v := op.get(mcalls.GetVersion()).GetGetVersion().GetVersionInfo().Version; v != "1.11.0" {
		t.Errorf("GET_VERSION %q", v)
	}
	if gm := op.get(mcalls.GetMaster()).GetGetMaster(); gm.GetMasterInfo() == nil || gm.GetMasterInfo().GetPort() != 5050 {
		t.Errorf("GET_MASTER %v", gm)
	}
	if n := len(op.get(mcalls.GetFlags()).GetGetFlags().GetFlags()); n == 0 {
		t.Error("GET_FLAGS: no flags")
	}
	fws := op.get(mcalls.GetFrameworks()).GetGetFrameworks().GetFrameworks()
	if len(fws) != 1 || fws[0].FrameworkInfo.GetID().GetValue() != f.id || !fws[0].GetConnected() {
		t.Errorf("GET_FRAMEWORKS %v", fws)
	}
	tasks := op.get(mcalls.GetTasks()).GetGetTasks().GetTasks()
	if len(tasks) != 1 || tasks[0].GetTaskID().Value != "t1" || tasks[0].GetState() != mesos.TASK_RUNNING || len(tasks[0].GetStatuses()) != 2 {
		t.Errorf("GET_TASKS %v", tasks)
	}
	if st := op.get(mcalls.GetState()).GetGetState(); len(st.GetGetAgents().GetAgents()) != 1 || len(st.GetGetTasks().GetTasks()) != 1 {
		t.Errorf("GET_STATE %v", st)
	}
	op.get(mcalls.GetExecutors())
	op.get(mcalls.GetOperations())
	op.get(mcalls.GetMetrics(nil))
	op.do(mcalls.UpdateWeights(mesos.WeightInfo{Role: ptr("ops"), Weight: 2}))
	if wi := op.get(mcalls.GetWeights()).GetGetWeights().GetWeightInfos(); len(wi) != 1 || wi[0].GetRole() != "ops" || wi[0].GetWeight() != 2 {
		t.Errorf("GET_WEIGHTS %v", wi)
	}
	op.do(&mmaster.Call{Type: mmaster.Call_UPDATE_QUOTA, UpdateQuota: &mmaster.Call_UpdateQuota{QuotaConfigs: []quota.QuotaConfig{{
		Role: "ops", Guarantees: map[string]mesos.Value_Scalar{"cpus": {Value: 1}}, Limits: map[string]mesos.Value_Scalar{"cpus": {Value: 2}},
	}}}})
	status := op.get(mcalls.GetQuota()).GetGetQuota().GetStatus()
	if cs := status.GetConfigs(); len(cs) != 1 || cs[0].GetRole() != "ops" || cs[0].GetLimits()["cpus"].Value != 2 {
		t.Errorf("GET_QUOTA %v", cs)
	}
	var roles []string
	for _, r := range op.get(mcalls.GetRoles()).GetGetRoles().GetRoles() {
		roles = append(roles, r.GetName())
	}
	if diff := cmp.Diff([]string{"*", "ops"}, roles); diff != "" {
		t.Errorf("GET_ROLES (-want +got):\n%s", diff)
	}

	f.send(s, calls.Kill("t1", agent1.Value))
	f.ack(s, f.update(s, "t1", mesos.TASK_KILLED))
	read(1)

	// A new agent joins; the framework's next task runs on the first one,
	// which the operator then marks gone: the task is lost (no
	// AGENT_REMOVED: Mesos announces only agents removed for good).
	name, err := c.AddAgent(sim.AgentSpec{Resources: "cpus:1;mem:256"})
	if err != nil {
		t.Fatal(err)
	}
	read(1)
	if err := c.Advance(15 * time.Second); err != nil {
		t.Fatal(err)
	}
	read(1) // HEARTBEAT
	launch("t2", agent1)
	read(3)
	op.do(mcalls.MarkAgentGone(agent1))
	f.update(s, "t2", mesos.TASK_LOST)
	read(1)

	op.do(mcalls.Teardown(mesos.FrameworkID{Value: f.id}))
	read(1)

	// The new agent's machine is scheduled for maintenance and taken
	// DOWN: its agent is removed for good, AGENT_REMOVED.
	machine := mesos.MachineID{Hostname: ptr(name), IP: ptr("127.0.0.1")}
	op.do(mcalls.UpdateMaintenanceSchedule(maintenance.Schedule{Windows: []maintenance.Window{{
		MachineIDs:     []mesos.MachineID{machine},
		Unavailability: mesos.Unavailability{Start: mesos.TimeInfo{Nanoseconds: c.Now().Add(time.Hour).UnixNano()}},
	}}}))
	if ms := op.get(mcalls.GetMaintenanceSchedule()).GetGetMaintenanceSchedule().GetSchedule(); len(ms.GetWindows()) != 1 {
		t.Errorf("GET_MAINTENANCE_SCHEDULE %v", ms)
	}
	op.do(mcalls.StartMaintenance(machine))
	read(1)
	if st := op.get(mcalls.GetMaintenanceStatus()).GetGetMaintenanceStatus().GetStatus(); len(st.GetDownMachines()) != 1 {
		t.Errorf("GET_MAINTENANCE_STATUS %v", st)
	}
	want := []string{
		"HEARTBEAT",
		"FRAMEWORK_ADDED mesos-go-framework",
		"TASK_ADDED t1 TASK_STAGING",
		"TASK_UPDATED t1 TASK_STARTING",
		"TASK_UPDATED t1 TASK_RUNNING",
		"TASK_UPDATED t1 TASK_KILLED",
		"AGENT_ADDED " + name,
		"HEARTBEAT",
		"TASK_ADDED t2 TASK_STAGING",
		"TASK_UPDATED t2 TASK_STARTING",
		"TASK_UPDATED t2 TASK_RUNNING",
		"TASK_UPDATED t2 TASK_LOST",
		"FRAMEWORK_REMOVED mesos-go-framework",
		"AGENT_REMOVED",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("operator events (-want +got):\n%s", diff)
	}
	// The framework's own stream carried the agent's loss, then ended
	// with the teardown.
	if evs := f.ended(s); len(evs) != 1 || evs[0].GetType() != scheduler.Event_FAILURE || evs[0].GetFailure().GetAgentID().GetValue() != agent1.Value {
		t.Errorf("the framework's stream ended after %v, want one FAILURE of agent %s", evs, agent1.Value)
	}
}
