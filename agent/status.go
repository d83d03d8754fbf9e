package agent

import (
	"bytes"
	"cmp"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
)

// stream is the status update stream of one task
// (src/slave/task_status_update_manager.cpp, TaskStatusUpdateStream): the
// head is in flight until acknowledged; the rest wait.
type stream struct {
	k       key
	t       *task
	queue   []*mesospb.TaskStatus
	timer   *loop.Timer
	backoff time.Duration
}

// forward appends an update to its task's stream; the head goes to the
// master at once.
func (a *Agent) forward(t *task, s *mesospb.TaskStatus) {
	a.drainUpdate(t, s)
	k := key{t.fwID, t.id}
	if t.fw.terminating {
		// Dropped: the framework cannot acknowledge. A terminal task is
		// gone at once.
		if isTerminal(s.GetState()) && a.streams[k] == nil {
			a.removeTask(t)
		}
		return
	}
	st := a.streams[k]
	if st == nil {
		st = &stream{k: k, t: t}
		a.streams[k] = st
		t.fw.streams++
	}
	st.queue = append(st.queue, s)
	if len(st.queue) == 1 {
		a.sendHead(st, StatusUpdateRetryMin)
	}
}

// sendHead sends the stream's head and arms its retry timer.
func (a *Agent) sendHead(st *stream, backoff time.Duration) {
	st.timer.Stop()
	st.timer = nil
	if a.state != stateRunning {
		return // paused: resent on (re-)registration
	}
	head := st.queue[0]
	// NB: the agent id may have been unknown when the update was made.
	if head.GetAgentId().GetValue() != a.id {
		head = proto.Clone(head).(*mesospb.TaskStatus)
		head.AgentId = &mesospb.AgentID{Value: proto.String(a.id)}
		st.queue[0] = head
	}
	latest := st.t.state
	a.send(&msg.StatusUpdate{FrameworkID: st.k.fw, Status: head, LatestState: latest.Enum()})
	st.backoff = backoff
	st.timer = a.after(backoff, "agent.status-update-retry", func() {
		if len(st.queue) == 0 || a.streams[st.k] != st {
			return
		}
		a.sendHead(st, min(2*st.backoff, StatusUpdateRetryMax))
	})
}

// acknowledge handles a StatusUpdateAcknowledgement: if it matches the
// head, the head is done and the next update goes out at once. Duplicate
// and unknown acknowledgements are ignored.
func (a *Agent) acknowledge(fwID, taskID string, uuid []byte) {
	k := key{fwID, taskID}
	st := a.streams[k]
	if st == nil || len(st.queue) == 0 || !bytes.Equal(st.queue[0].GetUuid(), uuid) {
		a.tracef("ignoring acknowledgement for task %s of framework %s", taskID, fwID)
		return
	}
	st.timer.Stop()
	st.timer = nil
	acked := st.queue[0]
	st.queue[0] = nil
	st.queue = st.queue[1:]
	if len(st.queue) > 0 {
		a.sendHead(st, StatusUpdateRetryMin)
		return
	}
	a.dropStream(k)
	if isTerminal(acked.GetState()) {
		// The terminal update is acknowledged: the task is gone.
		a.removeTask(st.t)
	}
}

// dropStream forgets a task's stream.
func (a *Agent) dropStream(k key) {
	st := a.streams[k]
	if st == nil {
		return
	}
	st.timer.Stop()
	st.timer = nil
	delete(a.streams, k)
	st.t.fw.streams--
}

// removeTask forgets a terminal task (and then, maybe, its executor and
// framework).
func (a *Agent) removeTask(t *task) {
	k := key{t.fwID, t.id}
	if a.tasks[k] == t {
		delete(a.tasks, k)
	}
	if t.ghost {
		a.maybeRemoveFramework(t.fw)
		return
	}
	ex := t.ex
	if i := slices.Index(ex.tasks, t); i >= 0 {
		ex.tasks = slices.Delete(ex.tasks, i, i+1)
	}
	if ex.state == exTerminated {
		a.gcExecutor(ex)
	} else {
		a.maybeRemoveFramework(t.fw)
	}
}

// pauseUpdates stops retries while the agent is disconnected.
func (a *Agent) pauseUpdates() {
	for _, st := range a.streams {
		st.timer.Stop()
		st.timer = nil
	}
}

// resumeUpdates resends, at once, the head of every stream (of one
// framework, or all with fwID ""), in (framework, task) order.
func (a *Agent) resumeUpdates(fwID string) {
	var sts []*stream
	for k, st := range a.streams {
		if (fwID == "" || k.fw == fwID) && len(st.queue) > 0 {
			sts = append(sts, st)
		}
	}
	slices.SortFunc(sts, func(x, y *stream) int {
		return cmp.Or(cmp.Compare(x.k.fw, y.k.fw), cmp.Compare(x.k.task, y.k.task))
	})
	for _, st := range sts {
		a.sendHead(st, StatusUpdateRetryMin)
	}
}

// PendingUpdate is an update that awaits acknowledgement (or, behind the
// head, its turn).
type PendingUpdate struct {
	FrameworkID string
	Status      *mesospb.TaskStatus
	// InFlight is true for the head of its task's stream.
	InFlight bool
}

// PendingUpdates lists every unacknowledged update, by framework and task
// id, then in stream order.
func (a *Agent) PendingUpdates() []PendingUpdate {
	var sts []*stream
	for _, st := range a.streams {
		sts = append(sts, st)
	}
	slices.SortFunc(sts, func(x, y *stream) int {
		return cmp.Or(cmp.Compare(x.k.fw, y.k.fw), cmp.Compare(x.k.task, y.k.task))
	})
	var out []PendingUpdate
	for _, st := range sts {
		for i, s := range st.queue {
			out = append(out, PendingUpdate{FrameworkID: st.k.fw, Status: s, InFlight: i == 0})
		}
	}
	return out
}
