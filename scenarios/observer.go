package scenarios

import (
	"fmt"
	"slices"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// observer watches one session's calls and events for the invariants,
// independently of what the framework makes of them.
type observer struct {
	s        *session
	launched map[string]launch // task id -> where and when it was launched
	order    []string          // launched task ids, in launch order
	tasks    map[string]*taskUpdates
	acked    map[string]bool // uuids acknowledged
	updates  []ObservedUpdate
	calls    [32]int // calls sent, by type
	events   [16]int // events received, by type
}

type launch struct {
	agentID string
	at      time.Duration
}

// taskUpdates is what the framework received about one task, of the
// updates that carry a uuid (the reliable ones, sent by agents and retried
// until acknowledged).
type taskUpdates struct {
	byUUID   map[string]mesospb.TaskState
	maxRank  int
	maxState mesospb.TaskState
	terminal string // uuid of the terminal update, "" before
	count    int    // updates received, with and without uuid
}

func newObserver(s *session) *observer {
	return &observer{s: s, launched: map[string]launch{}, tasks: map[string]*taskUpdates{}, acked: map[string]bool{}}
}

func (o *observer) call(c *schedulerpb.Call) {
	if t := int(c.GetType()); t >= 0 && t < len(o.calls) {
		o.calls[t]++
	}
	switch c.GetType() {
	case schedulerpb.Call_ACCEPT:
		for _, op := range c.GetAccept().GetOperations() {
			var infos []*mesospb.TaskInfo
			switch op.GetType() {
			case mesospb.Offer_Operation_LAUNCH:
				infos = op.GetLaunch().GetTaskInfos()
			case mesospb.Offer_Operation_LAUNCH_GROUP:
				infos = op.GetLaunchGroup().GetTaskGroup().GetTasks()
			}
			for _, t := range infos {
				id := t.GetTaskId().GetValue()
				if _, ok := o.launched[id]; !ok {
					o.order = append(o.order, id)
				}
				o.launched[id] = launch{agentID: t.GetAgentId().GetValue(), at: o.s.w.elapsed()}
			}
		}
	case schedulerpb.Call_ACKNOWLEDGE:
		o.acked[string(c.GetAcknowledge().GetUuid())] = true
	}
}

// rank orders the task states an agent reports: a task's reliable updates
// never go down this order.
func rank(s mesospb.TaskState) int {
	switch s {
	case mesospb.TaskState_TASK_STAGING:
		return 0
	case mesospb.TaskState_TASK_STARTING:
		return 1
	case mesospb.TaskState_TASK_RUNNING:
		return 2
	case mesospb.TaskState_TASK_KILLING:
		return 3
	}
	if frameworks.IsTerminal(s) {
		return 4
	}
	return 2 // UNREACHABLE, UNKNOWN: master-made only
}

// event checks an event before the framework sees it: per task, the
// updates with a uuid arrive in order (a duplicate carries the state it
// carried before; a new one never goes back to an earlier state) and at
// most one of them is terminal.
func (o *observer) event(ev *schedulerpb.Event) {
	if t := int(ev.GetType()); t >= 0 && t < len(o.events) {
		o.events[t]++
	}
	if ev.GetType() != schedulerpb.Event_UPDATE {
		return
	}
	st := ev.GetUpdate().GetStatus()
	id := st.GetTaskId().GetValue()
	tu := o.tasks[id]
	if tu == nil {
		tu = &taskUpdates{byUUID: map[string]mesospb.TaskState{}, maxRank: -1}
		o.tasks[id] = tu
	}
	tu.count++
	o.updates = append(o.updates, ObservedUpdate{At: o.s.w.elapsed(), TaskID: id, State: st.GetState(), Reason: st.GetReason(),
		Source: st.GetSource(), Reliable: len(st.GetUuid()) > 0})
	uuid := string(st.GetUuid())
	if uuid == "" {
		return
	}
	state := st.GetState()
	if prev, ok := tu.byUUID[uuid]; ok {
		if prev != state {
			o.s.w.violate("update-order", "framework %s: task %s: update %x came again with state %s, first %s",
				o.s.name, id, st.GetUuid(), state, prev)
		}
		return
	}
	tu.byUUID[uuid] = state
	r := rank(state)
	switch {
	case r < tu.maxRank:
		o.s.w.violate("update-order", "framework %s: task %s: %s (uuid %x, %s) after %s: the state went back",
			o.s.name, id, state, st.GetUuid(), st.GetSource(), tu.maxState)
	case frameworks.IsTerminal(state) && tu.terminal != "":
		o.s.w.violate("one-terminal-state", "framework %s: task %s: a second terminal update %s (uuid %x) after %s",
			o.s.name, id, state, st.GetUuid(), tu.byUUID[tu.terminal])
	}
	if r >= tu.maxRank {
		tu.maxRank, tu.maxState = r, state
	}
	if frameworks.IsTerminal(state) && tu.terminal == "" {
		tu.terminal = uuid
	}
}

// ObservedUpdate is a status update a framework received.
type ObservedUpdate struct {
	At     time.Duration // virtual time since the cluster started
	TaskID string
	State  mesospb.TaskState
	Reason mesospb.TaskStatus_Reason
	Source mesospb.TaskStatus_Source
	// Reliable is true for updates with a uuid: sent by an agent, retried
	// until acknowledged.
	Reliable bool
}

// launchedIDs returns the launched task ids, sorted.
func (o *observer) launchedIDs() []string {
	ids := slices.Clone(o.order)
	slices.Sort(ids)
	return ids
}

// summary is one line about the framework's traffic.
func (o *observer) summary() string {
	return fmt.Sprintf("%d tasks launched, %d ACCEPT, %d DECLINE, %d ACKNOWLEDGE, %d RECONCILE, %d SUBSCRIBE calls; %d OFFERS, %d UPDATE events",
		len(o.order), o.calls[schedulerpb.Call_ACCEPT], o.calls[schedulerpb.Call_DECLINE], o.calls[schedulerpb.Call_ACKNOWLEDGE],
		o.calls[schedulerpb.Call_RECONCILE], o.calls[schedulerpb.Call_SUBSCRIBE],
		o.events[schedulerpb.Event_OFFERS], o.events[schedulerpb.Event_UPDATE])
}
