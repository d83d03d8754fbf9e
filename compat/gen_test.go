package compat

import (
	"fmt"
	"math"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"pgregory.net/rapid"
)

// policy says what the generic generator may produce.
type policy struct {
	// skip reports fields to leave unset.
	skip func(protoreflect.FieldDescriptor) bool
	// force reports optional fields to set always.
	force func(protoreflect.FieldDescriptor) bool
	// enumOK reports enum values that may be drawn (besides being declared).
	enumOK func(protoreflect.EnumValueDescriptor) bool
	// specialFloats allows NaN, ±Inf and -0 (not representable in JSON).
	specialFloats bool
	// maxDepth bounds nesting: below it only required and forced fields
	// are set (recursively), and repeated fields and maps stay empty.
	maxDepth int
}

// compatPolicy generates what mesos-go v0.0.11 can carry without loss: no
// field or enum value of mesosGoLacks, and always the fields that mesos-go
// always writes or requires.
func compatPolicy(specialFloats bool) policy {
	return policy{
		skip: func(fd protoreflect.FieldDescriptor) bool {
			_, ok := lackedByName[fieldRef(fd)]
			return ok
		},
		force: func(fd protoreflect.FieldDescriptor) bool {
			return alwaysWritten[fieldRef(fd)] || mesosGoRequires[fieldRef(fd)]
		},
		enumOK: func(v protoreflect.EnumValueDescriptor) bool {
			_, ok := lackedByName[enumValueRef(v)]
			return !ok
		},
		specialFloats: specialFloats,
		maxDepth:      4,
	}
}

// oursOnlyPolicy generates anything our descriptors allow (for checks that do
// not involve mesos-go).
func oursOnlyPolicy() policy {
	return policy{
		skip:     func(protoreflect.FieldDescriptor) bool { return false },
		force:    func(protoreflect.FieldDescriptor) bool { return false },
		enumOK:   func(protoreflect.EnumValueDescriptor) bool { return true },
		maxDepth: 4,
	}
}

// newOurs returns a new, empty message of ours with the given descriptor.
func newOurs(md protoreflect.MessageDescriptor) protoreflect.Message {
	mt, err := protoregistry.GlobalTypes.FindMessageByName(md.FullName())
	if err != nil {
		panic(err)
	}
	return mt.New()
}

// genMessage draws a random message of our type md. Every required field is
// set, recursively, so the result is initialized (proto.CheckInitialized).
func genMessage(t *rapid.T, md protoreflect.MessageDescriptor, p policy) proto.Message {
	g := &generator{t: t, p: p}
	m := newOurs(md)
	g.fill(m, 0, string(md.Name()))
	return m.Interface()
}

type generator struct {
	t *rapid.T
	p policy
}

func (g *generator) fill(m protoreflect.Message, depth int, path string) {
	if depth > 32 {
		panic("required fields nest too deep at " + path)
	}
	md := m.Descriptor()
	deep := depth >= g.p.maxDepth
	doneOneofs := map[protoreflect.Name]bool{}
	fields := md.Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if g.p.skip(fd) {
			continue
		}
		label := path + "." + string(fd.Name())
		if od := fd.ContainingOneof(); od != nil && !od.IsSynthetic() {
			if doneOneofs[od.Name()] {
				continue
			}
			doneOneofs[od.Name()] = true
			var members []protoreflect.FieldDescriptor
			for j := 0; j < od.Fields().Len(); j++ {
				if f := od.Fields().Get(j); !g.p.skip(f) {
					members = append(members, f)
				}
			}
			if deep || len(members) == 0 {
				continue
			}
			k := rapid.IntRange(-1, len(members)-1).Draw(g.t, path+"."+string(od.Name())+"#")
			if k >= 0 {
				f := members[k]
				m.Set(f, g.singular(m, f, depth, path+"."+string(f.Name())))
			}
			continue
		}
		switch {
		case fd.IsMap():
			n := g.count(depth, label+"#")
			mp := m.Mutable(fd).Map()
			for j := 0; j < n; j++ {
				k := g.scalar(fd.MapKey(), fmt.Sprintf("%s[%d].key", label, j))
				mp.Set(k.MapKey(), g.mapValue(mp, fd.MapValue(), depth, fmt.Sprintf("%s[%d]", label, j)))
			}
			if mp.Len() == 0 {
				m.Clear(fd)
			}
		case fd.IsList():
			n := g.count(depth, label+"#")
			if n == 0 {
				continue
			}
			l := m.Mutable(fd).List()
			for j := 0; j < n; j++ {
				if fd.Message() != nil {
					e := l.NewElement()
					g.fill(e.Message(), depth+1, fmt.Sprintf("%s[%d]", label, j))
					l.Append(e)
				} else {
					l.Append(g.scalar(fd, fmt.Sprintf("%s[%d]", label, j)))
				}
			}
		default:
			set := fd.Cardinality() == protoreflect.Required || g.p.force(fd)
			if !set && !deep {
				// Presence becomes less likely with depth: 1/2, 1/3, 1/4...
				// (and shrinks towards unset).
				set = rapid.IntRange(0, depth+1).Draw(g.t, label+"?") == depth+1
			}
			if set {
				m.Set(fd, g.singular(m, fd, depth, label))
			}
		}
	}
}

// count draws the length of a repeated field or map.
func (g *generator) count(depth int, label string) int {
	max := g.p.maxDepth - 1 - depth
	if max <= 0 {
		return 0
	}
	if max > 3 {
		max = 3
	}
	return rapid.IntRange(0, max).Draw(g.t, label)
}

func (g *generator) singular(m protoreflect.Message, fd protoreflect.FieldDescriptor, depth int, label string) protoreflect.Value {
	if fd.Message() != nil {
		v := m.NewField(fd)
		g.fill(v.Message(), depth+1, label)
		return v
	}
	return g.scalar(fd, label)
}

func (g *generator) mapValue(mp protoreflect.Map, fd protoreflect.FieldDescriptor, depth int, label string) protoreflect.Value {
	if fd.Message() != nil {
		v := mp.NewValue()
		g.fill(v.Message(), depth+1, label)
		return v
	}
	return g.scalar(fd, label)
}

func (g *generator) scalar(fd protoreflect.FieldDescriptor, label string) protoreflect.Value {
	t := g.t
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(rapid.Bool().Draw(t, label))
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(rapid.Int32().Draw(t, label))
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(rapid.Int64().Draw(t, label))
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(rapid.Uint32().Draw(t, label))
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(rapid.Uint64().Draw(t, label))
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(g.float(label, true)))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(g.float(label, false))
	case protoreflect.StringKind:
		s := rapid.StringN(0, 12, -1).Draw(t, label)
		if !utf8.ValidString(s) {
			panic("rapid drew invalid UTF-8")
		}
		return protoreflect.ValueOfString(s)
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes(rapid.SliceOfN(rapid.Byte(), 0, 12).Draw(t, label))
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		var ok []protoreflect.EnumNumber
		for i := 0; i < vals.Len(); i++ {
			if v := vals.Get(i); g.p.enumOK(v) {
				ok = append(ok, v.Number())
			}
		}
		return protoreflect.ValueOfEnum(rapid.SampledFrom(ok).Draw(t, label))
	}
	panic(fmt.Sprintf("%s: unexpected kind %v", label, fd.Kind()))
}

func (g *generator) float(label string, single bool) float64 {
	if g.p.specialFloats && rapid.IntRange(0, 9).Draw(g.t, label+"!") == 9 {
		return rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1)}).Draw(g.t, label)
	}
	if single {
		return float64(rapid.Float32().Draw(g.t, label))
	}
	return rapid.Float64().Draw(g.t, label)
}

// minimal returns a message of our type md with only its required fields set
// (recursively), plus the optional fields that p forces, all to fixed
// non-zero values: strings "x", bytes {1}, numbers 1, booleans true, enums
// their first value that p allows.
func minimal(md protoreflect.MessageDescriptor, p policy) protoreflect.Message {
	m := newOurs(md)
	fillMinimal(m, p)
	return m
}

func fillMinimal(m protoreflect.Message, p policy) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		if fd.Cardinality() != protoreflect.Required && !p.force(fd) {
			continue
		}
		m.Set(fd, minimalValue(m, fd, p))
	}
}

// minimalValue is the fixed value minimal uses for a singular field.
func minimalValue(m protoreflect.Message, fd protoreflect.FieldDescriptor, p policy) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.MessageKind, protoreflect.GroupKind:
		v := m.NewField(fd)
		fillMinimal(v.Message(), p)
		return v
	case protoreflect.BoolKind:
		return protoreflect.ValueOfBool(true)
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(1)
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(1)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(1)
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(1)
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(1)
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(1)
	case protoreflect.StringKind:
		return protoreflect.ValueOfString("x")
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes([]byte{1})
	case protoreflect.EnumKind:
		vals := fd.Enum().Values()
		for i := 0; i < vals.Len(); i++ {
			if v := vals.Get(i); p.enumOK(v) {
				return protoreflect.ValueOfEnum(v.Number())
			}
		}
	}
	panic(fmt.Sprintf("minimalValue: %s", fd.FullName()))
}

// genField sets field fd of m to a random, non-empty value (1 to 3 elements
// for repeated fields and maps).
func genField(t *rapid.T, m protoreflect.Message, fd protoreflect.FieldDescriptor, p policy) {
	g := &generator{t: t, p: p}
	label := string(fd.Name())
	switch {
	case fd.IsMap():
		mp := m.Mutable(fd).Map()
		for n := rapid.IntRange(1, 3).Draw(t, label+"#"); mp.Len() < n; {
			k := g.scalar(fd.MapKey(), label+".key")
			mp.Set(k.MapKey(), g.mapValue(mp, fd.MapValue(), 1, label+".value"))
		}
	case fd.IsList():
		l := m.Mutable(fd).List()
		for n, j := rapid.IntRange(1, 3).Draw(t, label+"#"), 0; j < n; j++ {
			if fd.Message() != nil {
				e := l.NewElement()
				g.fill(e.Message(), 1, fmt.Sprintf("%s[%d]", label, j))
				l.Append(e)
			} else {
				l.Append(g.scalar(fd, fmt.Sprintf("%s[%d]", label, j)))
			}
		}
	default:
		m.Set(fd, g.singular(m, fd, 0, label))
	}
}
