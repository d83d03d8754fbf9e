package master

import (
	"maps"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/msg"
)

// Registry is what a Mesos master keeps in its replicated log and a new
// leader reads back (registry.proto): the admitted agents, the unreachable
// and gone agents with the times of those transitions. Frameworks, tasks,
// offers, filters and suppression are not kept: a new leader learns them
// from re-registering agents and re-subscribing frameworks.
type Registry struct {
	Agents      []*mesospb.AgentInfo // admitted agents, by id
	Unreachable map[string]time.Time
	Gone        map[string]time.Time
	// Weights and Quotas are what operators set (UPDATE_WEIGHTS,
	// UPDATE_QUOTA), by role.
	Weights map[string]float64
	Quotas  map[string]allocator.Quota
}

// Registry returns the master's registry as a successor would read it.
func (m *Master) Registry() Registry {
	r := Registry{Unreachable: maps.Clone(m.unreachableAgents), Gone: maps.Clone(m.goneAgents)}
	r.Weights, r.Quotas = m.Weights(), m.Quotas()
	for _, id := range sortedKeys(m.agents) {
		r.Agents = append(r.Agents, proto.Clone(m.agents[id].info).(*mesospb.AgentInfo))
	}
	// Agents recovered but not yet back are still admitted.
	for _, id := range sortedKeys(m.recoveredAgents) {
		r.Agents = append(r.Agents, proto.Clone(m.recoveredAgents[id]).(*mesospb.AgentInfo))
	}
	slices.SortFunc(r.Agents, func(a, b *mesospb.AgentInfo) int { return strings.Compare(a.GetId().GetValue(), b.GetId().GetValue()) })
	return r
}

// Stop ends this master's leadership, as when its process dies: every
// framework stream ends, its timers and pending inputs do nothing any
// more, and it leaves the network. A successor is made with [New] and
// [Master.Recover].
func (m *Master) Stop() {
	if m.stopped {
		return
	}
	m.tracef("master %s stops", m.ID())
	m.stopped = true
	for _, id := range sortedKeys(m.frameworks) {
		if sub := m.frameworks[id].sub; sub != nil {
			sub.close()
		}
	}
	m.closeOperatorStreams()
	if m.removeWatch != nil {
		m.removeWatch()
	}
	m.net.Unregister(msg.MasterEndpoint)
}

// Stopped reports whether the master was stopped.
func (m *Master) Stopped() bool { return m.stopped }

// Recover makes a new master the successor of one whose registry is r
// (Master::_recover): the registry's admitted agents are "recovered" until
// they re-register with their tasks (explicit reconciliation of their tasks
// gets no answer meanwhile); those not back within AgentReregisterTimeout
// become unreachable, with FAILURE to every framework. Call it right after
// New, before any input.
func (m *Master) Recover(r Registry) {
	for _, a := range r.Agents {
		m.recoveredAgents[a.GetId().GetValue()] = proto.Clone(a).(*mesospb.AgentInfo)
	}
	maps.Copy(m.unreachableAgents, r.Unreachable)
	maps.Copy(m.goneAgents, r.Gone)
	m.recoverOperatorSettings(r)
	m.tracef("recovered registry: %d agents, %d unreachable, %d gone", len(r.Agents), len(r.Unreachable), len(r.Gone))
	if len(r.Agents) == 0 {
		return
	}
	m.after(m.cfg.AgentReregisterTimeout, "master.recovered-agents-timeout", func() {
		for _, id := range sortedKeys(m.recoveredAgents) {
			m.tracef("recovered agent %s did not re-register within %s after master failover", id, mesosDuration(m.cfg.AgentReregisterTimeout))
			delete(m.recoveredAgents, id)
			m.unreachableAgents[id] = m.now()
			m.metrics.AgentsUnreachable++
			m.sendAgentLost(id)
		}
	})
}

// recoverFramework re-creates a framework a re-registering agent runs
// tasks of (Master::recoverFramework): known but disconnected, so its calls
// get 403 until it subscribes again. It has no failover timer.
func (m *Master) recoverFramework(info *mesospb.FrameworkInfo) *framework {
	id := info.GetId().GetValue()
	fw := &framework{
		id: id, info: proto.Clone(info).(*mesospb.FrameworkInfo), recovered: true,
		offers: map[string]*offer{}, tasks: map[string]*task{}, executors: map[string]map[string]*executor{},
	}
	fw.registeredTime, fw.reregisteredTime = m.now(), m.now()
	m.frameworks[id] = fw
	m.tracef("framework %s (%q) recovered from an agent", id, info.GetName())
	m.alloc.AddFramework(allocator.FrameworkFromInfo(fw.info, nil), nil, false)
	m.opFrameworkAdded(fw)
	return fw
}

// CutStream ends a framework's event stream as a broken connection would:
// the framework is disconnected and its failover timeout starts. It
// reports whether the framework had a stream.
func (m *Master) CutStream(frameworkID string) bool {
	fw := m.frameworks[frameworkID]
	if fw == nil || fw.sub == nil || !fw.connected {
		return false
	}
	m.tracef("cutting the stream of framework %s", fw.id)
	m.StreamClosed(fw.sub)
	return true
}
