package mesosjson_test

import (
	"math"
	"strings"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// stoutTypes holds message types shaped like the ones stout's own tests use
// (3rdparty/stout/tests/protobuf_tests.proto), declared here with
// descriptorpb so the tests can exercise map keys of every type, required
// scalars, float fields and an explicit default, which Mesos's own messages
// only partly have. The schema is written from scratch for these tests.
var stoutTypes = buildStoutTypes()

type stoutSchema struct {
	Message, Nested, Simple, Enums, Maps, Floats protoreflect.MessageDescriptor
}

func buildStoutTypes() stoutSchema {
	type F = descriptorpb.FieldDescriptorProto
	T := func(t descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto_Type { return &t }
	L := func(l descriptorpb.FieldDescriptorProto_Label) *descriptorpb.FieldDescriptorProto_Label { return &l }
	opt, req, rep := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL, descriptorpb.FieldDescriptorProto_LABEL_REQUIRED, descriptorpb.FieldDescriptorProto_LABEL_REPEATED
	field := func(name string, num int32, label descriptorpb.FieldDescriptorProto_Label, typ descriptorpb.FieldDescriptorProto_Type, typeName string) *F {
		f := &F{Name: proto.String(name), Number: proto.Int32(num), Label: L(label), Type: T(typ)}
		if typeName != "" {
			f.TypeName = proto.String(typeName)
		}
		return f
	}
	const (
		tBool   = descriptorpb.FieldDescriptorProto_TYPE_BOOL
		tString = descriptorpb.FieldDescriptorProto_TYPE_STRING
		tBytes  = descriptorpb.FieldDescriptorProto_TYPE_BYTES
		tI32    = descriptorpb.FieldDescriptorProto_TYPE_INT32
		tI64    = descriptorpb.FieldDescriptorProto_TYPE_INT64
		tU32    = descriptorpb.FieldDescriptorProto_TYPE_UINT32
		tU64    = descriptorpb.FieldDescriptorProto_TYPE_UINT64
		tS32    = descriptorpb.FieldDescriptorProto_TYPE_SINT32
		tS64    = descriptorpb.FieldDescriptorProto_TYPE_SINT64
		tFloat  = descriptorpb.FieldDescriptorProto_TYPE_FLOAT
		tDouble = descriptorpb.FieldDescriptorProto_TYPE_DOUBLE
		tEnum   = descriptorpb.FieldDescriptorProto_TYPE_ENUM
		tMsg    = descriptorpb.FieldDescriptorProto_TYPE_MESSAGE
	)
	withDefault := func(f *F, d string) *F { f.DefaultValue = proto.String(d); return f }

	message := &descriptorpb.DescriptorProto{
		Name: proto.String("Message"),
		Field: []*F{
			field("b", 26, req, tBool, ""),
			field("str", 1, req, tString, ""),
			field("bytes", 2, req, tBytes, ""),
			field("int32", 3, opt, tI32, ""),
			field("int64", 4, opt, tI64, ""),
			field("uint32", 5, opt, tU32, ""),
			field("uint64", 6, opt, tU64, ""),
			field("sint32", 7, opt, tS32, ""),
			field("sint64", 8, opt, tS64, ""),
			field("f", 9, req, tFloat, ""),
			field("d", 10, req, tDouble, ""),
			field("e", 11, req, tEnum, ".t.Enum"),
			field("nested", 12, req, tMsg, ".t.Nested"),
			field("repeated_bool", 27, rep, tBool, ""),
			field("repeated_string", 13, rep, tString, ""),
			field("repeated_bytes", 14, rep, tBytes, ""),
			field("repeated_int32", 15, rep, tI32, ""),
			field("repeated_int64", 16, rep, tI64, ""),
			field("repeated_uint32", 17, rep, tU32, ""),
			field("repeated_uint64", 18, rep, tU64, ""),
			field("repeated_sint32", 19, rep, tS32, ""),
			field("repeated_sint64", 20, rep, tS64, ""),
			field("repeated_float", 21, rep, tFloat, ""),
			field("repeated_double", 22, rep, tDouble, ""),
			field("repeated_enum", 23, rep, tEnum, ".t.Enum"),
			field("repeated_nested", 24, rep, tMsg, ".t.Nested"),
			field("empty", 25, rep, tString, ""),
			withDefault(field("optional_default", 28, opt, tDouble, ""), "42"),
			field("optional_no_default", 29, opt, tDouble, ""),
		},
	}
	nested := &descriptorpb.DescriptorProto{
		Name: proto.String("Nested"),
		Field: []*F{
			field("str", 1, req, tString, ""),
			field("optional_str", 2, opt, tString, ""),
			field("repeated_str", 3, rep, tString, ""),
		},
	}
	simple := &descriptorpb.DescriptorProto{
		Name:  proto.String("SimpleMessage"),
		Field: []*F{field("id", 1, req, tString, ""), field("numbers", 2, rep, tI32, "")},
	}
	enums := &descriptorpb.DescriptorProto{
		Name: proto.String("EnumMessage"),
		Field: []*F{
			field("e1", 1, opt, tEnum, ".t.Enum"),
			field("e2", 2, opt, tEnum, ".t.Enum"),
			field("repeated_enum", 3, rep, tEnum, ".t.Enum"),
			field("required_enum", 4, opt, tEnum, ".t.Enum"),
		},
	}
	maps := &descriptorpb.DescriptorProto{Name: proto.String("MapMessage")}
	addMap := func(name string, num int32, kt, vt descriptorpb.FieldDescriptorProto_Type, vType string) {
		entry := ""
		for _, w := range strings.Split(name, "_") {
			entry += strings.ToUpper(w[:1]) + w[1:]
		}
		entry += "Entry"
		maps.NestedType = append(maps.NestedType, &descriptorpb.DescriptorProto{
			Name:    proto.String(entry),
			Field:   []*F{field("key", 1, opt, kt, ""), field("value", 2, opt, vt, vType)},
			Options: &descriptorpb.MessageOptions{MapEntry: proto.Bool(true)},
		})
		maps.Field = append(maps.Field, field(name, num, rep, tMsg, ".t.MapMessage."+entry))
	}
	addMap("string_to_string", 1, tString, tString, "")
	addMap("string_to_bool", 2, tString, tBool, "")
	addMap("string_to_bytes", 3, tString, tBytes, "")
	addMap("string_to_int32", 4, tString, tI32, "")
	addMap("string_to_int64", 5, tString, tI64, "")
	addMap("string_to_uint32", 6, tString, tU32, "")
	addMap("string_to_uint64", 7, tString, tU64, "")
	addMap("string_to_sint32", 8, tString, tS32, "")
	addMap("string_to_sint64", 9, tString, tS64, "")
	addMap("string_to_float", 10, tString, tFloat, "")
	addMap("string_to_double", 11, tString, tDouble, "")
	addMap("string_to_enum", 12, tString, tEnum, ".t.Enum")
	addMap("string_to_nested", 13, tString, tMsg, ".t.Nested")
	addMap("bool_to_string", 14, tBool, tString, "")
	addMap("int32_to_string", 15, tI32, tString, "")
	addMap("int64_to_string", 16, tI64, tString, "")
	addMap("uint32_to_string", 17, tU32, tString, "")
	addMap("uint64_to_string", 18, tU64, tString, "")
	addMap("sint32_to_string", 19, tS32, tString, "")
	addMap("sint64_to_string", 20, tS64, tString, "")
	floats := &descriptorpb.DescriptorProto{
		Name: proto.String("FloatMessage"),
		Field: []*F{
			field("f1", 1, req, tFloat, ""), field("f2", 2, req, tFloat, ""),
			field("d1", 3, req, tDouble, ""), field("d2", 4, req, tDouble, ""),
		},
	}
	// EnumMessage.required_enum is required, to test unknown names there.
	enums.Field[3].Label = L(req)

	file := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("mesosjson_stout_test.proto"),
		Package: proto.String("t"),
		Syntax:  proto.String("proto2"),
		EnumType: []*descriptorpb.EnumDescriptorProto{{
			Name: proto.String("Enum"),
			Value: []*descriptorpb.EnumValueDescriptorProto{
				{Name: proto.String("UNKNOWN"), Number: proto.Int32(0)},
				{Name: proto.String("ONE"), Number: proto.Int32(1)},
				{Name: proto.String("TWO"), Number: proto.Int32(2)},
			},
		}},
		MessageType: []*descriptorpb.DescriptorProto{message, nested, simple, enums, maps, floats},
	}
	fd, err := protodesc.NewFile(file, nil)
	if err != nil {
		panic(err)
	}
	ms := fd.Messages()
	return stoutSchema{ms.Get(0), ms.Get(1), ms.Get(2), ms.Get(3), ms.Get(4), ms.Get(5)}
}

func newDyn(md protoreflect.MessageDescriptor) *dynamicpb.Message { return dynamicpb.NewMessage(md) }

// set sets a (possibly dotted, for singular sub-messages) field path of m.
func set(m protoreflect.Message, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		m = m.Mutable(m.Descriptor().Fields().ByName(protoreflect.Name(p))).Message()
	}
	fd := m.Descriptor().Fields().ByName(protoreflect.Name(parts[len(parts)-1]))
	if fd == nil {
		panic("no field " + path)
	}
	m.Set(fd, scalarValue(fd, v))
}

// add appends to a repeated field, or sets a map entry when v is a [2]any.
func add(m protoreflect.Message, name string, v any) {
	fd := m.Descriptor().Fields().ByName(protoreflect.Name(name))
	if fd.IsMap() {
		kv := v.([2]any)
		m.Mutable(fd).Map().Set(scalarValue(fd.MapKey(), kv[0]).MapKey(), scalarValue(fd.MapValue(), kv[1]))
		return
	}
	m.Mutable(fd).List().Append(scalarValue(fd, v))
}

func scalarValue(fd protoreflect.FieldDescriptor, v any) protoreflect.Value {
	switch fd.Kind() {
	case protoreflect.EnumKind:
		if s, ok := v.(string); ok {
			return protoreflect.ValueOfEnum(fd.Enum().Values().ByName(protoreflect.Name(s)).Number())
		}
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(float32(v.(float64)))
	case protoreflect.BytesKind:
		if s, ok := v.(string); ok {
			return protoreflect.ValueOfBytes([]byte(s))
		}
	case protoreflect.MessageKind:
		return protoreflect.ValueOfMessage(v.(proto.Message).ProtoReflect())
	}
	return protoreflect.ValueOf(v)
}

// materializeDefaults sets, in m and every message below it, the unset
// singular fields that Marshal writes anyway (explicit, non-deprecated
// defaults), which is what decoding Marshal's output gives.
func materializeDefaults(m protoreflect.Message) {
	fds := m.Descriptor().Fields()
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		if fd.Cardinality() != protoreflect.Repeated && fd.HasDefault() && !fd.Options().(*descriptorpb.FieldOptions).GetDeprecated() && !m.Has(fd) {
			m.Set(fd, m.Get(fd))
		}
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
			if fd.MapValue().Kind() == protoreflect.MessageKind {
				v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
					materializeDefaults(mv.Message())
					return true
				})
			}
		case fd.Kind() != protoreflect.MessageKind && fd.Kind() != protoreflect.GroupKind:
		case fd.IsList():
			for i := 0; i < v.List().Len(); i++ {
				materializeDefaults(v.List().Get(i).Message())
			}
		default:
			materializeDefaults(v.Message())
		}
		return true
	})
}

// hasLossyUint64 reports whether m holds a uint64 of 2^63 or more: Mesos
// writes it exactly, but its parser reads such a number as a double, so it
// does not come back unchanged.
func hasLossyUint64(m protoreflect.Message) bool {
	lossy := false
	var check func(fd protoreflect.FieldDescriptor, v protoreflect.Value)
	check = func(fd protoreflect.FieldDescriptor, v protoreflect.Value) {
		switch fd.Kind() {
		case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
			if v.Uint() > math.MaxInt64 {
				lossy = true
			}
		case protoreflect.MessageKind, protoreflect.GroupKind:
			lossy = lossy || hasLossyUint64(v.Message())
		}
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				check(fd.MapKey(), k.Value())
				check(fd.MapValue(), mv)
				return true
			})
		case fd.IsList():
			for i := 0; i < v.List().Len(); i++ {
				check(fd, v.List().Get(i))
			}
		default:
			check(fd, v)
		}
		return !lossy
	})
	return lossy
}

// tb is what the helpers need of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

func diffProto(t tb, want, got proto.Message) {
	t.Helper()
	if d := cmp.Diff(want, got, protocmp.Transform()); d != "" {
		t.Errorf("message mismatch (-want +got):\n%s", d)
	}
}

// compact removes the layout whitespace from a readable JSON literal.
func compact(s string) string {
	var b strings.Builder
	inString := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString:
			b.WriteByte(c)
			if c == '\\' && i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			b.WriteByte(c)
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
