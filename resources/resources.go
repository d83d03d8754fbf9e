package resources

import (
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strings"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// Resources is a multiset of resources with Mesos's semantics: resources
// with the same identity (name, type, allocation role, reservations, disk,
// revocability, sharedness, provider) merge into one element; scalars add
// in fixed point, ranges coalesce, sets unite. Empty elements are dropped.
//
// Resources is an immutable value: every operation returns a new value and
// never modifies its operands, so values can be copied and shared freely.
// The zero value is the empty multiset. Elements keep the order in which
// they were first added; the order is part of [Resources.String] but not
// of [Resources.Equal].
type Resources struct {
	items []Resource
}

// New builds a Resources from elements, merging equal identities and
// dropping empty elements, as Mesos's `Resources += Resource` does.
func New(rs ...Resource) Resources {
	var out []Resource
	for i := range rs {
		out = addItem(out, &rs[i])
	}
	return Resources{out}
}

// Len is the number of distinct elements.
func (r Resources) Len() int { return len(r.items) }

// IsEmpty reports whether r has no elements.
func (r Resources) IsEmpty() bool { return len(r.items) == 0 }

// At returns the i-th element.
func (r Resources) At(i int) Resource { return r.items[i] }

// All iterates over the elements in order.
func (r Resources) All() iter.Seq[Resource] {
	return func(yield func(Resource) bool) {
		for _, it := range r.items {
			if !yield(it) {
				return
			}
		}
	}
}

// addItem adds it into out (which the caller owns), merging it with an
// addable element or appending it.
func addItem(out []Resource, it *Resource) []Resource {
	if it.isEmpty() {
		return out
	}
	for j := range out {
		if addable(&out[j], it) {
			mergeInto(&out[j], it)
			return out
		}
	}
	return append(out, *it)
}

// Plus returns r + o.
func (r Resources) Plus(o Resources) Resources {
	if len(o.items) == 0 {
		return r
	}
	if len(r.items) == 0 {
		return o
	}
	// Size the result for the elements that will not merge, so that the
	// common case (same identities) allocates exactly once.
	extra := 0
	for i := range o.items {
		merges := false
		for j := range r.items {
			if addable(&r.items[j], &o.items[i]) {
				merges = true
				break
			}
		}
		if !merges {
			extra++
		}
	}
	out := make([]Resource, len(r.items), len(r.items)+extra)
	copy(out, r.items)
	for i := range o.items {
		out = addItem(out, &o.items[i])
	}
	return Resources{out}
}

// PlusResource returns r with one more element added.
func (r Resources) PlusResource(it Resource) Resources {
	if it.isEmpty() {
		return r
	}
	out := make([]Resource, len(r.items), len(r.items)+1)
	copy(out, r.items)
	return Resources{addItem(out, &it)}
}

// Minus returns r - o with Mesos's semantics: each element of o is
// subtracted from the element of r it is subtractable from; elements that
// become empty or negative disappear; elements of o that match nothing are
// ignored. Subtraction never produces negative amounts.
func (r Resources) Minus(o Resources) Resources {
	var out []Resource // allocated on the first change
	cur := r.items
	for i := range o.items {
		it := &o.items[i]
		if it.isEmpty() {
			continue
		}
		for j := range cur {
			if !subtractable(&cur[j], it) {
				continue
			}
			if out == nil {
				out = slices.Clone(cur)
				cur = out
			}
			if subtractFrom(&out[j], it) {
				out = slices.Delete(out, j, j+1)
				cur = out
			}
			break
		}
	}
	if out == nil {
		return r
	}
	if len(out) == 0 {
		return Resources{}
	}
	return Resources{out}
}

// Contains reports whether o is a sub-multiset of r (Mesos's
// Resources::contains). Every element of o must fit in a single element
// of r; persistent volumes are consumed as they match, so two copies of a
// volume are not contained in one.
func (r Resources) Contains(o Resources) bool {
	remaining := r
	for i := range o.items {
		it := &o.items[i]
		// Fast path: operands built alike list identities in the same
		// order.
		if i < len(remaining.items) && !it.IsPersistentVolume() && containsResource(&remaining.items[i], it) {
			continue
		}
		found := false
		for j := range remaining.items {
			if containsResource(&remaining.items[j], it) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
		if it.IsPersistentVolume() {
			remaining = remaining.Minus(Resources{items: o.items[i : i+1]})
		}
	}
	return true
}

// ContainsResource reports whether the single element it fits in r.
func (r Resources) ContainsResource(it Resource) bool {
	for j := range r.items {
		if containsResource(&r.items[j], &it) {
			return true
		}
	}
	return false
}

// Equal reports whether r and o contain each other.
func (r Resources) Equal(o Resources) bool {
	return r.Contains(o) && o.Contains(r)
}

// Count returns how many copies of it r holds: the shared count for a
// shared resource, 1 for an equal non-shared element, else 0.
func (r Resources) Count(it Resource) int {
	for j := range r.items {
		x := &r.items[j]
		if sameIdentity(x, &it) && sameValue(x, &it) {
			if x.IsShared() {
				return int(x.shares)
			}
			return 1
		}
	}
	return 0
}

// ContainsQuantities reports whether r holds at least the given amount of
// every named resource, counting all elements with that name regardless of
// reservation or other metadata. Ranges count their number of values and
// sets their number of items (MESOS-9516).
func (r Resources) ContainsQuantities(q Quantities) bool {
	for _, x := range q.q {
		remaining := int64(x.Value)
		for j := range r.items {
			it := &r.items[j]
			if it.name != x.Name {
				continue
			}
			switch it.typ {
			case mesospb.Value_SCALAR:
				remaining -= int64(it.scalar)
			case mesospb.Value_SET:
				remaining -= int64(len(it.set)) * 1000
			case mesospb.Value_RANGES:
				n := rangesCount(it.ranges)
				if n >= math.MaxInt64/1000 {
					remaining = 0
				} else {
					remaining -= int64(n) * 1000
				}
			}
			if remaining <= 0 {
				break
			}
		}
		if remaining > 0 {
			return false
		}
	}
	return true
}

// Filter returns the elements for which keep returns true.
func (r Resources) Filter(keep func(Resource) bool) Resources {
	return r.filter(func(it *Resource) bool { return keep(*it) })
}

// filter returns r itself when every element is kept, so the common case
// does not allocate.
func (r Resources) filter(keep func(*Resource) bool) Resources {
	for i := range r.items {
		if keep(&r.items[i]) {
			continue
		}
		// r.items[i] is dropped: copy the kept prefix and the kept
		// elements after it, allocating only if something is kept.
		var out []Resource
		if i > 0 {
			out = make([]Resource, i, len(r.items)-1)
			copy(out, r.items[:i])
		}
		for j := i + 1; j < len(r.items); j++ {
			if keep(&r.items[j]) {
				if out == nil {
					out = make([]Resource, 0, len(r.items)-j)
				}
				out = append(out, r.items[j])
			}
		}
		return Resources{out}
	}
	return r
}

// Reserved returns the resources whose reservation role is role, or all
// reserved resources when role is "".
func (r Resources) Reserved(role string) Resources {
	return r.filter(func(it *Resource) bool {
		return it.IsReserved() && (role == "" || it.ReservationRole() == role)
	})
}

// Unreserved returns the resources without reservations.
func (r Resources) Unreserved() Resources {
	return r.filter(func(it *Resource) bool { return !it.IsReserved() })
}

// AllocatableTo returns the resources that may be offered to a framework
// in role: unreserved ones and those reserved to role or an ancestor.
func (r Resources) AllocatableTo(role string) Resources {
	return r.filter(func(it *Resource) bool { return it.IsAllocatableTo(role) })
}

// ReservedToRoleSubtree returns the resources reserved to role or to a
// role below it.
func (r Resources) ReservedToRoleSubtree(role string) Resources {
	return r.filter(func(it *Resource) bool {
		if !it.IsReserved() {
			return false
		}
		rr := it.ReservationRole()
		return rr == role || IsStrictSubroleOf(rr, role)
	})
}

// AllocatedToRoleSubtree returns the resources allocated to role or to a
// role below it.
func (r Resources) AllocatedToRoleSubtree(role string) Resources {
	return r.filter(func(it *Resource) bool {
		return it.alloc == role || IsStrictSubroleOf(it.alloc, role)
	})
}

// Revocable returns the revocable resources.
func (r Resources) Revocable() Resources {
	return r.filter(func(it *Resource) bool { return it.IsRevocable() })
}

// NonRevocable returns the non-revocable resources.
func (r Resources) NonRevocable() Resources {
	return r.filter(func(it *Resource) bool { return !it.IsRevocable() })
}

// Shared returns the shared resources.
func (r Resources) Shared() Resources {
	return r.filter(func(it *Resource) bool { return it.IsShared() })
}

// NonShared returns the non-shared resources.
func (r Resources) NonShared() Resources {
	return r.filter(func(it *Resource) bool { return !it.IsShared() })
}

// PersistentVolumes returns the persistent volumes.
func (r Resources) PersistentVolumes() Resources {
	return r.filter(func(it *Resource) bool { return it.IsPersistentVolume() })
}

// Scalars returns the SCALAR resources.
func (r Resources) Scalars() Resources {
	return r.filter(func(it *Resource) bool { return it.typ == mesospb.Value_SCALAR })
}

// Named returns the resources called name (Mesos's Resources::get(name)).
func (r Resources) Named(name string) Resources {
	return r.filter(func(it *Resource) bool { return it.name == name })
}

// ScalarNamed returns the sum of the SCALAR resources called name, and
// whether there were any.
func (r Resources) ScalarNamed(name string) (Scalar, bool) {
	var sum Scalar
	found := false
	for i := range r.items {
		if it := &r.items[i]; it.name == name && it.typ == mesospb.Value_SCALAR {
			sum += it.scalar
			found = true
		}
	}
	return sum, found
}

// RangesNamed returns the union of the RANGES resources called name, and
// whether there were any.
func (r Resources) RangesNamed(name string) ([]Range, bool) {
	var out []Range
	found := false
	for i := range r.items {
		if it := &r.items[i]; it.name == name && it.typ == mesospb.Value_RANGES {
			out = unionRanges(out, it.ranges)
			found = true
		}
	}
	return slices.Clone(out), found
}

// SetNamed returns the union of the SET resources called name, and whether
// there were any.
func (r Resources) SetNamed(name string) ([]string, bool) {
	var out []string
	found := false
	for i := range r.items {
		if it := &r.items[i]; it.name == name && it.typ == mesospb.Value_SET {
			out = unionSet(out, it.set)
			found = true
		}
	}
	return slices.Clone(out), found
}

// CPUs returns the total "cpus" scalar (0 when absent).
func (r Resources) CPUs() float64 { s, _ := r.ScalarNamed("cpus"); return s.Float64() }

// Mem returns the total "mem" scalar in megabytes (0 when absent).
func (r Resources) Mem() float64 { s, _ := r.ScalarNamed("mem"); return s.Float64() }

// Disk returns the total "disk" scalar in megabytes (0 when absent).
func (r Resources) Disk() float64 { s, _ := r.ScalarNamed("disk"); return s.Float64() }

// GPUs returns the total "gpus" scalar (0 when absent).
func (r Resources) GPUs() float64 { s, _ := r.ScalarNamed("gpus"); return s.Float64() }

// Ports returns the union of the "ports" ranges.
func (r Resources) Ports() []Range { p, _ := r.RangesNamed("ports"); return p }

// Names returns the sorted distinct resource names.
func (r Resources) Names() []string {
	var out []string
	for i := range r.items {
		if !slices.Contains(out, r.items[i].name) {
			out = append(out, r.items[i].name)
		}
	}
	slices.Sort(out)
	return out
}

// Allocate returns a copy with every element allocated to role.
func (r Resources) Allocate(role string) Resources {
	if len(r.items) == 0 {
		return r
	}
	out := make([]Resource, 0, len(r.items))
	for i := range r.items {
		it := r.items[i]
		it.alloc = role
		out = addItem(out, &it)
	}
	return Resources{out}
}

// Unallocate returns a copy with the allocation role cleared.
func (r Resources) Unallocate() Resources {
	needs := false
	for i := range r.items {
		if r.items[i].alloc != "" {
			needs = true
			break
		}
	}
	if !needs {
		return r
	}
	return r.Allocate("")
}

// Allocations groups the resources by allocation role; unallocated
// resources are under "".
func (r Resources) Allocations() map[string]Resources {
	out := map[string]Resources{}
	for i := range r.items {
		it := &r.items[i]
		g := out[it.alloc]
		g.items = append(g.items, *it)
		out[it.alloc] = g
	}
	return out
}

// AllocationRoles returns the sorted distinct allocation roles ("" for
// unallocated resources).
func (r Resources) AllocationRoles() []string {
	var out []string
	for i := range r.items {
		if !slices.Contains(out, r.items[i].alloc) {
			out = append(out, r.items[i].alloc)
		}
	}
	slices.Sort(out)
	return out
}

// ReservationsByRole groups the reserved resources by reservation role.
func (r Resources) ReservationsByRole() map[string]Resources {
	out := map[string]Resources{}
	for i := range r.items {
		it := &r.items[i]
		if !it.IsReserved() {
			continue
		}
		role := it.ReservationRole()
		g := out[role]
		g.items = append(g.items, *it)
		out[role] = g
	}
	return out
}

// PushReservation returns a copy with reservation added on top of every
// element's reservation stack; it fails if any result is invalid.
func (r Resources) PushReservation(res *mesospb.Resource_ReservationInfo) (Resources, error) {
	var out []Resource
	for i := range r.items {
		it, err := r.items[i].WithReservation(res)
		if err != nil {
			return Resources{}, err
		}
		out = addItem(out, &it)
	}
	return Resources{out}, nil
}

// PopReservation returns a copy with the top reservation removed from
// every element; it fails if an element is unreserved.
func (r Resources) PopReservation() (Resources, error) {
	var out []Resource
	for i := range r.items {
		it := r.items[i]
		if !it.IsReserved() {
			return Resources{}, fmt.Errorf("cannot pop a reservation from unreserved %s", it)
		}
		m := it.meta()
		m.reservations = m.reservations[:len(m.reservations)-1]
		it = it.withMeta(m)
		out = addItem(out, &it)
	}
	return Resources{out}, nil
}

// ToUnreserved returns a copy with every reservation removed.
func (r Resources) ToUnreserved() Resources {
	return r.mapItems(func(it Resource) Resource {
		if !it.IsReserved() {
			return it
		}
		m := it.meta()
		m.reservations = nil
		return it.withMeta(m)
	})
}

// Flatten returns the plain quantities behind r: every element stripped to
// its name and value (no allocation, reservations, disk information,
// revocability, sharedness or provider) and merged by name. Shared
// resources count once.
func (r Resources) Flatten() Resources {
	return r.mapItems(func(it Resource) Resource {
		it.alloc = ""
		it.m = nil
		it.shares = 0
		return it
	})
}

// AsRevocable returns a revocable copy of r.
func (r Resources) AsRevocable() Resources {
	return r.mapItems(func(it Resource) Resource { return it.AsRevocable() })
}

func (r Resources) mapItems(f func(Resource) Resource) Resources {
	var out []Resource
	for i := range r.items {
		it := f(r.items[i])
		out = addItem(out, &it)
	}
	return Resources{out}
}

// Apply replaces consumed by converted (Mesos's ResourceConversion): it
// fails when r does not contain consumed.
func (r Resources) Apply(consumed, converted Resources) (Resources, error) {
	if !r.Contains(consumed) {
		return Resources{}, fmt.Errorf("%s does not contain %s", r, consumed)
	}
	return r.Minus(consumed).Plus(converted), nil
}

// Budget is what [Resources.ShrinkWith] cuts scalar resources down to.
type Budget interface {
	// Budget returns how much of name may still be taken; ok=false
	// means no limit.
	Budget(name string) (left Scalar, ok bool)
	// Charge records that v of name was taken.
	Charge(name string, v Scalar)
}

// ShrinkWith cuts the scalar elements down to a budget, visiting them in
// order: an element whose name has no limit is kept as it is; one whose
// budget is zero is dropped; otherwise it is cut down to the budget
// (indivisible disks are kept whole or dropped) and the budget is
// charged. Non-scalar elements are kept. [Resources.ShrinkToLimits] is
// ShrinkWith with Limits as the budget.
func (r Resources) ShrinkWith(b Budget) Resources {
	var out []Resource // allocated on the first change
	changed := false
	for i := range r.items {
		it := r.items[i]
		keep := true
		if it.typ == mesospb.Value_SCALAR {
			if t, ok := b.Budget(it.name); ok {
				before := it.scalar
				if t > 0 && shrinkScalar(&it, t) {
					b.Charge(it.name, it.scalar)
				} else {
					keep = false
				}
				if !changed && (!keep || it.scalar != before) {
					changed = true
					if i > 0 {
						out = make([]Resource, i, len(r.items))
						copy(out, r.items[:i])
					}
				}
			}
		}
		if changed && keep {
			if out == nil {
				out = make([]Resource, 0, len(r.items)-i)
			}
			out = append(out, it)
		}
	}
	if !changed {
		return r
	}
	return Resources{out}
}

// ShrinkTo returns the part of r that fits in target, for the scalar
// resources (Mesos's shrinkResources with ResourceQuantities): a scalar
// whose name is absent from target is dropped; otherwise it is cut down
// to what target still allows and target is charged. Indivisible disks
// (MOUNT, BLOCK, persistent volumes) are kept whole or dropped.
// Non-scalar resources are kept as they are when their name is in target,
// dropped otherwise.
//
// Mesos visits the elements in random order; we visit them in order, so
// the result is deterministic.
func (r Resources) ShrinkTo(target Quantities) Resources {
	if target.IsEmpty() {
		return Resources{}
	}
	left := target.clone()
	var out []Resource
	for i := range r.items {
		it := r.items[i]
		t := left.Get(it.name)
		if t == 0 {
			continue
		}
		if it.typ != mesospb.Value_SCALAR {
			out = addItem(out, &it)
			continue
		}
		if shrinkScalar(&it, t) {
			left.sub(it.name, it.scalar)
			out = addItem(out, &it)
		}
	}
	return Resources{out}
}

// ShrinkToLimits is [Resources.ShrinkTo] with limits: a resource whose
// name has no limit is kept as it is.
func (r Resources) ShrinkToLimits(limits Limits) Resources {
	if limits.IsEmpty() {
		return r
	}
	return r.ShrinkWith(&limitsBudget{limits.clone()})
}

// limitsBudget is a private, mutable copy of limits.
type limitsBudget struct{ l Limits }

func (b *limitsBudget) Budget(name string) (Scalar, bool) { return b.l.Get(name) }
func (b *limitsBudget) Charge(name string, v Scalar)      { b.l.sub(name, v) }

// shrinkScalar is Mesos's Resources::shrink: cut it down to target unless
// it is an indivisible disk.
func shrinkScalar(it *Resource, target Scalar) bool {
	if it.scalar <= target {
		return true
	}
	if it.m != nil && (it.m.exclusive || it.m.shared) {
		return false
	}
	it.scalar = target
	return true
}

// ScalarQuantities sums the SCALAR resources by name, ignoring all
// metadata (Mesos's ResourceQuantities::fromScalarResources). Shared
// resources count once.
func (r Resources) ScalarQuantities() Quantities {
	var q Quantities
	for i := range r.items {
		it := &r.items[i]
		if it.typ == mesospb.Value_SCALAR {
			q.add(it.name, it.scalar)
		}
	}
	return q
}

// Quantities is like ScalarQuantities but also counts RANGES (number of
// values) and SET (number of items) resources, as Mesos's
// ResourceQuantities::fromResources does.
func (r Resources) Quantities() Quantities {
	var q Quantities
	for i := range r.items {
		it := &r.items[i]
		switch it.typ {
		case mesospb.Value_SCALAR:
			q.add(it.name, it.scalar)
		case mesospb.Value_RANGES:
			n := rangesCount(it.ranges)
			if n > math.MaxInt64/1000 {
				n = math.MaxInt64 / 1000
			}
			q.add(it.name, Scalar(n*1000))
		case mesospb.Value_SET:
			q.add(it.name, Scalar(len(it.set)*1000))
		}
	}
	return q
}

// ToProto converts to wire resources in the "post-reservation-refinement"
// format. A shared resource with n copies becomes n elements.
func (r Resources) ToProto() []*mesospb.Resource {
	out := make([]*mesospb.Resource, 0, len(r.items))
	for i := range r.items {
		p := r.items[i].ToProto()
		out = append(out, p)
		for n := int32(1); n < r.items[i].shares; n++ {
			out = append(out, r.items[i].ToProto())
		}
	}
	return out
}

// Format selects how reservations appear in wire resources.
type Format int

const (
	// PostReservationRefinement puts reservations only in the
	// `reservations` stack (what the v1 API uses for frameworks with the
	// RESERVATION_REFINEMENT capability, and what Mesos stores).
	PostReservationRefinement Format = iota
	// PreReservationRefinement uses only `role` ("*" when unreserved) and
	// `reservation`; it fails for refined reservations.
	PreReservationRefinement
	// Endpoint sets both, as Mesos's HTTP endpoints do: `role` and
	// `reservation` for single reservations, plus `reservations`.
	Endpoint
)

// ToProtoFormat converts to wire resources in the given format (Mesos's
// convertResourceFormat).
func (r Resources) ToProtoFormat(f Format) ([]*mesospb.Resource, error) {
	out := r.ToProto()
	if f == PostReservationRefinement {
		return out, nil
	}
	for _, p := range out {
		switch len(p.Reservations) {
		case 0:
			star := "*"
			p.Role = &star
		case 1:
			res := p.Reservations[0]
			if res.GetType() == mesospb.Resource_ReservationInfo_DYNAMIC {
				p.Reservation = &mesospb.Resource_ReservationInfo{Principal: res.Principal, Labels: res.Labels}
			}
			role := res.GetRole()
			p.Role = &role
			if f == PreReservationRefinement {
				p.Reservations = nil
			}
		default:
			if f == PreReservationRefinement {
				return nil, fmt.Errorf("resource %s has refined reservations and cannot be converted to the pre-reservation-refinement format", p.GetName())
			}
		}
	}
	return out, nil
}

// FromProto converts wire resources, validating each one as Mesos's
// Resources::validate does (in any of the three reservation formats).
// Empty resources are dropped, equal identities merge.
func FromProto(ps []*mesospb.Resource) (Resources, error) {
	var out []Resource
	for _, p := range ps {
		it, err := ResourceFromProto(p)
		if err != nil {
			return Resources{}, err
		}
		out = addItem(out, &it)
	}
	return Resources{out}, nil
}

// MustFromProto is FromProto that panics on invalid input.
func MustFromProto(ps []*mesospb.Resource) Resources {
	r, err := FromProto(ps)
	if err != nil {
		panic(err)
	}
	return r
}

// String renders r as Mesos does in its logs: elements separated by "; ",
// "{}" when empty.
// E.g. "cpus:4; mem:8192; ports:[31000-32000]; disk(reservations: [(STATIC,role1)]):100".
func (r Resources) String() string {
	if len(r.items) == 0 {
		return "{}"
	}
	var b strings.Builder
	for i := range r.items {
		if i > 0 {
			b.WriteString("; ")
		}
		r.items[i].writeTo(&b)
	}
	return b.String()
}

// StateJSON renders r the way Mesos's /master/state and /slave/state
// endpoints do (model(const Resources&) in src/common/http.cpp): an object
// with "cpus", "gpus", "mem" and "disk" always present (0 when absent),
// scalars as numbers, ranges and sets as their text form, and revocable
// resources under "<name>_revocable".
func (r Resources) StateJSON() map[string]any {
	out := map[string]any{"cpus": 0.0, "gpus": 0.0, "mem": 0.0, "disk": 0.0}
	put := func(rs Resources, suffix string) {
		for _, name := range rs.Names() {
			// Mesos keeps the type of the last element with the name.
			var typ mesospb.Value_Type
			for i := range rs.items {
				if rs.items[i].name == name {
					typ = rs.items[i].typ
				}
			}
			switch typ {
			case mesospb.Value_SCALAR:
				s, _ := rs.ScalarNamed(name)
				out[name+suffix] = s.Float64()
			case mesospb.Value_RANGES:
				rg, _ := rs.RangesNamed(name)
				out[name+suffix] = formatRanges(rg)
			case mesospb.Value_SET:
				st, _ := rs.SetNamed(name)
				out[name+suffix] = formatSet(st)
			}
		}
	}
	put(r.NonRevocable(), "")
	put(r.Revocable(), "_revocable")
	return out
}

// errNotAllocated is returned when an operation needs allocated resources.
var errNotAllocated = errors.New("resources are not allocated to a role")

// SingleAllocationRole returns the allocation role shared by every
// element; it fails when r is empty, unallocated, or spans several roles.
func (r Resources) SingleAllocationRole() (string, error) {
	if len(r.items) == 0 {
		return "", errNotAllocated
	}
	role := r.items[0].alloc
	for i := range r.items {
		if r.items[i].alloc != role {
			return "", fmt.Errorf("resources %s span several allocation roles", r)
		}
	}
	if role == "" {
		return "", errNotAllocated
	}
	return role, nil
}
