package frameworks

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

// fakeConn records what a framework does; its timers fire only when the
// test says so.
type fakeConn struct {
	now        time.Time
	subscribes []*mesospb.FrameworkInfo
	calls      []string // one line per call
	timers     []*fakeTimer
	rand       *rand.Rand
}

type fakeTimer struct {
	at      time.Time
	fn      func()
	stopped bool
}

func (t *fakeTimer) Stop() bool { was := !t.stopped; t.stopped = true; return was }

func newFakeConn() *fakeConn {
	return &fakeConn{now: time.Unix(0, 0), rand: rand.New(rand.NewPCG(1, 2))}
}

func (c *fakeConn) Now() time.Time                        { return c.now }
func (c *fakeConn) Rand() *rand.Rand                      { return c.rand }
func (c *fakeConn) Logf(string, ...any)                   {}
func (c *fakeConn) Subscribe(info *mesospb.FrameworkInfo) { c.subscribes = append(c.subscribes, info) }

func (c *fakeConn) After(d time.Duration, fn func()) Timer {
	t := &fakeTimer{at: c.now.Add(d), fn: fn}
	c.timers = append(c.timers, t)
	return t
}

// advance fires, in order, the timers due within d.
func (c *fakeConn) advance(d time.Duration) {
	end := c.now.Add(d)
	for {
		var next *fakeTimer
		for _, t := range c.timers {
			if !t.stopped && !t.at.After(end) && (next == nil || t.at.Before(next.at)) {
				next = t
			}
		}
		if next == nil {
			c.now = end
			return
		}
		c.now, next.stopped = next.at, true
		next.fn()
	}
}

func (c *fakeConn) Send(call *schedulerpb.Call) int {
	line := call.GetType().String()
	switch call.GetType() {
	case schedulerpb.Call_ACCEPT:
		var ids []string
		for _, op := range call.GetAccept().GetOperations() {
			for _, t := range op.GetLaunch().GetTaskInfos() {
				ids = append(ids, t.GetTaskId().GetValue())
			}
		}
		line += fmt.Sprintf(" %s %v refuse=%v", call.GetAccept().GetOfferIds()[0].GetValue(), ids, call.GetAccept().GetFilters().GetRefuseSeconds())
	case schedulerpb.Call_DECLINE:
		line += fmt.Sprintf(" %d offers refuse=%v", len(call.GetDecline().GetOfferIds()), call.GetDecline().GetFilters().GetRefuseSeconds())
	case schedulerpb.Call_ACKNOWLEDGE:
		line += " " + call.GetAcknowledge().GetTaskId().GetValue() + " " + string(call.GetAcknowledge().GetUuid())
	case schedulerpb.Call_KILL:
		line += " " + call.GetKill().GetTaskId().GetValue()
	case schedulerpb.Call_RECONCILE:
		var ids []string
		for _, t := range call.GetReconcile().GetTasks() {
			ids = append(ids, t.GetTaskId().GetValue())
		}
		line += fmt.Sprintf(" %v", ids)
	}
	c.calls = append(c.calls, line)
	return 202
}

// take returns the calls recorded since the last take.
func (c *fakeConn) take() []string {
	out := c.calls
	c.calls = nil
	return out
}

func subscribed(id string) *schedulerpb.Event {
	return &schedulerpb.Event{Type: schedulerpb.Event_SUBSCRIBED.Enum(), Subscribed: &schedulerpb.Event_Subscribed{
		FrameworkId: &mesospb.FrameworkID{Value: proto.String(id)}}}
}

func offers(agent string, ids ...string) *schedulerpb.Event {
	ev := &schedulerpb.Event{Type: schedulerpb.Event_OFFERS.Enum(), Offers: &schedulerpb.Event_Offers{}}
	for _, id := range ids {
		ev.Offers.Offers = append(ev.Offers.Offers, &mesospb.Offer{
			Id: &mesospb.OfferID{Value: proto.String(id)}, AgentId: &mesospb.AgentID{Value: proto.String(agent)},
			Resources: []*mesospb.Resource{
				{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(2)}},
				{Name: proto.String("mem"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(2048)}},
			},
		})
	}
	return ev
}

func update(task, agent string, state mesospb.TaskState, uuid string) *schedulerpb.Event {
	st := &mesospb.TaskStatus{TaskId: &mesospb.TaskID{Value: proto.String(task)}, State: state.Enum(),
		AgentId: &mesospb.AgentID{Value: proto.String(agent)}}
	if uuid != "" {
		st.Uuid = []byte(uuid)
	}
	return &schedulerpb.Event{Type: schedulerpb.Event_UPDATE.Enum(), Update: &schedulerpb.Event_Update{Status: st}}
}

func errorEvent(msg string) *schedulerpb.Event {
	return &schedulerpb.Event{Type: schedulerpb.Event_ERROR.Enum(), Error: &schedulerpb.Event_Error{Message: proto.String(msg)}}
}

// A ServiceKeeper's life, event by event: what it calls and believes.
func TestServiceKeeperReacts(t *testing.T) {
	c := newFakeConn()
	k := NewServiceKeeper(Options{Tasks: 2, PartitionAware: true})
	k.Start(c)
	if len(c.subscribes) != 1 || c.subscribes[0].Id != nil || c.subscribes[0].GetCapabilities()[0].GetType() != mesospb.FrameworkInfo_Capability_PARTITION_AWARE {
		t.Fatalf("Start subscribed with %v", c.subscribes)
	}
	steps := []struct {
		name string
		ev   *schedulerpb.Event
		want []string
	}{
		{"subscribed: reconcile, nothing to ask about", subscribed("fw"), []string{"RECONCILE []"}},
		{"one task per offer, leftovers unfiltered while it wants more", offers("S0", "O1"), []string{"ACCEPT O1 [keeper.0.0] refuse=0"}},
		{"the second instance, then suppress", offers("S1", "O2", "O3"), []string{"ACCEPT O2 [keeper.1.0] refuse=5", "DECLINE 1 offers refuse=5", "SUPPRESS"}},
		{"an update with a uuid is acknowledged", update("keeper.0.0", "S0", mesospb.TaskState_TASK_RUNNING, "u1"), []string{"ACKNOWLEDGE keeper.0.0 u1"}},
		{"a duplicate is acknowledged again, changes nothing", update("keeper.0.0", "S0", mesospb.TaskState_TASK_RUNNING, "u1"), []string{"ACKNOWLEDGE keeper.0.0 u1"}},
		{"unreachable: no ack (no uuid), revive to replace it", update("keeper.1.0", "S1", mesospb.TaskState_TASK_UNREACHABLE, ""), []string{"REVIVE"}},
		{"the replacement", offers("S0", "O4"), []string{"ACCEPT O4 [keeper.1.1] refuse=5", "SUPPRESS"}},
		{"the unreachable task comes back: killed as surplus", update("keeper.1.0", "S1", mesospb.TaskState_TASK_RUNNING, ""), []string{"KILL keeper.1.0"}},
	}
	for _, s := range steps {
		k.Event(c, s.ev)
		if diff := cmp.Diff(s.want, c.take()); diff != "" {
			t.Errorf("%s: calls (-want +got):\n%s", s.name, diff)
		}
	}
	snap := k.Snapshot()
	if got := fmt.Sprint(snap.Tasks["keeper.0.0"].State, snap.Tasks["keeper.1.0"].State, snap.Tasks["keeper.1.1"].State); got != "TASK_RUNNING TASK_RUNNING TASK_STAGING" {
		t.Errorf("beliefs %s", got)
	}
	// Reconciliation asks explicitly about every task believed alive.
	k.Reconcile(c)
	if diff := cmp.Diff([]string{"RECONCILE [keeper.0.0 keeper.1.0 keeper.1.1]", "RECONCILE []"}, c.take()); diff != "" {
		t.Errorf("Reconcile (-want +got):\n%s", diff)
	}
}

// When its stream ends the framework subscribes again with its id, after
// a delay; a framework the master removed stops.
func TestResubscribeAndRemoval(t *testing.T) {
	c := newFakeConn()
	k := NewServiceKeeper(Options{FailoverTimeout: time.Hour})
	k.Start(c)
	k.Event(c, subscribed("fw-1"))
	k.Closed(c)
	c.advance(999 * time.Millisecond)
	if len(c.subscribes) != 1 {
		t.Fatalf("subscribed again after less than a second")
	}
	c.advance(2 * time.Second)
	if len(c.subscribes) != 2 || c.subscribes[1].GetId().GetValue() != "fw-1" || c.subscribes[1].GetFailoverTimeout() != 3600 {
		t.Fatalf("resubscription: %v", c.subscribes)
	}
	k.Event(c, errorEvent("Framework has been removed"))
	k.Closed(c)
	c.advance(time.Hour)
	if len(c.subscribes) != 2 || !k.Snapshot().Removed {
		t.Errorf("a removed framework subscribed again (%d subscriptions) or does not know (%v)", len(c.subscribes), k.Snapshot().Removed)
	}
}

// The broken variants differ from the keeper exactly where their names
// say.
func TestBrokenVariants(t *testing.T) {
	t.Run("forgets-to-reconcile", func(t *testing.T) {
		c := newFakeConn()
		k := NewForgetsToReconcile(Options{})
		k.Start(c)
		k.Event(c, subscribed("fw"))
		k.Reconcile(c)
		for _, call := range c.take() {
			if strings.HasPrefix(call, "RECONCILE") {
				t.Errorf("it reconciled: %s", call)
			}
		}
	})
	t.Run("double-launch-on-reoffer", func(t *testing.T) {
		c := newFakeConn()
		k := NewDoubleLaunchOnReoffer(Options{Tasks: 1})
		k.Start(c)
		k.Event(c, subscribed("fw"))
		k.Event(c, offers("S0", "O1"))
		k.Event(c, offers("S0", "O2"))
		calls := strings.Join(c.take(), "\n")
		if !strings.Contains(calls, "ACCEPT O2 [double-launch.0.1]") {
			t.Errorf("no second launch for a staging task:\n%s", calls)
		}
		if _, ok := k.Snapshot().Tasks["double-launch.0.0"]; ok {
			t.Error("it remembers the first task")
		}
	})
	t.Run("ignores-unreachable", func(t *testing.T) {
		c := newFakeConn()
		k := NewIgnoresUnreachable(Options{Tasks: 1})
		k.Start(c)
		k.Event(c, subscribed("fw"))
		k.Event(c, offers("S0", "O1"))
		k.Event(c, update("ignores-unreachable.0.0", "S0", mesospb.TaskState_TASK_RUNNING, "u1"))
		k.Event(c, update("ignores-unreachable.0.0", "S0", mesospb.TaskState_TASK_UNREACHABLE, ""))
		if got := k.Snapshot().Tasks["ignores-unreachable.0.0"].State; got != mesospb.TaskState_TASK_RUNNING {
			t.Errorf("belief %s after TASK_UNREACHABLE, want it ignored", got)
		}
	})
}

// A BatchRunner retries a failed job and is done when every job finished.
func TestBatchRunnerRetries(t *testing.T) {
	c := newFakeConn()
	r := NewBatchRunner(Options{Tasks: 1, TasksPerOffer: -1}, BatchOptions{FailFirstEvery: 1})
	r.Start(c)
	r.Event(c, subscribed("fw"))
	r.Event(c, offers("S0", "O1"))
	r.Event(c, update("batch.0.0", "S0", mesospb.TaskState_TASK_FAILED, "u1"))
	r.Event(c, offers("S0", "O2"))
	r.Event(c, update("batch.0.1", "S0", mesospb.TaskState_TASK_FINISHED, "u2"))
	want := []string{"RECONCILE []", "ACCEPT O1 [batch.0.0] refuse=5", "SUPPRESS", "REVIVE", "ACKNOWLEDGE batch.0.0 u1",
		"ACCEPT O2 [batch.0.1] refuse=5", "SUPPRESS", "ACKNOWLEDGE batch.0.1 u2"}
	if diff := cmp.Diff(want, c.take()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if s := r.Snapshot(); !s.GoalMet || s.Goal != "1 of 1 jobs finished, 0 given up" {
		t.Errorf("goal: %v %s", s.GoalMet, s.Goal)
	}
}
