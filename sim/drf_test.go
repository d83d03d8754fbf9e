package sim_test

import (
	"fmt"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/sim"
)

// The worked example of the DRF paper (Ghodsi et al., NSDI 2011, section
// 4), through the scheduler API: 9 CPUs and 18 GB; framework A's tasks need
// <1 CPU, 4 GB>, B's <3 CPUs, 1 GB>; each launches one task per offer it
// can use. DRF ends with A running 3 tasks and B 2, both at a dominant share
// of 2/3.
func TestDRFPaperExample(t *testing.T) {
	c := sim.New(t, sim.Agents(1, "cpus:9;mem:18432;disk:0"))
	a := subscribeNamed(t, c, "A")
	b := subscribeNamed(t, c, "B")
	defer a.body.Close()
	defer b.body.Close()
	need := map[string]resources.Resources{
		a.fwID.GetValue(): resources.MustParse("cpus:1;mem:4096"),
		b.fwID.GetValue(): resources.MustParse("cpus:3;mem:1024"),
	}
	byID := map[string]*scheduler{a.fwID.GetValue(): a, b.fwID.GetValue(): b}
	launched := map[string]int{}
	// Each allocation cycle, every framework answers its outstanding offers
	// as the paper's frameworks do; unused resources return unfiltered.
	for cycle := 0; cycle < 20; cycle++ {
		for _, o := range c.Offers() {
			s := byID[o.FrameworkID]
			var ops []*mesospb.Offer_Operation
			if o.Resources.Unallocate().Contains(need[o.FrameworkID]) {
				n := launched[o.FrameworkID]
				launched[o.FrameworkID]++
				ops = append(ops, &mesospb.Offer_Operation{
					Type: mesospb.Offer_Operation_LAUNCH.Enum(),
					Launch: &mesospb.Offer_Operation_Launch{TaskInfos: []*mesospb.TaskInfo{{
						Name:      proto.String("t"),
						TaskId:    &mesospb.TaskID{Value: proto.String(fmt.Sprintf("%s-%d", s.name, n))},
						AgentId:   &mesospb.AgentID{Value: proto.String(o.AgentID)},
						Resources: need[o.FrameworkID].ToProto(),
						Command:   &mesospb.CommandInfo{Value: proto.String("./work")},
					}}},
				})
			}
			s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
				OfferIds:   []*mesospb.OfferID{{Value: proto.String(o.ID)}},
				Operations: ops,
				Filters:    &mesospb.Filters{RefuseSeconds: proto.Float64(0)},
			}})
		}
		c.Advance(time.Second)
	}
	running := map[string]int{}
	for _, task := range c.Tasks() {
		running[byID[task.FrameworkID].name]++
	}
	if running["A"] != 3 || running["B"] != 2 {
		t.Errorf("tasks: A %d, B %d; want A 3, B 2 (DRF paper)", running["A"], running["B"])
	}
}

func subscribeNamed(t *testing.T, c *sim.Cluster, name string) *scheduler {
	t.Helper()
	s := subscribeInfo(t, c.HTTPClient(), "http://mesos-sim", mediatype.Protobuf, &mesospb.FrameworkInfo{
		User: proto.String("test"), Name: proto.String(name),
	})
	s.name = name
	return s
}

// A quota limit set through the harness caps what a role is offered.
func TestQuotaLimitThroughHarness(t *testing.T) {
	c := sim.New(t, sim.Agents(2, "cpus:4;mem:4096"), sim.Quota("capped", "", "cpus:4;mem:4096"))
	s := subscribeInfo(t, c.HTTPClient(), "http://mesos-sim", mediatype.JSON, &mesospb.FrameworkInfo{
		User: proto.String("test"), Name: proto.String("capped"), Role: proto.String("capped"),
	})
	defer s.body.Close()
	c.Advance(3 * time.Second)
	var cpus float64
	for _, o := range c.Offers() {
		cpus += o.Resources.Unallocate().CPUs()
	}
	if cpus != 4 {
		t.Errorf("role offered %v cpus over two 4-cpu agents; want 4 (the quota limit)", cpus)
	}
}
