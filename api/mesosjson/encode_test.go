package mesosjson_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

func TestMarshalGolden(t *testing.T) {
	scalar := func(v float64) *mesospb.Value_Scalar { return &mesospb.Value_Scalar{Value: proto.Float64(v)} }
	tests := []struct {
		name string
		msg  proto.Message
		want string
	}{{
		// Resource.role has a default ("*") but is deprecated: not written.
		name: "ranges resource",
		msg: &mesospb.Resource{
			Name: proto.String("ports"), Type: mesospb.Value_RANGES.Enum(),
			Ranges: &mesospb.Value_Ranges{Range: []*mesospb.Value_Range{{Begin: proto.Uint64(31000), End: proto.Uint64(32000)}}},
		},
		want: `{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]}}`,
	}, {
		name: "scalar resources",
		msg: &mesospb.Offer{
			Resources: []*mesospb.Resource{
				{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: scalar(2)},
				{Name: proto.String("mem"), Type: mesospb.Value_SCALAR.Enum(), Scalar: scalar(1024.5)},
				{Name: proto.String("disk"), Type: mesospb.Value_SCALAR.Enum(), Scalar: scalar(0.1), Role: proto.String("*")},
			},
		},
		want: `{"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":2.0}},` +
			`{"name":"mem","type":"SCALAR","scalar":{"value":1024.5}},` +
			`{"name":"disk","type":"SCALAR","scalar":{"value":0.1},"role":"*"}]}`,
	}, {
		// A status update as the master sends it: the timestamp is a double
		// (seconds), the uuid bytes are standard padded base64.
		name: "task status",
		msg: &mesospb.TaskStatus{
			TaskId:    &mesospb.TaskID{Value: proto.String("my-task")},
			State:     mesospb.TaskState_TASK_RUNNING.Enum(),
			Source:    mesospb.TaskStatus_SOURCE_EXECUTOR.Enum(),
			AgentId:   &mesospb.AgentID{Value: proto.String("a1-S0")},
			Timestamp: proto.Float64(1470000000.123456),
			Uuid:      []byte{0x8f, 0x6b, 0x39, 0x17, 0x1c, 0x4b, 0x4e, 0x2c, 0x9f, 0x4a, 0x6d, 0x3c, 0x37, 0x58, 0x31, 0xfe},
			Healthy:   proto.Bool(false),
		},
		want: `{"task_id":{"value":"my-task"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR",` +
			`"agent_id":{"value":"a1-S0"},"timestamp":1470000000.123456,"uuid":"j2s5FxxLTiyfSm08N1gx/g==","healthy":false}`,
	}, {
		name: "uuid padding",
		msg:  &mesospb.TaskStatus{Uuid: []byte{0xff}, Data: []byte{0xfb, 0xef}},
		want: `{"data":"++8=","uuid":"/w=="}`,
	}, {
		// Declaration order, not field-number order: shell (6) before
		// value (3); the unset shell is written with its default.
		name: "command defaults",
		msg: &mesospb.CommandInfo{
			Value: proto.String("sleep 1000"),
			Uris:  []*mesospb.CommandInfo_URI{{Value: proto.String("http://x/y.tgz")}},
		},
		want: `{"uris":[{"value":"http://x/y.tgz","extract":true}],"shell":true,"value":"sleep 1000"}`,
	}, {
		name: "framework info defaults",
		msg:  &mesospb.FrameworkInfo{User: proto.String("root"), Name: proto.String("sim"), Roles: []string{"a"}},
		want: `{"user":"root","name":"sim","failover_timeout":0.0,"checkpoint":false,"roles":["a"]}`,
	}, {
		// A required field with a default is written even when unset.
		name: "master info port",
		msg:  &mesospb.MasterInfo{Id: proto.String("m1"), Ip: proto.Uint32(16777343)},
		want: `{"id":"m1","ip":16777343,"port":5050}`,
	}, {
		name: "empty message with required fields",
		msg:  &mesospb.TaskStatus{},
		want: `{}`,
	}, {
		name: "filters",
		msg:  &mesospb.Filters{},
		want: `{"refuse_seconds":5.0}`,
	}, {
		name: "health check defaults",
		msg:  &mesospb.HealthCheck{Type: mesospb.HealthCheck_TCP.Enum(), Tcp: &mesospb.HealthCheck_TCPCheckInfo{Port: proto.Uint32(8080)}},
		want: `{"delay_seconds":15.0,"interval_seconds":10.0,"timeout_seconds":20.0,"consecutive_failures":3,"grace_period_seconds":10.0,` +
			`"type":"TCP","tcp":{"protocol":"IPv4","port":8080}}`,
	}, {
		name: "set defaults are written as set",
		msg:  &mesospb.Filters{RefuseSeconds: proto.Float64(0)},
		want: `{"refuse_seconds":0.0}`,
	}, {
		// Map fields are objects; our entries are sorted by key.
		name: "task limits",
		msg: &mesospb.TaskInfo{
			Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t")}, AgentId: &mesospb.AgentID{Value: proto.String("a")},
			Limits: map[string]*mesospb.Value_Scalar{"mem": scalar(512), "cpus": scalar(math.Inf(1))},
		},
		want: `{"name":"t","task_id":{"value":"t"},"agent_id":{"value":"a"},"limits":{"cpus":{"value":"Infinity"},"mem":{"value":512.0}}}`,
	}, {
		name: "strings escaped as rapidjson does",
		msg:  &mesospb.TaskID{Value: proto.String("a\"b\\c/d\x00\x01\x1f\x7f\b\f\n\r\té\u2028\xff")},
		want: `{"value":"a\"b\\c/d\u0000\u0001\u001F` + "\x7f" + `\b\f\n\r\t` + "é\u2028\xff" + `"}`,
	}, {
		name: "int64 and uint64 as numbers",
		msg: &schedulerpb.Event{
			Type:       schedulerpb.Event_HEARTBEAT.Enum(),
			Subscribed: &schedulerpb.Event_Subscribed{FrameworkId: &mesospb.FrameworkID{Value: proto.String("f")}, HeartbeatIntervalSeconds: proto.Float64(15)},
		},
		want: `{"type":"HEARTBEAT","subscribed":{"framework_id":{"value":"f"},"heartbeat_interval_seconds":15.0}}`,
	}, {
		name: "big integers",
		msg: &mesospb.Value_Ranges{Range: []*mesospb.Value_Range{
			{Begin: proto.Uint64(0), End: proto.Uint64(math.MaxUint64)},
		}},
		want: `{"range":[{"begin":0,"end":18446744073709551615}]}`,
	}, {
		name: "durations",
		msg:  &mesospb.DurationInfo{Nanoseconds: proto.Int64(math.MinInt64)},
		want: `{"nanoseconds":-9223372036854775808}`,
	}, {
		name: "nil message",
		msg:  (*mesospb.Filters)(nil),
		want: `{"refuse_seconds":5.0}`,
	}, {
		name: "master call",
		msg:  &masterpb.Call{Type: masterpb.Call_GET_HEALTH.Enum()},
		want: `{"type":"GET_HEALTH"}`,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mesosjson.Marshal(tt.msg)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal:\n got %s\nwant %s", got, tt.want)
			}
			pre := []byte("prefix:")
			got2, err := mesosjson.AppendMarshal(pre, tt.msg)
			if err != nil || string(got2) != "prefix:"+tt.want {
				t.Errorf("AppendMarshal = %q, %v", got2, err)
			}
		})
	}
}

// Doubles are laid out as rapidjson writes them, with Grisu2 digits.
func TestMarshalDoubles(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{1, "1.0"},
		{-1, "-1.0"},
		{0.1, "0.1"},
		{1.5, "1.5"},
		{128, "128.0"},
		{1e20, "100000000000000000000.0"},
		{1e21, "1e21"},
		{1.5e21, "1.5e21"},
		{123456789012345678, "123456789012345680.0"},
		{0.000001, "0.000001"},
		{0.0000012, "0.0000012"},
		{1e-7, "1e-7"},
		{1.25e-7, "1.25e-7"},
		{5e-324, "5e-324"},
		{math.MaxFloat64, "1.7976931348623157e308"},
		{1470000000.123456, "1470000000.123456"},
		// Grisu2 is not always the closest shortest form: strconv gives
		// 137.35037231445312 and 0.30000000000000004 for these two.
		{137.350372314453125, "137.35037231445313"},
		{0.30000000000000004, "0.30000000000000007"},
		{float64(float32(0.1)), "0.10000000149011612"},
		{math.Inf(1), `"Infinity"`},
		{math.Inf(-1), `"-Infinity"`},
		{math.NaN(), "NaN"},
	}
	for _, tt := range tests {
		got, err := mesosjson.Marshal(&mesospb.Value_Scalar{Value: proto.Float64(tt.v)})
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"value":` + tt.want + `}`; string(got) != want {
			t.Errorf("%v: got %s, want %s", tt.v, got, want)
		}
	}
}

func TestMarshalUnknownEnumNumber(t *testing.T) {
	m := &mesospb.Resource{Name: proto.String("x"), Type: mesospb.Value_Type(42).Enum()}
	dst := []byte("keep")
	got, err := mesosjson.AppendMarshal(dst, m)
	if err == nil {
		t.Fatalf("no error, got %s", got)
	}
	if string(got) != "keep" {
		t.Errorf("dst changed to %q", got)
	}
	if want := "mesosjson: field mesos.v1.Resource.type holds 42, which enum mesos.v1.Value.Type does not name"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

// Grisu2's digits always read back as the same double.
func TestMarshalDoublesReadBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := rapid.Float64().Filter(func(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }).Draw(t, "v")
		b, err := mesosjson.Marshal(&mesospb.Value_Scalar{Value: proto.Float64(v)})
		if err != nil {
			t.Fatal(err)
		}
		num := strings.TrimSuffix(strings.TrimPrefix(string(b), `{"value":`), "}")
		got, err := strconv.ParseFloat(num, 64)
		if err != nil || got != v || math.Signbit(got) != math.Signbit(v) {
			t.Fatalf("%v written as %s", v, num)
		}
	})
}
