package master

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/allocatorpb"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/msg"
)

type timeDuration = time.Duration

// Response is the HTTP answer to a non-SUBSCRIBE call: a status code and a
// text/plain body (empty for 202 and 200).
type Response struct {
	Status int
	Body   string
}

// ValidateCall validates a decoded Call as Mesos's
// validation::scheduler::call::validate does. The error text follows
// "Failed to validate scheduler::Call: " in the 400 response.
func ValidateCall(c *schedulerpb.Call) error {
	if c.Type == nil {
		return fmt.Errorf("Expecting 'type' to be present")
	}
	if c.GetType() == schedulerpb.Call_SUBSCRIBE {
		if c.Subscribe == nil {
			return fmt.Errorf("Expecting 'subscribe' to be present")
		}
		if !proto.Equal(c.GetSubscribe().GetFrameworkInfo().GetId(), c.GetFrameworkId()) {
			return fmt.Errorf("'framework_id' differs from 'subscribe.framework_info.id'")
		}
		return nil
	}
	if c.FrameworkId == nil {
		return fmt.Errorf("Expecting 'framework_id' to be present")
	}
	present := func(ok bool, name string) error {
		if !ok {
			return fmt.Errorf("Expecting '%s' to be present", name)
		}
		return nil
	}
	switch c.GetType() {
	case schedulerpb.Call_ACCEPT:
		return present(c.Accept != nil, "accept")
	case schedulerpb.Call_DECLINE:
		return present(c.Decline != nil, "decline")
	case schedulerpb.Call_ACCEPT_INVERSE_OFFERS:
		return present(c.AcceptInverseOffers != nil, "accept_inverse_offers")
	case schedulerpb.Call_DECLINE_INVERSE_OFFERS:
		return present(c.DeclineInverseOffers != nil, "decline_inverse_offers")
	case schedulerpb.Call_KILL:
		return present(c.Kill != nil, "kill")
	case schedulerpb.Call_SHUTDOWN:
		return present(c.Shutdown != nil, "shutdown")
	case schedulerpb.Call_ACKNOWLEDGE:
		if c.Acknowledge == nil {
			return present(false, "acknowledge")
		}
		if len(c.GetAcknowledge().GetUuid()) != 16 {
			return fmt.Errorf("Not a valid UUID")
		}
	case schedulerpb.Call_ACKNOWLEDGE_OPERATION_STATUS:
		a := c.AcknowledgeOperationStatus
		if a == nil {
			return present(false, "acknowledge_operation_status")
		}
		if len(a.GetUuid()) != 16 {
			return fmt.Errorf("Not a valid UUID")
		}
		if a.AgentId == nil {
			return fmt.Errorf("Expecting 'agent_id' to be present")
		}
	case schedulerpb.Call_RECONCILE:
		return present(c.Reconcile != nil, "reconcile")
	case schedulerpb.Call_RECONCILE_OPERATIONS:
		return present(c.ReconcileOperations != nil, "reconcile_operations")
	case schedulerpb.Call_MESSAGE:
		return present(c.Message != nil, "message")
	case schedulerpb.Call_REQUEST:
		return present(c.Request != nil, "request")
	case schedulerpb.Call_UPDATE_FRAMEWORK:
		if c.UpdateFramework == nil {
			return present(false, "update_framework")
		}
		if !proto.Equal(c.GetUpdateFramework().GetFrameworkInfo().GetId(), c.GetFrameworkId()) {
			return fmt.Errorf("'framework_id' differs from 'update_framework.framework_info.id'")
		}
	}
	return nil
}

var accepted = Response{Status: http.StatusAccepted}

// Call handles a validated non-SUBSCRIBE call carrying the stream id
// header streamID (hasStreamID false when the header is absent), with
// Mesos's checks after validation: unknown framework 400, not subscribed
// 403, stream id 400, then the call itself (202, UPDATE_FRAMEWORK 200).
func (m *Master) Call(c *schedulerpb.Call, streamID string, hasStreamID bool) Response {
	defer m.requestAllocation()
	fw := m.frameworks[c.GetFrameworkId().GetValue()]
	if fw == nil {
		return Response{http.StatusBadRequest, "Framework cannot be found"}
	}
	if !fw.connected {
		return Response{http.StatusForbidden, "Framework is not subscribed"}
	}
	if !hasStreamID {
		return Response{http.StatusBadRequest, "All non-subscribe calls should include the 'Mesos-Stream-Id' header"}
	}
	if streamID != fw.sub.StreamID {
		return Response{http.StatusBadRequest, "The stream ID '" + streamID + "' included in this request didn't match the stream ID currently associated with framework ID " + fw.id}
	}
	m.metrics.Calls[callIndex(c.GetType())]++
	m.countCall(c)
	m.tracef("%s framework %s", c.GetType(), fw.id)
	switch c.GetType() {
	case schedulerpb.Call_TEARDOWN:
		m.removeFramework(fw)
	case schedulerpb.Call_ACCEPT:
		m.accept(fw, c.GetAccept())
	case schedulerpb.Call_DECLINE:
		for _, oid := range c.GetDecline().GetOfferIds() {
			o := fw.offers[oid.GetValue()]
			if o == nil {
				continue
			}
			m.removeOffer(o)
			m.alloc.RecoverResources(m.now(), fw.id, o.agentID, o.resources, filtersOrDefault(c.GetDecline().GetFilters()), false)
		}
	case schedulerpb.Call_REVIVE:
		if roles, ok := m.checkRoles(fw, c.GetRevive().GetRoles()); ok {
			m.alloc.ReviveOffers(fw.id, roles)
			for _, r := range rolesOrAll(fw, roles) {
				fw.suppressed = slices.DeleteFunc(fw.suppressed, func(s string) bool { return s == r })
			}
		}
	case schedulerpb.Call_SUPPRESS:
		if roles, ok := m.checkRoles(fw, c.GetSuppress().GetRoles()); ok {
			m.alloc.SuppressOffers(fw.id, roles)
			for _, r := range rolesOrAll(fw, roles) {
				if !slices.Contains(fw.suppressed, r) {
					fw.suppressed = append(fw.suppressed, r)
				}
			}
		}
	case schedulerpb.Call_KILL:
		m.kill(fw, c.GetKill())
	case schedulerpb.Call_SHUTDOWN:
		if ag := m.agents[c.GetShutdown().GetAgentId().GetValue()]; ag != nil && ag.connected {
			m.send(ag.name, &msg.ShutdownExecutor{FrameworkID: fw.id, ExecutorID: c.GetShutdown().GetExecutorId().GetValue()})
		}
	case schedulerpb.Call_ACKNOWLEDGE:
		m.acknowledge(fw, c.GetAcknowledge())
	case schedulerpb.Call_RECONCILE:
		m.reconcile(fw, c.GetReconcile().GetTasks())
	case schedulerpb.Call_MESSAGE:
		mm := c.GetMessage()
		if ag := m.agents[mm.GetAgentId().GetValue()]; ag != nil && ag.connected {
			m.send(ag.name, &msg.FrameworkToExecutor{AgentID: ag.id, FrameworkID: fw.id, ExecutorID: mm.GetExecutorId().GetValue(), Data: mm.GetData()})
		}
	case schedulerpb.Call_REQUEST:
		// Ignored by the built-in allocator.
	case schedulerpb.Call_ACCEPT_INVERSE_OFFERS:
		a := c.GetAcceptInverseOffers()
		m.answerInverseOffers(fw, a.GetInverseOfferIds(), a.GetFilters(), allocatorpb.InverseOfferStatus_ACCEPT)
	case schedulerpb.Call_DECLINE_INVERSE_OFFERS:
		d := c.GetDeclineInverseOffers()
		m.answerInverseOffers(fw, d.GetInverseOfferIds(), d.GetFilters(), allocatorpb.InverseOfferStatus_DECLINE)
	case schedulerpb.Call_ACKNOWLEDGE_OPERATION_STATUS:
		// No operation has an id-carrying status without resource
		// providers: nothing to forward.
	case schedulerpb.Call_RECONCILE_OPERATIONS:
		m.reconcileOperations(fw, c.GetReconcileOperations())
	case schedulerpb.Call_UPDATE_FRAMEWORK:
		return m.updateFramework(fw, c.GetUpdateFramework())
	default:
		return Response{http.StatusNotImplemented, ""}
	}
	return accepted
}

func filtersOrDefault(f *mesospb.Filters) *mesospb.Filters {
	if f == nil {
		return &mesospb.Filters{} // refuse_seconds defaults to 5
	}
	return f
}

func rolesOrAll(fw *framework, roles []string) []string {
	if len(roles) == 0 {
		return frameworkRoles(fw.info)
	}
	return roles
}

// checkRoles implements the REVIVE/SUPPRESS role check: every role must be
// one of the framework's; otherwise the whole call is dropped.
func (m *Master) checkRoles(fw *framework, roles []string) ([]string, bool) {
	mine := frameworkRoles(fw.info)
	for _, r := range roles {
		if !slices.Contains(mine, r) {
			m.tracef("dropping call of framework %s: role '%s' is not one of its roles", fw.id, r)
			return nil, false
		}
	}
	return roles, true
}

func (m *Master) kill(fw *framework, k *schedulerpb.Call_Kill) {
	tid := k.GetTaskId().GetValue()
	tk := fw.tasks[tid]
	if tk == nil {
		m.reconcile(fw, []*schedulerpb.Call_Reconcile_Task{{TaskId: k.GetTaskId(), AgentId: k.GetAgentId()}})
		return
	}
	if k.AgentId != nil && k.GetAgentId().GetValue() != tk.agentID {
		m.tracef("ignoring KILL of %s: agent %s is not the task's", tid, k.GetAgentId().GetValue())
		return
	}
	ag := m.agents[tk.agentID]
	if ag == nil {
		return
	}
	// Kept until the task is gone, in case the agent is partitioned or
	// disconnected without the master knowing yet: it is sent again when
	// the agent re-registers (Slave::killedTasks).
	if ag.killed == nil {
		ag.killed = map[string]map[string]*mesospb.KillPolicy{}
	}
	if ag.killed[fw.id] == nil {
		ag.killed[fw.id] = map[string]*mesospb.KillPolicy{}
	}
	ag.killed[fw.id][tid] = k.GetKillPolicy()
	if ag.connected {
		m.send(ag.name, &msg.KillTask{FrameworkID: fw.id, TaskID: tid, KillPolicy: k.GetKillPolicy()})
	}
}

func (m *Master) acknowledge(fw *framework, a *schedulerpb.Call_Acknowledge) {
	ag := m.agents[a.GetAgentId().GetValue()]
	if ag == nil || !ag.connected {
		m.metrics.DroppedAcknowledgements++
		return
	}
	tid := a.GetTaskId().GetValue()
	if tk := fw.tasks[tid]; tk != nil && isTerminal(tk.statusUpdateState) && bytes.Equal(tk.lastUUID, a.GetUuid()) {
		m.completeTask(fw, tk)
	}
	m.send(ag.name, &msg.StatusUpdateAcknowledgement{AgentID: ag.id, FrameworkID: fw.id, TaskID: tid, UUID: a.GetUuid()})
}

// reconcile answers RECONCILE (and KILL of unknown tasks) per Mesos's
// Master::reconcile.
func (m *Master) reconcile(fw *framework, tasks []*schedulerpb.Call_Reconcile_Task) {
	pa := hasFrameworkCapability(fw.info, mesospb.FrameworkInfo_Capability_PARTITION_AWARE)
	known := func(tk *task) *mesospb.TaskStatus {
		state := mesospb.TaskState_TASK_STAGING
		if tk.hasStatus {
			state = tk.statusUpdateState
		}
		st := m.masterStatus(tk.id, tk.agentID, state, mesospb.TaskStatus_REASON_RECONCILIATION, "Reconciliation: Latest task state")
		if tk.executorID != "" {
			st.ExecutorId = &mesospb.ExecutorID{Value: proto.String(tk.executorID)}
		}
		if n := len(tk.statuses); n > 0 {
			last := tk.statuses[n-1]
			st.Healthy = last.Healthy
			st.CheckStatus = last.CheckStatus
			st.ContainerStatus = last.ContainerStatus
		}
		return st
	}
	if len(tasks) == 0 {
		for _, tid := range sortedKeys(fw.tasks) {
			m.sendEvent(fw, updateEvent(known(fw.tasks[tid])))
		}
		return
	}
	for _, t := range tasks {
		tid := t.GetTaskId().GetValue()
		aid := t.GetAgentId().GetValue()
		if tk := fw.tasks[tid]; tk != nil {
			m.sendEvent(fw, updateEvent(known(tk)))
			continue
		}
		var state mesospb.TaskState
		var text string
		var unreachableAt time.Time
		switch {
		case t.AgentId != nil && m.recoveredAgents[aid] != nil, t.AgentId == nil && len(m.recoveredAgents) > 0:
			// The agent may still re-register with the task: no answer.
			continue
		case t.AgentId != nil && m.agents[aid] != nil:
			state, text = mesospb.TaskState_TASK_GONE, "Reconciliation: Task is unknown to the agent"
		case t.AgentId != nil && isUnreachable(m, aid):
			state, text = mesospb.TaskState_TASK_UNREACHABLE, "Reconciliation: Task is unreachable"
			unreachableAt = m.unreachableAgents[aid]
		case t.AgentId != nil && isGone(m, aid):
			state, text = mesospb.TaskState_TASK_GONE_BY_OPERATOR, "Reconciliation: Task is gone"
		default:
			state, text = mesospb.TaskState_TASK_UNKNOWN, "Reconciliation: Task is unknown"
		}
		if !pa {
			state = mesospb.TaskState_TASK_LOST
		}
		st := m.masterStatus(tid, aid, state, mesospb.TaskStatus_REASON_RECONCILIATION, text)
		if !unreachableAt.IsZero() {
			st.UnreachableTime = &mesospb.TimeInfo{Nanoseconds: proto.Int64(unreachableAt.UnixNano())}
		}
		m.sendEvent(fw, updateEvent(st))
	}
}

func isUnreachable(m *Master, agentID string) bool {
	_, ok := m.unreachableAgents[agentID]
	return ok
}

func isGone(m *Master, agentID string) bool {
	_, ok := m.goneAgents[agentID]
	return ok
}

// reconcileOperations answers RECONCILE_OPERATIONS as a master whose
// agents have no resource providers and that knows no operations.
func (m *Master) reconcileOperations(fw *framework, r *schedulerpb.Call_ReconcileOperations) {
	for _, op := range r.GetOperations() {
		aid := op.GetAgentId().GetValue()
		var state mesospb.OperationState
		var text string
		switch {
		case op.AgentId != nil && m.agents[aid] != nil:
			// Mesos forwards these to the agent, which does not know the
			// operation (unverified: the agent's answer).
			state, text = mesospb.OperationState_OPERATION_UNKNOWN, "Reconciliation: Operation is unknown"
		case op.AgentId != nil && isUnreachable(m, aid):
			state, text = mesospb.OperationState_OPERATION_UNREACHABLE, "Reconciliation: Agent is unreachable"
		case op.AgentId != nil:
			state, text = mesospb.OperationState_OPERATION_UNKNOWN, "Reconciliation: Both operation and agent are unknown"
		default:
			state, text = mesospb.OperationState_OPERATION_UNKNOWN, "Reconciliation: Operation is unknown and no 'agent_id' was provided"
		}
		st := &mesospb.OperationStatus{
			OperationId:        op.OperationId,
			State:              state.Enum(),
			Message:            proto.String(text),
			AgentId:            op.AgentId,
			ResourceProviderId: op.ResourceProviderId,
		}
		m.sendEvent(fw, &schedulerpb.Event{
			Type:                  schedulerpb.Event_UPDATE_OPERATION_STATUS.Enum(),
			UpdateOperationStatus: &schedulerpb.Event_UpdateOperationStatus{Status: st},
		})
	}
}

func (m *Master) updateFramework(fw *framework, u *schedulerpb.Call_UpdateFramework) Response {
	info := proto.Clone(u.GetFrameworkInfo()).(*mesospb.FrameworkInfo)
	if err := validateFrameworkInfo(info, nil); err != nil {
		return Response{http.StatusBadRequest, "Supplied FrameworkInfo is not valid: " + err.Error()}
	}
	switch {
	case (info.Principal == nil) != (fw.info.Principal == nil) || info.GetPrincipal() != fw.info.GetPrincipal():
		return Response{http.StatusBadRequest, "FrameworkInfo update is not valid: Changing framework's principal is not allowed."}
	case info.GetUser() != fw.info.GetUser():
		return Response{http.StatusBadRequest, "FrameworkInfo update is not valid: Updating 'FrameworkInfo.user' is unsupported; attempted to update from '" + fw.info.GetUser() + "' to '" + info.GetUser() + "'"}
	case info.GetCheckpoint() != fw.info.GetCheckpoint():
		return Response{http.StatusBadRequest, fmt.Sprintf("FrameworkInfo update is not valid: Updating 'FrameworkInfo.checkpoint' is unsupported; attempted to update from '%v' to '%v'", fw.info.GetCheckpoint(), info.GetCheckpoint())}
	}
	if err := validateFrameworkInfo(info, u.GetSuppressedRoles()); err != nil {
		return Response{http.StatusBadRequest, "'UpdateFramework' call is not valid: " + err.Error()}
	}
	newRoles := frameworkRoles(info)
	for _, id := range sortedKeys(fw.offers) {
		if o := fw.offers[id]; !slices.Contains(newRoles, o.role) {
			m.rescindOffer(o, true)
		}
	}
	defer m.opFrameworkInfoChanged(fw, fw.info)
	fw.info = info
	fw.suppressed = slices.Clone(u.GetSuppressedRoles())
	m.alloc.UpdateFramework(allocator.FrameworkFromInfo(info, fw.suppressed))
	for _, aid := range sortedKeys(m.agents) {
		if ag := m.agents[aid]; ag.connected {
			m.send(ag.name, &msg.UpdateFramework{Framework: fw.info})
		}
	}
	return Response{Status: http.StatusOK}
}
