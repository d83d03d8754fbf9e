package mesosjson_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/mesos-sim/mesos-sim/api/mesosjson"
)

// The tests in this file re-create the cases of stout's
// 3rdparty/stout/tests/protobuf_tests.cpp (ProtobufTest.*) against the
// stoutTypes schema: their expected outputs are facts about Mesos's mapping.

// stoutFullMessage is the message of stout's JSON and Jsonify tests.
func stoutFullMessage() protoreflect.Message {
	m := newDyn(stoutTypes.Message)
	set(m, "b", true)
	set(m, "str", "string")
	set(m, "bytes", "bytes")
	set(m, "int32", int32(-1))
	set(m, "int64", int64(-1))
	set(m, "uint32", uint32(1))
	set(m, "uint64", uint64(1))
	set(m, "sint32", int32(-1))
	set(m, "sint64", int64(-1))
	set(m, "f", 1.0)
	set(m, "d", 1.0)
	set(m, "e", "ONE")
	set(m, "nested.str", "nested")
	add(m, "repeated_bool", true)
	add(m, "repeated_string", "repeated_string")
	add(m, "repeated_bytes", "repeated_bytes")
	add(m, "repeated_int32", int32(-2))
	add(m, "repeated_int64", int64(-2))
	add(m, "repeated_uint32", uint32(2))
	add(m, "repeated_uint64", uint64(2))
	add(m, "repeated_sint32", int32(-2))
	add(m, "repeated_sint64", int64(-2))
	add(m, "repeated_float", 1.0)
	add(m, "repeated_double", 1.0)
	add(m, "repeated_double", 2.0)
	add(m, "repeated_enum", "TWO")
	n := newDyn(stoutTypes.Nested)
	set(n, "str", "repeated_nested")
	add(m, "repeated_nested", n)
	return m
}

// ProtobufTest.Jsonify: fields in declaration order ("b", declared first
// with number 26, comes first), 1.0 written as 1.0, bytes in base64, the
// unset optional_default written with its default 42.0, the unset
// optional_no_default and the empty repeated field left out.
func TestStoutJsonify(t *testing.T) {
	want := compact(`{
		"b": true, "str": "string", "bytes": "Ynl0ZXM=",
		"int32": -1, "int64": -1, "uint32": 1, "uint64": 1, "sint32": -1, "sint64": -1,
		"f": 1.0, "d": 1.0, "e": "ONE", "nested": {"str": "nested"},
		"repeated_bool": [true], "repeated_string": ["repeated_string"],
		"repeated_bytes": ["cmVwZWF0ZWRfYnl0ZXM="],
		"repeated_int32": [-2], "repeated_int64": [-2], "repeated_uint32": [2], "repeated_uint64": [2],
		"repeated_sint32": [-2], "repeated_sint64": [-2], "repeated_float": [1.0],
		"repeated_double": [1.0, 2.0], "repeated_enum": ["TWO"],
		"repeated_nested": [{"str": "repeated_nested"}],
		"optional_default": 42.0
	}`)
	m := stoutFullMessage()
	got, err := mesosjson.Marshal(m.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", got, want)
	}

	// ProtobufTest.JSON: parsing gives back the message (with the default
	// now set), also from the form where every number and boolean is a
	// string.
	back := newDyn(stoutTypes.Message)
	if err := mesosjson.Unmarshal(got, back); err != nil {
		t.Fatal(err)
	}
	wantBack := proto.Clone(m.Interface())
	materializeDefaults(wantBack.ProtoReflect())
	diffProto(t, wantBack, back)

	accepted := `{
		"b": "true", "bytes": "Ynl0ZXM=", "d": "1.0", "e": "ONE", "f": "1.0",
		"int32": "-1", "int64": "-1", "nested": {"str": "nested"}, "optional_default": "42.0",
		"repeated_bool": ["true"], "repeated_bytes": ["cmVwZWF0ZWRfYnl0ZXM="],
		"repeated_double": ["1.0", "2.0"], "repeated_enum": ["TWO"], "repeated_float": ["1.0"],
		"repeated_int32": ["-2"], "repeated_int64": ["-2"],
		"repeated_nested": [{"str": "repeated_nested"}],
		"repeated_sint32": ["-2"], "repeated_sint64": ["-2"], "repeated_string": ["repeated_string"],
		"repeated_uint32": ["2"], "repeated_uint64": ["2"],
		"sint32": "-1", "sint64": "-1", "str": "string", "uint32": "1", "uint64": "1"
	}`
	fromStrings := newDyn(stoutTypes.Message)
	if err := mesosjson.Unmarshal([]byte(accepted), fromStrings); err != nil {
		t.Fatal(err)
	}
	diffProto(t, wantBack, fromStrings)

	// Random bytes (a UUID in stout's test) survive the trip.
	set(m, "bytes", string([]byte{0x00, 0xff, 0x10, 0x80, 0x7f, '"', '\\', 0xc3}))
	got, err = mesosjson.Marshal(m.Interface())
	if err != nil {
		t.Fatal(err)
	}
	back = newDyn(stoutTypes.Message)
	if err := mesosjson.Unmarshal(got, back); err != nil {
		t.Fatal(err)
	}
	wantBack = proto.Clone(m.Interface())
	materializeDefaults(wantBack.ProtoReflect())
	diffProto(t, wantBack, back)
}

// ProtobufTest.JsonLargeIntegers and JsonifyLargeIntegers: integers near
// their limits are written exactly and read back exactly.
func TestStoutLargeIntegers(t *testing.T) {
	m := newDyn(stoutTypes.Message)
	set(m, "int32", int32(-2147483647))
	set(m, "int64", int64(-9223372036854775807))
	set(m, "uint32", uint32(4294967295))
	set(m, "uint64", uint64(9223372036854775807))
	set(m, "sint32", int32(-1234567890))
	set(m, "sint64", int64(-1234567890123456789))
	add(m, "repeated_int32", int32(-2000000000))
	add(m, "repeated_int64", int64(-9000000000000000000))
	add(m, "repeated_uint32", uint32(3000000000))
	add(m, "repeated_uint64", uint64(7000000000000000000))
	add(m, "repeated_sint32", int32(-1000000000))
	add(m, "repeated_sint64", int64(-8000000000000000000))
	set(m, "b", true)
	set(m, "str", "string")
	set(m, "bytes", "bytes")
	set(m, "f", 1.0)
	set(m, "d", 1.0)
	set(m, "e", "ONE")
	set(m, "nested.str", "nested")

	want := compact(`{
		"b": true, "str": "string", "bytes": "Ynl0ZXM=",
		"int32": -2147483647, "int64": -9223372036854775807,
		"uint32": 4294967295, "uint64": 9223372036854775807,
		"sint32": -1234567890, "sint64": -1234567890123456789,
		"f": 1.0, "d": 1.0, "e": "ONE", "nested": {"str": "nested"},
		"repeated_int32": [-2000000000], "repeated_int64": [-9000000000000000000],
		"repeated_uint32": [3000000000], "repeated_uint64": [7000000000000000000],
		"repeated_sint32": [-1000000000], "repeated_sint64": [-8000000000000000000],
		"optional_default": 42.0
	}`)
	got, err := mesosjson.Marshal(m.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", got, want)
	}
	back := newDyn(stoutTypes.Message)
	if err := mesosjson.Unmarshal(got, back); err != nil {
		t.Fatal(err)
	}
	materializeDefaults(m)
	diffProto(t, m.Interface(), back)
}

// ProtobufTest.ParseJSONArray: stout can parse a JSON array into a
// RepeatedPtrField, but the master only ever parses objects into messages;
// a top-level array is a conversion error (valid JSON, wrong shape).
func TestStoutParseJSONArray(t *testing.T) {
	simple := newDyn(stoutTypes.Simple)
	err := mesosjson.Unmarshal([]byte(`[{"id":"message1","numbers":[1,2]},{"id":"message1","numbers":[1,2]}]`), simple)
	var ce *mesosjson.ConversionError
	if !errors.As(err, &ce) || ce.Msg != "Expecting a JSON object" {
		t.Fatalf("got %v, want ConversionError 'Expecting a JSON object'", err)
	}
	// Each element parses on its own.
	for _, s := range []string{`{"id":"message1","numbers":[1,2]}`, `{"numbers":[1,2],"id":"message1"}`} {
		if err := mesosjson.Unmarshal([]byte(s), simple); err != nil {
			t.Fatal(err)
		}
		want := newDyn(stoutTypes.Simple)
		set(want, "id", "message1")
		add(want, "numbers", int32(1))
		add(want, "numbers", int32(2))
		diffProto(t, want, simple)
		if b, _ := mesosjson.Marshal(simple); string(b) != `{"id":"message1","numbers":[1,2]}` {
			t.Errorf("Marshal = %s", b)
		}
	}
}

// ProtobufTest.ParseJSONNull: null leaves optional and repeated fields
// unset, and a required field set to null is missing.
func TestStoutParseJSONNull(t *testing.T) {
	want := newDyn(stoutTypes.Nested)
	set(want, "str", "value")
	for _, in := range []string{`{"str": "value", "optional_str": null}`, `{"str": "value", "repeated_str": null}`, `{"str": "value", "repeated_str": [null]}`} {
		got := newDyn(stoutTypes.Nested)
		if err := mesosjson.Unmarshal([]byte(in), got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		diffProto(t, want, got)
	}
	err := mesosjson.Unmarshal([]byte(`{"str": null}`), newDyn(stoutTypes.Nested))
	if err == nil || err.Error() != "Missing required fields: str" {
		t.Fatalf("got %v", err)
	}
}

// ProtobufTest.ParseJSONNestedError: the error from a nested message names
// the field but not its path.
func TestStoutParseJSONNestedError(t *testing.T) {
	in := `{"b": true, "str": "string", "bytes": "Ynl0ZXM=", "f": 1.0, "d": 1.0, "e": "ONE", "nested": {"str": 1.0}}`
	err := mesosjson.Unmarshal([]byte(in), newDyn(stoutTypes.Message))
	if err == nil || err.Error() != "Not expecting a JSON number for field 'str'" {
		t.Fatalf("got %v", err)
	}
}

// ProtobufTest.ParseJSONUnrecognizedEnum: an unknown name leaves an optional
// enum unset and is left out of a repeated one; in a required enum it is an
// error.
func TestStoutParseJSONUnrecognizedEnum(t *testing.T) {
	got := newDyn(stoutTypes.Enums)
	err := mesosjson.Unmarshal([]byte(`{"e1": "XXX", "e2": "", "repeated_enum": ["ONE", "XXX", "", "TWO"], "required_enum": "TWO"}`), got)
	if err != nil {
		t.Fatal(err)
	}
	want := newDyn(stoutTypes.Enums)
	add(want, "repeated_enum", "ONE")
	add(want, "repeated_enum", "TWO")
	set(want, "required_enum", "TWO")
	diffProto(t, want, got)

	err = mesosjson.Unmarshal([]byte(`{"required_enum": "XXX"}`), newDyn(stoutTypes.Enums))
	if err == nil || err.Error() != "Failed to find enum for 'XXX'" {
		t.Fatalf("got %v", err)
	}
	// Enums are read by name only.
	err = mesosjson.Unmarshal([]byte(`{"e1": 1}`), newDyn(stoutTypes.Enums))
	if err == nil || err.Error() != "Not expecting a JSON number for field 'e1'" {
		t.Fatalf("got %v", err)
	}
	err = mesosjson.Unmarshal([]byte(`{"repeated_enum": ["ONE", 2]}`), newDyn(stoutTypes.Enums))
	if err == nil || err.Error() != "Not expecting a JSON number for field 'repeated_enum'" {
		t.Fatalf("got %v", err)
	}
}

// ProtobufTest.JsonifyMap: maps are JSON objects keyed by the key's text
// (booleans as "true"/"false", integers in decimal); values as for any field.
// Entry order is unspecified in Mesos; ours is sorted by key.
func TestStoutJsonifyMap(t *testing.T) {
	m := newDyn(stoutTypes.Maps)
	add(m, "string_to_string", [2]any{"key1", "value1"})
	add(m, "string_to_string", [2]any{"key2", "value2"})
	add(m, "string_to_bool", [2]any{"key1", true})
	add(m, "string_to_bool", [2]any{"key2", false})
	add(m, "string_to_bytes", [2]any{"key", "bytes"})
	add(m, "string_to_int32", [2]any{"key", int32(-2147483647)})
	add(m, "string_to_int64", [2]any{"key", int64(-9223372036854775807)})
	add(m, "string_to_uint32", [2]any{"key", uint32(4294967295)})
	add(m, "string_to_uint64", [2]any{"key", uint64(9223372036854775807)})
	add(m, "string_to_sint32", [2]any{"key", int32(-1234567890)})
	add(m, "string_to_sint64", [2]any{"key", int64(-1234567890123456789)})
	add(m, "string_to_float", [2]any{"key", 1.0})
	add(m, "string_to_double", [2]any{"key", 1.0})
	add(m, "string_to_enum", [2]any{"key", "ONE"})
	n := newDyn(stoutTypes.Nested)
	set(n, "str", "nested")
	add(m, "string_to_nested", [2]any{"key", n})
	add(m, "bool_to_string", [2]any{true, "value1"})
	add(m, "bool_to_string", [2]any{false, "value2"})
	add(m, "int32_to_string", [2]any{int32(-2147483647), "value"})
	add(m, "int64_to_string", [2]any{int64(-9223372036854775807), "value"})
	add(m, "uint32_to_string", [2]any{uint32(4294967295), "value"})
	add(m, "uint64_to_string", [2]any{uint64(9223372036854775807), "value"})
	add(m, "sint32_to_string", [2]any{int32(-1234567890), "value"})
	add(m, "sint64_to_string", [2]any{int64(-1234567890123456789), "value"})

	want := compact(`{
		"string_to_string": {"key1": "value1", "key2": "value2"},
		"string_to_bool": {"key1": true, "key2": false},
		"string_to_bytes": {"key": "Ynl0ZXM="},
		"string_to_int32": {"key": -2147483647},
		"string_to_int64": {"key": -9223372036854775807},
		"string_to_uint32": {"key": 4294967295},
		"string_to_uint64": {"key": 9223372036854775807},
		"string_to_sint32": {"key": -1234567890},
		"string_to_sint64": {"key": -1234567890123456789},
		"string_to_float": {"key": 1.0},
		"string_to_double": {"key": 1.0},
		"string_to_enum": {"key": "ONE"},
		"string_to_nested": {"key": {"str": "nested"}},
		"bool_to_string": {"false": "value2", "true": "value1"},
		"int32_to_string": {"-2147483647": "value"},
		"int64_to_string": {"-9223372036854775807": "value"},
		"uint32_to_string": {"4294967295": "value"},
		"uint64_to_string": {"9223372036854775807": "value"},
		"sint32_to_string": {"-1234567890": "value"},
		"sint64_to_string": {"-1234567890123456789": "value"}
	}`)
	got, err := mesosjson.Marshal(m.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", got, want)
	}
	back := newDyn(stoutTypes.Maps)
	if err := mesosjson.Unmarshal(got, back); err != nil {
		t.Fatal(err)
	}
	diffProto(t, m.Interface(), back)
}

// Map decoding details that follow from stout's Parser: keys are converted
// like JSON strings into the key field, a map field also takes an array of
// objects (entries merge, the last one wins), and entry errors name the
// entry's "key" or "value" field.
func TestStoutMapDecoding(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{in: `{"int32_to_string": {"1": "a", " 2": "b", "3.9": "c", "-0": "d"}}`, want: `{"int32_to_string":{"0":"d","1":"a","2":"b","3":"c"}}`},
		{in: `{"bool_to_string": {"true": "t", " false": "f"}}`, want: `{"bool_to_string":{"false":"f","true":"t"}}`},
		{in: `{"string_to_int32": [{"a": 1}, {"a": 2, "b": "3"}, null, [{"c": 4}]]}`, want: `{"string_to_int32":{"a":2,"b":3,"c":4}}`},
		{in: `{"string_to_enum": {"a": "TWO", "b": "XXX", "c": null}}`, want: `{"string_to_enum":{"a":"TWO","b":"UNKNOWN","c":"UNKNOWN"}}`},
		{in: `{"string_to_nested": {"a": null}}`, err: "Missing required fields: string_to_nested[0].value.str"},
		{in: `{"string_to_nested": {"b": {"str": "x"}, "a": {}}}`, err: "Missing required fields: string_to_nested[0].value.str"},
		{in: `{"string_to_double": {"a": "Infinity", "b": "-Infinity", "c": "1e3"}}`, want: `{"string_to_double":{"a":"Infinity","b":"-Infinity","c":1000.0}}`},
		{in: `{"int32_to_string": {"x": "a"}}`, err: "Failed to parse 'x' as a JSON number for field 'key': syntax error at line 1 near: x"},
		{in: `{"bool_to_string": {"1": "a"}}`, err: "Failed to parse '1' as a JSON boolean for field 'key': Unexpected JSON type parsed"},
		{in: `{"string_to_string": {"a": 1}}`, err: "Not expecting a JSON number for field 'value'"},
		{in: `{"string_to_string": {"a": ["x"]}}`, err: "Not expecting a JSON array for field 'value'"},
		{in: `{"string_to_nested": {"a": "x"}}`, err: "Not expecting a JSON string for field 'value'"},
		{in: `{"string_to_string": "x"}`, err: "Not expecting a JSON string for field 'string_to_string'"},
		{in: `{"string_to_string": ["x"]}`, err: "Not expecting a JSON string for field 'string_to_string'"},
	}
	for _, tt := range tests {
		got := newDyn(stoutTypes.Maps)
		err := mesosjson.Unmarshal([]byte(tt.in), got)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%s: got error %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		b, err := mesosjson.Marshal(got)
		if err != nil || string(b) != tt.want {
			t.Errorf("%s: decoded to %s (%v), want %s", tt.in, b, err, tt.want)
		}
	}
}

// ProtobufTest.JsonInfinity: infinities are written as the strings
// "Infinity" and "-Infinity" (floats too, widened to double), and read back
// from those strings.
func TestStoutJsonInfinity(t *testing.T) {
	m := newDyn(stoutTypes.Floats)
	set(m, "f1", math.Inf(1))
	set(m, "f2", math.Inf(-1))
	set(m, "d1", math.Inf(1))
	set(m, "d2", math.Inf(-1))
	got, err := mesosjson.Marshal(m.Interface())
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"f1":"Infinity","f2":"-Infinity","d1":"Infinity","d2":"-Infinity"}`; string(got) != want {
		t.Errorf("Marshal:\n got %s\nwant %s", got, want)
	}
	back := newDyn(stoutTypes.Floats)
	if err := mesosjson.Unmarshal(got, back); err != nil {
		t.Fatal(err)
	}
	diffProto(t, m.Interface(), back)

	// NaN is written as a bare NaN token, which no JSON parser (Mesos's
	// included) accepts; and the string "NaN" is not read as a number.
	set(m, "d1", math.NaN())
	got, _ = mesosjson.Marshal(m.Interface())
	if !strings.Contains(string(got), `"d1":NaN,`) {
		t.Errorf("Marshal with NaN = %s", got)
	}
	var se *mesosjson.SyntaxError
	if err := mesosjson.Unmarshal(got, back); !errors.As(err, &se) || se.Msg != "syntax error at line 1 near: NaN,\"d2\":\"-Infinity\"}" {
		t.Errorf("Unmarshal(%s) = %v", got, err)
	}
	err = mesosjson.Unmarshal([]byte(`{"f1":1,"f2":1,"d1":"NaN","d2":1}`), back)
	if err == nil || err.Error() != "Failed to parse 'NaN' as a JSON number for field 'd1': syntax error at line 1 near: NaN" {
		t.Errorf("got %v", err)
	}
}
