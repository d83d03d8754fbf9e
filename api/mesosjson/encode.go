package mesosjson

import (
	"encoding/base64"
	"fmt"
	"strconv"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Marshal returns the JSON encoding of m exactly as the Mesos master writes
// it (stout's jsonify(JSON::Protobuf(m))). See the package documentation for
// the rules. The only error is an enum field holding a number its enum type
// does not name, which Mesos cannot represent.
func Marshal(m proto.Message) ([]byte, error) {
	return AppendMarshal(nil, m)
}

// AppendMarshal appends the JSON encoding of m to dst, as Marshal does. On
// error it returns dst unchanged.
func AppendMarshal(dst []byte, m proto.Message) ([]byte, error) {
	if m == nil {
		return append(dst, '{', '}'), nil
	}
	mr := m.ProtoReflect()
	out, err := appendMessage(dst, mr, planFor(mr.Descriptor()))
	if err != nil {
		return dst, err
	}
	return out, nil
}

func appendMessage(b []byte, m protoreflect.Message, p *msgPlan) ([]byte, error) {
	b = append(b, '{')
	first := true
	var err error
	for _, f := range p.fields {
		var v protoreflect.Value
		switch {
		case f.list || f.isMap:
			if !m.Has(f.fd) { // repeated and map fields: Has means non-empty
				continue
			}
			v = m.Get(f.fd)
		default:
			if !f.writeDefault && !m.Has(f.fd) {
				continue
			}
			// An unset field reads as its default.
			v = m.Get(f.fd)
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, f.prefix...)
		switch {
		case f.isMap:
			b, err = appendMap(b, v.Map(), f)
		case f.list:
			b, err = appendList(b, v.List(), f)
		default:
			b, err = appendValue(b, v, f)
		}
		if err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func appendList(b []byte, l protoreflect.List, f *fieldPlan) ([]byte, error) {
	b = append(b, '[')
	var err error
	for i, n := 0, l.Len(); i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = appendValue(b, l.Get(i), f); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// appendMap writes a map field as a JSON object keyed by the map key
// (integers and booleans as their decimal or true/false text). The Mesos
// master writes entries in its hash map's order, which is unspecified; we
// sort them (booleans false first, integers numerically, strings bytewise)
// so that our output is deterministic.
func appendMap(b []byte, mp protoreflect.Map, f *fieldPlan) ([]byte, error) {
	keys := sortedMapKeys(mp, f.key.kind)
	b = append(b, '{')
	var err error
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		switch f.key.kind {
		case protoreflect.StringKind:
			b = appendString(b, k.String())
		case protoreflect.BoolKind:
			b = append(b, '"')
			b = strconv.AppendBool(b, k.Bool())
			b = append(b, '"')
		case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
			b = append(b, '"')
			b = strconv.AppendUint(b, k.Uint(), 10)
			b = append(b, '"')
		default:
			b = append(b, '"')
			b = strconv.AppendInt(b, k.Int(), 10)
			b = append(b, '"')
		}
		b = append(b, ':')
		if b, err = appendValue(b, mp.Get(k), f.val); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendValue writes one value of field f (an element, for repeated fields).
func appendValue(b []byte, v protoreflect.Value, f *fieldPlan) ([]byte, error) {
	switch f.kind {
	case protoreflect.BoolKind:
		return strconv.AppendBool(b, v.Bool()), nil
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		// Floats are widened to double first, as jsonify does.
		return appendDouble(b, v.Float()), nil
	case protoreflect.StringKind:
		return appendString(b, v.String()), nil
	case protoreflect.BytesKind:
		b = append(b, '"')
		b = base64.StdEncoding.AppendEncode(b, v.Bytes())
		return append(b, '"'), nil
	case protoreflect.EnumKind:
		name, ok := f.enum.name(v.Enum())
		if !ok {
			return b, fmt.Errorf("mesosjson: field %s holds %d, which enum %s does not name", f.fd.FullName(), v.Enum(), f.enum.ed.FullName())
		}
		return appendString(b, name), nil
	default: // message and group
		return appendMessage(b, v.Message(), f.msg)
	}
}
