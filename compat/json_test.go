package compat

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"

	gogoproto "github.com/gogo/protobuf/proto"
	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos/mesos-go/api/v1/lib/encoding"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"pgregory.net/rapid"
)

// mesos-go's JSON codec, as its HTTP clients use it: encoding/json over the
// ffjson-generated MarshalJSON/UnmarshalJSON methods of its types, with enums
// as names through gogo's MarshalJSONEnum/UnmarshalJSONEnum.
var goJSON = codecs.ByMediaType[codecs.MediaTypeJSON]

func goJSONMarshal(m gogoproto.Message) ([]byte, error) {
	var buf bytes.Buffer
	err := goJSON.NewEncoder(encoding.SinkWriter(&buf)).Encode(m.(encoding.Marshaler))
	return buf.Bytes(), err
}

func goJSONUnmarshal(data []byte, m gogoproto.Message) error {
	return goJSON.NewDecoder(encoding.SourceReader(bytes.NewReader(data))).Decode(m.(encoding.Unmarshaler))
}

// tb is what both *testing.T and *rapid.T offer.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// toGo converts a message of ours to mesos-go's type through protobuf bytes,
// which TestBinaryRoundTrip shows to be lossless for what mesos-go has.
func toGo(t tb, ours proto.Message) gogoproto.Message {
	t.Helper()
	b, err := deterministic.Marshal(ours)
	if err != nil {
		t.Fatal(err)
	}
	theirs := newGoMessage(ours.ProtoReflect().Descriptor())
	if err := gogoproto.Unmarshal(b, theirs); err != nil {
		t.Fatalf("mesos-go Unmarshal: %v", err)
	}
	return theirs
}

// toOurs converts a mesos-go message to our type md, through protobuf bytes.
func toOurs(t tb, md protoreflect.MessageDescriptor, theirs gogoproto.Message) proto.Message {
	t.Helper()
	b, err := gogoproto.Marshal(theirs)
	if err != nil {
		t.Fatal(err)
	}
	ours := newOurs(md).Interface()
	if err := proto.Unmarshal(b, ours); err != nil {
		t.Fatalf("proto.Unmarshal of mesos-go's bytes: %v", err)
	}
	return ours
}

// withWrittenDefaults is what a message of ours looks like after a trip
// through Mesos's JSON: like stout, mesosjson.Marshal writes every unset
// singular field that has an explicit, non-deprecated default, so the
// receiver sees it set (to the default). Presence changes, values do not.
func withWrittenDefaults(m proto.Message) proto.Message {
	m = proto.Clone(m)
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		fields := m.Descriptor().Fields()
		for i := 0; i < fields.Len(); i++ {
			fd := fields.Get(i)
			if fd.HasDefault() && !m.Has(fd) && !fd.Options().(*descriptorpb.FieldOptions).GetDeprecated() {
				m.Set(fd, fd.Default())
			}
		}
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsMap():
				if fd.MapValue().Message() != nil {
					v.Map().Range(func(_ protoreflect.MapKey, e protoreflect.Value) bool { walk(e.Message()); return true })
				}
			case fd.IsList() && fd.Message() != nil:
				for i := 0; i < v.List().Len(); i++ {
					walk(v.List().Get(i).Message())
				}
			case fd.Message() != nil:
				walk(v.Message())
			}
			return true
		})
	}
	walk(m.ProtoReflect())
	return m
}

// asMesosReadsGoJSON is what a message of ours looks like after Mesos's JSON
// parser (and so mesosjson.Unmarshal) reads it from JSON that mesos-go wrote.
// picojson keeps an integer literal as int64 only when it fits, else reads a
// double, so:
//   - a uint64 of 2^63 or more, which mesos-go writes as its exact decimal
//     integer, is rounded to 53 bits and cast back to uint64, where 2^64
//     itself (what 2^64-1 rounds to) comes out as 0 on x86-64;
//   - a double -0, which mesos-go writes as the integer literal "-0", is
//     read as int64 0, so +0.
func asMesosReadsGoJSON(m proto.Message) proto.Message {
	m = proto.Clone(m)
	conv := func(fd protoreflect.FieldDescriptor, v protoreflect.Value) protoreflect.Value {
		switch fd.Kind() {
		case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
			u := v.Uint()
			if u <= math.MaxInt64 {
				return v
			}
			f := float64(u)
			if f >= 1<<64 {
				return protoreflect.ValueOfUint64(0)
			}
			return protoreflect.ValueOfUint64(uint64(f))
		case protoreflect.DoubleKind:
			if f := v.Float(); f == 0 && math.Signbit(f) {
				return protoreflect.ValueOfFloat64(0)
			}
		case protoreflect.FloatKind:
			if f := v.Float(); f == 0 && math.Signbit(f) {
				return protoreflect.ValueOfFloat32(0)
			}
		}
		return v
	}
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsMap():
				v.Map().Range(func(k protoreflect.MapKey, e protoreflect.Value) bool {
					if fd.MapValue().Message() != nil {
						walk(e.Message())
					} else {
						v.Map().Set(k, conv(fd.MapValue(), e))
					}
					return true
				})
			case fd.IsList():
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					if fd.Message() != nil {
						walk(l.Get(i).Message())
					} else {
						l.Set(i, conv(fd, l.Get(i)))
					}
				}
			case fd.Message() != nil:
				walk(v.Message())
			default:
				m.Set(fd, conv(fd, v))
			}
			return true
		})
	}
	walk(m.ProtoReflect())
	return m
}

// asMesosGoWritesJSON is what a message of ours looks like after mesos-go's
// JSON encoder: ffjson's generated code writes a bytes field only when it is
// non-empty (`if len(mj.Data) != 0`), even when the field is required, so
// every empty singular bytes field is dropped. It returns the message with
// those fields cleared, and the paths (in Mesos's "Missing required fields"
// notation) of the required ones among them, which make Mesos's JSON parser,
// and so mesosjson.Unmarshal, reject the whole message.
func asMesosGoWritesJSON(m proto.Message) (proto.Message, []string) {
	m = proto.Clone(m)
	var missing []string
	var walk func(m protoreflect.Message, prefix string)
	walk = func(m protoreflect.Message, prefix string) {
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			name := prefix + string(fd.Name())
			switch {
			case fd.IsMap():
				if fd.MapValue().Message() != nil {
					v.Map().Range(func(k protoreflect.MapKey, e protoreflect.Value) bool {
						walk(e.Message(), fmt.Sprintf("%s[%v].", name, k.Interface()))
						return true
					})
				}
			case fd.IsList():
				if fd.Message() != nil {
					for i := 0; i < v.List().Len(); i++ {
						walk(v.List().Get(i).Message(), fmt.Sprintf("%s[%d].", name, i))
					}
				}
			case fd.Message() != nil:
				walk(v.Message(), name+".")
			case fd.Kind() == protoreflect.BytesKind && len(v.Bytes()) == 0:
				m.Clear(fd)
				if fd.Cardinality() == protoreflect.Required {
					missing = append(missing, name)
				}
			}
			return true
		})
	}
	walk(m.ProtoReflect(), "")
	sort.Strings(missing)
	return m, missing
}

// TestJSONOursToMesosGo: JSON written by mesosjson.Marshal, decoded by
// mesos-go's JSON codec, is the message we sent, but for the defaulted
// fields that Mesos's JSON writes out (withWrittenDefaults).
func TestJSONOursToMesosGo(t *testing.T) {
	for _, md := range roundTripTypes() {
		t.Run(string(md.FullName()), func(t *testing.T) {
			t.Parallel()
			rapid.Check(t, func(rt *rapid.T) {
				ours := genMessage(rt, md, compatPolicy(false))
				js, err := mesosjson.Marshal(ours)
				if err != nil {
					rt.Fatalf("mesosjson.Marshal: %v", err)
				}
				theirs := newGoMessage(md)
				if err := goJSONUnmarshal(js, theirs); err != nil {
					rt.Fatalf("mesos-go's JSON codec rejects our JSON: %v\n%s", err, js)
				}
				got := toOurs(rt, md, theirs)
				if d := diffOurs(withWrittenDefaults(ours), got); d != "" {
					rt.Fatalf("ours -> mesosjson -> mesos-go JSON codec changed the message (-want +got):\n%s\nJSON: %s", d, js)
				}
			})
		})
	}
}

// TestJSONMesosGoToOurs: JSON written by mesos-go's JSON codec, decoded by
// mesosjson.Unmarshal, is the message mesos-go sent, but for
//   - empty bytes fields, which mesos-go does not write (asMesosGoWritesJSON):
//     optional ones arrive unset, and a missing required one makes
//     mesosjson.Unmarshal fail, as Mesos would, naming exactly those fields;
//   - uint64 values of 2^63 and more, and -0, which Mesos's JSON parser (and
//     so mesosjson) reads differently (asMesosReadsGoJSON).
func TestJSONMesosGoToOurs(t *testing.T) {
	for _, md := range roundTripTypes() {
		t.Run(string(md.FullName()), func(t *testing.T) {
			t.Parallel()
			rapid.Check(t, func(rt *rapid.T) {
				ours := genMessage(rt, md, compatPolicy(false))
				theirs := toGo(rt, ours)
				js, err := goJSONMarshal(theirs)
				if err != nil {
					rt.Fatalf("mesos-go JSON encode: %v", err)
				}
				want, missing := asMesosGoWritesJSON(ours)
				got := newOurs(md).Interface()
				err = mesosjson.Unmarshal(js, got)
				if len(missing) > 0 {
					var ce *mesosjson.ConversionError
					const prefix = "Missing required fields: "
					if !errors.As(err, &ce) || !strings.HasPrefix(ce.Msg, prefix) {
						rt.Fatalf("mesosjson.Unmarshal: got error %v, want a ConversionError for the required bytes fields that mesos-go left out (%s)\n%s", err, strings.Join(missing, ", "), js)
					}
					named := strings.Split(strings.TrimPrefix(ce.Msg, prefix), ", ")
					sort.Strings(named)
					if d := cmp.Diff(missing, named); d != "" {
						rt.Fatalf("mesosjson.Unmarshal: %v; named fields differ from the empty required bytes fields (-want +got):\n%s", err, d)
					}
					return
				}
				if err != nil {
					rt.Fatalf("mesosjson.Unmarshal rejects mesos-go's JSON: %v\n%s", err, js)
				}
				if d := diffOurs(asMesosReadsGoJSON(want), got); d != "" {
					rt.Fatalf("mesos-go JSON -> mesosjson changed the message (-want +got):\n%s\nJSON: %s", d, js)
				}
			})
		})
	}
}
