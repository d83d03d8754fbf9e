package compat

import (
	"encoding/json"
	"testing"

	gogoproto "github.com/gogo/protobuf/proto"
	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"pgregory.net/rapid"
)

// TestEveryOneofMember: each member of each oneof (Volume.Source.CSIVolume.
// VolumeCapability.access_type, scheduler.AttributeConstraint.Selector.selector
// and .Predicate.predicate) round-trips through our protobuf bytes and our
// JSON, which writes exactly that member. mesos-go has none of these types;
// TestMesosGoDropsExactlyTheLackedFields shows that a trip through mesos-go
// drops them whole, and nothing else.
func TestEveryOneofMember(t *testing.T) {
	n := 0
	for _, md := range ourMessages() {
		for i := 0; i < md.Oneofs().Len(); i++ {
			od := md.Oneofs().Get(i)
			if od.IsSynthetic() {
				continue
			}
			for j := 0; j < od.Fields().Len(); j++ {
				fd := od.Fields().Get(j)
				n++
				t.Run(fieldRef(fd), func(t *testing.T) {
					p := oursOnlyPolicy()
					m := minimal(md, p)
					m.Set(fd, minimalValue(m, fd, p))
					if got := m.WhichOneof(od); got != fd {
						t.Fatalf("WhichOneof = %v", got)
					}
					msg := m.Interface()

					b, err := deterministic.Marshal(msg)
					if err != nil {
						t.Fatal(err)
					}
					back := newOurs(md)
					if err := proto.Unmarshal(b, back.Interface()); err != nil {
						t.Fatal(err)
					}
					if back.WhichOneof(od) != fd {
						t.Errorf("protobuf: oneof %s holds %v after the round trip", od.Name(), back.WhichOneof(od))
					}
					if d := cmp.Diff(msg, back.Interface(), oursCmp...); d != "" {
						t.Errorf("protobuf round trip (-want +got):\n%s", d)
					}

					js, err := mesosjson.Marshal(msg)
					if err != nil {
						t.Fatal(err)
					}
					var obj map[string]json.RawMessage
					if err := json.Unmarshal(js, &obj); err != nil {
						t.Fatalf("%v: %s", err, js)
					}
					for k := 0; k < od.Fields().Len(); k++ {
						other := od.Fields().Get(k)
						if _, ok := obj[string(other.Name())]; ok != (other == fd) {
							t.Errorf("JSON %s: member %q present = %v", js, other.Name(), ok)
						}
					}
					back = newOurs(md)
					if err := mesosjson.Unmarshal(js, back.Interface()); err != nil {
						t.Fatalf("mesosjson.Unmarshal(%s): %v", js, err)
					}
					if back.WhichOneof(od) != fd {
						t.Errorf("JSON: oneof %s holds %v after the round trip", od.Name(), back.WhichOneof(od))
					}
					if d := cmp.Diff(withWrittenDefaults(msg), back.Interface(), oursCmp...); d != "" {
						t.Errorf("mesosjson round trip (-want +got):\n%s", d)
					}
				})
			}
		}
	}
	if n == 0 {
		t.Fatal("no oneofs found")
	}
	t.Logf("%d oneof members", n)
}

// TestMesosGoDropsExactlyTheLackedFields: for every field in mesosGoLacks, a
// message that mesos-go has, carrying that field (with random contents drawn
// from all of our protos: every oneof member, every enum value), loses
// exactly that field through mesos-go, by protobuf bytes and by JSON, and
// nothing else. mesos-go's decoders skip what they do not know (gogo drops
// unknown fields, as goproto_unrecognized is off; ffjson skips unknown keys).
func TestMesosGoDropsExactlyTheLackedFields(t *testing.T) {
	for _, l := range mesosGoLacks {
		if l.kind != kindField {
			continue
		}
		t.Run(l.name, func(t *testing.T) {
			t.Parallel()
			i := len(l.name) - len(l.name[lastDot(l.name)+1:])
			md := ourMessage(l.name[:i-1])
			fd := md.Fields().ByName(protoreflect.Name(l.name[i:]))
			rapid.Check(t, func(rt *rapid.T) {
				without := genMessage(rt, md, compatPolicy(false))
				with := proto.Clone(without)
				genField(rt, with.ProtoReflect(), fd, oursOnlyPolicy())

				b, err := deterministic.Marshal(with)
				if err != nil {
					rt.Fatal(err)
				}
				theirs := newGoMessage(md)
				if err := gogoproto.Unmarshal(b, theirs); err != nil {
					rt.Fatalf("mesos-go Unmarshal: %v", err)
				}
				if d := diffOurs(without, toOurs(rt, md, theirs)); d != "" {
					rt.Fatalf("bytes through mesos-go: want exactly %s dropped (-want +got):\n%s", fd.Name(), d)
				}

				js, err := mesosjson.Marshal(with)
				if err != nil {
					rt.Fatal(err)
				}
				fromJSON := newGoMessage(md)
				if err := goJSONUnmarshal(js, fromJSON); err != nil {
					rt.Fatalf("mesos-go's JSON codec: %v\n%s", err, js)
				}
				if d := diffOurs(withWrittenDefaults(without), toOurs(rt, md, fromJSON)); d != "" {
					rt.Fatalf("JSON through mesos-go: want exactly %s dropped (-want +got):\n%s", fd.Name(), d)
				}
			})
		})
	}
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}
