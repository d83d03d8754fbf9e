package scenarios

import (
	"slices"
	"strconv"
	"time"

	"pgregory.net/rapid"

	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// Shapes the generators draw from. They are small on purpose: a case must
// run in milliseconds, and shrinking works best over few, simple choices.
var (
	agentShapes = []string{"cpus:2;mem:2048", "cpus:4;mem:4096", "cpus:1;mem:1024", "cpus:8;mem:8192"}
	taskShapes  = []string{"cpus:0.5;mem:128", "cpus:1;mem:512", "cpus:0.25;mem:64"}
	behaviors   = []string{"", "start-delay=3s", "run=20s", "start-delay=1s run=30s"}
)

// GenConfig bounds the cases GenCase draws. Zero fields take the defaults
// in their comments.
type GenConfig struct {
	// Framework is the reference framework name recorded in the case
	// ("" for a framework given in Go).
	Framework string
	// MaxAgents (4), MaxFrameworks (3), MaxTasks (5): the cluster and the
	// workload.
	MaxAgents, MaxFrameworks, MaxTasks int
	// MaxFaults is the most fault steps (6); 0 steps is always possible.
	MaxFaults int
	// MaxChaos is the longest chaos phase (3 min); faults fire within it.
	MaxChaos time.Duration
	// Behaviors, if set, replaces the task behaviours drawn from.
	Behaviors []string
	// FaultKinds, if set, restricts the faults drawn to these kinds (see
	// faults.Kinds); by default every kind but call-faults (which act on
	// HTTP calls only) and the task faults (which need a task id).
	FaultKinds []string
}

func (g GenConfig) withDefaults() GenConfig {
	if g.MaxAgents <= 0 {
		g.MaxAgents = 4
	}
	if g.MaxFrameworks <= 0 {
		g.MaxFrameworks = 3
	}
	if g.MaxTasks <= 0 {
		g.MaxTasks = 5
	}
	if g.MaxFaults < 0 {
		g.MaxFaults = 0
	} else if g.MaxFaults == 0 {
		g.MaxFaults = 6
	}
	if g.MaxChaos <= 0 {
		g.MaxChaos = 3 * time.Minute
	}
	if len(g.Behaviors) == 0 {
		g.Behaviors = behaviors
	}
	if len(g.FaultKinds) == 0 {
		g.FaultKinds = defaultFaultKinds
	}
	return g
}

var defaultFaultKinds = []string{
	"partition", "heal", "drop", "delay", "duplicate",
	"crash-agent", "restart-agent", "lose-agent", "mark-agent-gone",
	"failover-master", "cut-stream",
}

// GenCase returns a generator of cases: a cluster of 1 to MaxAgents
// agents, 1 to MaxFrameworks instances of the framework with a drawn
// workload, a chaos phase and a schedule of faults within it. Every choice
// is drawn through rapid, so a failing case shrinks towards fewer agents,
// frameworks, tasks and fault steps.
func GenCase(g GenConfig) *rapid.Generator[Case] {
	g = g.withDefaults()
	return rapid.Custom(func(t *rapid.T) Case {
		cs := Case{Framework: g.Framework}
		n := rapid.IntRange(1, g.MaxAgents).Draw(t, "agents")
		for i := range n {
			cs.Agents = append(cs.Agents, rapid.SampledFrom(agentShapes).Draw(t, "agent"+strconv.Itoa(i+1)))
		}
		cs.Frameworks = rapid.IntRange(1, g.MaxFrameworks).Draw(t, "frameworks")
		cs.Workload = frameworks.Workload{
			Tasks:     rapid.IntRange(1, g.MaxTasks).Draw(t, "tasks"),
			Resources: rapid.SampledFrom(taskShapes).Draw(t, "task-resources"),
			Behavior:  rapid.SampledFrom(g.Behaviors).Draw(t, "behavior"),
		}
		if rapid.Bool().Draw(t, "set-partition-aware") {
			pa := rapid.Bool().Draw(t, "partition-aware")
			cs.Workload.PartitionAware = &pa
		}
		steps := int(g.MaxChaos / (5 * time.Second))
		cs.Chaos = faults.Duration(time.Duration(rapid.IntRange(6, max(steps, 6)).Draw(t, "chaos")) * 5 * time.Second)
		var names []string
		for i := range n {
			names = append(names, "agent-"+strconv.Itoa(i+1))
		}
		cs.Faults = GenSchedule(names, frameworkNames(g.Framework, cs.Frameworks), g.MaxFaults, cs.Chaos.D(), g.FaultKinds).Draw(t, "faults")
		cs.Seed = rapid.Uint64().Draw(t, "seed")
		return cs
	})
}

// frameworkNames are the names the instances of a reference framework get
// (cut-stream faults name them); for a framework given in Go, placeholders
// resolved by the cluster by name would not match, so none.
func frameworkNames(reference string, n int) []string {
	if reference == "" {
		return nil
	}
	f, ok := frameworks.Reference(reference)
	if !ok {
		return nil
	}
	base := f().Name()
	if n == 1 {
		return []string{base}
	}
	var out []string
	for i := range n {
		out = append(out, base+"-"+strconv.Itoa(i+1))
	}
	return out
}

// GenSchedule returns a generator of fault schedules of at most maxSteps
// steps, each at a time in [0, within) on a 5 s grid, acting on the named
// agents and frameworks, of the given kinds. Steps are At steps, sorted by
// time: removing one while shrinking moves no other.
func GenSchedule(agents, fws []string, maxSteps int, within time.Duration, kinds []string) *rapid.Generator[faults.Schedule] {
	usable := slices.DeleteFunc(slices.Clone(kinds), func(k string) bool {
		return (k == "cut-stream" && len(fws) == 0) || len(agents) == 0
	})
	slots := max(int(within/(5*time.Second)), 1)
	return rapid.Custom(func(t *rapid.T) faults.Schedule {
		if len(usable) == 0 || maxSteps <= 0 {
			return faults.Schedule{}
		}
		n := rapid.IntRange(0, maxSteps).Draw(t, "steps")
		s := faults.Schedule{}
		for i := range n {
			at := time.Duration(rapid.IntRange(0, slots-1).Draw(t, "at"+strconv.Itoa(i))) * 5 * time.Second
			f := genFault(t, rapid.SampledFrom(usable).Draw(t, "kind"+strconv.Itoa(i)), agents, fws)
			s = append(s, faults.At(at, f))
		}
		slices.SortStableFunc(s, func(a, b faults.Step) int { return int(*a.At - *b.At) })
		return s
	})
}

func genFault(t *rapid.T, kind string, agents, fws []string) faults.Fault {
	agent := func() string { return rapid.SampledFrom(agents).Draw(t, "agent") }
	dir := func() faults.Direction {
		return rapid.SampledFrom([]faults.Direction{faults.Both, faults.ToAgent, faults.FromAgent}).Draw(t, "direction")
	}
	match := func() faults.Match {
		m := faults.Match{Direction: dir()}
		if rapid.Bool().Draw(t, "one-agent") {
			m.Agent = agent()
		}
		if rapid.Bool().Draw(t, "one-kind") {
			m.Kind = rapid.SampledFrom([]string{"StatusUpdateMessage", "RunTaskMessage", "StatusUpdateAcknowledgementMessage", "PingSlaveMessage", "PongSlaveMessage"}).Draw(t, "message")
		}
		return m
	}
	prob := func() float64 { return float64(rapid.IntRange(1, 4).Draw(t, "quarters")) / 4 }
	switch kind {
	case "partition":
		return faults.Partition{Agent: agent(), Direction: dir()}
	case "heal":
		if rapid.Bool().Draw(t, "heal-all") {
			return faults.Heal{}
		}
		return faults.Heal{Agent: agent()}
	case "drop":
		return faults.Drop{Match: match(), Probability: prob()}
	case "delay":
		return faults.Delay{Match: match(), Delay: faults.Duration(time.Duration(rapid.IntRange(1, 30).Draw(t, "delay-s")) * time.Second),
			Jitter: faults.Duration(time.Duration(rapid.IntRange(0, 10).Draw(t, "jitter-s")) * time.Second)}
	case "duplicate":
		return faults.Duplicate{Match: match(), Probability: prob()}
	case "crash-agent":
		return faults.CrashAgent{Agent: agent()}
	case "restart-agent":
		return faults.RestartAgent{Agent: agent(), Recover: rapid.Bool().Draw(t, "recover")}
	case "lose-agent":
		return faults.LoseAgent{Agent: agent()}
	case "mark-agent-gone":
		return faults.MarkAgentGone{Agent: agent()}
	case "failover-master":
		return faults.FailoverMaster{}
	case "cut-stream":
		return faults.CutStream{Framework: rapid.SampledFrom(fws).Draw(t, "framework")}
	}
	panic("scenarios: no generator for fault kind " + kind)
}
