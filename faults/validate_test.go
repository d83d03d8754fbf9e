package faults

import (
	"strings"
	"testing"
	"time"
)

func TestValidateFaults(t *testing.T) {
	tests := []struct {
		fault Fault
		want  string // the error, or its beginning when it ends with "..."
	}{
		{Partition{}, "partition: agent: missing"},
		{Partition{Agent: "agent-9"}, `partition: agent: no agent named "agent-9" (agents: agent-1, agent-2)`},
		{Partition{Agent: "agent-1", Direction: "sideways"}, `partition: direction: "sideways" is not one of "both", "to-agent", "from-agent"`},
		{Heal{Agent: "agent-9"}, `heal: agent: no agent named "agent-9" (agents: agent-1, agent-2)`},
		{Drop{Probability: 1.5}, "drop: probability: 1.5 is outside [0,1]"},
		{Drop{Probability: -0.1}, "drop: probability: -0.1 is outside [0,1]"},
		{Drop{Match: Match{Kind: "StatusUpdate"}, Probability: 1}, `drop: message: "StatusUpdate" is not a message kind; did you mean "StatusUpdateMessage"?`},
		{Drop{Match: Match{Kind: "Hello"}, Probability: 1}, `drop: message: "Hello" is not a message kind (kinds: CheckpointResourcesMessage, ...`},
		{Drop{Match: Match{Agent: "agent-9"}, Probability: 1}, `drop: agent: no agent named "agent-9" (agents: agent-1, agent-2)`},
		{Delay{Delay: Duration(-time.Second)}, "delay: delay: -1s is negative"},
		{Delay{Jitter: Duration(-time.Millisecond)}, "delay: jitter: -1ms is negative"},
		{Delay{Match: Match{Direction: "up"}}, `delay: direction: "up" is not one of "both", "to-agent", "from-agent"`},
		{Duplicate{Probability: 2}, "duplicate: probability: 2 is outside [0,1]"},
		{CrashAgent{}, "crash-agent: agent: missing"},
		{RestartAgent{Agent: "agent-3"}, `restart-agent: agent: no agent named "agent-3" (agents: agent-1, agent-2)`},
		{LoseAgent{Agent: "S0"}, `lose-agent: agent: no agent named "S0" (agents: agent-1, agent-2)`},
		{MarkAgentGone{}, "mark-agent-gone: agent: missing"},
		{CutStream{}, "cut-stream: framework: missing"},
		{CallFaults{}, "call-faults: framework: missing"},
		{CallFaults{Framework: "web", DropAnswer: 1.01}, "call-faults: drop_answer: 1.01 is outside [0,1]"},
		{CallFaults{Framework: "web", Delay: Duration(-time.Second)}, "call-faults: delay: -1s is negative"},
		{FailTask{}, "fail-task: task: missing"},
		{CrashExecutor{}, "crash-executor: task: missing"},
		{HangOnKill{}, "hang-on-kill: task: missing"},
		{nil, "no fault"},
	}
	for _, tc := range tests {
		f := newFake(t, 1)
		in := NewInjector(f)
		err := in.Apply(tc.fault)
		if !errorMatches(err, tc.want) {
			t.Errorf("Apply(%#v) = %v, want %s", tc.fault, err, tc.want)
		}
		if len(f.calls) != 0 || len(in.Applied()) != 0 || len(in.filters) != 0 {
			t.Errorf("Apply(%#v) failed validation but acted: calls %v, records %v, filters %d", tc.fault, f.calls, in.Applied(), len(in.filters))
		}
	}
}

// errorMatches reports whether err's text is want, or begins with want
// without its trailing "...".
func errorMatches(err error, want string) bool {
	if err == nil {
		return want == ""
	}
	if prefix, ok := strings.CutSuffix(want, "..."); ok {
		return strings.HasPrefix(err.Error(), prefix)
	}
	return err.Error() == want
}

func TestValidateSchedule(t *testing.T) {
	crash := CrashAgent{Agent: "agent-1"}
	tests := []struct {
		name string
		s    Schedule
		want string
	}{
		{"valid", Schedule{At(0, crash), After(0, crash), When(TasksInState{State: "TASK_LOST", N: 2}, crash)}, ""},
		{"no trigger", Schedule{{Fault: crash}}, "step 1: one of at, after and when is needed"},
		{"two triggers", Schedule{At(0, crash), {At: ptr(time.Second), After: ptr(time.Second), Fault: crash}},
			"step 2: only one of at, after and when may be given, not at and after"},
		{"three triggers", Schedule{{At: ptr(0), After: ptr(0), When: TasksInState{State: "TASK_LOST", N: 1}, Fault: crash}},
			"step 1: only one of at, after and when may be given, not at and after and when"},
		{"negative at", Schedule{At(-time.Second, crash)}, "step 1: at: -1s is negative"},
		{"negative after", Schedule{After(-time.Minute, crash)}, "step 1: after: -1m is negative"},
		{"no fault", Schedule{At(time.Second, nil)}, "step 1: fault: missing"},
		{"bad fault", Schedule{At(0, crash), At(0, Partition{Agent: "agent-7"})},
			`step 2: fault: partition: agent: no agent named "agent-7" (agents: agent-1, agent-2)`},
		{"bad state", Schedule{When(TaskState{Task: "web-1", State: "RUNNING"}, crash)},
			`step 1: when: task-state: state: "RUNNING" is not a task state (such as TASK_RUNNING)`},
		{"no task", Schedule{When(TaskState{State: "TASK_RUNNING"}, crash)}, "step 1: when: task-state: task: missing"},
		{"n of 0", Schedule{When(TasksInState{State: "TASK_RUNNING"}, crash)}, "step 1: when: tasks-in-state: n: 0 is less than 1"},
		{"no framework", Schedule{When(FrameworkSubscribed{}, crash)}, "step 1: when: framework-subscribed: framework: missing"},
		{"func without F", Schedule{When(Func{Name: "x"}, crash)}, "step 1: when: func: f: missing"},
		{"restart after lose", Schedule{At(0, LoseAgent{Agent: "agent-1"}), At(0, crash), After(0, RestartAgent{Agent: "agent-1", Recover: true})},
			"step 3: restart-agent: agent: agent-1 is lost at step 1 and never restarts"},
		{"restart another agent after lose", Schedule{At(0, LoseAgent{Agent: "agent-1"}), After(0, RestartAgent{Agent: "agent-2"})}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, 1)
			in := NewInjector(f)
			err := in.Install(tc.s)
			if !errorMatches(err, tc.want) {
				t.Fatalf("Install = %v, want %q", err, tc.want)
			}
			if err != nil && (in.Pending() != 0 || f.l.Pending() != 0) {
				t.Errorf("a refused schedule was armed: Pending() = %d, loop events %d", in.Pending(), f.l.Pending())
			}
		})
	}
}

// Without a Target, agent names are not checked; everything else is.
func TestValidateWithoutTarget(t *testing.T) {
	if err := (Partition{Agent: "agent-99"}).Validate(nil); err != nil {
		t.Errorf("Validate(nil) checked the agent name: %v", err)
	}
	if err := (Drop{Probability: 3}).Validate(nil); err == nil {
		t.Error("Validate(nil) accepted probability 3")
	}
}
