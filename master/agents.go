package master

import (
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// receive handles a message from an agent.
func (m *Master) receive(in simnet.Message) {
	if m.stopped {
		return
	}
	m.countMessage(in)
	switch b := in.Body.(type) {
	case *msg.RegisterAgent:
		m.registerAgent(in.From, b)
	case *msg.ReregisterAgent:
		m.reregisterAgent(in.From, b)
	case *msg.UnregisterAgent:
		if ag := m.agents[b.AgentID]; ag != nil {
			m.tracef("agent %s unregistered", ag.id)
			m.removeAgent(ag, "agent unregistered", nil, true)
		}
	case *msg.StatusUpdate:
		m.statusUpdate(in.From, b)
	case *msg.ExecutorToFramework:
		fw := m.frameworks[b.FrameworkID]
		m.sendEvent(fw, &schedulerpb.Event{
			Type: schedulerpb.Event_MESSAGE.Enum(),
			Message: &schedulerpb.Event_Message{
				AgentId:    &mesospb.AgentID{Value: proto.String(b.AgentID)},
				ExecutorId: &mesospb.ExecutorID{Value: proto.String(b.ExecutorID)},
				Data:       b.Data,
			},
		})
	case *msg.ExitedExecutor:
		m.exitedExecutor(b)
	case *msg.Pong:
		if ag := m.agents[b.AgentID]; ag != nil {
			ag.pings = 0
		}
	default:
		m.tracef("ignoring %s from %s", in.Kind, in.From)
	}
	m.requestAllocation()
}

func agentForAllocator(ag *agent) allocator.Agent {
	return allocator.Agent{
		ID:           ag.id,
		Hostname:     ag.info.GetHostname(),
		Total:        ag.total,
		Attributes:   ag.info.GetAttributes(),
		Domain:       ag.info.GetDomain(),
		Capabilities: ag.capabilities,
	}
}

func (m *Master) registerAgent(from string, b *msg.RegisterAgent) {
	if m.refuseDownMachine(from, b.Info) {
		return
	}
	if id, ok := m.agentNames[b.Name]; ok {
		if ag := m.agents[id]; ag != nil && ag.connected {
			// Mesos: an already registered agent retrying its
			// registration gets its id again.
			m.send(from, &msg.AgentRegistered{AgentID: id, PingTimeout: m.cfg.AgentPingTimeout})
			return
		} else if ag != nil {
			// The process at that address restarted without its state.
			m.tracef("removing disconnected agent %s: a new agent registers at its address", ag.id)
			m.removeAgent(ag, "a new agent registered at the same address", nil, true)
		}
	}
	id := m.ids.NextAgent()
	info := proto.Clone(b.Info).(*mesospb.AgentInfo)
	info.Id = &mesospb.AgentID{Value: proto.String(id)}
	total, err := resources.FromProto(info.GetResources())
	if err != nil {
		m.tracef("agent %s has invalid resources: %v", b.Name, err)
		return
	}
	ag := &agent{id: id, name: b.Name, info: info, capabilities: b.Capabilities, version: b.Version, total: total, connected: true}
	ag.registeredTime = m.now()
	m.count("master/slave_registrations")
	m.agents[id] = ag
	m.agentNames[b.Name] = id
	m.tracef("agent %s registered as %s (%s)", b.Name, id, total)
	m.alloc.AddAgent(agentForAllocator(ag), nil)
	m.opAgentAdded(ag)
	m.send(from, &msg.AgentRegistered{AgentID: id, PingTimeout: m.cfg.AgentPingTimeout})
	m.startPings(ag)
}

func (m *Master) reregisterAgent(from string, b *msg.ReregisterAgent) {
	id := b.Info.GetId().GetValue()
	if _, gone := m.goneAgents[id]; gone {
		m.tracef("refusing re-registration of agent %s (%s): marked gone", id, b.Name)
		m.send(from, &msg.ShutdownAgent{Message: "Agent has been marked gone"})
		return
	}
	if m.refuseDownMachine(from, b.Info) {
		return
	}
	if ag := m.agents[id]; ag != nil {
		m.reregisterKnownAgent(from, ag, b)
		return
	}
	// An agent this master does not run: unreachable, or recovered from
	// the registry after a failover (Master::__reregisterSlave).
	info := proto.Clone(b.Info).(*mesospb.AgentInfo)
	total, err := resources.FromProto(info.GetResources())
	if err != nil {
		m.tracef("agent %s has invalid resources: %v", b.Name, err)
		return
	}
	if len(b.CheckpointedResources) > 0 {
		// Checkpointed reservations and volumes replace their unreserved
		// counterparts in the total.
		cp := resources.MustFromProto(b.CheckpointedResources)
		total = total.Minus(cp.ToUnreserved()).Plus(cp)
	}
	ag := &agent{id: id, name: b.Name, info: info, capabilities: b.Capabilities, version: b.Version, total: total, checkpointed: b.CheckpointedResources, connected: true}
	ag.registeredTime, ag.reregisteredTime = m.now(), m.now()
	m.count("master/slave_reregistrations")
	_, recovered := m.recoveredAgents[id]
	_, wasUnreachable := m.unreachableAgents[id]
	reason := "Unknown agent reregistered"
	if wasUnreachable {
		reason = "Unreachable agent re-reregistered"
	}
	m.tracef("agent %s (%s) re-admitted (recovered %v, unreachable %v)", id, b.Name, recovered, wasUnreachable)
	delete(m.recoveredAgents, id)
	delete(m.unreachableAgents, id)
	if old, ok := m.agentNames[b.Name]; ok && old != id {
		// The endpoint now runs a different agent id: the old one's
		// process is gone for good.
		if oa := m.agents[old]; oa != nil {
			m.markUnreachable(oa, "agent replaced by a new registration")
		}
	}
	m.agents[id] = ag
	m.agentNames[b.Name] = id
	// Frameworks this master does not know yet (failover) are recovered
	// from the agent's report; they stay inactive until they subscribe.
	for _, fi := range b.Frameworks {
		fwID := fi.GetId().GetValue()
		if fwID == "" || m.frameworks[fwID] != nil || m.removed[fwID] {
			continue
		}
		m.recoverFramework(fi)
	}
	used := map[string]resources.Resources{}
	var shutdown []string
	for _, t := range b.Tasks {
		fwID := t.GetFrameworkId().GetValue()
		fw := m.frameworks[fwID]
		if fw == nil {
			if m.removed[fwID] && !slices.Contains(shutdown, fwID) {
				shutdown = append(shutdown, fwID)
			}
			continue
		}
		m.removeUnreachableTask(fw, t.GetTaskId().GetValue())
		fw.completed = slices.DeleteFunc(fw.completed, func(c *task) bool { return c.id == t.GetTaskId().GetValue() })
		// Resources without allocation_info belong to the framework's
		// (single) role, as Mesos injects it.
		role := firstRole(fw.info)
		res, err := allocated(t.GetResources(), role)
		if err != nil {
			continue
		}
		if roles := res.AllocationRoles(); len(roles) > 0 {
			role = roles[0]
		}
		tk := &task{
			id: t.GetTaskId().GetValue(), frameworkID: fwID, agentID: id,
			executorID: t.GetExecutorId().GetValue(), role: role, resources: res,
			state: t.GetState(), statusUpdateState: t.GetState(), hasStatus: true,
			statuses: t.GetStatuses(),
			info:     &mesospb.TaskInfo{Name: t.Name, TaskId: t.TaskId, AgentId: &mesospb.AgentID{Value: proto.String(id)}, Resources: t.Resources, Labels: t.Labels},
		}
		if t.StatusUpdateState != nil {
			tk.statusUpdateState = t.GetStatusUpdateState()
		}
		fw.tasks[tk.id] = tk
		m.opTaskAdded(tk)
		if !recovered {
			// Each task is re-reported in its current state, unreliably.
			st := m.masterStatus(tk.id, id, tk.state, mesospb.TaskStatus_REASON_AGENT_REREGISTERED, reason)
			m.setExecutorID(st, tk)
			m.sendEvent(fw, updateEvent(st))
		}
		if !isTerminal(tk.state) {
			used[fwID] = used[fwID].Plus(res)
		} else {
			tk.released = true
		}
	}
	// Unreachable tasks of this agent the agent no longer runs are
	// forgotten (Mesos erases the agent's unreachable task records).
	for _, fwID := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fwID]
		for _, tid := range append([]string(nil), fw.unreachableOrder...) {
			if tk := fw.unreachable[tid]; tk != nil && tk.agentID == id {
				m.removeUnreachableTask(fw, tid)
			}
		}
	}
	for _, e := range b.Executors {
		fwID := e.GetFrameworkId().GetValue()
		if fw := m.frameworks[fwID]; fw != nil {
			er, err := allocated(e.GetResources(), firstRole(fw.info))
			if err != nil {
				continue
			}
			m.addExecutor(fw, id, e, er)
			used[fwID] = used[fwID].Plus(er)
		}
	}
	m.alloc.AddAgent(agentForAllocator(ag), used)
	m.agentReadmitted(ag)
	m.opAgentAdded(ag)
	m.send(from, &msg.AgentReregistered{AgentID: id, PingTimeout: m.cfg.AgentPingTimeout})
	for _, fwID := range shutdown {
		m.send(from, &msg.ShutdownFramework{FrameworkID: fwID})
	}
	m.startPings(ag)
}

// reregisterKnownAgent re-admits an agent the master runs (its connection
// broke, or it re-detected the master): Master::reconcileKnownSlave. Tasks
// the master has for it that it does not report were never received or
// died with its process: they end TASK_LOST, or TASK_DROPPED for
// PARTITION_AWARE frameworks, with REASON_RECONCILIATION, as the agent
// reports them in Mesos. Executors it does not report are forgotten. KILLs
// it may have missed are sent again.
func (m *Master) reregisterKnownAgent(from string, ag *agent, b *msg.ReregisterAgent) {
	wasConnected := ag.connected
	ag.connected = true
	ag.reregisteredTime = m.now()
	ag.pings = 0
	ag.reregisterTimer.Stop()
	ag.reregisterTimer = nil
	if ag.name != b.Name {
		delete(m.agentNames, ag.name)
	}
	ag.name = b.Name
	m.agentNames[b.Name] = ag.id
	if !wasConnected && !m.maint.deactivated[ag.id] {
		m.alloc.ActivateAgent(ag.id)
	}
	m.tracef("agent %s (%s) re-registered", ag.id, ag.name)
	reported := map[[2]string]bool{}
	for _, t := range b.Tasks {
		reported[[2]string{t.GetFrameworkId().GetValue(), t.GetTaskId().GetValue()}] = true
	}
	m.send(from, &msg.AgentReregistered{AgentID: ag.id, PingTimeout: m.cfg.AgentPingTimeout})
	for _, fwID := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fwID]
		pa := hasFrameworkCapability(fw.info, mesospb.FrameworkInfo_Capability_PARTITION_AWARE)
		for _, tid := range sortedKeys(fw.tasks) {
			tk := fw.tasks[tid]
			if tk.agentID != ag.id || reported[[2]string{fwID, tid}] || isTerminal(tk.state) {
				continue
			}
			state := mesospb.TaskState_TASK_LOST
			if pa {
				state = mesospb.TaskState_TASK_DROPPED
			}
			st := m.masterStatus(tid, ag.id, state, mesospb.TaskStatus_REASON_RECONCILIATION, "Reconciliation: task unknown to the agent")
			st.Source = mesospb.TaskStatus_SOURCE_AGENT.Enum()
			st.Uuid = m.newUUID().Bytes()
			m.setExecutorID(st, tk)
			m.updateTask(tk, st)
			m.releaseTask(fw, tk)
			m.sendEvent(fw, updateEvent(st))
		}
		reportedExecutors := map[string]bool{}
		for _, e := range b.Executors {
			if e.GetFrameworkId().GetValue() == fwID {
				reportedExecutors[e.GetExecutorId().GetValue()] = true
			}
		}
		for _, eid := range sortedKeys(fw.executors[ag.id]) {
			if !reportedExecutors[eid] {
				ex := fw.executors[ag.id][eid]
				delete(fw.executors[ag.id], eid)
				if !ex.resources.IsEmpty() {
					m.alloc.RecoverResources(m.now(), fw.id, ag.id, ex.resources, nil, false)
				}
			}
		}
		if len(fw.executors[ag.id]) == 0 {
			delete(fw.executors, ag.id)
		}
	}
	for _, fwID := range sortedKeys(ag.killed) {
		for _, tid := range sortedKeys(ag.killed[fwID]) {
			fw := m.frameworks[fwID]
			if fw == nil || fw.tasks[tid] == nil || isTerminal(fw.tasks[tid].state) {
				delete(ag.killed[fwID], tid)
				continue
			}
			if reported[[2]string{fwID, tid}] {
				m.send(ag.name, &msg.KillTask{FrameworkID: fwID, TaskID: tid, KillPolicy: ag.killed[fwID][tid]})
			}
		}
	}
	m.startPings(ag)
}

func (m *Master) addExecutor(fw *framework, agentID string, info *mesospb.ExecutorInfo, res resources.Resources) {
	if fw.executors[agentID] == nil {
		fw.executors[agentID] = map[string]*executor{}
	}
	fw.executors[agentID][info.GetExecutorId().GetValue()] = &executor{info: info, resources: res}
}

func isTerminal(s mesospb.TaskState) bool {
	switch s {
	case mesospb.TaskState_TASK_FINISHED, mesospb.TaskState_TASK_FAILED, mesospb.TaskState_TASK_KILLED,
		mesospb.TaskState_TASK_ERROR, mesospb.TaskState_TASK_LOST, mesospb.TaskState_TASK_DROPPED,
		mesospb.TaskState_TASK_GONE, mesospb.TaskState_TASK_GONE_BY_OPERATOR:
		return true
	}
	return false
}

func (m *Master) statusUpdate(from string, b *msg.StatusUpdate) {
	m.metrics.StatusUpdates++
	fw := m.frameworks[b.FrameworkID]
	if fw == nil {
		// Mesos drops updates of unknown frameworks; the agent retries.
		m.tracef("dropping status update for unknown framework %s", b.FrameworkID)
		return
	}
	st := b.Status
	tk := fw.tasks[st.GetTaskId().GetValue()]
	if tk != nil {
		latest := st.GetState()
		if b.LatestState != nil {
			latest = *b.LatestState
		}
		if tk.hasStatus && tk.statusUpdateState == st.GetState() && string(tk.lastUUID) == string(st.GetUuid()) {
			// Duplicate (a retry of the update in flight): forward again,
			// state unchanged.
		} else {
			m.countTransition(tk.state, latest, st)
			tk.state = latest
			tk.statusUpdateState = st.GetState()
			tk.hasStatus = true
			tk.lastUUID = st.GetUuid()
			tk.statuses = append(tk.statuses, st)
			m.opTaskUpdated(tk)
		}
		if isTerminal(tk.state) && !tk.released {
			tk.released = true
			m.alloc.RecoverResources(m.now(), fw.id, tk.agentID, tk.resources, nil, true)
		}
	}
	m.tracef("UPDATE %s %s %s", fw.id, st.GetTaskId().GetValue(), st.GetState())
	m.sendEvent(fw, &schedulerpb.Event{
		Type:   schedulerpb.Event_UPDATE.Enum(),
		Update: &schedulerpb.Event_Update{Status: st},
	})
}

func (m *Master) exitedExecutor(b *msg.ExitedExecutor) {
	fw := m.frameworks[b.FrameworkID]
	if fw == nil {
		return
	}
	ex := fw.executors[b.AgentID][b.ExecutorID]
	if ex == nil {
		// Command executors are not tracked: no FAILURE.
		return
	}
	delete(fw.executors[b.AgentID], b.ExecutorID)
	if len(fw.executors[b.AgentID]) == 0 {
		delete(fw.executors, b.AgentID)
	}
	if !ex.resources.IsEmpty() {
		m.alloc.RecoverResources(m.now(), fw.id, b.AgentID, ex.resources, nil, true)
	}
	m.sendEvent(fw, &schedulerpb.Event{
		Type: schedulerpb.Event_FAILURE.Enum(),
		Failure: &schedulerpb.Event_Failure{
			AgentId:    &mesospb.AgentID{Value: proto.String(b.AgentID)},
			ExecutorId: &mesospb.ExecutorID{Value: proto.String(b.ExecutorID)},
			Status:     proto.Int32(b.Status),
		},
	})
}

// firstRole is the role given to resources without allocation_info: the
// framework's role, or its first role.
func firstRole(info *mesospb.FrameworkInfo) string {
	if roles := frameworkRoles(info); len(roles) > 0 {
		return roles[0]
	}
	return "*"
}
