package master

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
)

// operatorState is what the master keeps for the v1 operator API: the
// operator event streams, and the weights and quotas operators set (the
// allocator holds them too; the master answers GET_WEIGHTS and GET_QUOTA
// and hands them to a successor through the Registry).
type operatorState struct {
	subscribers []*operatorSubscriber // oldest first
	weights     map[string]float64
	quotas      map[string]allocator.Quota
}

func (m *Master) op() *operatorState {
	if m.operator == nil {
		m.operator = &operatorState{weights: map[string]float64{}, quotas: map[string]allocator.Quota{}}
	}
	return m.operator
}

// closeOperatorStreams ends every operator event stream (the master
// stops).
func (m *Master) closeOperatorStreams() {
	for _, s := range append([]*operatorSubscriber(nil), m.op().subscribers...) {
		m.dropOperatorSubscriber(s)
	}
}

// OperatorResponse is the answer to a non-streaming operator call: a
// status code and either a text/plain body (errors, and empty for 200 and
// 202 answers to mutations) or, for 200 answers to GET_* calls, a
// Response to encode in the negotiated media type.
type OperatorResponse struct {
	Status   int
	Body     string
	Response *masterpb.Response
}

func operatorOK(r *masterpb.Response) OperatorResponse {
	return OperatorResponse{Status: http.StatusOK, Response: r}
}

func operatorError(status int, text string) OperatorResponse {
	return OperatorResponse{Status: status, Body: text}
}

var (
	operatorDone     = OperatorResponse{Status: http.StatusOK}
	operatorAccepted = OperatorResponse{Status: http.StatusAccepted}
)

// ValidateOperatorCall validates a decoded operator Call as Mesos's
// validation::master::call::validate does. The error text follows
// "Failed to validate master::Call: " in the 400 response.
func ValidateOperatorCall(c *masterpb.Call) error {
	if c.Type == nil {
		return errors.New("Expecting 'type' to be present")
	}
	present := func(ok bool, name string) error {
		if !ok {
			return fmt.Errorf("Expecting '%s' to be present", name)
		}
		return nil
	}
	switch c.GetType() {
	case masterpb.Call_GET_METRICS:
		return present(c.GetMetrics != nil, "get_metrics")
	case masterpb.Call_SET_LOGGING_LEVEL:
		return present(c.SetLoggingLevel != nil, "set_logging_level")
	case masterpb.Call_LIST_FILES:
		return present(c.ListFiles != nil, "list_files")
	case masterpb.Call_READ_FILE:
		return present(c.ReadFile != nil, "read_file")
	case masterpb.Call_UPDATE_WEIGHTS:
		return present(c.UpdateWeights != nil, "update_weights")
	case masterpb.Call_RESERVE_RESOURCES:
		if c.ReserveResources == nil {
			return present(false, "reserve_resources")
		}
		_, err := resources.FromProto(c.GetReserveResources().GetResources())
		return err
	case masterpb.Call_UNRESERVE_RESOURCES:
		if c.UnreserveResources == nil {
			return present(false, "unreserve_resources")
		}
		_, err := resources.FromProto(c.GetUnreserveResources().GetResources())
		return err
	case masterpb.Call_CREATE_VOLUMES:
		return present(c.CreateVolumes != nil, "create_volumes")
	case masterpb.Call_DESTROY_VOLUMES:
		return present(c.DestroyVolumes != nil, "destroy_volumes")
	case masterpb.Call_GROW_VOLUME:
		if c.GrowVolume == nil {
			return present(false, "grow_volume")
		}
		if c.GetGrowVolume().AgentId == nil {
			return errors.New("Expecting 'agent_id' to be present; only agent default resources are supported right now")
		}
	case masterpb.Call_SHRINK_VOLUME:
		if c.ShrinkVolume == nil {
			return present(false, "shrink_volume")
		}
		if c.GetShrinkVolume().AgentId == nil {
			return errors.New("Expecting 'agent_id' to be present; only agent default resources are supported right now")
		}
	case masterpb.Call_UPDATE_MAINTENANCE_SCHEDULE:
		return present(c.UpdateMaintenanceSchedule != nil, "update_maintenance_schedule")
	case masterpb.Call_START_MAINTENANCE:
		return present(c.StartMaintenance != nil, "start_maintenance")
	case masterpb.Call_STOP_MAINTENANCE:
		return present(c.StopMaintenance != nil, "stop_maintenance")
	case masterpb.Call_DRAIN_AGENT:
		return present(c.DrainAgent != nil, "drain_agent")
	case masterpb.Call_DEACTIVATE_AGENT:
		return present(c.DeactivateAgent != nil, "deactivate_agent")
	case masterpb.Call_REACTIVATE_AGENT:
		return present(c.ReactivateAgent != nil, "reactivate_agent")
	case masterpb.Call_UPDATE_QUOTA:
		return present(c.UpdateQuota != nil, "update_quota")
	case masterpb.Call_SET_QUOTA:
		return present(c.SetQuota != nil, "set_quota")
	case masterpb.Call_REMOVE_QUOTA:
		return present(c.RemoveQuota != nil, "remove_quota")
	case masterpb.Call_TEARDOWN:
		return present(c.Teardown != nil, "teardown")
	case masterpb.Call_MARK_AGENT_GONE:
		return present(c.MarkAgentGone != nil, "mark_agent_gone")
	}
	return nil
}

// unsupported answers a call the simulator does not model.
func unsupported(t masterpb.Call_Type) OperatorResponse {
	return operatorError(http.StatusNotImplemented, "mesos-sim does not support the operator call "+t.String())
}

// OperatorCall handles a validated, non-SUBSCRIBE operator call (the
// switch of Master::Http::api). GET_* calls answer 200 with a Response;
// RESERVE_RESOURCES, UNRESERVE_RESOURCES, CREATE_VOLUMES and
// DESTROY_VOLUMES answer 202 (409 when the resources are not available);
// other mutations answer 200 with an empty body. Calls the simulator does
// not model (logging levels, the sandbox file calls, growing and shrinking
// volumes) answer 501 with a message saying so; UNKNOWN answers 501 as in
// Mesos.
func (m *Master) OperatorCall(c *masterpb.Call) OperatorResponse {
	defer m.requestAllocation()
	t := c.GetType()
	m.tracef("operator call %s", t)
	resp := func(rt masterpb.Response_Type, fill func(*masterpb.Response)) OperatorResponse {
		r := &masterpb.Response{Type: rt.Enum()}
		fill(r)
		return operatorOK(r)
	}
	switch t {
	case masterpb.Call_UNKNOWN:
		return operatorError(http.StatusNotImplemented, "")
	case masterpb.Call_GET_HEALTH:
		return resp(masterpb.Response_GET_HEALTH, func(r *masterpb.Response) {
			r.GetHealth = &masterpb.Response_GetHealth{Healthy: proto.Bool(true)}
		})
	case masterpb.Call_GET_FLAGS:
		return resp(masterpb.Response_GET_FLAGS, func(r *masterpb.Response) {
			r.GetFlags = &masterpb.Response_GetFlags{Flags: m.operatorFlags()}
		})
	case masterpb.Call_GET_VERSION:
		return resp(masterpb.Response_GET_VERSION, func(r *masterpb.Response) {
			r.GetVersion = &masterpb.Response_GetVersion{VersionInfo: m.operatorVersion()}
		})
	case masterpb.Call_GET_METRICS:
		return resp(masterpb.Response_GET_METRICS, func(r *masterpb.Response) {
			r.GetMetrics = &masterpb.Response_GetMetrics{Metrics: m.operatorMetrics()}
		})
	case masterpb.Call_GET_STATE:
		return resp(masterpb.Response_GET_STATE, func(r *masterpb.Response) { r.GetState = m.opGetState() })
	case masterpb.Call_GET_AGENTS:
		return resp(masterpb.Response_GET_AGENTS, func(r *masterpb.Response) { r.GetAgents = m.opGetAgents() })
	case masterpb.Call_GET_FRAMEWORKS:
		return resp(masterpb.Response_GET_FRAMEWORKS, func(r *masterpb.Response) { r.GetFrameworks = m.opGetFrameworks() })
	case masterpb.Call_GET_EXECUTORS:
		return resp(masterpb.Response_GET_EXECUTORS, func(r *masterpb.Response) { r.GetExecutors = m.opGetExecutors() })
	case masterpb.Call_GET_TASKS:
		return resp(masterpb.Response_GET_TASKS, func(r *masterpb.Response) { r.GetTasks = m.opGetTasks() })
	case masterpb.Call_GET_OPERATIONS:
		// Without resource providers or operation feedback the master
		// tracks no operations (LAUNCH and LAUNCH_GROUP never appear).
		return resp(masterpb.Response_GET_OPERATIONS, func(r *masterpb.Response) { r.GetOperations = &masterpb.Response_GetOperations{} })
	case masterpb.Call_GET_ROLES:
		return resp(masterpb.Response_GET_ROLES, func(r *masterpb.Response) { r.GetRoles = m.opGetRoles() })
	case masterpb.Call_GET_WEIGHTS:
		return resp(masterpb.Response_GET_WEIGHTS, func(r *masterpb.Response) { r.GetWeights = m.opGetWeights() })
	case masterpb.Call_UPDATE_WEIGHTS:
		return m.opUpdateWeights(c.GetUpdateWeights().GetWeightInfos())
	case masterpb.Call_GET_MASTER:
		return resp(masterpb.Response_GET_MASTER, func(r *masterpb.Response) { r.GetMaster = m.opGetMaster() })
	case masterpb.Call_GET_QUOTA:
		return resp(masterpb.Response_GET_QUOTA, func(r *masterpb.Response) { r.GetQuota = m.opGetQuota() })
	case masterpb.Call_UPDATE_QUOTA:
		return m.opUpdateQuota(c.GetUpdateQuota())
	case masterpb.Call_SET_QUOTA:
		return m.opSetQuota(c.GetSetQuota().GetQuotaRequest())
	case masterpb.Call_REMOVE_QUOTA:
		return m.opRemoveQuota(c.GetRemoveQuota().GetRole())
	case masterpb.Call_RESERVE_RESOURCES:
		r := c.GetReserveResources()
		return m.operatorReserve(r.GetAgentId().GetValue(), r.GetSource(), r.GetResources())
	case masterpb.Call_UNRESERVE_RESOURCES:
		r := c.GetUnreserveResources()
		return m.operatorUnreserve(r.GetAgentId().GetValue(), r.GetResources())
	case masterpb.Call_CREATE_VOLUMES:
		r := c.GetCreateVolumes()
		return m.operatorCreateVolumes(r.GetAgentId().GetValue(), r.GetVolumes())
	case masterpb.Call_DESTROY_VOLUMES:
		r := c.GetDestroyVolumes()
		return m.operatorDestroyVolumes(r.GetAgentId().GetValue(), r.GetVolumes())
	case masterpb.Call_TEARDOWN:
		id := c.GetTeardown().GetFrameworkId().GetValue()
		fw := m.frameworks[id]
		if fw == nil {
			return operatorError(http.StatusBadRequest, "No framework found with specified ID")
		}
		m.removeFramework(fw)
		return operatorDone
	case masterpb.Call_MARK_AGENT_GONE:
		if err := m.MarkAgentGone(c.GetMarkAgentGone().GetAgentId().GetValue()); err != nil {
			var se *StatusError
			if errors.As(err, &se) {
				return operatorError(se.Status, se.Text)
			}
			return operatorError(http.StatusInternalServerError, err.Error())
		}
		return operatorDone
	case masterpb.Call_GET_MAINTENANCE_STATUS, masterpb.Call_GET_MAINTENANCE_SCHEDULE,
		masterpb.Call_UPDATE_MAINTENANCE_SCHEDULE, masterpb.Call_START_MAINTENANCE, masterpb.Call_STOP_MAINTENANCE,
		masterpb.Call_DRAIN_AGENT, masterpb.Call_DEACTIVATE_AGENT, masterpb.Call_REACTIVATE_AGENT:
		return m.operatorMaintenance(c)
	}
	// GET_LOGGING_LEVEL, SET_LOGGING_LEVEL, LIST_FILES, READ_FILE,
	// GROW_VOLUME, SHRINK_VOLUME, and types this build does not know.
	return unsupported(t)
}

// ---- weights ----

// DefaultWeight is a role's weight unless an operator set another.
const DefaultWeight = 1.0

func (m *Master) opWeight(role string) float64 {
	if w, ok := m.op().weights[role]; ok {
		return w
	}
	return DefaultWeight
}

func (m *Master) opGetWeights() *masterpb.Response_GetWeights {
	op := m.op()
	out := &masterpb.Response_GetWeights{}
	for _, role := range sortedKeys(op.weights) {
		out.WeightInfos = append(out.WeightInfos, &mesospb.WeightInfo{Role: proto.String(role), Weight: proto.Float64(op.weights[role])})
	}
	return out
}

// stringifyDouble formats a double as C++'s default ostream does (six
// significant digits).
func stringifyDouble(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// opUpdateWeights is Master::WeightsHandler::_updateWeights.
func (m *Master) opUpdateWeights(infos []*mesospb.WeightInfo) OperatorResponse {
	weights := map[string]float64{}
	var order []string
	for _, wi := range infos {
		role := strings.TrimSpace(wi.GetRole())
		if err := resources.ValidateRole(role); err != nil {
			return operatorError(http.StatusBadRequest, "Failed to validate update weights request JSON: Invalid role '"+role+"': "+err.Error())
		}
		if wi.GetWeight() <= 0 {
			return operatorError(http.StatusBadRequest, "Failed to validate update weights request JSON for role '"+role+
				"': Invalid weight '"+stringifyDouble(wi.GetWeight())+"': Weights must be positive")
		}
		if _, ok := weights[role]; !ok {
			order = append(order, role)
		}
		weights[role] = wi.GetWeight()
	}
	m.UpdateWeights(weights)
	// Offers are rescinded when a role that has frameworks changed.
	tracked := m.opRoles(m.opUsage()).frameworks
	for _, role := range order {
		if len(tracked[role]) > 0 {
			for _, id := range sortedKeys(m.offers) {
				m.rescindOffer(m.offers[id], true)
			}
			break
		}
	}
	return operatorDone
}

// UpdateWeights sets role weights as the operator's UPDATE_WEIGHTS does,
// without validation or rescinding offers: the master answers GET_WEIGHTS
// and GET_ROLES with them, passes them to the allocator, and keeps them in
// its Registry. Weights must be positive.
func (m *Master) UpdateWeights(weights map[string]float64) {
	if len(weights) == 0 {
		return
	}
	op := m.op()
	for role, w := range weights {
		op.weights[role] = w
	}
	m.alloc.UpdateWeights(weights)
}

// Weights returns the weights operators set, by role.
func (m *Master) Weights() map[string]float64 {
	out := map[string]float64{}
	for role, w := range m.op().weights {
		out[role] = w
	}
	return out
}

// ---- master ----

func (m *Master) opGetMaster() *masterpb.Response_GetMaster {
	start, elected := m.operatorStartTimes()
	return &masterpb.Response_GetMaster{
		MasterInfo:  m.MasterInfo(),
		StartTime:   proto.Float64(float64(start.UnixNano()) / 1e9),
		ElectedTime: proto.Float64(float64(elected.UnixNano()) / 1e9),
	}
}

// ---- resource operations ----

// unallocated converts operator resources, which carry no allocation.
func unallocated(ps []*mesospb.Resource) (resources.Resources, error) {
	return resources.FromProto(ps)
}

func (m *Master) opRegisteredAgent(agentID string) *agent {
	return m.agents[agentID]
}

// operatorReserve is Master::Http::_reserve and _operation.
func (m *Master) operatorReserve(agentID string, source, target []*mesospb.Resource) OperatorResponse {
	ag := m.opRegisteredAgent(agentID)
	if ag == nil {
		return operatorError(http.StatusBadRequest, "No agent found with specified ID")
	}
	converted, err := unallocated(target)
	if err != nil {
		return operatorError(http.StatusBadRequest, err.Error())
	}
	src, err := unallocated(source)
	if err != nil {
		return operatorError(http.StatusBadRequest, err.Error())
	}
	invalid := func(text string) OperatorResponse {
		return operatorError(http.StatusBadRequest, "Invalid RESERVE operation on agent "+m.opAgentString(ag)+": "+text)
	}
	for _, p := range target {
		if p.AllocationInfo != nil {
			return invalid("A reserve operation was attempted with an allocated resource, but the operator API only allows reservations to be made to unallocated resources")
		}
	}
	if len(source) > 0 && !src.ToUnreserved().Equal(converted.ToUnreserved()) {
		return invalid("Source and target resources should refer to identical resource quantities: " +
			src.ToUnreserved().String() + " vs. " + converted.ToUnreserved().String())
	}
	for r := range converted.All() {
		if !r.IsDynamicallyReserved() {
			return invalid("Resource " + r.String() + " is not dynamically reserved")
		}
	}
	consumed := src
	if len(source) == 0 {
		if consumed, err = converted.PopReservation(); err != nil {
			return operatorError(http.StatusBadRequest, "Invalid RESERVE operation: "+err.Error())
		}
	}
	return m.applyOperatorOperation(ag, "RESERVE", consumed, converted)
}

func (m *Master) operatorUnreserve(agentID string, ps []*mesospb.Resource) OperatorResponse {
	ag := m.opRegisteredAgent(agentID)
	if ag == nil {
		return operatorError(http.StatusBadRequest, "No agent found with specified ID")
	}
	consumed, err := unallocated(ps)
	if err != nil {
		return operatorError(http.StatusBadRequest, err.Error())
	}
	for r := range consumed.All() {
		if !r.IsDynamicallyReserved() {
			return operatorError(http.StatusBadRequest, "Invalid UNRESERVE operation: Resource "+r.String()+" is not dynamically reserved")
		}
		if r.IsPersistentVolume() {
			return operatorError(http.StatusBadRequest, "Invalid UNRESERVE operation: A dynamically reserved persistent volume "+r.String()+
				" cannot be unreserved directly. Please destroy the persistent volume first then unreserve the resource")
		}
	}
	converted, err := consumed.PopReservation()
	if err != nil {
		return operatorError(http.StatusBadRequest, "Invalid UNRESERVE operation: "+err.Error())
	}
	return m.applyOperatorOperation(ag, "UNRESERVE", consumed, converted)
}

func (m *Master) operatorCreateVolumes(agentID string, ps []*mesospb.Resource) OperatorResponse {
	ag := m.opRegisteredAgent(agentID)
	if ag == nil {
		return operatorError(http.StatusBadRequest, "No agent found with specified ID")
	}
	converted, err := unallocated(ps)
	if err != nil {
		return operatorError(http.StatusBadRequest, err.Error())
	}
	invalid := func(text string) OperatorResponse {
		return operatorError(http.StatusBadRequest, "Invalid CREATE operation on agent "+m.opAgentString(ag)+": "+text)
	}
	existing := resources.MustFromProto(ag.checkpointed).PersistentVolumes()
	ids := map[string]bool{}
	for r := range existing.All() {
		ids[r.Disk().GetPersistence().GetId()] = true
	}
	for r := range converted.All() {
		if !r.IsPersistentVolume() {
			return invalid("Not a persistent volume: Resource " + r.String() + " is not a persistent volume")
		}
		if !r.IsReserved() {
			return invalid("Not a persistent volume: Persistent volume " + r.String() + " is not reserved")
		}
		id := r.Disk().GetPersistence().GetId()
		if ids[id] {
			return invalid("Persistence ID '" + id + "' is not unique")
		}
		ids[id] = true
	}
	consumed, err := unallocated(stripVolumes(ps))
	if err != nil {
		return operatorError(http.StatusBadRequest, err.Error())
	}
	return m.applyOperatorOperation(ag, "CREATE", consumed, converted)
}

func (m *Master) operatorDestroyVolumes(agentID string, ps []*mesospb.Resource) OperatorResponse {
	ag := m.opRegisteredAgent(agentID)
	if ag == nil {
		return operatorError(http.StatusBadRequest, "No agent found with specified ID")
	}
	consumed, err := unallocated(ps)
	if err != nil {
		return operatorError(http.StatusBadRequest, err.Error())
	}
	for r := range consumed.All() {
		if !r.IsPersistentVolume() {
			return operatorError(http.StatusBadRequest, "Invalid DESTROY operation: Not a persistent volume: Resource "+r.String()+" is not a persistent volume")
		}
	}
	if !resources.MustFromProto(ag.checkpointed).Contains(consumed) {
		return operatorError(http.StatusBadRequest, "Invalid DESTROY operation: Persistent volumes not found")
	}
	used := m.opUsage().agentUsed[ag.id].Unallocate()
	for r := range consumed.All() {
		if used.ContainsResource(r) {
			return operatorError(http.StatusBadRequest, "Invalid DESTROY operation: Persistent volumes in use")
		}
	}
	converted, err := unallocated(stripVolumes(ps))
	if err != nil {
		return operatorError(http.StatusBadRequest, err.Error())
	}
	return m.applyOperatorOperation(ag, "DESTROY", consumed, converted)
}

// applyOperatorOperation is Master::Http::_operation then Master::apply:
// outstanding offers on the agent are rescinded, one at a time, until they
// cover what the operation consumes (their resources come back with a 5 s
// filter, so the allocator does not offer them straight back); then the
// allocator applies the operation to the agent's available resources
// (409 Conflict when they do not hold what it consumes), the agent's total
// changes and the agent checkpoints its reservations and volumes.
func (m *Master) applyOperatorOperation(ag *agent, kind string, consumed, converted resources.Resources) OperatorResponse {
	required := consumed
	var recovered resources.Resources
	ids := sortedKeys(m.offers)
	slices.SortFunc(ids, compareIDs)
	for _, id := range ids {
		o := m.offers[id]
		if o.agentID != ag.id {
			continue
		}
		res := o.resources.Unallocate()
		if required.Minus(res).Equal(required) {
			continue
		}
		recovered = recovered.Plus(res)
		required = required.Minus(res)
		m.removeOffer(o)
		m.alloc.RecoverResources(m.now(), o.frameworkID, o.agentID, o.resources, &mesospb.Filters{}, false)
		m.sendEvent(m.frameworks[o.frameworkID], rescindEvent(o.id))
		if _, err := recovered.Apply(consumed, converted); err == nil {
			break
		}
	}
	if err := m.alloc.UpdateAvailable(ag.id, consumed, converted); err != nil {
		text := err.Error()
		if inner := errors.Unwrap(err); inner != nil {
			text = inner.Error()
		}
		m.tracef("operator %s on agent %s refused: %v", kind, ag.id, err)
		return operatorError(http.StatusConflict, text)
	}
	total, err := ag.total.Unallocate().Apply(consumed, converted)
	if err != nil {
		// The allocator's view of the agent holds the master's; this is a
		// broken invariant.
		panic(fmt.Sprintf("master: operator %s on agent %s: allocator and master disagree: %v", kind, ag.id, err))
	}
	ag.total = total
	ag.checkpointed = checkpointed(ag.total)
	m.tracef("operator %s on agent %s: %s -> %s", kind, ag.id, consumed, converted)
	m.send(ag.name, &msg.CheckpointResources{Resources: ag.checkpointed})
	return operatorAccepted
}

func rescindEvent(offerID string) *schedulerpb.Event {
	return &schedulerpb.Event{
		Type:    schedulerpb.Event_RESCIND.Enum(),
		Rescind: &schedulerpb.Event_Rescind{OfferId: &mesospb.OfferID{Value: proto.String(offerID)}},
	}
}

// recoverOperatorSettings applies the weights and quotas of a predecessor's
// registry (Master::_recover).
func (m *Master) recoverOperatorSettings(r Registry) {
	m.SetRoles(r.Weights, r.Quotas)
}

// SetRoles sets role weights and quotas as an operator's UPDATE_WEIGHTS
// and UPDATE_QUOTA would, without their validation (see
// [Master.UpdateWeights] and [Master.UpdateQuota]): for a master
// configured with them from the start.
func (m *Master) SetRoles(weights map[string]float64, quotas map[string]allocator.Quota) {
	m.UpdateWeights(weights)
	for _, role := range sortedKeys(quotas) {
		m.UpdateQuota(role, quotas[role])
	}
}
