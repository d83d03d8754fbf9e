package compat

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	gogoproto "github.com/gogo/protobuf/proto"
	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/allocator"
	"github.com/mesos/mesos-go/api/v1/lib/executor"
	"github.com/mesos/mesos-go/api/v1/lib/maintenance"
	"github.com/mesos/mesos-go/api/v1/lib/master"
	"github.com/mesos/mesos-go/api/v1/lib/quota"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// mesosGoPopulators are mesos-go's own random-message generators
// (gogoproto.populate_all): NewPopulatedX(r, easy) fills every field with
// 90% probability and nests deeply, which makes large, dense messages (up to
// hundreds of KiB) written by mesos-go's encoder rather than by ours. They
// take an unexported interface that *rand.Rand satisfies, hence reflection.
var mesosGoPopulators = []any{
	scheduler.NewPopulatedCall, scheduler.NewPopulatedEvent, scheduler.NewPopulatedResponse,
	executor.NewPopulatedCall, executor.NewPopulatedEvent,
	master.NewPopulatedCall, master.NewPopulatedEvent, master.NewPopulatedResponse,
	quota.NewPopulatedQuotaRequest, quota.NewPopulatedQuotaConfig,
	maintenance.NewPopulatedSchedule, maintenance.NewPopulatedClusterStatus,
	allocator.NewPopulatedInverseOfferStatus,
	mesos.NewPopulatedTaskInfo, mesos.NewPopulatedOffer, mesos.NewPopulatedTaskStatus,
}

// populatedSeeds is the number of messages per populator.
const populatedSeeds = 4

// TestMesosGoPopulatedMessages: messages that mesos-go generates and encodes
// itself decode into ours completely (every field known: no unknown fields;
// every required field present) and come back equal through our encoder;
// mesos-go's JSON of them decodes with mesosjson.Unmarshal into the same
// message, up to asMesosGoWritesJSON and asMesosReadsGoJSON.
func TestMesosGoPopulatedMessages(t *testing.T) {
	for _, f := range mesosGoPopulators {
		fn := reflect.ValueOf(f)
		name := strings.TrimPrefix(fn.Type().Out(0).String(), "*")
		for seed := int64(0); seed < populatedSeeds; seed++ {
			t.Run(fmt.Sprintf("%s/%d", name, seed), func(t *testing.T) {
				t.Parallel()
				r := rand.New(rand.NewSource(seed))
				theirs := fn.Call([]reflect.Value{reflect.ValueOf(r), reflect.ValueOf(true)})[0].Interface().(gogoproto.Message)
				goName := gogoproto.MessageName(theirs)
				md := ourMessage(ourRoot + strings.TrimPrefix(goName, goRoot))

				ours := toOurs(t, md, theirs)
				if n := countUnknown(ours.ProtoReflect()); n > 0 {
					t.Errorf("%d unknown fields: mesos-go wrote fields that we do not define", n)
				}
				b, err := deterministic.Marshal(ours)
				if err != nil {
					t.Fatal(err)
				}
				again := newGoMessage(md)
				if err := gogoproto.Unmarshal(b, again); err != nil {
					t.Fatalf("mesos-go Unmarshal of our bytes: %v", err)
				}
				if !goEqual(theirs, again) {
					t.Fatalf("mesos-go -> ours -> mesos-go changed the message (-sent +received):\n%s", cmp.Diff(theirs, again))
				}

				js, err := goJSONMarshal(theirs)
				if err != nil {
					t.Fatalf("mesos-go JSON encode: %v", err)
				}
				want, missing := asMesosGoWritesJSON(ours)
				got := newOurs(md).Interface()
				err = mesosjson.Unmarshal(js, got)
				if len(missing) > 0 {
					// Covered precisely by TestJSONMesosGoToOurs.
					if err == nil {
						t.Errorf("mesosjson.Unmarshal accepted JSON without required %v", missing)
					}
					return
				}
				if err != nil {
					t.Fatalf("mesosjson.Unmarshal: %v", err)
				}
				if d := diffOurs(asMesosReadsGoJSON(want), got); d != "" {
					t.Errorf("mesos-go JSON -> mesosjson (-want +got):\n%s", d)
				}
			})
		}
	}
}

// countUnknown counts the unknown fields in m and the messages in it.
func countUnknown(m protoreflect.Message) int {
	n := len(m.GetUnknown())
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsMap():
			if fd.MapValue().Message() != nil {
				v.Map().Range(func(_ protoreflect.MapKey, e protoreflect.Value) bool {
					n += countUnknown(e.Message())
					return true
				})
			}
		case fd.IsList() && fd.Message() != nil:
			for i := 0; i < v.List().Len(); i++ {
				n += countUnknown(v.List().Get(i).Message())
			}
		case fd.Message() != nil:
			n += countUnknown(v.Message())
		}
		return true
	})
	return n
}
