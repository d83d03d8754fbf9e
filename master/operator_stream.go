package master

import (
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/loop"
)

// MaxOperatorSubscribers is Mesos's --max_operator_event_stream_subscribers
// default: when one more operator subscribes, the oldest stream is closed.
const MaxOperatorSubscribers = 1000

// OperatorHeartbeatInterval is how often an operator event stream gets a
// HEARTBEAT (Mesos's DEFAULT_HEARTBEAT_INTERVAL, fixed).
const OperatorHeartbeatInterval = 15 * time.Second

// OperatorSubscription is the outbox of one operator SUBSCRIBE stream
// (POST /api/v1 with type SUBSCRIBE). The master appends events on the loop
// goroutine and never blocks; the HTTP layer drains it on the stream's
// goroutine and writes each event as a RecordIO frame. Like [Subscription]
// it is bounded (Config.MaxQueuedEvents): a reader that falls that far
// behind is disconnected, with a trace line.
//
// Events handed to an OperatorSubscription are shared and must not be
// modified.
type OperatorSubscription struct {
	// StreamID identifies the stream in the trace (a UUID string); Mesos
	// keys its subscribers by it but sends no header.
	StreamID string

	outbox[*masterpb.Event]
}

func newOperatorSubscription(streamID string, max int) *OperatorSubscription {
	return &OperatorSubscription{StreamID: streamID, outbox: newOutbox[*masterpb.Event](max)}
}

// operatorSubscriber is one entry of the master's subscriber list.
type operatorSubscriber struct {
	sub       *OperatorSubscription
	heartbeat *loop.Timer
}

var operatorHeartbeat = &masterpb.Event{Type: masterpb.Event_HEARTBEAT.Enum()}

// OperatorSubscribe handles an operator SUBSCRIBE that passed HTTP
// validation (Master::ReadOnlyHandler::subscribe): the stream starts with
// SUBSCRIBED, carrying the full GET_STATE and the heartbeat interval, and a
// HEARTBEAT; another HEARTBEAT follows every 15 s of virtual time. When the
// list already holds MaxOperatorSubscribers streams the oldest is closed.
func (m *Master) OperatorSubscribe() *OperatorSubscription {
	op := m.op()
	sub := newOperatorSubscription(m.newUUID().String(), m.cfg.MaxQueuedEvents)
	sub.push(&masterpb.Event{
		Type: masterpb.Event_SUBSCRIBED.Enum(),
		Subscribed: &masterpb.Event_Subscribed{
			GetState:                 m.opGetState(),
			HeartbeatIntervalSeconds: proto.Float64(OperatorHeartbeatInterval.Seconds()),
		},
	})
	sub.push(operatorHeartbeat)
	if len(op.subscribers) >= MaxOperatorSubscribers {
		oldest := op.subscribers[0]
		m.tracef("operator subscribers at the maximum (%d): closing the oldest stream %s", MaxOperatorSubscribers, oldest.sub.StreamID)
		m.dropOperatorSubscriber(oldest)
	}
	s := &operatorSubscriber{sub: sub}
	var beat func()
	beat = func() {
		if sub.Closed() {
			return
		}
		m.sendOperator(s, operatorHeartbeat)
		if !sub.Closed() {
			s.heartbeat = m.after(OperatorHeartbeatInterval, "master.operator-heartbeat", beat)
		}
	}
	s.heartbeat = m.after(OperatorHeartbeatInterval, "master.operator-heartbeat", beat)
	op.subscribers = append(op.subscribers, s)
	m.tracef("operator SUBSCRIBE, stream %s (%d subscribers)", sub.StreamID, len(op.subscribers))
	return sub
}

// OperatorStreamClosed reports that the connection of an operator stream
// is gone; the master forgets the subscriber.
func (m *Master) OperatorStreamClosed(sub *OperatorSubscription) {
	for _, s := range m.op().subscribers {
		if s.sub == sub {
			m.tracef("operator stream %s closed", sub.StreamID)
			m.dropOperatorSubscriber(s)
			return
		}
	}
	sub.close()
}

// OperatorSubscribers returns the number of open operator event streams.
func (m *Master) OperatorSubscribers() int { return len(m.op().subscribers) }

func (m *Master) dropOperatorSubscriber(s *operatorSubscriber) {
	op := m.op()
	for i, x := range op.subscribers {
		if x == s {
			op.subscribers = append(op.subscribers[:i:i], op.subscribers[i+1:]...)
			break
		}
	}
	s.heartbeat.Stop()
	s.sub.close()
}

// sendOperator queues ev on one stream; on overflow the stream is closed
// and the subscriber dropped.
func (m *Master) sendOperator(s *operatorSubscriber, ev *masterpb.Event) {
	if s.sub.push(ev) {
		return
	}
	if s.sub.Closed() {
		m.dropOperatorSubscriber(s)
		return
	}
	m.metrics.DroppedEvents++
	m.tracef("operator stream %s overflow (%d events queued): disconnecting", s.sub.StreamID, s.sub.Len())
	m.dropOperatorSubscriber(s)
}

// broadcastOperator sends ev to every operator stream. build is only called
// when there is a subscriber.
func (m *Master) broadcastOperator(build func() *masterpb.Event) {
	op := m.op()
	if len(op.subscribers) == 0 {
		return
	}
	ev := build()
	for _, s := range append([]*operatorSubscriber(nil), op.subscribers...) {
		m.sendOperator(s, ev)
	}
}

// ---- hooks called from the state machine ----

// opTaskAdded announces a task the master starts tracking (a launch, or a
// task a re-registering agent reports): TASK_ADDED.
func (m *Master) opTaskAdded(tk *task) {
	m.broadcastOperator(func() *masterpb.Event {
		return &masterpb.Event{
			Type:      masterpb.Event_TASK_ADDED.Enum(),
			TaskAdded: &masterpb.Event_TaskAdded{Task: m.opTask(tk)},
		}
	})
}

// opTaskUpdated is called after a status was appended to tk.statuses: as
// Mesos's Master::updateTask, subscribers get TASK_UPDATED when the status
// carries a new state (or a health or check change), with the task's latest
// state.
func (m *Master) opTaskUpdated(tk *task) {
	n := len(tk.statuses)
	if n == 0 {
		return
	}
	st := tk.statuses[n-1]
	switch {
	case n == 1, tk.statuses[n-2].GetState() != st.GetState():
	case st.GetReason() == mesospb.TaskStatus_REASON_TASK_CHECK_STATUS_UPDATED,
		st.GetReason() == mesospb.TaskStatus_REASON_TASK_HEALTH_CHECK_STATUS_UPDATED:
	default:
		return
	}
	m.broadcastOperator(func() *masterpb.Event {
		// The event carries the status as it came, data included; only
		// the copy the master keeps drops its data.
		status := proto.Clone(st).(*mesospb.TaskStatus)
		return &masterpb.Event{
			Type: masterpb.Event_TASK_UPDATED.Enum(),
			TaskUpdated: &masterpb.Event_TaskUpdated{
				FrameworkId: &mesospb.FrameworkID{Value: proto.String(tk.frameworkID)},
				Status:      status,
				State:       tk.state.Enum(),
			},
		}
	})
}

// opAgentAdded announces an admitted agent (Master::addSlave): AGENT_ADDED.
func (m *Master) opAgentAdded(ag *agent) {
	m.broadcastOperator(func() *masterpb.Event {
		return &masterpb.Event{
			Type:       masterpb.Event_AGENT_ADDED.Enum(),
			AgentAdded: &masterpb.Event_AgentAdded{Agent: m.opAgent(ag, m.opUsage())},
		}
	})
}

// opAgentRemoved is called when the master removes an agent. Only an agent
// removed for good (Master::_removeSlave: it unregistered, was replaced, or
// its machine went DOWN) is announced, with AGENT_REMOVED; agents marked
// unreachable or gone are not, as in Mesos.
func (m *Master) opAgentRemoved(agentID string, removed bool) {
	if !removed {
		return
	}
	m.broadcastOperator(func() *masterpb.Event {
		return &masterpb.Event{
			Type:         masterpb.Event_AGENT_REMOVED.Enum(),
			AgentRemoved: &masterpb.Event_AgentRemoved{AgentId: &mesospb.AgentID{Value: proto.String(agentID)}},
		}
	})
}

// opFrameworkAdded announces a new or recovered framework: FRAMEWORK_ADDED.
func (m *Master) opFrameworkAdded(fw *framework) {
	m.broadcastOperator(func() *masterpb.Event {
		return &masterpb.Event{
			Type:           masterpb.Event_FRAMEWORK_ADDED.Enum(),
			FrameworkAdded: &masterpb.Event_FrameworkAdded{Framework: m.opFrameworkEvent(fw)},
		}
	})
}

// opFrameworkUpdated announces a resubscription or UPDATE_FRAMEWORK:
// FRAMEWORK_UPDATED.
func (m *Master) opFrameworkUpdated(fw *framework) {
	m.broadcastOperator(func() *masterpb.Event {
		return &masterpb.Event{
			Type:             masterpb.Event_FRAMEWORK_UPDATED.Enum(),
			FrameworkUpdated: &masterpb.Event_FrameworkUpdated{Framework: m.opFrameworkEvent(fw)},
		}
	})
}

// opFrameworkRemoved announces a torn-down framework: FRAMEWORK_REMOVED.
func (m *Master) opFrameworkRemoved(fw *framework) {
	m.broadcastOperator(func() *masterpb.Event {
		return &masterpb.Event{
			Type:             masterpb.Event_FRAMEWORK_REMOVED.Enum(),
			FrameworkRemoved: &masterpb.Event_FrameworkRemoved{FrameworkInfo: proto.Clone(fw.info).(*mesospb.FrameworkInfo)},
		}
	})
}

// opFrameworkInfoChanged announces an UPDATE_FRAMEWORK that changed the
// FrameworkInfo (old is the one before): FRAMEWORK_UPDATED.
func (m *Master) opFrameworkInfoChanged(fw *framework, old *mesospb.FrameworkInfo) {
	if !proto.Equal(old, fw.info) {
		m.opFrameworkUpdated(fw)
	}
}
