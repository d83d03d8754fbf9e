// Package allocator decides which framework is offered which agent's
// resources. It defines the [Allocator] interface the master drives and
// implements it with [Hierarchical], a re-creation of the hierarchical DRF
// allocator of Mesos 1.11 (src/master/allocator/mesos/hierarchical.cpp,
// sorter/drf/sorter.cpp, sorter/random/sorter.cpp): weighted DRF between
// roles in a role tree and between the frameworks of a role, quota
// guarantees and limits with headroom, static, dynamic and refined
// reservations, decline filters, suppression and revival, minimum
// allocatable resources, GPU and region filtering.
//
// The allocator is a pure state machine: no goroutines, no clock, no
// global randomness. Time is an argument of every call that needs it and
// randomness comes from [Options.Seed], so the same inputs always produce
// the same offers.
//
// # Usage
//
//	a := allocator.New(allocator.DefaultOptions())
//	a.AddAgent(allocator.Agent{ID: "S0", Hostname: "h0", Total: resources.MustParse("cpus:4;mem:8192")}, nil)
//	a.AddFramework(allocator.FrameworkFromInfo(info, nil), nil, true)
//	if a.Requested() {
//		offers := a.AllocateRequested(now) // right after the event
//	}
//	offers := a.Allocate(now) // every allocation interval (1s)
//	// ... the framework declines an offer:
//	a.RecoverResources(now, fwID, agentID, offered, &mesospb.Filters{RefuseSeconds: proto.Float64(5)}, false)
//
// Each [Allocation] is what one framework gets on one agent, by role; the
// master turns it into one offer per role. Resources are allocated
// ([resources.Resources.Allocate]) to their role, as in Mesos.
//
// # When allocation runs
//
// The master decides when to call the allocator, as Mesos's master does
// with its allocation timer; the allocator only says when an event asked
// for a run ([Allocator.Requested]). In Mesos:
//
//   - a periodic run over all agents every --allocation_interval (1s):
//     call [Allocator.Allocate];
//   - an immediate run over all agents after AddFramework (of an active
//     framework), ActivateFramework and ReviveOffers;
//   - an immediate run over one agent after AddAgent and UpdateAgent (when
//     something changed);
//   - no run after RecoverResources (declines, finished tasks, rescinds:
//     MESOS-3078), UpdateWeights, UpdateQuota, SuppressOffers,
//     UpdateFramework (even when it unsuppresses roles, MESOS-9932),
//     agent (re)activation, removals, or filter expiry. Freed resources
//     wait for the next periodic run.
//
// Mesos batches requests: the agents asked for accumulate and at most one
// run is pending, so several events at one instant cause one run. Call
// [Allocator.AllocateRequested] once after handling the inputs of an
// instant.
//
// # One allocation run
//
// A run (Mesos's __generateOffers) looks at the candidate agents that are
// activated, in a shuffled order:
//
//  1. Quota accounting. For every role with quota, consumed quota is what
//     the role and its subroles hold unreserved and non-revocable
//     (offered or allocated) plus all their reservations. Required
//     headroom is the sum of the unsatisfied guarantees; available
//     headroom is the cluster total minus everything offered or
//     allocated, minus unallocated reservations, minus available
//     revocable resources.
//  2. Stage 1, guarantees. For each agent, for each role in role-sorter
//     order whose guarantee is not met, for each of its frameworks in
//     framework-sorter order: the framework may take the unreserved
//     non-revocable scalars cut down to the unsatisfied guarantee, plus
//     the role's reservations, non-scalar and revocable resources, plus
//     more unreserved scalars up to its limit and within the surplus
//     headroom (available minus required).
//  3. Stage 2, fair share. The agents are shuffled again; for each agent,
//     for each role, for each framework: everything the role may use on
//     the agent (unreserved resources and the reservations of the role and
//     its ancestors), with the unreserved scalars cut to the role's limit
//     and to the surplus headroom. The first framework that takes the
//     offer gets all of it: offers are whole agents, and only quota splits
//     an agent between roles.
//
// A framework is skipped for an agent when the candidate offer does not
// contain the minimum allocatable resources (the framework's
// offer_filters for the role, else --min_allocatable_resources,
// "cpus:0.01|mem:32"); when the agent has GPUs and the framework lacks
// GPU_RESOURCES (--filter_gpu_resources); when the agent is in another
// region and the framework lacks REGION_AWARE; when the framework is
// MULTI_ROLE and the agent is not; when the role is hierarchical and the
// agent lacks HIERARCHICAL_ROLE; or when the offer is a subset of
// resources the framework declined with a filter that has not expired.
// Revocable resources, shared volumes and refined reservations are
// removed from offers to frameworks without REVOCABLE_RESOURCES,
// SHARED_RESOURCES and RESERVATION_REFINEMENT. Suppressed roles and
// inactive frameworks are not in the sorters at all.
//
// A decline filter lasts max(refuse_seconds, allocation interval)
// (MESOS-4302) on virtual time and hides only offers that are a subset of
// the declined resources. REVIVE clears the filters of the revived roles,
// deactivating a framework clears all of its filters, and a change of an
// agent's attributes clears the filters for that agent.
//
// # Ordering and tie-breaks
//
// Roles form a tree ("eng/backend" under "eng"); a role's share is that
// of its whole subtree, and roles compete with their siblings only. The
// role sorter returns the active leaves in pre-order; the framework sorter
// of a role returns its active (not suppressed, not deactivated)
// frameworks. Both order siblings exactly as Mesos's DRFSorter does:
//
//  1. by weighted dominant share: the largest fraction of the cluster
//     total held of any scalar resource (resources excluded from fair
//     sharing and resources with no total are skipped), divided by the
//     role's weight (frameworks have weight 1). The fractions are
//     computed on the doubles Mesos holds (fixed point converted back),
//     so exact ties are the same ties as in Mesos;
//  2. then by allocation count, lowest first: the number of times the
//     client (and, for an inner node, its subtree) has been allocated
//     something, one per agent per stage, never decremented, reset when
//     the client leaves the sorter. Two frameworks with equal shares
//     therefore take turns;
//  3. then by path: the role path ("a/." stands for role "a" when "a/b"
//     also has frameworks) or the framework ID, in byte order.
//
// With the random sorter, siblings are shuffled with probabilities
// proportional to their weights instead.
//
// # Differences from Mesos
//
// Deliberate differences, for determinism or because the simulator has no
// use for the feature:
//
//   - Agent order: Mesos shuffles the candidate agents at random twice per
//     run; we shuffle the ID-sorted candidates with a PCG stream seeded
//     with (Options.Seed, run number). The random sorter draws from the
//     same stream (Mesos: a default-seeded mt19937).
//   - Chopping resources to a quota or headroom visits them in order where
//     Mesos shuffles them.
//   - Filter expiry is evaluated at run time rather than by timers. When a
//     run falls exactly on a filter's expiry, Mesos's outcome depends on
//     which timer was created first; we reproduce it: a filter of at most
//     one allocation interval still applies, a longer one does not (see
//     Mesos's OfferFilter and SmallOfferFilterTimeout tests).
//   - Event-driven runs happen when the master calls AllocateRequested.
//   - Allocations come out sorted by framework ID, then agent ID.
//   - Shared persistent volumes count in DRF shares once per copy offered
//     (Mesos: once per framework per agent).
//   - A weight change on an inner role that has no frameworks of its own
//     always takes effect (Mesos caches such a node's weight).
//   - ReviveOffers and UpdateFramework do not reactivate roles of an
//     inactive framework (Mesos does, but its master never asks).
//   - Unknown framework or agent IDs panic (Mesos CHECK-fails), except in
//     RecoverResources, which ignores what is gone, as Mesos does.
//     Quota on a nested role panics (the master rejects it with 400).
//     An agent with a fault domain under a master without one is local
//     (Mesos CHECK-fails).
//   - UpdateAllocation takes one (consumed, converted) pair instead of a
//     list of resource conversions.
//   - Not implemented: the agent whitelist, offer constraints (1.11),
//     maintenance and inverse offers, resource providers, pausing during
//     master failover recovery, metrics (a few accessors such as
//     [Hierarchical.DominantShare] and [Hierarchical.ActiveOfferFilters]
//     remain).
package allocator
