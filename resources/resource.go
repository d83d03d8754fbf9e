package resources

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// Resource is one element of a [Resources] multiset: a name, a value
// (scalar, ranges or set) and an identity made of everything Mesos compares
// before it lets two resources merge: the allocation role, the stack of
// reservations, disk information, revocability, sharedness and resource
// provider.
//
// A Resource is immutable; methods that change something return a copy.
// The zero value is not a valid resource.
type Resource struct {
	name   string
	typ    mesospb.Value_Type
	scalar Scalar
	ranges []Range   // coalesced; never modified in place
	set    []string  // insertion order, no duplicates; never modified in place
	alloc  string    // allocation role; "" when not allocated
	shares int32     // copies of a shared resource (>= 1); 0 for non-shared
	m      *metadata // nil for the common case: no reservation, disk, etc.
}

// metadata is the rarely-present part of a resource's identity. It is
// immutable and may be shared by many Resource values.
type metadata struct {
	key          string // canonical encoding of the identity fields below
	reservations []*mesospb.Resource_ReservationInfo
	disk         *mesospb.Resource_DiskInfo
	revocable    bool
	shared       bool
	provider     *string
	// exclusive resources never merge with an equal-identity resource:
	// persistent volumes, MOUNT and BLOCK disks, RAW disks with an id.
	exclusive bool
}

// NewScalar returns an unreserved scalar resource such as cpus or mem.
func NewScalar(name string, v float64) Resource {
	return Resource{name: name, typ: mesospb.Value_SCALAR, scalar: ScalarOf(v)}
}

// NewScalarFixed is [NewScalar] for a value already in fixed point.
func NewScalarFixed(name string, v Scalar) Resource {
	return Resource{name: name, typ: mesospb.Value_SCALAR, scalar: v}
}

// NewRanges returns an unreserved RANGES resource such as ports. The ranges
// are coalesced; inverted ranges (Begin > End) are dropped.
func NewRanges(name string, rs ...Range) Resource {
	cp := make([]Range, 0, len(rs))
	for _, r := range rs {
		if r.Begin <= r.End {
			cp = append(cp, r)
		}
	}
	return Resource{name: name, typ: mesospb.Value_RANGES, ranges: coalesceRanges(cp)}
}

// NewSet returns an unreserved SET resource. Duplicate items are dropped.
func NewSet(name string, items ...string) Resource {
	var out []string
	for _, it := range items {
		if !slices.Contains(out, it) {
			out = append(out, it)
		}
	}
	return Resource{name: name, typ: mesospb.Value_SET, set: out}
}

// Name is the resource name ("cpus", "mem", "ports", ...).
func (r Resource) Name() string { return r.name }

// Type is SCALAR, RANGES or SET.
func (r Resource) Type() mesospb.Value_Type { return r.typ }

// Scalar is the value of a SCALAR resource (0 for other types).
func (r Resource) Scalar() Scalar { return r.scalar }

// Ranges returns a copy of the ranges of a RANGES resource.
func (r Resource) Ranges() []Range { return slices.Clone(r.ranges) }

// Set returns a copy of the items of a SET resource.
func (r Resource) Set() []string { return slices.Clone(r.set) }

// AllocationRole is the role the resource is allocated (offered) to, or ""
// when it is not allocated.
func (r Resource) AllocationRole() string { return r.alloc }

// IsReserved reports whether the resource carries at least one reservation.
func (r Resource) IsReserved() bool { return r.m != nil && len(r.m.reservations) > 0 }

// IsUnreserved is the opposite of IsReserved.
func (r Resource) IsUnreserved() bool { return !r.IsReserved() }

// ReservationRole is the role of the last (most refined) reservation, or
// "" for an unreserved resource.
func (r Resource) ReservationRole() string {
	if !r.IsReserved() {
		return ""
	}
	return r.m.reservations[len(r.m.reservations)-1].GetRole()
}

// IsStaticallyReserved reports whether the last reservation is STATIC.
func (r Resource) IsStaticallyReserved() bool {
	return r.IsReserved() && r.m.reservations[len(r.m.reservations)-1].GetType() == mesospb.Resource_ReservationInfo_STATIC
}

// IsDynamicallyReserved reports whether the last reservation is DYNAMIC.
func (r Resource) IsDynamicallyReserved() bool {
	return r.IsReserved() && r.m.reservations[len(r.m.reservations)-1].GetType() == mesospb.Resource_ReservationInfo_DYNAMIC
}

// HasRefinedReservations reports whether the reservation stack has more
// than one entry (e.g. reserved to "eng", refined to "eng/backend").
func (r Resource) HasRefinedReservations() bool { return r.m != nil && len(r.m.reservations) > 1 }

// Reservations returns copies of the reservation stack, oldest first.
func (r Resource) Reservations() []*mesospb.Resource_ReservationInfo {
	if r.m == nil {
		return nil
	}
	out := make([]*mesospb.Resource_ReservationInfo, len(r.m.reservations))
	for i, res := range r.m.reservations {
		out[i] = proto.Clone(res).(*mesospb.Resource_ReservationInfo)
	}
	return out
}

// IsAllocatableTo reports whether the resource may be offered to a
// framework in role: it is unreserved, or reserved to role or to one of
// its ancestors.
func (r Resource) IsAllocatableTo(role string) bool {
	if !r.IsReserved() {
		return true
	}
	rr := r.ReservationRole()
	return role == rr || IsStrictSubroleOf(role, rr)
}

// IsRevocable reports whether the resource is revocable (oversubscribed).
func (r Resource) IsRevocable() bool { return r.m != nil && r.m.revocable }

// IsShared reports whether the resource is a shared persistent volume.
func (r Resource) IsShared() bool { return r.m != nil && r.m.shared }

// SharedCount is the number of copies of a shared resource in its
// Resources (0 for non-shared resources).
func (r Resource) SharedCount() int { return int(r.shares) }

// IsPersistentVolume reports whether the resource is disk with a
// persistence ID.
func (r Resource) IsPersistentVolume() bool {
	return r.m != nil && r.m.disk.GetPersistence() != nil
}

// Disk returns a copy of the disk information, or nil.
func (r Resource) Disk() *mesospb.Resource_DiskInfo {
	if r.m == nil || r.m.disk == nil {
		return nil
	}
	return proto.Clone(r.m.disk).(*mesospb.Resource_DiskInfo)
}

// ProviderID returns the resource provider ID and whether one is set.
func (r Resource) ProviderID() (string, bool) {
	if r.m == nil || r.m.provider == nil {
		return "", false
	}
	return *r.m.provider, true
}

// isEmpty is Mesos's Resources::isEmpty for one element.
func (r *Resource) isEmpty() bool {
	if r.m != nil && r.m.shared && r.shares == 0 {
		return true
	}
	switch r.typ {
	case mesospb.Value_SCALAR:
		return r.scalar == 0
	case mesospb.Value_RANGES:
		return len(r.ranges) == 0
	case mesospb.Value_SET:
		return len(r.set) == 0
	}
	return false
}

// sameIdentity compares everything but the value.
func sameIdentity(a, b *Resource) bool {
	if a.name != b.name || a.typ != b.typ || a.alloc != b.alloc {
		return false
	}
	if a.m == b.m {
		return true
	}
	if a.m == nil || b.m == nil {
		return false
	}
	return a.m.key == b.m.key
}

// sameValue compares the values of two resources of the same type.
func sameValue(a, b *Resource) bool {
	switch a.typ {
	case mesospb.Value_SCALAR:
		return a.scalar == b.scalar
	case mesospb.Value_RANGES:
		return slices.Equal(a.ranges, b.ranges)
	case mesospb.Value_SET:
		return len(a.set) == len(b.set) && setSubset(a.set, b.set)
	}
	return false
}

// equalResource is Mesos's Resource == plus the shared count.
func equalResource(a, b *Resource) bool {
	return sameIdentity(a, b) && sameValue(a, b) && a.shares == b.shares
}

// addable is Mesos's internal::addable: two resources merge when their
// identities are equal, unless they are exclusive (persistent volumes,
// MOUNT/BLOCK disks, RAW disks with an id). Shared resources merge only
// with an equal resource, and then their copy counts add up.
func addable(a, b *Resource) bool {
	if a.IsShared() != b.IsShared() {
		return false
	}
	if a.IsShared() {
		return sameIdentity(a, b) && sameValue(a, b)
	}
	return sameIdentity(a, b) && (a.m == nil || !a.m.exclusive)
}

// subtractable is Mesos's internal::subtractable: like addable, except an
// exclusive resource can be subtracted when it is exactly equal.
func subtractable(a, b *Resource) bool {
	if a.IsShared() != b.IsShared() {
		return false
	}
	if !sameIdentity(a, b) {
		return false
	}
	if a.IsShared() || (a.m != nil && a.m.exclusive) {
		return sameValue(a, b)
	}
	return true
}

// containsResource is Mesos's contains(Resource, Resource) (and the shared
// variant on Resource_).
func containsResource(a, b *Resource) bool {
	if !subtractable(a, b) {
		return false
	}
	if a.IsShared() {
		return a.shares >= b.shares
	}
	switch a.typ {
	case mesospb.Value_SCALAR:
		return b.scalar <= a.scalar
	case mesospb.Value_RANGES:
		return rangesSubset(b.ranges, a.ranges)
	case mesospb.Value_SET:
		return setSubset(b.set, a.set)
	}
	return false
}

// mergeInto adds b's value to a (a and b are addable).
func mergeInto(a *Resource, b *Resource) {
	if a.IsShared() {
		a.shares += b.shares
		return
	}
	switch a.typ {
	case mesospb.Value_SCALAR:
		a.scalar += b.scalar
	case mesospb.Value_RANGES:
		a.ranges = unionRanges(a.ranges, b.ranges)
	case mesospb.Value_SET:
		a.set = unionSet(a.set, b.set)
	}
}

// subtractFrom removes b's value from a (a and b are subtractable) and
// reports whether a became empty or negative.
func subtractFrom(a *Resource, b *Resource) (gone bool) {
	if a.IsShared() {
		a.shares -= b.shares
		return a.shares <= 0
	}
	switch a.typ {
	case mesospb.Value_SCALAR:
		a.scalar -= b.scalar
		return a.scalar <= 0
	case mesospb.Value_RANGES:
		a.ranges = subtractRanges(a.ranges, b.ranges)
		return len(a.ranges) == 0
	case mesospb.Value_SET:
		a.set = subtractSet(a.set, b.set)
		return len(a.set) == 0
	}
	return false
}

// withMeta returns r with its metadata replaced by a canonicalized copy of
// m (nil when m carries nothing).
func (r Resource) withMeta(m metadata) Resource {
	r.m = canonicalMeta(m)
	if r.m == nil || !r.m.shared {
		r.shares = 0
	} else if r.shares == 0 {
		r.shares = 1
	}
	return r
}

func (r Resource) meta() metadata {
	if r.m == nil {
		return metadata{}
	}
	return *r.m
}

// canonicalMeta computes the identity key, or returns nil when the
// metadata is empty.
func canonicalMeta(m metadata) *metadata {
	if len(m.reservations) == 0 && m.disk == nil && !m.revocable && !m.shared && m.provider == nil {
		return nil
	}
	var b strings.Builder
	field := func(tag byte, s string) {
		b.WriteByte(tag)
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	for _, res := range m.reservations {
		b.WriteByte('R')
		field('t', res.GetType().String())
		field('r', res.GetRole())
		if res.Principal != nil {
			field('p', res.GetPrincipal())
		}
		if res.Labels != nil {
			labelsKey(&b, 'l', res.GetLabels())
		}
	}
	m.exclusive = false
	if d := m.disk; d != nil {
		b.WriteByte('D')
		if s := d.GetSource(); s != nil {
			field('s', s.GetType().String())
			if s.Path != nil {
				b.WriteByte('P')
				if s.GetPath().Root != nil {
					field('r', s.GetPath().GetRoot())
				}
			}
			if s.Mount != nil {
				b.WriteByte('M')
				if s.GetMount().Root != nil {
					field('r', s.GetMount().GetRoot())
				}
			}
			if s.Vendor != nil {
				field('v', s.GetVendor())
			}
			if s.Id != nil {
				field('i', s.GetId())
			}
			if s.Metadata != nil {
				labelsKey(&b, 'm', s.GetMetadata())
			}
			if s.Profile != nil {
				field('f', s.GetProfile())
			}
			switch s.GetType() {
			case mesospb.Resource_DiskInfo_Source_MOUNT, mesospb.Resource_DiskInfo_Source_BLOCK:
				m.exclusive = true
			case mesospb.Resource_DiskInfo_Source_RAW:
				if s.Id != nil {
					m.exclusive = true
				}
			}
		}
		// NB: the volume is not part of the identity (Mesos ignores it
		// when comparing DiskInfo), nor is the persistence principal.
		if p := d.GetPersistence(); p != nil {
			field('p', p.GetId())
			m.exclusive = true
		}
	}
	if m.revocable {
		b.WriteByte('V')
	}
	if m.shared {
		b.WriteByte('S')
	}
	if m.provider != nil {
		field('q', *m.provider)
	}
	m.key = b.String()
	return &m
}

// labelsKey encodes labels order-insensitively, as Mesos compares them.
func labelsKey(b *strings.Builder, tag byte, l *mesospb.Labels) {
	type kv struct{ k, v string }
	kvs := make([]kv, 0, len(l.GetLabels()))
	for _, x := range l.GetLabels() {
		kvs = append(kvs, kv{x.GetKey(), x.GetValue()})
	}
	slices.SortFunc(kvs, func(a, b kv) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	b.WriteByte(tag)
	b.WriteString(strconv.Itoa(len(kvs)))
	for _, x := range kvs {
		b.WriteByte('|')
		b.WriteString(strconv.Itoa(len(x.k)))
		b.WriteByte(':')
		b.WriteString(x.k)
		b.WriteString(strconv.Itoa(len(x.v)))
		b.WriteByte(':')
		b.WriteString(x.v)
	}
}

// WithReservation returns a copy of r with reservation pushed on top of its
// reservation stack. The reservation must be valid: a role that is not "*",
// a type, and (when refining) a role strictly below the current one and
// type DYNAMIC.
func (r Resource) WithReservation(res *mesospb.Resource_ReservationInfo) (Resource, error) {
	m := r.meta()
	m.reservations = append(slices.Clip(m.reservations), proto.Clone(res).(*mesospb.Resource_ReservationInfo))
	if err := validateReservations(m.reservations); err != nil {
		return Resource{}, err
	}
	return r.withMeta(m), nil
}

// StaticReservation returns a STATIC reservation to role.
func StaticReservation(role string) *mesospb.Resource_ReservationInfo {
	t := mesospb.Resource_ReservationInfo_STATIC
	return &mesospb.Resource_ReservationInfo{Type: &t, Role: proto.String(role)}
}

// DynamicReservation returns a DYNAMIC reservation to role by principal
// (principal "" leaves it unset).
func DynamicReservation(role, principal string) *mesospb.Resource_ReservationInfo {
	t := mesospb.Resource_ReservationInfo_DYNAMIC
	res := &mesospb.Resource_ReservationInfo{Type: &t, Role: proto.String(role)}
	if principal != "" {
		res.Principal = proto.String(principal)
	}
	return res
}

// AsRevocable returns a revocable copy of r.
func (r Resource) AsRevocable() Resource {
	m := r.meta()
	m.revocable = true
	return r.withMeta(m)
}

// Allocated returns a copy of r allocated to role ("" clears it).
func (r Resource) Allocated(role string) Resource {
	r.alloc = role
	return r
}

// Equal reports whether two resources are equal: same identity, same value
// (and same copy count for shared resources).
func (r Resource) Equal(o Resource) bool { return equalResource(&r, &o) }

// Contains reports whether o fits in r: same identity and a smaller or
// equal value.
func (r Resource) Contains(o Resource) bool { return containsResource(&r, &o) }

// String renders the resource as Mesos does in its logs, e.g.
// "cpus(allocated: web)(reservations: [(STATIC,web)]):4".
func (r Resource) String() string {
	var b strings.Builder
	r.writeTo(&b)
	return b.String()
}

func (r *Resource) writeTo(b *strings.Builder) {
	b.WriteString(r.name)
	if r.alloc != "" {
		b.WriteString("(allocated: ")
		b.WriteString(r.alloc)
		b.WriteByte(')')
	}
	if r.m != nil {
		if len(r.m.reservations) > 0 {
			b.WriteString("(reservations: [")
			for i, res := range r.m.reservations {
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteByte('(')
				b.WriteString(res.GetType().String())
				b.WriteByte(',')
				b.WriteString(res.GetRole())
				if res.Principal != nil {
					b.WriteByte(',')
					b.WriteString(res.GetPrincipal())
				}
				if res.Labels != nil {
					b.WriteByte(',')
					b.WriteString(formatLabels(res.GetLabels()))
				}
				b.WriteByte(')')
			}
			b.WriteString("])")
		}
		if r.m.disk != nil {
			b.WriteByte('[')
			b.WriteString(formatDisk(r.m.disk))
			b.WriteByte(']')
		}
		if r.m.revocable {
			b.WriteString("{REV}")
		}
		if r.m.shared {
			b.WriteString("<SHARED>")
		}
	}
	b.WriteByte(':')
	switch r.typ {
	case mesospb.Value_SCALAR:
		b.WriteString(r.scalar.String())
	case mesospb.Value_RANGES:
		b.WriteString(formatRanges(r.ranges))
	case mesospb.Value_SET:
		b.WriteString(formatSet(r.set))
	}
	if r.IsShared() {
		b.WriteByte('<')
		b.WriteString(strconv.Itoa(int(r.shares)))
		b.WriteByte('>')
	}
}

func formatLabels(l *mesospb.Labels) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, x := range l.GetLabels() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(x.GetKey())
		if x.Value != nil {
			b.WriteString(": ")
			b.WriteString(x.GetValue())
		}
	}
	b.WriteByte('}')
	return b.String()
}

func formatDisk(d *mesospb.Resource_DiskInfo) string {
	var b strings.Builder
	if s := d.GetSource(); s != nil {
		csi := s.Id != nil || s.Profile != nil
		b.WriteString(s.GetType().String())
		switch {
		case csi:
			b.WriteString("(" + s.GetVendor() + "," + s.GetId() + "," + s.GetProfile() + ")")
		case s.GetType() == mesospb.Resource_DiskInfo_Source_MOUNT && s.GetMount().Root != nil:
			b.WriteString(":" + s.GetMount().GetRoot())
		case s.GetType() == mesospb.Resource_DiskInfo_Source_PATH && s.GetPath().Root != nil:
			b.WriteString(":" + s.GetPath().GetRoot())
		}
	}
	if p := d.GetPersistence(); p != nil {
		if d.Source != nil {
			b.WriteByte(',')
		}
		b.WriteString(p.GetId())
	}
	if v := d.GetVolume(); v != nil {
		cfg := v.GetContainerPath()
		if v.HostPath != nil {
			cfg = v.GetHostPath() + ":" + cfg
			if v.Mode != nil {
				switch v.GetMode() {
				case mesospb.Volume_RW:
					cfg += ":rw"
				case mesospb.Volume_RO:
					cfg += ":ro"
				}
			}
		}
		b.WriteString(":" + cfg)
	}
	return b.String()
}

// ToProto converts the resource to its wire form in the
// "post-reservation-refinement" format (reservations in the
// `reservations` stack, `role` and `reservation` unset). A shared resource
// is emitted once; [Resources.ToProto] emits one element per copy.
func (r Resource) ToProto() *mesospb.Resource {
	typ := r.typ
	out := &mesospb.Resource{Name: proto.String(r.name), Type: &typ}
	switch r.typ {
	case mesospb.Value_SCALAR:
		out.Scalar = &mesospb.Value_Scalar{Value: proto.Float64(r.scalar.Float64())}
	case mesospb.Value_RANGES:
		rs := &mesospb.Value_Ranges{Range: make([]*mesospb.Value_Range, len(r.ranges))}
		for i, x := range r.ranges {
			rs.Range[i] = &mesospb.Value_Range{Begin: proto.Uint64(x.Begin), End: proto.Uint64(x.End)}
		}
		out.Ranges = rs
	case mesospb.Value_SET:
		out.Set = &mesospb.Value_Set{Item: slices.Clone(r.set)}
	}
	if r.alloc != "" {
		out.AllocationInfo = &mesospb.Resource_AllocationInfo{Role: proto.String(r.alloc)}
	}
	if m := r.m; m != nil {
		for _, res := range m.reservations {
			out.Reservations = append(out.Reservations, proto.Clone(res).(*mesospb.Resource_ReservationInfo))
		}
		if m.disk != nil {
			out.Disk = proto.Clone(m.disk).(*mesospb.Resource_DiskInfo)
		}
		if m.revocable {
			out.Revocable = &mesospb.Resource_RevocableInfo{}
		}
		if m.shared {
			out.Shared = &mesospb.Resource_SharedInfo{}
		}
		if m.provider != nil {
			out.ProviderId = &mesospb.ResourceProviderID{Value: proto.String(*m.provider)}
		}
	}
	return out
}

// ResourceFromProto validates a wire resource the way Mesos's
// Resources::validate does and converts it. Both the
// "pre-reservation-refinement" format (`role` + `reservation`) and the
// "post-reservation-refinement" format (`reservations`) are accepted, as
// is the "endpoint" format that sets both consistently.
func ResourceFromProto(p *mesospb.Resource) (Resource, error) {
	if err := validateProto(p); err != nil {
		return Resource{}, fmt.Errorf("Resource '%s' is invalid: %w", protoText(p), err)
	}
	r := Resource{name: p.GetName(), typ: p.GetType()}
	switch r.typ {
	case mesospb.Value_SCALAR:
		r.scalar = ScalarOf(p.GetScalar().GetValue())
	case mesospb.Value_RANGES:
		rs := make([]Range, 0, len(p.GetRanges().GetRange()))
		for _, x := range p.GetRanges().GetRange() {
			rs = append(rs, Range{x.GetBegin(), x.GetEnd()})
		}
		r.ranges = coalesceRanges(rs)
	case mesospb.Value_SET:
		r.set = slices.Clone(p.GetSet().GetItem())
	}
	if p.AllocationInfo != nil {
		r.alloc = p.GetAllocationInfo().GetRole()
	}
	var m metadata
	switch {
	case len(p.GetReservations()) > 0:
		for _, res := range p.GetReservations() {
			m.reservations = append(m.reservations, proto.Clone(res).(*mesospb.Resource_ReservationInfo))
		}
	case p.Role != nil && p.GetRole() != "*":
		if p.Reservation == nil {
			m.reservations = []*mesospb.Resource_ReservationInfo{StaticReservation(p.GetRole())}
		} else {
			res := proto.Clone(p.GetReservation()).(*mesospb.Resource_ReservationInfo)
			t := mesospb.Resource_ReservationInfo_DYNAMIC
			res.Type = &t
			res.Role = proto.String(p.GetRole())
			m.reservations = []*mesospb.Resource_ReservationInfo{res}
		}
	}
	if p.Disk != nil {
		m.disk = proto.Clone(p.GetDisk()).(*mesospb.Resource_DiskInfo)
	}
	m.revocable = p.Revocable != nil
	m.shared = p.Shared != nil
	if p.ProviderId != nil {
		m.provider = proto.String(p.GetProviderId().GetValue())
	}
	return r.withMeta(m), nil
}

func protoText(p *mesospb.Resource) string {
	if p == nil {
		return "<nil>"
	}
	return strings.TrimSpace(p.String())
}

// validateProto is Mesos's Resources::validate(const Resource&).
func validateProto(p *mesospb.Resource) error {
	if p == nil {
		return errors.New("nil resource")
	}
	if p.GetName() == "" {
		return errors.New("Empty resource name")
	}
	if p.Type == nil {
		return errors.New("Invalid resource type")
	}
	switch p.GetType() {
	case mesospb.Value_SCALAR:
		if p.Scalar == nil || p.Ranges != nil || p.Set != nil {
			return errors.New("Invalid scalar resource")
		}
		// As the master and agents do (src/common/resources.cpp): no
		// negative values, and no non-zero values that round to zero in
		// fixed point ("cpus:0.00001").
		v := p.GetScalar().GetValue()
		if v != 0 && ScalarOf(v) <= 0 {
			return errors.New("Invalid scalar resource: value <= 0")
		}
		// NB: Mesos does not check for infinity; it cannot be represented
		// in fixed point, so we reject it.
		if math.IsInf(v, 0) {
			return errors.New("Invalid scalar resource: value is not finite")
		}
	case mesospb.Value_RANGES:
		if p.Scalar != nil || p.Ranges == nil || p.Set != nil {
			return errors.New("Invalid ranges resource")
		}
		rs := p.GetRanges().GetRange()
		for i, r := range rs {
			if r.GetBegin() > r.GetEnd() {
				return errors.New("Invalid ranges resource: begin > end")
			}
			for _, o := range rs[i+1:] {
				if r.GetBegin() <= o.GetBegin() && o.GetBegin() <= r.GetEnd() {
					return errors.New("Invalid ranges resource: overlapping ranges")
				}
			}
		}
	case mesospb.Value_SET:
		if p.Scalar != nil || p.Ranges != nil || p.Set == nil {
			return errors.New("Invalid set resource")
		}
		items := p.GetSet().GetItem()
		for i, it := range items {
			if slices.Contains(items[i+1:], it) {
				return errors.New("Invalid set resource: duplicated elements")
			}
		}
	default:
		return errors.New("Unsupported resource type")
	}
	if p.Disk != nil {
		if p.GetName() != "disk" {
			return fmt.Errorf("DiskInfo should not be set for %s resource", p.GetName())
		}
		if s := p.GetDisk().GetSource(); s != nil {
			switch s.GetType() {
			case mesospb.Resource_DiskInfo_Source_PATH, mesospb.Resource_DiskInfo_Source_MOUNT:
			case mesospb.Resource_DiskInfo_Source_BLOCK, mesospb.Resource_DiskInfo_Source_RAW:
				if s.Mount != nil {
					return fmt.Errorf("Mount should not be set for %s disk source", s.GetType())
				}
				if s.Path != nil {
					return fmt.Errorf("Path should not be set for %s disk source", s.GetType())
				}
			default:
				return fmt.Errorf("Unsupported 'DiskInfo.Source.Type' in '%s'", strings.TrimSpace(s.String()))
			}
		}
	}
	if len(p.GetReservations()) == 0 {
		if err := ValidateRole(p.GetRole()); err != nil {
			return err
		}
		if res := p.GetReservation(); res != nil {
			if res.Type != nil {
				return errors.New("'Resource.ReservationInfo.type' must not be set for the 'Resource.reservation' field")
			}
			if res.Role != nil {
				return errors.New("'Resource.ReservationInfo.role' must not be set for the 'Resource.reservation' field")
			}
			if p.GetRole() == "*" {
				return errors.New(`Invalid reservation: role "*" cannot be dynamically reserved`)
			}
		}
	} else {
		if err := validateReservations(p.GetReservations()); err != nil {
			return err
		}
		if len(p.GetReservations()) == 1 {
			res := p.GetReservations()[0]
			if p.Role != nil && p.GetRole() != res.GetRole() {
				return fmt.Errorf("Invalid resource format: 'Resource.role' field with '%s' does not match the role '%s' in 'Resource.reservations'", p.GetRole(), res.GetRole())
			}
			switch res.GetType() {
			case mesospb.Resource_ReservationInfo_STATIC:
				if p.Reservation != nil {
					return errors.New("Invalid resource format: 'Resource.reservation' must not be set if the single reservation in 'Resource.reservations' is STATIC")
				}
			case mesospb.Resource_ReservationInfo_DYNAMIC:
				if (p.Role != nil) != (p.Reservation != nil) {
					return errors.New("Invalid resource format: 'Resource.role' and 'Resource.reservation' must either be both set or both not set if the single reservation in 'Resource.reservations' is DYNAMIC")
				}
				if p.Reservation != nil && p.GetReservation().GetPrincipal() != res.GetPrincipal() {
					return fmt.Errorf("Invalid resource format: 'Resource.reservation.principal' field with '%s' does not match the principal '%s' in 'Resource.reservations'", p.GetReservation().GetPrincipal(), res.GetPrincipal())
				}
				if p.Reservation != nil && !proto.Equal(p.GetReservation().GetLabels(), res.GetLabels()) {
					return errors.New("Invalid resource format: 'Resource.reservation.labels' does not match the labels in 'Resource.reservations'")
				}
			default:
				return errors.New("Unsupported 'Resource.ReservationInfo.Type'")
			}
		} else {
			if p.Role != nil {
				return errors.New("Invalid resource format: 'Resource.role' must not be set if there is more than one reservation in 'Resource.reservations'")
			}
			if p.Reservation != nil {
				return errors.New("Invalid resource format: 'Resource.reservation' must not be set if there is more than one reservation in 'Resource.reservations'")
			}
		}
	}
	if p.Shared != nil {
		if p.GetName() != "disk" {
			return fmt.Errorf("Resource %s cannot be shared", p.GetName())
		}
		if p.GetDisk().GetPersistence() == nil {
			return errors.New("Only persistent volumes can be shared")
		}
	}
	return nil
}

// validateReservations checks a post-refinement reservation stack.
func validateReservations(stack []*mesospb.Resource_ReservationInfo) error {
	for _, res := range stack {
		if res.Type == nil {
			return errors.New("Invalid reservation: 'Resource.ReservationInfo.type' field must be set.")
		}
		if res.Role == nil {
			return errors.New("Invalid reservation: 'Resource.ReservationInfo.role' field must be set.")
		}
		if err := ValidateRole(res.GetRole()); err != nil {
			return err
		}
		if res.GetRole() == "*" {
			return errors.New(`Invalid reservation: role "*" cannot be reserved`)
		}
	}
	if len(stack) == 0 {
		return nil
	}
	ancestor := stack[0].GetRole()
	for _, res := range stack[1:] {
		if res.GetType() == mesospb.Resource_ReservationInfo_STATIC {
			return errors.New("Invalid refined reservation: A refined reservation cannot be STATIC")
		}
		if !IsStrictSubroleOf(res.GetRole(), ancestor) {
			return fmt.Errorf("Invalid refined reservation: role '%s' is not a refinement of '%s'", res.GetRole(), ancestor)
		}
		ancestor = res.GetRole()
	}
	return nil
}
