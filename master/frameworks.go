package master

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
)

// frameworkRoles returns the roles a framework subscribes to.
func frameworkRoles(info *mesospb.FrameworkInfo) []string {
	if hasFrameworkCapability(info, mesospb.FrameworkInfo_Capability_MULTI_ROLE) {
		return slices.Clone(info.GetRoles())
	}
	return []string{info.GetRole()}
}

// validateFrameworkInfo checks a FrameworkInfo as Mesos's
// validation::framework::validate does, with its texts.
func validateFrameworkInfo(info *mesospb.FrameworkInfo, suppressed []string) error {
	multi := hasFrameworkCapability(info, mesospb.FrameworkInfo_Capability_MULTI_ROLE)
	if multi && info.Role != nil {
		return fmt.Errorf("'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable")
	}
	if !multi && len(info.GetRoles()) > 0 {
		return fmt.Errorf("'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable")
	}
	if multi {
		seen := map[string]bool{}
		var dups []string
		for _, r := range info.GetRoles() {
			if seen[r] && !slices.Contains(dups, r) {
				dups = append(dups, r)
			}
			seen[r] = true
		}
		if len(dups) > 0 {
			slices.Sort(dups)
			return fmt.Errorf("'FrameworkInfo.roles' contains duplicate items: { %s }", strings.Join(dups, ", "))
		}
		for _, r := range info.GetRoles() {
			if err := resources.ValidateRole(r); err != nil {
				return fmt.Errorf("'FrameworkInfo.roles' contains invalid role: %v", err)
			}
		}
	} else if err := resources.ValidateRole(info.GetRole()); err != nil {
		return fmt.Errorf("'FrameworkInfo.role' is not a valid role: %v", err)
	}
	if id := info.GetId().GetValue(); id != "" {
		if err := validateID(id); err != nil {
			return err
		}
	}
	if ft := info.GetFailoverTimeout(); math.IsNaN(ft) || math.IsInf(ft, 0) || math.Abs(ft) > float64(math.MaxInt64)/1e9 {
		return fmt.Errorf("The framework failover_timeout (%v) is invalid", ft)
	}
	roles := frameworkRoles(info)
	var bad []string
	for _, s := range suppressed {
		if !slices.Contains(roles, s) {
			bad = append(bad, s)
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		return fmt.Errorf("Suppressed roles { %s } are not contained in the set of roles", strings.Join(bad, ", "))
	}
	return nil
}

// validateID checks an id as common::validation::validateID does.
func validateID(id string) error {
	if id == "" {
		return fmt.Errorf("ID must not be empty")
	}
	if len(id) > 255 {
		return fmt.Errorf("ID must not be greater than 255 characters")
	}
	if id == "." || id == ".." {
		return fmt.Errorf("'%s' is disallowed", id)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c == '/' || c == '\\' || c < 0x20 || c == 0x7f {
			return fmt.Errorf("'%s' contains invalid characters", id)
		}
	}
	return nil
}

// Subscribe handles a SUBSCRIBE call that passed HTTP validation. It
// always returns a Subscription: a refused subscription carries one ERROR
// event and is closed.
func (m *Master) Subscribe(s *schedulerpb.Call_Subscribe) *Subscription {
	defer m.requestAllocation()
	m.metrics.Calls[callIndex(schedulerpb.Call_SUBSCRIBE)]++
	m.countSubscribe(s.GetFrameworkInfo())
	streamID := m.newUUID().String()
	info := proto.Clone(s.GetFrameworkInfo()).(*mesospb.FrameworkInfo)
	refuse := func(text string) *Subscription {
		m.tracef("SUBSCRIBE refused: %s", text)
		sub := newSubscription(streamID, "", m.cfg.MaxQueuedEvents)
		sub.push(errorEvent(text))
		sub.close()
		return sub
	}
	if err := validateFrameworkInfo(info, s.GetSuppressedRoles()); err != nil {
		return refuse(err.Error())
	}
	id := info.GetId().GetValue()
	if info.Id != nil && m.removed[id] {
		return refuse("Framework has been removed")
	}
	fw := m.frameworks[id]
	if fw != nil {
		if fw.info.GetPrincipal() != info.GetPrincipal() {
			return refuse("Changing framework's principal is not allowed.")
		}
		// Failover: the old stream gets ERROR and is closed; outstanding
		// offers are discarded without RESCIND.
		if fw.sub != nil {
			fw.sub.push(errorEvent("Framework failed over"))
			fw.sub.close()
		}
		fw.failover.Stop()
		fw.failover = nil
		m.noteResubscribed(fw)
		fw.recovered = false
		m.discardOffers(fw, false)
		// user and checkpoint changes are silently ignored.
		info.User = fw.info.User
		info.Checkpoint = fw.info.Checkpoint
		info.Id = &mesospb.FrameworkID{Value: proto.String(fw.id)}
		fw.info = info
		fw.suppressed = slices.Clone(s.GetSuppressedRoles())
		m.alloc.UpdateFramework(allocator.FrameworkFromInfo(info, fw.suppressed))
		if !fw.active {
			m.alloc.ActivateFramework(fw.id)
		}
		m.tracef("SUBSCRIBE framework %s failed over, stream %s", fw.id, streamID)
		defer m.opFrameworkUpdated(fw)
	} else {
		if info.Id == nil {
			id = m.ids.NextFramework()
			info.Id = &mesospb.FrameworkID{Value: proto.String(id)}
		}
		fw = &framework{
			id: id, info: info, suppressed: slices.Clone(s.GetSuppressedRoles()),
			offers: map[string]*offer{}, tasks: map[string]*task{}, executors: map[string]map[string]*executor{},
		}
		m.frameworks[id] = fw
		fw.registeredTime, fw.reregisteredTime = m.now(), m.now()
		defer m.opFrameworkAdded(fw)
		m.tracef("SUBSCRIBE framework %q -> %s, stream %s", info.GetName(), id, streamID)
		m.alloc.AddFramework(allocator.FrameworkFromInfo(info, fw.suppressed), nil, true)
	}
	fw.sub = newSubscription(streamID, fw.id, m.cfg.MaxQueuedEvents)
	fw.connected, fw.active = true, true
	m.sendEvent(fw, &schedulerpb.Event{
		Type: schedulerpb.Event_SUBSCRIBED.Enum(),
		Subscribed: &schedulerpb.Event_Subscribed{
			FrameworkId:              &mesospb.FrameworkID{Value: proto.String(fw.id)},
			HeartbeatIntervalSeconds: proto.Float64(m.cfg.HeartbeatInterval.Seconds()),
			MasterInfo:               m.MasterInfo(),
		},
	})
	m.startHeartbeat(fw)
	// Agents resend unacknowledged updates when they learn the new
	// FrameworkInfo.
	for _, aid := range sortedKeys(m.agents) {
		if ag := m.agents[aid]; ag.connected {
			m.send(ag.name, &msg.UpdateFramework{Framework: fw.info})
		}
	}
	return fw.sub
}

func errorEvent(text string) *schedulerpb.Event {
	return &schedulerpb.Event{Type: schedulerpb.Event_ERROR.Enum(), Error: &schedulerpb.Event_Error{Message: proto.String(text)}}
}

func updateEvent(st *mesospb.TaskStatus) *schedulerpb.Event {
	return &schedulerpb.Event{Type: schedulerpb.Event_UPDATE.Enum(), Update: &schedulerpb.Event_Update{Status: st}}
}

var heartbeatEvent = &schedulerpb.Event{Type: schedulerpb.Event_HEARTBEAT.Enum()}

func (m *Master) startHeartbeat(fw *framework) {
	fw.heartbeat.Stop()
	sub := fw.sub
	var beat func()
	beat = func() {
		if fw.sub != sub || !fw.connected {
			return
		}
		m.sendEvent(fw, heartbeatEvent)
		if fw.sub == sub && fw.connected {
			fw.heartbeat = m.after(m.cfg.HeartbeatInterval, "master.heartbeat", beat)
		}
	}
	beat()
}

// StreamClosed reports that the connection of a subscription's stream is
// gone (the client went away). If it is the framework's current stream, the
// framework is disconnected.
func (m *Master) StreamClosed(sub *Subscription) {
	defer m.requestAllocation()
	sub.close()
	fw := m.frameworks[sub.FrameworkID]
	if fw == nil || fw.sub != sub || !fw.connected {
		return
	}
	m.tracef("stream %s of framework %s closed", sub.StreamID, fw.id)
	m.disconnect(fw)
}

// disconnect makes a framework inactive and starts its failover timeout.
func (m *Master) disconnect(fw *framework) {
	if !fw.connected {
		return
	}
	fw.connected = false
	fw.heartbeat.Stop()
	if fw.active {
		fw.active = false
		m.alloc.DeactivateFramework(fw.id)
	}
	m.discardOffers(fw, false) // rescinded into the void
	d := durationSeconds(fw.info.GetFailoverTimeout())
	m.tracef("framework %s disconnected, failover timeout %v", fw.id, d)
	fw.failover = m.after(d, "master.failover-timeout", func() {
		if m.frameworks[fw.id] == fw && !fw.connected {
			m.tracef("framework %s failover timeout", fw.id)
			m.removeFramework(fw)
		}
	})
}

// removeFramework tears a framework down (TEARDOWN, failover timeout).
func (m *Master) removeFramework(fw *framework) {
	m.tracef("removing framework %s", fw.id)
	fw.failover.Stop()
	fw.heartbeat.Stop()
	for _, id := range sortedKeys(fw.offers) {
		m.removeOffer(fw.offers[id])
	}
	for _, aid := range sortedKeys(m.agents) {
		if ag := m.agents[aid]; ag.connected {
			m.send(ag.name, &msg.ShutdownFramework{FrameworkID: fw.id})
		}
	}
	for _, tid := range sortedKeys(fw.tasks) {
		tk := fw.tasks[tid]
		if !isTerminal(tk.state) {
			tk.state = mesospb.TaskState_TASK_KILLED
			tk.statuses = append(tk.statuses, m.masterStatus(tk.id, tk.agentID, tk.state, mesospb.TaskStatus_REASON_FRAMEWORK_REMOVED, "Framework "+fw.id+" removed"))
			m.opTaskUpdated(tk)
			m.countTaskStatus(tk.statuses[len(tk.statuses)-1])
		}
		m.completeTask(fw, tk)
	}
	m.alloc.RemoveFramework(fw.id)
	if fw.sub != nil {
		fw.sub.close()
	}
	fw.connected, fw.active = false, false
	fw.unregisteredTime = m.now()
	delete(m.frameworks, fw.id)
	m.removed[fw.id] = true
	m.completedFrameworks = append(m.completedFrameworks, fw)
	m.opFrameworkRemoved(fw)
	if len(m.completedFrameworks) > 50 {
		m.completedFrameworks = m.completedFrameworks[1:]
	}
}

func (m *Master) completeTask(fw *framework, tk *task) {
	delete(fw.tasks, tk.id)
	fw.completed = append(fw.completed, tk)
	m.trimCompleted(fw)
}

func (m *Master) trimCompleted(fw *framework) {
	if len(fw.completed) > m.cfg.MaxCompletedTasks {
		fw.completed = fw.completed[len(fw.completed)-m.cfg.MaxCompletedTasks:]
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func durationSeconds(s float64) (d timeDuration) {
	if s <= 0 || math.IsNaN(s) {
		return 0
	}
	if s*1e9 >= float64(math.MaxInt64) {
		return timeDuration(math.MaxInt64)
	}
	return timeDuration(s * 1e9)
}

// masterStatus builds a master-generated TaskStatus: SOURCE_MASTER, now,
// no uuid.
func (m *Master) masterStatus(taskID, agentID string, state mesospb.TaskState, reason mesospb.TaskStatus_Reason, message string) *mesospb.TaskStatus {
	st := &mesospb.TaskStatus{
		TaskId:    &mesospb.TaskID{Value: proto.String(taskID)},
		State:     state.Enum(),
		Source:    mesospb.TaskStatus_SOURCE_MASTER.Enum(),
		Reason:    reason.Enum(),
		Message:   proto.String(message),
		Timestamp: proto.Float64(m.timestamp()),
	}
	if agentID != "" {
		st.AgentId = &mesospb.AgentID{Value: proto.String(agentID)}
	}
	return st
}
