package master

import (
	"slices"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// Metrics are the master's counters.
type Metrics struct {
	// Calls counts accepted scheduler calls by Call.Type number.
	Calls                   [32]uint64
	StatusUpdates           uint64
	TasksLaunched           uint64
	DroppedAcknowledgements uint64
	DroppedEvents           uint64 // events that overflowed a stream
	AgentsUnreachable       uint64
	AllocationRuns          uint64
}

func callIndex(t schedulerpb.Call_Type) int {
	if t < 0 || int(t) >= 32 {
		return 0
	}
	return int(t)
}

// Metrics returns a copy of the counters.
func (m *Master) Metrics() Metrics { return m.metrics }

// Framework is a snapshot of a framework.
type Framework struct {
	ID         string
	Name       string
	Roles      []string
	Suppressed []string
	Active     bool
	Connected  bool
	StreamID   string
	Info       *mesospb.FrameworkInfo
	OfferIDs   []string // sorted
	TaskIDs    []string // sorted, tasks the master still tracks
	Completed  []string // completed task ids, oldest first
}

// Agent is a snapshot of an agent.
type Agent struct {
	ID        string
	Name      string
	Hostname  string
	Total     resources.Resources
	Connected bool
}

// Offer is a snapshot of an outstanding offer.
type Offer struct {
	ID          string
	FrameworkID string
	AgentID     string
	Role        string
	Resources   resources.Resources
	Proto       *mesospb.Offer
}

// Task is a snapshot of a task the master tracks.
type Task struct {
	ID                string
	Name              string // TaskInfo.name
	FrameworkID       string
	AgentID           string
	ExecutorID        string
	Role              string
	State             mesospb.TaskState // latest known
	StatusUpdateState mesospb.TaskState // last forwarded
	Resources         resources.Resources
}

// Frameworks returns the active and inactive frameworks, by id.
func (m *Master) Frameworks() []Framework {
	var out []Framework
	for _, id := range sortedKeys(m.frameworks) {
		fw := m.frameworks[id]
		f := Framework{
			ID: id, Name: fw.info.GetName(), Roles: frameworkRoles(fw.info), Suppressed: slices.Sorted(slices.Values(fw.suppressed)),
			Active: fw.active, Connected: fw.connected, Info: fw.info,
			OfferIDs: sortedKeys(fw.offers), TaskIDs: sortedKeys(fw.tasks),
		}
		if fw.sub != nil {
			f.StreamID = fw.sub.StreamID
		}
		for _, t := range fw.completed {
			f.Completed = append(f.Completed, t.id)
		}
		out = append(out, f)
	}
	return out
}

// CompletedFrameworks returns the ids of torn-down frameworks, oldest first.
func (m *Master) CompletedFrameworks() []string {
	var out []string
	for _, fw := range m.completedFrameworks {
		out = append(out, fw.id)
	}
	return out
}

// Agents returns the admitted agents, by id.
func (m *Master) Agents() []Agent {
	var out []Agent
	for _, id := range sortedKeys(m.agents) {
		ag := m.agents[id]
		out = append(out, Agent{ID: id, Name: ag.name, Hostname: ag.info.GetHostname(), Total: ag.total, Connected: ag.connected})
	}
	return out
}

// Offers returns the outstanding offers, by id.
func (m *Master) Offers() []Offer {
	var out []Offer
	ids := sortedKeys(m.offers)
	slices.SortFunc(ids, compareIDs)
	for _, id := range ids {
		o := m.offers[id]
		out = append(out, Offer{ID: id, FrameworkID: o.frameworkID, AgentID: o.agentID, Role: o.role, Resources: o.resources, Proto: o.pb})
	}
	return out
}

// Tasks returns the tasks the master tracks (non-terminal, and terminal
// with an unacknowledged update), by framework then task id.
func (m *Master) Tasks() []Task {
	var out []Task
	for _, fid := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fid]
		for _, tid := range sortedKeys(fw.tasks) {
			t := fw.tasks[tid]
			out = append(out, Task{ID: tid, Name: t.info.GetName(), FrameworkID: fid, AgentID: t.agentID, ExecutorID: t.executorID, Role: t.role,
				State: t.state, StatusUpdateState: t.statusUpdateState, Resources: t.resources})
		}
	}
	return out
}

// compareIDs orders ids with numeric suffixes naturally ("-O2" < "-O10").
func compareIDs(a, b string) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	if a < b {
		return -1
	}
	if a > b {
		return 1
	}
	return 0
}
