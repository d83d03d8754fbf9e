package compat

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

// The tests below pin, on concrete messages, each way in which mesos-go
// v0.0.11's JSON (encoding/json over ffjson-generated methods) differs from
// the JSON that Mesos, and so mesosjson, writes and reads. The random tests
// (TestJSONOursToMesosGo, TestJSONMesosGoToOurs) encode the same rules as
// expectations.

// Enums: both sides write names. mesos-go also reads numbers (gogo's
// UnmarshalJSONEnum accepts the "old style"); Mesos, and mesosjson, do not.
func TestJSONFindingEnumsAreNames(t *testing.T) {
	js, err := goJSONMarshal(&scheduler.Call{Type: scheduler.Call_ACCEPT})
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonMember(t, js, "type"); got != `"ACCEPT"` {
		t.Errorf("mesos-go writes type %s, want \"ACCEPT\"", got)
	}
	var c scheduler.Call
	if err := goJSONUnmarshal([]byte(`{"type":3}`), &c); err != nil || c.Type != scheduler.Call_ACCEPT {
		t.Errorf("mesos-go reading {\"type\":3}: %v, %v; want ACCEPT", err, c.Type)
	}
	err = mesosjson.Unmarshal([]byte(`{"type":3}`), &schedulerpb.Call{})
	var ce *mesosjson.ConversionError
	if !errors.As(err, &ce) || ce.Msg != "Not expecting a JSON number for field 'type'" {
		t.Errorf("mesosjson reading {\"type\":3}: got %v, want Mesos's conversion error", err)
	}
}

// uint64: both write exact decimal integers. Mesos reads an integer literal
// that does not fit int64 as a double, so values of 2^63 and more written by
// mesos-go arrive rounded, and 2^64-1 as 0. Our JSON into mesos-go is exact.
func TestJSONFindingLargeUint64(t *testing.T) {
	r := &mesos.Value_Range{Begin: math.MaxUint64, End: 1<<63 + 1}
	js, err := goJSONMarshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if string(js) != `{"begin":18446744073709551615,"end":9223372036854775809}` {
		t.Errorf("mesos-go writes %s", js)
	}
	var ours mesospb.Value_Range
	if err := mesosjson.Unmarshal(js, &ours); err != nil {
		t.Fatal(err)
	}
	if ours.GetBegin() != 0 || ours.GetEnd() != 1<<63 {
		t.Errorf("mesosjson reads begin %d, end %d; want 0 and 2^63 as Mesos does", ours.GetBegin(), ours.GetEnd())
	}

	ojs, err := mesosjson.Marshal(&mesospb.Value_Range{Begin: proto.Uint64(math.MaxUint64), End: proto.Uint64(1<<63 + 1)})
	if err != nil {
		t.Fatal(err)
	}
	var back mesos.Value_Range
	if err := goJSONUnmarshal(ojs, &back); err != nil {
		t.Fatal(err)
	}
	if back.Begin != math.MaxUint64 || back.End != 1<<63+1 {
		t.Errorf("mesos-go reads %+v from %s", back, ojs)
	}
	// int64 extremes are exact both ways.
	js, _ = goJSONMarshal(&mesos.TimeInfo{Nanoseconds: math.MinInt64})
	var ti mesospb.TimeInfo
	if err := mesosjson.Unmarshal(js, &ti); err != nil || ti.GetNanoseconds() != math.MinInt64 {
		t.Errorf("mesosjson reads %s: %v, %d", js, err, ti.GetNanoseconds())
	}
}

// Bytes: mesos-go writes a bytes field only when it is non-empty, even a
// required one; Mesos then rejects the message.
func TestJSONFindingEmptyBytesLeftOut(t *testing.T) {
	call := &scheduler.Call{
		FrameworkID: &mesos.FrameworkID{Value: "f"},
		Type:        scheduler.Call_ACKNOWLEDGE,
		Acknowledge: &scheduler.Call_Acknowledge{AgentID: mesos.AgentID{Value: "a"}, TaskID: mesos.TaskID{Value: "t"}, UUID: []byte{}},
	}
	js, err := goJSONMarshal(call)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := jsonMembers(t, []byte(jsonMember(t, js, "acknowledge")))["uuid"]; ok {
		t.Errorf("mesos-go wrote the empty uuid: %s", js)
	}
	err = mesosjson.Unmarshal(js, &schedulerpb.Call{})
	var ce *mesosjson.ConversionError
	if !errors.As(err, &ce) || ce.Msg != "Missing required fields: acknowledge.uuid" {
		t.Errorf("mesosjson reading %s: got %v, want Missing required fields: acknowledge.uuid", js, err)
	}
	// Our JSON writes it (as ""), and mesos-go reads it back as empty.
	ojs, err := mesosjson.Marshal(&schedulerpb.Call{
		Type:        schedulerpb.Call_ACKNOWLEDGE.Enum(),
		Acknowledge: &schedulerpb.Call_Acknowledge{AgentId: &mesospb.AgentID{Value: proto.String("a")}, TaskId: &mesospb.TaskID{Value: proto.String("t")}, Uuid: []byte{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ojs), `"uuid":""`) {
		t.Errorf("mesosjson: %s", ojs)
	}
	var back scheduler.Call
	if err := goJSONUnmarshal(ojs, &back); err != nil || back.Acknowledge == nil || len(back.Acknowledge.UUID) != 0 {
		t.Errorf("mesos-go reading %s: %v %+v", ojs, err, back.Acknowledge)
	}
}

// Repeated fields and maps that mesos-go declares non-nullable are written
// as null when empty; Mesos reads null as "not set", and so does mesosjson.
// mesos-go also writes its always-present fields (see mesosGoAlwaysWrites).
func TestJSONFindingNullForEmptyRepeated(t *testing.T) {
	js, err := goJSONMarshal(&mesos.FrameworkInfo{User: "u", Name: "n"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"user":"u","name":"n","capabilities":null,"offer_filters":null}`; string(js) != want {
		t.Errorf("mesos-go writes %s, want %s", js, want)
	}
	var fi mesospb.FrameworkInfo
	if err := mesosjson.Unmarshal(js, &fi); err != nil {
		t.Fatal(err)
	}
	want := &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("n")}
	if d := cmp.Diff(want, &fi, protocmp.Transform()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// Defaults: Mesos writes unset fields that have an explicit, non-deprecated
// default (FrameworkInfo.failover_timeout and .checkpoint, not the deprecated
// .role); mesos-go writes only what is set. So a message read by mesos-go
// from our JSON has those fields set (withWrittenDefaults).
func TestJSONFindingDefaultsWrittenOut(t *testing.T) {
	ojs, err := mesosjson.Marshal(&mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("n")})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"user":"u","name":"n","failover_timeout":0.0,"checkpoint":false}`; string(ojs) != want {
		t.Errorf("mesosjson writes %s, want %s", ojs, want)
	}
	var fi mesos.FrameworkInfo
	if err := goJSONUnmarshal(ojs, &fi); err != nil {
		t.Fatal(err)
	}
	if fi.FailoverTimeout == nil || fi.Checkpoint == nil || fi.Role != nil {
		t.Errorf("mesos-go reads failover_timeout %v, checkpoint %v, role %v", fi.FailoverTimeout, fi.Checkpoint, fi.Role)
	}
}

// Doubles: Mesos writes integral values with ".0" and exponents without "+"
// ("1e21"); mesos-go writes Go's shortest form ("1", "1e+21"). Each reads the
// other's exactly, but for -0, which mesos-go writes as the integer literal
// "-0" and Mesos reads as +0. Non-finite values do not cross: mesos-go's encoder fails
// on them (ffjson writes +Inf/NaN, which encoding/json rejects), and Mesos's
// "Infinity" and bare NaN are not read by mesos-go.
func TestJSONFindingDoubles(t *testing.T) {
	negZero := math.Copysign(0, -1)
	for _, c := range []struct {
		v          float64
		goJS, ours string
		mesosReads float64 // what Mesos reads from mesos-go's JSON
	}{
		{1, `{"value":1}`, `{"value":1.0}`, 1},
		{0.1, `{"value":0.1}`, `{"value":0.1}`, 0.1},
		{1e21, `{"value":1e+21}`, `{"value":1e21}`, 1e21},
		// mesos-go's "-0" is an integer literal to Mesos: int64 0, so +0.
		{negZero, `{"value":-0}`, `{"value":-0.0}`, 0},
		{5e-324, `{"value":5e-324}`, `{"value":5e-324}`, 5e-324},
		{math.MaxFloat64, `{"value":1.7976931348623157e+308}`, `{"value":1.7976931348623157e308}`, math.MaxFloat64},
	} {
		js, err := goJSONMarshal(&mesos.Value_Scalar{Value: c.v})
		if err != nil || string(js) != c.goJS {
			t.Errorf("mesos-go writes %v as %s (%v), want %s", c.v, js, err, c.goJS)
		}
		ojs, err := mesosjson.Marshal(&mesospb.Value_Scalar{Value: proto.Float64(c.v)})
		if err != nil || string(ojs) != c.ours {
			t.Errorf("mesosjson writes %v as %s (%v), want %s", c.v, ojs, err, c.ours)
		}
		var theirs mesos.Value_Scalar
		if err := goJSONUnmarshal(ojs, &theirs); err != nil || math.Float64bits(theirs.Value) != math.Float64bits(c.v) {
			t.Errorf("mesos-go reads %s as %v (%v)", ojs, theirs.Value, err)
		}
		var ours mesospb.Value_Scalar
		if err := mesosjson.Unmarshal(js, &ours); err != nil || math.Float64bits(ours.GetValue()) != math.Float64bits(c.mesosReads) {
			t.Errorf("mesosjson reads %s as %v (%v)", js, ours.GetValue(), err)
		}
	}
	for _, v := range []float64{math.Inf(1), math.Inf(-1), math.NaN()} {
		if js, err := goJSONMarshal(&mesos.Value_Scalar{Value: v}); err == nil {
			t.Errorf("mesos-go encoded %v as %s", v, js)
		}
		ojs, err := mesosjson.Marshal(&mesospb.Value_Scalar{Value: proto.Float64(v)})
		if err != nil {
			t.Fatal(err)
		}
		if err := goJSONUnmarshal(ojs, &mesos.Value_Scalar{}); err == nil {
			t.Errorf("mesos-go read %s", ojs)
		}
	}
}

// Strings: mesos-go escapes <, >, & and U+2028/U+2029 as \uXXXX; Mesos
// writes them raw and escapes only control bytes, quote and backslash. Both
// read both.
func TestJSONFindingStrings(t *testing.T) {
	const s = "<&>\u2028\u2029\x00\x1f\"\\\x7f é 𝄞"
	js, err := goJSONMarshal(&mesos.Label{Key: s})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"key":"\u003c\u0026\u003e\u2028\u2029\u0000\u001f\"\\` + "\x7f é 𝄞" + `"}`; string(js) != want {
		t.Errorf("mesos-go writes %s, want %s", js, want)
	}
	ojs, err := mesosjson.Marshal(&mesospb.Label{Key: proto.String(s)})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"key":"<&>` + "\u2028\u2029" + `\u0000\u001F\"\\` + "\x7f é 𝄞" + `"}`; string(ojs) != want {
		t.Errorf("mesosjson writes %s, want %s", ojs, want)
	}
	var ours mesospb.Label
	if err := mesosjson.Unmarshal(js, &ours); err != nil || ours.GetKey() != s {
		t.Errorf("mesosjson reads %q (%v)", ours.GetKey(), err)
	}
	var theirs mesos.Label
	if err := goJSONUnmarshal(ojs, &theirs); err != nil || theirs.Key != s {
		t.Errorf("mesos-go reads %q (%v)", theirs.Key, err)
	}
}
