package allocator

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// harness drives an allocator the way Mesos's HierarchicalAllocatorTest
// does under a paused clock: settle() runs the allocation an event
// requested (Clock::settle), tick() advances one allocation interval and
// runs the periodic allocation (Clock::advance(interval)).
type harness struct {
	t    *testing.T
	a    *Hierarchical
	now  time.Time
	opts Options

	nextAgent, nextFramework int
	agents                   map[string]Agent
	frameworks               map[string]Framework
}

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func newHarness(t *testing.T, mutate ...func(*Options)) *harness {
	t.Helper()
	opts := DefaultOptions()
	for _, m := range mutate {
		m(&opts)
	}
	return &harness{
		t:          t,
		a:          New(opts),
		now:        epoch,
		opts:       opts,
		agents:     map[string]Agent{},
		frameworks: map[string]Framework{},
	}
}

// agentSpec returns an agent "agentN" with the given resources (Mesos's
// createSlaveInfo).
func (h *harness) agentSpec(res string) Agent {
	h.t.Helper()
	h.nextAgent++
	id := fmt.Sprintf("agent%d", h.nextAgent)
	r, err := resources.Parse(res)
	if err != nil {
		h.t.Fatalf("parse %q: %v", res, err)
	}
	return Agent{ID: id, Hostname: id, Total: r}
}

func (h *harness) addAgent(res string) Agent {
	h.t.Helper()
	ag := h.agentSpec(res)
	h.a.AddAgent(ag, nil)
	h.agents[ag.ID] = ag
	return ag
}

// frameworkSpec returns a framework "frameworkN" in roles (Mesos's
// createFrameworkInfo): MULTI_ROLE is added unless listed, as Mesos's
// tests do.
func (h *harness) frameworkSpec(roles []string, caps ...mesospb.FrameworkInfo_Capability_Type) Framework {
	h.nextFramework++
	if !slices.Contains(caps, mesospb.FrameworkInfo_Capability_MULTI_ROLE) {
		caps = append(caps, mesospb.FrameworkInfo_Capability_MULTI_ROLE)
	}
	return Framework{ID: fmt.Sprintf("framework%d", h.nextFramework), Roles: roles, Capabilities: caps}
}

func (h *harness) addFramework(roles []string, caps ...mesospb.FrameworkInfo_Capability_Type) Framework {
	fw := h.frameworkSpec(roles, caps...)
	h.a.AddFramework(fw, nil, true)
	h.frameworks[fw.ID] = fw
	return fw
}

// settle runs the allocation requested by the last events, if any.
func (h *harness) settle() []Allocation {
	return h.a.AllocateRequested(h.now)
}

// tick advances one allocation interval and runs the periodic allocation
// (after any requested one, as Mesos would have run it already).
func (h *harness) tick() []Allocation {
	out := h.settle()
	h.now = h.now.Add(h.a.interval)
	return append(out, h.a.Allocate(h.now)...)
}

// advance moves the clock without running an allocation.
func (h *harness) advance(d time.Duration) { h.now = h.now.Add(d) }

// recover declines an allocation: every role's resources go back, with a
// filter of refuse (none when refuse < 0).
func (h *harness) recover(al Allocation, refuse time.Duration) {
	var f *mesospb.Filters
	if refuse >= 0 {
		f = &mesospb.Filters{RefuseSeconds: proto.Float64(refuse.Seconds())}
	}
	for _, role := range al.Roles() {
		h.a.RecoverResources(h.now, al.FrameworkID, al.AgentID, al.Resources[role], f, false)
	}
}

func (h *harness) recoverAll(als []Allocation, refuse time.Duration) {
	for _, al := range als {
		h.recover(al, refuse)
	}
}

const noFilter = time.Duration(-1)

// offer builds the expected allocation of res (Mesos text) on an agent to
// a framework in a role.
func offer(fw, ag, role, res string) Allocation {
	return Allocation{FrameworkID: fw, AgentID: ag, Resources: map[string]resources.Resources{
		role: resources.MustParse(res).Allocate(role),
	}}
}

// offerRes is offer with Resources.
func offerRes(fw, ag, role string, res resources.Resources) Allocation {
	return Allocation{FrameworkID: fw, AgentID: ag, Resources: map[string]resources.Resources{role: res.Allocate(role)}}
}

var cmpResources = cmp.Comparer(func(x, y resources.Resources) bool { return x.Equal(y) })

func (h *harness) expect(got []Allocation, want ...Allocation) {
	h.t.Helper()
	if len(want) == 0 {
		want = nil
	}
	if len(got) == 0 {
		got = nil
	}
	if diff := cmp.Diff(want, got, cmpResources); diff != "" {
		h.t.Errorf("allocations mismatch (-want +got):\n%s\ngot: %v", diff, got)
	}
}

func (h *harness) expectNone(got []Allocation) {
	h.t.Helper()
	if len(got) != 0 {
		h.t.Errorf("unexpected allocations: %v", got)
	}
}

// checkInvariants verifies the allocator's bookkeeping: on every agent,
// available + offered or allocated = total, and the sorters' totals agree
// with the agents.
func (h *harness) checkInvariants() {
	h.t.Helper()
	if err := checkInvariants(h.a); err != nil {
		h.t.Error(err)
	}
}

func checkInvariants(a *Hierarchical) error {
	var total qvec
	var ooa qvec
	for _, ag := range a.sortedAgents() {
		sum := ag.offeredOrAllocated()
		if !ag.hasShared && !ag.available.Plus(sum).Equal(ag.total) {
			return fmt.Errorf("agent %s: available %s + offered or allocated %s != total %s", ag.id, ag.available, sum, ag.total)
		}
		a.names.scalarSplit(ag.total, &total, nil, nil)
		for _, e := range ag.allocs {
			if a.frameworks[e.fwID] != nil {
				a.names.scalarSplit(e.res, &ooa, nil, nil)
			}
		}
	}
	eq := func(x, y qvec) bool {
		n := max(len(x), len(y))
		for i := range n {
			if x.get(i) != y.get(i) {
				return false
			}
		}
		return true
	}
	if !eq(total, a.env.total) {
		return fmt.Errorf("cluster total %v != sum of agents %v", a.env.total, total)
	}
	if !eq(ooa, a.roleSorter.root.alloc) {
		return fmt.Errorf("role sorter total %v != offered or allocated %v", a.roleSorter.root.alloc, ooa)
	}
	filters := 0
	for _, ag := range a.agentList {
		for cl, set := range ag.filters {
			filters += set.len()
			if _, ok := cl.filterAgents[ag]; !ok {
				return fmt.Errorf("agent %s: filters of %s/%s not indexed", ag.id, cl.fw.id, cl.role.name)
			}
			if a.frameworks[cl.fw.id] != cl.fw || cl.fw.clients[cl.role.name] != cl {
				return fmt.Errorf("agent %s: filters of a stale client %s/%s", ag.id, cl.fw.id, cl.role.name)
			}
		}
	}
	if filters != a.filterCount {
		return fmt.Errorf("filter count %d, %d filters on agents", a.filterCount, filters)
	}
	counts := map[entryKey]int{}
	for _, ag := range a.agentList {
		for _, e := range ag.allocs {
			counts[entryKey{e.fwID, e.role}]++
		}
	}
	if len(counts) != len(a.entryCount) {
		return fmt.Errorf("entry counts %v, on agents %v", a.entryCount, counts)
	}
	for k, n := range counts {
		if a.entryCount[k] != n {
			return fmt.Errorf("framework %s role %s: %d entries counted, %d on agents", k.fwID, k.role, a.entryCount[k], n)
		}
	}
	for _, fw := range a.frameworks {
		for name := range fw.clients {
			if !fw.subscribed(name) && counts[entryKey{fw.id, name}] == 0 {
				return fmt.Errorf("framework %s still tracked under role %s where it holds nothing", fw.id, name)
			}
		}
	}
	return nil
}
