package master

import (
	"strings"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// The counters of /metrics/snapshot, by Mesos's names (src/master/
// metrics.cpp, docs/monitoring.md). Counters live in Master.counters and
// are bumped where Mesos bumps them; gauges are computed from the state
// when a snapshot is taken ([Master.MetricsSnapshot]).

// counterNames are the counters Mesos always reports, 0 until bumped.
var counterNames = []string{
	"master/tasks_finished", "master/tasks_failed", "master/tasks_killed", "master/tasks_lost",
	"master/tasks_error", "master/tasks_dropped", "master/tasks_gone", "master/tasks_gone_by_operator",
	"master/messages_register_framework", "master/messages_reregister_framework",
	"master/messages_unregister_framework", "master/messages_kill_task",
	"master/messages_status_update_acknowledgement", "master/messages_resource_request",
	"master/messages_launch_tasks", "master/messages_decline_offers", "master/messages_revive_offers",
	"master/messages_suppress_offers", "master/messages_reconcile_operations",
	"master/messages_reconcile_tasks", "master/messages_framework_to_executor",
	"master/messages_operation_status_update_acknowledgement",
	"master/messages_executor_to_framework", "master/messages_register_slave",
	"master/messages_reregister_slave", "master/messages_unregister_slave",
	"master/messages_status_update", "master/messages_exited_executor",
	"master/valid_status_updates", "master/invalid_status_updates",
	"master/valid_status_update_acknowledgements", "master/invalid_status_update_acknowledgements",
	"master/valid_framework_to_executor_messages", "master/invalid_framework_to_executor_messages",
	"master/valid_executor_to_framework_messages", "master/invalid_executor_to_framework_messages",
	"master/slave_registrations", "master/slave_reregistrations",
}

func (m *Master) count(name string) {
	if m.counters == nil {
		m.counters = map[string]uint64{}
	}
	m.counters[name]++
}

// countMessage counts a message from an agent as Master's message
// handlers do, before it is handled.
func (m *Master) countMessage(in simnet.Message) {
	switch b := in.Body.(type) {
	case *msg.RegisterAgent:
		m.count("master/messages_register_slave")
	case *msg.ReregisterAgent:
		m.count("master/messages_reregister_slave")
	case *msg.UnregisterAgent:
		m.count("master/messages_unregister_slave")
	case *msg.ExitedExecutor:
		m.count("master/messages_exited_executor")
	case *msg.ExecutorToFramework:
		m.count("master/messages_executor_to_framework")
		if fw := m.frameworks[b.FrameworkID]; fw != nil && fw.connected {
			m.count("master/valid_executor_to_framework_messages")
		} else {
			m.count("master/invalid_executor_to_framework_messages")
		}
	case *msg.StatusUpdate:
		m.count("master/messages_status_update")
		// Master::statusUpdate: valid when the agent is registered, the
		// framework connected and the task known.
		aid := b.Status.GetAgentId().GetValue()
		fw := m.frameworks[b.FrameworkID]
		valid := m.agents[aid] != nil && fw != nil && fw.connected
		if valid {
			tk := fw.tasks[b.Status.GetTaskId().GetValue()]
			valid = tk != nil && tk.agentID == aid
		}
		if valid {
			m.count("master/valid_status_updates")
		} else {
			m.count("master/invalid_status_updates")
		}
	}
}

// countSubscribe counts a SUBSCRIBE as a (re)registration message.
func (m *Master) countSubscribe(info *mesospb.FrameworkInfo) {
	if info.GetId().GetValue() == "" {
		m.count("master/messages_register_framework")
	} else {
		m.count("master/messages_reregister_framework")
	}
}

// countCall counts an accepted scheduler call under the v0 message Mesos
// counts it as.
func (m *Master) countCall(c *schedulerpb.Call) {
	switch c.GetType() {
	case schedulerpb.Call_TEARDOWN:
		m.count("master/messages_unregister_framework")
	case schedulerpb.Call_ACCEPT:
		for _, op := range c.GetAccept().GetOperations() {
			if op.GetType() != mesospb.Offer_Operation_LAUNCH {
				continue
			}
			if len(op.GetLaunch().GetTaskInfos()) > 0 {
				m.count("master/messages_launch_tasks")
			} else {
				m.count("master/messages_decline_offers")
			}
		}
	case schedulerpb.Call_DECLINE:
		m.count("master/messages_decline_offers")
	case schedulerpb.Call_REVIVE:
		m.count("master/messages_revive_offers")
	case schedulerpb.Call_SUPPRESS:
		m.count("master/messages_suppress_offers")
	case schedulerpb.Call_KILL:
		m.count("master/messages_kill_task")
	case schedulerpb.Call_ACKNOWLEDGE:
		m.count("master/messages_status_update_acknowledgement")
		if ag := m.agents[c.GetAcknowledge().GetAgentId().GetValue()]; ag != nil && ag.connected {
			m.count("master/valid_status_update_acknowledgements")
		} else {
			m.count("master/invalid_status_update_acknowledgements")
		}
	case schedulerpb.Call_RECONCILE:
		m.count("master/messages_reconcile_tasks")
	case schedulerpb.Call_MESSAGE:
		m.count("master/messages_framework_to_executor")
		if ag := m.agents[c.GetMessage().GetAgentId().GetValue()]; ag != nil && ag.connected {
			m.count("master/valid_framework_to_executor_messages")
		} else {
			m.count("master/invalid_framework_to_executor_messages")
		}
	case schedulerpb.Call_REQUEST:
		m.count("master/messages_resource_request")
	case schedulerpb.Call_RECONCILE_OPERATIONS:
		m.count("master/messages_reconcile_operations")
	case schedulerpb.Call_ACKNOWLEDGE_OPERATION_STATUS:
		m.count("master/messages_operation_status_update_acknowledgement")
	}
}

func isTerminalOrUnreachable(s mesospb.TaskState) bool {
	return isTerminal(s) || s == mesospb.TaskState_TASK_UNREACHABLE
}

// countTransition counts a task update that moves a task from prev to
// latest, as Master::updateTask does: when the task becomes terminal or
// unreachable, the counter of the update's state and the
// state/source/reason counter.
func (m *Master) countTransition(prev, latest mesospb.TaskState, st *mesospb.TaskStatus) {
	if isTerminalOrUnreachable(prev) || !isTerminalOrUnreachable(latest) {
		return
	}
	m.countTaskStatus(st)
}

// countTaskStatus counts a terminal update of a task: tasks_<state> (not
// for TASK_UNREACHABLE, a gauge) and, when it has a reason,
// master/<state>/<source>/<reason> in Mesos's lower-case v0 names
// ("master/task_lost/source_master/reason_slave_removed").
func (m *Master) countTaskStatus(st *mesospb.TaskStatus) {
	state := st.GetState()
	if isTerminal(state) {
		m.count("master/tasks_" + strings.ToLower(strings.TrimPrefix(state.String(), "TASK_")))
	}
	if st.Reason != nil {
		m.count("master/" + strings.ToLower(state.String()) + "/" + v0Name(st.GetSource().String()) + "/" + v0Name(st.GetReason().String()))
	}
}

// v0Name turns a v1 enum value name into the lower-case name of its v0
// twin ("SOURCE_AGENT" -> "source_slave").
func v0Name(v1 string) string {
	return strings.ToLower(strings.ReplaceAll(v1, "AGENT", "SLAVE"))
}

// MetricsSnapshot returns the master's and the allocator's metrics by
// name, as /metrics/snapshot shows them. Call it on the loop.
func (m *Master) MetricsSnapshot() map[string]float64 {
	out := map[string]float64{}
	for _, name := range counterNames {
		out[name] = 0
	}
	for name, n := range m.counters {
		out[name] = float64(n)
	}
	out["master/uptime_secs"] = m.now().Sub(m.startTime).Seconds()
	out["master/elected"] = 1
	if m.stopped {
		out["master/elected"] = 0
	}
	var connected, disconnected, active, inactive float64
	for _, ag := range m.agents {
		if ag.connected {
			connected++
		} else {
			disconnected++
		}
		if ag.connected && !m.maint.deactivated[ag.id] {
			active++
		} else {
			inactive++
		}
	}
	out["master/slaves_connected"] = connected
	out["master/slaves_disconnected"] = disconnected
	out["master/slaves_active"] = active
	out["master/slaves_inactive"] = inactive
	out["master/slaves_unreachable"] = float64(len(m.unreachableAgents))
	out["master/slave_removals/reason_unhealthy"] = float64(m.metrics.AgentsUnreachable)

	connected, disconnected, active, inactive = 0, 0, 0, 0
	for _, fw := range m.frameworks {
		if fw.connected {
			connected++
		} else {
			disconnected++
		}
		if fw.active {
			active++
		} else {
			inactive++
		}
	}
	out["master/frameworks_connected"] = connected
	out["master/frameworks_disconnected"] = disconnected
	out["master/frameworks_active"] = active
	out["master/frameworks_inactive"] = inactive
	out["master/outstanding_offers"] = float64(len(m.offers))

	gauges := map[mesospb.TaskState]string{
		mesospb.TaskState_TASK_STAGING:  "master/tasks_staging",
		mesospb.TaskState_TASK_STARTING: "master/tasks_starting",
		mesospb.TaskState_TASK_RUNNING:  "master/tasks_running",
		mesospb.TaskState_TASK_KILLING:  "master/tasks_killing",
	}
	for _, name := range gauges {
		out[name] = 0
	}
	out["master/tasks_unreachable"] = 0
	for _, fw := range m.frameworks {
		for _, tk := range fw.tasks {
			if name, ok := gauges[tk.state]; ok && m.agents[tk.agentID] != nil {
				out[name]++
			}
		}
		for _, tk := range fw.unreachable {
			if tk.state == mesospb.TaskState_TASK_UNREACHABLE {
				out["master/tasks_unreachable"]++
			}
		}
	}

	// Resources: totals from the agents' own resources, used by tasks and
	// executors (Master::_resources_*), and the allocator's view (total,
	// offered or allocated).
	var allocTotal, offeredOrAllocated = map[string]float64{}, map[string]float64{}
	total, used := map[string]float64{}, map[string]float64{}
	revTotal, revUsed := map[string]float64{}, map[string]float64{}
	usedBy, offeredBy := m.usageByAgent()
	for _, id := range sortedKeys(m.agents) {
		ag := m.agents[id]
		u, o := usedBy[id], offeredBy[id]
		for _, name := range []string{"cpus", "gpus", "mem", "disk"} {
			for _, r := range ag.info.GetResources() {
				if r.GetName() == name && r.GetType() == mesospb.Value_SCALAR {
					total[name] += r.GetScalar().GetValue()
				}
			}
			s, _ := u.NonRevocable().ScalarNamed(name)
			used[name] += s.Float64()
			s, _ = ag.total.Revocable().ScalarNamed(name)
			revTotal[name] += s.Float64()
			s, _ = u.Revocable().ScalarNamed(name)
			revUsed[name] += s.Float64()
			s, _ = ag.total.ScalarNamed(name)
			allocTotal[name] += s.Float64()
			s, _ = u.Plus(o).ScalarNamed(name)
			offeredOrAllocated[name] += s.Float64()
		}
	}
	percent := func(u, t float64) float64 {
		if t == 0 {
			return 0
		}
		return u / t
	}
	for _, name := range []string{"cpus", "gpus", "mem", "disk"} {
		out["master/"+name+"_total"] = total[name]
		out["master/"+name+"_used"] = used[name]
		out["master/"+name+"_percent"] = percent(used[name], total[name])
		out["master/"+name+"_revocable_total"] = revTotal[name]
		out["master/"+name+"_revocable_used"] = revUsed[name]
		out["master/"+name+"_revocable_percent"] = percent(revUsed[name], revTotal[name])
	}
	for _, name := range []string{"cpus", "mem", "disk"} {
		out["allocator/mesos/resources/"+name+"/total"] = allocTotal[name]
		out["allocator/mesos/resources/"+name+"/offered_or_allocated"] = offeredOrAllocated[name]
	}
	out["allocator/mesos/allocation_runs"] = float64(m.metrics.AllocationRuns)
	return out
}

// metricsJSON is /metrics/snapshot: a flat object, keys sorted (libprocess
// keeps them in a std::map).
func metricsJSON(snapshot map[string]float64) *jsonObject {
	o := newObject()
	for _, name := range sortedKeys(snapshot) {
		o.set(name, snapshot[name])
	}
	return o
}

// counted counts a terminal status the master makes for a task it never
// tracked (invalid offers, invalid tasks) and returns it.
func (m *Master) counted(st *mesospb.TaskStatus) *mesospb.TaskStatus {
	m.countTaskStatus(st)
	return st
}
