package allocator

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// Allocator decides which framework is offered which agent's resources.
// It is the interface the master drives, modelled on Mesos's
// mesos::allocator::Allocator; [Hierarchical] implements it, and users
// may plug in their own.
//
// An Allocator is a plain state machine: it is not safe for concurrent
// use, never blocks, starts no goroutines, reads no clock and draws no
// randomness except from its seed. Time is always an argument.
//
// Resources passed in and out of an allocation are allocated
// ([resources.Resources.Allocate]) to the role they were offered to, as in
// Mesos. Methods that name an unknown framework or agent panic, except
// RecoverResources, which ignores resources of frameworks or agents that
// are gone (as Mesos does).
type Allocator interface {
	// AddAgent adds an activated agent. used holds the resources that
	// frameworks already use on it, by framework ID (allocated to their
	// roles); frameworks not added yet are accounted for when they are
	// added. Requests an allocation run for this agent.
	AddAgent(agent Agent, used map[string]resources.Resources)
	// UpdateAgent replaces an agent's hostname, attributes, domain,
	// capabilities and total resources. A change of attributes removes
	// every offer filter for the agent; any change requests an
	// allocation run for this agent.
	UpdateAgent(agent Agent)
	// RemoveAgent removes an agent and everything offered or allocated
	// on it.
	RemoveAgent(agentID string)
	// ActivateAgent and DeactivateAgent resume and stop offers of an
	// agent's resources (DEACTIVATE_AGENT, draining). No run is
	// requested.
	ActivateAgent(agentID string)
	DeactivateAgent(agentID string)
	// UpdateAvailable applies an operator operation (RESERVE_RESOURCES,
	// CREATE_VOLUMES, ...) to unallocated resources of an agent: consumed
	// is replaced by converted. It fails, changing nothing, if consumed
	// is not available.
	UpdateAvailable(agentID string, consumed, converted resources.Resources) error

	// AddFramework adds a framework. used holds the resources it already
	// uses, by agent ID (allocated to its roles). If active, an
	// allocation run over all agents is requested.
	AddFramework(fw Framework, used map[string]resources.Resources, active bool)
	// UpdateFramework replaces a framework's roles, capabilities,
	// suppressed roles and minimum allocatable resources
	// (UPDATE_FRAMEWORK or a resubscription). Roles that are no longer
	// suppressed are revived without requesting a run (MESOS-9932).
	UpdateFramework(fw Framework)
	// RemoveFramework removes a framework and recovers everything
	// offered or allocated to it.
	RemoveFramework(frameworkID string)
	// ActivateFramework makes a framework eligible for offers again and
	// requests a run over all agents.
	ActivateFramework(frameworkID string)
	// DeactivateFramework stops offers to a framework and clears all of
	// its offer filters.
	DeactivateFramework(frameworkID string)
	// SuppressOffers stops offers to a framework in the given roles (all
	// its roles when empty). Filters are kept.
	SuppressOffers(frameworkID string, roles []string)
	// ReviveOffers clears a framework's offer filters for the given
	// roles (all its roles when empty), unsuppresses them and requests a
	// run over all agents.
	ReviveOffers(frameworkID string, roles []string)

	// RecoverResources returns resources offered or allocated to a
	// framework on an agent: a declined or rescinded offer
	// (isAllocated=false), the unused part of an accepted offer, or the
	// resources of a finished task (isAllocated=true). With filters, the
	// framework will not be offered a subset of these resources on this
	// agent in this role for max(refuse_seconds, allocation interval);
	// refuse_seconds 0 installs no filter. No run is requested
	// (MESOS-3078): the resources wait for the next periodic run.
	RecoverResources(now time.Time, frameworkID, agentID string, res resources.Resources, filters *mesospb.Filters, isAllocated bool)
	// TransitionOfferedToAllocated records that offered resources are now
	// used by tasks (an accepted LAUNCH). They come back through
	// RecoverResources(isAllocated=true) when the tasks end.
	TransitionOfferedToAllocated(agentID string, res resources.Resources)
	// UpdateAllocation applies an operation a framework made on its
	// offered or allocated resources (RESERVE, UNRESERVE, CREATE,
	// DESTROY, ...): consumed becomes converted, both in the framework's
	// allocation and in the agent's total. An empty consumed adds
	// converted to the allocation only (another copy of a shared
	// volume).
	UpdateAllocation(frameworkID, agentID string, consumed, converted resources.Resources)
	// RemoveFilters removes every offer filter for an agent.
	RemoveFilters(agentID string)

	// UpdateWeights sets role weights (must be > 0). No run is requested.
	UpdateWeights(weights map[string]float64)
	// UpdateQuota sets a top-level role's quota; the zero Quota removes
	// it. No run is requested.
	UpdateQuota(role string, quota Quota)

	// Allocate runs one periodic allocation cycle over all agents and
	// returns the offers to make: each framework gets whole agents (all
	// its role may use), as in Mesos. Any pending request is satisfied
	// by this run.
	Allocate(now time.Time) []Allocation
	// Requested reports whether an event asked for an allocation run
	// (see AllocateRequested).
	Requested() bool
	// AllocateRequested runs the cycle an event asked for, over only the
	// agents concerned: all agents for AddFramework, ActivateFramework
	// and ReviveOffers, one agent for AddAgent and UpdateAgent. Mesos
	// coalesces such requests into at most one pending run; the master
	// should call this after the triggering input, at the same virtual
	// time. It returns nil if nothing was requested.
	AllocateRequested(now time.Time) []Allocation
}

// Agent describes an agent to the allocator.
type Agent struct {
	ID         string
	Hostname   string
	Total      resources.Resources // unallocated, including revocable resources
	Attributes []*mesospb.Attribute
	Domain     *mesospb.DomainInfo
	// Capabilities the agent advertises. nil means all the capabilities
	// of a Mesos 1.11 agent (in particular MULTI_ROLE and
	// HIERARCHICAL_ROLE); an empty, non-nil slice means none, like an old
	// agent.
	Capabilities []mesospb.AgentInfo_Capability_Type
}

func (a Agent) hasCapability(c mesospb.AgentInfo_Capability_Type) bool {
	return a.Capabilities == nil || slices.Contains(a.Capabilities, c)
}

// Framework describes a framework to the allocator.
type Framework struct {
	ID string
	// Roles the framework is subscribed to: FrameworkInfo.roles with the
	// MULTI_ROLE capability, else FrameworkInfo.role ("*" by default).
	Roles        []string
	Capabilities []mesospb.FrameworkInfo_Capability_Type
	// SuppressedRoles get no offers until revived.
	SuppressedRoles []string
	// MinAllocatableResources overrides Options.MinAllocatableResources
	// per role (FrameworkInfo.offer_filters[role].min_allocatable_
	// resources). A role present with an empty list accepts anything.
	MinAllocatableResources map[string][]resources.Quantities
}

// FrameworkFromInfo builds a Framework from its FrameworkInfo, with the
// roles and minimum allocatable resources Mesos derives from it.
func FrameworkFromInfo(info *mesospb.FrameworkInfo, suppressedRoles []string) Framework {
	f := Framework{
		ID:              info.GetId().GetValue(),
		SuppressedRoles: slices.Clone(suppressedRoles),
	}
	for _, c := range info.GetCapabilities() {
		f.Capabilities = append(f.Capabilities, c.GetType())
	}
	if slices.Contains(f.Capabilities, mesospb.FrameworkInfo_Capability_MULTI_ROLE) {
		f.Roles = slices.Clone(info.GetRoles())
	} else {
		f.Roles = []string{info.GetRole()}
	}
	for role, of := range info.GetOfferFilters() {
		m := of.GetMinAllocatableResources()
		if m == nil {
			continue
		}
		if f.MinAllocatableResources == nil {
			f.MinAllocatableResources = map[string][]resources.Quantities{}
		}
		list := []resources.Quantities{}
		for _, q := range m.GetQuantities() {
			var qs []resources.Quantity
			for name, v := range q.GetQuantities() {
				qs = append(qs, resources.Quantity{Name: name, Value: resources.ScalarOf(v.GetValue())})
			}
			list = append(list, resources.NewQuantities(qs...))
		}
		f.MinAllocatableResources[role] = list
	}
	return f
}

// Quota is a role's quota: the allocator first satisfies guarantees (and
// holds back enough unreserved resources to do so), and never offers the
// role more than its limits. The zero value is Mesos's default quota (no
// guarantee, no limit).
type Quota struct {
	Guarantees resources.Quantities
	Limits     resources.Limits
}

// IsDefault reports whether q has no guarantee and no limit.
func (q Quota) IsDefault() bool { return q.Guarantees.IsEmpty() && q.Limits.IsEmpty() }

// Allocation is what one allocation run offers one framework on one agent:
// resources by role, each allocated to its role. The master makes one
// offer per (framework, agent, role).
type Allocation struct {
	FrameworkID string
	AgentID     string
	Resources   map[string]resources.Resources
}

// Roles returns the roles of the allocation, sorted.
func (a Allocation) Roles() []string {
	out := make([]string, 0, len(a.Resources))
	for r := range a.Resources {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// String renders "framework@agent role:resources ...".
func (a Allocation) String() string {
	var b strings.Builder
	b.WriteString(a.FrameworkID + "@" + a.AgentID)
	for _, r := range a.Roles() {
		b.WriteString(" " + r + ":{" + a.Resources[r].String() + "}")
	}
	return b.String()
}

// Options configures a [Hierarchical] allocator. Start from
// [DefaultOptions], which has Mesos's defaults; the zero Options disables
// the GPU filter and the minimum allocatable resources.
type Options struct {
	// AllocationInterval is the master's --allocation_interval (1s). The
	// allocator does not schedule runs; it needs the interval because an
	// offer filter lasts at least one interval (MESOS-4302). Zero means
	// 1s.
	AllocationInterval time.Duration
	// MinAllocatableResources is --min_allocatable_resources: an offer
	// must contain at least one of these quantities. nil or empty means
	// anything non-empty is allocatable.
	MinAllocatableResources []resources.Quantities
	// FairnessExcludeResourceNames is --fair_sharing_excluded_resource_
	// names: resources that do not count in DRF shares.
	FairnessExcludeResourceNames []string
	// FilterGPUResources is --filter_gpu_resources (true): agents with
	// GPUs are only offered to frameworks with GPU_RESOURCES.
	FilterGPUResources bool
	// RoleSorter and FrameworkSorter are --role_sorter and
	// --framework_sorter (drf).
	RoleSorter, FrameworkSorter SorterKind
	// Domain is the master's domain; agents in another region are only
	// offered to REGION_AWARE frameworks.
	Domain *mesospb.DomainInfo
	// Seed feeds the agent shuffles and the random sorter. Run n uses a
	// PCG stream seeded with (Seed, n), so a run does not depend on how
	// many numbers earlier runs drew.
	Seed uint64
}

// DefaultOptions returns Mesos's defaults: a 1s allocation interval,
// minimum allocatable resources "cpus:0.01|mem:32", GPU filtering on, DRF
// sorters.
func DefaultOptions() Options {
	return Options{
		AllocationInterval:      time.Second,
		MinAllocatableResources: DefaultMinAllocatableResources(),
		FilterGPUResources:      true,
	}
}

// DefaultMinAllocatableResources is Mesos's --min_allocatable_resources
// default, "cpus:0.01|mem:32".
func DefaultMinAllocatableResources() []resources.Quantities {
	q, err := ParseMinAllocatableResources("cpus:0.01|mem:32")
	if err != nil {
		panic(err)
	}
	return q
}

// ParseMinAllocatableResources parses the --min_allocatable_resources
// flag as Mesos's master does: alternatives separated by '|' (empty ones
// are skipped), each a "name:amount;..." list that may count non-scalar
// resources ("ports:3"). An alternative whose amounts are all zero makes
// any non-empty offer allocatable.
func ParseMinAllocatableResources(text string) ([]resources.Quantities, error) {
	var out []resources.Quantities
	for _, alt := range strings.FieldsFunc(text, func(r rune) bool { return r == '|' }) {
		q, err := resources.ParseQuantities(alt)
		if err != nil {
			return nil, fmt.Errorf("Error parsing min_allocatable_resources '%s': %w", text, err)
		}
		out = append(out, q)
	}
	return out, nil
}

// Filter durations (Mesos's recoverResources).
const (
	// DefaultRefuseDuration is Filters.refuse_seconds's default, used
	// for negative or invalid values.
	DefaultRefuseDuration = 5 * time.Second
	// MaxRefuseDuration caps refuse_seconds.
	MaxRefuseDuration = 365 * 24 * time.Hour
)

// RefuseDuration converts a Filters message as Mesos does: nil means no
// filter (0); more than 365 days is 365 days; negative or NaN is 5s.
func RefuseDuration(f *mesospb.Filters) time.Duration {
	if f == nil {
		return 0
	}
	s := f.GetRefuseSeconds()
	switch {
	case s > MaxRefuseDuration.Seconds():
		return MaxRefuseDuration
	case s < 0 || s != s:
		return DefaultRefuseDuration
	}
	return time.Duration(s * 1e9)
}
