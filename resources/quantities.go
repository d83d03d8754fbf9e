package resources

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// Quantity is an amount of a named resource.
type Quantity struct {
	Name  string
	Value Scalar
}

// Quantities is a set of positive amounts by resource name, like Mesos's
// ResourceQuantities: an absent name means zero, arithmetic drops entries
// that reach zero and subtraction floors at zero. It is an immutable
// value; the zero value is empty.
type Quantities struct {
	q []Quantity // sorted by name, all values > 0
}

// QuantitiesOf builds Quantities from a map of float amounts; zero and
// negative amounts are dropped.
func QuantitiesOf(m map[string]float64) Quantities {
	var q Quantities
	for name, v := range m {
		if s := ScalarOf(v); s > 0 {
			q.add(name, s)
		}
	}
	return q
}

// NewQuantities builds Quantities from amounts; repeated names add up and
// amounts that are not positive are dropped.
func NewQuantities(qs ...Quantity) Quantities {
	var q Quantities
	for _, x := range qs {
		q.add(x.Name, x.Value)
	}
	return q
}

// ParseQuantities parses "cpus:10;mem:1024" as Mesos's
// ResourceQuantities::fromString does: scalars only, negative values are
// an error, zeros are dropped, repeated names add up.
func ParseQuantities(text string) (Quantities, error) {
	var q Quantities
	for _, token := range tokenize(text, ";") {
		pair := tokenize(token, ":")
		if len(pair) != 2 {
			return Quantities{}, fmt.Errorf("Failed to parse '%s': missing or extra ':'", token)
		}
		v, err := parseValue(pair[1])
		if err != nil {
			return Quantities{}, fmt.Errorf("Failed to parse '%s' to quantity: %v", pair[1], err)
		}
		if v.typ != mesospb.Value_SCALAR {
			return Quantities{}, fmt.Errorf("Failed to parse '%s' to quantity: only scalar values are allowed", pair[1])
		}
		if s := ScalarOf(v.scalar); s > 0 {
			q.add(trim(pair[0]), s)
		}
	}
	return q, nil
}

// MustParseQuantities is ParseQuantities that panics on error.
func MustParseQuantities(text string) Quantities {
	q, err := ParseQuantities(text)
	if err != nil {
		panic(err)
	}
	return q
}

func (q Quantities) clone() Quantities { return Quantities{slices.Clone(q.q)} }

func (q Quantities) find(name string) (int, bool) {
	return slices.BinarySearchFunc(q.q, name, func(x Quantity, n string) int { return strings.Compare(x.Name, n) })
}

// add adds v (> 0) to name in place; q must be owned by the caller.
func (q *Quantities) add(name string, v Scalar) {
	if v <= 0 {
		return
	}
	i, ok := q.find(name)
	if ok {
		q.q[i].Value += v
		return
	}
	q.q = slices.Insert(q.q, i, Quantity{name, v})
}

// sub subtracts v from name in place, dropping the entry at zero.
func (q *Quantities) sub(name string, v Scalar) {
	i, ok := q.find(name)
	if !ok {
		return
	}
	q.q[i].Value -= v
	if q.q[i].Value <= 0 {
		q.q = slices.Delete(q.q, i, i+1)
	}
}

// Get returns the amount of name (0 when absent).
func (q Quantities) Get(name string) Scalar {
	if i, ok := q.find(name); ok {
		return q.q[i].Value
	}
	return 0
}

// Len is the number of names.
func (q Quantities) Len() int { return len(q.q) }

// IsEmpty reports whether there are no amounts.
func (q Quantities) IsEmpty() bool { return len(q.q) == 0 }

// All iterates over the amounts in name order.
func (q Quantities) All() iter.Seq[Quantity] { return slices.Values(q.q) }

// Plus returns q + o.
func (q Quantities) Plus(o Quantities) Quantities {
	if o.IsEmpty() {
		return q
	}
	if q.IsEmpty() {
		return o
	}
	out := q.clone()
	for _, x := range o.q {
		out.add(x.Name, x.Value)
	}
	return out
}

// Minus returns q - o, flooring every amount at zero.
func (q Quantities) Minus(o Quantities) Quantities {
	if o.IsEmpty() || q.IsEmpty() {
		return q
	}
	out := q.clone()
	for _, x := range o.q {
		out.sub(x.Name, x.Value)
	}
	return out
}

// Contains reports whether q holds at least o of every name.
func (q Quantities) Contains(o Quantities) bool {
	for _, x := range o.q {
		if q.Get(x.Name) < x.Value {
			return false
		}
	}
	return true
}

// Equal reports whether q and o hold the same amounts.
func (q Quantities) Equal(o Quantities) bool { return slices.Equal(q.q, o.q) }

// String renders "cpus:1;mem:1024" (the text ParseQuantities reads);
// "{}" when empty.
func (q Quantities) String() string {
	if q.IsEmpty() {
		return "{}"
	}
	parts := make([]string, len(q.q))
	for i, x := range q.q {
		parts[i] = x.Name + ":" + x.Value.String()
	}
	return strings.Join(parts, ";")
}

// Limits is a set of upper bounds by resource name, like Mesos's
// ResourceLimits: an absent name means no limit (infinity) and zero
// limits are kept. It is an immutable value; the zero value limits
// nothing.
type Limits struct {
	l []Quantity // sorted by name, values >= 0
}

// ParseLimits parses "cpus:10;mem:1024" as Mesos's
// ResourceLimits::fromString does: scalars only, negative values and
// repeated names are errors, zeros are kept.
func ParseLimits(text string) (Limits, error) {
	var l Limits
	for _, token := range tokenize(text, ";") {
		pair := tokenize(token, ":")
		if len(pair) != 2 {
			return Limits{}, fmt.Errorf("Failed to parse '%s': missing or extra ':'", token)
		}
		v, err := parseValue(pair[1])
		if err != nil {
			return Limits{}, fmt.Errorf("Failed to parse '%s' to limit: %v", pair[1], err)
		}
		if v.typ != mesospb.Value_SCALAR {
			return Limits{}, fmt.Errorf("Failed to parse '%s' to limit: only scalar values are allowed", pair[1])
		}
		name := trim(pair[0])
		if _, ok := l.Get(name); ok {
			return Limits{}, fmt.Errorf("Failed to parse '%s' to limit: duplicate names are not allowed", pair[1])
		}
		l = l.With(name, ScalarOf(v.scalar))
	}
	return l, nil
}

// MustParseLimits is ParseLimits that panics on error.
func MustParseLimits(text string) Limits {
	l, err := ParseLimits(text)
	if err != nil {
		panic(err)
	}
	return l
}

// NewLimits builds Limits from amounts; a repeated name keeps the last
// value and negative values become zero.
func NewLimits(qs ...Quantity) Limits {
	var l Limits
	for _, x := range qs {
		l = l.With(x.Name, x.Value)
	}
	return l
}

// LimitsOf converts quantities to limits (Mesos's legacy quota, where the
// guarantee is also the limit).
func LimitsOf(q Quantities) Limits { return Limits{slices.Clone(q.q)} }

func (l Limits) clone() Limits { return Limits{slices.Clone(l.l)} }

func (l Limits) find(name string) (int, bool) {
	return slices.BinarySearchFunc(l.l, name, func(x Quantity, n string) int { return strings.Compare(x.Name, n) })
}

// With returns a copy with the limit for name set to v (negative v is
// treated as zero).
func (l Limits) With(name string, v Scalar) Limits {
	v = max(v, 0)
	out := l.clone()
	if i, ok := out.find(name); ok {
		out.l[i].Value = v
	} else {
		out.l = slices.Insert(out.l, i, Quantity{name, v})
	}
	return out
}

// sub lowers the limit of name by v in place, flooring at zero.
func (l *Limits) sub(name string, v Scalar) {
	if i, ok := l.find(name); ok {
		l.l[i].Value = max(l.l[i].Value-v, 0)
	}
}

// Get returns the limit for name and whether there is one.
func (l Limits) Get(name string) (Scalar, bool) {
	if i, ok := l.find(name); ok {
		return l.l[i].Value, true
	}
	return 0, false
}

// IsEmpty reports whether nothing is limited.
func (l Limits) IsEmpty() bool { return len(l.l) == 0 }

// Len is the number of limited names.
func (l Limits) Len() int { return len(l.l) }

// All iterates over the limits in name order.
func (l Limits) All() iter.Seq[Quantity] { return slices.Values(l.l) }

// MinusQuantities lowers each limit by the matching quantity, flooring at
// zero; unlimited names stay unlimited.
func (l Limits) MinusQuantities(q Quantities) Limits {
	if l.IsEmpty() || q.IsEmpty() {
		return l
	}
	out := l.clone()
	for _, x := range q.q {
		out.sub(x.Name, x.Value)
	}
	return out
}

// Contains reports whether q stays within the limits.
func (l Limits) Contains(q Quantities) bool {
	for _, x := range q.q {
		if v, ok := l.Get(x.Name); ok && x.Value > v {
			return false
		}
	}
	return true
}

// ContainsLimits reports whether every limit of o is within l: a finite
// limit never contains an infinite one.
func (l Limits) ContainsLimits(o Limits) bool {
	for _, x := range l.l {
		v, ok := o.Get(x.Name)
		if !ok || v > x.Value {
			return false
		}
	}
	return true
}

// Equal reports whether l and o are the same limits.
func (l Limits) Equal(o Limits) bool { return slices.Equal(l.l, o.l) }

// String renders "cpus:1;mem:1024"; "{}" when nothing is limited.
func (l Limits) String() string {
	if l.IsEmpty() {
		return "{}"
	}
	parts := make([]string, len(l.l))
	for i, x := range l.l {
		parts[i] = x.Name + ":" + x.Value.String()
	}
	return strings.Join(parts, ";")
}
