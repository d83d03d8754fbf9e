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
	// The first three tile every agent shape (drf-fairness applies);
	// the last strands memory.
	taskShapes = []string{"cpus:0.5;mem:512", "cpus:1;mem:1024", "cpus:0.25;mem:256", "cpus:1;mem:512"}
	behaviors  = []string{"", "start-delay=3s", "run=20s", "start-delay=1s run=30s"}
)

// GenConfig bounds the cases GenCase draws. Zero fields take the defaults
// in their comments.
type GenConfig struct {
	// Framework is the reference framework name recorded in the case
	// ("" for a framework given in Go).
	Framework string
	// FrameworkName is the name of the framework given in Go, for the
	// faults that name a framework (Check sets it from the factory).
	FrameworkName string
	// MaxAgents (4), MaxFrameworks (3), MaxTasks (5): the cluster and the
	// workload.
	MaxAgents, MaxFrameworks, MaxTasks int
	// MaxFaults is the most fault steps (6); 0 steps is always possible.
	MaxFaults int
	// MaxChaos is the longest chaos phase (3 min); faults fire within it.
	MaxChaos time.Duration
	// Behaviors, if set, replaces the task behaviours drawn from.
	Behaviors []string
	// Schedule draws the fault schedule of a case for its agents and
	// frameworks (by name), with at most maxSteps steps that fire within
	// the chaos phase. The default is faults.GenSchedule (every fault kind
	// but the task faults; At, After and When steps), without its When
	// steps while the cluster cannot cancel steps that have not fired when
	// the chaos phase ends. GridSchedule draws simpler schedules.
	Schedule func(agents, frameworks []string, maxSteps int, within time.Duration) *rapid.Generator[faults.Schedule]
	// Reordering keeps the faults that break the per-link FIFO order of
	// messages Mesos relies on (libprocess over TCP never reorders or
	// duplicates on one connection): duplicate, and delay (jitter reorders;
	// a heal lets later messages overtake delayed ones). Without it they
	// are dropped from the drawn schedules. Runs with them find what the
	// simulated master and agents do outside Mesos's failure model — see
	// the package documentation for what they found.
	Reordering bool
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
	if g.Schedule == nil {
		g.Schedule = defaultSchedule
	}
	if !g.Reordering {
		inner := g.Schedule
		g.Schedule = func(agents, fws []string, maxSteps int, within time.Duration) *rapid.Generator[faults.Schedule] {
			return rapid.Map(inner(agents, fws, maxSteps, within), withoutReordering)
		}
	}
	return g
}

// withoutReordering drops the steps whose faults reorder or duplicate
// messages on a link.
func withoutReordering(s faults.Schedule) faults.Schedule {
	return slices.DeleteFunc(s, func(st faults.Step) bool {
		switch st.Fault.(type) {
		case faults.Delay, faults.Duplicate:
			return true
		}
		return false
	})
}

// defaultSchedule is faults.GenSchedule, without When steps unless the
// cluster can disarm them.
func defaultSchedule(agents, fws []string, maxSteps int, within time.Duration) *rapid.Generator[faults.Schedule] {
	gen := faults.GenSchedule(agents, fws, maxSteps, within)
	if canDisarm {
		return gen
	}
	return rapid.Map(gen, func(s faults.Schedule) faults.Schedule {
		return slices.DeleteFunc(s, func(st faults.Step) bool { return st.When != nil })
	})
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
		cs.Faults = g.Schedule(names, frameworkNames(g.Framework, g.FrameworkName, cs.Frameworks), g.MaxFaults, cs.Chaos.D()).Draw(t, "faults")
		cs.Seed = rapid.Uint64().Draw(t, "seed")
		return cs
	})
}

// frameworkNames are the names the n instances of a framework get (the
// faults that act on a framework name it): the reference framework's, or
// the given name.
func frameworkNames(reference, name string, n int) []string {
	base := name
	if f, ok := frameworks.Reference(reference); ok {
		base = f().Name()
	}
	if base == "" {
		return nil
	}
	if n == 1 {
		return []string{base}
	}
	var out []string
	for i := range n {
		out = append(out, base+"-"+strconv.Itoa(i+1))
	}
	return out
}

// GridFaultKinds are the fault kinds GridSchedule draws by default: every
// kind but call-faults (the in-loop driver makes no HTTP calls) and the
// task faults (which need a task id).
var GridFaultKinds = []string{
	"partition", "heal", "drop", "delay", "duplicate",
	"crash-agent", "restart-agent", "lose-agent", "mark-agent-gone",
	"failover-master", "cut-stream",
}

// GridSchedule returns a schedule generator for GenConfig.Schedule that
// draws only At steps, on a 5 s grid within the chaos phase, sorted by time
// (removing one while shrinking moves no other), of the given fault kinds
// (GridFaultKinds if none). It is the one to use to hunt a given kind of
// bug: restricted to the faults that matter, it finds and shrinks faster.
func GridSchedule(kinds ...string) func(agents, fws []string, maxSteps int, within time.Duration) *rapid.Generator[faults.Schedule] {
	if len(kinds) == 0 {
		kinds = GridFaultKinds
	}
	return func(agents, fws []string, maxSteps int, within time.Duration) *rapid.Generator[faults.Schedule] {
		return gridSchedule(agents, fws, maxSteps, within, kinds)
	}
}

func gridSchedule(agents, fws []string, maxSteps int, within time.Duration, kinds []string) *rapid.Generator[faults.Schedule] {
	usable := slices.DeleteFunc(slices.Clone(kinds), func(k string) bool {
		return (k == "cut-stream" && len(fws) == 0) || len(agents) == 0 || (k == "lose-agent" && len(agents) < 2)
	})
	slots := max(int(within/(5*time.Second)), 1)
	step := rapid.Custom(func(t *rapid.T) faults.Step {
		at := time.Duration(rapid.IntRange(0, slots-1).Draw(t, "at")) * 5 * time.Second
		return faults.At(at, genFault(t, rapid.SampledFrom(usable).Draw(t, "kind"), agents, fws))
	})
	return rapid.Custom(func(t *rapid.T) faults.Schedule {
		if len(usable) == 0 || maxSteps <= 0 {
			return faults.Schedule{}
		}
		// A slice generator: shrinking deletes any step, not only the last.
		s := faults.Schedule(rapid.SliceOfN(step, 0, maxSteps).Draw(t, "steps"))
		slices.SortStableFunc(s, func(a, b faults.Step) int { return int(*a.At - *b.At) })
		// No agent restarts once lost, and one agent is never lost: drop
		// the steps that would (keeping the draws, so shrinking is stable).
		lost := map[string]bool{}
		return slices.DeleteFunc(s, func(st faults.Step) bool {
			switch f := st.Fault.(type) {
			case faults.LoseAgent:
				if lost[f.Agent] || len(lost) == len(agents)-1 {
					return true
				}
				lost[f.Agent] = true
			case faults.RestartAgent:
				return lost[f.Agent]
			case faults.CrashAgent:
				return lost[f.Agent]
			}
			return false
		})
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
