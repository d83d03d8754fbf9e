package allocator

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// Hierarchical is the hierarchical DRF allocator of Mesos 1.11
// (HierarchicalAllocatorProcess). See the package documentation for the
// algorithm and for where it deliberately differs from Mesos.
type Hierarchical struct {
	opts     Options
	interval time.Duration
	names    nameTable
	env      sortEnv

	agents       map[string]*agent
	agentList    []*agent // sorted by ID when agentsSorted
	agentsSorted bool

	frameworks map[string]*framework
	// entryCount counts the agents where a framework (known or not yet)
	// holds resources in a role.
	entryCount map[entryKey]int
	roles      map[string]*role // the role tree; "" is the root
	roleSorter *sorter
	quotas     map[string]*quotaState

	availableRevocable qvec // scalar revocable resources available on all agents

	requestAll bool
	requested  []*agent

	cycle uint64

	filterCount     int
	filterSweepSize int

	// Scratch for one run.
	run runState
}

var _ Allocator = (*Hierarchical)(nil)

type agent struct {
	id, hostname string
	attributes   []*mesospb.Attribute
	domain       *mesospb.DomainInfo
	capabilities []mesospb.AgentInfo_Capability_Type

	total     resources.Resources
	totalQ    qvec
	available resources.Resources // unallocated form
	allocated resources.Resources // used by tasks, allocated form
	// allocs is what is offered or allocated on the agent, by framework
	// and role; available = total - sum(allocs), shared volumes aside.
	allocs []allocEntry

	activated        bool
	hasGPU           bool
	multiRole        bool
	hierarchicalRole bool
	remote           bool
	hasShared        bool
	hasRevocable     bool
	availRevocableQ  qvec

	version   uint64 // bumped when available changes
	requested bool
	removed   bool

	// filters are the offer filters for this agent, by framework and
	// role. Keeping them on the agent makes the per-agent framework loop
	// of an allocation run cache friendly.
	filters map[*client]filterSet
}

// allocEntry is what one framework holds in one role on an agent
// (unallocated form). The framework may not be known yet (an agent that
// re-registers before its frameworks).
type allocEntry struct {
	fwID, role string
	res        resources.Resources
}

type entryKey struct{ fwID, role string }

type framework struct {
	id          string
	roles       []string // subscribed, sorted
	suppressed  map[string]bool
	gpu, region bool
	revocable   bool
	shared      bool
	refinement  bool
	multiRole   bool
	active      bool
	minAlloc    map[string][]resources.Quantities
	clients     map[string]*client // roles the framework is tracked under
}

func (f *framework) subscribed(role string) bool { return slices.Contains(f.roles, role) }

// client is a framework tracked under a role: a leaf of the role's
// framework sorter.
type client struct {
	fw   *framework
	role *role
	// filterAgents are the agents holding offer filters of the
	// framework in this role (the filters live on the agents).
	filterAgents map[*agent]struct{}
}

// role is a node of Mesos's RoleTree: quota accounting for a role and its
// subtree. Frameworks tracked under the role have a framework sorter.
type role struct {
	name     string
	parent   *role
	children map[string]*role

	clients  map[string]*client // by framework ID
	fwSorter *sorter

	reservationsQ   qvec // scalar reservations of the subtree, on all agents
	ooaReservedQ    qvec // offered or allocated reserved scalars of the subtree
	ooaUnreservedQ  qvec // offered or allocated unreserved non-revocable scalars
	reservedAny     int  // number of reserved resources tracked (non-scalars too)
	consumedInRun   qvec // scratch: consumed quota during a run
	consumedInRunOK bool
}

type quotaState struct {
	quota      Quota
	guarantees qvec
	limits     limitVec
}

// New returns an allocator configured with opts (see [DefaultOptions]).
func New(opts Options) *Hierarchical {
	a := &Hierarchical{
		opts:       opts,
		interval:   opts.AllocationInterval,
		agents:     map[string]*agent{},
		frameworks: map[string]*framework{},
		entryCount: map[entryKey]int{},
		roles:      map[string]*role{},
		quotas:     map[string]*quotaState{},
	}
	if a.interval <= 0 {
		a.interval = time.Second
	}
	a.env.names = &a.names
	a.env.weights = map[string]float64{}
	for _, name := range opts.FairnessExcludeResourceNames {
		i := a.names.id(name)
		for len(a.env.excluded) <= i {
			a.env.excluded = append(a.env.excluded, false)
		}
		a.env.excluded[i] = true
	}
	a.roles[""] = &role{children: map[string]*role{}}
	a.roleSorter = newSorter(opts.RoleSorter, &a.env, true)
	return a
}

// Options returns the options the allocator was created with.
func (a *Hierarchical) Options() Options { return a.opts }

func (a *Hierarchical) mustAgent(id string) *agent {
	ag := a.agents[id]
	if ag == nil {
		panic(fmt.Sprintf("allocator: unknown agent %q", id))
	}
	return ag
}

func (a *Hierarchical) mustFramework(id string) *framework {
	fw := a.frameworks[id]
	if fw == nil {
		panic(fmt.Sprintf("allocator: unknown framework %q", id))
	}
	return fw
}

// roleNode returns the role tree node, creating it and its ancestors.
func (a *Hierarchical) roleNode(name string) *role {
	if r := a.roles[name]; r != nil {
		return r
	}
	parent := a.roles[""]
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		parent = a.roleNode(name[:i])
	}
	r := &role{name: name, parent: parent, children: map[string]*role{}, clients: map[string]*client{}}
	parent.children[name] = r
	a.roles[name] = r
	return r
}

// tryRemoveRole drops role tree nodes that no longer hold anything.
func (a *Hierarchical) tryRemoveRole(r *role) {
	for r != nil && r.name != "" {
		if len(r.children) > 0 || len(r.clients) > 0 || r.reservedAny > 0 ||
			!r.reservationsQ.isZero() || !r.ooaReservedQ.isZero() || !r.ooaUnreservedQ.isZero() {
			return
		}
		delete(r.parent.children, r.name)
		delete(a.roles, r.name)
		r = r.parent
	}
}

// ---------------------------------------------------------------------
// Agents.

// AddAgent implements [Allocator].
func (a *Hierarchical) AddAgent(spec Agent, used map[string]resources.Resources) {
	if a.agents[spec.ID] != nil {
		panic(fmt.Sprintf("allocator: agent %q added twice", spec.ID))
	}
	ag := &agent{id: spec.ID, activated: true}
	ag.setInfo(spec, a.opts.Domain)
	a.agents[spec.ID] = ag
	a.agentList = append(a.agentList, ag)
	a.agentsSorted = false

	a.setTotal(ag, spec.Total)
	for _, fwID := range sortedKeys(used) {
		res := used[fwID]
		for _, roleName := range res.AllocationRoles() {
			if roleName == "" {
				panic(fmt.Sprintf("allocator: resources used by framework %s on agent %s are not allocated to a role: %s", fwID, spec.ID, res))
			}
			a.addToAgent(ag, fwID, roleName, inRole(res, roleName))
		}
		ag.allocated = ag.allocated.Plus(res)
		fw := a.frameworks[fwID]
		if fw == nil {
			// Accounted for when the framework is added.
			continue
		}
		a.trackAllocated(ag, fw, res)
	}
	a.refreshAvailable(ag)
	a.request(ag)
}

func (ag *agent) setInfo(spec Agent, masterDomain *mesospb.DomainInfo) {
	ag.hostname = spec.Hostname
	ag.attributes = spec.Attributes
	ag.domain = spec.Domain
	ag.capabilities = slices.Clone(spec.Capabilities)
	ag.multiRole = spec.hasCapability(mesospb.AgentInfo_Capability_MULTI_ROLE)
	ag.hierarchicalRole = spec.hasCapability(mesospb.AgentInfo_Capability_HIERARCHICAL_ROLE)
	ag.remote = false
	if fd := spec.Domain.GetFaultDomain(); fd != nil && masterDomain.GetFaultDomain() != nil {
		ag.remote = fd.GetRegion().GetName() != masterDomain.GetFaultDomain().GetRegion().GetName()
	}
}

// setTotal replaces an agent's total and updates the cluster totals and
// reservation tracking.
func (a *Hierarchical) setTotal(ag *agent, total resources.Resources) {
	if !ag.total.IsEmpty() {
		a.env.total.sub(ag.totalQ)
		a.trackReservations(ag.total, -1)
	}
	ag.total = total
	ag.totalQ = ag.totalQ[:0]
	a.names.scalarSplit(total, &ag.totalQ, nil, nil)
	a.env.total.add(ag.totalQ)
	a.env.totalVersion++
	a.trackReservations(total, +1)
	ag.hasGPU = total.GPUs() > 0
	ag.hasShared = !total.Shared().IsEmpty()
	ag.hasRevocable = !total.Revocable().IsEmpty()
}

// trackReservations adds (sign +1) or removes (-1) an agent's reservations
// to the role tree.
func (a *Hierarchical) trackReservations(total resources.Resources, sign int64) {
	for r := range total.All() {
		if !r.IsReserved() {
			continue
		}
		rr := a.roleNode(r.ReservationRole())
		for cur := rr; cur != nil; cur = cur.parent {
			cur.reservedAny += int(sign)
			if r.Type() == mesospb.Value_SCALAR {
				cur.reservationsQ.addAt(a.names.id(r.Name()), sign*int64(r.Scalar()))
			}
		}
		if sign < 0 {
			a.tryRemoveRole(rr)
		}
	}
}

// refreshAvailable recomputes what is available on an agent: its total
// minus what is offered or allocated, with shared volumes always
// available.
func (a *Hierarchical) refreshAvailable(ag *agent) {
	ooa := ag.offeredOrAllocated()
	if ag.hasShared {
		ag.available = ag.total.NonShared().Minus(ooa.NonShared()).Plus(ag.total.Shared())
	} else {
		ag.available = ag.total.Minus(ooa)
	}
	a.availableChanged(ag)
}

// offeredOrAllocated sums what is offered or allocated on the agent
// (unallocated form).
func (ag *agent) offeredOrAllocated() resources.Resources {
	var sum resources.Resources
	for _, e := range ag.allocs {
		sum = sum.Plus(e.res)
	}
	return sum
}

// decreaseAvailable and increaseAvailable update what is available on an
// agent after an offer or a recovery, without summing all the
// allocations again (which refreshAvailable does).
func (a *Hierarchical) decreaseAvailable(ag *agent, res resources.Resources) {
	if ag.hasShared {
		a.refreshAvailable(ag)
		return
	}
	ag.available = ag.available.Minus(res)
	a.availableChanged(ag)
}

func (a *Hierarchical) increaseAvailable(ag *agent, res resources.Resources) {
	available := ag.available.Plus(res)
	if ag.hasShared || !ag.total.Contains(available) {
		// The total shrank below what was offered or allocated (e.g.
		// fewer oversubscribed resources): recompute.
		a.refreshAvailable(ag)
		return
	}
	ag.available = available
	a.availableChanged(ag)
}

func (a *Hierarchical) availableChanged(ag *agent) {
	ag.version++
	if ag.hasRevocable || !ag.availRevocableQ.isZero() {
		a.availableRevocable.sub(ag.availRevocableQ)
		ag.availRevocableQ = ag.availRevocableQ[:0]
		a.names.scalarSplit(ag.available.Revocable(), &ag.availRevocableQ, nil, nil)
		a.availableRevocable.add(ag.availRevocableQ)
	}
}

func (a *Hierarchical) entry(ag *agent, fwID, roleName string) int {
	for i := range ag.allocs {
		if e := &ag.allocs[i]; e.fwID == fwID && e.role == roleName {
			return i
		}
	}
	return -1
}

// addToAgent records res (unallocated) as offered or allocated to the
// framework in the role on the agent. It does not refresh available.
func (a *Hierarchical) addToAgent(ag *agent, fwID, roleName string, res resources.Resources) {
	if res.IsEmpty() {
		return
	}
	if i := a.entry(ag, fwID, roleName); i >= 0 {
		ag.allocs[i].res = ag.allocs[i].res.Plus(res)
	} else {
		ag.allocs = append(ag.allocs, allocEntry{fwID, roleName, res})
		a.entryCount[entryKey{fwID, roleName}]++
	}
}

// removeFromAgent is the inverse of addToAgent.
func (a *Hierarchical) removeFromAgent(ag *agent, fwID, roleName string, res resources.Resources) {
	if res.IsEmpty() {
		return
	}
	i := a.entry(ag, fwID, roleName)
	if i < 0 {
		return
	}
	left := ag.allocs[i].res.Minus(res)
	if !left.IsEmpty() {
		ag.allocs[i].res = left
		return
	}
	ag.allocs = slices.Delete(ag.allocs, i, i+1)
	key := entryKey{fwID, roleName}
	if a.entryCount[key]--; a.entryCount[key] == 0 {
		delete(a.entryCount, key)
	}
}

// UpdateAgent implements [Allocator].
func (a *Hierarchical) UpdateAgent(spec Agent) {
	ag := a.mustAgent(spec.ID)
	updated := false
	if !attributesEqual(ag.attributes, spec.Attributes) {
		updated = true
		a.RemoveFilters(spec.ID)
	}
	if ag.hostname != spec.Hostname || !proto.Equal(ag.domain, spec.Domain) || !slices.Equal(ag.capabilities, spec.Capabilities) ||
		(ag.capabilities == nil) != (spec.Capabilities == nil) {
		updated = true
	}
	ag.setInfo(spec, a.opts.Domain)
	if !ag.total.Equal(spec.Total) {
		updated = true
		a.updateTotal(ag, spec.Total)
	}
	if updated {
		a.request(ag)
	}
}

func attributesEqual(x, y []*mesospb.Attribute) bool {
	if len(x) != len(y) {
		return false
	}
	// Mesos compares attributes as a set: same size and every attribute
	// of one is in the other.
	for _, ax := range x {
		if !slices.ContainsFunc(y, func(ay *mesospb.Attribute) bool { return proto.Equal(ax, ay) }) {
			return false
		}
	}
	return true
}

func (a *Hierarchical) updateTotal(ag *agent, total resources.Resources) {
	a.setTotal(ag, total)
	a.refreshAvailable(ag)
}

// RemoveAgent implements [Allocator].
func (a *Hierarchical) RemoveAgent(agentID string) {
	ag := a.mustAgent(agentID)
	for _, e := range slices.Clone(ag.allocs) {
		fw := a.frameworks[e.fwID]
		if fw != nil {
			a.untrackAllocated(ag, fw, e.role, e.res)
		}
		a.removeFromAgent(ag, e.fwID, e.role, e.res)
		if fw != nil && !fw.subscribed(e.role) {
			a.tryUntrackUnderRole(fw, e.role)
		}
	}
	a.env.total.sub(ag.totalQ)
	a.env.totalVersion++
	a.trackReservations(ag.total, -1)
	a.availableRevocable.sub(ag.availRevocableQ)
	ag.removed = true
	delete(a.agents, agentID)
	a.agentList = slices.DeleteFunc(a.agentList, func(x *agent) bool { return x == ag })
	a.removeAgentFilters(ag)
}

// ActivateAgent implements [Allocator].
func (a *Hierarchical) ActivateAgent(agentID string) { a.mustAgent(agentID).activated = true }

// DeactivateAgent implements [Allocator].
func (a *Hierarchical) DeactivateAgent(agentID string) { a.mustAgent(agentID).activated = false }

// UpdateAvailable implements [Allocator].
func (a *Hierarchical) UpdateAvailable(agentID string, consumed, converted resources.Resources) error {
	ag := a.mustAgent(agentID)
	if _, err := ag.available.Apply(consumed, converted); err != nil {
		return fmt.Errorf("allocator: failed to update available resources on agent %s: %w", agentID, err)
	}
	total, err := ag.total.Apply(consumed, converted)
	if err != nil {
		return fmt.Errorf("allocator: failed to update total resources on agent %s: %w", agentID, err)
	}
	a.updateTotal(ag, total)
	return nil
}

// ---------------------------------------------------------------------
// Frameworks.

// AddFramework implements [Allocator].
func (a *Hierarchical) AddFramework(spec Framework, used map[string]resources.Resources, active bool) {
	if a.frameworks[spec.ID] != nil {
		panic(fmt.Sprintf("allocator: framework %q added twice", spec.ID))
	}
	fw := &framework{id: spec.ID, suppressed: map[string]bool{}, clients: map[string]*client{}, active: active}
	fw.setInfo(spec)
	for _, r := range spec.SuppressedRoles {
		fw.suppressed[r] = true
	}
	a.frameworks[spec.ID] = fw
	for _, r := range fw.roles {
		cl := a.trackUnderRole(fw, r)
		if fw.suppressed[r] {
			cl.role.fwSorter.deactivate(fw.id)
		} else {
			cl.role.fwSorter.activate(fw.id)
		}
	}
	for _, agentID := range sortedKeys(used) {
		ag := a.agents[agentID]
		if ag == nil {
			continue
		}
		a.trackAllocated(ag, fw, used[agentID])
	}
	if active {
		a.requestAllAgents()
	} else {
		a.DeactivateFramework(spec.ID)
	}
}

func (f *framework) setInfo(spec Framework) {
	f.roles = slices.Clone(spec.Roles)
	slices.Sort(f.roles)
	f.roles = slices.Compact(f.roles)
	has := func(c mesospb.FrameworkInfo_Capability_Type) bool { return slices.Contains(spec.Capabilities, c) }
	f.gpu = has(mesospb.FrameworkInfo_Capability_GPU_RESOURCES)
	f.region = has(mesospb.FrameworkInfo_Capability_REGION_AWARE)
	f.revocable = has(mesospb.FrameworkInfo_Capability_REVOCABLE_RESOURCES)
	f.shared = has(mesospb.FrameworkInfo_Capability_SHARED_RESOURCES)
	f.refinement = has(mesospb.FrameworkInfo_Capability_RESERVATION_REFINEMENT)
	f.multiRole = has(mesospb.FrameworkInfo_Capability_MULTI_ROLE)
	f.minAlloc = nil
	for role, list := range spec.MinAllocatableResources {
		if f.minAlloc == nil {
			f.minAlloc = map[string][]resources.Quantities{}
		}
		f.minAlloc[role] = slices.Clone(list)
	}
}

// trackUnderRole makes the framework a (deactivated) client of the role's
// framework sorter, creating the sorter and the role's entry in the role
// sorter for the role's first framework.
func (a *Hierarchical) trackUnderRole(fw *framework, roleName string) *client {
	if cl := fw.clients[roleName]; cl != nil {
		return cl
	}
	r := a.roleNode(roleName)
	if len(r.clients) == 0 {
		a.roleSorter.add(roleName).role = r
		a.roleSorter.activate(roleName)
		r.fwSorter = newSorter(a.opts.FrameworkSorter, &a.env, false)
	}
	cl := &client{fw: fw, role: r}
	r.clients[fw.id] = cl
	fw.clients[roleName] = cl
	r.fwSorter.add(fw.id).client = cl
	return cl
}

// tryUntrackUnderRole stops tracking the framework under the role if it
// holds nothing there any more.
func (a *Hierarchical) tryUntrackUnderRole(fw *framework, roleName string) bool {
	cl := fw.clients[roleName]
	if cl == nil {
		return true
	}
	if a.entryCount[entryKey{fw.id, roleName}] > 0 {
		return false
	}
	r := cl.role
	a.clearFilters(cl)
	r.fwSorter.remove(fw.id)
	delete(r.clients, fw.id)
	delete(fw.clients, roleName)
	if len(r.clients) == 0 {
		a.roleSorter.remove(roleName)
		r.fwSorter = nil
	}
	a.tryRemoveRole(r)
	return true
}

// trackAllocated accounts resources (allocated form, any roles) offered
// or allocated to a framework in the role tree and the sorters; the agent
// itself is updated by the caller.
func (a *Hierarchical) trackAllocated(ag *agent, fw *framework, res resources.Resources) {
	for _, roleName := range res.AllocationRoles() {
		if roleName == "" {
			continue
		}
		a.trackAllocatedInRole(ag, fw, roleName, inRole(res, roleName))
	}
}

// trackAllocatedInRole accounts unallocated resources offered or
// allocated to a framework in one role.
func (a *Hierarchical) trackAllocatedInRole(ag *agent, fw *framework, roleName string, res resources.Resources) {
	if fw.clients[roleName] == nil {
		a.trackUnderRole(fw, roleName)
	}
	q := &a.run.q
	q.all = q.all[:0]
	q.reserved = q.reserved[:0]
	q.quota = q.quota[:0]
	a.names.scalarSplit(res, &q.all, &q.reserved, &q.quota)
	for cur := a.roles[roleName]; cur != nil; cur = cur.parent {
		cur.ooaReservedQ.add(q.reserved)
		cur.ooaUnreservedQ.add(q.quota)
	}
	a.roleSorter.allocated(roleName, q.all)
	a.roles[roleName].fwSorter.allocated(fw.id, q.all)
}

// untrackAllocated is the inverse of trackAllocatedInRole.
func (a *Hierarchical) untrackAllocated(ag *agent, fw *framework, roleName string, res resources.Resources) {
	r := a.roles[roleName]
	if r == nil || fw.clients[roleName] == nil {
		return
	}
	q := &a.run.q
	q.all = q.all[:0]
	q.reserved = q.reserved[:0]
	q.quota = q.quota[:0]
	a.names.scalarSplit(res, &q.all, &q.reserved, &q.quota)
	for cur := r; cur != nil; cur = cur.parent {
		cur.ooaReservedQ.sub(q.reserved)
		cur.ooaUnreservedQ.sub(q.quota)
	}
	a.roleSorter.unallocated(roleName, q.all)
	r.fwSorter.unallocated(fw.id, q.all)
}

// UpdateFramework implements [Allocator].
func (a *Hierarchical) UpdateFramework(spec Framework) {
	fw := a.mustFramework(spec.ID)
	oldRoles := fw.roles
	oldSuppressed := maps.Clone(fw.suppressed)
	newFW := &framework{}
	newFW.setInfo(spec)
	for _, r := range newFW.roles {
		if slices.Contains(oldRoles, r) {
			continue
		}
		cl := a.trackUnderRole(fw, r)
		// NB: Mesos activates the new role even for an inactive
		// framework; the master never updates inactive frameworks.
		if fw.active {
			cl.role.fwSorter.activate(fw.id)
		}
	}
	for _, r := range oldRoles {
		if slices.Contains(newFW.roles, r) {
			continue
		}
		if cl := fw.clients[r]; cl != nil {
			cl.role.fwSorter.deactivate(fw.id)
			a.clearFilters(cl)
		}
		a.tryUntrackUnderRole(fw, r)
		delete(fw.suppressed, r)
	}
	clients, suppressedNow := fw.clients, fw.suppressed
	fw.setInfo(spec)
	fw.clients, fw.suppressed = clients, suppressedNow
	for _, cl := range fw.clients {
		a.invalidateFilterCaches(cl)
	}
	newSuppressed := map[string]bool{}
	for _, r := range spec.SuppressedRoles {
		newSuppressed[r] = true
	}
	var suppress, revive []string
	for _, r := range sortedKeys(newSuppressed) {
		if !oldSuppressed[r] {
			suppress = append(suppress, r)
		}
	}
	for _, r := range sortedKeys(oldSuppressed) {
		if !newSuppressed[r] && fw.subscribed(r) {
			revive = append(revive, r)
		}
	}
	a.suppressRoles(fw, suppress)
	a.reviveRoles(fw, revive)
	fw.suppressed = newSuppressed
}

// RemoveFramework implements [Allocator].
func (a *Hierarchical) RemoveFramework(frameworkID string) {
	fw := a.mustFramework(frameworkID)
	for _, ag := range a.sortedAgents() {
		for _, e := range slices.Clone(ag.allocs) {
			if e.fwID != frameworkID {
				continue
			}
			a.untrackAllocated(ag, fw, e.role, e.res)
			a.removeFromAgent(ag, e.fwID, e.role, e.res)
			a.increaseAvailable(ag, e.res)
		}
	}
	for _, r := range sortedKeys(fw.clients) {
		a.tryUntrackUnderRole(fw, r)
	}
	delete(a.frameworks, frameworkID)
}

// ActivateFramework implements [Allocator].
func (a *Hierarchical) ActivateFramework(frameworkID string) {
	fw := a.mustFramework(frameworkID)
	fw.active = true
	for _, r := range fw.roles {
		if cl := fw.clients[r]; cl != nil && !fw.suppressed[r] {
			cl.role.fwSorter.activate(fw.id)
		}
	}
	a.requestAllAgents()
}

// DeactivateFramework implements [Allocator].
func (a *Hierarchical) DeactivateFramework(frameworkID string) {
	fw := a.mustFramework(frameworkID)
	for _, r := range sortedKeys(fw.clients) {
		cl := fw.clients[r]
		cl.role.fwSorter.deactivate(fw.id)
		a.clearFilters(cl)
	}
	fw.active = false
}

// SuppressOffers implements [Allocator].
func (a *Hierarchical) SuppressOffers(frameworkID string, roles []string) {
	fw := a.mustFramework(frameworkID)
	if len(roles) == 0 {
		roles = fw.roles
	}
	a.suppressRoles(fw, roles)
}

func (a *Hierarchical) suppressRoles(fw *framework, roles []string) {
	for _, r := range roles {
		cl := fw.clients[r]
		if cl == nil {
			// Mesos CHECKs; the master only suppresses subscribed roles.
			continue
		}
		cl.role.fwSorter.deactivate(fw.id)
		fw.suppressed[r] = true
	}
}

// ReviveOffers implements [Allocator].
func (a *Hierarchical) ReviveOffers(frameworkID string, roles []string) {
	fw := a.mustFramework(frameworkID)
	if len(roles) == 0 {
		roles = fw.roles
	}
	a.reviveRoles(fw, roles)
	a.requestAllAgents()
}

func (a *Hierarchical) reviveRoles(fw *framework, roles []string) {
	for _, r := range roles {
		cl := fw.clients[r]
		if cl == nil {
			continue
		}
		a.clearFilters(cl)
		// NB: Mesos activates the role even for an inactive framework;
		// an inactive framework is only activated by ActivateFramework.
		if fw.active {
			cl.role.fwSorter.activate(fw.id)
		}
		delete(fw.suppressed, r)
	}
}

// ---------------------------------------------------------------------
// Resources.

// RecoverResources implements [Allocator].
func (a *Hierarchical) RecoverResources(now time.Time, frameworkID, agentID string, res resources.Resources, filters *mesospb.Filters, isAllocated bool) {
	if res.IsEmpty() {
		return
	}
	ag := a.agents[agentID]
	if isAllocated && ag != nil {
		ag.allocated = ag.allocated.Minus(res)
	}
	fw := a.frameworks[frameworkID]
	if fw == nil || ag == nil {
		return
	}
	roleName, err := res.SingleAllocationRole()
	if err != nil {
		panic(fmt.Sprintf("allocator: recovered resources %s must be allocated to exactly one role: %v", res, err))
	}
	unalloc := res.Unallocate()
	if i := a.entry(ag, frameworkID, roleName); i < 0 || !ag.allocs[i].res.Contains(unalloc) {
		panic(fmt.Sprintf("allocator: framework %s does not hold recovered %s on agent %s", frameworkID, res, agentID))
	}
	a.untrackAllocated(ag, fw, roleName, unalloc)
	a.removeFromAgent(ag, frameworkID, roleName, unalloc)
	a.increaseAvailable(ag, unalloc)
	if !fw.subscribed(roleName) {
		a.tryUntrackUnderRole(fw, roleName)
	}
	d := RefuseDuration(filters)
	if d <= 0 {
		return
	}
	cl := fw.clients[roleName]
	if cl == nil {
		return
	}
	a.addFilter(cl, ag, unalloc, now, d)
}

// TransitionOfferedToAllocated implements [Allocator].
func (a *Hierarchical) TransitionOfferedToAllocated(agentID string, res resources.Resources) {
	ag := a.mustAgent(agentID)
	ag.allocated = ag.allocated.Plus(res)
}

// UpdateAllocation implements [Allocator].
func (a *Hierarchical) UpdateAllocation(frameworkID, agentID string, consumed, converted resources.Resources) {
	fw := a.mustFramework(frameworkID)
	ag := a.mustAgent(agentID)
	roleName, err := consumed.Plus(converted).SingleAllocationRole()
	if err != nil {
		panic(fmt.Sprintf("allocator: an updated allocation must be allocated to exactly one role: %v", err))
	}
	from, to := consumed.Unallocate(), converted.Unallocate()
	i := a.entry(ag, frameworkID, roleName)
	if !from.IsEmpty() && (i < 0 || !ag.allocs[i].res.Contains(from)) {
		panic(fmt.Sprintf("allocator: framework %s does not hold %s on agent %s", frameworkID, consumed, agentID))
	}
	a.untrackAllocated(ag, fw, roleName, from)
	a.removeFromAgent(ag, frameworkID, roleName, from)
	a.addToAgent(ag, frameworkID, roleName, to)
	if cl := fw.clients[roleName]; cl != nil {
		// Mesos's sorter update() does not count an allocation.
		q := &a.run.q
		q.all = q.all[:0]
		q.reserved = q.reserved[:0]
		q.quota = q.quota[:0]
		a.names.scalarSplit(to, &q.all, &q.reserved, &q.quota)
		for cur := cl.role; cur != nil; cur = cur.parent {
			cur.ooaReservedQ.add(q.reserved)
			cur.ooaUnreservedQ.add(q.quota)
		}
		a.roleSorter.update(roleName, nil, q.all)
		cl.role.fwSorter.update(fw.id, nil, q.all)
	}
	if !from.IsEmpty() {
		total, err := ag.total.Apply(from, to)
		if err != nil {
			panic(fmt.Sprintf("allocator: updating the total of agent %s: %v", agentID, err))
		}
		a.setTotal(ag, total)
	}
	a.refreshAvailable(ag)
}

// ---------------------------------------------------------------------
// Weights and quota.

// UpdateWeights implements [Allocator].
func (a *Hierarchical) UpdateWeights(weights map[string]float64) {
	for _, r := range sortedKeys(weights) {
		w := weights[r]
		if !(w > 0) {
			panic(fmt.Sprintf("allocator: weight of role %q must be positive, got %v", r, w))
		}
		if w == 1 {
			delete(a.env.weights, r)
		} else {
			a.env.weights[r] = w
		}
	}
	a.env.weightsVersion++
}

// UpdateQuota implements [Allocator].
func (a *Hierarchical) UpdateQuota(roleName string, q Quota) {
	if strings.Contains(roleName, "/") {
		panic(fmt.Sprintf("allocator: quota can only be set on top-level roles, not %q", roleName))
	}
	if q.IsDefault() {
		delete(a.quotas, roleName)
		return
	}
	a.quotas[roleName] = &quotaState{
		quota:      q,
		guarantees: a.names.toQvec(q.Guarantees),
		limits:     a.names.toLimitVec(q.Limits),
	}
}

// Weight returns a role's weight (1 by default).
func (a *Hierarchical) Weight(role string) float64 {
	if w, ok := a.env.weights[role]; ok {
		return w
	}
	return 1
}

// Quota returns a role's quota.
func (a *Hierarchical) Quota(role string) Quota {
	if q := a.quotas[role]; q != nil {
		return q.quota
	}
	return Quota{}
}

// ---------------------------------------------------------------------
// Requests.

func (a *Hierarchical) request(ag *agent) {
	if !ag.requested {
		ag.requested = true
		a.requested = append(a.requested, ag)
	}
}

func (a *Hierarchical) requestAllAgents() { a.requestAll = true }

// Requested implements [Allocator].
func (a *Hierarchical) Requested() bool {
	if a.requestAll {
		return true
	}
	for _, ag := range a.requested {
		if !ag.removed {
			return true
		}
	}
	return false
}

func (a *Hierarchical) clearRequests() {
	for _, ag := range a.requested {
		ag.requested = false
	}
	a.requested = a.requested[:0]
	a.requestAll = false
}

func (a *Hierarchical) sortedAgents() []*agent {
	if !a.agentsSorted {
		slices.SortFunc(a.agentList, func(x, y *agent) int { return strings.Compare(x.id, y.id) })
		a.agentsSorted = true
	}
	return a.agentList
}

// inRole returns the part of res allocated to role, unallocated.
func inRole(res resources.Resources, role string) resources.Resources {
	return res.Filter(func(r resources.Resource) bool { return r.AllocationRole() == role }).Unallocate()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// ---------------------------------------------------------------------
// Introspection.

// Allocated returns the resources used by tasks on an agent
// (TransitionOfferedToAllocated minus recovered allocated resources).
func (a *Hierarchical) Allocated(agentID string) resources.Resources {
	return a.mustAgent(agentID).allocated
}

// Available returns the resources of an agent that are neither offered
// nor allocated (unallocated form).
func (a *Hierarchical) Available(agentID string) resources.Resources {
	return a.mustAgent(agentID).available
}

// OfferedOrAllocated returns what a framework holds on an agent (offered
// or used by tasks), allocated to its roles.
func (a *Hierarchical) OfferedOrAllocated(frameworkID, agentID string) resources.Resources {
	ag := a.mustAgent(agentID)
	var out resources.Resources
	for _, e := range ag.allocs {
		if e.fwID == frameworkID {
			out = out.Plus(e.res.Allocate(e.role))
		}
	}
	return out
}

// DominantShare returns a role's weighted dominant share as the role
// sorter computes it (0 for a role without frameworks).
func (a *Hierarchical) DominantShare(role string) float64 {
	n := a.roleSorter.find(role)
	if n == nil {
		return 0
	}
	return a.roleSorter.share(n)
}

// FrameworkShare returns a framework's dominant share within one of its
// roles (0 if it is not tracked under the role).
func (a *Hierarchical) FrameworkShare(frameworkID, role string) float64 {
	r := a.roles[role]
	if r == nil || r.fwSorter == nil {
		return 0
	}
	n := r.fwSorter.find(frameworkID)
	if n == nil {
		return 0
	}
	return r.fwSorter.share(n)
}
