package compat

import (
	"strings"
	"testing"

	gogoproto "github.com/gogo/protobuf/proto"
	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// TestMesosGoAlwaysWritesUnsetFields pins what mesos-go does with each field
// of mesosGoAlwaysWrites when we leave it unset: it comes back set to its
// zero value (enum number 0, which each of these enums declares, mostly as
// UNKNOWN; "" for CSIPluginInfo.name), by bytes and by JSON. CSIPluginInfo.name
// is also required in mesos-go, so its protobuf decoder rejects the bytes;
// in JSON, Mesos writes its default ("default"), which mesos-go keeps.
func TestMesosGoAlwaysWritesUnsetFields(t *testing.T) {
	for _, name := range mesosGoAlwaysWrites {
		t.Run(name, func(t *testing.T) {
			i := lastDot(name)
			md := ourMessage(name[:i])
			fd := md.Fields().ByName(protoreflect.Name(name[i+1:]))
			p := compatPolicy(false)
			force := p.force
			p.force = func(f protoreflect.FieldDescriptor) bool { return f != fd && force(f) }
			m := minimal(md, p).Interface()
			if m.ProtoReflect().Has(fd) {
				t.Fatal("field is set")
			}
			want := proto.Clone(m)
			var zero protoreflect.Value
			switch fd.Kind() {
			case protoreflect.EnumKind:
				if fd.Enum().Values().ByNumber(0) == nil {
					t.Fatalf("%s declares no value 0: mesos-go's implicit 0 would be unknown to us", fd.Enum().FullName())
				}
				zero = protoreflect.ValueOfEnum(0)
			case protoreflect.StringKind:
				zero = protoreflect.ValueOfString("")
			default:
				t.Fatalf("unexpected kind %v", fd.Kind())
			}
			want.ProtoReflect().Set(fd, zero)

			// Bytes.
			b, err := deterministic.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			theirs := newGoMessage(md)
			err = gogoproto.Unmarshal(b, theirs)
			if mesosGoRequires[name] {
				if err == nil || !strings.Contains(err.Error(), "required field") {
					t.Errorf("mesos-go Unmarshal without %s: got %v, want a required-field error", fd.Name(), err)
				}
			} else {
				if err != nil {
					t.Fatalf("mesos-go Unmarshal: %v", err)
				}
				if d := cmp.Diff(want, toOurs(t, md, theirs), oursCmp...); d != "" {
					t.Errorf("bytes through mesos-go (-want +got):\n%s", d)
				}
			}

			// JSON: ours leaves the field out; mesos-go writes it back.
			js, err := mesosjson.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			theirs = newGoMessage(md)
			if err := goJSONUnmarshal(js, theirs); err != nil {
				t.Fatalf("mesos-go's JSON codec: %v\n%s", err, js)
			}
			gjs, err := goJSONMarshal(theirs)
			if err != nil {
				t.Fatal(err)
			}
			if _, present := jsonMembers(t, js)[string(fd.Name())]; present != fd.HasDefault() {
				t.Errorf("mesosjson wrote unset %s (which has default: %v): %s", fd.Name(), fd.HasDefault(), js)
			}
			if _, present := jsonMembers(t, gjs)[string(fd.Name())]; !present {
				t.Errorf("mesos-go did not write %s: %s", fd.Name(), gjs)
			}
			back := newOurs(md).Interface()
			if err := mesosjson.Unmarshal(gjs, back); err != nil {
				t.Fatalf("mesosjson.Unmarshal(%s): %v", gjs, err)
			}
			// Mesos's JSON writes an explicit default (CSIPluginInfo.name:
			// "default"), which mesos-go then holds and writes back.
			jsonWant := withWrittenDefaults(m)
			if !jsonWant.ProtoReflect().Has(fd) {
				jsonWant.ProtoReflect().Set(fd, zero)
			}
			if d := cmp.Diff(jsonWant, back, oursCmp...); d != "" {
				t.Errorf("JSON through mesos-go (-want +got):\n%s\n%s", d, gjs)
			}
		})
	}
}
