package mesosjson_test

import (
	"errors"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

// FuzzUnmarshalCall feeds arbitrary bodies to Unmarshal as the scheduler
// endpoint would. Unmarshal must not panic and must fail only with a
// SyntaxError or a ConversionError; a body it accepts must re-encode, and the
// encoding must decode to the same call (with defaulted fields now set) and
// re-encode to the same bytes. The one exception is Mesos's own: a uint64 of
// 2^63 or more (e.g. from "-1") is written exactly but read back through a
// double, so only decoding is checked for such calls.
//
// The seed corpus in testdata/fuzz/FuzzUnmarshalCall holds the request
// bodies of Mesos's docs/scheduler-http-api.md (some of which are not valid
// JSON as printed) and malformed variants.
func FuzzUnmarshalCall(f *testing.F) {
	f.Add([]byte(`{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}`))
	f.Add([]byte(`{"framework_id":{"value":"f"},"type":"KILL","kill":{"task_id":{"value":"t"}}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var c schedulerpb.Call
		err := mesosjson.Unmarshal(body, &c)
		if err != nil {
			var se *mesosjson.SyntaxError
			var ce *mesosjson.ConversionError
			if !errors.As(err, &se) && !errors.As(err, &ce) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		b, err := mesosjson.Marshal(&c)
		if err != nil {
			t.Fatalf("Marshal of an accepted call: %v", err)
		}
		var again schedulerpb.Call
		if err := mesosjson.Unmarshal(b, &again); err != nil {
			t.Fatalf("Unmarshal(%s) of our own encoding: %v", b, err)
		}
		if hasLossyUint64(c.ProtoReflect()) {
			return
		}
		want := proto.Clone(&c)
		materializeDefaults(want.ProtoReflect())
		diffProto(t, want, &again)
		b2, err := mesosjson.Marshal(&again)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != string(b2) {
			t.Fatalf("re-encoding differs:\n%s\n%s", b, b2)
		}
	})
}
