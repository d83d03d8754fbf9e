package master

import (
	"fmt"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
)

// validateOffers checks the offer ids of an ACCEPT in Mesos's order
// (validation::offer::validate).
func (m *Master) validateOffers(fw *framework, ids []*mesospb.OfferID) error {
	if len(ids) == 0 {
		return fmt.Errorf("No offers specified")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id.GetValue()] {
			return fmt.Errorf("Duplicate offer %s in offer list", id.GetValue())
		}
		seen[id.GetValue()] = true
	}
	for _, id := range ids {
		if m.offers[id.GetValue()] == nil {
			return fmt.Errorf("Offer %s is no longer valid", id.GetValue())
		}
	}
	for _, id := range ids {
		if o := m.offers[id.GetValue()]; o.frameworkID != fw.id {
			return fmt.Errorf("Offer %s has invalid framework %s while framework %s is expected", id.GetValue(), o.frameworkID, fw.id)
		}
	}
	role := ""
	for i, id := range ids {
		o := m.offers[id.GetValue()]
		if i == 0 {
			role = o.role
		} else if o.role != role {
			return fmt.Errorf("Aggregated offers must be allocated to the same role. Offer %s uses role '%s but another is using role '%s", id.GetValue(), o.role, role)
		}
	}
	agentID := ""
	for i, id := range ids {
		o := m.offers[id.GetValue()]
		if i == 0 {
			agentID = o.agentID
		} else if o.agentID != agentID {
			return fmt.Errorf("Aggregated offers must belong to one single agent. Offer %s uses agent %s and agent %s", id.GetValue(), o.agentID, agentID)
		}
	}
	return nil
}

func (m *Master) taskLostOrDropped(fw *framework) mesospb.TaskState {
	if hasFrameworkCapability(fw.info, mesospb.FrameworkInfo_Capability_PARTITION_AWARE) {
		return mesospb.TaskState_TASK_DROPPED
	}
	return mesospb.TaskState_TASK_LOST
}

func launchTasks(op *mesospb.Offer_Operation) []*mesospb.TaskInfo {
	switch op.GetType() {
	case mesospb.Offer_Operation_LAUNCH:
		return op.GetLaunch().GetTaskInfos()
	case mesospb.Offer_Operation_LAUNCH_GROUP:
		return op.GetLaunchGroup().GetTaskGroup().GetTasks()
	}
	return nil
}

// allocated returns the resources of a framework's operation, allocated to
// role when the framework left allocation_info out (Mesos injects it).
func allocated(ps []*mesospb.Resource, role string) (resources.Resources, error) {
	withRole := make([]*mesospb.Resource, len(ps))
	for i, p := range ps {
		if p.GetAllocationInfo() == nil {
			p = proto.Clone(p).(*mesospb.Resource)
			p.AllocationInfo = &mesospb.Resource_AllocationInfo{Role: proto.String(role)}
		}
		withRole[i] = p
	}
	return resources.FromProto(withRole)
}

func (m *Master) accept(fw *framework, a *schedulerpb.Call_Accept) {
	if err := m.validateOffers(fw, a.GetOfferIds()); err != nil {
		m.tracef("ACCEPT of framework %s: invalid offers: %v", fw.id, err)
		for _, id := range a.GetOfferIds() {
			if o := fw.offers[id.GetValue()]; o != nil {
				m.rescindOffer(o, false)
			}
		}
		for _, op := range a.GetOperations() {
			for _, t := range launchTasks(op) {
				m.sendEvent(fw, updateEvent(m.counted(m.masterStatus(t.GetTaskId().GetValue(), t.GetAgentId().GetValue(),
					m.taskLostOrDropped(fw), mesospb.TaskStatus_REASON_INVALID_OFFERS,
					"Task launched with invalid offers: "+err.Error()))))
			}
		}
		return
	}
	var available resources.Resources
	var agentID, role string
	for _, id := range a.GetOfferIds() {
		o := m.offers[id.GetValue()]
		available = available.Plus(o.resources)
		agentID, role = o.agentID, o.role
		m.removeOffer(o)
	}
	ag := m.agents[agentID]
	launched := map[string]bool{}
	for _, op := range a.GetOperations() {
		switch op.GetType() {
		case mesospb.Offer_Operation_LAUNCH:
			for _, t := range op.GetLaunch().GetTaskInfos() {
				if t.GetExecutor() != nil && t.GetExecutor().FrameworkId == nil {
					// Mesos fills in ExecutorInfo.framework_id for LAUNCH.
					t = proto.Clone(t).(*mesospb.TaskInfo)
					t.Executor.FrameworkId = &mesospb.FrameworkID{Value: proto.String(fw.id)}
				}
				total, err := m.validateTask(fw, ag, t, role, available, launched)
				if err != nil {
					m.sendEvent(fw, updateEvent(m.counted(m.masterStatus(t.GetTaskId().GetValue(), agentID,
						mesospb.TaskState_TASK_ERROR, mesospb.TaskStatus_REASON_TASK_INVALID, err.Error()))))
					continue
				}
				available = available.Minus(total)
				m.alloc.TransitionOfferedToAllocated(agentID, total)
				m.launch(fw, ag, t, role, nil)
				m.send(ag.name, &msg.RunTask{Framework: fw.info, Task: t})
			}
		case mesospb.Offer_Operation_LAUNCH_GROUP:
			lg := proto.Clone(op.GetLaunchGroup()).(*mesospb.Offer_Operation_LaunchGroup)
			// Mesos copies the group's executor into each task.
			for _, t := range lg.GetTaskGroup().GetTasks() {
				if t.Executor == nil && lg.Executor != nil {
					t.Executor = proto.Clone(lg.Executor).(*mesospb.ExecutorInfo)
				}
			}
			total, err := m.validateTaskGroup(fw, ag, lg, role, available, launched)
			if err != nil {
				for _, t := range lg.GetTaskGroup().GetTasks() {
					m.sendEvent(fw, updateEvent(m.counted(m.masterStatus(t.GetTaskId().GetValue(), agentID,
						mesospb.TaskState_TASK_ERROR, mesospb.TaskStatus_REASON_TASK_GROUP_INVALID, err.Error()))))
				}
				continue
			}
			available = available.Minus(total)
			m.alloc.TransitionOfferedToAllocated(agentID, total)
			for _, t := range lg.GetTaskGroup().GetTasks() {
				m.launch(fw, ag, t, role, lg.GetExecutor())
			}
			m.send(ag.name, &msg.RunTaskGroup{Framework: fw.info, Executor: lg.GetExecutor(), TaskGroup: lg.GetTaskGroup()})
		case mesospb.Offer_Operation_RESERVE, mesospb.Offer_Operation_UNRESERVE,
			mesospb.Offer_Operation_CREATE, mesospb.Offer_Operation_DESTROY:
			consumed, converted, err := m.conversion(op, role)
			if err == nil && !available.Contains(consumed) {
				err = fmt.Errorf("Invalid resources: %s is not contained in %s", consumed, available)
			}
			if err != nil {
				m.tracef("dropping %s operation of framework %s: %v", op.GetType(), fw.id, err)
				continue
			}
			next, err := available.Apply(consumed, converted)
			if err != nil {
				m.tracef("dropping %s operation of framework %s: %v", op.GetType(), fw.id, err)
				continue
			}
			available = next
			m.alloc.UpdateAllocation(fw.id, agentID, consumed, converted)
			ag.total, _ = ag.total.Unallocate().Apply(consumed.Unallocate(), converted.Unallocate())
			ag.checkpointed = checkpointed(ag.total)
			m.send(ag.name, &msg.CheckpointResources{Resources: ag.checkpointed})
		default:
			m.tracef("dropping unsupported %s operation of framework %s", op.GetType(), fw.id)
		}
	}
	if !available.IsEmpty() {
		m.alloc.RecoverResources(m.now(), fw.id, agentID, available, filtersOrDefault(a.GetFilters()), false)
	}
}

// checkpointed returns the dynamically reserved resources and persistent
// volumes of an agent's total, as the agent checkpoints them.
func checkpointed(total resources.Resources) []*mesospb.Resource {
	var out []*mesospb.Resource
	for _, r := range total.ToProto() {
		dynamic := false
		for _, ri := range r.GetReservations() {
			if ri.GetType() == mesospb.Resource_ReservationInfo_DYNAMIC {
				dynamic = true
			}
		}
		if dynamic || r.GetDisk().GetPersistence() != nil {
			out = append(out, r)
		}
	}
	return out
}

// conversion returns what an offer operation consumes and produces.
func (m *Master) conversion(op *mesospb.Offer_Operation, role string) (consumed, converted resources.Resources, err error) {
	switch op.GetType() {
	case mesospb.Offer_Operation_RESERVE:
		converted, err = allocated(op.GetReserve().GetResources(), role)
		if err == nil {
			consumed, err = converted.PopReservation()
		}
	case mesospb.Offer_Operation_UNRESERVE:
		consumed, err = allocated(op.GetUnreserve().GetResources(), role)
		if err == nil {
			converted, err = consumed.PopReservation()
		}
	case mesospb.Offer_Operation_CREATE:
		converted, err = allocated(op.GetCreate().GetVolumes(), role)
		if err == nil {
			consumed, err = allocated(stripVolumes(op.GetCreate().GetVolumes()), role)
		}
	case mesospb.Offer_Operation_DESTROY:
		consumed, err = allocated(op.GetDestroy().GetVolumes(), role)
		if err == nil {
			converted, err = allocated(stripVolumes(op.GetDestroy().GetVolumes()), role)
		}
	}
	return consumed, converted, err
}

func stripVolumes(ps []*mesospb.Resource) []*mesospb.Resource {
	out := make([]*mesospb.Resource, len(ps))
	for i, p := range ps {
		c := proto.Clone(p).(*mesospb.Resource)
		if src := c.GetDisk().GetSource(); src != nil {
			c.Disk = &mesospb.Resource_DiskInfo{Source: src}
		} else {
			c.Disk = nil
		}
		c.Shared = nil
		out[i] = c
	}
	return out
}

// validateTask checks one task of a LAUNCH in Mesos's order and returns the
// resources it takes (with its executor's, if the executor is new).
func (m *Master) validateTask(fw *framework, ag *agent, t *mesospb.TaskInfo, role string, available resources.Resources, launched map[string]bool) (resources.Resources, error) {
	var none resources.Resources
	tid := t.GetTaskId().GetValue()
	if err := validateID(tid); err != nil {
		return none, fmt.Errorf("Task has an invalid TaskID: %v", err)
	}
	if fw.tasks[tid] != nil || launched[tid] {
		return none, fmt.Errorf("Task has duplicate ID: %s", tid)
	}
	if t.GetAgentId().GetValue() != ag.id {
		return none, fmt.Errorf("Task uses invalid agent %s while agent %s is expected", t.GetAgentId().GetValue(), ag.id)
	}
	if gp := t.GetKillPolicy().GetGracePeriod(); gp != nil && gp.GetNanoseconds() < 0 {
		return none, fmt.Errorf("Task's 'kill_policy.grace_period' must be non-negative")
	}
	if len(t.GetResources()) == 0 {
		return none, fmt.Errorf("Task uses no resources")
	}
	res, err := allocated(t.GetResources(), role)
	if err != nil {
		return none, fmt.Errorf("Task uses invalid resources: %v", err)
	}
	if (t.Executor != nil) == (t.Command != nil) {
		return none, fmt.Errorf("Task should have at least one (but not both) of CommandInfo or ExecutorInfo present")
	}
	total := res
	if e := t.GetExecutor(); e != nil && fw.executors[ag.id][e.GetExecutorId().GetValue()] == nil {
		er, err := allocated(e.GetResources(), role)
		if err != nil {
			return none, fmt.Errorf("Executor uses invalid resources: %v", err)
		}
		total = total.Plus(er)
	}
	if !available.Contains(total) {
		return none, fmt.Errorf("Total resources %s required by task and its executor is more than available %s", total, available)
	}
	launched[tid] = true
	return total, nil
}

func (m *Master) validateTaskGroup(fw *framework, ag *agent, lg *mesospb.Offer_Operation_LaunchGroup, role string, available resources.Resources, launched map[string]bool) (resources.Resources, error) {
	var none resources.Resources
	e := lg.GetExecutor()
	var total resources.Resources
	ids := map[string]bool{}
	for _, t := range lg.GetTaskGroup().GetTasks() {
		tid := t.GetTaskId().GetValue()
		wrap := func(err error) error { return fmt.Errorf("Task '%s' is invalid: %v", tid, err) }
		if err := validateID(tid); err != nil {
			return none, wrap(fmt.Errorf("Task has an invalid TaskID: %v", err))
		}
		if fw.tasks[tid] != nil || launched[tid] || ids[tid] {
			return none, wrap(fmt.Errorf("Task has duplicate ID: %s", tid))
		}
		ids[tid] = true
		if t.GetAgentId().GetValue() != ag.id {
			return none, wrap(fmt.Errorf("Task uses invalid agent %s while agent %s is expected", t.GetAgentId().GetValue(), ag.id))
		}
		if len(t.GetResources()) == 0 {
			return none, wrap(fmt.Errorf("Task uses no resources"))
		}
		res, err := allocated(t.GetResources(), role)
		if err != nil {
			return none, wrap(fmt.Errorf("Task uses invalid resources: %v", err))
		}
		if t.Executor == nil {
			return none, wrap(fmt.Errorf("'TaskInfo.executor' must be set"))
		}
		total = total.Plus(res)
	}
	eid := e.GetExecutorId().GetValue()
	if e.FrameworkId == nil {
		return none, fmt.Errorf("'ExecutorInfo.framework_id' must be set")
	}
	if e.GetFrameworkId().GetValue() != fw.id {
		return none, fmt.Errorf("ExecutorInfo has an invalid FrameworkID (Actual: %s vs Expected: %s)", e.GetFrameworkId().GetValue(), fw.id)
	}
	if e.Type == nil {
		return none, fmt.Errorf("'ExecutorInfo.type' must be set")
	}
	if e.GetType() == mesospb.ExecutorInfo_UNKNOWN {
		return none, fmt.Errorf("Unknown executor type")
	}
	for _, t := range lg.GetTaskGroup().GetTasks() {
		if !proto.Equal(t.GetExecutor(), e) {
			return none, fmt.Errorf("The `ExecutorInfo` of task '%s' is different from executor '%s'", t.GetTaskId().GetValue(), eid)
		}
	}
	er, err := allocated(e.GetResources(), role)
	if err != nil {
		return none, fmt.Errorf("Executor uses invalid resources: %v", err)
	}
	if cpus, ok := er.ScalarNamed("cpus"); !ok || er.CPUs() < 0.01 {
		s := "None"
		if ok {
			s = formatDouble(cpus.Float64())
		}
		return none, fmt.Errorf("Executor '%s' uses less CPUs (%s) than the minimum required (0.01)", eid, s)
	}
	if mem, ok := er.ScalarNamed("mem"); !ok || er.Mem() < 32 {
		s := "None"
		if ok {
			s = formatDouble(mem.Float64()) + "MB"
		}
		return none, fmt.Errorf("Executor '%s' uses less memory (%s) than the minimum required (32MB)", eid, s)
	}
	if _, ok := er.ScalarNamed("disk"); !ok {
		return none, fmt.Errorf("Executor '%s' uses no disk", eid)
	}
	if fw.executors[ag.id][eid] == nil {
		total = total.Plus(er)
	}
	if !available.Contains(total) {
		return none, fmt.Errorf("Total resources %s required by task group and its executor are more than available %s", total, available)
	}
	for tid := range ids {
		launched[tid] = true
	}
	return total, nil
}

func formatDouble(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// launch records a task as TASK_STAGING (no event).
func (m *Master) launch(fw *framework, ag *agent, t *mesospb.TaskInfo, role string, groupExecutor *mesospb.ExecutorInfo) {
	res, _ := allocated(t.GetResources(), role)
	tk := &task{
		id: t.GetTaskId().GetValue(), frameworkID: fw.id, agentID: ag.id, info: t,
		role: role, resources: res, state: mesospb.TaskState_TASK_STAGING, statusUpdateState: mesospb.TaskState_TASK_STAGING,
	}
	e := t.GetExecutor()
	if groupExecutor != nil {
		e = groupExecutor
	}
	if e != nil {
		tk.executorID = e.GetExecutorId().GetValue()
		if fw.executors[ag.id][tk.executorID] == nil {
			er, _ := allocated(e.GetResources(), role)
			m.addExecutor(fw, ag.id, e, er)
		}
	}
	fw.tasks[tk.id] = tk
	m.opTaskAdded(tk)
	m.metrics.TasksLaunched++
}
