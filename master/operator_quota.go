package master

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/quotapb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// UpdateQuota sets a top-level role's quota as the operator's UPDATE_QUOTA
// does, without validation or rescinding offers: the master answers
// GET_QUOTA with it, passes it to the allocator, and keeps it in its
// Registry.
func (m *Master) UpdateQuota(role string, q allocator.Quota) {
	m.op().quotas[role] = q
	m.alloc.UpdateQuota(role, q)
}

// Quotas returns the quotas operators set, by role.
func (m *Master) Quotas() map[string]allocator.Quota {
	out := map[string]allocator.Quota{}
	for role, q := range m.op().quotas {
		out[role] = q
	}
	return out
}

func scalarMap(all func(yield func(resources.Quantity) bool)) map[string]*mesospb.Value_Scalar {
	var out map[string]*mesospb.Value_Scalar
	for q := range all {
		if out == nil {
			out = map[string]*mesospb.Value_Scalar{}
		}
		out[q.Name] = &mesospb.Value_Scalar{Value: proto.Float64(q.Value.Float64())}
	}
	return out
}

func quotaConfig(role string, q allocator.Quota) *quotapb.QuotaConfig {
	return &quotapb.QuotaConfig{
		Role:       proto.String(role),
		Guarantees: scalarMap(q.Guarantees.All()),
		Limits:     scalarMap(q.Limits.All()),
	}
}

// quotaFromConfig converts a validated QuotaConfig (Quota{config}).
func quotaFromConfig(c *quotapb.QuotaConfig) allocator.Quota {
	var g, l []resources.Quantity
	for _, name := range sortedKeys(c.GetGuarantees()) {
		g = append(g, resources.Quantity{Name: name, Value: resources.ScalarOf(c.GetGuarantees()[name].GetValue())})
	}
	for _, name := range sortedKeys(c.GetLimits()) {
		l = append(l, resources.Quantity{Name: name, Value: resources.ScalarOf(c.GetLimits()[name].GetValue())})
	}
	return allocator.Quota{Guarantees: resources.NewQuantities(g...), Limits: resources.NewLimits(l...)}
}

// opGetQuota is QuotaHandler::_status: a legacy QuotaInfo (guarantees as
// scalar resources) and a QuotaConfig per role, by role.
func (m *Master) opGetQuota() *masterpb.Response_GetQuota {
	op := m.op()
	status := &quotapb.QuotaStatus{}
	for _, role := range sortedKeys(op.quotas) {
		q := op.quotas[role]
		info := &quotapb.QuotaInfo{Role: proto.String(role)}
		for g := range q.Guarantees.All() {
			info.Guarantee = append(info.Guarantee, &mesospb.Resource{
				Name:   proto.String(g.Name),
				Type:   mesospb.Value_SCALAR.Enum(),
				Scalar: &mesospb.Value_Scalar{Value: proto.Float64(g.Value.Float64())},
			})
		}
		status.Infos = append(status.Infos, info)
		status.Configs = append(status.Configs, quotaConfig(role, q))
	}
	return &masterpb.Response_GetQuota{Status: status}
}

// quantitiesText renders quantities as Mesos's ResourceQuantities and
// ResourceLimits do in messages: "cpus:1; mem:1024", "{}" when empty.
func quantitiesText(all func(yield func(resources.Quantity) bool)) string {
	var parts []string
	for q := range all {
		parts = append(parts, q.Name+":"+q.Value.String())
	}
	if len(parts) == 0 {
		return "{}"
	}
	return strings.Join(parts, "; ")
}

// scalarMapText renders a QuotaConfig map for messages, by name.
func scalarMapText(m map[string]*mesospb.Value_Scalar) string {
	var parts []string
	for _, name := range sortedKeys(m) {
		parts = append(parts, name+":"+resources.ScalarOf(m[name].GetValue()).String())
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// validateInputScalar is common::validation::validateInputScalarValue.
func validateInputScalar(v float64) string {
	switch {
	case math.IsInf(v, 0):
		return "Infinite values not supported"
	case math.IsNaN(v):
		return "NaN not supported"
	case v != 0 && math.Abs(v) < 0x1p-1022:
		return "Subnormal values not supported"
	case v < 0:
		return "Negative values not supported"
	}
	return ""
}

// validateQuotaConfig is quota::validate(QuotaConfig).
func validateQuotaConfig(c *quotapb.QuotaConfig) string {
	if c.Role == nil {
		return "'QuotaConfig.role' must be set"
	}
	if err := resources.ValidateRole(c.GetRole()); err != nil {
		return "Invalid 'QuotaConfig.role': " + err.Error()
	}
	const exabyteInMegabytes = 1024 * 1024 * 1024 * 1024
	const otherLimit = 1000 * 1000 * 1000 * 1000
	tooLarge := func(mp map[string]*mesospb.Value_Scalar) string {
		for _, name := range sortedKeys(mp) {
			v := mp[name].GetValue()
			text := "{'" + name + "': " + resources.ScalarOf(v).String() + "}"
			if name == "mem" || name == "disk" {
				if v > exabyteInMegabytes {
					return text + " is invalid: values greater than 1 exabyte (" + strconv.Itoa(exabyteInMegabytes) + ") are not supported"
				}
			} else if v > otherLimit {
				return text + " is invalid: values greater than 1 trillion (" + strconv.Itoa(otherLimit) + ") are not supported"
			}
		}
		return ""
	}
	if e := tooLarge(c.GetGuarantees()); e != "" {
		return "Invalid 'QuotaConfig.guarantees': " + e
	}
	if e := tooLarge(c.GetLimits()); e != "" {
		return "Invalid 'QuotaConfig.limits': " + e
	}
	for _, name := range sortedKeys(c.GetGuarantees()) {
		v := c.GetGuarantees()[name].GetValue()
		if e := validateInputScalar(v); e != "" {
			return "Invalid guarantee configuration {'" + name + "': " + stringifyDouble(v) + "}: " + e
		}
	}
	for _, name := range sortedKeys(c.GetLimits()) {
		v := c.GetLimits()[name].GetValue()
		if e := validateInputScalar(v); e != "" {
			return "Invalid limit configuration {'" + name + "': " + stringifyDouble(v) + "}: " + e
		}
	}
	q := quotaFromConfig(c)
	if !q.Limits.Contains(q.Guarantees) {
		return "'QuotaConfig.guarantees' " + scalarMapText(c.GetGuarantees()) +
			" is not contained within the 'QuotaConfig.limits' " + scalarMapText(c.GetLimits())
	}
	return ""
}

// opConsumedQuota is RoleResourceBreakdown::consumedQuota: what the role's
// subtree has allocated, plus its reservations that nothing uses.
func (m *Master) opConsumedQuota(role string, u *opUsage) resources.Quantities {
	allocated, _ := m.opRoleResources(role, u)
	var unallocatedReservation resources.Quantities
	for _, id := range sortedKeys(m.agents) {
		total := m.agents[id].total.ReservedToRoleSubtree(role).Quantities()
		used := u.agentUsed[id].Unallocate().ReservedToRoleSubtree(role).Quantities()
		unallocatedReservation = unallocatedReservation.Plus(total.Minus(used))
	}
	return allocated.Plus(unallocatedReservation)
}

// opClusterCapacity is the non-revocable scalar capacity of the admitted
// agents, connected or not.
func (m *Master) opClusterCapacity() resources.Quantities {
	var capacity resources.Quantities
	for _, id := range sortedKeys(m.agents) {
		capacity = capacity.Plus(m.agents[id].total.NonRevocable().ScalarQuantities())
	}
	return capacity
}

// opTotalGuarantees sums the guarantees of top-level roles after replacing
// the quotas in update.
func (m *Master) opTotalGuarantees(update map[string]allocator.Quota) resources.Quantities {
	all := m.Quotas()
	for role, q := range update {
		all[role] = q
	}
	var total resources.Quantities
	for _, role := range sortedKeys(all) {
		if !strings.Contains(role, "/") {
			total = total.Plus(all[role].Guarantees)
		}
	}
	return total
}

// opUpdateQuota is QuotaHandler::update and _update.
func (m *Master) opUpdateQuota(call *masterpb.Call_UpdateQuota) OperatorResponse {
	configs := call.GetQuotaConfigs()
	for _, c := range configs {
		if strings.Contains(c.GetRole(), "/") {
			return operatorError(http.StatusBadRequest, "Updating quota on nested role '"+c.GetRole()+"' is not supported yet")
		}
		if e := validateQuotaConfig(c); e != "" {
			return operatorError(http.StatusBadRequest, "Invalid QuotaConfig: "+e)
		}
	}
	update := map[string]allocator.Quota{}
	u := m.opUsage()
	for _, c := range configs {
		q := quotaFromConfig(c)
		update[c.GetRole()] = q
		if consumed := m.opConsumedQuota(c.GetRole(), u); !q.Limits.Contains(consumed) && !call.GetForce() {
			return operatorError(http.StatusBadRequest, "Invalid QuotaConfig: Role '"+c.GetRole()+"' is already consuming '"+
				quantitiesText(consumed.All())+"'; this is more than the requested limits '"+quantitiesText(q.Limits.All())+
				"' (use 'force' flag to bypass this check)")
		}
	}
	if total, capacity := m.opTotalGuarantees(update), m.opClusterCapacity(); !capacity.Contains(total) && !call.GetForce() {
		return operatorError(http.StatusBadRequest, "Invalid QuotaConfig: total quota guarantees '"+quantitiesText(total.All())+
			"' exceed cluster capacity '"+quantitiesText(capacity.All())+"' (use 'force' flag to bypass this check)")
	}
	for _, c := range configs {
		m.UpdateQuota(c.GetRole(), update[c.GetRole()])
	}
	for _, c := range configs {
		m.opRescindForQuota(c.GetRole(), update[c.GetRole()])
	}
	return operatorDone
}

// opRescindForQuota is the best-effort rescinding of QuotaHandler::_update:
// first offers of the role's subtree until what it consumes and is offered
// fits its limits, then offers of other roles until what was rescinded and
// what the role holds covers its guarantees.
func (m *Master) opRescindForQuota(role string, q allocator.Quota) {
	inSubtree := func(o *offer) bool { return o.role == role || resources.IsStrictSubroleOf(o.role, role) }
	u := m.opUsage()
	_, offered := m.opRoleResources(role, u)
	held := m.opConsumedQuota(role, u).Plus(offered)
	for _, fwID := range sortedKeys(m.frameworks) {
		fw := m.frameworks[fwID]
		ids := sortedKeys(fw.offers)
		slices.SortFunc(ids, compareIDs)
		for _, id := range ids {
			if q.Limits.Contains(held) {
				break
			}
			if o := fw.offers[id]; inSubtree(o) {
				held = held.Minus(o.resources.Quantities())
				m.rescindOffer(o, true)
			}
		}
	}
	var rescinded resources.Quantities
	for _, agID := range sortedKeys(m.agents) {
		ids := sortedKeys(m.offers)
		slices.SortFunc(ids, compareIDs)
		for _, id := range ids {
			if rescinded.Plus(held).Contains(q.Guarantees) {
				return
			}
			if o := m.offers[id]; o.agentID == agID && !inSubtree(o) {
				rescinded = rescinded.Plus(o.resources.Quantities())
				m.rescindOffer(o, true)
			}
		}
	}
}

// opSetQuota is the deprecated SET_QUOTA (QuotaHandler::_set and __set): a
// guarantee that is also the limit, for a role without quota.
func (m *Master) opSetQuota(r *quotapb.QuotaRequest) OperatorResponse {
	if _, err := resources.FromProto(r.GetGuarantee()); err != nil {
		return operatorError(http.StatusBadRequest, "Failed to validate set quota request: QuotaInfo with invalid resource: "+err.Error())
	}
	bad := func(text string) OperatorResponse {
		return operatorError(http.StatusBadRequest, "Failed to validate set quota request: "+text)
	}
	role := r.GetRole()
	if r.Role == nil {
		return bad("QuotaInfo must specify a role")
	}
	if err := resources.ValidateRole(role); err != nil {
		return bad("QuotaInfo with invalid role: " + err.Error())
	}
	if len(r.GetGuarantee()) == 0 {
		return bad("QuotaInfo with empty 'guarantee'")
	}
	names := map[string]bool{}
	var qs []resources.Quantity
	for _, g := range r.GetGuarantee() {
		switch {
		case len(g.GetReservations()) > 0 || g.Reservation != nil || (g.Role != nil && g.GetRole() != "*"):
			return bad("QuotaInfo must not contain any ReservationInfo")
		case g.Disk != nil:
			return bad("QuotaInfo must not contain DiskInfo")
		case g.Revocable != nil:
			return bad("QuotaInfo must not contain RevocableInfo")
		case g.GetType() != mesospb.Value_SCALAR:
			return bad("QuotaInfo must not include non-scalar resources")
		case names[g.GetName()]:
			return bad("QuotaInfo contains duplicate resource name '" + g.GetName() + "'")
		}
		names[g.GetName()] = true
		qs = append(qs, resources.Quantity{Name: g.GetName(), Value: resources.ScalarOf(g.GetScalar().GetValue())})
	}
	if _, ok := m.op().quotas[role]; ok {
		return bad("Cannot set quota for role '" + role + "' which already has quota")
	}
	if strings.Contains(role, "/") {
		return operatorError(http.StatusBadRequest, "Setting quota on nested role '"+role+"' is not supported yet")
	}
	guarantees := resources.NewQuantities(qs...)
	q := allocator.Quota{Guarantees: guarantees, Limits: resources.LimitsOf(guarantees)}
	if !r.GetForce() {
		total, capacity := m.opTotalGuarantees(map[string]allocator.Quota{role: q}), m.opClusterCapacity()
		if !capacity.Contains(total) {
			return operatorError(http.StatusConflict, "Quota guarantees overcommit the cluster (use 'force' to bypass this check): Total quota guarantees '"+
				quantitiesText(total.All())+"' exceed cluster capacity '"+quantitiesText(capacity.All())+"'")
		}
	}
	m.UpdateQuota(role, q)
	m.opRescindForQuota(role, q)
	return operatorDone
}

// opRemoveQuota is the deprecated REMOVE_QUOTA.
func (m *Master) opRemoveQuota(role string) OperatorResponse {
	if _, ok := m.op().quotas[role]; !ok {
		return operatorError(http.StatusBadRequest, "Failed to remove quota: Role '"+role+"' has no quota set")
	}
	delete(m.op().quotas, role)
	m.alloc.UpdateQuota(role, allocator.Quota{})
	return operatorDone
}
