package mediatype_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

func subscribeCall() *schedulerpb.Call {
	return &schedulerpb.Call{
		Type: schedulerpb.Call_SUBSCRIBE.Enum(),
		Subscribe: &schedulerpb.Call_Subscribe{
			FrameworkInfo: &mesospb.FrameworkInfo{User: proto.String("root"), Name: proto.String("fw")},
		},
	}
}

func mustMarshal(t *testing.T, m proto.Message) []byte {
	t.Helper()
	b, err := proto.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func header(ct ...string) http.Header {
	h := http.Header{}
	for _, v := range ct {
		h.Add("Content-Type", v)
	}
	return h
}

func TestDecodeCall(t *testing.T) {
	// A Call whose Subscribe lacks the required FrameworkInfo.user.
	partial := subscribeCall()
	partial.Subscribe.FrameworkInfo.User = nil
	partialBytes, err := proto.MarshalOptions{AllowPartial: true}.Marshal(partial)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		header     http.Header
		body       []byte
		wantType   mediatype.Type
		wantCall   *schedulerpb.Call
		wantStatus int
		wantPrefix string // of the error body, when wantStatus != 0
	}{
		{
			name: "protobuf", header: header("application/x-protobuf"),
			body: mustMarshal(t, subscribeCall()), wantType: mediatype.Protobuf, wantCall: subscribeCall(),
		},
		{
			name: "json", header: header("application/json"),
			body:     []byte(`{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"fw"}}}`),
			wantType: mediatype.JSON, wantCall: subscribeCall(),
		},
		{
			name: "empty protobuf body is an empty Call", header: header("application/x-protobuf"),
			body: nil, wantType: mediatype.Protobuf, wantCall: &schedulerpb.Call{},
		},
		{
			name: "no content type", header: header(), body: []byte(`{}`),
			wantStatus: 400, wantPrefix: "Expecting 'Content-Type' to be present",
		},
		{
			name: "protobuf garbage", header: header("application/x-protobuf"), body: []byte{0xff, 0xff, 0xff},
			wantStatus: 400, wantPrefix: "Failed to parse body into Call protobuf",
		},
		{
			name: "protobuf missing required field", header: header("application/x-protobuf"), body: partialBytes,
			wantStatus: 400, wantPrefix: "Failed to parse body into Call protobuf",
		},
		{
			name: "json syntax", header: header("application/json"), body: []byte(`{"type":`),
			wantStatus: 400, wantPrefix: "Failed to parse body into JSON: ",
		},
		{
			name: "json empty body", header: header("application/json"), body: nil,
			wantStatus: 400, wantPrefix: "Failed to parse body into JSON: ",
		},
		{
			name: "json missing required field", header: header("application/json"),
			body:       []byte(`{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"fw"}}}`),
			wantStatus: 400, wantPrefix: "Failed to convert JSON into Call protobuf: Missing required fields: subscribe.framework_info.user",
		},
		{
			name: "json enum as number", header: header("application/json"), body: []byte(`{"type":1}`),
			wantStatus: 400, wantPrefix: "Failed to convert JSON into Call protobuf: ",
		},
		{
			name: "charset parameter is unsupported", header: header("application/json; charset=utf-8"), body: []byte(`{}`),
			wantStatus: 415, wantPrefix: "Expecting 'Content-Type' of application/json or application/x-protobuf",
		},
		{
			name: "empty content type is present and unsupported", header: header(""), body: []byte(`{}`),
			wantStatus: 415, wantPrefix: "Expecting 'Content-Type' of",
		},
		{
			name: "last repeated content type counts", header: header("text/plain", "application/json"),
			body: []byte(`{}`), wantType: mediatype.JSON, wantCall: &schedulerpb.Call{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got schedulerpb.Call
			typ, err := mediatype.DecodeCall(tt.header, tt.body, &got)
			if tt.wantStatus != 0 {
				var me mediatype.Error
				if !errors.As(err, &me) {
					t.Fatalf("DecodeCall error = %v, want a mediatype.Error with status %d", err, tt.wantStatus)
				}
				if me.Status != tt.wantStatus || !strings.HasPrefix(me.Message, tt.wantPrefix) {
					t.Fatalf("DecodeCall error = %d %q, want %d %q...", me.Status, me.Message, tt.wantStatus, tt.wantPrefix)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeCall: %v", err)
			}
			if typ != tt.wantType {
				t.Errorf("type = %v, want %v", typ, tt.wantType)
			}
			if diff := cmp.Diff(tt.wantCall, &got, protocmp.Transform()); diff != "" {
				t.Errorf("call (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	// Mesos's JSON writes unset fields that have a default, so they come back
	// set; protobuf brings back exactly what was sent.
	withDefaults := subscribeCall()
	withDefaults.Subscribe.FrameworkInfo.FailoverTimeout = proto.Float64(0)
	withDefaults.Subscribe.FrameworkInfo.Checkpoint = proto.Bool(false)
	tests := []struct {
		typ      mediatype.Type
		wantJSON string // the encoding, for JSON
		want     *schedulerpb.Call
	}{
		{
			typ:      mediatype.JSON,
			wantJSON: `{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"root","name":"fw","failover_timeout":0.0,"checkpoint":false}}}`,
			want:     withDefaults,
		},
		{typ: mediatype.Protobuf, want: subscribeCall()},
	}
	for _, tt := range tests {
		t.Run(tt.typ.String(), func(t *testing.T) {
			b, err := mediatype.Encode(tt.typ, subscribeCall())
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantJSON != "" && string(b) != tt.wantJSON {
				t.Errorf("Encode = %s\nwant     %s", b, tt.wantJSON)
			}
			var got schedulerpb.Call
			if _, err := mediatype.DecodeCall(header(tt.typ.String()), b, &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, &got, protocmp.Transform()); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := mediatype.Encode(0, subscribeCall()); err == nil {
		t.Error("Encode with no media type succeeded, want an error")
	}
}
