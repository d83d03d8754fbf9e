package mesosjson_test

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

func ExampleMarshal() {
	status := &mesospb.TaskStatus{
		TaskId:    &mesospb.TaskID{Value: proto.String("web-1")},
		State:     mesospb.TaskState_TASK_RUNNING.Enum(),
		Timestamp: proto.Float64(1470000000),
		Uuid:      []byte{0xde, 0xad, 0xbe, 0xef},
	}
	b, err := mesosjson.Marshal(status)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))

	// Unset fields with a non-deprecated default are written out.
	b, _ = mesosjson.Marshal(&mesospb.CommandInfo{Value: proto.String("sleep 10")})
	fmt.Println(string(b))
	// Output:
	// {"task_id":{"value":"web-1"},"state":"TASK_RUNNING","timestamp":1470000000.0,"uuid":"3q2+7w=="}
	// {"shell":true,"value":"sleep 10"}
}

func ExampleUnmarshal() {
	body := []byte(`{
	  "type": "KILL",
	  "framework_id": {"value": "f-0001"},
	  "kill": {"task_id": {"value": "web-1"}}
	}`)
	var call schedulerpb.Call
	if err := mesosjson.Unmarshal(body, &call); err != nil {
		panic(err)
	}
	fmt.Println(call.GetType(), call.GetKill().GetTaskId().GetValue())
	// Output:
	// KILL web-1
}

// The master's two kinds of 400 answers: the body is not JSON, or the JSON is
// not a Call.
func ExampleUnmarshal_errors() {
	for _, body := range []string{
		`{"type": "SUBSCRIBE",}`,
		`{"type": "SUBSCRIBE", "subscribe": {"framework_info": {"roles": ["web"]}}}`,
	} {
		var call schedulerpb.Call
		err := mesosjson.Unmarshal([]byte(body), &call)
		var syntax *mesosjson.SyntaxError
		var conversion *mesosjson.ConversionError
		switch {
		case errors.As(err, &syntax):
			fmt.Println("Failed to parse body into JSON: " + syntax.Msg)
		case errors.As(err, &conversion):
			fmt.Println("Failed to convert JSON into Call protobuf: " + conversion.Msg)
		}
	}
	// Output:
	// Failed to parse body into JSON: syntax error at line 1 near: }
	// Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info.user, subscribe.framework_info.name
}
