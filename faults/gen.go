package faults

import (
	"fmt"
	"slices"
	"time"

	"pgregory.net/rapid"
)

// Generators of faults and schedules for property tests (package
// scenarios, and anyone's rapid tests). Every value drawn is valid for a
// cluster with the given agents, round-trips through JSON, and is bounded,
// so that a generated case runs in bounded virtual time. Choices are drawn
// through rapid, so failing cases shrink: fewer steps, earlier times, lower
// probabilities, the first agent.

// Bounds of generated values.
const (
	genDelayMax        = 5 * time.Second // Delay.Delay, CallFaults.Delay
	genJitterMax       = 2 * time.Second // Delay.Jitter
	genTasksInStateMax = 5               // TasksInState.N
)

// genTaskStates are the states conditions ask about.
var genTaskStates = []string{
	"TASK_RUNNING", "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_LOST", "TASK_UNREACHABLE",
}

// GenSchedule draws schedules of at most maxSteps steps (possibly none) for
// a cluster with the agents and frameworks named. At and After steps fire
// by virtual time maxAt at the latest (counting When steps as firing at
// once): At times do not decrease, and an After never reaches past maxAt.
// No agent restarts after it was lost, and at least one agent is never
// lost. Faults on tasks are not drawn (see GenTaskFault).
func GenSchedule(agents, frameworks []string, maxSteps int, maxAt time.Duration) *rapid.Generator[Schedule] {
	agents, frameworks = slices.Clone(agents), slices.Clone(frameworks)
	maxSteps, maxAt = max(maxSteps, 0), max(maxAt, 0)
	return rapid.Custom(func(t *rapid.T) Schedule {
		n := rapid.IntRange(0, maxSteps).Draw(t, "steps")
		s := make(Schedule, 0, n)
		var earliest time.Duration // the earliest the next step can fire
		lost := map[string]bool{}
		for i := range n {
			var step Step
			switch rapid.IntRange(0, 2).Draw(t, fmt.Sprintf("trigger%d", i)) {
			case 0:
				at := earliest + genDuration(maxAt-earliest).Draw(t, fmt.Sprintf("at%d", i))
				step.At, earliest = ptr(at), at
			case 1:
				d := genDuration(maxAt-earliest).Draw(t, fmt.Sprintf("after%d", i))
				step.After, earliest = ptr(d), earliest+d
			default:
				step.When = GenCondition(frameworks).Draw(t, fmt.Sprintf("when%d", i))
			}
			step.Fault = genFault(agents, frameworks, lost).Draw(t, fmt.Sprintf("fault%d", i))
			if l, ok := step.Fault.(LoseAgent); ok {
				lost[l.Agent] = true
			}
			s = append(s, step)
		}
		return s
	})
}

// GenFault draws one fault of any kind but the task faults, for a cluster
// with the agents and frameworks named.
func GenFault(agents, frameworks []string) *rapid.Generator[Fault] {
	return genFault(slices.Clone(agents), slices.Clone(frameworks), nil)
}

// GenTaskFault draws a fault on one of the tasks named: fail-task,
// crash-executor or hang-on-kill.
func GenTaskFault(tasks []string) *rapid.Generator[Fault] {
	tasks = slices.Clone(tasks)
	return rapid.Custom(func(t *rapid.T) Fault {
		task := rapid.SampledFrom(tasks).Draw(t, "task")
		switch rapid.IntRange(0, 2).Draw(t, "kind") {
		case 0:
			return FailTask{Task: task}
		case 1:
			return CrashExecutor{Task: task}
		}
		return HangOnKill{Task: task}
	})
}

// GenCondition draws a serialisable condition: some tasks in a state, or
// (with frameworks) a framework subscribed.
func GenCondition(frameworks []string) *rapid.Generator[Condition] {
	frameworks = slices.Clone(frameworks)
	return rapid.Custom(func(t *rapid.T) Condition {
		if len(frameworks) > 0 && rapid.Bool().Draw(t, "subscribed") {
			return FrameworkSubscribed{Framework: rapid.SampledFrom(frameworks).Draw(t, "framework")}
		}
		return TasksInState{
			State: rapid.SampledFrom(genTaskStates).Draw(t, "state"),
			N:     rapid.IntRange(1, genTasksInStateMax).Draw(t, "n"),
		}
	})
}

// genFault draws a fault; it names no agent in lost except in network
// faults, and loses an agent only while another one is left.
func genFault(agents, frameworks []string, lost map[string]bool) *rapid.Generator[Fault] {
	return rapid.Custom(func(t *rapid.T) Fault {
		var alive []string
		for _, a := range agents {
			if !lost[a] {
				alive = append(alive, a)
			}
		}
		type option struct {
			kind string
			ok   bool
		}
		options := []option{
			{"failover-master", true},
			{"heal", true},
			{"partition", len(agents) > 0},
			{"drop", true},
			{"delay", true},
			{"duplicate", true},
			{"crash-agent", len(alive) > 0},
			{"restart-agent", len(alive) > 0},
			{"lose-agent", len(alive) > 1},
			{"mark-agent-gone", len(agents) > 0},
			{"cut-stream", len(frameworks) > 0},
			{"call-faults", len(frameworks) > 0},
		}
		var kinds []string
		for _, o := range options {
			if o.ok {
				kinds = append(kinds, o.kind)
			}
		}
		agent := func(from []string) string { return rapid.SampledFrom(from).Draw(t, "agent") }
		framework := func() string { return rapid.SampledFrom(frameworks).Draw(t, "framework") }
		switch rapid.SampledFrom(kinds).Draw(t, "kind") {
		case "heal":
			return Heal{Agent: genOptional(agents).Draw(t, "agent")}
		case "partition":
			return Partition{Agent: agent(agents), Direction: genDirection().Draw(t, "direction")}
		case "drop":
			return Drop{Match: genMatch(agents).Draw(t, "match"), Probability: genProbability().Draw(t, "probability")}
		case "delay":
			return Delay{
				Match:  genMatch(agents).Draw(t, "match"),
				Delay:  Duration(genDuration(genDelayMax).Draw(t, "delay")),
				Jitter: Duration(genDuration(genJitterMax).Draw(t, "jitter")),
			}
		case "duplicate":
			return Duplicate{Match: genMatch(agents).Draw(t, "match"), Probability: genProbability().Draw(t, "probability")}
		case "crash-agent":
			return CrashAgent{Agent: agent(alive)}
		case "restart-agent":
			return RestartAgent{Agent: agent(alive), Recover: !rapid.Bool().Draw(t, "wipe")}
		case "lose-agent":
			return LoseAgent{Agent: agent(alive)}
		case "mark-agent-gone":
			return MarkAgentGone{Agent: agent(agents)}
		case "cut-stream":
			return CutStream{Framework: framework()}
		case "call-faults":
			return CallFaults{
				Framework:  framework(),
				DropAnswer: genProbability().Draw(t, "drop_answer"),
				Delay:      Duration(genDuration(genDelayMax).Draw(t, "delay")),
			}
		}
		return FailoverMaster{}
	})
}

// genMatch draws a match on the agents named, or on any agent.
func genMatch(agents []string) *rapid.Generator[Match] {
	kinds := append([]string{""}, messageKinds()...)
	return rapid.Custom(func(t *rapid.T) Match {
		return Match{
			Agent:     genOptional(agents).Draw(t, "agent"),
			Kind:      rapid.SampledFrom(kinds).Draw(t, "message"),
			Direction: genDirection().Draw(t, "direction"),
		}
	})
}

// genOptional draws "" or one of names.
func genOptional(names []string) *rapid.Generator[string] {
	return rapid.SampledFrom(append([]string{""}, names...))
}

func genDirection() *rapid.Generator[Direction] {
	return rapid.SampledFrom([]Direction{"", Both, ToAgent, FromAgent})
}

// genProbability draws a probability in hundredths, so that it reads well.
func genProbability() *rapid.Generator[float64] {
	return rapid.Map(rapid.IntRange(0, 100), func(n int) float64 { return float64(n) / 100 })
}

// genDuration draws a duration in [0, limit] in a grain that reads well: a
// tenth of a second, or a millisecond (or a nanosecond) for short limits.
func genDuration(limit time.Duration) *rapid.Generator[time.Duration] {
	grain := 100 * time.Millisecond
	switch {
	case limit < 10*time.Millisecond:
		grain = 1
	case limit < 10*time.Second:
		grain = time.Millisecond
	}
	return rapid.Map(rapid.Int64Range(0, int64(max(limit, 0)/grain)), func(n int64) time.Duration {
		return time.Duration(n) * grain
	})
}
