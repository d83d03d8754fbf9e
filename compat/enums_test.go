package compat

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	gogoproto "github.com/gogo/protobuf/proto"
	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// enumCase is one declared value of one enum field of one message type.
type enumCase struct {
	fd protoreflect.FieldDescriptor
	v  protoreflect.EnumValueDescriptor
}

func (c enumCase) String() string { return fieldRef(c.fd) + "=" + string(c.v.Name()) }

// enumCases lists every declared value of every enum field (singular or
// repeated) of every message type of ours.
func enumCases() []enumCase {
	var out []enumCase
	for _, md := range ourMessages() {
		for i := 0; i < md.Fields().Len(); i++ {
			fd := md.Fields().Get(i)
			if fd.IsMap() {
				if fd.MapValue().Enum() != nil {
					panic("map with enum values: extend enumCases")
				}
				continue
			}
			if fd.Enum() == nil {
				continue
			}
			for j := 0; j < fd.Enum().Values().Len(); j++ {
				out = append(out, enumCase{fd, fd.Enum().Values().Get(j)})
			}
		}
	}
	return out
}

// withEnum returns a minimal message of fd's type with fd set to v (a
// one-element list for repeated fields).
func withEnum(fd protoreflect.FieldDescriptor, v protoreflect.EnumNumber, p policy) proto.Message {
	m := minimal(fd.ContainingMessage(), p)
	if fd.IsList() {
		m.Mutable(fd).List().Append(protoreflect.ValueOfEnum(v))
	} else {
		m.Set(fd, protoreflect.ValueOfEnum(v))
	}
	return m.Interface()
}

// goEnumValue reads the enum number that a mesos-go message holds in the field
// with fd's number (the first element for repeated fields).
func goEnumValue(t *testing.T, theirs gogoproto.Message, fd protoreflect.FieldDescriptor) int64 {
	t.Helper()
	sf, ok := goStructField(reflect.TypeOf(theirs), fd.Number())
	if !ok {
		t.Fatalf("mesos-go has no struct field for %s", fieldRef(fd))
	}
	v := reflect.ValueOf(theirs).Elem().FieldByIndex(sf.Index)
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			t.Fatalf("mesos-go's %s is unset", sf.Name)
		}
		v = v.Elem()
	case reflect.Slice:
		if v.Len() != 1 {
			t.Fatalf("mesos-go's %s has %d elements, want 1", sf.Name, v.Len())
		}
		v = v.Index(0)
	}
	return v.Int()
}

// jsonMembers returns the members of a JSON object.
func jsonMembers(t *testing.T, js []byte) map[string]json.RawMessage {
	t.Helper()
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(js, &obj); err != nil {
		t.Fatalf("not a JSON object: %v\n%s", err, js)
	}
	return obj
}

// jsonMember returns the raw JSON of member name in a JSON object.
func jsonMember(t *testing.T, js []byte, name string) string {
	t.Helper()
	raw, ok := jsonMembers(t, js)[name]
	if !ok {
		t.Fatalf("JSON has no %q member: %s", name, js)
	}
	return string(raw)
}

// TestEveryEnumValue: every declared value of every enum field survives
//   - our own protobuf bytes and our own JSON (mesosjson), for every type;
//   - and for the types mesos-go has: bytes through mesos-go (which must hold
//     the same number), our JSON into mesos-go's JSON codec and mesos-go's
//     JSON into mesosjson, both writing the value's name.
//
// The one value that mesos-go lacks (Volume.Source.Type.CSI_VOLUME) survives
// the bytes (gogo's Go enums are plain int32s) but not JSON; see
// TestLackedEnumValueInJSON.
func TestEveryEnumValue(t *testing.T) {
	cases := enumCases()
	crossChecked := 0
	for _, c := range cases {
		t.Run(c.String(), func(t *testing.T) {
			fd, v := c.fd, c.v
			md := fd.ContainingMessage()
			_, typeLacked := lackedByName[string(md.FullName())]
			_, fieldLacked := lackedByName[fieldRef(fd)]
			_, valueLacked := lackedByName[enumValueRef(v)]
			p := oursOnlyPolicy()
			if !typeLacked {
				p = compatPolicy(false)
			}
			m := withEnum(fd, v.Number(), p)
			want := []string{`"` + string(v.Name()) + `"`, `["` + string(v.Name()) + `"]`}[b2i(fd.IsList())]

			// Ours alone: bytes and JSON.
			b, err := deterministic.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			back := newOurs(md).Interface()
			if err := proto.Unmarshal(b, back); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(m, back, oursCmp...); d != "" {
				t.Fatalf("protobuf round trip (-want +got):\n%s", d)
			}
			js, err := mesosjson.Marshal(m)
			if err != nil {
				t.Fatalf("mesosjson.Marshal: %v", err)
			}
			if got := jsonMember(t, js, string(fd.Name())); got != want {
				t.Errorf("mesosjson writes %s: %s, want %s", fd.Name(), got, want)
			}
			back = newOurs(md).Interface()
			if err := mesosjson.Unmarshal(js, back); err != nil {
				t.Fatalf("mesosjson.Unmarshal: %v\n%s", err, js)
			}
			if d := cmp.Diff(withWrittenDefaults(m), back, oursCmp...); d != "" {
				t.Fatalf("mesosjson round trip (-want +got):\n%s", d)
			}
			if typeLacked || fieldLacked || valueLacked {
				return
			}
			crossChecked++

			// Bytes through mesos-go.
			theirs := toGo(t, m)
			if got := goEnumValue(t, theirs, fd); got != int64(v.Number()) {
				t.Errorf("mesos-go holds %d, want %d", got, v.Number())
			}
			if d := cmp.Diff(m, toOurs(t, md, theirs), oursCmp...); d != "" {
				t.Errorf("bytes through mesos-go (-want +got):\n%s", d)
			}

			// Our JSON into mesos-go.
			fromJSON := newGoMessage(md)
			if err := goJSONUnmarshal(js, fromJSON); err != nil {
				t.Fatalf("mesos-go's JSON codec: %v\n%s", err, js)
			}
			if got := goEnumValue(t, fromJSON, fd); got != int64(v.Number()) {
				t.Errorf("mesos-go decodes %d from our JSON, want %d", got, v.Number())
			}
			if d := cmp.Diff(withWrittenDefaults(m), toOurs(t, md, fromJSON), oursCmp...); d != "" {
				t.Errorf("our JSON through mesos-go (-want +got):\n%s", d)
			}

			// mesos-go's JSON into ours.
			gjs, err := goJSONMarshal(theirs)
			if err != nil {
				t.Fatalf("mesos-go JSON encode: %v", err)
			}
			if got := jsonMember(t, gjs, string(fd.Name())); got != want {
				t.Errorf("mesos-go writes %s: %s, want %s", fd.Name(), got, want)
			}
			back = newOurs(md).Interface()
			if err := mesosjson.Unmarshal(gjs, back); err != nil {
				t.Fatalf("mesosjson.Unmarshal of mesos-go's JSON: %v\n%s", err, gjs)
			}
			if d := cmp.Diff(m, back, oursCmp...); d != "" {
				t.Errorf("mesos-go's JSON into ours (-want +got):\n%s\n%s", d, gjs)
			}
		})
	}
	t.Logf("%d enum field values, %d of them also through mesos-go", len(cases), crossChecked)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestLackedEnumValueInJSON pins what happens to Volume.Source.Type
// CSI_VOLUME (Mesos 1.11), which mesos-go v0.0.11 does not declare: protobuf
// bytes carry it through mesos-go unharmed, but mesos-go's JSON codec rejects
// the name that Mesos writes, and writes the number as a quoted string that
// Mesos (and mesosjson) does not read as an enum value.
func TestLackedEnumValueInJSON(t *testing.T) {
	md := ourMessage("mesos.v1.Volume.Source")
	fd := md.Fields().ByName("type")
	v := fd.Enum().Values().ByName("CSI_VOLUME")
	if v == nil {
		t.Fatal("no CSI_VOLUME")
	}
	p := compatPolicy(false)
	m := withEnum(fd, v.Number(), p)

	// Bytes: mesos-go keeps the number and writes it back.
	theirs := toGo(t, m)
	if got := goEnumValue(t, theirs, fd); got != int64(v.Number()) {
		t.Errorf("mesos-go holds %d, want %d", got, v.Number())
	}
	if d := cmp.Diff(m, toOurs(t, md, theirs), oursCmp...); d != "" {
		t.Errorf("bytes through mesos-go (-want +got):\n%s", d)
	}

	// Our JSON: mesos-go's decoder rejects the name.
	js, err := mesosjson.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	err = goJSONUnmarshal(js, newGoMessage(md))
	if err == nil || !strings.Contains(err.Error(), `unrecognized enum Volume_Source_Type value "CSI_VOLUME"`) {
		t.Errorf("mesos-go decoding %s: got error %v, want unrecognized enum value", js, err)
	}

	// mesos-go's JSON: the number, quoted.
	gjs, err := goJSONMarshal(theirs)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := jsonMember(t, gjs, "type"), fmt.Sprintf(`"%d"`, v.Number()); got != want {
		t.Errorf("mesos-go writes type %s, want %s", got, want)
	}
	// Mesos reads an enum name it does not know in an optional field as
	// "not set" (stout skips it), and so does mesosjson.
	back := newOurs(md).Interface()
	if err := mesosjson.Unmarshal(gjs, back); err != nil {
		t.Fatalf("mesosjson.Unmarshal(%s): %v", gjs, err)
	}
	want := proto.Clone(m)
	want.ProtoReflect().Clear(fd)
	if d := cmp.Diff(want, back, oursCmp...); d != "" {
		t.Errorf("mesosjson.Unmarshal(%s) (-want +got):\n%s", gjs, d)
	}
}
