package master

import (
	"slices"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// State is a snapshot of what the master shows on its read-only endpoints
// (/master/state, /master/state-summary, /master/frameworks,
// /master/slaves, /master/tasks, /master/roles) and what the operator
// API's GET_* calls need. [Master.State] takes it on the loop; afterwards
// it is the caller's and may be read on any goroutine. The protobuf
// messages in it are shared with the master and must not be modified.
//
// Lists are in a deterministic order: agents and frameworks by id,
// completed frameworks oldest first, tasks by id (completed tasks oldest
// first, unreachable ones in the order they became unreachable).
type State struct {
	Info *mesospb.MasterInfo
	// StartTime is when this master started; ElectedTime when it became
	// the leader (the same instant: a simulated master leads at once).
	StartTime, ElectedTime time.Time
	Flags                  []Flag
	// Agents are the registered agents (connected or not).
	Agents []AgentState
	// RecoveredAgents are agents a failed-over master read from the
	// registry that have not re-registered yet.
	RecoveredAgents []*mesospb.AgentInfo
	// UnreachableAgents maps the ids of unreachable agents to the time
	// they were marked so.
	UnreachableAgents map[string]time.Time
	Frameworks        []FrameworkState
	// CompletedFrameworks are torn-down frameworks, oldest first.
	CompletedFrameworks []FrameworkState
	Roles               []RoleState
}

// Flag is one master flag with its value as Mesos prints it ("1secs").
type Flag struct{ Name, Value string }

// AgentState is one registered agent.
type AgentState struct {
	Info         *mesospb.AgentInfo // id set
	PID          string             // "slave(1)@ip:port"
	Version      string
	Capabilities []mesospb.AgentInfo_Capability_Type
	// ReregisteredTime is zero if the agent never re-registered.
	RegisteredTime, ReregisteredTime time.Time
	// Total, Used (by tasks and executors) and Offered resources.
	Total, Used, Offered resources.Resources
	// Active: connected and not deactivated by the operator or a drain.
	Active, Connected, Deactivated bool
	// DrainInfo is nil unless the agent was asked to drain.
	DrainInfo               *mesospb.DrainInfo
	EstimatedDrainStartTime time.Time
}

// FrameworkState is one framework, active, inactive or completed.
type FrameworkState struct {
	ID                string
	Info              *mesospb.FrameworkInfo
	Active, Connected bool
	Recovered         bool
	// RegisteredTime is when the framework first subscribed (or when a
	// recovered framework subscribed again), ReregisteredTime when it
	// last subscribed, UnregisteredTime when it was torn down (zero
	// before).
	RegisteredTime, ReregisteredTime, UnregisteredTime time.Time
	// Used (by tasks and executors) and Offered resources.
	Used, Offered resources.Resources
	// Tasks are non-terminal tasks and terminal ones whose last update
	// is not acknowledged yet, by id.
	Tasks            []*mesospb.Task
	UnreachableTasks []*mesospb.Task
	CompletedTasks   []*mesospb.Task
	// Offers are the outstanding offers, in id order, and OfferRoles
	// the role each is allocated to.
	Offers          []*mesospb.Offer
	OfferRoles      []string
	InverseOffers   []*mesospb.InverseOffer
	Executors       []ExecutorState
	SuppressedRoles []string
}

// ExecutorState is an executor the master knows a framework runs on an
// agent (custom and default executors; command executors are the
// agent's business, as in Mesos).
type ExecutorState struct {
	AgentID   string
	Info      *mesospb.ExecutorInfo
	Resources resources.Resources // allocated to the framework's role
}

// RoleState is one known role as /master/roles shows it.
type RoleState struct {
	Name   string
	Weight float64
	// Frameworks subscribed to the role or holding resources in it.
	Frameworks []string
	Guarantees resources.Quantities
	Limits     resources.Limits
	// Quantities of the resources allocated (used by tasks and
	// executors), offered and reserved in the role's subtree, and the
	// quota the role consumes (allocated plus unallocated reservations).
	Allocated, Offered, Reserved, ConsumedQuota resources.Quantities
}

// State returns a snapshot of the master. Call it on the loop.
func (m *Master) State() *State {
	s := &State{
		Info:              m.MasterInfo(),
		StartTime:         m.startTime,
		ElectedTime:       m.startTime,
		Flags:             m.Flags(),
		UnreachableAgents: map[string]time.Time{},
	}
	used, offered := m.usageByAgent()
	for _, id := range sortedKeys(m.agents) {
		s.Agents = append(s.Agents, m.agentState(m.agents[id], used[id], offered[id]))
	}
	for _, id := range sortedKeys(m.recoveredAgents) {
		s.RecoveredAgents = append(s.RecoveredAgents, m.recoveredAgents[id])
	}
	for id, t := range m.unreachableAgents {
		s.UnreachableAgents[id] = t
	}
	for _, id := range sortedKeys(m.frameworks) {
		s.Frameworks = append(s.Frameworks, m.frameworkState(m.frameworks[id]))
	}
	for _, fw := range m.completedFrameworks {
		s.CompletedFrameworks = append(s.CompletedFrameworks, m.frameworkState(fw))
	}
	s.Roles = m.roleStates(s)
	return s
}

// agentPID is the libprocess pid of an agent: every simulated agent runs
// in this process, at the master's IP.
func (m *Master) agentPID(ag *agent) string {
	return "slave(1)@" + m.cfg.IP + ":" + strconv.Itoa(int(ag.info.GetPort()))
}

// agentCapabilities returns what an agent advertised; nil (an agent that
// said nothing) stands for every capability of a Mesos 1.11 agent, as in
// package allocator.
func agentCapabilities(ag *agent) []mesospb.AgentInfo_Capability_Type {
	if ag.capabilities != nil {
		return slices.Clone(ag.capabilities)
	}
	var all []mesospb.AgentInfo_Capability_Type
	for v := mesospb.AgentInfo_Capability_MULTI_ROLE; v <= mesospb.AgentInfo_Capability_TASK_RESOURCE_LIMITS; v++ {
		all = append(all, v)
	}
	return all
}

// usageByAgent returns, by agent id, what tasks and executors use on each
// agent and what is offered there, in one pass (sums in id order, so
// floating-point results do not depend on map order).
func (m *Master) usageByAgent() (used, offered map[string]resources.Resources) {
	used, offered = map[string]resources.Resources{}, map[string]resources.Resources{}
	for _, fid := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fid]
		for _, tid := range sortedKeys(fw.tasks) {
			if tk := fw.tasks[tid]; !tk.released {
				used[tk.agentID] = used[tk.agentID].Plus(tk.resources)
			}
		}
		for _, aid := range sortedKeys(fw.executors) {
			for _, eid := range sortedKeys(fw.executors[aid]) {
				used[aid] = used[aid].Plus(fw.executors[aid][eid].resources)
			}
		}
	}
	oids := sortedKeys(m.offers)
	slices.SortFunc(oids, compareIDs)
	for _, oid := range oids {
		o := m.offers[oid]
		offered[o.agentID] = offered[o.agentID].Plus(o.resources)
	}
	return used, offered
}

func (m *Master) agentState(ag *agent, used, offered resources.Resources) AgentState {
	deactivated := m.maint.deactivated[ag.id]
	a := AgentState{
		Info:             ag.info,
		PID:              m.agentPID(ag),
		Version:          ag.version,
		Capabilities:     agentCapabilities(ag),
		RegisteredTime:   ag.registeredTime,
		ReregisteredTime: ag.reregisteredTime,
		Total:            ag.total,
		Used:             used,
		Offered:          offered,
		Connected:        ag.connected,
		Deactivated:      deactivated,
		Active:           ag.connected && !deactivated,
	}
	if d := m.maint.drain[ag.id]; d != nil {
		a.DrainInfo = proto.Clone(d.info).(*mesospb.DrainInfo)
		a.EstimatedDrainStartTime = d.estimatedStart
	}
	return a
}

func (m *Master) frameworkState(fw *framework) FrameworkState {
	f := FrameworkState{
		ID:               fw.id,
		Info:             fw.info,
		Active:           fw.active,
		Connected:        fw.connected,
		Recovered:        fw.recovered,
		RegisteredTime:   fw.registeredTime,
		ReregisteredTime: fw.reregisteredTime,
		UnregisteredTime: fw.unregisteredTime,
		SuppressedRoles:  slices.Clone(fw.suppressed),
	}
	for _, tid := range sortedKeys(fw.tasks) {
		tk := fw.tasks[tid]
		f.Tasks = append(f.Tasks, m.taskProto(tk))
		if !tk.released {
			f.Used = f.Used.Plus(tk.resources)
		}
	}
	for _, tid := range fw.unreachableOrder {
		if tk := fw.unreachable[tid]; tk != nil {
			f.UnreachableTasks = append(f.UnreachableTasks, m.taskProto(tk))
		}
	}
	for _, tk := range fw.completed {
		f.CompletedTasks = append(f.CompletedTasks, m.taskProto(tk))
	}
	for _, aid := range sortedKeys(fw.executors) {
		for _, eid := range sortedKeys(fw.executors[aid]) {
			ex := fw.executors[aid][eid]
			f.Executors = append(f.Executors, ExecutorState{AgentID: aid, Info: ex.info, Resources: ex.resources})
			f.Used = f.Used.Plus(ex.resources)
		}
	}
	oids := sortedKeys(fw.offers)
	slices.SortFunc(oids, compareIDs)
	for _, oid := range oids {
		o := fw.offers[oid]
		f.Offers = append(f.Offers, o.pb)
		f.OfferRoles = append(f.OfferRoles, o.role)
		f.Offered = f.Offered.Plus(o.resources)
	}
	f.InverseOffers = m.inverseOffersOf(fw.id)
	return f
}

// taskProto is the master's Task message for a task (protobuf::createTask
// and Master::updateTask): a status repeating the state of the one before
// it replaces it, and statuses carry no data.
func (m *Master) taskProto(tk *task) *mesospb.Task {
	info := tk.info
	t := &mesospb.Task{
		Name:        proto.String(info.GetName()),
		TaskId:      &mesospb.TaskID{Value: proto.String(tk.id)},
		FrameworkId: &mesospb.FrameworkID{Value: proto.String(tk.frameworkID)},
		AgentId:     &mesospb.AgentID{Value: proto.String(tk.agentID)},
		State:       tk.state.Enum(),
		Resources:   tk.resources.ToProto(),
		Labels:      info.GetLabels(),
		Discovery:   info.GetDiscovery(),
		Container:   info.GetContainer(),
		HealthCheck: info.GetHealthCheck(),
		KillPolicy:  info.GetKillPolicy(),
		Limits:      info.GetLimits(),
	}
	if tk.executorID != "" {
		t.ExecutorId = &mesospb.ExecutorID{Value: proto.String(tk.executorID)}
	}
	if c := info.GetCommand(); c != nil && c.User != nil {
		t.User = proto.String(c.GetUser())
	} else if c := info.GetExecutor().GetCommand(); c != nil && c.User != nil {
		t.User = proto.String(c.GetUser())
	}
	if tk.hasStatus {
		t.StatusUpdateState = tk.statusUpdateState.Enum()
		if len(tk.lastUUID) > 0 {
			t.StatusUpdateUuid = tk.lastUUID
		}
	}
	for _, st := range tk.statuses {
		if n := len(t.Statuses); n > 0 && t.Statuses[n-1].GetState() == st.GetState() {
			t.Statuses = t.Statuses[:n-1]
		}
		if st.Data != nil {
			st = proto.Clone(st).(*mesospb.TaskStatus)
			st.Data = nil
		}
		t.Statuses = append(t.Statuses, st)
	}
	return t
}

// Flags returns the master flags the simulation honours, with Mesos's
// names and value texts, by name.
func (m *Master) Flags() []Flag {
	c := m.cfg
	flags := []Flag{
		{"agent_ping_timeout", mesosDuration(c.AgentPingTimeout)},
		{"agent_reregister_timeout", mesosDuration(c.AgentReregisterTimeout)},
		{"allocation_interval", mesosDuration(c.AllocationInterval)},
		{"authenticate_agents", "false"},
		{"authenticate_frameworks", "false"},
		{"authenticate_http_frameworks", "false"},
		{"authenticate_http_readonly", "false"},
		{"authenticate_http_readwrite", "false"},
		{"hostname", c.Hostname},
		{"ip", c.IP},
		{"max_agent_ping_timeouts", strconv.Itoa(c.MaxAgentPingTimeouts)},
		{"max_completed_frameworks", "50"},
		{"max_completed_tasks_per_framework", strconv.Itoa(c.MaxCompletedTasks)},
		{"max_unreachable_tasks_per_framework", strconv.Itoa(c.MaxUnreachableTasks)},
		{"port", strconv.Itoa(c.Port)},
		{"registry", "in_memory"},
	}
	if c.OfferTimeout > 0 {
		flags = append(flags, Flag{"offer_timeout", mesosDuration(c.OfferTimeout)})
	}
	slices.SortFunc(flags, func(a, b Flag) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return flags
}

// roleInfo is what an allocator may tell about weights and quota;
// *allocator.Hierarchical does.
type roleInfo interface {
	Weight(role string) float64
	Quota(role string) allocator.Quota
}

// roleStates lists the known roles (Master::knownRoles): roles frameworks
// subscribe to or hold resources in, reservation roles of registered
// agents, roles operators gave a weight or a quota, and all their
// ancestors, sorted. Weights and quotas set on the allocator directly
// (not through the master) show for listed roles only.
func (m *Master) roleStates(s *State) []RoleState {
	known := map[string]bool{}
	add := func(role string) {
		if role == "" {
			return
		}
		known[role] = true
		for _, a := range resources.RoleAncestors(role) {
			known[a] = true
		}
	}
	members := map[string]map[string]bool{}
	member := func(role, fw string) {
		if members[role] == nil {
			members[role] = map[string]bool{}
		}
		members[role][fw] = true
	}
	for _, f := range s.Frameworks {
		for _, r := range frameworkRoles(f.Info) {
			add(r)
			member(r, f.ID)
		}
		for _, r := range f.Used.Plus(f.Offered).AllocationRoles() {
			add(r)
			member(r, f.ID)
		}
	}
	for _, a := range s.Agents {
		for r := range a.Total.ReservationsByRole() {
			add(r)
		}
	}
	weights, quotas := m.Weights(), m.Quotas()
	for r := range weights {
		add(r)
	}
	for r := range quotas {
		add(r)
	}
	ri, _ := m.alloc.(roleInfo)
	var out []RoleState
	for _, name := range sortedKeys(known) {
		rs := RoleState{Name: name, Weight: 1, Frameworks: sortedKeys(members[name])}
		if ri != nil {
			rs.Weight = ri.Weight(name)
			q := ri.Quota(name)
			rs.Guarantees, rs.Limits = q.Guarantees, q.Limits
		}
		if w, ok := weights[name]; ok {
			rs.Weight = w
		}
		if q, ok := quotas[name]; ok {
			rs.Guarantees, rs.Limits = q.Guarantees, q.Limits
		}
		for _, f := range s.Frameworks {
			rs.Allocated = rs.Allocated.Plus(f.Used.AllocatedToRoleSubtree(name).Quantities())
			rs.Offered = rs.Offered.Plus(f.Offered.AllocatedToRoleSubtree(name).Quantities())
		}
		var unallocatedReservation resources.Quantities
		for _, a := range s.Agents {
			reserved := a.Total.ReservedToRoleSubtree(name).Quantities()
			rs.Reserved = rs.Reserved.Plus(reserved)
			unallocatedReservation = unallocatedReservation.Plus(reserved.Minus(a.Used.ReservedToRoleSubtree(name).Quantities()))
		}
		rs.ConsumedQuota = rs.Allocated.Plus(unallocatedReservation)
		out = append(out, rs)
	}
	return out
}

// noteResubscribed records a framework's new subscription: its
// reregistered time, and for a framework recovered after a failover its
// registered time too (Master::_subscribe).
func (m *Master) noteResubscribed(fw *framework) {
	if fw.recovered {
		fw.registeredTime = m.now()
	}
	fw.reregisteredTime = m.now()
}
