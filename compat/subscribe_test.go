package compat

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/encoding"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
)

// subscribeCall is a SUBSCRIBE as a mesos-go framework builds it, with
// mesos-go's own helpers, and what we must read from it.
func subscribeCall() (*scheduler.Call, *schedulerpb.Call) {
	timeout, checkpoint := 604800.0, true
	host, principal, webui := "sched-1.example.com", "ops", "http://sched-1.example.com:8080"
	info := &mesos.FrameworkInfo{
		User:            "mesos",
		Name:            "example-framework",
		FailoverTimeout: &timeout,
		Checkpoint:      &checkpoint,
		Roles:           []string{"web", "batch/high"},
		Hostname:        &host,
		Principal:       &principal,
		WebUiURL:        &webui,
		Capabilities: []mesos.FrameworkInfo_Capability{
			{Type: mesos.FrameworkInfo_Capability_MULTI_ROLE},
			{Type: mesos.FrameworkInfo_Capability_PARTITION_AWARE},
			{Type: mesos.FrameworkInfo_Capability_GPU_RESOURCES},
		},
		Labels: &mesos.Labels{Labels: []mesos.Label{{Key: "team", Value: &principal}, {Key: "bare"}}},
		OfferFilters: map[string]mesos.OfferFilters{
			"web": {MinAllocatableResources: &mesos.OfferFilters_MinAllocatableResources{
				Quantities: []mesos.OfferFilters_ResourceQuantities{{
					Quantities: map[string]mesos.Value_Scalar{"cpus": {Value: 0.5}, "mem": {Value: 128}},
				}},
			}},
		},
	}
	call := calls.Subscribe(info).With(calls.SubscribeTo("4f1c6e2a-0000-4e7b-9d3c-2b1c7a0e9f11-0001"))
	call.Subscribe.SuppressedRoles = []string{"batch/high"}

	capability := func(c mesospb.FrameworkInfo_Capability_Type) *mesospb.FrameworkInfo_Capability {
		return &mesospb.FrameworkInfo_Capability{Type: c.Enum()}
	}
	id := &mesospb.FrameworkID{Value: proto.String("4f1c6e2a-0000-4e7b-9d3c-2b1c7a0e9f11-0001")}
	want := &schedulerpb.Call{
		FrameworkId: id,
		Type:        schedulerpb.Call_SUBSCRIBE.Enum(),
		Subscribe: &schedulerpb.Call_Subscribe{
			FrameworkInfo: &mesospb.FrameworkInfo{
				User:            proto.String("mesos"),
				Name:            proto.String("example-framework"),
				Id:              id,
				FailoverTimeout: proto.Float64(604800),
				Checkpoint:      proto.Bool(true),
				Roles:           []string{"web", "batch/high"},
				Hostname:        proto.String(host),
				Principal:       proto.String(principal),
				WebuiUrl:        proto.String(webui),
				Capabilities: []*mesospb.FrameworkInfo_Capability{
					capability(mesospb.FrameworkInfo_Capability_MULTI_ROLE),
					capability(mesospb.FrameworkInfo_Capability_PARTITION_AWARE),
					capability(mesospb.FrameworkInfo_Capability_GPU_RESOURCES),
				},
				Labels: &mesospb.Labels{Labels: []*mesospb.Label{
					{Key: proto.String("team"), Value: proto.String(principal)},
					{Key: proto.String("bare")},
				}},
				OfferFilters: map[string]*mesospb.OfferFilters{
					"web": {MinAllocatableResources: &mesospb.OfferFilters_MinAllocatableResources{
						Quantities: []*mesospb.OfferFilters_ResourceQuantities{{
							Quantities: map[string]*mesospb.Value_Scalar{
								"cpus": {Value: proto.Float64(0.5)},
								"mem":  {Value: proto.Float64(128)},
							},
						}},
					}},
				},
			},
			SuppressedRoles: []string{"batch/high"},
		},
	}
	return call, want
}

// TestMesosGoSubscribe: a SUBSCRIBE call built with mesos-go's calls helpers
// and encoded with mesos-go's protobuf codec (as its HTTP scheduler client
// sends it) decodes into our schedulerpb.Call with the same content; the
// same call through mesos-go's JSON codec decodes with mesosjson.Unmarshal
// (the master's JSON reading) into the same content too.
func TestMesosGoSubscribe(t *testing.T) {
	call, want := subscribeCall()

	var buf bytes.Buffer
	enc := codecs.ByMediaType[codecs.MediaTypeProtobuf].NewEncoder(encoding.SinkWriter(&buf))
	if err := enc.Encode(call); err != nil {
		t.Fatalf("mesos-go protobuf encoder: %v", err)
	}
	got := &schedulerpb.Call{}
	if err := proto.Unmarshal(buf.Bytes(), got); err != nil {
		t.Fatalf("proto.Unmarshal: %v", err)
	}
	if d := cmp.Diff(want, got, protocmp.Transform()); d != "" {
		t.Errorf("protobuf SUBSCRIBE from mesos-go (-want +got):\n%s", d)
	}

	js, err := goJSONMarshal(call)
	if err != nil {
		t.Fatalf("mesos-go JSON encoder: %v", err)
	}
	got = &schedulerpb.Call{}
	if err := mesosjson.Unmarshal(js, got); err != nil {
		t.Fatalf("mesosjson.Unmarshal(%s): %v", js, err)
	}
	if d := cmp.Diff(want, got, protocmp.Transform()); d != "" {
		t.Errorf("JSON SUBSCRIBE from mesos-go (-want +got):\n%s\n%s", d, js)
	}

	// And back: what we would echo (e.g. in operator API responses) is what
	// mesos-go built.
	b, err := deterministic.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var again scheduler.Call
	if err := again.Unmarshal(b); err != nil {
		t.Fatalf("mesos-go Unmarshal: %v", err)
	}
	if !goEqual(call, &again) {
		t.Errorf("mesos-go's call changed through ours (-built +received):\n%s", cmp.Diff(call, &again))
	}
}
