package master

import (
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/msg"
)

// startPings starts (or restarts) the agent health check: a Ping now and
// every AgentPingTimeout; MaxAgentPingTimeouts consecutive timeouts mark
// the agent unreachable (Mesos's SlaveObserver).
func (m *Master) startPings(ag *agent) {
	ag.pinger.Stop()
	ag.pings = 0
	timeouts := 0
	var tick func()
	ping := func() {
		ag.pings = 1
		m.send(ag.name, &msg.Ping{Connected: ag.connected})
		ag.pinger = m.l.After(m.cfg.AgentPingTimeout, "master.ping-timeout", tick)
	}
	tick = func() {
		if m.agents[ag.id] != ag || !ag.connected {
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

// markUnreachable removes an agent that failed its health checks: its
// tasks get TASK_LOST (TASK_UNREACHABLE for PARTITION_AWARE frameworks),
// REASON_AGENT_REMOVED; its offers are rescinded; every connected
// framework gets FAILURE{agent_id}.
func (m *Master) markUnreachable(ag *agent, cause string) {
	m.tracef("agent %s (%s) unreachable: %s", ag.id, ag.name, cause)
	m.metrics.AgentsUnreachable++
	ag.connected = false
	ag.pinger.Stop()
	now := m.timestamp()
	for _, fwID := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fwID]
		for _, tid := range sortedKeys(fw.tasks) {
			tk := fw.tasks[tid]
			if tk.agentID != ag.id {
				continue
			}
			delete(fw.tasks, tid)
			if isTerminal(tk.state) {
				continue
			}
			state := mesospb.TaskState_TASK_LOST
			if hasFrameworkCapability(fw.info, mesospb.FrameworkInfo_Capability_PARTITION_AWARE) {
				state = mesospb.TaskState_TASK_UNREACHABLE
			}
			st := m.masterStatus(tk.id, ag.id, state, mesospb.TaskStatus_REASON_AGENT_REMOVED, cause)
			st.UnreachableTime = &mesospb.TimeInfo{Nanoseconds: proto.Int64(int64(now * 1e9))}
			if tk.executorID != "" {
				st.ExecutorId = &mesospb.ExecutorID{Value: proto.String(tk.executorID)}
			}
			m.sendEvent(fw, updateEvent(st))
		}
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
	for _, fw := range m.frameworks {
		delete(fw.executors, ag.id)
	}
	m.alloc.RemoveAgent(ag.id)
	delete(m.agents, ag.id)
	delete(m.agentNames, ag.name)
	m.unreachable()[ag.id] = true
	for _, fwID := range sortedKeys(m.frameworks) {
		m.sendEvent(m.frameworks[fwID], &schedulerpb.Event{
			Type:    schedulerpb.Event_FAILURE.Enum(),
			Failure: &schedulerpb.Event_Failure{AgentId: &mesospb.AgentID{Value: proto.String(ag.id)}},
		})
	}
}
