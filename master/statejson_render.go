package master

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// The JSON documents of the read-only endpoints, built from a [State] off
// the loop. Member order follows src/master/readonly_handler.cpp and
// src/common/http.cpp of Mesos 1.11 (stout's jsonify writes members in
// the order the code writes them).

// Build information /version and /master/state report. A simulated master
// has no build; these are fixed so that output is reproducible.
const (
	buildDate = "2020-11-24 19:43:00"
	buildTime = 1606246980.0
	buildUser = "mesos-sim"
)

// versionJSON is /version (a JSON::Object, so its keys are sorted).
func versionJSON(version string) *jsonObject {
	return newObject().
		set("build_date", buildDate).
		set("build_time", buildTime).
		set("build_user", buildUser).
		set("version", version)
}

// masterInfoJSON is json(MasterInfo), the leader_info object.
func masterInfoJSON(info *mesospb.MasterInfo) *jsonObject {
	o := newObject().
		set("id", info.GetId()).
		set("pid", info.GetPid()).
		set("port", info.GetPort()).
		set("hostname", info.GetHostname())
	if info.Domain != nil {
		o.set("domain", domainJSON(info.GetDomain()))
	}
	return o
}

func flagsObject(flags []Flag) *jsonObject {
	o := newObject()
	for _, f := range flags {
		o.set(f.Name, f.Value)
	}
	return o
}

// flagsJSON is /master/flags.
func flagsJSON(s *State) *jsonObject { return newObject().set("flags", flagsObject(s.Flags)) }

func countAgents(s *State, keep func(AgentState) bool) float64 {
	n := 0.0
	for _, a := range s.Agents {
		if keep(a) {
			n++
		}
	}
	return n
}

// stateJSON is /master/state.
func stateJSON(s *State) *jsonObject {
	o := newObject().
		set("version", s.Info.GetVersion()).
		set("build_date", buildDate).
		set("build_time", buildTime).
		set("build_user", buildUser).
		set("start_time", seconds(s.StartTime)).
		set("elected_time", seconds(s.ElectedTime)).
		set("id", s.Info.GetId()).
		set("pid", s.Info.GetPid()).
		set("hostname", s.Info.GetHostname())
	var caps []string
	for _, c := range s.Info.GetCapabilities() {
		caps = append(caps, c.GetType().String())
	}
	o.set("capabilities", stringsOrEmpty(caps)).
		set("activated_slaves", countAgents(s, func(a AgentState) bool { return a.Active })).
		set("deactivated_slaves", countAgents(s, func(a AgentState) bool { return !a.Active })).
		set("unreachable_slaves", float64(len(s.UnreachableAgents)))
	if s.Info.Domain != nil {
		o.set("domain", domainJSON(s.Info.GetDomain()))
	}
	o.set("leader", s.Info.GetPid()).
		set("leader_info", masterInfoJSON(s.Info)).
		set("flags", flagsObject(s.Flags))
	slaves := []any{}
	for _, a := range s.Agents {
		slaves = append(slaves, agentJSON(a))
	}
	o.set("slaves", slaves).
		set("recovered_slaves", recoveredAgentsJSON(s, "", false)).
		set("frameworks", frameworksList(s.Frameworks, "", false)).
		set("completed_frameworks", frameworksList(s.CompletedFrameworks, "", false)).
		set("orphan_tasks", []any{}).
		set("unregistered_frameworks", []any{})
	return o
}

func stringsOrEmpty(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

// agentInfoJSON is json(SlaveInfo).
func agentInfoJSON(info *mesospb.AgentInfo) *jsonObject {
	o := newObject().
		set("id", info.GetId().GetValue()).
		set("hostname", info.GetHostname()).
		set("port", info.GetPort()).
		set("attributes", attributesJSON(info.GetAttributes()))
	if info.Domain != nil {
		o.set("domain", domainJSON(info.GetDomain()))
	}
	return o
}

// agentJSON is SlaveWriter.
func agentJSON(a AgentState) *jsonObject {
	o := agentInfoJSON(a.Info).
		set("pid", a.PID).
		set("registered_time", seconds(a.RegisteredTime))
	if !a.ReregisteredTime.IsZero() {
		o.set("reregistered_time", seconds(a.ReregisteredTime))
	}
	reserved := newObject()
	byRole := a.Total.ReservationsByRole()
	for _, role := range sortedKeys(byRole) {
		reserved.set(role, resourcesJSON(byRole[role]))
	}
	var caps []string
	for _, c := range a.Capabilities {
		caps = append(caps, c.String())
	}
	o.set("resources", resourcesJSON(a.Total)).
		set("used_resources", resourcesJSON(a.Used)).
		set("offered_resources", resourcesJSON(a.Offered)).
		set("reserved_resources", reserved).
		set("unreserved_resources", resourcesJSON(a.Total.Unreserved())).
		set("active", a.Active).
		set("deactivated", a.Deactivated).
		set("version", a.Version).
		set("capabilities", stringsOrEmpty(caps))
	if a.DrainInfo != nil {
		o.set("drain_info", a.DrainInfo)
		if !a.EstimatedDrainStartTime.IsZero() {
			o.set("estimated_drain_start_time_seconds", seconds(a.EstimatedDrainStartTime))
		}
	}
	return o
}

// resourcesFullJSON lists resources as JSON::Protobuf in the ENDPOINT
// format (SlavesWriter's *_full fields).
func resourcesFullJSON(r resources.Resources) []any {
	out := []any{}
	ps, err := r.ToProtoFormat(resources.Endpoint)
	if err != nil {
		ps = r.ToProto()
	}
	for _, p := range ps {
		out = append(out, p)
	}
	return out
}

// agentFullJSON is SlavesWriter::writeSlave: SlaveWriter plus the full
// protobuf form of the agent's reserved, unreserved, used and offered
// resources.
func agentFullJSON(a AgentState) *jsonObject {
	o := agentJSON(a)
	reserved := newObject()
	byRole := a.Total.ReservationsByRole()
	for _, role := range sortedKeys(byRole) {
		reserved.set(role, resourcesFullJSON(byRole[role]))
	}
	return o.set("reserved_resources_full", reserved).
		set("unreserved_resources_full", resourcesFullJSON(a.Total.Unreserved())).
		set("used_resources_full", resourcesFullJSON(a.Used)).
		set("offered_resources_full", resourcesFullJSON(a.Offered))
}

func recoveredAgentsJSON(s *State, id string, filter bool) []any {
	out := []any{}
	for _, info := range s.RecoveredAgents {
		if filter && info.GetId().GetValue() != id {
			continue
		}
		out = append(out, agentInfoJSON(info))
	}
	return out
}

// slavesJSON is /master/slaves (?slave_id=).
func slavesJSON(s *State, id string, filter bool) *jsonObject {
	slaves := []any{}
	for _, a := range s.Agents {
		if filter && a.Info.GetId().GetValue() != id {
			continue
		}
		slaves = append(slaves, agentFullJSON(a))
	}
	return newObject().set("slaves", slaves).set("recovered_slaves", recoveredAgentsJSON(s, id, filter))
}

// frameworkSummaryJSON is json(Summary<Framework>).
func frameworkSummaryJSON(f FrameworkState) *jsonObject {
	var caps []string
	for _, c := range f.Info.GetCapabilities() {
		caps = append(caps, c.GetType().String())
	}
	return newObject().
		set("id", f.ID).
		set("name", f.Info.GetName()).
		set("used_resources", resourcesJSON(f.Used)).
		set("offered_resources", resourcesJSON(f.Offered)).
		set("capabilities", stringsOrEmpty(caps)).
		set("hostname", f.Info.GetHostname()).
		set("webui_url", f.Info.GetWebuiUrl()).
		set("active", f.Active).
		set("connected", f.Connected).
		set("recovered", f.Recovered)
}

// frameworkJSON is FullFrameworkWriter.
func frameworkJSON(f FrameworkState) *jsonObject {
	info := f.Info
	o := frameworkSummaryJSON(f).
		set("user", info.GetUser()).
		set("failover_timeout", info.GetFailoverTimeout()).
		set("checkpoint", info.GetCheckpoint()).
		set("registered_time", seconds(f.RegisteredTime)).
		set("unregistered_time", seconds(f.UnregisteredTime))
	if info.Principal != nil {
		o.set("principal", info.GetPrincipal())
	}
	o.set("resources", resourcesJSON(f.Used.Plus(f.Offered)))
	if !f.ReregisteredTime.Equal(f.RegisteredTime) {
		o.set("reregistered_time", seconds(f.ReregisteredTime))
	}
	if hasFrameworkCapability(info, mesospb.FrameworkInfo_Capability_MULTI_ROLE) {
		o.set("roles", stringsOrEmpty(info.GetRoles()))
	} else {
		o.set("role", info.GetRole())
	}
	o.set("tasks", tasksList(f.Tasks)).
		set("unreachable_tasks", tasksList(f.UnreachableTasks)).
		set("completed_tasks", tasksList(f.CompletedTasks))
	offers := []any{}
	for i, of := range f.Offers {
		offers = append(offers, newObject().
			set("id", of.GetId().GetValue()).
			set("framework_id", of.GetFrameworkId().GetValue()).
			set("allocation_info", &mesospb.Resource_AllocationInfo{Role: &f.OfferRoles[i]}).
			set("slave_id", of.GetAgentId().GetValue()).
			set("resources", resourcesProtoJSON(of.GetResources())))
	}
	o.set("offers", offers)
	executors := []any{}
	for _, e := range f.Executors {
		executors = append(executors, executorJSON(e).set("slave_id", e.AgentID))
	}
	o.set("executors", executors)
	if info.Labels != nil {
		o.set("labels", labelsJSON(info.GetLabels()))
	}
	return o.set("offer_constraints", newObject())
}

func frameworksList(fs []FrameworkState, id string, filter bool) []any {
	out := []any{}
	for _, f := range fs {
		if filter && f.ID != id {
			continue
		}
		out = append(out, frameworkJSON(f))
	}
	return out
}

// frameworksJSON is /master/frameworks (?framework_id=).
func frameworksJSON(s *State, id string, filter bool) *jsonObject {
	return newObject().
		set("frameworks", frameworksList(s.Frameworks, id, filter)).
		set("completed_frameworks", frameworksList(s.CompletedFrameworks, id, filter)).
		set("unregistered_frameworks", []any{})
}

// executorJSON is json(ExecutorInfo).
func executorJSON(e ExecutorState) *jsonObject {
	info := e.Info
	o := newObject().
		set("executor_id", info.GetExecutorId().GetValue()).
		set("name", info.GetName()).
		set("framework_id", info.GetFrameworkId().GetValue()).
		set("command", commandJSON(info.GetCommand())).
		set("resources", resourcesJSON(e.Resources))
	if !e.Resources.IsEmpty() {
		if roles := e.Resources.AllocationRoles(); len(roles) > 0 {
			o.set("role", roles[0])
		}
	}
	if info.Labels != nil {
		o.set("labels", labelsJSON(info.GetLabels()))
	}
	if info.Type != nil {
		o.set("type", info.GetType().String())
	}
	return o
}

// commandJSON is json(CommandInfo).
func commandJSON(c *mesospb.CommandInfo) *jsonObject {
	o := newObject()
	if c.Shell != nil {
		o.set("shell", c.GetShell())
	}
	if c.Value != nil {
		o.set("value", c.GetValue())
	}
	o.set("argv", stringsOrEmpty(c.GetArguments()))
	if c.Environment != nil {
		o.set("environment", c.GetEnvironment())
	}
	uris := []any{}
	for _, u := range c.GetUris() {
		uris = append(uris, newObject().set("value", u.GetValue()).set("executable", u.GetExecutable()))
	}
	return o.set("uris", uris)
}

func tasksList(ts []*mesospb.Task) []any {
	out := []any{}
	for _, t := range ts {
		out = append(out, taskJSON(t))
	}
	return out
}

// taskJSON is json(Task).
func taskJSON(t *mesospb.Task) *jsonObject {
	o := newObject().
		set("id", t.GetTaskId().GetValue()).
		set("name", t.GetName()).
		set("framework_id", t.GetFrameworkId().GetValue()).
		set("executor_id", t.GetExecutorId().GetValue()).
		set("slave_id", t.GetAgentId().GetValue()).
		set("state", t.GetState().String()).
		set("resources", resourcesProtoJSON(t.GetResources()))
	if len(t.GetLimits()) > 0 {
		limits := newObject()
		for _, name := range sortedKeys(t.GetLimits()) {
			limits.set(name, t.GetLimits()[name].GetValue())
		}
		o.set("limits", limits)
	}
	role := ""
	if rs := t.GetResources(); len(rs) > 0 {
		role = rs[0].GetAllocationInfo().GetRole()
	}
	o.set("role", role)
	statuses := []any{}
	for _, st := range t.GetStatuses() {
		statuses = append(statuses, taskStatusJSON(st))
	}
	o.set("statuses", statuses)
	if t.User != nil {
		o.set("user", t.GetUser())
	}
	if t.Labels != nil {
		o.set("labels", labelsJSON(t.GetLabels()))
	}
	if t.Discovery != nil {
		o.set("discovery", t.GetDiscovery())
	}
	if t.Container != nil {
		o.set("container", t.GetContainer())
	}
	if t.HealthCheck != nil {
		o.set("health_check", t.GetHealthCheck())
	}
	return o
}

// taskStatusJSON is json(TaskStatus): no message, reason or source.
func taskStatusJSON(st *mesospb.TaskStatus) *jsonObject {
	o := newObject().
		set("state", st.GetState().String()).
		set("timestamp", st.GetTimestamp())
	if st.Labels != nil {
		o.set("labels", labelsJSON(st.GetLabels()))
	}
	if cs := st.GetContainerStatus(); cs != nil {
		c := newObject()
		if cs.ContainerId != nil {
			c.set("container_id", cs.GetContainerId())
		}
		if len(cs.GetNetworkInfos()) > 0 {
			nets := []any{}
			for _, n := range cs.GetNetworkInfos() {
				nets = append(nets, networkInfoJSON(n))
			}
			c.set("network_infos", nets)
		}
		if cs.CgroupInfo != nil {
			c.set("cgroup_info", cs.GetCgroupInfo())
		}
		o.set("container_status", c)
	}
	if st.Healthy != nil {
		o.set("healthy", st.GetHealthy())
	}
	return o
}

// networkInfoJSON is json(NetworkInfo).
func networkInfoJSON(n *mesospb.NetworkInfo) *jsonObject {
	o := newObject()
	if len(n.GetGroups()) > 0 {
		o.set("groups", n.GetGroups())
	}
	if n.Labels != nil {
		o.set("labels", labelsJSON(n.GetLabels()))
	}
	if len(n.GetIpAddresses()) > 0 {
		ips := []any{}
		for _, ip := range n.GetIpAddresses() {
			ips = append(ips, ip)
		}
		o.set("ip_addresses", ips)
	}
	if n.Name != nil {
		o.set("name", n.GetName())
	}
	if len(n.GetPortMappings()) > 0 {
		pms := []any{}
		for _, pm := range n.GetPortMappings() {
			pms = append(pms, pm)
		}
		o.set("port_mappings", pms)
	}
	return o
}

// taskStateSummary counts tasks by state (TaskStateSummary).
type taskStateSummary map[mesospb.TaskState]int

func (c taskStateSummary) set(o *jsonObject) {
	for _, st := range []mesospb.TaskState{
		mesospb.TaskState_TASK_STAGING, mesospb.TaskState_TASK_STARTING, mesospb.TaskState_TASK_RUNNING,
		mesospb.TaskState_TASK_KILLING, mesospb.TaskState_TASK_FINISHED, mesospb.TaskState_TASK_KILLED,
		mesospb.TaskState_TASK_FAILED, mesospb.TaskState_TASK_LOST, mesospb.TaskState_TASK_ERROR,
		mesospb.TaskState_TASK_UNREACHABLE,
	} {
		o.set(st.String(), c[st])
	}
}

// stateSummaryJSON is /master/state-summary: agents and registered
// frameworks with their task counts (over tasks, unreachable and completed
// tasks of registered frameworks) and who runs where.
func stateSummaryJSON(s *State) *jsonObject {
	agentCounts := map[string]taskStateSummary{}
	fwCounts := map[string]taskStateSummary{}
	agentFws := map[string]map[string]bool{}
	fwAgents := map[string]map[string]bool{}
	for _, f := range s.Frameworks {
		for _, list := range [][]*mesospb.Task{f.Tasks, f.UnreachableTasks, f.CompletedTasks} {
			for _, t := range list {
				aid := t.GetAgentId().GetValue()
				if agentCounts[aid] == nil {
					agentCounts[aid] = taskStateSummary{}
					agentFws[aid] = map[string]bool{}
				}
				if fwCounts[f.ID] == nil {
					fwCounts[f.ID] = taskStateSummary{}
					fwAgents[f.ID] = map[string]bool{}
				}
				agentCounts[aid][t.GetState()]++
				fwCounts[f.ID][t.GetState()]++
				agentFws[aid][f.ID] = true
				fwAgents[f.ID][aid] = true
			}
		}
	}
	slaves := []any{}
	for _, a := range s.Agents {
		aid := a.Info.GetId().GetValue()
		o := agentJSON(a)
		agentCounts[aid].set(o)
		slaves = append(slaves, o.set("framework_ids", stringsOrEmpty(sortedKeys(agentFws[aid]))))
	}
	frameworks := []any{}
	for _, f := range s.Frameworks {
		o := frameworkSummaryJSON(f)
		fwCounts[f.ID].set(o)
		frameworks = append(frameworks, o.set("slave_ids", stringsOrEmpty(sortedKeys(fwAgents[f.ID]))))
	}
	return newObject().
		set("hostname", s.Info.GetHostname()).
		set("slaves", slaves).
		set("frameworks", frameworks)
}

// TasksQuery is the query of /master/tasks.
type TasksQuery struct {
	Limit, Offset int    // 100 and 0 by default
	Ascending     bool   // order=asc; descending by default
	FrameworkID   string // with HasFrameworkID
	TaskID        string // with HasTaskID

	HasFrameworkID, HasTaskID bool
}

// parseTasksQuery reads limit, offset, order, framework_id and task_id as
// Master::ReadOnlyHandler::tasks does: a limit or offset that is not an
// integer takes its default.
func parseTasksQuery(get func(string) (string, bool)) TasksQuery {
	q := TasksQuery{Limit: 100}
	if v, ok := get("limit"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			q.Limit = n
		}
	}
	if v, ok := get("offset"); ok {
		if n, err := strconv.Atoi(v); err == nil {
			q.Offset = n
		}
	}
	if v, ok := get("order"); ok && v == "asc" {
		q.Ascending = true
	}
	q.FrameworkID, q.HasFrameworkID = get("framework_id")
	q.TaskID, q.HasTaskID = get("task_id")
	return q
}

// SelectTasks returns the tasks /master/tasks lists for q: the tasks,
// unreachable tasks and completed tasks of registered and completed
// frameworks, ordered by the timestamp of each task's first status
// (tasks without a status first when ascending, last when descending),
// then cut to [offset, offset+limit). A negative limit means no limit and
// a negative offset an empty answer, as Mesos's size_t arithmetic has it.
func (s *State) SelectTasks(q TasksQuery) []*mesospb.Task {
	var tasks []*mesospb.Task
	for _, fs := range [][]FrameworkState{s.Frameworks, s.CompletedFrameworks} {
		for _, f := range fs {
			if q.HasFrameworkID && f.ID != q.FrameworkID {
				continue
			}
			for _, list := range [][]*mesospb.Task{f.Tasks, f.UnreachableTasks, f.CompletedTasks} {
				for _, t := range list {
					if q.HasTaskID && t.GetTaskId().GetValue() != q.TaskID {
						continue
					}
					tasks = append(tasks, t)
				}
			}
		}
	}
	first := func(t *mesospb.Task) (float64, bool) {
		if len(t.GetStatuses()) == 0 {
			return 0, false
		}
		return t.GetStatuses()[0].GetTimestamp(), true
	}
	slices.SortStableFunc(tasks, func(a, b *mesospb.Task) int {
		ta, oka := first(a)
		tb, okb := first(b)
		switch {
		case !oka && !okb:
			return 0
		case !oka:
			if q.Ascending {
				return -1
			}
			return 1
		case !okb:
			if q.Ascending {
				return 1
			}
			return -1
		}
		if q.Ascending {
			return cmp.Compare(ta, tb)
		}
		return cmp.Compare(tb, ta)
	})
	if q.Offset < 0 || q.Offset >= len(tasks) {
		return nil
	}
	end := len(tasks)
	if q.Limit >= 0 && q.Offset+q.Limit < end {
		end = q.Offset + q.Limit
	}
	return tasks[q.Offset:end]
}

// tasksJSON is /master/tasks.
func tasksJSON(s *State, q TasksQuery) *jsonObject {
	return newObject().set("tasks", tasksList(s.SelectTasks(q)))
}

// rolesJSON is /master/roles.
func rolesJSON(s *State) *jsonObject {
	roles := []any{}
	for _, r := range s.Roles {
		roles = append(roles, newObject().
			set("name", r.Name).
			set("weight", r.Weight).
			set("quota", newObject().
				set("role", r.Name).
				set("guarantee", quantitiesJSON(r.Guarantees)).
				set("limit", limitsJSON(r.Limits)).
				set("consumed", quantitiesJSON(r.ConsumedQuota))).
			set("resources", quantitiesJSON(r.Allocated.Plus(r.Offered))).
			set("allocated", quantitiesJSON(r.Allocated)).
			set("offered", quantitiesJSON(r.Offered)).
			set("reserved", quantitiesJSON(r.Reserved)).
			set("frameworks", stringsOrEmpty(r.Frameworks)))
	}
	return newObject().set("roles", roles)
}
