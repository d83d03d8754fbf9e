package master

import (
	"net/http"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/msg"
)

// Agent draining and deactivation (Mesos 1.9+; src/master/http.cpp
// _drainAgent, _deactivateAgent, _reactivateAgent and
// Master::checkAndTransitionDrainingAgent).

// knownAgent reports whether an agent is registered, recovered after a
// failover, or unreachable.
func (m *Master) knownAgent(id string) bool {
	_, recovered := m.recoveredAgents[id]
	_, unreachable := m.unreachableAgents[id]
	return m.agents[id] != nil || recovered || unreachable
}

// DrainAgent is the operator's DRAIN_AGENT: the agent is deactivated (no
// more offers; its offers and inverse offers are rescinded) and told to
// kill every task, with maxGracePeriod (if not nil) capping each task's
// kill grace period. Its KILLING and KILLED updates carry
// REASON_AGENT_DRAINING (TASK_GONE_BY_OPERATOR instead of TASK_KILLED for
// PARTITION_AWARE frameworks when markGone). Once the agent has no task
// left — terminal updates acknowledged — it is DRAINED, or with markGone
// marked gone. It stays deactivated until [Master.ReactivateAgent].
//
// Refusals (*StatusError, 400): an agent that is not registered,
// recovered or unreachable ("Unknown agent"), one on a machine of the
// maintenance schedule, one without the AGENT_DRAINING capability.
func (m *Master) DrainAgent(agentID string, maxGracePeriod *time.Duration, markGone bool) error {
	ag := m.agents[agentID]
	if ag != nil {
		if mc := m.agentMachine(ag.info); mc != nil && mc.mode != machineUp {
			return badRequest("Agent %s is part of a maintenance schedule under Machine %s", agentID, machineName(mc.id))
		}
		capable := false
		for _, c := range agentCapabilities(ag) {
			capable = capable || c == mesospb.AgentInfo_Capability_AGENT_DRAINING
		}
		if !capable {
			return badRequest("Agent %s is not capable of draining", agentID)
		}
	}
	if !m.knownAgent(agentID) {
		return badRequest("Unknown agent")
	}
	defer m.requestAllocation()
	cfg := &mesospb.DrainConfig{MarkGone: proto.Bool(markGone)}
	if maxGracePeriod != nil {
		cfg.MaxGracePeriod = &mesospb.DurationInfo{Nanoseconds: proto.Int64(int64(*maxGracePeriod))}
	}
	if m.maint.drain == nil {
		m.maint.drain = map[string]*drainState{}
	}
	d := &drainState{info: &mesospb.DrainInfo{State: mesospb.DrainState_DRAINING.Enum(), Config: cfg}}
	m.maint.drain[agentID] = d
	m.setDeactivated(agentID)
	m.tracef("agent %s DRAINING (max grace period %v, mark gone %v)", agentID, maxGracePeriod, markGone)
	if ag != nil {
		m.deactivate(ag)
		m.send(ag.name, &msg.DrainAgent{Config: proto.Clone(cfg).(*mesospb.DrainConfig)})
		d.estimatedStart = m.now()
		m.checkDrained(ag)
	}
	return nil
}

func (m *Master) setDeactivated(agentID string) {
	if m.maint.deactivated == nil {
		m.maint.deactivated = map[string]bool{}
	}
	m.maint.deactivated[agentID] = true
}

// deactivate is Master::deactivate(Slave*): no more offers of the agent;
// its offers and inverse offers are rescinded. Its tasks keep running.
func (m *Master) deactivate(ag *agent) {
	if ag.connected {
		m.alloc.DeactivateAgent(ag.id)
	}
	for _, id := range sortedKeys(m.offers) {
		if o := m.offers[id]; o.agentID == ag.id {
			m.rescindOffer(o, true)
		}
	}
	m.rescindInverseOffers(ag.id)
}

// DeactivateAgent is the operator's DEACTIVATE_AGENT: the agent gets no
// more offers and its outstanding offers are rescinded; tasks keep
// running. An agent that is not registered, recovered or unreachable is
// refused (*StatusError 400 "Unknown agent").
func (m *Master) DeactivateAgent(agentID string) error {
	if !m.knownAgent(agentID) {
		return badRequest("Unknown agent")
	}
	m.setDeactivated(agentID)
	m.tracef("agent %s deactivated", agentID)
	if ag := m.agents[agentID]; ag != nil {
		m.deactivate(ag)
	}
	return nil
}

// ReactivateAgent is the operator's REACTIVATE_AGENT: a deactivated agent
// that is not still DRAINING is activated again (its drain info cleared);
// its resources are offered from the next allocation run. Refusals
// (*StatusError): "Agent is not deactivated" and "Agent is still in the
// DRAINING state" (400), "Agent removed while processing the call" (409)
// for an agent deactivated while unreachable or recovering.
func (m *Master) ReactivateAgent(agentID string) error {
	if !m.maint.deactivated[agentID] {
		return badRequest("Agent is not deactivated")
	}
	if d := m.maint.drain[agentID]; d != nil && d.info.GetState() == mesospb.DrainState_DRAINING {
		return badRequest("Agent is still in the DRAINING state")
	}
	delete(m.maint.drain, agentID)
	delete(m.maint.deactivated, agentID)
	ag := m.agents[agentID]
	if ag == nil {
		return &StatusError{Status: http.StatusConflict, Text: "Agent removed while processing the call"}
	}
	m.tracef("agent %s reactivated", agentID)
	if ag.connected {
		m.alloc.ActivateAgent(ag.id)
	}
	return nil
}

// checkDrained is Master::checkAndTransitionDrainingAgent: a DRAINING
// agent without tasks becomes DRAINED, or is marked gone.
func (m *Master) checkDrained(ag *agent) {
	d := m.maint.drain[ag.id]
	if d == nil || d.info.GetState() != mesospb.DrainState_DRAINING {
		return
	}
	for _, fid := range sortedKeys(m.frameworks) {
		for _, tk := range m.frameworks[fid].tasks {
			if tk.agentID == ag.id {
				return
			}
		}
	}
	if d.info.GetConfig().GetMarkGone() {
		m.tracef("agent %s drained: marking it gone", ag.id)
		delete(m.maint.drain, ag.id)
		delete(m.maint.deactivated, ag.id)
		_ = m.MarkAgentGone(ag.id)
		return
	}
	m.tracef("agent %s DRAINED", ag.id)
	d.info.State = mesospb.DrainState_DRAINED.Enum()
}

// agentReadmitted applies what the master remembers of a re-admitted
// agent: an operator's deactivation, a drain in progress (sent again).
func (m *Master) agentReadmitted(ag *agent) {
	if !m.maint.deactivated[ag.id] {
		return
	}
	m.alloc.DeactivateAgent(ag.id)
	if d := m.maint.drain[ag.id]; d != nil && d.info.GetState() == mesospb.DrainState_DRAINING {
		m.send(ag.name, &msg.DrainAgent{Config: proto.Clone(d.info.GetConfig()).(*mesospb.DrainConfig)})
	}
}

// afterInput runs after each input the master handles (with
// requestAllocation): inverse offers whose framework or agent went away
// or became inactive are removed (rescinded when the framework can still
// hear it), and draining agents whose last task is gone move on.
func (m *Master) afterInput() {
	if len(m.maint.inverse) == 0 && len(m.maint.drain) == 0 && len(m.maint.agents) == 0 {
		return
	}
	if len(m.maint.inverse) > 0 {
		for _, id := range sortedKeys(m.maint.inverse) {
			io := m.maint.inverse[id]
			fw, ag := m.frameworks[io.frameworkID], m.agents[io.agentID]
			switch {
			case fw == nil || !fw.connected || !fw.active:
				m.removeInverseOffer(io, false)
			case ag == nil || !ag.connected || m.maint.deactivated[ag.id]:
				m.removeInverseOffer(io, true)
			}
		}
	}
	for _, id := range sortedKeys(m.maint.drain) {
		if ag := m.agents[id]; ag != nil {
			m.checkDrained(ag)
		}
	}
	for _, id := range sortedKeys(m.maint.agents) {
		if m.agents[id] == nil {
			delete(m.maint.agents, id)
		}
	}
}
