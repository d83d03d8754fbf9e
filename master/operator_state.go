package master

import (
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// The builders below make the v1 operator API's read-only answers from the
// master's state, on the loop. Each returns fresh messages that share
// nothing the master may change later, so they can be encoded off the loop.

// endpointResources converts resources as Mesos's HTTP endpoints show them
// (convertResourceFormat(ENDPOINT)).
func endpointResources(r resources.Resources) []*mesospb.Resource {
	out, err := r.ToProtoFormat(resources.Endpoint)
	if err != nil {
		return r.ToProto()
	}
	return out
}

func timeInfo(t time.Time) *mesospb.TimeInfo {
	return &mesospb.TimeInfo{Nanoseconds: proto.Int64(t.UnixNano())}
}

// cloned returns a deep copy of m; nil stays nil.
func cloned[T proto.Message](m T) T {
	if !m.ProtoReflect().IsValid() {
		return m
	}
	return proto.Clone(m).(T)
}

// opTask is the Task the master keeps for tk (protobuf::createTask plus
// the statuses and status-update fields the master maintains): consecutive
// statuses of the same state collapse into the latest one and status data
// is dropped, as Master::updateTask does.
func (m *Master) opTask(tk *task) *mesospb.Task {
	info := tk.info
	t := &mesospb.Task{
		Name:        proto.String(info.GetName()),
		TaskId:      &mesospb.TaskID{Value: proto.String(tk.id)},
		FrameworkId: &mesospb.FrameworkID{Value: proto.String(tk.frameworkID)},
		AgentId:     &mesospb.AgentID{Value: proto.String(tk.agentID)},
		State:       tk.state.Enum(),
		Resources:   endpointResources(tk.resources),
		Labels:      cloned(info.GetLabels()),
		Discovery:   cloned(info.GetDiscovery()),
		Container:   cloned(info.GetContainer()),
		HealthCheck: cloned(info.GetHealthCheck()),
		KillPolicy:  cloned(info.GetKillPolicy()),
	}
	if tk.executorID != "" {
		t.ExecutorId = &mesospb.ExecutorID{Value: proto.String(tk.executorID)}
	}
	for name, v := range info.GetLimits() {
		if t.Limits == nil {
			t.Limits = map[string]*mesospb.Value_Scalar{}
		}
		t.Limits[name] = proto.Clone(v).(*mesospb.Value_Scalar)
	}
	if cmd := info.GetCommand(); cmd != nil && cmd.User != nil {
		t.User = proto.String(cmd.GetUser())
	} else if cmd := info.GetExecutor().GetCommand(); cmd != nil && cmd.User != nil {
		t.User = proto.String(cmd.GetUser())
	}
	for _, st := range tk.statuses {
		if n := len(t.Statuses); n > 0 && t.Statuses[n-1].GetState() == st.GetState() {
			t.Statuses = t.Statuses[:n-1]
		}
		c := proto.Clone(st).(*mesospb.TaskStatus)
		c.Data = nil
		t.Statuses = append(t.Statuses, c)
	}
	if tk.hasStatus {
		t.StatusUpdateState = tk.statusUpdateState.Enum()
		if len(tk.lastUUID) > 0 {
			t.StatusUpdateUuid = slices.Clone(tk.lastUUID)
		}
	}
	return t
}

// opUsage is what tasks and executors use and what offers hold, by agent
// and by registered framework (allocated to their roles): computed once
// for an answer, in one pass over the master's state.
type opUsage struct {
	agentUsed, agentOffered map[string]resources.Resources
	fwUsed, fwOffered       map[string]resources.Resources
}

func (m *Master) opUsage() *opUsage {
	u := &opUsage{
		agentUsed: map[string]resources.Resources{}, agentOffered: map[string]resources.Resources{},
		fwUsed: map[string]resources.Resources{}, fwOffered: map[string]resources.Resources{},
	}
	for _, fwID := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fwID]
		for _, tid := range sortedKeys(fw.tasks) {
			if tk := fw.tasks[tid]; !tk.released {
				u.fwUsed[fwID] = u.fwUsed[fwID].Plus(tk.resources)
				u.agentUsed[tk.agentID] = u.agentUsed[tk.agentID].Plus(tk.resources)
			}
		}
		for _, aid := range sortedKeys(fw.executors) {
			for _, eid := range sortedKeys(fw.executors[aid]) {
				r := fw.executors[aid][eid].resources
				u.fwUsed[fwID] = u.fwUsed[fwID].Plus(r)
				u.agentUsed[aid] = u.agentUsed[aid].Plus(r)
			}
		}
	}
	ids := sortedKeys(m.offers)
	slices.SortFunc(ids, compareIDs)
	for _, id := range ids {
		o := m.offers[id]
		u.fwOffered[o.frameworkID] = u.fwOffered[o.frameworkID].Plus(o.resources)
		u.agentOffered[o.agentID] = u.agentOffered[o.agentID].Plus(o.resources)
	}
	return u
}

// opFrameworkUsed returns what a framework's tasks and executors use; for
// a completed framework, which no usage index covers.
func opFrameworkUsed(fw *framework) resources.Resources {
	var used resources.Resources
	for _, tid := range sortedKeys(fw.tasks) {
		if tk := fw.tasks[tid]; !tk.released {
			used = used.Plus(tk.resources)
		}
	}
	for _, aid := range sortedKeys(fw.executors) {
		for _, eid := range sortedKeys(fw.executors[aid]) {
			used = used.Plus(fw.executors[aid][eid].resources)
		}
	}
	return used
}

// opAgent is GetAgents.Agent for an admitted agent
// (protobuf::master::event::createAgentResponse).
func (m *Master) opAgent(ag *agent, u *opUsage) *masterpb.Response_GetAgents_Agent {
	info := proto.Clone(ag.info).(*mesospb.AgentInfo)
	st := m.opAgentStatus(ag)
	a := &masterpb.Response_GetAgents_Agent{
		AgentInfo:          info,
		Active:             proto.Bool(ag.connected && !st.deactivated),
		Deactivated:        proto.Bool(st.deactivated),
		Version:            proto.String(ag.version),
		Pid:                proto.String(m.agentPID(ag)),
		RegisteredTime:     timeInfo(st.registered),
		TotalResources:     endpointResources(ag.total),
		AllocatedResources: endpointResources(u.agentUsed[ag.id]),
		OfferedResources:   endpointResources(u.agentOffered[ag.id]),
	}
	if !st.reregistered.IsZero() {
		a.ReregisteredTime = timeInfo(st.reregistered)
	}
	for _, c := range agentCapabilities(ag) {
		a.Capabilities = append(a.Capabilities, &mesospb.AgentInfo_Capability{Type: c.Enum()})
	}
	if st.drain != nil {
		a.DrainInfo = st.drain
		if !st.drainStart.IsZero() {
			// Mesos rounds the estimate down to whole seconds.
			a.EstimatedDrainStartTime = timeInfo(st.drainStart.Truncate(time.Second))
		}
	}
	return a
}

func (m *Master) opGetAgents() *masterpb.Response_GetAgents {
	out := &masterpb.Response_GetAgents{}
	u := m.opUsage()
	for _, id := range sortedKeys(m.agents) {
		out.Agents = append(out.Agents, m.opAgent(m.agents[id], u))
	}
	for _, id := range sortedKeys(m.recoveredAgents) {
		out.RecoveredAgents = append(out.RecoveredAgents, proto.Clone(m.recoveredAgents[id]).(*mesospb.AgentInfo))
	}
	return out
}

// opFramework is GetFrameworks.Framework (model(const Framework&) in
// http.cpp): times only when set, with offers and resources.
func (m *Master) opFramework(fw *framework, u *opUsage) *masterpb.Response_GetFrameworks_Framework {
	f := m.opFrameworkBase(fw)
	times := m.opFrameworkTimes(fw)
	if !times.registered.IsZero() {
		f.RegisteredTime = timeInfo(times.registered)
	}
	if !times.unregistered.IsZero() {
		f.UnregisteredTime = timeInfo(times.unregistered)
	}
	if !times.reregistered.IsZero() {
		f.ReregisteredTime = timeInfo(times.reregistered)
	}
	ids := sortedKeys(fw.offers)
	slices.SortFunc(ids, compareIDs)
	for _, id := range ids {
		f.Offers = append(f.Offers, proto.Clone(fw.offers[id].pb).(*mesospb.Offer))
	}
	f.InverseOffers = m.opFrameworkInverseOffers(fw)
	if m.frameworks[fw.id] == fw {
		f.AllocatedResources = endpointResources(u.fwUsed[fw.id])
		f.OfferedResources = endpointResources(u.fwOffered[fw.id])
	} else {
		f.AllocatedResources = endpointResources(opFrameworkUsed(fw))
	}
	return f
}

// opFrameworkEvent is the Framework of FRAMEWORK_ADDED and
// FRAMEWORK_UPDATED (createFrameworkAdded): the three times always set,
// no offers or resources.
func (m *Master) opFrameworkEvent(fw *framework) *masterpb.Response_GetFrameworks_Framework {
	f := m.opFrameworkBase(fw)
	times := m.opFrameworkTimes(fw)
	ns := func(t time.Time) *mesospb.TimeInfo {
		if t.IsZero() {
			return &mesospb.TimeInfo{Nanoseconds: proto.Int64(0)}
		}
		return timeInfo(t)
	}
	f.RegisteredTime = ns(times.registered)
	f.ReregisteredTime = ns(times.reregistered)
	f.UnregisteredTime = ns(times.unregistered)
	return f
}

func (m *Master) opFrameworkBase(fw *framework) *masterpb.Response_GetFrameworks_Framework {
	return &masterpb.Response_GetFrameworks_Framework{
		FrameworkInfo: proto.Clone(fw.info).(*mesospb.FrameworkInfo),
		Active:        proto.Bool(fw.active),
		Connected:     proto.Bool(fw.connected),
		Recovered:     proto.Bool(fw.recovered),
	}
}

func (m *Master) opGetFrameworks() *masterpb.Response_GetFrameworks {
	out := &masterpb.Response_GetFrameworks{}
	u := m.opUsage()
	for _, id := range sortedKeys(m.frameworks) {
		out.Frameworks = append(out.Frameworks, m.opFramework(m.frameworks[id], u))
	}
	for _, fw := range m.completedFrameworks {
		out.CompletedFrameworks = append(out.CompletedFrameworks, m.opFramework(fw, u))
	}
	return out
}

// opAllFrameworks returns the registered frameworks by id, then the
// completed ones, oldest first.
func (m *Master) opAllFrameworks() []*framework {
	var out []*framework
	for _, id := range sortedKeys(m.frameworks) {
		out = append(out, m.frameworks[id])
	}
	return append(out, m.completedFrameworks...)
}

func (m *Master) opGetExecutors() *masterpb.Response_GetExecutors {
	out := &masterpb.Response_GetExecutors{}
	for _, fw := range m.opAllFrameworks() {
		for _, aid := range sortedKeys(fw.executors) {
			for _, eid := range sortedKeys(fw.executors[aid]) {
				out.Executors = append(out.Executors, &masterpb.Response_GetExecutors_Executor{
					ExecutorInfo: proto.Clone(fw.executors[aid][eid].info).(*mesospb.ExecutorInfo),
					AgentId:      &mesospb.AgentID{Value: proto.String(aid)},
				})
			}
		}
	}
	return out
}

func (m *Master) opGetTasks() *masterpb.Response_GetTasks {
	out := &masterpb.Response_GetTasks{}
	for _, fw := range m.opAllFrameworks() {
		for _, tid := range sortedKeys(fw.tasks) {
			out.Tasks = append(out.Tasks, m.opTask(fw.tasks[tid]))
		}
		for _, tid := range fw.unreachableOrder {
			if tk := fw.unreachable[tid]; tk != nil {
				out.UnreachableTasks = append(out.UnreachableTasks, m.opTask(tk))
			}
		}
		for _, tk := range fw.completed {
			out.CompletedTasks = append(out.CompletedTasks, m.opTask(tk))
		}
	}
	return out
}

func (m *Master) opGetState() *masterpb.Response_GetState {
	return &masterpb.Response_GetState{
		GetTasks:      m.opGetTasks(),
		GetExecutors:  m.opGetExecutors(),
		GetFrameworks: m.opGetFrameworks(),
		GetAgents:     m.opGetAgents(),
	}
}

// opRoles is the master's view of roles (Master::roles and
// Master::knownRoles): which registered frameworks each role tracks (the
// frameworks subscribed to it or holding resources in it), and the known
// roles, sorted: those roles, reservation roles of admitted agents, roles
// with a weight or a quota, and all their ancestors.
type opRoles struct {
	known      []string
	frameworks map[string][]string // role -> framework ids, sorted
}

func (m *Master) opRoles(u *opUsage) opRoles {
	r := opRoles{frameworks: map[string][]string{}}
	set := map[string]bool{}
	add := func(role string) {
		if role == "" {
			return
		}
		set[role] = true
		for _, a := range resources.RoleAncestors(role) {
			set[a] = true
		}
	}
	for _, id := range sortedKeys(m.frameworks) {
		roles := frameworkRoles(m.frameworks[id].info)
		for _, role := range u.fwUsed[id].Plus(u.fwOffered[id]).AllocationRoles() {
			if !slices.Contains(roles, role) {
				roles = append(roles, role)
			}
		}
		for _, role := range roles {
			r.frameworks[role] = append(r.frameworks[role], id)
			add(role)
		}
	}
	for _, id := range sortedKeys(m.agents) {
		for res := range m.agents[id].total.All() {
			if res.IsReserved() {
				add(res.ReservationRole())
			}
		}
	}
	op := m.op()
	for role := range op.weights {
		add(role)
	}
	for role := range op.quotas {
		add(role)
	}
	r.known = sortedKeys(set)
	return r
}

// opRoleResources returns what the frameworks of a role's subtree hold
// (RoleResourceBreakdown): allocated and offered, as quantities.
func (m *Master) opRoleResources(role string, u *opUsage) (allocated, offered resources.Quantities) {
	for _, id := range sortedKeys(m.frameworks) {
		allocated = allocated.Plus(u.fwUsed[id].AllocatedToRoleSubtree(role).Quantities())
		offered = offered.Plus(u.fwOffered[id].AllocatedToRoleSubtree(role).Quantities())
	}
	return allocated, offered
}

func (m *Master) opGetRoles() *masterpb.Response_GetRoles {
	out := &masterpb.Response_GetRoles{}
	u := m.opUsage()
	roles := m.opRoles(u)
	for _, name := range roles.known {
		role := &mesospb.Role{Name: proto.String(name), Weight: proto.Float64(m.opWeight(name))}
		allocated, offered := m.opRoleResources(name, u)
		for q := range allocated.Plus(offered).All() {
			switch q.Name {
			case "cpus", "mem", "disk", "gpus":
				role.Resources = append(role.Resources, &mesospb.Resource{
					Name:   proto.String(q.Name),
					Type:   mesospb.Value_SCALAR.Enum(),
					Scalar: &mesospb.Value_Scalar{Value: proto.Float64(q.Value.Float64())},
				})
			}
		}
		for _, id := range roles.frameworks[name] {
			role.Frameworks = append(role.Frameworks, &mesospb.FrameworkID{Value: proto.String(id)})
		}
		out.Roles = append(out.Roles, role)
	}
	return out
}

// opAgentString renders an agent as Mesos's stringify(Slave) does:
// "<id> at <pid> (<hostname>)".
func (m *Master) opAgentString(ag *agent) string {
	var b strings.Builder
	b.WriteString(ag.id)
	b.WriteString(" at ")
	b.WriteString(m.agentPID(ag))
	b.WriteString(" (")
	b.WriteString(ag.info.GetHostname())
	b.WriteString(")")
	return b.String()
}
