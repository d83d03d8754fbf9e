package mesosjson_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"pgregory.net/rapid"

	"github.com/mesos-sim/mesos-sim/api/allocatorpb"
	"github.com/mesos-sim/mesos-sim/api/executorpb"
	"github.com/mesos-sim/mesos-sim/api/maintenancepb"
	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/quotapb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

// gen fills messages with random contents through protoreflect. Required
// fields are always set (so the result is initialized), at most one member
// of each oneof is set, and values avoid the two things Mesos's mapping
// cannot carry back: NaN (written as a bare NaN token) and uint64 values of
// 2^63 or more (read back through a double).
type gen struct {
	maxDepth int
}

func (g gen) fill(t *rapid.T, m protoreflect.Message, depth int) {
	md := m.Descriptor()
	fds := md.Fields()
	// One member (or none) per oneof.
	chosen := map[protoreflect.FullName]protoreflect.FieldDescriptor{}
	oneofs := md.Oneofs()
	for i := 0; i < oneofs.Len(); i++ {
		o := oneofs.Get(i)
		k := rapid.IntRange(-1, o.Fields().Len()-1).Draw(t, string(o.FullName()))
		if k >= 0 && depth < g.maxDepth {
			chosen[o.FullName()] = o.Fields().Get(k)
		}
	}
	for i := 0; i < fds.Len(); i++ {
		fd := fds.Get(i)
		name := string(fd.FullName())
		if o := fd.ContainingOneof(); o != nil {
			if chosen[o.FullName()] == fd {
				m.Set(fd, g.value(t, m, fd, depth))
			}
			continue
		}
		switch {
		case fd.IsMap():
			n := 0
			if depth < g.maxDepth {
				n = rapid.IntRange(0, 2).Draw(t, name+"#")
			}
			mp := m.Mutable(fd).Map()
			for j := 0; j < n; j++ {
				k := g.scalar(t, fd.MapKey(), name+".key")
				var v protoreflect.Value
				if fd.MapValue().Kind() == protoreflect.MessageKind {
					v = mp.NewValue()
					g.fill(t, v.Message(), depth+1)
				} else {
					v = g.scalar(t, fd.MapValue(), name+".value")
				}
				mp.Set(k.MapKey(), v)
			}
			if mp.Len() == 0 {
				m.Clear(fd)
			}
		case fd.IsList():
			n := 0
			if depth < g.maxDepth {
				n = rapid.IntRange(0, 2).Draw(t, name+"#")
			}
			if n == 0 {
				continue
			}
			l := m.Mutable(fd).List()
			for j := 0; j < n; j++ {
				if fd.Kind() == protoreflect.MessageKind {
					e := l.NewElement()
					g.fill(t, e.Message(), depth+1)
					l.Append(e)
				} else {
					l.Append(g.scalar(t, fd, name))
				}
			}
		default:
			if fd.Cardinality() == protoreflect.Required || (depth < g.maxDepth && rapid.IntRange(0, 2).Draw(t, name+"?") == 0) {
				m.Set(fd, g.value(t, m, fd, depth))
			}
		}
	}
}

func (g gen) value(t *rapid.T, m protoreflect.Message, fd protoreflect.FieldDescriptor, depth int) protoreflect.Value {
	if fd.Kind() == protoreflect.MessageKind {
		v := m.NewField(fd)
		g.fill(t, v.Message(), depth+1)
		return v
	}
	return g.scalar(t, fd, string(fd.FullName()))
}

func (g gen) scalar(t *rapid.T, fd protoreflect.FieldDescriptor, label string) protoreflect.Value {
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
		return protoreflect.ValueOfUint64(rapid.Uint64Max(math.MaxInt64).Draw(t, label))
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(rapid.Float32().Filter(func(f float32) bool { return f == f }).Draw(t, label))
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(rapid.OneOf(
			rapid.Float64().Filter(func(f float64) bool { return !math.IsNaN(f) }),
			rapid.Just(math.Inf(1)), rapid.Just(math.Inf(-1)),
			rapid.Float64Range(0, 1e6),
		).Draw(t, label))
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(rapid.OneOf(
			rapid.String(),
			rapid.StringOfN(rapid.RuneFrom([]rune{0, 1, '\n', '"', '\\', '/', 0x7f, 0xe9, 0x2028, 0x1f600}), 0, 8, -1),
			rapid.Map(rapid.SliceOfN(rapid.Byte(), 0, 8), func(b []byte) string { return string(b) }),
		).Draw(t, label))
	case protoreflect.BytesKind:
		return protoreflect.ValueOfBytes(rapid.SliceOfN(rapid.Byte(), 0, 20).Draw(t, label))
	case protoreflect.EnumKind:
		vs := fd.Enum().Values()
		return protoreflect.ValueOfEnum(vs.Get(rapid.IntRange(0, vs.Len()-1).Draw(t, label)).Number())
	}
	panic("unexpected kind " + fd.Kind().String())
}

// checkRoundTrip asserts that m comes back from Marshal then Unmarshal as
// itself with its defaulted fields materialised, and that re-encoding is
// byte-identical.
func checkRoundTrip(t tb, m proto.Message) {
	t.Helper()
	b, err := mesosjson.Marshal(m)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	back := m.ProtoReflect().New().Interface()
	if err := mesosjson.Unmarshal(b, back); err != nil {
		t.Fatalf("Unmarshal(%s): %v", b, err)
	}
	want := proto.Clone(m)
	materializeDefaults(want.ProtoReflect())
	diffProto(t, want, back)
	b2, err := mesosjson.Marshal(back)
	if err != nil {
		t.Fatalf("Marshal again: %v", err)
	}
	if !bytes.Equal(b, b2) {
		t.Fatalf("re-encoding differs:\n%s\n%s", b, b2)
	}
}

// roundTripRoots are the top-level messages of the v1 APIs.
var roundTripRoots = []proto.Message{
	&schedulerpb.Call{}, &schedulerpb.Event{}, &schedulerpb.Response{},
	&executorpb.Call{}, &executorpb.Event{},
	&masterpb.Call{}, &masterpb.Response{}, &masterpb.Event{},
	&quotapb.QuotaRequest{}, &maintenancepb.Schedule{}, &allocatorpb.InverseOfferStatus{},
	&mesospb.TaskInfo{}, &mesospb.FrameworkInfo{}, &mesospb.Offer{}, &mesospb.TaskStatus{},
	&mesospb.Resource{}, &mesospb.ContainerInfo{}, &mesospb.HealthCheck{}, &mesospb.CommandInfo{},
}

func TestRapidRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		root := rapid.SampledFrom(roundTripRoots).Draw(t, "root")
		m := root.ProtoReflect().New()
		gen{maxDepth: 4}.fill(t, m, 0)
		checkRoundTrip(t, m.Interface())
	})
}

// TestRoundTripCallsAndEvents round-trips random scheduler calls and events
// of every type, with the sub-message the type calls for.
func TestRoundTripCallsAndEvents(t *testing.T) {
	for _, root := range []proto.Message{&schedulerpb.Call{}, &schedulerpb.Event{}, &executorpb.Call{}, &executorpb.Event{}} {
		md := root.ProtoReflect().Descriptor()
		typeField := md.Fields().ByName("type")
		vals := typeField.Enum().Values()
		for i := 0; i < vals.Len(); i++ {
			v := vals.Get(i)
			t.Run(string(md.FullName())+"/"+string(v.Name()), func(t *testing.T) {
				rapid.Check(t, func(rt *rapid.T) {
					m := root.ProtoReflect().New()
					g := gen{maxDepth: 5}
					m.Set(typeField, protoreflect.ValueOfEnum(v.Number()))
					if fd := md.Fields().ByName(protoreflect.Name(strings.ToLower(string(v.Name())))); fd != nil {
						if fd.IsList() {
							l := m.Mutable(fd).List()
							e := l.NewElement()
							g.fill(rt, e.Message(), 1)
							l.Append(e)
						} else {
							m.Set(fd, g.value(rt, m, fd, 0))
						}
					}
					// Scheduler calls may carry the framework ID; executor calls
					// must carry their required IDs.
					for j := 0; j < md.Fields().Len(); j++ {
						fd := md.Fields().Get(j)
						if m.Has(fd) || fd.Kind() != protoreflect.MessageKind || fd.IsList() {
							continue
						}
						if fd.Cardinality() == protoreflect.Required || (fd.Name() == "framework_id" && rapid.Bool().Draw(rt, "fid")) {
							m.Set(fd, g.value(rt, m, fd, 0))
						}
					}
					checkRoundTrip(rt, m.Interface())
				})
			})
		}
	}
}

// uint64 values of 2^63 and above are written exactly but read back through
// a double, as in Mesos: 2^64-1 comes back as 0.
func TestRoundTripLossyUint64(t *testing.T) {
	r := &mesospb.Value_Range{Begin: proto.Uint64(1 << 63), End: proto.Uint64(math.MaxUint64)}
	b, err := mesosjson.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"begin":9223372036854775808,"end":18446744073709551615}` {
		t.Fatalf("Marshal = %s", b)
	}
	var back mesospb.Value_Range
	if err := mesosjson.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	diffProto(t, &mesospb.Value_Range{Begin: proto.Uint64(1 << 63), End: proto.Uint64(0)}, &back)
	if !hasLossyUint64(r.ProtoReflect()) || hasLossyUint64((&mesospb.Value_Range{Begin: proto.Uint64(math.MaxInt64)}).ProtoReflect()) {
		t.Error("hasLossyUint64 is wrong")
	}
}
