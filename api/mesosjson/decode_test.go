package mesosjson_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

type errKind int

const (
	noErr errKind = iota
	syntaxErr
	conversionErr
)

func checkErr(t *testing.T, in string, err error, kind errKind, msg string) bool {
	t.Helper()
	var se *mesosjson.SyntaxError
	var ce *mesosjson.ConversionError
	switch kind {
	case noErr:
		if err != nil {
			t.Errorf("%.200q: unexpected error %.200v", in, err)
			return false
		}
		return true
	case syntaxErr:
		if !errors.As(err, &se) || se.Msg != msg {
			t.Errorf("%.200q: got error %.200v, want SyntaxError %.200q", in, err, msg)
		}
	case conversionErr:
		if !errors.As(err, &ce) || ce.Msg != msg {
			t.Errorf("%.200q: got error %.200v, want ConversionError %.200q", in, err, msg)
		}
	}
	return false
}

// The first stage: what the master's JSON parser accepts and its messages.
func TestUnmarshalSyntax(t *testing.T) {
	// deep(n) nests n+1 objects.
	deep := func(n int) string { return strings.Repeat(`{"x":`, n) + "{}" + strings.Repeat("}", n) }
	tests := []struct {
		in   string
		kind errKind
		msg  string
	}{
		{in: ``, kind: syntaxErr, msg: "syntax error at line 1 near: "},
		{in: "  \n ", kind: syntaxErr, msg: "syntax error at line 2 near: "},
		{in: `{"type":"KILL"`, kind: syntaxErr, msg: "syntax error at line 1 near: "},
		{in: `{"type":"KILL",}`, kind: syntaxErr, msg: "syntax error at line 1 near: }"},
		{in: "{\n  \"type\": \"KILL\"\n  \"kill\": {}\n}", kind: syntaxErr, msg: `syntax error at line 3 near: "kill": {}`},
		{in: `{'type':'KILL'}`, kind: syntaxErr, msg: "syntax error at line 1 near: 'type':'KILL'}"},
		{in: `{type:"KILL"}`, kind: syntaxErr, msg: `syntax error at line 1 near: type:"KILL"}`},
		{in: "{\"type\":\"KI\tLL\"}", kind: syntaxErr, msg: `syntax error at line 1 near: LL"}`},
		{in: `{"type":"\x"}`, kind: syntaxErr, msg: `syntax error at line 1 near: "}`},
		{in: `{"type":"\ud800x"}`, kind: syntaxErr, msg: `syntax error at line 1 near: x"}`},
		{in: `{"type":"\udc00"}`, kind: syntaxErr, msg: `syntax error at line 1 near: "}`},
		{in: `{"type":KILL}`, kind: syntaxErr, msg: "syntax error at line 1 near: KILL}"},
		{in: `{"a":01.5e}`, kind: syntaxErr, msg: "syntax error at line 1 near: }"},
		{in: `{"a":NaN}`, kind: syntaxErr, msg: "syntax error at line 1 near: NaN}"},
		{in: `{"a":Infinity}`, kind: syntaxErr, msg: "syntax error at line 1 near: Infinity}"},
		{in: `{"a":-Infinity}`, kind: syntaxErr, msg: "syntax error at line 1 near: Infinity}"},
		{in: `{"a":+1}`, kind: syntaxErr, msg: "syntax error at line 1 near: +1}"},
		{in: `{"a":0x10}`, kind: syntaxErr, msg: "syntax error at line 1 near: x10}"},
		{in: `{"a":1e999}`, kind: syntaxErr, msg: "Value out of range"},
		{in: `{"a":1e999, oops`, kind: syntaxErr, msg: "Value out of range"},
		// Trailing bytes after the object, spaces included in the quote.
		{in: `{"type":"HEARTBEAT"} x`, kind: syntaxErr, msg: "Parsed JSON included non-whitespace trailing characters:  x"},
		{in: `{"type":"HEARTBEAT"}{}`, kind: syntaxErr, msg: "Parsed JSON included non-whitespace trailing characters: {}"},
		{in: "{\"type\":\"HEARTBEAT\"}\r\n\t ", kind: noErr},
		{in: "\xef\xbb\xbf{}", kind: syntaxErr, msg: "syntax error at line 1 near: \xef\xbb\xbf{}"},
		// Depth: 200 nested objects or arrays are fine, 201 are not.
		{in: deep(199), kind: noErr},
		{in: deep(200), kind: syntaxErr, msg: "syntax error at line 1 near: " + strings.Repeat("}", 201)},
		{in: strings.Repeat("[", 100000), kind: syntaxErr, msg: "syntax error at line 1 near: " + strings.Repeat("[", 100000-201)},
		// Any JSON value parses; only objects convert.
		{in: `[]`, kind: conversionErr, msg: "Expecting a JSON object"},
		{in: `"SUBSCRIBE"`, kind: conversionErr, msg: "Expecting a JSON object"},
		{in: `null`, kind: conversionErr, msg: "Expecting a JSON object"},
		// picojson leaves its position one past the byte that ends a
		// number, so a top-level number followed by one stray byte parses,
		// and one followed by whitespace does not.
		{in: `5x`, kind: conversionErr, msg: "Expecting a JSON object"},
		{in: `5 `, kind: syntaxErr, msg: "Parsed JSON included non-whitespace trailing characters: "},
	}
	for _, tt := range tests {
		var c schedulerpb.Call
		err := mesosjson.Unmarshal([]byte(tt.in), &c)
		checkErr(t, tt.in, err, tt.kind, tt.msg)
	}
}

// The second stage, on scheduler calls.
func TestUnmarshalCall(t *testing.T) {
	fid := func(s string) *mesospb.FrameworkID { return &mesospb.FrameworkID{Value: proto.String(s)} }
	tests := []struct {
		name string
		in   string
		want *schedulerpb.Call
		kind errKind
		msg  string
	}{{
		name: "subscribe",
		in: `{"type": "SUBSCRIBE", "subscribe": {"framework_info": {"user": "foo", "name": "Example HTTP Framework",
			"roles": ["test1", "test2"], "capabilities": [{"type": "MULTI_ROLE"}]}, "suppressed_roles": ["test2"]}}`,
		want: &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), Subscribe: &schedulerpb.Call_Subscribe{
			FrameworkInfo: &mesospb.FrameworkInfo{
				User: proto.String("foo"), Name: proto.String("Example HTTP Framework"), Roles: []string{"test1", "test2"},
				Capabilities: []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_MULTI_ROLE.Enum()}},
			},
			SuppressedRoles: []string{"test2"},
		}},
	}, {
		name: "missing required fields with paths",
		in:   `{"type": "SUBSCRIBE", "subscribe": {"framework_info": {"roles": ["r"]}}}`,
		kind: conversionErr, msg: "Missing required fields: subscribe.framework_info.user, subscribe.framework_info.name",
	}, {
		name: "missing required fields in repeated messages",
		in: `{"type":"ACCEPT","accept":{"offer_ids":[{"value":"o"},{}],"operations":[{"type":"LAUNCH",
			"launch":{"task_infos":[{"name":"t","task_id":{},"agent_id":{"value":"a"},"resources":[{"name":"cpus"}]}]}}]}}`,
		kind: conversionErr,
		msg: "Missing required fields: accept.offer_ids[1].value, accept.operations[0].launch.task_infos[0].task_id.value, " +
			"accept.operations[0].launch.task_infos[0].resources[0].type",
	}, {
		name: "unknown keys are ignored, even malformed ones",
		in:   `{"type":"TEARDOWN","framework_id":{"value":"f","extra":[1,{"x":null}]},"frameworkId":{"value":1},"":0}`,
		want: &schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum(), FrameworkId: fid("f")},
	}, {
		name: "lowerCamelCase names are not field names",
		in:   `{"type":"TEARDOWN","frameworkId":{"value":"f"}}`,
		want: &schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum()},
	}, {
		name: "duplicate keys: the last one wins, the first is not converted",
		in:   `{"type":1,"type":"KILL","framework_id":{"value":"a"},"framework_id":{"value":"b"}}`,
		want: &schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), FrameworkId: fid("b")},
	}, {
		name: "enum by number is an error",
		in:   `{"type":1}`,
		kind: conversionErr, msg: "Not expecting a JSON number for field 'type'",
	}, {
		name: "enum by number in a string is an unknown name",
		in:   `{"type":"1"}`,
		want: &schedulerpb.Call{},
	}, {
		name: "unknown enum name on an optional field is dropped",
		in:   `{"type":"SUBSCRIBE_PLEASE","framework_id":{"value":"f"}}`,
		want: &schedulerpb.Call{FrameworkId: fid("f")},
	}, {
		name: "enum names are case sensitive",
		in:   `{"type":"subscribe"}`,
		want: &schedulerpb.Call{},
	}, {
		name: "unknown enum names in repeated fields are left out",
		in:   `{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n","capabilities":[{"type":"NOPE"},{"type":"MULTI_ROLE"}]}}}`,
		want: &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), Subscribe: &schedulerpb.Call_Subscribe{FrameworkInfo: &mesospb.FrameworkInfo{
			User: proto.String("u"), Name: proto.String("n"),
			Capabilities: []*mesospb.FrameworkInfo_Capability{{}, {Type: mesospb.FrameworkInfo_Capability_MULTI_ROLE.Enum()}},
		}}},
	}, {
		name: "null is unset, {} is set",
		in:   `{"type":null,"framework_id":{},"kill":null}`,
		kind: conversionErr, msg: "Missing required fields: framework_id.value",
	}, {
		name: "strings for numbers and booleans",
		in: `{"type":"DECLINE","decline":{"filters":{"refuse_seconds":" 1.5e1"}},"subscribe":{"framework_info":{"user":"u","name":"n",
			"checkpoint":"true","failover_timeout":"7"}}}`,
		want: &schedulerpb.Call{Type: schedulerpb.Call_DECLINE.Enum(),
			Decline:   &schedulerpb.Call_Decline{Filters: &mesospb.Filters{RefuseSeconds: proto.Float64(15)}},
			Subscribe: &schedulerpb.Call_Subscribe{FrameworkInfo: &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("n"), Checkpoint: proto.Bool(true), FailoverTimeout: proto.Float64(7)}},
		},
	}, {
		name: "a number string must be all number",
		in:   `{"decline":{"filters":{"refuse_seconds":"5 "}}}`,
		kind: conversionErr, msg: "Failed to parse '5 ' as a JSON number for field 'refuse_seconds': Parsed JSON included non-whitespace trailing characters: ",
	}, {
		name: "number string with one stray byte (picojson quirk)",
		in:   `{"decline":{"filters":{"refuse_seconds":"5s"}}}`,
		want: &schedulerpb.Call{Decline: &schedulerpb.Call_Decline{Filters: &mesospb.Filters{RefuseSeconds: proto.Float64(5)}}},
	}, {
		name: "number string holding a string",
		in:   `{"decline":{"filters":{"refuse_seconds":"\"5\""}}}`,
		kind: conversionErr, msg: `Failed to parse '"5"' as a JSON number for field 'refuse_seconds': Unexpected JSON type parsed`,
	}, {
		name: "empty number string",
		in:   `{"decline":{"filters":{"refuse_seconds":""}}}`,
		kind: conversionErr, msg: "Failed to parse '' as a JSON number for field 'refuse_seconds': syntax error at line 1 near: ",
	}, {
		name: "boolean string",
		in:   `{"subscribe":{"framework_info":{"user":"u","name":"n","checkpoint":"yes"}}}`,
		kind: conversionErr, msg: "Failed to parse 'yes' as a JSON boolean for field 'checkpoint': syntax error at line 1 near: yes",
	}, {
		name: "number for a boolean",
		in:   `{"subscribe":{"framework_info":{"user":"u","name":"n","checkpoint":1}}}`,
		kind: conversionErr, msg: "Not expecting a JSON number for field 'checkpoint'",
	}, {
		name: "boolean for a string",
		in:   `{"subscribe":{"framework_info":{"user":true}}}`,
		kind: conversionErr, msg: "Not expecting a JSON boolean for field 'user'",
	}, {
		name: "number for a string",
		in:   `{"subscribe":{"framework_info":{"user":1}}}`,
		kind: conversionErr, msg: "Not expecting a JSON number for field 'user'",
	}, {
		name: "string for a message",
		in:   `{"framework_id":"f"}`,
		kind: conversionErr, msg: "Not expecting a JSON string for field 'framework_id'",
	}, {
		name: "object for a scalar",
		in:   `{"type":{}}`,
		kind: conversionErr, msg: "Not expecting a JSON object for field 'type'",
	}, {
		name: "array for a singular field",
		in:   `{"framework_id":[{"value":"f"}]}`,
		kind: conversionErr, msg: "Not expecting a JSON array for field 'framework_id'",
	}, {
		name: "single value for a repeated field, nested arrays flattened, null elements skipped",
		in:   `{"suppress":{"roles":"a"},"revive":{"roles":[["b",["c"]],null,"d"]}}`,
		want: &schedulerpb.Call{Suppress: &schedulerpb.Call_Suppress{Roles: []string{"a"}}, Revive: &schedulerpb.Call_Revive{Roles: []string{"b", "c", "d"}}},
	}, {
		name: "single object for a repeated message field",
		in:   `{"decline":{"offer_ids":{"value":"o"}}}`,
		want: &schedulerpb.Call{Decline: &schedulerpb.Call_Decline{OfferIds: []*mesospb.OfferID{{Value: proto.String("o")}}}},
	}, {
		name: "first error in key order is reported",
		in:   `{"type":1,"framework_id":2}`,
		kind: conversionErr, msg: "Not expecting a JSON number for field 'framework_id'",
	}, {
		name: "bytes: standard base64, lenient like stout",
		in:   `{"acknowledge":{"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":" AQID\nBA=garbage"}}`,
		want: &schedulerpb.Call{Acknowledge: &schedulerpb.Call_Acknowledge{
			AgentId: &mesospb.AgentID{Value: proto.String("a")}, TaskId: &mesospb.TaskID{Value: proto.String("t")}, Uuid: []byte{1, 2, 3, 4},
		}},
	}, {
		name: "bytes: unpadded and with trailing bits",
		in:   `{"message":{"agent_id":{"value":"a"},"executor_id":{"value":"e"},"data":"AQIDBB"}}`,
		want: &schedulerpb.Call{Message: &schedulerpb.Call_Message{
			AgentId: &mesospb.AgentID{Value: proto.String("a")}, ExecutorId: &mesospb.ExecutorID{Value: proto.String("e")}, Data: []byte{1, 2, 3, 4},
		}},
	}, {
		name: "bytes: url-safe alphabet is an error",
		in:   `{"acknowledge":{"uuid":"ab-_"}}`,
		kind: conversionErr, msg: "Failed to base64 decode bytes field 'uuid': Invalid character '-'",
	}, {
		name: "uint64 above 2^63 goes through a double",
		in: `{"accept":{"operations":[{"type":"RESERVE","reserve":{"resources":[{"name":"ports","type":"RANGES","ranges":{"range":[
			{"begin":9223372036854775807,"end":18446744073709551615},{"begin":-1,"end":"1e19"},{"begin":12345678901234567890,"end":1.5}]}}]}}]}}`,
		want: &schedulerpb.Call{Accept: &schedulerpb.Call_Accept{Operations: []*mesospb.Offer_Operation{{
			Type: mesospb.Offer_Operation_RESERVE.Enum(),
			Reserve: &mesospb.Offer_Operation_Reserve{Resources: []*mesospb.Resource{{
				Name: proto.String("ports"), Type: mesospb.Value_RANGES.Enum(),
				Ranges: &mesospb.Value_Ranges{Range: []*mesospb.Value_Range{
					{Begin: proto.Uint64(math.MaxInt64), End: proto.Uint64(0)},
					{Begin: proto.Uint64(math.MaxUint64), End: proto.Uint64(10000000000000000000)},
					{Begin: proto.Uint64(12345678901234567168), End: proto.Uint64(1)},
				}},
			}}},
		}}}},
	}, {
		name: "oneof: members apply in key order, the last one stays",
		in: `{"subscribe":{"framework_info":{"user":"u","name":"n"},"offer_constraints":{"role_constraints":{"r":{"groups":[{"attribute_constraints":[
			{"selector":{"pseudoattribute_type":"HOSTNAME","attribute_name":"rack"},"predicate":{"text_equals":{"value":"x"},"exists":{}}}]}]}}}}}`,
		want: &schedulerpb.Call{Subscribe: &schedulerpb.Call_Subscribe{
			FrameworkInfo: &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("n")},
			OfferConstraints: &schedulerpb.OfferConstraints{RoleConstraints: map[string]*schedulerpb.OfferConstraints_RoleConstraints{
				"r": {Groups: []*schedulerpb.OfferConstraints_RoleConstraints_Group{{AttributeConstraints: []*schedulerpb.AttributeConstraint{{
					Selector: &schedulerpb.AttributeConstraint_Selector{Selector: &schedulerpb.AttributeConstraint_Selector_PseudoattributeType_{
						PseudoattributeType: schedulerpb.AttributeConstraint_Selector_HOSTNAME}},
					Predicate: &schedulerpb.AttributeConstraint_Predicate{Predicate: &schedulerpb.AttributeConstraint_Predicate_TextEquals_{
						TextEquals: &schedulerpb.AttributeConstraint_Predicate_TextEquals{Value: proto.String("x")}}},
				}}}}},
			}},
		}},
	}, {
		name: "map values: Infinity and numbers in strings",
		in: `{"accept":{"operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"t","task_id":{"value":"t"},"agent_id":{"value":"a"},
			"limits":{"cpus":{"value":"Infinity"},"mem":{"value":"512"}}}]}}]}}`,
		want: &schedulerpb.Call{Accept: &schedulerpb.Call_Accept{Operations: []*mesospb.Offer_Operation{{
			Type: mesospb.Offer_Operation_LAUNCH.Enum(),
			Launch: &mesospb.Offer_Operation_Launch{TaskInfos: []*mesospb.TaskInfo{{
				Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t")}, AgentId: &mesospb.AgentID{Value: proto.String("a")},
				Limits: map[string]*mesospb.Value_Scalar{"cpus": {Value: proto.Float64(math.Inf(1))}, "mem": {Value: proto.Float64(512)}},
			}}},
		}}}},
	}, {
		// The scheduler API docs show limits as plain numbers; Value.Scalar
		// is a message, so Mesos rejects that form.
		name: "map values must match the value type",
		in:   `{"accept":{"operations":[{"launch":{"task_infos":[{"limits":{"cpus":"Infinity"}}]}}]}}`,
		kind: conversionErr, msg: "Not expecting a JSON string for field 'value'",
	}, {
		name: "escapes and raw bytes in strings",
		in:   `{"framework_id":{"value":"\u00e9\ud83d\ude00\/\b\f\n\r\t\"\\` + "\xff\x7f" + `"}}`,
		want: &schedulerpb.Call{FrameworkId: fid("é😀/\b\f\n\r\t\"\\\xff\x7f")},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := &schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum()} // Unmarshal resets
			err := mesosjson.Unmarshal([]byte(tt.in), got)
			if checkErr(t, tt.in, err, tt.kind, tt.msg) {
				diffProto(t, tt.want, got)
			}
		})
	}
}

// Numbers convert into integer fields as C++ static_cast does on x86-64:
// doubles truncate toward zero, integers keep their low bits, and doubles out
// of range give the processor's "indefinite" value (or what GCC's unsigned
// conversions make of it).
func TestUnmarshalNumberConversions(t *testing.T) {
	type result struct {
		i32 int32
		u32 uint32
		i64 int64
	}
	cases := []struct {
		json string
		want result
	}{
		{`1.9`, result{1, 1, 1}},
		{`-1.9`, result{-1, 4294967295, -1}},
		{`3000000000`, result{-1294967296, 3000000000, 3000000000}},
		{`-1`, result{-1, 4294967295, -1}},
		{`1e10`, result{math.MinInt32, 1410065408, 10000000000}},
		{`1e19`, result{math.MinInt32, 0, math.MinInt64}},
		{`"42"`, result{42, 42, 42}},
		{`"  4.2e1"`, result{42, 42, 42}},
	}
	for _, c := range cases {
		// AgentInfo.port is int32, MasterInfo.ip uint32, DurationInfo
		// nanoseconds int64.
		var d mesospb.DurationInfo
		if err := mesosjson.Unmarshal([]byte(`{"nanoseconds":`+c.json+`}`), &d); err != nil {
			t.Fatal(err)
		}
		var mi mesospb.MasterInfo
		if err := mesosjson.Unmarshal([]byte(`{"id":"m","port":1,"ip":`+c.json+`}`), &mi); err != nil {
			t.Fatal(err)
		}
		var ai mesospb.AgentInfo
		if err := mesosjson.Unmarshal([]byte(`{"hostname":"h","port":`+c.json+`}`), &ai); err != nil {
			t.Fatal(err)
		}
		got := result{ai.GetPort(), mi.GetIp(), d.GetNanoseconds()}
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.json, got, c.want)
		}
	}
}

func TestUnmarshalResets(t *testing.T) {
	c := &schedulerpb.Call{FrameworkId: &mesospb.FrameworkID{Value: proto.String("old")}, Type: schedulerpb.Call_KILL.Enum()}
	if err := mesosjson.Unmarshal([]byte(`{"type":"TEARDOWN"}`), c); err != nil {
		t.Fatal(err)
	}
	diffProto(t, &schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum()}, c)
}

func TestUnmarshalNilMessage(t *testing.T) {
	var c *schedulerpb.Call
	err := mesosjson.Unmarshal([]byte(`{}`), c)
	var se *mesosjson.SyntaxError
	var ce *mesosjson.ConversionError
	if err == nil || errors.As(err, &se) || errors.As(err, &ce) {
		t.Fatalf("got %v", err)
	}
	if err := mesosjson.Unmarshal([]byte(`{}`), nil); err == nil {
		t.Fatal("no error for nil")
	}
}

// nil elements of lists and maps of messages are written as empty messages.
func TestMarshalNilElements(t *testing.T) {
	b, err := mesosjson.Marshal(&mesospb.TaskInfo{Limits: map[string]*mesospb.Value_Scalar{"cpus": nil}, Resources: []*mesospb.Resource{nil}})
	if err != nil || string(b) != `{"resources":[{}],"limits":{"cpus":{}}}` {
		t.Fatalf("got %s, %v", b, err)
	}
}

// bytes fields decode with stout's lenient base64::decode.
func TestUnmarshalBase64(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
		err  string
	}{
		{in: ``, want: []byte{}},
		{in: `=`, want: []byte{}},
		{in: `A`, want: []byte{}},
		{in: `AQ`, want: []byte{0x01}},
		{in: `AQI`, want: []byte{0x01, 0x02}},
		{in: `AQID`, want: []byte{0x01, 0x02, 0x03}},
		{in: `AQ==`, want: []byte{0x01}},
		{in: `AR==`, want: []byte{0x01}}, // unused bits ignored
		{in: `AQ=ID`, want: []byte{0x01}},
		{in: `A Q\tI\nD\u000b\u000c\r`, want: []byte{0x01, 0x02, 0x03}},
		{in: `+/+/`, want: []byte{0xfb, 0xff, 0xbf}},
		{in: `AQ*D`, err: "Failed to base64 decode bytes field 'data': Invalid character '*'"},
		{in: `AQ_D`, err: "Failed to base64 decode bytes field 'data': Invalid character '_'"},
		{in: `\u00e9`, err: "Failed to base64 decode bytes field 'data': Invalid character '\xc3'"},
	}
	for _, tt := range tests {
		var s mesospb.TaskStatus
		err := mesosjson.Unmarshal([]byte(`{"data":"`+tt.in+`"}`), &s)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: got %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil && err.Error() != "Missing required fields: task_id, state" {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		if !s.ProtoReflect().Has(s.ProtoReflect().Descriptor().Fields().ByName("data")) || !bytes.Equal(s.Data, tt.want) {
			t.Errorf("%q: got %x, want %x", tt.in, s.Data, tt.want)
		}
	}
}
