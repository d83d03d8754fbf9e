package resources

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// TestParse re-creates ResourcesTest.Parsing, ParsingWithRoles,
// ParseError, VerySmallValue and AbsentResources from
// src/tests/resources_tests.cpp, plus the corner cases of Mesos's text
// format.
func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		role    string // default role; "" means "*"
		want    string // String() of the result
		wantErr string // substring of the error
	}{
		{in: "cpus:45.55;ports:[10000-20000, 30000-50000];disks:{sda1}",
			want: "cpus:45.55; ports:[10000-20000, 30000-50000]; disks:{sda1}"},
		{in: "cpus:4;mem:8192;ports:[31000-32000];disk(role1):100",
			want: "cpus:4; mem:8192; ports:[31000-32000]; disk(reservations: [(STATIC,role1)]):100"},
		{in: "cpus(role1):2;mem(role1):3",
			want: "cpus(reservations: [(STATIC,role1)]):2; mem(reservations: [(STATIC,role1)]):3"},
		{in: "cpus(role1):2.5;ports(role2):[0-100]",
			want: "cpus(reservations: [(STATIC,role1)]):2.5; ports(reservations: [(STATIC,role2)]):[0-100]"},
		// ParsingWithRoles: a default role reserves what has no "(role)".
		{in: "cpus:2.5;ports(role2):[0-100]", role: "role1",
			want: "cpus(reservations: [(STATIC,role1)]):2.5; ports(reservations: [(STATIC,role2)]):[0-100]"},
		// Hierarchical roles.
		{in: "cpus(eng/backend):1", want: "cpus(reservations: [(STATIC,eng/backend)]):1"},
		// Several intervals, coalesced and sorted.
		{in: "ports:[10-20,1-5,6-6]", want: "ports:[1-6, 10-20]"},
		// Same name and identity merge; different roles do not.
		{in: "cpus:1;cpus:2;cpus(r):3", want: "cpus:3; cpus(reservations: [(STATIC,r)]):3"},
		// Empty resources are dropped (AbsentResources).
		{in: "gpus:0", want: "{}"},
		{in: "cpus:1;disk:0;ports:[]", want: "cpus:1"},
		{in: "", want: "{}"},
		// Empty elements and doubled colons are tolerated, as tokenize does.
		{in: ";cpus:1;;", want: "cpus:1"},
		{in: "cpus::1", want: "cpus:1"},
		// Spaces inside values are ignored; names and roles are trimmed.
		{in: " cpus : 1 . 5 ; mem ( r ) : 2", want: "cpus:1.5; mem(reservations: [(STATIC,r)]):2"},
		// Sets keep insertion order.
		{in: "disks:{b,a,b}", wantErr: "duplicated elements"},
		{in: "disks:{b, a}", want: "disks:{b, a}"},
		// Text after ')' is ignored, as in Mesos.
		{in: "cpus(r)x:1", want: "cpus(reservations: [(STATIC,r)]):1"},
		// No principal syntax: the whole parenthesis is the role.
		{in: "cpus(role1,alice):1", want: "cpus(reservations: [(STATIC,role1,alice)]):1"},
		{in: "cpus(role1, alice):1", wantErr: "whitespace"},
		// Errors (ParseError, VerySmallValue).
		{in: "cpus(role1)", wantErr: "missing or extra ':'"},
		{in: "cpus:1:2", wantErr: "missing or extra ':'"},
		{in: "cpus(role1:1", wantErr: "mismatched parentheses"},
		{in: "cpus)(role1:1", wantErr: "mismatched parentheses"},
		{in: "foo(role1):1;foo(role2):[0-1]", wantErr: "same name ('foo') but different types"},
		{in: "cpus:0.00001", wantErr: "value <= 0"},
		{in: "cpus:-1", wantErr: "Bad type for resource cpus value -1 type TEXT"},
		{in: "cpus:abc", wantErr: "Bad type"},
		{in: "cpus:inf", wantErr: "Bad type"},
		{in: "cpus:7.63918e-313", wantErr: "Subnormal"},
		{in: "ports:[1-2-3]", wantErr: `Expecting one or more "ranges"`},
		{in: "ports:[5-1]", wantErr: "begin > end"},
		{in: "ports:[a-b]", wantErr: "non-negative integers"},
		{in: "cpus():1", wantErr: "empty string"},
		{in: "cpus(*):1", want: "cpus:1"},
		{in: "cpus(a/*):1", wantErr: "'*' as a component"},
		{in: "(r):1", wantErr: "Empty resource name"},
		{in: `[{"name":"cpus","type":"SCALAR","scalar":{"value":1}}]`, wantErr: "JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			role := tt.role
			if role == "" {
				role = "*"
			}
			got, err := ParseWithDefaultRole(tt.in, role)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("Parse(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestParseEqualsConstruction re-creates ResourcesTest.Parsing: parsing
// the text equals adding the elements one by one.
func TestParseEqualsConstruction(t *testing.T) {
	r1 := MustParse("cpus:45.55;ports:[10000-20000, 30000-50000];disks:{sda1}")
	r2 := New(
		NewScalar("cpus", 45.55),
		NewRanges("ports", Range{10000, 20000}, Range{30000, 50000}),
		NewSet("disks", "sda1"),
	)
	if !r1.Equal(r2) {
		t.Errorf("%s != %s", r1, r2)
	}
	withRoles := MustParse("cpus(role1):2;mem(role1):3")
	cpus, _ := NewScalar("cpus", 2).WithReservation(StaticReservation("role1"))
	mem, _ := NewScalar("mem", 3).WithReservation(StaticReservation("role1"))
	if want := New(cpus, mem); !withRoles.Equal(want) {
		t.Errorf("%s != %s", withRoles, want)
	}
}

// TestParseValue re-creates ValuesTest.ValidInput, InvalidInput,
// RangesParse and RangesCoalesceParse from src/tests/values_tests.cpp.
func TestParseValue(t *testing.T) {
	tests := []struct {
		in      string
		want    value
		wantErr bool
	}{
		{in: "45.55", want: value{typ: mesospb.Value_SCALAR, scalar: 45.55}},
		{in: "[10000-20000, 30000-50000]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{10000, 20000}, {30000, 50000}}}},
		{in: "{sda1, sda2}", want: value{typ: mesospb.Value_SET, set: []string{"sda1", "sda2"}}},
		{in: "123abc,s", want: value{typ: mesospb.Value_TEXT, text: "123abc,s"}},
		{in: "inf", want: value{typ: mesospb.Value_TEXT, text: "inf"}},
		{in: "-inf", want: value{typ: mesospb.Value_TEXT, text: "-inf"}},
		{in: "infinity", want: value{typ: mesospb.Value_TEXT, text: "infinity"}},
		{in: "-infinity", want: value{typ: mesospb.Value_TEXT, text: "-infinity"}},
		{in: "nan", want: value{typ: mesospb.Value_TEXT, text: "nan"}},
		{in: "-nan", want: value{typ: mesospb.Value_TEXT, text: "-nan"}},
		{in: "us-east-1a", want: value{typ: mesospb.Value_TEXT, text: "us-east-1a"}},
		{in: "0x10", want: value{typ: mesospb.Value_TEXT, text: "0x10"}},
		{in: "[0x10-0x20]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{16, 32}}}},
		{in: "1e3", want: value{typ: mesospb.Value_SCALAR, scalar: 1000}},
		{in: "{aa,b}}", wantErr: true},
		{in: "[1-2]]", wantErr: true},
		{in: "[1-2b]", wantErr: true},
		{in: "  ", wantErr: true},
		{in: "7.63918e-313", wantErr: true},
		{in: "-7.63918e-313", wantErr: true},
		{in: "a[1-2]", wantErr: true},
		{in: "a{b}", wantErr: true},
		// RangesCoalesceParse.
		{in: "[1-10]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{1, 10}}}},
		{in: "[4-6, 6-8, 5-9, 3-4, 2-5, 4-6, 1-1, 10-10, 4-6]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{1, 10}}}},
		{in: "[4-6, 6-8]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{4, 8}}}},
		{in: "[6-8, 4-6]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{4, 8}}}},
		{in: "[1-10, 8-10]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{1, 10}}}},
		{in: "[1-11, 8-10]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{1, 11}}}},
		{in: "[1-4, 4-5, 7-8, 8-10]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{1, 5}, {7, 10}}}},
		{in: "[7-8, 1-4, [8-10], 4-5]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{1, 5}, {7, 10}}}},
		{in: "[4-6, 7-8]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{4, 8}}}},
		{in: "[4-6, 7-7]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{4, 7}}}},
		{in: "[4-6, 7-7, 8-8, 9-9]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{4, 9}}}},
		{in: "[4-6, 7-7, 9-10, 9-11]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{4, 7}, {9, 11}}}},
		{in: "[6-8, 6-8, 4-6, 6-8]", want: value{typ: mesospb.Value_RANGES, ranges: []Range{{4, 8}}}},
	}
	for _, tt := range tests {
		got, err := parseValue(tt.in)
		if tt.wantErr {
			if err == nil {
				t.Errorf("parseValue(%q) = %+v, want an error", tt.in, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseValue(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(value{})); diff != "" {
			t.Errorf("parseValue(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseAttributes(t *testing.T) {
	str := func(s string) *string { return &s }
	f := func(v float64) *float64 { return &v }
	u := func(v uint64) *uint64 { return &v }
	typ := func(t mesospb.Value_Type) *mesospb.Value_Type { return &t }
	got, err := ParseAttributes("rack:r1;zone:us-east-1a;level:3;ids:[1-3];url:http://x:80;note:my rack")
	if err != nil {
		t.Fatal(err)
	}
	want := []*mesospb.Attribute{
		{Name: str("rack"), Type: typ(mesospb.Value_TEXT), Text: &mesospb.Value_Text{Value: str("r1")}},
		{Name: str("zone"), Type: typ(mesospb.Value_TEXT), Text: &mesospb.Value_Text{Value: str("us-east-1a")}},
		{Name: str("level"), Type: typ(mesospb.Value_SCALAR), Scalar: &mesospb.Value_Scalar{Value: f(3)}},
		{Name: str("ids"), Type: typ(mesospb.Value_RANGES), Ranges: &mesospb.Value_Ranges{Range: []*mesospb.Value_Range{{Begin: u(1), End: u(3)}}}},
		{Name: str("url"), Type: typ(mesospb.Value_TEXT), Text: &mesospb.Value_Text{Value: str("http://x:80")}},
		// Mesos removes spaces from attribute values.
		{Name: str("note"), Type: typ(mesospb.Value_TEXT), Text: &mesospb.Value_Text{Value: str("myrack")}},
	}
	if diff := cmp.Diff(want, got, protocmp.Transform()); diff != "" {
		t.Errorf("ParseAttributes mismatch (-want +got):\n%s", diff)
	}
	if s := FormatAttributes(got); s != "rack:r1;zone:us-east-1a;level:3;ids:[1-3];url:http://x:80;note:myrack" {
		t.Errorf("FormatAttributes = %q", s)
	}
	for _, bad := range []string{"rack", "rack:", ":x", "disks:{a,b}", "x:[1-2]]"} {
		if _, err := ParseAttributes(bad); err == nil {
			t.Errorf("ParseAttributes(%q) succeeded, want an error", bad)
		}
	}
}

func TestAgentResources(t *testing.T) {
	tests := []struct {
		in, role, want string
	}{
		{"", "*", "cpus:1; mem:1024; disk:10240; ports:[31000-32000]"},
		{"cpus:4;mem:8192", "*", "cpus:4; mem:8192; disk:10240; ports:[31000-32000]"},
		// "cpus:0" counts as given: no cpus at all.
		{"cpus:0;gpus:2", "*", "gpus:2; mem:1024; disk:10240; ports:[31000-32000]"},
		{"cpus:2", "web", "cpus(reservations: [(STATIC,web)]):2; mem(reservations: [(STATIC,web)]):1024; " +
			"disk(reservations: [(STATIC,web)]):10240; ports(reservations: [(STATIC,web)]):[31000-32000]"},
	}
	for _, tt := range tests {
		got, err := AgentResources(tt.in, tt.role)
		if err != nil {
			t.Fatalf("AgentResources(%q): %v", tt.in, err)
		}
		if got.String() != tt.want {
			t.Errorf("AgentResources(%q, %q) = %q, want %q", tt.in, tt.role, got, tt.want)
		}
	}
}

func TestValidateRole(t *testing.T) {
	for _, ok := range []string{"*", "a", "eng/backend", "a/b/c", "x-y", "role1,alice", "a.b"} {
		if err := ValidateRole(ok); err != nil {
			t.Errorf("ValidateRole(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/a", "a/", "a//b", ".", "a/..", "*/a", "-a", "a/-b", "a b", "a\tb", "a\x7f"} {
		if err := ValidateRole(bad); err == nil {
			t.Errorf("ValidateRole(%q) succeeded", bad)
		}
	}
	if !IsStrictSubroleOf("eng/backend", "eng") || IsStrictSubroleOf("eng", "eng") || IsStrictSubroleOf("engine", "eng") {
		t.Error("IsStrictSubroleOf is wrong")
	}
	if got := RoleAncestors("a/b/c"); !cmp.Equal(got, []string{"a/b", "a"}) {
		t.Errorf("RoleAncestors = %v", got)
	}
}

func TestParseQuantitiesAndLimits(t *testing.T) {
	q, err := ParseQuantities("cpus:10; mem:1024;cpus:1;gpus:0")
	if err != nil {
		t.Fatal(err)
	}
	if q.String() != "cpus:11;mem:1024" {
		t.Errorf("ParseQuantities = %s", q)
	}
	for _, bad := range []string{"cpus", "cpus:-1", "ports:[1-2]", "cpus:abc"} {
		if _, err := ParseQuantities(bad); err == nil {
			t.Errorf("ParseQuantities(%q) succeeded", bad)
		}
	}
	l, err := ParseLimits("cpus:0;mem:10")
	if err != nil {
		t.Fatal(err)
	}
	if l.String() != "cpus:0;mem:10" {
		t.Errorf("ParseLimits = %s", l)
	}
	if _, err := ParseLimits("cpus:1;cpus:2"); err == nil {
		t.Error("ParseLimits accepted duplicate names")
	}
	left := l.MinusQuantities(MustParseQuantities("mem:4;disk:5"))
	if left.String() != "cpus:0;mem:6" {
		t.Errorf("MinusQuantities = %s", left)
	}
	if !l.Contains(MustParseQuantities("mem:10;disk:100")) || l.Contains(MustParseQuantities("cpus:1")) {
		t.Error("Limits.Contains is wrong")
	}
	a := MustParseQuantities("cpus:2;mem:3")
	b := MustParseQuantities("cpus:3;disk:1")
	if got := a.Minus(b).String(); got != "mem:3" {
		t.Errorf("Minus = %s", got)
	}
	if got := a.Plus(b).String(); got != "cpus:5;disk:1;mem:3" {
		t.Errorf("Plus = %s", got)
	}
	if !a.Plus(b).Contains(a) || a.Contains(b) {
		t.Error("Quantities.Contains is wrong")
	}
}
