package allocator

import (
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// nameTable interns resource names to small integers so that scalar
// quantities can be kept in flat vectors.
type nameTable struct {
	ids   map[string]int
	names []string
}

func (t *nameTable) id(name string) int {
	if i, ok := t.ids[name]; ok {
		return i
	}
	if t.ids == nil {
		t.ids = map[string]int{}
	}
	i := len(t.names)
	t.ids[name] = i
	t.names = append(t.names, name)
	return i
}

// qvec holds fixed-point scalar quantities (thousandths) indexed by
// interned name. A short vector means zero for the missing names.
type qvec []int64

func (q qvec) get(i int) int64 {
	if i < len(q) {
		return q[i]
	}
	return 0
}

func (q *qvec) grow(n int) {
	if len(*q) < n {
		*q = append(*q, make([]int64, n-len(*q))...)
	}
}

func (q *qvec) addAt(i int, v int64) {
	q.grow(i + 1)
	(*q)[i] += v
}

func (q *qvec) add(o qvec) {
	q.grow(len(o))
	for i, v := range o {
		(*q)[i] += v
	}
}

// sub subtracts o and floors every entry at zero (ResourceQuantities
// semantics).
func (q *qvec) sub(o qvec) {
	for i, v := range o {
		if i >= len(*q) {
			break
		}
		(*q)[i] = max((*q)[i]-v, 0)
	}
}

func (q qvec) isZero() bool {
	for _, v := range q {
		if v != 0 {
			return false
		}
	}
	return true
}

func (q *qvec) reset() {
	for i := range *q {
		(*q)[i] = 0
	}
}

func (q *qvec) set(o qvec) {
	q.reset()
	q.add(o)
}

func (q qvec) clone() qvec { return append(qvec(nil), q...) }

// limitVec is a set of limits: has[i] marks a finite limit.
type limitVec struct {
	v   qvec
	has []bool
}

func (l limitVec) isEmpty() bool {
	for _, h := range l.has {
		if h {
			return false
		}
	}
	return true
}

// scalarSplit accumulates the scalar quantities of rs into all, and the
// reserved and unreserved non-revocable parts into reserved and quota
// (which may be nil).
func (t *nameTable) scalarSplit(rs resources.Resources, all, reserved, quota *qvec) {
	for r := range rs.All() {
		if r.Type() != mesospb.Value_SCALAR {
			continue
		}
		i := t.id(r.Name())
		v := int64(r.Scalar())
		if all != nil {
			all.addAt(i, v)
		}
		if r.IsReserved() {
			if reserved != nil {
				reserved.addAt(i, v)
			}
		} else if !r.IsRevocable() && quota != nil {
			quota.addAt(i, v)
		}
	}
}

// toQvec converts quantities to a vector.
func (t *nameTable) toQvec(q resources.Quantities) qvec {
	var out qvec
	for x := range q.All() {
		out.addAt(t.id(x.Name), int64(x.Value))
	}
	return out
}

func (t *nameTable) toLimitVec(l resources.Limits) limitVec {
	var out limitVec
	for x := range l.All() {
		i := t.id(x.Name)
		out.v.addAt(i, int64(x.Value))
		for len(out.has) <= i {
			out.has = append(out.has, false)
		}
		out.has[i] = true
	}
	return out
}

// budget is a [resources.Budget] over a vector. When limited is nil,
// every name is limited and an absent name has a zero budget
// (ResourceQuantities semantics); otherwise only the names marked in
// limited are, the others are unlimited (ResourceLimits semantics).
type budget struct {
	t       *nameTable
	v       qvec
	limited []bool
}

func (b *budget) Budget(name string) (resources.Scalar, bool) {
	i, ok := b.t.ids[name]
	if b.limited != nil && (!ok || i >= len(b.limited) || !b.limited[i]) {
		return 0, false
	}
	if !ok {
		return 0, true
	}
	return resources.Scalar(b.v.get(i)), true
}

func (b *budget) Charge(name string, v resources.Scalar) {
	b.v.addAt(b.t.ids[name], -int64(v))
}

// quantities sets the budget to the quantities q.
func (b *budget) quantities(t *nameTable, q qvec) *budget {
	b.t = t
	b.v.set(q)
	b.limited = nil
	return b
}

// limits sets the budget to l minus the consumed vectors, floored at zero.
func (b *budget) limits(t *nameTable, l limitVec, consumed ...qvec) *budget {
	b.t = t
	b.v.set(l.v)
	for _, c := range consumed {
		b.v.sub(c)
	}
	b.limited = l.has
	return b
}
