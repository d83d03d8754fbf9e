package master

import (
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
	switch b := in.Body.(type) {
	case *msg.RegisterAgent:
		m.registerAgent(in.From, b)
	case *msg.ReregisterAgent:
		m.reregisterAgent(in.From, b)
	case *msg.UnregisterAgent:
		m.tracef("agent %s unregistered (ignored)", b.AgentID)
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
	if id, ok := m.agentNames[b.Name]; ok {
		if ag := m.agents[id]; ag != nil && ag.connected {
			// Mesos: an already registered agent retrying its
			// registration gets its id again.
			m.send(from, &msg.AgentRegistered{AgentID: id, PingTimeout: m.cfg.AgentPingTimeout})
			return
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
	m.agents[id] = ag
	m.agentNames[b.Name] = id
	m.tracef("agent %s registered as %s (%s)", b.Name, id, total)
	m.alloc.AddAgent(agentForAllocator(ag), nil)
	m.send(from, &msg.AgentRegistered{AgentID: id, PingTimeout: m.cfg.AgentPingTimeout})
	m.startPings(ag)
}

func (m *Master) reregisterAgent(from string, b *msg.ReregisterAgent) {
	id := b.Info.GetId().GetValue()
	if ag := m.agents[id]; ag != nil {
		wasConnected := ag.connected
		ag.connected = true
		ag.pings = 0
		ag.name = b.Name
		m.agentNames[b.Name] = id
		if !wasConnected {
			m.alloc.ActivateAgent(id)
		}
		m.send(from, &msg.AgentReregistered{AgentID: id, PingTimeout: m.cfg.AgentPingTimeout})
		m.startPings(ag)
		return
	}
	// An agent this master does not know (e.g. after master failover):
	// admit it with what it runs.
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
	reason := "Unknown agent reregistered"
	if m.unreachable()[id] {
		reason = "Unreachable agent re-reregistered"
		delete(m.unreachable(), id)
	}
	m.agents[id] = ag
	m.agentNames[b.Name] = id
	used := map[string]resources.Resources{}
	for _, t := range b.Tasks {
		fwID := t.GetFrameworkId().GetValue()
		fw := m.frameworks[fwID]
		if fw == nil {
			continue
		}
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
			state: t.GetState(), statusUpdateState: t.GetStatusUpdateState(), hasStatus: t.StatusUpdateState != nil,
			info: &mesospb.TaskInfo{Name: t.Name, TaskId: t.TaskId, AgentId: &mesospb.AgentID{Value: proto.String(id)}, Resources: t.Resources},
		}
		fw.tasks[tk.id] = tk
		// Each task is re-reported in its current state (Mesos's
		// __reregisterSlave), unreliably.
		st := m.masterStatus(tk.id, id, tk.state, mesospb.TaskStatus_REASON_AGENT_REREGISTERED, reason)
		if tk.executorID != "" {
			st.ExecutorId = &mesospb.ExecutorID{Value: proto.String(tk.executorID)}
		}
		m.sendEvent(fw, updateEvent(st))
		if !isTerminal(tk.state) {
			used[fwID] = used[fwID].Plus(res)
		} else {
			tk.released = true
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
	m.send(from, &msg.AgentReregistered{AgentID: id, PingTimeout: m.cfg.AgentPingTimeout})
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
			tk.state = latest
			tk.statusUpdateState = st.GetState()
			tk.hasStatus = true
			tk.lastUUID = st.GetUuid()
			tk.statuses = append(tk.statuses, st)
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
