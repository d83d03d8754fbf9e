package allocator

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// runState is scratch space reused across allocation runs.
type runState struct {
	q struct{ all, reserved, quota qvec }

	candidates    []*agent
	offers        []offerRecord
	offeredShared map[*agent]resources.Resources

	required  qvec // required quota headroom
	headroom  qvec // available quota headroom
	unsat     qvec
	surplus   qvec
	inc, incG qvec
	budget    budget
}

type offerRecord struct {
	cl  *client
	ag  *agent
	res resources.Resources // unallocated
}

// Allocate implements [Allocator].
func (a *Hierarchical) Allocate(now time.Time) []Allocation {
	cands := append(a.run.candidates[:0], a.sortedAgents()...)
	a.clearRequests()
	return a.generate(now, cands)
}

// AllocateRequested implements [Allocator].
func (a *Hierarchical) AllocateRequested(now time.Time) []Allocation {
	if !a.Requested() {
		a.clearRequests()
		return nil
	}
	var cands []*agent
	if a.requestAll {
		cands = append(a.run.candidates[:0], a.sortedAgents()...)
	} else {
		cands = a.run.candidates[:0]
		for _, ag := range a.requested {
			if !ag.removed {
				cands = append(cands, ag)
			}
		}
		slices.SortFunc(cands, func(x, y *agent) int { return strings.Compare(x.id, y.id) })
	}
	a.clearRequests()
	return a.generate(now, cands)
}

// Cycles returns the number of allocation runs so far.
func (a *Hierarchical) Cycles() uint64 { return a.cycle }

// generate is Mesos's __generateOffers over the candidate agents, which
// are sorted by ID.
func (a *Hierarchical) generate(now time.Time, cands []*agent) []Allocation {
	a.cycle++
	rng := rand.New(rand.NewPCG(a.opts.Seed, a.cycle))
	a.env.rng = rng
	a.sweepFilters(now)
	run := &a.run
	run.offers = run.offers[:0]
	clear(run.offeredShared)

	// Deactivated agents get no offers. Mesos shuffles the agents at
	// random; we shuffle the ID-sorted list with the run's seed.
	ids := cands[:0]
	for _, ag := range cands {
		if ag.activated && !ag.removed {
			ids = append(ids, ag)
		}
	}
	a.run.candidates = cands
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })

	a.quotaAccounting()

	// Stage 1: roles with unsatisfied quota guarantees.
	if len(a.quotas) > 0 {
		for _, ag := range ids {
			a.stageGuarantees(now, ag)
		}
	}

	// Stage 2: everything else. Mesos shuffles again to spread the
	// effect of the first stage, which favours the front of the list.
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	for _, ag := range ids {
		a.stageFairShare(now, ag)
	}

	a.env.rng = nil
	return a.emit()
}

// quotaAccounting computes, for the roles with quota, how much of it they
// consume, and the headroom: the unreserved non-revocable resources that
// must stay unallocated so that unsatisfied guarantees can still be met,
// and what is available for that.
func (a *Hierarchical) quotaAccounting() {
	run := &a.run
	run.required.reset()
	for _, r := range a.roles {
		r.consumedInRunOK = false
	}
	for _, name := range sortedKeys(a.quotas) {
		qs := a.quotas[name]
		// Consumed quota = offered or allocated unreserved non-revocable
		// resources plus all reservations, of the role and its subroles.
		var consumed qvec
		if r := a.roles[name]; r != nil {
			r.consumedInRun.set(r.ooaUnreservedQ)
			r.consumedInRun.add(r.reservationsQ)
			r.consumedInRunOK = true
			consumed = r.consumedInRun
		}
		need := qs.guarantees.clone()
		need.sub(consumed)
		run.required.add(need)
	}
	// Available headroom = total - offered or allocated - unallocated
	// reservations - available revocable resources.
	run.headroom.set(a.env.total)
	run.headroom.sub(a.roleSorter.root.alloc)
	root := a.roles[""]
	unallocatedReservations := root.reservationsQ.clone()
	unallocatedReservations.sub(root.ooaReservedQ)
	run.headroom.sub(unallocatedReservations)
	run.headroom.sub(a.availableRevocable)
}

func (a *Hierarchical) stageGuarantees(now time.Time, ag *agent) {
	run := &a.run
	for _, rn := range a.roleSorter.sorted() {
		r := rn.role
		qs := a.quotas[r.name]
		if qs == nil || qs.guarantees.isZero() || !r.consumedInRunOK {
			continue
		}
		if ag.available.IsEmpty() {
			return
		}
		run.unsat.set(qs.guarantees)
		run.unsat.sub(r.consumedInRun)
		if run.unsat.isZero() {
			continue
		}
		var base availableCache
		for _, fn := range r.fwSorter.sorted() {
			if run.unsat.isZero() {
				break
			}
			cl := fn.client
			fw := cl.fw
			avail := base.get(a, ag, r)
			if avail.IsEmpty() {
				break
			}
			if !a.allocatable(avail, r.name, fw) || !a.capable(fw, ag) {
				continue
			}
			avail = a.strip(avail, fw, ag, base.refined)
			quotaRes := avail.Filter(isQuotaResource)
			g := quotaRes.ShrinkWith(run.budget.quantities(&a.names, run.unsat))
			if g.IsEmpty() {
				continue
			}
			// The role's own reservations, non-scalars and revocable
			// resources always go with the guarantee.
			toOffer := g.Plus(avail.Filter(func(res resources.Resource) bool {
				return res.ReservationRole() == r.name || res.Type() != mesospb.Value_SCALAR || res.IsRevocable()
			}))
			additional := quotaRes.Minus(g)
			run.incG = run.incG[:0]
			a.names.scalarSplit(g, &run.incG, nil, nil)
			if !qs.limits.isEmpty() {
				additional = additional.ShrinkWith(run.budget.limits(&a.names, qs.limits, r.consumedInRun, run.incG))
			}
			if !run.required.isZero() && !additional.IsEmpty() {
				run.surplus.set(run.headroom)
				run.surplus.sub(run.required)
				additional = additional.ShrinkWith(run.budget.quantities(&a.names, run.surplus))
			}
			toOffer = toOffer.Plus(additional)
			if !a.allocatable(toOffer, r.name, fw) || a.isFiltered(cl, ag, toOffer, now, false) {
				continue
			}
			a.offer(ag, cl, toOffer)
			run.inc.set(run.incG)
			a.names.scalarSplit(additional, &run.inc, nil, nil)
			run.unsat.sub(run.inc)
			r.consumedInRun.add(run.inc)
			run.required.sub(run.incG)
			run.headroom.sub(run.inc)
		}
	}
}

func (a *Hierarchical) stageFairShare(now time.Time, ag *agent) {
	run := &a.run
	for _, rn := range a.roleSorter.sorted() {
		if ag.available.IsEmpty() {
			return
		}
		r := rn.role
		qs := a.quotas[r.name]
		var base availableCache
		for _, fn := range r.fwSorter.sorted() {
			cl := fn.client
			fw := cl.fw
			avail := base.get(a, ag, r)
			if avail.IsEmpty() {
				break
			}
			if !a.allocatable(avail, r.name, fw) || !a.capable(fw, ag) {
				continue
			}
			avail = a.strip(avail, fw, ag, base.refined)
			limited := qs != nil && !qs.limits.isEmpty()
			headroom := !run.required.isZero()
			var toOffer, additional resources.Resources
			cacheable := false
			if !limited && !headroom {
				// Nothing to cut: the offer is all the framework may
				// take here.
				toOffer = avail
				if qs != nil {
					additional = avail.Filter(isQuotaResource)
				}
				cacheable = !ag.hasShared
			} else {
				// Reservations (the role's and its ancestors'),
				// non-scalars and revocable resources always go; the
				// unreserved scalars are cut to the quota limit and the
				// surplus headroom.
				toOffer = avail.Filter(func(res resources.Resource) bool { return !isQuotaResource(res) })
				additional = avail.Filter(isQuotaResource)
				if limited && r.consumedInRunOK {
					additional = additional.ShrinkWith(run.budget.limits(&a.names, qs.limits, r.consumedInRun))
				}
				if headroom && !additional.IsEmpty() {
					run.surplus.set(run.headroom)
					run.surplus.sub(run.required)
					additional = additional.ShrinkWith(run.budget.quantities(&a.names, run.surplus))
				}
				toOffer = toOffer.Plus(additional)
			}
			if !a.allocatable(toOffer, r.name, fw) || a.isFiltered(cl, ag, toOffer, now, cacheable) {
				continue
			}
			a.offer(ag, cl, toOffer)
			if qs != nil || headroom {
				run.inc = run.inc[:0]
				a.names.scalarSplit(additional, &run.inc, nil, nil)
				if qs != nil && r.consumedInRunOK {
					r.consumedInRun.add(run.inc)
				}
				run.headroom.sub(run.inc)
			}
		}
	}
}

// isQuotaResource reports whether a resource counts towards quota:
// unreserved, non-revocable scalars.
func isQuotaResource(r resources.Resource) bool {
	return r.Type() == mesospb.Value_SCALAR && !r.IsReserved() && !r.IsRevocable()
}

// availableCache remembers availableFor across the frameworks of a role
// on one agent until the agent's available resources change.
type availableCache struct {
	res     resources.Resources
	version uint64 // 0: not computed
	refined bool   // res has refined reservations
}

func (c *availableCache) get(a *Hierarchical, ag *agent, r *role) resources.Resources {
	if c.version != ag.version || c.version == 0 {
		c.res = a.availableFor(ag, r)
		c.version = ag.version
		c.refined = hasRefined(c.res)
	}
	return c.res
}

// availableFor is what a framework in role r may be offered on the agent:
// unreserved resources and reservations of r or its ancestors, minus
// shared volumes already offered in this run.
func (a *Hierarchical) availableFor(ag *agent, r *role) resources.Resources {
	res := ag.available.AllocatableTo(r.name)
	if ag.hasShared {
		if os, ok := a.run.offeredShared[ag]; ok {
			res = res.Minus(os)
		}
	}
	return res
}

// allocatable is Mesos's allocatable(): the resources must contain one of
// the minimum allocatable quantities (the framework's own for the role,
// else the global ones); no minimum means anything non-empty.
func (a *Hierarchical) allocatable(res resources.Resources, role string, fw *framework) bool {
	if res.IsEmpty() {
		return false
	}
	min := a.opts.MinAllocatableResources
	if m, ok := fw.minAlloc[role]; ok {
		min = m
	}
	if len(min) == 0 {
		return true
	}
	for _, q := range min {
		if res.ContainsQuantities(q) {
			return true
		}
	}
	return false
}

// capable is Mesos's isCapableOfReceivingAgent: an agent with GPUs is
// only offered to frameworks with GPU_RESOURCES (when GPU filtering is
// on), an agent in another region only to REGION_AWARE frameworks.
func (a *Hierarchical) capable(fw *framework, ag *agent) bool {
	if a.opts.FilterGPUResources && !fw.gpu && ag.hasGPU {
		return false
	}
	if !fw.region && ag.remote {
		return false
	}
	return true
}

// strip is Mesos's stripIncapableResources: shared volumes need
// SHARED_RESOURCES, revocable resources REVOCABLE_RESOURCES and refined
// reservations RESERVATION_REFINEMENT.
func (a *Hierarchical) strip(res resources.Resources, fw *framework, ag *agent, refined bool) resources.Resources {
	if (fw.shared || !ag.hasShared) && (fw.revocable || !ag.hasRevocable) && (fw.refinement || !refined) {
		return res
	}
	return res.Filter(func(r resources.Resource) bool {
		return (fw.shared || !r.IsShared()) && (fw.revocable || !r.IsRevocable()) && (fw.refinement || !r.HasRefinedReservations())
	})
}

func hasRefined(res resources.Resources) bool {
	for r := range res.All() {
		if r.HasRefinedReservations() {
			return true
		}
	}
	return false
}

// offer allocates res (unallocated) on the agent to the framework in the
// client's role.
func (a *Hierarchical) offer(ag *agent, cl *client, res resources.Resources) {
	r := cl.role
	a.addToAgent(ag, cl.fw.id, r.name, res)
	a.decreaseAvailable(ag, res)
	if ag.hasShared {
		if a.run.offeredShared == nil {
			a.run.offeredShared = map[*agent]resources.Resources{}
		}
		a.run.offeredShared[ag] = a.run.offeredShared[ag].Plus(res.Shared())
	}
	a.trackAllocatedInRole(ag, cl.fw, r.name, res)
	a.run.offers = append(a.run.offers, offerRecord{cl, ag, res})
}

// emit groups the run's offers by (framework, agent), sorted by framework
// ID then agent ID.
func (a *Hierarchical) emit() []Allocation {
	offers := a.run.offers
	if len(offers) == 0 {
		return nil
	}
	slices.SortStableFunc(offers, func(x, y offerRecord) int {
		if c := strings.Compare(x.cl.fw.id, y.cl.fw.id); c != 0 {
			return c
		}
		return strings.Compare(x.ag.id, y.ag.id)
	})
	var out []Allocation
	for i, o := range offers {
		if i == 0 || o.cl.fw != offers[i-1].cl.fw || o.ag != offers[i-1].ag {
			out = append(out, Allocation{FrameworkID: o.cl.fw.id, AgentID: o.ag.id, Resources: map[string]resources.Resources{}})
		}
		cur := &out[len(out)-1]
		role := o.cl.role.name
		cur.Resources[role] = cur.Resources[role].Plus(o.res.Allocate(role))
	}
	clear(offers)
	a.run.offers = offers[:0]
	return out
}
