package master_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/sim"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// *sim.Driver is a Runner.
var _ master.Runner = (*sim.Driver)(nil)

func TestHTTPErrorsProtobuf(t *testing.T) {
	e := newEnv(t)
	s := e.subscribe(fwInfo("fw"))
	fid := &mesospb.FrameworkID{Value: proto.String(s.id)}
	sub := &schedulerpb.Call_Subscribe{FrameworkInfo: fwInfo("n")}
	tests := []struct {
		name string
		call *schedulerpb.Call
		hdr  map[string]string
		code int
		text string
	}{
		{"no type", &schedulerpb.Call{}, nil, 400, "Failed to validate scheduler::Call: Expecting 'type' to be present"},
		{"no subscribe", &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum()}, nil, 400, "Failed to validate scheduler::Call: Expecting 'subscribe' to be present"},
		{"id differs", &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), FrameworkId: fid, Subscribe: sub}, nil, 400, "Failed to validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'"},
		{"no framework id", &schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum()}, nil, 400, "Failed to validate scheduler::Call: Expecting 'framework_id' to be present"},
		{"no kill", &schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'kill' to be present"},
		{"no decline", &schedulerpb.Call{Type: schedulerpb.Call_DECLINE.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'decline' to be present"},
		{"no shutdown", &schedulerpb.Call{Type: schedulerpb.Call_SHUTDOWN.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'shutdown' to be present"},
		{"no acknowledge", &schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'acknowledge' to be present"},
		{"no reconcile", &schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'reconcile' to be present"},
		{"no message", &schedulerpb.Call{Type: schedulerpb.Call_MESSAGE.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'message' to be present"},
		{"no request", &schedulerpb.Call{Type: schedulerpb.Call_REQUEST.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'request' to be present"},
		{"no update_framework", &schedulerpb.Call{Type: schedulerpb.Call_UPDATE_FRAMEWORK.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'update_framework' to be present"},
		{"no reconcile_operations", &schedulerpb.Call{Type: schedulerpb.Call_RECONCILE_OPERATIONS.Enum(), FrameworkId: fid}, nil, 400, "Failed to validate scheduler::Call: Expecting 'reconcile_operations' to be present"},
		{"op ack without agent", &schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE_OPERATION_STATUS.Enum(), FrameworkId: fid, AcknowledgeOperationStatus: &schedulerpb.Call_AcknowledgeOperationStatus{Uuid: make([]byte, 16), OperationId: &mesospb.OperationID{Value: proto.String("o")}}}, nil, 400, "Failed to validate scheduler::Call: Expecting 'agent_id' to be present"},
		{"op ack bad uuid", &schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE_OPERATION_STATUS.Enum(), FrameworkId: fid, AcknowledgeOperationStatus: &schedulerpb.Call_AcknowledgeOperationStatus{Uuid: []byte("x"), OperationId: &mesospb.OperationID{Value: proto.String("o")}}}, nil, 400, "Failed to validate scheduler::Call: Not a valid UUID"},
		{"406 reconcile operations", &schedulerpb.Call{Type: schedulerpb.Call_RECONCILE_OPERATIONS.Enum(), FrameworkId: fid, ReconcileOperations: &schedulerpb.Call_ReconcileOperations{}}, map[string]string{"Accept": "text/plain"}, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"},
		{"406 subscribe", &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), Subscribe: sub}, map[string]string{"Accept": "text/plain"}, 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"},
		{"subscribe with stream id", &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), Subscribe: sub}, map[string]string{"Mesos-Stream-Id": s.streamID}, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header"},
		{"unknown framework", &schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum(), FrameworkId: &mesospb.FrameworkID{Value: proto.String("x")}}, nil, 400, "Framework cannot be found"},
		{"no stream id", &schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum(), FrameworkId: fid}, nil, 400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header"},
		{"empty stream id", &schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum(), FrameworkId: fid}, map[string]string{"Mesos-Stream-Id": ""}, 400, "The stream ID '' included in this request didn't match the stream ID currently associated with framework ID " + s.id},
		{"unknown type", &schedulerpb.Call{Type: schedulerpb.Call_UNKNOWN.Enum(), FrameworkId: fid}, map[string]string{"Mesos-Stream-Id": s.streamID}, 501, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body, hdr := e.post("POST", "/api/v1/scheduler", "application/x-protobuf", pbCall(tc.call), tc.hdr)
			if code != tc.code || body != tc.text {
				t.Errorf("got %d %q, want %d %q", code, body, tc.code, tc.text)
			}
			if code >= 400 && code != 501 && hdr.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", hdr.Get("Content-Type"))
			}
		})
	}
	// A required field missing from a protobuf body.
	bad, _ := proto.MarshalOptions{AllowPartial: true}.Marshal(&schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), Subscribe: &schedulerpb.Call_Subscribe{FrameworkInfo: &mesospb.FrameworkInfo{}}})
	if code, body, _ := e.post("POST", "/api/v1/scheduler", "application/x-protobuf", bad, nil); code != 400 || body != "Failed to parse body into Call protobuf" {
		t.Errorf("missing required: %d %q", code, body)
	}
	// 202 has an empty body and Content-Length 0.
	code, body, hdr := e.post("POST", "/api/v1/scheduler", "application/x-protobuf",
		pbCall(&schedulerpb.Call{Type: schedulerpb.Call_REVIVE.Enum(), FrameworkId: fid}), map[string]string{"Mesos-Stream-Id": s.streamID})
	if code != 202 || body != "" || hdr.Get("Content-Length") != "0" {
		t.Errorf("202: %d %q %v", code, body, hdr)
	}
}

// TestWithSimDriver runs the handler on a real *sim.Driver.
func TestWithSimDriver(t *testing.T) {
	l := loop.New(loop.Config{Seed: 3})
	n := simnet.New(l, simnet.Config{})
	m := master.New(l, n, allocator.New(allocator.DefaultOptions()), master.Config{})
	d := sim.NewDriver(l, sim.DriverConfig{})
	t.Cleanup(func() { d.Close() })
	if err := d.Do(func() { newFakeAgent(l, n, "agent-1", "cpus:2;mem:1024") }); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(master.NewHandler(m, d))
	t.Cleanup(srv.Close)
	e := &env{t: t, l: l, net: n, m: m, srv: srv}
	s := e.subscribe(fwInfo("fw"))
	s.expect(schedulerpb.Event_SUBSCRIBED)
	s.expect(schedulerpb.Event_HEARTBEAT)
	s.expect(schedulerpb.Event_OFFERS)
	if err := d.Advance(15 * time.Second); err != nil {
		t.Fatal(err)
	}
	s.expect(schedulerpb.Event_HEARTBEAT)
}
