package compat

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"testing"

	gogoproto "github.com/gogo/protobuf/proto"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/testing/protocmp"
	"pgregory.net/rapid"
)

// roundTripTypes is every message type of ours that mesos-go also has: all of
// ourMessages but the types in mesosGoLacks.
func roundTripTypes() []protoreflect.MessageDescriptor {
	var out []protoreflect.MessageDescriptor
	for _, md := range ourMessages() {
		if _, ok := lackedByName[string(md.FullName())]; !ok {
			out = append(out, md)
		}
	}
	return out
}

var deterministic = proto.MarshalOptions{Deterministic: true}

// oursCmp compares messages of ours: protocmp, with NaN equal to NaN.
var oursCmp = []cmp.Option{protocmp.Transform(), cmpopts.EquateNaNs()}

// TestBinaryRoundTrip: for every type both sides have, a random message of
// ours (with nothing that mesos-go lacks) goes
//
//	ours --proto.Marshal--> bytes --gogo Unmarshal--> mesos-go
//	     --gogo Marshal--> bytes --proto.Unmarshal--> ours
//
// and must come back equal. Then the reverse direction, starting from the
// bytes that mesos-go wrote: mesos-go --gogo--> ours --proto--> mesos-go must
// give an equal mesos-go value. Both encoders also agree byte for byte (both
// write fields in number order) except for maps: mesos-go writes map entries
// in Go's random map iteration order (gogo's stable_marshaler is off), which
// is valid protobuf but not deterministic.
func TestBinaryRoundTrip(t *testing.T) {
	for _, md := range roundTripTypes() {
		t.Run(string(md.FullName()), func(t *testing.T) {
			t.Parallel()
			rapid.Check(t, func(rt *rapid.T) {
				ours := genMessage(rt, md, compatPolicy(true))
				b1, err := deterministic.Marshal(ours)
				if err != nil {
					rt.Fatalf("proto.Marshal: %v", err)
				}
				theirs := newGoMessage(md)
				if err := gogoproto.Unmarshal(b1, theirs); err != nil {
					rt.Fatalf("mesos-go Unmarshal of our bytes: %v", err)
				}
				b2, err := gogoproto.Marshal(theirs)
				if err != nil {
					rt.Fatalf("mesos-go Marshal: %v", err)
				}
				back := ours.ProtoReflect().Type().New().Interface()
				if err := proto.Unmarshal(b2, back); err != nil {
					rt.Fatalf("proto.Unmarshal of mesos-go's bytes: %v", err)
				}
				if d := diffOurs(ours, back); d != "" {
					rt.Fatalf("ours -> mesos-go -> ours changed the message (-sent +received):\n%s", d)
				}
				if !hasMapEntries(ours.ProtoReflect()) && !bytes.Equal(b1, b2) {
					rt.Errorf("mesos-go re-encoded our bytes differently:\nours     %x\nmesos-go %x", b1, b2)
				}

				// Reverse: mesos-go's bytes first.
				b3, err := deterministic.Marshal(back)
				if err != nil {
					rt.Fatalf("proto.Marshal: %v", err)
				}
				again := newGoMessage(md)
				if err := gogoproto.Unmarshal(b3, again); err != nil {
					rt.Fatalf("mesos-go Unmarshal: %v", err)
				}
				if !goEqual(theirs, again) {
					rt.Fatalf("mesos-go -> ours -> mesos-go changed the message (-sent +received):\n%s", cmp.Diff(theirs, again))
				}
			})
		})
	}
}

// hasMapEntries reports whether m or any message in it has a non-empty map.
func hasMapEntries(m protoreflect.Message) bool {
	found := false
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
			found = v.Map().Len() > 0
		case fd.IsList() && fd.Message() != nil:
			for i := 0; i < v.List().Len() && !found; i++ {
				found = hasMapEntries(v.List().Get(i).Message())
			}
		case fd.Message() != nil:
			found = hasMapEntries(v.Message())
		}
		return !found
	})
	return found
}

// goEqual compares two mesos-go values field by field, like reflect.DeepEqual
// but with NaN equal to NaN (gogo's generated Equal methods, which cmp would
// call, say NaN != NaN) and nil equal to empty for repeated fields and maps
// (which the wire does not tell apart).
func goEqual(a, b any) bool { return deepEqual(reflect.ValueOf(a), reflect.ValueOf(b)) }

func deepEqual(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return deepEqual(a.Elem(), b.Elem())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !deepEqual(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		// nil and empty are the same repeated field; for bytes, nil is unset
		// and empty is set (gogo writes a non-nil empty []byte).
		if a.Len() != b.Len() || a.Type().Elem().Kind() == reflect.Uint8 && a.IsNil() != b.IsNil() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !deepEqual(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Map:
		if a.Len() != b.Len() {
			return false
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() || !deepEqual(a.MapIndex(k), bv) {
				return false
			}
		}
		return true
	case reflect.Float32, reflect.Float64:
		x, y := a.Float(), b.Float()
		return x == y && math.Signbit(x) == math.Signbit(y) || math.IsNaN(x) && math.IsNaN(y)
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.Int() == b.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return a.Uint() == b.Uint()
	}
	panic("deepEqual: unexpected kind " + a.Kind().String())
}

// diffOurs compares two messages of ours and returns "" when they are equal,
// else a readable difference. Equal means equal deterministic encodings,
// which is stricter than protocmp (-0 differs from +0, NaN payloads count)
// and much faster; protocmp renders the difference.
func diffOurs(want, got proto.Message) string {
	a, errA := deterministic.Marshal(want)
	b, errB := deterministic.Marshal(got)
	if errA == nil && errB == nil && bytes.Equal(a, b) {
		return ""
	}
	if d := cmp.Diff(want, got, oursCmp...); d != "" {
		return d
	}
	return fmt.Sprintf("protocmp sees no difference, but the encodings differ (%v, %v):\nwant %x\ngot  %x", errA, errB, a, b)
}
