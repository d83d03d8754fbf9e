package allocator_test

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// A master's view of one allocation interval: frameworks and agents come
// and go, events request runs, and every second a periodic run offers
// whatever is free.
func Example() {
	a := allocator.New(allocator.DefaultOptions())
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

	a.AddFramework(allocator.Framework{ID: "web", Roles: []string{"web"}}, nil, true)
	a.AddFramework(allocator.Framework{ID: "batch", Roles: []string{"batch"}}, nil, true)
	for _, id := range []string{"S0", "S1"} {
		a.AddAgent(allocator.Agent{ID: id, Hostname: id, Total: resources.MustParse("cpus:4;mem:8192")}, nil)
	}

	// The events above asked for an allocation run; the master runs it at
	// once. Each framework gets one whole agent (DRF between the roles).
	offers := a.AllocateRequested(now)
	for _, o := range offers {
		fmt.Println(o)
	}

	// "batch" declines for 10 seconds; "web" keeps its offer.
	for _, o := range offers {
		if o.FrameworkID == "batch" {
			a.RecoverResources(now, o.FrameworkID, o.AgentID, o.Resources["batch"],
				&mesospb.Filters{RefuseSeconds: proto.Float64(10)}, false)
		}
	}

	// The next periodic run: the declined agent goes to "web".
	now = now.Add(time.Second)
	for _, o := range a.Allocate(now) {
		fmt.Println(o)
	}
	// Output:
	// batch@S0 batch:{cpus(allocated: batch):4; mem(allocated: batch):8192}
	// web@S1 web:{cpus(allocated: web):4; mem(allocated: web):8192}
	// web@S0 web:{cpus(allocated: web):4; mem(allocated: web):8192}
}

func ExampleHierarchical_UpdateQuota() {
	a := allocator.New(allocator.DefaultOptions())
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	a.UpdateQuota("prod", allocator.Quota{
		Guarantees: resources.MustParseQuantities("cpus:2"),
		Limits:     resources.MustParseLimits("cpus:3"),
	})
	a.AddFramework(allocator.Framework{ID: "prod-fw", Roles: []string{"prod"}}, nil, true)
	a.AddAgent(allocator.Agent{ID: "S0", Hostname: "S0", Total: resources.MustParse("cpus:8;mem:1024")}, nil)
	for _, o := range a.AllocateRequested(now) {
		fmt.Println(o)
	}
	// Output:
	// prod-fw@S0 prod:{cpus(allocated: prod):3; mem(allocated: prod):1024}
}
