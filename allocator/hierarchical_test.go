package allocator

import (
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// The tests below re-create the tests of Mesos's
// src/tests/hierarchical_allocator_tests.cpp that matter to framework
// authors; each names the Mesos test it follows. "settle" runs the
// allocation an event requested, "tick" a periodic one.

// Re-creates HierarchicalAllocatorTest.UnreservedDRF: each new agent goes
// to the framework of the role with the lowest dominant share.
func TestUnreservedDRF(t *testing.T) {
	h := newHarness(t)
	s1 := h.addAgent("cpus:2;mem:1024;disk:0")
	f1 := h.addFramework([]string{"role1"})
	h.expect(h.settle(), offer(f1.ID, s1.ID, "role1", "cpus:2;mem:1024"))

	f2 := h.addFramework([]string{"role2"})
	s2 := h.addAgent("cpus:1;mem:512;disk:0")
	// role1 share 2/3, role2 share 0.
	h.expect(h.settle(), offer(f2.ID, s2.ID, "role2", "cpus:1;mem:512"))

	s3 := h.addAgent("cpus:3;mem:2048;disk:0")
	// role1 share 1/3, role2 share 1/6.
	h.expect(h.settle(), offer(f2.ID, s3.ID, "role2", "cpus:3;mem:2048"))

	f3 := h.addFramework([]string{"role1"})
	s4 := h.addAgent("cpus:4;mem:4096;disk:0")
	// role1 share 0.2 < role2 share 0.4; framework3 has the lowest
	// share in role1.
	h.expect(h.settle(), offer(f3.ID, s4.ID, "role1", "cpus:4;mem:4096"))

	h.addFramework([]string{"role1"})
	s5 := h.addAgent("cpus:1;mem:512;disk:0")
	// role2 (0.36) is below role1 (0.63) although framework4 holds
	// nothing.
	h.expect(h.settle(), offer(f2.ID, s5.ID, "role2", "cpus:1;mem:512"))
	h.checkInvariants()
}

// Re-creates HierarchicalAllocatorTest.ReservedDRF: reserved resources
// count in the shares once allocated.
func TestReservedDRF(t *testing.T) {
	h := newHarness(t)
	s1 := h.addAgent("cpus:1;mem:512;disk:0;cpus(role1):100;mem(role1):1024;disk(role1):0")
	f1 := h.addFramework([]string{"role1"})
	h.expect(h.settle(), offerRes(f1.ID, s1.ID, "role1", s1.Total))

	f2 := h.addFramework([]string{"role2"})
	s2 := h.addAgent("cpus:2;mem:512;disk:0")
	h.expect(h.settle(), offer(f2.ID, s2.ID, "role2", "cpus:2;mem:512"))
	s3 := h.addAgent("cpus:2;mem:512;disk:0")
	h.expect(h.settle(), offer(f2.ID, s3.ID, "role2", "cpus:2;mem:512"))

	// Reserved resources are shared fairly between the frameworks of
	// the role: framework3 holds less than framework1.
	f3 := h.addFramework([]string{"role1"})
	s4 := h.addAgent("cpus(role1):2;mem(role1):1024;disk(role1):0")
	h.expect(h.settle(), offerRes(f3.ID, s4.ID, "role1", s4.Total))
}

// Re-creates HierarchicalAllocatorTest.DRFWithFairnessExclusion: an
// excluded resource (gpus) does not count in the shares.
func TestDRFWithFairnessExclusion(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.FairnessExcludeResourceNames = []string{"gpus"} })
	a1 := h.addAgent("cpus:2;mem:1024;disk:0;gpus:1")
	f1 := h.addFramework([]string{"role1"}, mesospb.FrameworkInfo_Capability_GPU_RESOURCES)
	h.expect(h.settle(), offer(f1.ID, a1.ID, "role1", "cpus:2;mem:1024;gpus:1"))

	f2 := h.addFramework([]string{"role2"})
	a2 := h.addAgent("cpus:1;mem:512;disk:0")
	h.expect(h.settle(), offer(f2.ID, a2.ID, "role2", "cpus:1;mem:512"))
	// role1 share 2/3 (gpus ignored), role2 1/3.
	a3 := h.addAgent("cpus:3;mem:2048;disk:0")
	h.expect(h.settle(), offer(f2.ID, a3.ID, "role2", "cpus:3;mem:2048"))

	f3 := h.addFramework([]string{"role1"})
	a4 := h.addAgent("cpus:4;mem:4096;disk:0")
	h.expect(h.settle(), offer(f3.ID, a4.ID, "role1", "cpus:4;mem:4096"))
}

// Re-creates HierarchicalAllocatorTest.NestedRoleDRF: shares are compared
// between siblings, so the subtree of a role competes as a whole.
func TestNestedRoleDRF(t *testing.T) {
	h := newHarness(t)
	s1 := h.addAgent("cpus:2;mem:1024;disk:0")
	f1 := h.addFramework([]string{"a/b"})
	h.expect(h.settle(), offer(f1.ID, s1.ID, "a/b", "cpus:2;mem:1024"))

	h.addFramework([]string{"a/c"})
	f3 := h.addFramework([]string{"d/e"})
	s2 := h.addAgent("cpus:1;mem:512;disk:0")
	// "a" holds more than "d", so "d/e" gets it rather than "a/c".
	h.expect(h.settle(), offer(f3.ID, s2.ID, "d/e", "cpus:1;mem:512"))

	f4 := h.addFramework([]string{"d/f"})
	s3 := h.addAgent("cpus:2;mem:1024;disk:0")
	// "d" (1/3) is still below "a" (2/3).
	h.expect(h.settle(), offer(f4.ID, s3.ID, "d/f", "cpus:2;mem:1024"))
	if got, want := h.a.DominantShare("d/f"), 0.4; got != want {
		t.Errorf("share of d/f = %v, want %v", got, want)
	}
}

// Re-creates HierarchicalAllocatorTest.OfferFilter: a filter longer than
// the allocation interval hides the declined resources until it expires
// on virtual time.
func TestOfferFilter(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"role"})
	ag := h.addAgent("cpus:1;mem:512;disk:0")
	want := offer(fw.ID, ag.ID, "role", "cpus:1;mem:512")
	got := h.settle()
	h.expect(got, want)

	h.recover(got[0], 2*time.Second)
	if n := h.a.ActiveOfferFilters("role", h.now); n != 1 {
		t.Errorf("active filters = %d, want 1", n)
	}
	h.expectNone(h.tick())   // t = 1s: filtered.
	h.expect(h.tick(), want) // t = 2s: the filter has expired.
	if n := h.a.ActiveOfferFilters("role", h.now); n != 0 {
		t.Errorf("active filters = %d, want 0", n)
	}
}

// Re-creates HierarchicalAllocatorTest.SmallOfferFilterTimeout: a filter
// shorter than the allocation interval still applies to the next
// periodic allocation (MESOS-4302).
func TestSmallOfferFilterTimeout(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.AllocationInterval = time.Minute })
	f1 := h.addFramework([]string{"role"})
	f2 := h.addFramework([]string{"role"})
	a1 := h.agentSpec("cpus:1;mem:512;disk:0")
	h.a.AddAgent(a1, map[string]resources.Resources{f1.ID: a1.Total.Allocate("role")})
	h.expectNone(h.settle())

	a2 := h.addAgent("cpus:1;mem:512;disk:0")
	got := h.settle()
	h.expect(got, offer(f2.ID, a2.ID, "role", "cpus:1;mem:512"))

	// framework2 declines with a 1s filter, less than the interval.
	h.recover(got[0], time.Second)
	h.advance(time.Second)
	// The periodic allocation at 60s still sees the filter.
	h.now = epoch.Add(time.Minute)
	got = h.a.Allocate(h.now)
	h.expect(got, offer(f1.ID, a2.ID, "role", "cpus:1;mem:512"))

	// framework1 declines without a filter: the next periodic
	// allocation gives it back to framework2.
	h.recover(got[0], noFilter)
	h.now = epoch.Add(2 * time.Minute)
	h.expect(h.a.Allocate(h.now), offer(f2.ID, a2.ID, "role", "cpus:1;mem:512"))
}

// Re-creates HierarchicalAllocatorTest.CoarseGrained: each framework gets
// whole agents.
func TestCoarseGrained(t *testing.T) {
	h := newHarness(t)
	s1 := h.addAgent("cpus:2;mem:1024;disk:0")
	s2 := h.addAgent("cpus:2;mem:1024;disk:0")
	f1 := h.addFramework([]string{"role1"})
	got := h.settle()
	h.expect(got, offer(f1.ID, s1.ID, "role1", "cpus:2;mem:1024"), offer(f1.ID, s2.ID, "role1", "cpus:2;mem:1024"))
	h.recoverAll(got, noFilter)

	f2 := h.addFramework([]string{"role2"})
	got = h.settle()
	if len(got) != 2 || got[0].FrameworkID != f1.ID || got[1].FrameworkID != f2.ID || got[0].AgentID == got[1].AgentID {
		t.Fatalf("want one whole agent each, got %v", got)
	}
	for _, al := range got {
		role := al.Roles()[0]
		if !al.Resources[role].Unallocate().Equal(resources.MustParse("cpus:2;mem:1024")) {
			t.Errorf("not a whole agent: %v", al)
		}
	}
}

// Re-creates HierarchicalAllocatorTest.SameShareFairness: frameworks with
// the same share alternate, thanks to the allocation count tie-break.
func TestSameShareFairness(t *testing.T) {
	h := newHarness(t)
	f1 := h.addFramework([]string{"*"})
	f2 := h.addFramework([]string{"*"})
	ag := h.addAgent("cpus:2;mem:1024;disk:0")
	counts := map[string]int{}
	got := h.settle()
	for range 10 {
		if len(got) != 1 {
			t.Fatalf("want one allocation, got %v", got)
		}
		h.expect(got, offer(got[0].FrameworkID, ag.ID, "*", "cpus:2;mem:1024"))
		counts[got[0].FrameworkID]++
		h.recover(got[0], noFilter)
		got = h.tick()
	}
	if counts[f1.ID] != 5 || counts[f2.ID] != 5 {
		t.Errorf("counts = %v, want 5 each", counts)
	}
}

// Re-creates HierarchicalAllocatorTest.Reservations: reservations are
// offered only to their role, unreserved resources to anyone.
func TestReservations(t *testing.T) {
	h := newHarness(t)
	s1 := h.addAgent("cpus(role1):2;mem(role1):1024;disk(role1):0")
	s2 := h.addAgent("cpus(role2):2;mem(role2):1024;cpus:1;mem:1024;disk:0")
	h.addAgent("cpus(role3):1;mem(role3):1024;disk(role3):0") // no framework in role3
	f1 := h.addFramework([]string{"role1"})
	h.expect(h.settle(),
		offerRes(f1.ID, s1.ID, "role1", s1.Total),
		offerRes(f1.ID, s2.ID, "role1", s2.Total.Unreserved()))

	f2 := h.addFramework([]string{"role2"})
	h.expect(h.settle(), offerRes(f2.ID, s2.ID, "role2", s2.Total.Reserved("role2")))
	h.checkInvariants()
}

// Re-creates HierarchicalAllocatorTest.OfferAncestorReservationsToDescendantChild:
// reservations of a role's ancestors are offered to it.
func TestOfferAncestorReservationsToDescendantChild(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"a/b/c"})
	a1 := h.addAgent("cpus(a):1;mem(a):512;disk(a):0")
	h.expect(h.settle(), offerRes(fw.ID, a1.ID, "a/b/c", a1.Total))
	a2 := h.addAgent("cpus:2;mem:1024;disk:0;cpus(a/b):4;mem(a/b):2048;disk(a/b):0")
	h.expect(h.settle(), offerRes(fw.ID, a2.ID, "a/b/c", a2.Total))

	// A reservation to a subrole is not offered to its parent.
	parent := h.addFramework([]string{"a/b"})
	a3 := h.addAgent("cpus(a/b/c):1;mem(a/b/c):64")
	h.expect(h.settle(), offerRes(fw.ID, a3.ID, "a/b/c", a3.Total))
	_ = parent
}

// Refined reservations (RESERVATION_REFINEMENT): a reservation to "eng"
// refined to "eng/backend" is offered to eng/backend frameworks with the
// capability only; the rest of the agent still goes to the others.
func TestRefinedReservations(t *testing.T) {
	h := newHarness(t)
	refined, err := resources.MustParse("cpus(eng):2;mem(eng):512").PushReservation(resources.DynamicReservation("eng/backend", "ops"))
	if err != nil {
		t.Fatal(err)
	}
	total := refined.Plus(resources.MustParse("cpus:1;mem:256"))
	old := h.addFramework([]string{"eng/backend"})
	ag := Agent{ID: "agent1", Hostname: "agent1", Total: total}
	h.a.AddAgent(ag, nil)
	// Without the capability the refined part is stripped.
	h.expect(h.settle(), offer(old.ID, ag.ID, "eng/backend", "cpus:1;mem:256"))

	capable := h.addFramework([]string{"eng/backend"}, mesospb.FrameworkInfo_Capability_RESERVATION_REFINEMENT)
	h.expect(h.settle(), offerRes(capable.ID, ag.ID, "eng/backend", refined))
}

// Re-creates HierarchicalAllocatorTest.Allocatable: an agent is offered
// only if it has the minimum allocatable resources (cpus:0.01 or mem:32),
// counting reserved and unreserved resources together.
func TestAllocatable(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"role1"})
	h.addAgent("cpus:0.005;mem:16;disk:128")
	h.expectNone(h.settle())
	s2 := h.addAgent("cpus:0.01;mem:16;disk:128")
	h.expect(h.settle(), offer(fw.ID, s2.ID, "role1", "cpus:0.01;mem:16;disk:128"))
	s3 := h.addAgent("cpus:0.005;mem:32;disk:128")
	h.expect(h.settle(), offer(fw.ID, s3.ID, "role1", "cpus:0.005;mem:32;disk:128"))
	s4 := h.addAgent("cpus:0.015;mem:16;cpus(role1):0.015;mem(role1):16;disk:128")
	h.expect(h.settle(), offerRes(fw.ID, s4.ID, "role1", s4.Total))
}

// Re-creates HierarchicalAllocatorTest.FrameworkMinAllocatable: a
// framework's min_allocatable_resources for a role overrides the global
// minimum, and UpdateFramework applies it.
func TestFrameworkMinAllocatable(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"role1"})
	ag := h.addAgent("cpus:0.005;mem:16;disk:128")
	h.expectNone(h.settle())

	fw.MinAllocatableResources = map[string][]resources.Quantities{
		"role1": {resources.NewQuantities(resources.Quantity{Name: "cpus", Value: resources.ScalarOf(0.01 / 3)})},
	}
	h.a.UpdateFramework(fw)
	h.expect(h.tick(), offer(fw.ID, ag.ID, "role1", "cpus:0.005;mem:16;disk:128"))
}

// Re-creates HierarchicalAllocatorTest.FrameworkEmptyMinAllocatable: an
// empty list of minimums accepts anything.
func TestFrameworkEmptyMinAllocatable(t *testing.T) {
	h := newHarness(t)
	fw := h.frameworkSpec([]string{"role1"})
	fw.MinAllocatableResources = map[string][]resources.Quantities{"role1": {}}
	h.a.AddFramework(fw, nil, true)
	ag := h.addAgent("cpus:0.005;mem:16;disk:128")
	h.expect(h.settle(), offer(fw.ID, ag.ID, "role1", "cpus:0.005;mem:16;disk:128"))
}

// FrameworkFromInfo reads offer_filters like Mesos.
func TestFrameworkFromInfo(t *testing.T) {
	info := &mesospb.FrameworkInfo{
		Id:    &mesospb.FrameworkID{Value: proto.String("fw")},
		Role:  proto.String("ignored"),
		Roles: []string{"a", "b"},
		Capabilities: []*mesospb.FrameworkInfo_Capability{
			{Type: mesospb.FrameworkInfo_Capability_MULTI_ROLE.Enum()},
		},
		OfferFilters: map[string]*mesospb.OfferFilters{
			"a": {MinAllocatableResources: &mesospb.OfferFilters_MinAllocatableResources{
				Quantities: []*mesospb.OfferFilters_ResourceQuantities{
					{Quantities: map[string]*mesospb.Value_Scalar{"cpus": {Value: proto.Float64(2)}}},
				},
			}},
			"b": {MinAllocatableResources: &mesospb.OfferFilters_MinAllocatableResources{}},
			"c": {},
		},
	}
	f := FrameworkFromInfo(info, []string{"b"})
	if f.ID != "fw" || len(f.Roles) != 2 || f.Roles[0] != "a" || f.SuppressedRoles[0] != "b" {
		t.Errorf("FrameworkFromInfo = %+v", f)
	}
	if len(f.MinAllocatableResources) != 2 || f.MinAllocatableResources["a"][0].String() != "cpus:2" || len(f.MinAllocatableResources["b"]) != 0 {
		t.Errorf("MinAllocatableResources = %v", f.MinAllocatableResources)
	}
	info.Capabilities = nil
	if f := FrameworkFromInfo(info, nil); len(f.Roles) != 1 || f.Roles[0] != "ignored" {
		t.Errorf("non-MULTI_ROLE roles = %v", f.Roles)
	}
	info.Role = nil
	if f := FrameworkFromInfo(info, nil); f.Roles[0] != "*" {
		t.Errorf("default role = %v", f.Roles)
	}
}

// Re-creates HierarchicalAllocatorTest.QuotaProvidesGuarantee: a role
// with an unsatisfied guarantee gets resources first, and resources it
// declined are held back for it rather than offered to others.
func TestQuotaProvidesGuarantee(t *testing.T) {
	h := newHarness(t)
	f1 := h.addFramework([]string{"quota-role"})
	h.a.UpdateQuota("quota-role", Quota{
		Guarantees: resources.MustParseQuantities("cpus:2;mem:1024"),
		Limits:     resources.MustParseLimits("cpus:2;mem:1024"),
	})
	h.addFramework([]string{"no-quota-role"})
	h.expectNone(h.settle())

	a1 := h.addAgent("cpus:1;mem:512;disk:0")
	h.expect(h.settle(), offer(f1.ID, a1.ID, "quota-role", "cpus:1;mem:512"))
	a2 := h.addAgent("cpus:1;mem:512;disk:0")
	got := h.settle()
	h.expect(got, offer(f1.ID, a2.ID, "quota-role", "cpus:1;mem:512"))

	h.recover(got[0], 2*time.Second)
	h.expectNone(h.tick())
	h.expect(h.tick(), offer(f1.ID, a2.ID, "quota-role", "cpus:1;mem:512"))
}

// Re-creates HierarchicalAllocatorTest.QuotaProvidesLimit (with quota on
// "*", MESOS-3938): a limit caps what the role is offered and the rest of
// the agent goes to others.
func TestQuotaProvidesLimit(t *testing.T) {
	h := newHarness(t)
	f1 := h.addFramework([]string{"*"})
	h.a.UpdateQuota("*", Quota{Limits: resources.MustParseLimits("cpus:0;mem:0;disk:0")})
	a1 := h.addAgent("cpus:2;mem:1024;disk:1024")
	h.expectNone(h.settle())

	f2 := h.addFramework([]string{"no-quota-role"})
	h.expect(h.settle(), offer(f2.ID, a1.ID, "no-quota-role", "cpus:2;mem:1024;disk:1024"))

	h.a.UpdateQuota("*", Quota{Limits: resources.MustParseLimits("cpus:1;mem:512;disk:512")})
	a2 := h.addAgent("cpus:2;mem:1024;disk:1024")
	h.expect(h.settle(),
		offer(f1.ID, a2.ID, "*", "cpus:1;mem:512;disk:512"),
		offer(f2.ID, a2.ID, "no-quota-role", "cpus:1;mem:512;disk:512"))
}

// Re-creates HierarchicalAllocatorTest.QuotaAbsentFrameworkWholeAgent:
// headroom is held back for a guarantee even when the role has no
// framework.
func TestQuotaAbsentFrameworkWholeAgent(t *testing.T) {
	h := newHarness(t)
	h.a.UpdateQuota("quota-role", Quota{
		Guarantees: resources.MustParseQuantities("cpus:2;mem:1024"),
		Limits:     resources.MustParseLimits("cpus:2;mem:1024"),
	})
	fw := h.addFramework([]string{"no-quota-role"})
	h.expectNone(h.settle())
	h.addAgent("cpus:2;mem:1024")
	h.expectNone(h.settle())
	a2 := h.addAgent("cpus:2;mem:1024")
	h.expect(h.settle(), offer(fw.ID, a2.ID, "no-quota-role", "cpus:2;mem:1024"))
}

// Re-creates HierarchicalAllocatorTest.MultiQuotaAbsentFrameworks: a quota
// role without frameworks does not stop another quota role from getting
// its guarantee.
func TestMultiQuotaAbsentFrameworks(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:2;mem:2048;disk:0")
	legacy := func(s string) Quota {
		return Quota{Guarantees: resources.MustParseQuantities(s), Limits: resources.MustParseLimits(s)}
	}
	h.a.UpdateQuota("quota-role-1", legacy("cpus:1;mem:1024"))
	h.a.UpdateQuota("quota-role-2", legacy("cpus:2;mem:2048"))
	fw := h.addFramework([]string{"quota-role-2"})
	h.expect(h.settle(), offer(fw.ID, ag.ID, "quota-role-2", "cpus:2;mem:2048"))
}

// Re-creates HierarchicalAllocatorTest.DisproportionateQuotaVsAllocation:
// once a resource's guarantee is met, the role only gets the resources
// still guaranteed (the limit equals the guarantee).
func TestDisproportionateQuotaVsAllocation(t *testing.T) {
	h := newHarness(t)
	h.a.UpdateQuota("quota-role", Quota{
		Guarantees: resources.MustParseQuantities("cpus:4;mem:1024"),
		Limits:     resources.MustParseLimits("cpus:4;mem:1024"),
	})
	fw := h.addFramework([]string{"quota-role"})
	a1 := h.addAgent("cpus:2;mem:1024")
	h.expect(h.settle(), offer(fw.ID, a1.ID, "quota-role", "cpus:2;mem:1024"))
	a2 := h.addAgent("cpus:2;mem:1024")
	h.expect(h.settle(), offer(fw.ID, a2.ID, "quota-role", "cpus:2"))
}

// Re-creates HierarchicalAllocatorTestWithReservations.ReservationAllocated
// (STATIC and DYNAMIC): reservations count as consumed quota.
func TestReservationAllocated(t *testing.T) {
	for _, res := range []*mesospb.Resource_ReservationInfo{
		resources.StaticReservation("quota-role"), resources.DynamicReservation("quota-role", "ops"),
	} {
		t.Run(res.GetType().String(), func(t *testing.T) {
			h := newHarness(t)
			reserved, err := resources.MustParse("cpus:1;mem:1024").PushReservation(res)
			if err != nil {
				t.Fatal(err)
			}
			a1 := Agent{ID: "agent1", Hostname: "agent1", Total: reserved}
			h.a.AddAgent(a1, nil)
			h.a.UpdateQuota("quota-role", Quota{
				Guarantees: resources.MustParseQuantities("cpus:2;mem:2048"),
				Limits:     resources.MustParseLimits("cpus:2;mem:2048"),
			})
			fw := h.addFramework([]string{"quota-role"})
			h.expect(h.settle(), offerRes(fw.ID, a1.ID, "quota-role", reserved))
			h.nextAgent = 1
			a2 := h.addAgent("cpus:1;mem:1024")
			h.expect(h.settle(), offer(fw.ID, a2.ID, "quota-role", "cpus:1;mem:1024"))
			h.addAgent("cpus:1;mem:1024")
			h.expectNone(h.settle())
		})
	}
}

// Re-creates HierarchicalAllocatorTest.DeactivateAndReactivateFramework.
func TestDeactivateAndReactivateFramework(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:2;mem:1024;disk:0")
	fw := h.addFramework([]string{"role1"})
	want := offer(fw.ID, ag.ID, "role1", "cpus:2;mem:1024")
	got := h.settle()
	h.expect(got, want)
	h.recover(got[0], noFilter)
	h.a.SuppressOffers(fw.ID, nil)
	h.a.DeactivateFramework(fw.ID)
	h.expectNone(h.tick())
	h.a.ActivateFramework(fw.ID)
	h.a.ReviveOffers(fw.ID, nil)
	h.expect(h.settle(), want)
}

// Re-creates HierarchicalAllocatorTest.SuppressAndReviveOffers.
func TestSuppressAndReviveOffers(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:2;mem:1024;disk:0")
	fw := h.addFramework([]string{"role1"})
	want := offer(fw.ID, ag.ID, "role1", "cpus:2;mem:1024")
	got := h.settle()
	h.expect(got, want)
	// A redundant revive is harmless: nothing is free.
	h.a.ReviveOffers(fw.ID, nil)
	h.expectNone(h.settle())
	h.recover(got[0], noFilter)
	h.a.SuppressOffers(fw.ID, nil)
	h.expectNone(h.tick())
	h.a.ReviveOffers(fw.ID, nil)
	h.expect(h.settle(), want)
}

// Re-creates HierarchicalAllocatorTest.ReviveOffers: REVIVE clears decline
// filters and triggers an allocation.
func TestReviveOffers(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:2;mem:1024;disk:0")
	fw := h.addFramework([]string{"role1"})
	want := offer(fw.ID, ag.ID, "role1", "cpus:2;mem:1024")
	got := h.settle()
	h.expect(got, want)
	h.recover(got[0], 1000*time.Second)
	h.expectNone(h.tick())
	h.a.ReviveOffers(fw.ID, nil)
	if !h.a.Requested() {
		t.Error("REVIVE did not request an allocation")
	}
	h.expect(h.settle(), want)
}

// Re-creates HierarchicalAllocatorTest.SuppressAndReviveOffersWithMultiRole:
// suppression, filters and revival are per role.
func TestSuppressAndReviveOffersWithMultiRole(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"role1", "role2"})
	h.a.SuppressOffers(fw.ID, []string{"role1"})
	ag := h.addAgent("cpus:2;mem:1024;disk:0")
	got := h.settle()
	h.expect(got, offer(fw.ID, ag.ID, "role2", "cpus:2;mem:1024"))

	h.recover(got[0], 24*time.Hour)
	h.expectNone(h.tick())

	// Reviving role1 does not touch role2's filter.
	h.a.ReviveOffers(fw.ID, []string{"role1"})
	got = h.settle()
	h.expect(got, offer(fw.ID, ag.ID, "role1", "cpus:2;mem:1024"))

	h.recover(got[0], 24*time.Hour)
	h.expectNone(h.tick())
}

// Re-creates HierarchicalAllocatorTest.DontOfferOldAgentToMultiRoleFramework.
func TestDontOfferOldAgentToMultiRoleFramework(t *testing.T) {
	h := newHarness(t)
	h.addFramework([]string{"foo"}, mesospb.FrameworkInfo_Capability_MULTI_ROLE)
	ag := h.agentSpec("cpus:2;mem:1024;disk:0")
	ag.Capabilities = []mesospb.AgentInfo_Capability_Type{} // an old agent
	h.a.AddAgent(ag, nil)
	h.expectNone(h.tick())
}

// Hierarchical roles are not offered agents without HIERARCHICAL_ROLE
// (isFiltered in Mesos).
func TestNoHierarchicalRoleOnOldAgent(t *testing.T) {
	h := newHarness(t)
	nested := h.addFramework([]string{"a/b"})
	flat := h.addFramework([]string{"c"})
	ag := h.agentSpec("cpus:2;mem:1024")
	ag.Capabilities = []mesospb.AgentInfo_Capability_Type{mesospb.AgentInfo_Capability_MULTI_ROLE}
	h.a.AddAgent(ag, nil)
	got := h.settle()
	h.expect(got, offer(flat.ID, ag.ID, "c", "cpus:2;mem:1024"))
	_ = nested
}

// Re-creates HierarchicalAllocatorTest.UpdateWeight: with weights 1:2 and
// 1:2:3 the roles receive 1/3 and 2/3, then 1/6, 2/6 and 3/6.
func TestUpdateWeight(t *testing.T) {
	h := newHarness(t)
	for range 6 {
		h.addAgent("cpus:2;mem:1024")
	}
	f1 := h.addFramework([]string{"role1"})
	got := h.settle()
	if len(got) != 6 {
		t.Fatalf("framework1 should get all six agents, got %v", got)
	}
	f2 := h.addFramework([]string{"role2"})
	h.expectNone(h.settle())
	h.recoverAll(got, noFilter)

	single := resources.MustParse("cpus:2;mem:1024")
	times := func(n int) resources.Resources {
		var r resources.Resources
		for range n {
			r = r.Plus(single)
		}
		return r
	}
	check := func(got []Allocation, want map[string]int) {
		t.Helper()
		sums := map[string]resources.Resources{}
		for _, al := range got {
			for _, role := range al.Roles() {
				sums[al.FrameworkID] = sums[al.FrameworkID].Plus(al.Resources[role].Unallocate())
			}
		}
		for fw, n := range want {
			if !sums[fw].Equal(times(n)) {
				t.Errorf("%s got %s, want %d agents", fw, sums[fw], n)
			}
		}
	}

	got = h.tick()
	check(got, map[string]int{f1.ID: 3, f2.ID: 3})
	h.recoverAll(got, noFilter)

	h.a.UpdateWeights(map[string]float64{"role2": 2})
	if h.a.Requested() {
		t.Error("UpdateWeights requested an allocation")
	}
	got = h.tick()
	check(got, map[string]int{f1.ID: 2, f2.ID: 4})
	h.recoverAll(got, noFilter)

	h.a.UpdateWeights(map[string]float64{"role3": 3})
	f3 := h.addFramework([]string{"role3"})
	check(h.settle(), map[string]int{f1.ID: 1, f2.ID: 2, f3.ID: 3})
	h.checkInvariants()
}

// Re-creates HierarchicalAllocatorTest.RemoveFilters: a change of agent
// attributes removes the filters for the agent.
func TestRemoveFilters(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"role"})
	ag := h.addAgent("cpus:1;mem:512;disk:0")
	want := offer(fw.ID, ag.ID, "role", "cpus:1;mem:512")
	got := h.settle()
	h.expect(got, want)
	h.recover(got[0], 2*time.Second)
	h.expectNone(h.tick())

	attrs, err := resources.ParseAttributes("foo:bar;baz:quux")
	if err != nil {
		t.Fatal(err)
	}
	ag.Attributes = attrs
	h.a.UpdateAgent(ag)
	h.expect(h.settle(), want)
}

// Re-creates HierarchicalAllocatorTest.OversubscribedNotAllocated and
// RecoverOversubscribedResources: revocable resources go only to
// frameworks with REVOCABLE_RESOURCES.
func TestOversubscribedResources(t *testing.T) {
	t.Run("OversubscribedNotAllocated", func(t *testing.T) {
		h := newHarness(t)
		ag := h.addAgent("cpus:100;mem:100;disk:100")
		fw := h.addFramework([]string{"role1"})
		h.expect(h.settle(), offer(fw.ID, ag.ID, "role1", "cpus:100;mem:100;disk:100"))
		ag.Total = ag.Total.Plus(resources.MustParse("cpus:10").AsRevocable())
		h.a.UpdateAgent(ag)
		h.expectNone(h.settle())
	})
	t.Run("RecoverOversubscribedResources", func(t *testing.T) {
		h := newHarness(t)
		ag := h.addAgent("cpus:100;mem:100;disk:100")
		fw := h.addFramework([]string{"role1"}, mesospb.FrameworkInfo_Capability_REVOCABLE_RESOURCES)
		h.expect(h.settle(), offer(fw.ID, ag.ID, "role1", "cpus:100;mem:100;disk:100"))
		oversubscribed := resources.MustParse("cpus:10").AsRevocable()
		ag.Total = ag.Total.Plus(oversubscribed)
		h.a.UpdateAgent(ag)
		h.expect(h.settle(), offerRes(fw.ID, ag.ID, "role1", oversubscribed))

		recovered := resources.MustParse("cpus:6").AsRevocable().Plus(resources.MustParse("cpus:2"))
		h.a.RecoverResources(h.now, fw.ID, ag.ID, recovered.Allocate("role1"), nil, false)
		h.expect(h.tick(), offerRes(fw.ID, ag.ID, "role1", recovered))
		h.checkInvariants()
	})
}

// Re-creates HierarchicalAllocatorTest.UpdateAllocation with a RESERVE
// operation: a framework's dynamic reservation changes its allocation and
// the agent's total, and comes back reserved.
func TestUpdateAllocation(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:100;mem:100;disk:100")
	fw := h.addFramework([]string{"role1"})
	got := h.settle()
	h.expect(got, offer(fw.ID, ag.ID, "role1", "cpus:100;mem:100;disk:100"))

	consumed := resources.MustParse("cpus:25;mem:50")
	reserved, err := consumed.PushReservation(resources.DynamicReservation("role1", "ops"))
	if err != nil {
		t.Fatal(err)
	}
	h.a.UpdateAllocation(fw.ID, ag.ID, consumed.Allocate("role1"), reserved.Allocate("role1"))
	updated, err := got[0].Resources["role1"].Apply(consumed.Allocate("role1"), reserved.Allocate("role1"))
	if err != nil {
		t.Fatal(err)
	}
	h.checkInvariants()
	h.a.RecoverResources(h.now, fw.ID, ag.ID, updated, nil, false)
	h.expect(h.tick(), Allocation{FrameworkID: fw.ID, AgentID: ag.ID, Resources: map[string]resources.Resources{"role1": updated}})

	// The reservation is only for role1.
	h.recoverAll([]Allocation{{FrameworkID: fw.ID, AgentID: ag.ID, Resources: map[string]resources.Resources{"role1": updated}}}, time.Hour)
	other := h.addFramework([]string{"role2"})
	h.expect(h.settle(), offer(other.ID, ag.ID, "role2", "cpus:75;mem:50;disk:100"))
	h.checkInvariants()
}

// Re-creates HierarchicalAllocatorTest.UpdateAvailableSuccess and
// UpdateAvailableFail: an operator reservation on unallocated resources.
func TestUpdateAvailable(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:100;mem:100;disk:100")
	unreserved := resources.MustParse("cpus:25;mem:50")
	reserved, _ := unreserved.PushReservation(resources.DynamicReservation("role1", "ops"))
	if err := h.a.UpdateAvailable(ag.ID, unreserved, reserved); err != nil {
		t.Fatal(err)
	}
	want, _ := ag.Total.Apply(unreserved, reserved)
	fw := h.addFramework([]string{"role1"})
	h.expect(h.settle(), offerRes(fw.ID, ag.ID, "role1", want))
	// Everything is offered now: reserving again fails.
	if err := h.a.UpdateAvailable(ag.ID, unreserved, reserved); err == nil {
		t.Error("UpdateAvailable of offered resources succeeded")
	}
	h.checkInvariants()
}

// GPU filtering (--filter_gpu_resources, MESOS-5634): an agent with GPUs
// is offered only to frameworks with GPU_RESOURCES, and not at all to
// the others, even its CPUs.
func TestFilterGPUResources(t *testing.T) {
	for _, filter := range []bool{true, false} {
		t.Run("filter="+map[bool]string{true: "true", false: "false"}[filter], func(t *testing.T) {
			h := newHarness(t, func(o *Options) { o.FilterGPUResources = filter })
			plain := h.addFramework([]string{"role1"})
			gpuAgent := h.addAgent("cpus:4;mem:1024;gpus:1")
			cpuAgent := h.addAgent("cpus:4;mem:1024")
			if filter {
				h.expect(h.settle(), offer(plain.ID, cpuAgent.ID, "role1", "cpus:4;mem:1024"))
				gpu := h.addFramework([]string{"role2"}, mesospb.FrameworkInfo_Capability_GPU_RESOURCES)
				h.expect(h.settle(), offer(gpu.ID, gpuAgent.ID, "role2", "cpus:4;mem:1024;gpus:1"))
			} else {
				h.expect(h.settle(),
					offer(plain.ID, gpuAgent.ID, "role1", "cpus:4;mem:1024;gpus:1"),
					offer(plain.ID, cpuAgent.ID, "role1", "cpus:4;mem:1024"))
			}
		})
	}
}

// REGION_AWARE: agents in another region than the master's are offered
// only to region-aware frameworks.
func TestRegionAware(t *testing.T) {
	domain := func(region string) *mesospb.DomainInfo {
		return &mesospb.DomainInfo{FaultDomain: &mesospb.DomainInfo_FaultDomain{
			Region: &mesospb.DomainInfo_FaultDomain_RegionInfo{Name: proto.String(region)},
			Zone:   &mesospb.DomainInfo_FaultDomain_ZoneInfo{Name: proto.String(region + "a")},
		}}
	}
	h := newHarness(t, func(o *Options) { o.Domain = domain("us-east") })
	plain := h.addFramework([]string{"r"})
	remote := h.agentSpec("cpus:1;mem:64")
	remote.Domain = domain("eu-west")
	h.a.AddAgent(remote, nil)
	local := h.agentSpec("cpus:1;mem:64")
	local.Domain = domain("us-east")
	h.a.AddAgent(local, nil)
	h.expect(h.settle(), offer(plain.ID, local.ID, "r", "cpus:1;mem:64"))
	aware := h.addFramework([]string{"r"}, mesospb.FrameworkInfo_Capability_REGION_AWARE)
	h.expect(h.settle(), offer(aware.ID, remote.ID, "r", "cpus:1;mem:64"))
}

// Deactivated agents (DEACTIVATE_AGENT, draining) are not offered, and
// reactivation does not itself trigger an allocation.
func TestInactiveAgent(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"role1"})
	ag := h.addAgent("cpus:1;mem:64")
	h.a.DeactivateAgent(ag.ID)
	h.expectNone(h.settle())
	h.expectNone(h.tick())
	h.a.ActivateAgent(ag.ID)
	if h.a.Requested() {
		t.Error("ActivateAgent requested an allocation")
	}
	h.expect(h.tick(), offer(fw.ID, ag.ID, "role1", "cpus:1;mem:64"))
}

// Inactive frameworks get nothing; a framework added inactive (a failed
// over master recovering it) holds on to its used resources.
func TestInactiveFramework(t *testing.T) {
	h := newHarness(t)
	ag := h.agentSpec("cpus:4;mem:1024")
	fw := h.frameworkSpec([]string{"role1"})
	used := resources.MustParse("cpus:1;mem:128").Allocate("role1")
	h.a.AddAgent(ag, map[string]resources.Resources{fw.ID: used})
	h.a.AddFramework(fw, map[string]resources.Resources{ag.ID: used}, false)
	h.expectNone(h.settle())
	h.expectNone(h.tick())
	if share := h.a.DominantShare("role1"); share != 0.25 {
		t.Errorf("share of role1 = %v, want 0.25", share)
	}
	h.a.ActivateFramework(fw.ID)
	h.expect(h.settle(), offer(fw.ID, ag.ID, "role1", "cpus:3;mem:896"))
	h.checkInvariants()
}

// Used resources come back when tasks end; filters from an ACCEPT's
// unused part apply only to what was refused.
func TestFilterIsSubsetBased(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"role1"})
	ag := h.addAgent("cpus:4;mem:1024")
	got := h.settle()
	h.expect(got, offer(fw.ID, ag.ID, "role1", "cpus:4;mem:1024"))

	// Launch a task with cpus:1;mem:256 and decline the rest for an hour.
	task := resources.MustParse("cpus:1;mem:256").Allocate("role1")
	h.a.TransitionOfferedToAllocated(ag.ID, task)
	rest := got[0].Resources["role1"].Minus(task)
	h.a.RecoverResources(h.now, fw.ID, ag.ID, rest, &mesospb.Filters{RefuseSeconds: proto.Float64(3600)}, false)
	h.expectNone(h.tick())

	// The task ends: now cpus:4;mem:1024 are free, more than refused,
	// so the filter no longer matches.
	h.a.RecoverResources(h.now, fw.ID, ag.ID, task, nil, true)
	h.expect(h.tick(), offer(fw.ID, ag.ID, "role1", "cpus:4;mem:1024"))
	h.checkInvariants()
}

// Refuse seconds follow Mesos: 0 means no filter, negative means 5s, more
// than a year is a year.
func TestRefuseDuration(t *testing.T) {
	f := func(s float64) *mesospb.Filters { return &mesospb.Filters{RefuseSeconds: proto.Float64(s)} }
	tests := []struct {
		in   *mesospb.Filters
		want time.Duration
	}{
		{nil, 0},
		{&mesospb.Filters{}, 5 * time.Second},
		{f(0), 0},
		{f(0.5), 500 * time.Millisecond},
		{f(-1), 5 * time.Second},
		{f(1e12), 365 * 24 * time.Hour},
	}
	for _, tt := range tests {
		if got := RefuseDuration(tt.in); got != tt.want {
			t.Errorf("RefuseDuration(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// Mesos triggers allocation runs on exactly these events.
func TestWhichEventsRequestAllocation(t *testing.T) {
	h := newHarness(t)
	check := func(what string, want bool) []Allocation {
		t.Helper()
		if got := h.a.Requested(); got != want {
			t.Errorf("after %s: Requested() = %v, want %v", what, got, want)
		}
		return h.a.AllocateRequested(h.now)
	}
	ag := h.addAgent("cpus:1;mem:64")
	check("AddAgent", true)
	fw := h.addFramework([]string{"r"})
	got := check("AddFramework", true)
	h.a.RecoverResources(h.now, fw.ID, ag.ID, got[0].Resources["r"], nil, false)
	check("RecoverResources", false)
	h.a.SuppressOffers(fw.ID, nil)
	check("SuppressOffers", false)
	h.a.ReviveOffers(fw.ID, nil)
	check("ReviveOffers", true)
	h.a.UpdateWeights(map[string]float64{"r": 2})
	check("UpdateWeights", false)
	h.a.UpdateQuota("r", Quota{Guarantees: resources.MustParseQuantities("cpus:1")})
	check("UpdateQuota", false)
	h.a.DeactivateFramework(fw.ID)
	check("DeactivateFramework", false)
	h.a.ActivateFramework(fw.ID)
	check("ActivateFramework", true)
	h.a.UpdateAgent(ag)
	check("UpdateAgent without change", false)
	ag.Hostname = "renamed"
	h.a.UpdateAgent(ag)
	check("UpdateAgent with change", true)
	h.a.DeactivateAgent(ag.ID)
	h.a.ActivateAgent(ag.ID)
	check("ActivateAgent", false)
}

// RemoveAgent and RemoveFramework give everything back.
func TestRemove(t *testing.T) {
	h := newHarness(t)
	f1 := h.addFramework([]string{"a"})
	f2 := h.addFramework([]string{"b"})
	a1 := h.addAgent("cpus:1;mem:64")
	a2 := h.addAgent("cpus:1;mem:64")
	got := h.settle()
	if len(got) != 2 {
		t.Fatalf("got %v", got)
	}
	h.a.RemoveFramework(got[0].FrameworkID)
	h.checkInvariants()
	// The other framework gets the freed agent on the next tick.
	other := f1.ID
	if got[0].FrameworkID == f1.ID {
		other = f2.ID
	}
	h.expect(h.tick(), offer(other, got[0].AgentID, map[string]string{f1.ID: "a", f2.ID: "b"}[other], "cpus:1;mem:64"))
	h.a.RemoveAgent(a1.ID)
	h.a.RemoveAgent(a2.ID)
	h.checkInvariants()
	if s := h.a.DominantShare(map[string]string{f1.ID: "a", f2.ID: "b"}[other]); s != 0 {
		t.Errorf("share after removing all agents = %v", s)
	}
	// Recovering resources of a removed agent is ignored.
	h.a.RecoverResources(h.now, other, a1.ID, resources.MustParse("cpus:1").Allocate("a"), nil, false)
	h.expectNone(h.tick())
}

// A framework that leaves a role keeps being tracked under it while it
// holds resources there, and its filters for the role are dropped.
func TestUpdateFrameworkRoles(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"a"})
	ag := h.addAgent("cpus:2;mem:64")
	got := h.settle()
	h.expect(got, offer(fw.ID, ag.ID, "a", "cpus:2;mem:64"))

	fw.Roles = []string{"b"}
	h.a.UpdateFramework(fw)
	h.expectNone(h.settle())
	if h.a.DominantShare("a") != 1 {
		t.Errorf("role a should still hold the agent")
	}
	h.a.RecoverResources(h.now, fw.ID, ag.ID, got[0].Resources["a"], nil, false)
	if h.a.roles["a"] != nil {
		t.Errorf("role a should be gone once empty")
	}
	h.expect(h.tick(), offer(fw.ID, ag.ID, "b", "cpus:2;mem:64"))

	// Suppressed roles via UpdateFramework; unsuppressing revives
	// without requesting a run (MESOS-9932).
	h.recoverAll(h.a.Allocate(h.now), noFilter)
	fw.SuppressedRoles = []string{"b"}
	h.a.UpdateFramework(fw)
	h.expectNone(h.tick())
	fw.SuppressedRoles = nil
	h.a.UpdateFramework(fw)
	if h.a.Requested() {
		t.Error("unsuppressing through UpdateFramework requested a run")
	}
	h.checkInvariants()
}

// The random sorter is reproducible from the seed.
func TestRandomSorterSeeded(t *testing.T) {
	run := func(seed uint64) []string {
		h := newHarness(t, func(o *Options) {
			o.RoleSorter, o.FrameworkSorter, o.Seed = RandomSorter, RandomSorter, seed
		})
		for i := range 4 {
			h.addFramework([]string{[]string{"a", "b"}[i%2]})
		}
		for range 8 {
			h.addAgent("cpus:1;mem:64")
		}
		var out []string
		for _, al := range h.settle() {
			out = append(out, al.String())
		}
		return out
	}
	a, b := run(7), run(7)
	if len(a) != 8 || len(b) != 8 {
		t.Fatalf("want 8 allocations, got %d and %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different results:\n%v\n%v", a, b)
		}
	}
	differs := false
	for seed := uint64(1); seed < 20 && !differs; seed++ {
		c := run(seed)
		for i := range a {
			if c[i] != a[i] {
				differs = true
			}
		}
	}
	if !differs {
		t.Error("the seed does not influence the random sorter")
	}
}

// Re-creates HierarchicalAllocatorTest.UpdateSlaveOversubscribedResources:
// the revocable estimate grows and shrinks under an allocation.
func TestUpdateSlaveOversubscribedResources(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:100;mem:100;disk:100")
	base := ag.Total
	fw := h.addFramework([]string{"role1"}, mesospb.FrameworkInfo_Capability_REVOCABLE_RESOURCES)
	h.expect(h.settle(), offerRes(fw.ID, ag.ID, "role1", base))
	rev := func(n string) resources.Resources { return resources.MustParse("cpus:" + n).AsRevocable() }
	ag.Total = base.Plus(rev("10"))
	h.a.UpdateAgent(ag)
	h.expect(h.settle(), offerRes(fw.ID, ag.ID, "role1", rev("10")))
	ag.Total = base.Plus(rev("12"))
	h.a.UpdateAgent(ag)
	h.expect(h.settle(), offerRes(fw.ID, ag.ID, "role1", rev("2")))
	ag.Total = base.Plus(rev("5"))
	h.a.UpdateAgent(ag)
	h.expectNone(h.settle())
}

// Re-creates HierarchicalAllocatorTest.UpdateSlaveTotalResources: an agent
// can be overallocated after its total shrinks; recovered resources that
// are no longer in the total disappear.
func TestUpdateSlaveTotalResources(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:100;mem:100;disk:100")
	original := ag.Total
	fw := h.addFramework([]string{"role1"})
	first := h.settle()
	h.expect(first, offerRes(fw.ID, ag.ID, "role1", original))

	ag.Total = original.Plus(resources.MustParse("cpus:12"))
	h.a.UpdateAgent(ag)
	second := h.settle()
	h.expect(second, offer(fw.ID, ag.ID, "role1", "cpus:12"))

	ag.Total = resources.MustParse("cpus:50;mem:50;disk:50")
	h.a.UpdateAgent(ag)
	h.expectNone(h.settle())
	h.a.RecoverResources(h.now, fw.ID, ag.ID, first[0].Resources["role1"].Plus(second[0].Resources["role1"]), nil, false)
	third := h.tick()
	h.expect(third, offer(fw.ID, ag.ID, "role1", "cpus:50;mem:50;disk:50"))

	ag.Total = original
	h.a.UpdateAgent(ag)
	h.expect(h.settle(), offer(fw.ID, ag.ID, "role1", "cpus:50;mem:50;disk:50"))
	h.checkInvariants()
}

func TestParseMinAllocatableResources(t *testing.T) {
	got, err := ParseMinAllocatableResources("cpus:0.01|mem:32||ports:3;disk:1")
	if err != nil {
		t.Fatal(err)
	}
	var strs []string
	for _, q := range got {
		strs = append(strs, q.String())
	}
	if want := []string{"cpus:0.01", "mem:32", "disk:1;ports:3"}; !slices.Equal(strs, want) {
		t.Errorf("got %v, want %v", strs, want)
	}
	if _, err := ParseMinAllocatableResources("cpus:-1"); err == nil {
		t.Error("negative minimum accepted")
	}
	// A zero alternative accepts anything.
	h := newHarness(t, func(o *Options) { o.MinAllocatableResources, _ = ParseMinAllocatableResources("cpus:0") })
	fw := h.addFramework([]string{"r"})
	ag := h.addAgent("disk:1")
	h.expect(h.settle(), offer(fw.ID, ag.ID, "r", "disk:1"))
}

// Expired filters that are never consulted again are swept away.
func TestFilterSweep(t *testing.T) {
	h := newHarness(t)
	fw := h.addFramework([]string{"r"})
	for range 1100 {
		h.addAgent("cpus:1;mem:64")
	}
	got := h.settle()
	if len(got) != 1100 {
		t.Fatalf("got %d offers", len(got))
	}
	h.recoverAll(got, 2*time.Second)
	for id := range h.agents {
		h.a.DeactivateAgent(id)
	}
	if h.a.filterCount != 1100 {
		t.Fatalf("filter count = %d", h.a.filterCount)
	}
	h.advance(3 * time.Second)
	h.expectNone(h.a.Allocate(h.now))
	if h.a.filterCount != 0 {
		t.Errorf("filter count after sweep = %d, want 0", h.a.filterCount)
	}
	h.checkInvariants()
	_ = fw
}

// Re-creates HierarchicalAllocatorTest.QuotaAgainstStarvation: once a role
// gets quota, it is offered freed resources before a role with a lower
// share, and refuse_seconds 0 installs no filter.
func TestQuotaAgainstStarvation(t *testing.T) {
	h := newHarness(t)
	f1 := h.addFramework([]string{"quota-role"})
	f2 := h.addFramework([]string{"no-quota-role"})
	a1 := h.agentSpec("cpus:1;mem:512;disk:0")
	h.a.AddAgent(a1, map[string]resources.Resources{f1.ID: a1.Total.Allocate("quota-role")})
	a2 := h.addAgent("cpus:1;mem:512;disk:0")
	want2 := offer(f2.ID, a2.ID, "no-quota-role", "cpus:1;mem:512")
	got := h.settle()
	h.expect(got, want2)

	h.recover(got[0], 0)
	got = h.tick()
	h.expect(got, want2)
	h.recover(got[0], 0)

	h.a.UpdateQuota("quota-role", Quota{
		Guarantees: resources.MustParseQuantities("cpus:2;mem:1024"),
		Limits:     resources.MustParseLimits("cpus:2;mem:1024"),
	})
	h.expect(h.tick(), offer(f1.ID, a2.ID, "quota-role", "cpus:1;mem:512"))
}

// TestWhatIsOffered is a table of single-agent cases for the rules that
// decide whether, and what, a framework is offered: capabilities, agent
// capabilities, reservations and minimum allocatable resources.
func TestWhatIsOffered(t *testing.T) {
	const (
		gpu        = mesospb.FrameworkInfo_Capability_GPU_RESOURCES
		revocable  = mesospb.FrameworkInfo_Capability_REVOCABLE_RESOURCES
		refinement = mesospb.FrameworkInfo_Capability_RESERVATION_REFINEMENT
	)
	refined, _ := resources.MustParse("cpus(eng):1").PushReservation(resources.DynamicReservation("eng/web", ""))
	tests := []struct {
		name   string
		opts   func(*Options)
		agent  resources.Resources
		agCaps []mesospb.AgentInfo_Capability_Type // nil: all
		role   string
		caps   []mesospb.FrameworkInfo_Capability_Type
		want   string // offered resources, "" for no offer
		all    bool   // the whole agent is offered
	}{
		{name: "plain", agent: resources.MustParse("cpus:2;mem:64"), role: "r", want: "cpus:2;mem:64"},
		{name: "gpu agent without GPU_RESOURCES", agent: resources.MustParse("cpus:2;mem:64;gpus:1"), role: "r"},
		{name: "gpu agent with GPU_RESOURCES", agent: resources.MustParse("cpus:2;mem:64;gpus:1"), role: "r",
			caps: []mesospb.FrameworkInfo_Capability_Type{gpu}, want: "cpus:2;mem:64;gpus:1"},
		{name: "gpu filter off", opts: func(o *Options) { o.FilterGPUResources = false },
			agent: resources.MustParse("cpus:2;mem:64;gpus:1"), role: "r", want: "cpus:2;mem:64;gpus:1"},
		{name: "revocable stripped", agent: resources.MustParse("cpus:2;mem:64").Plus(resources.MustParse("cpus:8").AsRevocable()),
			role: "r", want: "cpus:2;mem:64"},
		{name: "only revocable, not capable", agent: resources.MustParse("cpus:8").AsRevocable(), role: "r"},
		{name: "revocable offered", agent: resources.MustParse("cpus:2;mem:64").Plus(resources.MustParse("cpus:8").AsRevocable()),
			role: "r", caps: []mesospb.FrameworkInfo_Capability_Type{revocable}, all: true},
		{name: "other role's reservation", agent: resources.MustParse("cpus:2;mem:64;cpus(other):4"), role: "r", want: "cpus:2;mem:64"},
		{name: "own reservation", agent: resources.MustParse("cpus:2;mem:64;cpus(r):4"), role: "r", want: "cpus:2;mem:64;cpus(r):4"},
		{name: "parent's reservation", agent: resources.MustParse("mem:64;cpus(r):4"), role: "r/sub", want: "mem:64;cpus(r):4"},
		{name: "child's reservation", agent: resources.MustParse("mem:64;cpus(r/sub):4"), role: "r", want: "mem:64"},
		{name: "refined, not capable", agent: refined.Plus(resources.MustParse("mem:64")), role: "eng/web", want: "mem:64"},
		{name: "refined, capable", agent: refined.Plus(resources.MustParse("mem:64")), role: "eng/web",
			caps: []mesospb.FrameworkInfo_Capability_Type{refinement}, all: true},
		{name: "old agent, multi-role framework", agent: resources.MustParse("cpus:2;mem:64"),
			agCaps: []mesospb.AgentInfo_Capability_Type{}, role: "r"},
		{name: "below the minimum", agent: resources.MustParse("cpus:0.005;mem:31;disk:1000"), role: "r"},
		{name: "minimum met by ports", opts: func(o *Options) { o.MinAllocatableResources, _ = ParseMinAllocatableResources("ports:2") },
			agent: resources.MustParse("ports:[1-2]"), role: "r", want: "ports:[1-2]"},
		{name: "no minimum", opts: func(o *Options) { o.MinAllocatableResources = nil },
			agent: resources.MustParse("disk:1"), role: "r", want: "disk:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []func(*Options){}
			if tt.opts != nil {
				opts = append(opts, tt.opts)
			}
			h := newHarness(t, opts...)
			fw := h.addFramework([]string{tt.role}, tt.caps...)
			h.a.AddAgent(Agent{ID: "agent1", Hostname: "agent1", Total: tt.agent, Capabilities: tt.agCaps}, nil)
			got := h.settle()
			switch {
			case tt.all:
				h.expect(got, offerRes(fw.ID, "agent1", tt.role, tt.agent))
			case tt.want == "":
				h.expectNone(got)
			default:
				h.expect(got, offer(fw.ID, "agent1", tt.role, tt.want))
			}
		})
	}
}
