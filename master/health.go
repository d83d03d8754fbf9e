package master

import (
	"net/http"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/msg"
)

// startPings starts (or restarts) the agent health check, Mesos's
// SlaveObserver: a Ping now and every AgentPingTimeout, carrying whether
// the master considers the agent connected; MaxAgentPingTimeouts
// consecutive pings without a Pong mark the agent unreachable. Pinging goes
// on while the agent is disconnected: a Pong from an agent the master
// thinks disconnected makes the agent re-register (it reads the flag).
func (m *Master) startPings(ag *agent) {
	ag.pinger.Stop()
	ag.pings = 0
	timeouts := 0
	var tick func()
	ping := func() {
		ag.pings = 1
		m.send(ag.name, &msg.Ping{Connected: ag.connected})
		ag.pinger = m.after(m.cfg.AgentPingTimeout, "master.ping-timeout", tick)
	}
	tick = func() {
		if m.agents[ag.id] != ag {
			return
		}
		if ag.pings == 0 {
			timeouts = 0
		} else {
			timeouts++
			if timeouts >= m.cfg.MaxAgentPingTimeouts {
				m.markUnreachable(ag, "health check timed out")
				return
			}
		}
		ping()
	}
	ping()
}

// exited is libprocess's exited(): the connection to an endpoint broke
// because its process went away. For an agent, Master::exited: the agent
// is disconnected, the tasks and executors of frameworks that do not
// checkpoint are removed at once with TASK_LOST (REASON_AGENT_DISCONNECTED),
// and the agent has AgentReregisterTimeout to come back. Pings go on; five
// unanswered ones mark it unreachable first.
func (m *Master) exited(name string) {
	if m.stopped {
		return
	}
	id, ok := m.agentNames[name]
	if !ok {
		return
	}
	ag := m.agents[id]
	if ag == nil || !ag.connected {
		return
	}
	m.tracef("agent %s (%s) disconnected", ag.id, ag.name)
	m.disconnectAgent(ag)
	for _, fwID := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fwID]
		if !fw.info.GetCheckpoint() {
			m.removeFrameworkFromAgent(ag, fw)
		}
	}
	ag.reregisterTimer.Stop()
	ag.reregisterTimer = m.after(m.cfg.AgentReregisterTimeout, "master.agent-reregister-timeout", func() {
		if m.agents[ag.id] == ag && !ag.connected {
			m.markUnreachable(ag, "agent did not reregister within "+mesosDuration(m.cfg.AgentReregisterTimeout)+" after disconnecting")
		}
	})
	m.requestAllocation()
}

// disconnectAgent deactivates an agent (Master::disconnect, deactivate):
// no more offers, its outstanding offers rescinded.
func (m *Master) disconnectAgent(ag *agent) {
	ag.connected = false
	m.alloc.DeactivateAgent(ag.id)
	for _, id := range sortedKeys(m.offers) {
		if o := m.offers[id]; o.agentID == ag.id {
			m.rescindOffer(o, true)
		}
	}
	m.rescindInverseOffers(ag.id)
}

// removeFrameworkFromAgent is Master::removeFramework(Slave*, Framework*):
// the framework's tasks on the agent become TASK_LOST with
// REASON_AGENT_DISCONNECTED and its executors there are forgotten, their
// resources recovered.
func (m *Master) removeFrameworkFromAgent(ag *agent, fw *framework) {
	for _, tid := range sortedKeys(fw.tasks) {
		tk := fw.tasks[tid]
		if tk.agentID != ag.id {
			continue
		}
		st := m.masterStatus(tk.id, ag.id, mesospb.TaskState_TASK_LOST, mesospb.TaskStatus_REASON_AGENT_DISCONNECTED,
			"Agent "+ag.info.GetHostname()+" disconnected")
		m.setExecutorID(st, tk)
		m.updateTask(tk, st)
		m.releaseTask(fw, tk)
		m.completeTask(fw, tk)
		m.sendEvent(fw, updateEvent(st))
	}
	m.removeExecutors(ag, fw, true)
}

// removeExecutors forgets fw's executors on ag, recovering their resources
// when recover is set.
func (m *Master) removeExecutors(ag *agent, fw *framework, recover bool) {
	for _, eid := range sortedKeys(fw.executors[ag.id]) {
		if ex := fw.executors[ag.id][eid]; recover && !ex.resources.IsEmpty() {
			m.alloc.RecoverResources(m.now(), fw.id, ag.id, ex.resources, nil, false)
		}
	}
	delete(fw.executors, ag.id)
}

func (m *Master) setExecutorID(st *mesospb.TaskStatus, tk *task) {
	if tk.executorID != "" {
		st.ExecutorId = &mesospb.ExecutorID{Value: proto.String(tk.executorID)}
	}
}

// updateTask records a master-made status as the task's latest and last
// forwarded state (Master::updateTask).
func (m *Master) updateTask(tk *task, st *mesospb.TaskStatus) {
	m.countTransition(tk.state, st.GetState(), st)
	tk.state = st.GetState()
	tk.statusUpdateState = st.GetState()
	tk.hasStatus = true
	tk.lastUUID = st.GetUuid()
	tk.statuses = append(tk.statuses, st)
	m.opTaskUpdated(tk)
}

// releaseTask returns a task's resources to the allocator once.
func (m *Master) releaseTask(fw *framework, tk *task) {
	if !tk.released {
		tk.released = true
		m.alloc.RecoverResources(m.now(), fw.id, tk.agentID, tk.resources, nil, false)
	}
}

// markUnreachable removes an agent that failed its health checks or did
// not come back in time (Master::markUnreachable, __removeSlave): its tasks
// get TASK_UNREACHABLE (PARTITION_AWARE frameworks) or TASK_LOST, with
// REASON_AGENT_REMOVED, the cause as message and the unreachable time; they
// are kept as unreachable tasks. Its offers are rescinded and every
// framework gets FAILURE{agent_id}.
func (m *Master) markUnreachable(ag *agent, cause string) {
	m.tracef("agent %s (%s) unreachable: %s", ag.id, ag.name, cause)
	m.metrics.AgentsUnreachable++
	now := m.now()
	m.unreachableAgents[ag.id] = now
	m.removeAgent(ag, cause, &now, false)
}

// removeAgent is Master::__removeSlave: unreachableTime is nil when the
// operator marked the agent gone. With removed it is Master::_removeSlave
// instead (the agent unregistered, or a new agent registered at its
// address): every task gets TASK_LOST, "Agent <host> removed: <message>",
// whatever the framework's capabilities.
func (m *Master) removeAgent(ag *agent, message string, unreachableTime *time.Time, removed bool) {
	m.alloc.RemoveAgent(ag.id)
	ag.connected = false
	ag.pinger.Stop()
	ag.reregisterTimer.Stop()
	for _, fwID := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fwID]
		pa := hasFrameworkCapability(fw.info, mesospb.FrameworkInfo_Capability_PARTITION_AWARE)
		state, reason := mesospb.TaskState_TASK_UNREACHABLE, mesospb.TaskStatus_REASON_AGENT_REMOVED
		text := message
		switch {
		case removed:
			state, text = mesospb.TaskState_TASK_LOST, "Agent "+ag.info.GetHostname()+" removed: "+message
		case !pa:
			state = mesospb.TaskState_TASK_LOST
		case unreachableTime == nil:
			state, reason = mesospb.TaskState_TASK_GONE_BY_OPERATOR, mesospb.TaskStatus_REASON_AGENT_REMOVED_BY_OPERATOR
		}
		for _, tid := range sortedKeys(fw.tasks) {
			tk := fw.tasks[tid]
			if tk.agentID != ag.id {
				continue
			}
			if isTerminal(tk.state) {
				// Resources were released at the terminal update; the
				// acknowledgement can no longer reach the agent.
				m.completeTask(fw, tk)
				continue
			}
			st := m.masterStatus(tk.id, ag.id, state, reason, text)
			m.setExecutorID(st, tk)
			if unreachableTime != nil {
				st.UnreachableTime = &mesospb.TimeInfo{Nanoseconds: proto.Int64(unreachableTime.UnixNano())}
			}
			m.updateTask(tk, st)
			tk.released = true // the allocator forgot the agent
			delete(fw.tasks, tk.id)
			if unreachableTime != nil {
				m.addUnreachableTask(fw, tk)
			} else {
				fw.completed = append(fw.completed, tk)
				m.trimCompleted(fw)
			}
			m.sendEvent(fw, updateEvent(st))
		}
		m.removeExecutors(ag, fw, false)
	}
	for _, id := range sortedKeys(m.offers) {
		if o := m.offers[id]; o.agentID == ag.id {
			m.removeOffer(o)
			m.sendEvent(m.frameworks[o.frameworkID], &schedulerpb.Event{
				Type:    schedulerpb.Event_RESCIND.Enum(),
				Rescind: &schedulerpb.Event_Rescind{OfferId: &mesospb.OfferID{Value: proto.String(o.id)}},
			})
		}
	}
	m.rescindInverseOffers(ag.id)
	delete(m.agents, ag.id)
	if m.agentNames[ag.name] == ag.id {
		delete(m.agentNames, ag.name)
	}
	m.sendAgentLost(ag.id)
	m.opAgentRemoved(ag.id, removed)
}

// sendAgentLost sends FAILURE{agent_id} to every framework (sendSlaveLost).
func (m *Master) sendAgentLost(agentID string) {
	for _, fwID := range sortedKeys(m.frameworks) {
		m.sendEvent(m.frameworks[fwID], &schedulerpb.Event{
			Type:    schedulerpb.Event_FAILURE.Enum(),
			Failure: &schedulerpb.Event_Failure{AgentId: &mesospb.AgentID{Value: proto.String(agentID)}},
		})
	}
}

func (m *Master) addUnreachableTask(fw *framework, tk *task) {
	if fw.unreachable == nil {
		fw.unreachable = map[string]*task{}
	}
	fw.unreachable[tk.id] = tk
	fw.unreachableOrder = append(fw.unreachableOrder, tk.id)
	for len(fw.unreachableOrder) > m.cfg.MaxUnreachableTasks {
		delete(fw.unreachable, fw.unreachableOrder[0])
		fw.unreachableOrder = fw.unreachableOrder[1:]
	}
}

func (m *Master) removeUnreachableTask(fw *framework, id string) *task {
	tk := fw.unreachable[id]
	if tk == nil {
		return nil
	}
	delete(fw.unreachable, id)
	for i, x := range fw.unreachableOrder {
		if x == id {
			fw.unreachableOrder = append(fw.unreachableOrder[:i:i], fw.unreachableOrder[i+1:]...)
			break
		}
	}
	return tk
}

// MarkAgentGone is the operator's MARK_AGENT_GONE (Master::markGone): a
// registered agent is told to shut down and its tasks get
// TASK_GONE_BY_OPERATOR (REASON_AGENT_REMOVED_BY_OPERATOR) or, for
// frameworks that are not PARTITION_AWARE, TASK_LOST (REASON_AGENT_REMOVED)
// with FAILURE to every framework; an unreachable agent's unreachable tasks
// get the same updates without FAILURE. Marking an agent gone twice is not
// an error. An agent the master neither runs, recovered, nor knows to be
// unreachable is refused with a *StatusError: 404 and Mesos's text.
func (m *Master) MarkAgentGone(agentID string) error {
	if _, ok := m.goneAgents[agentID]; ok {
		m.tracef("agent %s already gone", agentID)
		return nil
	}
	ag := m.agents[agentID]
	_, unreachable := m.unreachableAgents[agentID]
	_, recovered := m.recoveredAgents[agentID]
	if ag == nil && !unreachable && !recovered {
		return &StatusError{Status: http.StatusNotFound, Text: "Agent '" + agentID + "' not found"}
	}
	const message = "Agent has been marked gone"
	m.tracef("agent %s marked gone", agentID)
	m.goneAgents[agentID] = m.now()
	defer m.requestAllocation()
	switch {
	case ag != nil:
		m.send(ag.name, &msg.ShutdownAgent{Message: message})
		m.removeAgent(ag, message, nil, false)
	case recovered:
		delete(m.recoveredAgents, agentID)
	default:
		delete(m.unreachableAgents, agentID)
		for _, fwID := range sortedKeys(m.frameworks) {
			fw := m.frameworks[fwID]
			state, reason := mesospb.TaskState_TASK_GONE_BY_OPERATOR, mesospb.TaskStatus_REASON_AGENT_REMOVED_BY_OPERATOR
			if !hasFrameworkCapability(fw.info, mesospb.FrameworkInfo_Capability_PARTITION_AWARE) {
				state, reason = mesospb.TaskState_TASK_LOST, mesospb.TaskStatus_REASON_AGENT_REMOVED
			}
			for _, tid := range append([]string(nil), fw.unreachableOrder...) {
				tk := fw.unreachable[tid]
				if tk == nil || tk.agentID != agentID {
					continue
				}
				st := m.masterStatus(tk.id, agentID, state, reason, message)
				m.setExecutorID(st, tk)
				m.updateTask(tk, st)
				m.removeUnreachableTask(fw, tid)
				fw.completed = append(fw.completed, tk)
				m.trimCompleted(fw)
				m.sendEvent(fw, updateEvent(st))
			}
		}
	}
	return nil
}

// mesosDuration formats d as stout's Duration does ("10mins", "75secs").
func mesosDuration(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0 && d >= 24*time.Hour:
		return itoa(int64(d/(24*time.Hour))) + "days"
	case d%time.Hour == 0 && d >= time.Hour:
		return itoa(int64(d/time.Hour)) + "hrs"
	case d%time.Minute == 0 && d >= time.Minute:
		return itoa(int64(d/time.Minute)) + "mins"
	case d%time.Second == 0 && d >= time.Second:
		return itoa(int64(d/time.Second)) + "secs"
	case d%time.Millisecond == 0 && d >= time.Millisecond:
		return itoa(int64(d/time.Millisecond)) + "ms"
	}
	return itoa(int64(d)) + "ns"
}
