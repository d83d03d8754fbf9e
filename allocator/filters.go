package allocator

import (
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/resources"
)

// offerFilter is Mesos's RefusedOfferFilter: the resources a framework
// declined (in one role, on one agent) and until when it does not want to
// see them again.
type offerFilter struct {
	refused resources.Resources // unallocated
	expiry  int64               // Unix nanoseconds
	// clamped is set when refuse_seconds was not longer than the
	// allocation interval, so the filter's lifetime was raised to one
	// interval. Such a filter is still active at an allocation run at
	// exactly its expiry (see expired).
	clamped bool

	// The result of the last check, valid while the agent's available
	// resources have this version and the candidate offer is all the
	// framework may take there.
	cacheVersion uint64
	cacheResult  bool
}

// filterSet is the filters of one framework in one role on one agent.
// The first filter is stored inline so that checking the common single
// filter touches only the agent's map.
type filterSet struct {
	first offerFilter
	more  []offerFilter
}

func (s *filterSet) len() int { return 1 + len(s.more) }

// at returns the i-th filter.
func (s *filterSet) at(i int) *offerFilter {
	if i == 0 {
		return &s.first
	}
	return &s.more[i-1]
}

// expired reports whether the filter no longer applies at now (Unix
// nanoseconds).
//
// In Mesos a filter is removed by a timer that fires after max(allocation
// interval, refuse_seconds) (MESOS-4302), and the periodic allocation is
// another timer; when both are due at the same instant, the one created
// first fires first. A decline comes after the run that made the offer,
// so the timer of the next periodic run already exists: a filter of at
// most one interval survives a run at exactly its expiry, while a longer
// filter was created before the timer of the run at its expiry and is
// gone by then. These are the results of Mesos's OfferFilter and
// SmallOfferFilterTimeout tests.
func (f *offerFilter) expired(now int64) bool {
	if now < f.expiry {
		return false
	}
	return !(f.clamped && now == f.expiry)
}

// filters returns true if f refuses offer: Mesos only filters an offer
// that is a subset of the refused resources, so more resources freeing up
// on the agent lift the filter.
func (f *offerFilter) filters(offer resources.Resources, version uint64, cacheable bool) bool {
	if cacheable && f.cacheVersion == version {
		return f.cacheResult
	}
	res := f.refused.Contains(offer)
	if cacheable {
		f.cacheVersion, f.cacheResult = version, res
	}
	return res
}

func (a *Hierarchical) addFilter(cl *client, ag *agent, refused resources.Resources, now time.Time, refuse time.Duration) {
	f := &offerFilter{
		refused: refused,
		expiry:  now.Add(max(a.interval, refuse)).UnixNano(),
		clamped: refuse <= a.interval,
	}
	if ag.filters == nil {
		ag.filters = map[*client]filterSet{}
	}
	if set, ok := ag.filters[cl]; ok {
		set.more = append(set.more, *f)
		ag.filters[cl] = set
	} else {
		ag.filters[cl] = filterSet{first: *f}
	}
	if cl.filterAgents == nil {
		cl.filterAgents = map[*agent]struct{}{}
	}
	cl.filterAgents[ag] = struct{}{}
	a.filterCount++
}

// isFiltered is Mesos's isFiltered: a MULTI_ROLE framework gets nothing
// from an agent without the MULTI_ROLE capability, a hierarchical role
// nothing from an agent without HIERARCHICAL_ROLE, and an offer that is a
// subset of what the framework refused (and the filter has not expired)
// is not made. Expired filters are dropped on the way. cacheable says the
// offer is everything the framework may take on the agent in this role,
// so it only changes when the agent's available resources do.
func (a *Hierarchical) isFiltered(cl *client, ag *agent, offer resources.Resources, now time.Time, cacheable bool) bool {
	if cl.fw.multiRole && !ag.multiRole {
		return true
	}
	if !ag.hierarchicalRole && strings.Contains(cl.role.name, "/") {
		return true
	}
	if len(ag.filters) == 0 {
		return false
	}
	set, ok := ag.filters[cl]
	if !ok {
		return false
	}
	nowNs := now.UnixNano()
	filtered, changed, expired := false, false, 0
	for i := range set.len() {
		f := set.at(i)
		if f.expired(nowNs) {
			expired++
			continue
		}
		if filtered {
			continue
		}
		before := f.cacheVersion
		filtered = f.filters(offer, ag.version, cacheable)
		changed = changed || f.cacheVersion != before
	}
	switch {
	case expired > 0:
		a.filterCount -= expired
		var kept []offerFilter
		for i := range set.len() {
			if f := set.at(i); !f.expired(nowNs) {
				kept = append(kept, *f)
			}
		}
		a.setFilters(cl, ag, kept)
	case changed:
		ag.filters[cl] = set
	}
	return filtered
}

// setFilters replaces the filters of a client on an agent.
func (a *Hierarchical) setFilters(cl *client, ag *agent, fs []offerFilter) {
	if len(fs) == 0 {
		delete(ag.filters, cl)
		delete(cl.filterAgents, ag)
		return
	}
	ag.filters[cl] = filterSet{first: fs[0], more: fs[1:]}
}

// RemoveFilters implements [Allocator].
func (a *Hierarchical) RemoveFilters(agentID string) {
	a.removeAgentFilters(a.mustAgent(agentID))
}

// removeAgentFilters removes the filters of every framework for an agent.
func (a *Hierarchical) removeAgentFilters(ag *agent) {
	for cl, set := range ag.filters {
		a.filterCount -= set.len()
		delete(cl.filterAgents, ag)
	}
	ag.filters = nil
}

// clearFilters removes all filters of a framework in a role.
func (a *Hierarchical) clearFilters(cl *client) {
	for ag := range cl.filterAgents {
		if set, ok := ag.filters[cl]; ok {
			a.filterCount -= set.len()
			delete(ag.filters, cl)
		}
	}
	cl.filterAgents = nil
}

func (a *Hierarchical) invalidateFilterCaches(cl *client) {
	for ag := range cl.filterAgents {
		set := ag.filters[cl]
		for i := range set.len() {
			set.at(i).cacheVersion = 0
		}
		ag.filters[cl] = set
	}
}

// sweepFilters drops expired filters when their number has doubled since
// the last sweep, so filters that are never consulted again do not
// accumulate. It only removes filters that no longer apply, so when it
// runs does not change any decision.
func (a *Hierarchical) sweepFilters(now time.Time) {
	if a.filterCount < 2*a.filterSweepSize+1024 {
		return
	}
	nowNs := now.UnixNano()
	for _, ag := range a.agentList {
		for cl, set := range ag.filters {
			expired := 0
			for i := range set.len() {
				if set.at(i).expired(nowNs) {
					expired++
				}
			}
			if expired == 0 {
				continue
			}
			var kept []offerFilter
			for i := range set.len() {
				if f := set.at(i); !f.expired(nowNs) {
					kept = append(kept, *f)
				}
			}
			a.filterCount -= expired
			a.setFilters(cl, ag, kept)
		}
	}
	a.filterSweepSize = a.filterCount
}

// ActiveOfferFilters returns the number of unexpired offer filters in a
// role at now (Mesos's offer_filters/roles/<role>/active metric).
func (a *Hierarchical) ActiveOfferFilters(role string, now time.Time) int {
	r := a.roles[role]
	if r == nil {
		return 0
	}
	nowNs := now.UnixNano()
	n := 0
	for _, cl := range r.clients {
		for ag := range cl.filterAgents {
			set := ag.filters[cl]
			for i := range set.len() {
				if !set.at(i).expired(nowNs) {
					n++
				}
			}
		}
	}
	return n
}
