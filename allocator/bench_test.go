package allocator

import (
	"fmt"
	"math"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// The benchmarks follow Mesos's HierarchicalAllocator_BENCHMARK_Test
// (src/tests/hierarchical_allocator_tests.cpp): frameworks in role "*",
// agents of cpus:24;mem:4096;disk:4096;ports:[31000-32000], each already
// running cpus:16;mem:2014;disk:1024 and 16 ports for one framework
// (round-robin).
//
//	go test ./allocator -run XXX -bench . -benchtime 3x

var (
	benchAgentResources = resources.MustParse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]")
	benchUsed           = func() resources.Resources {
		var ports []resources.Range
		for i := range uint64(16) {
			ports = append(ports, resources.Range{Begin: 31000 + 2*i, End: 31000 + 2*i})
		}
		return resources.MustParse("cpus:16;mem:2014;disk:1024").PlusResource(resources.NewRanges("ports", ports...)).Allocate("*")
	}()
)

type benchCluster struct {
	a      *Hierarchical
	now    time.Time
	offers []Allocation
}

func newBenchCluster(agents, frameworks int) *benchCluster {
	c := &benchCluster{a: New(DefaultOptions()), now: epoch}
	fws := make([]string, frameworks)
	for i := range fws {
		fws[i] = fmt.Sprintf("framework-%04d", i)
		c.a.AddFramework(Framework{ID: fws[i], Roles: []string{"*"}}, nil, true)
	}
	c.addAgents(agents, fws)
	return c
}

func (c *benchCluster) addAgents(n int, fws []string) {
	for i := range n {
		id := fmt.Sprintf("agent-%05d", i)
		c.a.AddAgent(Agent{ID: id, Hostname: id, Total: benchAgentResources},
			map[string]resources.Resources{fws[i%len(fws)]: benchUsed})
	}
}

// decline returns every outstanding offer, with a filter of refuse
// seconds (none if refuse < 0).
func (c *benchCluster) decline(refuse float64) {
	var f *mesospb.Filters
	if refuse >= 0 {
		f = &mesospb.Filters{RefuseSeconds: proto.Float64(refuse)}
	}
	for _, al := range c.offers {
		for _, role := range al.Roles() {
			c.a.RecoverResources(c.now, al.FrameworkID, al.AgentID, al.Resources[role], f, false)
		}
	}
	c.offers = nil
}

func (c *benchCluster) allocate() {
	c.now = c.now.Add(time.Second)
	c.offers = append(c.offers, c.a.Allocate(c.now)...)
}

var benchShapes = []struct{ agents, frameworks int }{
	{1000, 100},
	{10000, 100},
	{10000, 1000},
}

// BenchmarkAddAgents times adding all agents (Mesos: "Added 10000 agents
// in 1.61s" for DeclineOffers/21).
func BenchmarkAddAgents(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(fmt.Sprintf("agents=%d/frameworks=%d", s.agents, s.frameworks), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				b.StopTimer()
				c := newBenchCluster(0, s.frameworks)
				fws := make([]string, s.frameworks)
				for i := range fws {
					fws[i] = fmt.Sprintf("framework-%04d", i)
				}
				b.StartTimer()
				c.addAgents(s.agents, fws)
			}
		})
	}
}

// BenchmarkAllocationRun times one periodic allocation run that offers
// every agent again: all outstanding offers are declined without a filter
// before each run (untimed). This is the "one role, no filters" shape of
// the Mesos 1.7 performance post (10k agents / 1k frameworks: about 1.1s
// per run in 1.8).
func BenchmarkAllocationRun(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(fmt.Sprintf("agents=%d/frameworks=%d", s.agents, s.frameworks), func(b *testing.B) {
			c := newBenchCluster(s.agents, s.frameworks)
			c.allocate() // the first run, like Mesos's round 0
			b.ReportAllocs()
			b.ResetTimer()
			offers := 0
			for range b.N {
				b.StopTimer()
				c.decline(-1)
				b.StartTimer()
				c.allocate()
				offers += len(c.offers)
			}
			b.ReportMetric(float64(offers)/float64(b.N), "offers/run")
		})
	}
}

var warmClusters = map[string]*benchCluster{}

// BenchmarkDeclineOffers is Mesos's DeclineOffers: every offer is
// declined with refuse_seconds=INT_MAX, so each run offers every agent to
// the next framework that has not refused it yet, and the filters pile
// up. "warm" first runs as many rounds as there are frameworks (untimed),
// so that every agent has been refused by every framework and a run has
// to check all the filters and offers nothing.
func BenchmarkDeclineOffers(b *testing.B) {
	for _, s := range []struct {
		agents, frameworks int
		warm               bool
	}{
		{10000, 100, false},
		{10000, 1000, false},
		{10000, 100, true},
	} {
		name := fmt.Sprintf("agents=%d/frameworks=%d", s.agents, s.frameworks)
		if s.warm {
			name += "/warm"
		}
		b.Run(name, func(b *testing.B) {
			var c *benchCluster
			if s.warm {
				// The warm-up takes seconds; runs make no offers and
				// leave the state as it was, so the cluster is reused by
				// the testing package's repeated invocations.
				if c = warmClusters[name]; c == nil {
					c = newBenchCluster(s.agents, s.frameworks)
					c.allocate()
					for range s.frameworks {
						c.decline(math.MaxInt32)
						c.allocate()
					}
					warmClusters[name] = c
				}
			} else {
				c = newBenchCluster(s.agents, s.frameworks)
				c.allocate()
			}
			b.ReportAllocs()
			b.ResetTimer()
			offers := 0
			for range b.N {
				b.StopTimer()
				c.decline(math.MaxInt32)
				b.StartTimer()
				c.allocate()
				offers += len(c.offers)
			}
			b.ReportMetric(float64(offers)/float64(b.N), "offers/run")
			b.ReportMetric(float64(c.a.filterCount), "filters")
		})
	}
}

// BenchmarkQuota follows Mesos's LargeAndSmallQuota: agents of
// cpus:2;mem:2048;disk:2048, one framework per role, small quotas of half
// an agent and large quotas of two agents; the run satisfies every
// guarantee.
func BenchmarkQuota(b *testing.B) {
	for _, roles := range []int{30, 300} {
		b.Run(fmt.Sprintf("roles=%d", roles), func(b *testing.B) {
			small := roles / 2
			large := roles - small
			agents := small/5 + 5*large
			b.ReportAllocs()
			offers := 0
			for range b.N {
				b.StopTimer()
				a := New(DefaultOptions())
				for i := range roles {
					role := fmt.Sprintf("role%d", i)
					q := "cpus:1;mem:1024;disk:1024"
					if i >= small {
						q = "cpus:4;mem:4096;disk:4096"
					}
					a.UpdateQuota(role, Quota{Guarantees: resources.MustParseQuantities(q), Limits: resources.MustParseLimits(q)})
					a.AddFramework(Framework{ID: fmt.Sprintf("framework%d", i), Roles: []string{role}}, nil, true)
				}
				total := resources.MustParse("cpus:2;mem:2048;disk:2048")
				for i := range agents {
					id := fmt.Sprintf("agent%05d", i)
					a.AddAgent(Agent{ID: id, Hostname: id, Total: total}, nil)
				}
				b.StartTimer()
				offers += len(a.Allocate(epoch))
			}
			b.ReportMetric(float64(offers)/float64(b.N), "offers/run")
		})
	}
}
