package sim

import (
	"fmt"
	"io"
	"time"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/resources"
)

// An Option configures a Cluster made by [New] or [NewCluster].
type Option func(*config) error

// AgentSpec describes one simulated agent.
type AgentSpec struct {
	// Resources in Mesos's resource text, e.g.
	// "cpus:4;mem:8192;ports:[31000-32000];disk(role1):100". Empty means
	// the agent defaults (cpus:1;mem:1024;disk:10240;ports:[31000-32000]).
	Resources string
	// Attributes in Mesos's attribute text, e.g. "rack:r1;zone:a".
	Attributes string
	// Region and Zone form the agent's fault domain when set.
	Region, Zone string
}

type config struct {
	seed     *uint64
	agents   []AgentSpec
	weights  map[string]float64
	quotas   map[string]allocator.Quota
	realtime bool
	speed    float64
	latency  time.Duration
	traceN   int
	traceTo  io.Writer

	master    master.Config
	behaviors []agent.Rule
	schedules []faults.Schedule
}

func defaultConfig() config {
	return config{traceN: 200}
}

// Seed fixes the cluster's seed. Without it the seed is derived from the
// test's name; the MESOS_SIM_SEED environment variable overrides both.
func Seed(seed uint64) Option {
	return func(c *config) error { c.seed = &seed; return nil }
}

// Agents adds n agents, each with the given resource text ("" for the
// defaults).
func Agents(n int, resources string) Option {
	return func(c *config) error {
		if n < 0 {
			return fmt.Errorf("sim.Agents: negative agent count %d", n)
		}
		for range n {
			c.agents = append(c.agents, AgentSpec{Resources: resources})
		}
		return nil
	}
}

// Agent adds one agent described in full.
func Agent(spec AgentSpec) Option {
	return func(c *config) error { c.agents = append(c.agents, spec); return nil }
}

// Weights sets role weights, as the operator API's UPDATE_WEIGHTS would.
func Weights(w map[string]float64) Option {
	return func(c *config) error {
		for role, v := range w {
			if v <= 0 {
				return fmt.Errorf("sim.Weights: weight of role %q is %v, must be positive", role, v)
			}
		}
		c.weights = w
		return nil
	}
}

// Realtime makes virtual time follow the wall clock times speed (the
// binary's mode). The default is manual: only the test moves time.
func Realtime(speed float64) Option {
	return func(c *config) error { c.realtime = true; c.speed = speed; return nil }
}

// SyncTest is for clusters made inside a testing/synctest bubble: the
// cluster's virtual time follows the bubble's fake clock, so it moves by
// itself, from timer to timer, whenever every goroutine in the bubble —
// the framework's included — is durably blocked. Use it with
// [Cluster.HTTPClient] (a real socket would freeze the bubble's clock).
// Within one instant, the order in which the framework's goroutines run is
// the Go scheduler's: replay is exact only for what the cluster decides.
func SyncTest() Option { return Realtime(1) }

// Latency sets the one-way delay of every message between master and
// agents. The default, zero, is what Mesos's own paused test clock gives.
func Latency(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("sim.Latency: negative latency %v", d)
		}
		c.latency = d
		return nil
	}
}

// TraceLines sets how many trace lines a failing test prints (default 200).
func TraceLines(n int) Option {
	return func(c *config) error { c.traceN = n; return nil }
}

// TraceTo also writes every trace line to w (the whole trace, not only the
// tail kept for failure reports).
func TraceTo(w io.Writer) Option {
	return func(c *config) error { c.traceTo = w; return nil }
}

// MasterConfig sets the master's flags (zero fields keep Mesos's defaults).
func MasterConfig(mc master.Config) Option {
	return func(c *config) error { c.master = mc; return nil }
}

// WithBehavior scripts the tasks that match: every agent applies the first
// rule whose Match accepts a task (see package agent for behaviours and the
// task-label grammar).
func WithBehavior(match func(*mesospb.TaskInfo) bool, b agent.Behavior) Option {
	return func(c *config) error {
		c.behaviors = append(c.behaviors, agent.Rule{Match: match, Behavior: b})
		return nil
	}
}

// Quota sets a top-level role's quota, as the operator API's UPDATE_QUOTA
// would: guarantee and limit are Mesos quantity text ("cpus:2;mem:1024");
// either may be empty.
func Quota(role, guarantee, limit string) Option {
	return func(c *config) error {
		g, err := resources.ParseQuantities(guarantee)
		if err != nil {
			return fmt.Errorf("sim.Quota: role %q guarantee: %w", role, err)
		}
		l, err := resources.ParseLimits(limit)
		if err != nil {
			return fmt.Errorf("sim.Quota: role %q limit: %w", role, err)
		}
		if c.quotas == nil {
			c.quotas = map[string]allocator.Quota{}
		}
		c.quotas[role] = allocator.Quota{Guarantees: g, Limits: l}
		return nil
	}
}
