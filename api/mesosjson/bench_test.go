package mesosjson_test

import (
	"fmt"
	"testing"

	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

func benchResources(cpus, mem, disk float64) []*mesospb.Resource {
	scalar := func(name string, v float64) *mesospb.Resource {
		return &mesospb.Resource{
			Name: proto.String(name), Type: mesospb.Value_SCALAR.Enum(),
			Scalar:         &mesospb.Value_Scalar{Value: proto.Float64(v)},
			AllocationInfo: &mesospb.Resource_AllocationInfo{Role: proto.String("engineering")},
		}
	}
	return []*mesospb.Resource{
		scalar("cpus", cpus), scalar("mem", mem), scalar("disk", disk),
		{
			Name: proto.String("ports"), Type: mesospb.Value_RANGES.Enum(),
			Ranges: &mesospb.Value_Ranges{Range: []*mesospb.Value_Range{
				{Begin: proto.Uint64(31000), End: proto.Uint64(31999)},
				{Begin: proto.Uint64(32100), End: proto.Uint64(32767)},
			}},
			AllocationInfo: &mesospb.Resource_AllocationInfo{Role: proto.String("engineering")},
		},
	}
}

// benchOffers is an OFFERS event with 10 offers, each with cpus, mem, disk
// and ports resources.
func benchOffers() *schedulerpb.Event {
	ev := &schedulerpb.Event{Type: schedulerpb.Event_OFFERS.Enum(), Offers: &schedulerpb.Event_Offers{}}
	for i := 0; i < 10; i++ {
		ev.Offers.Offers = append(ev.Offers.Offers, &mesospb.Offer{
			Id:             &mesospb.OfferID{Value: proto.String(fmt.Sprintf("4f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8-O%d", 1000+i))},
			FrameworkId:    &mesospb.FrameworkID{Value: proto.String("4f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8-0001")},
			AgentId:        &mesospb.AgentID{Value: proto.String(fmt.Sprintf("4f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8-S%d", i))},
			Hostname:       proto.String(fmt.Sprintf("agent-%d.cluster.example.com", i)),
			AllocationInfo: &mesospb.Resource_AllocationInfo{Role: proto.String("engineering")},
			Resources:      benchResources(8, 30720.5, 409600),
			Attributes: []*mesospb.Attribute{{
				Name: proto.String("rack"), Type: mesospb.Value_TEXT.Enum(), Text: &mesospb.Value_Text{Value: proto.String(fmt.Sprintf("r%d", i%3))},
			}},
		})
	}
	return ev
}

// benchAccept is an ACCEPT call with one LAUNCH operation of 10 tasks.
func benchAccept() *schedulerpb.Call {
	launch := &mesospb.Offer_Operation_Launch{}
	for i := 0; i < 10; i++ {
		launch.TaskInfos = append(launch.TaskInfos, &mesospb.TaskInfo{
			Name:      proto.String(fmt.Sprintf("web-%d", i)),
			TaskId:    &mesospb.TaskID{Value: proto.String(fmt.Sprintf("web.5f1c3a7e-%04d", i))},
			AgentId:   &mesospb.AgentID{Value: proto.String("4f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8-S3")},
			Resources: benchResources(0.5, 512, 1024),
			Command: &mesospb.CommandInfo{
				Value: proto.String("./server --port=$PORT0"),
				Uris:  []*mesospb.CommandInfo_URI{{Value: proto.String("https://artifacts.example.com/server.tgz")}},
			},
			Labels: &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String("team"), Value: proto.String("web")}}},
		})
	}
	return &schedulerpb.Call{
		FrameworkId: &mesospb.FrameworkID{Value: proto.String("4f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8-0001")},
		Type:        schedulerpb.Call_ACCEPT.Enum(),
		Accept: &schedulerpb.Call_Accept{
			OfferIds:   []*mesospb.OfferID{{Value: proto.String("4f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8-O1003")}},
			Operations: []*mesospb.Offer_Operation{{Type: mesospb.Offer_Operation_LAUNCH.Enum(), Launch: launch}},
			Filters:    &mesospb.Filters{RefuseSeconds: proto.Float64(5)},
		},
	}
}

func BenchmarkMarshal(b *testing.B) {
	for _, c := range []struct {
		name string
		m    proto.Message
	}{{"EventOffers10", benchOffers()}, {"CallAcceptLaunch10", benchAccept()}} {
		b.Run(c.name, func(b *testing.B) {
			out, _ := mesosjson.Marshal(c.m)
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			buf := make([]byte, 0, len(out))
			for b.Loop() {
				var err error
				if buf, err = mesosjson.AppendMarshal(buf[:0], c.m); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/alloc", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := mesosjson.Marshal(c.m); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/protojson", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := protojson.Marshal(c.m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUnmarshal(b *testing.B) {
	for _, c := range []struct {
		name string
		m    proto.Message
	}{{"EventOffers10", benchOffers()}, {"CallAcceptLaunch10", benchAccept()}} {
		data, err := mesosjson.Marshal(c.m)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			m := c.m.ProtoReflect().New().Interface()
			for b.Loop() {
				if err := mesosjson.Unmarshal(data, m); err != nil {
					b.Fatal(err)
				}
			}
		})
		pj, _ := protojson.Marshal(c.m)
		b.Run(c.name+"/protojson", func(b *testing.B) {
			b.ReportAllocs()
			m := c.m.ProtoReflect().New().Interface()
			for b.Loop() {
				if err := protojson.Unmarshal(pj, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The benchmark messages survive the trip.
func TestBenchMessagesRoundTrip(t *testing.T) {
	checkRoundTrip(t, benchOffers())
	checkRoundTrip(t, benchAccept())
}
