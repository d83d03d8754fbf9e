package faults

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestFaultsCallTheTarget(t *testing.T) {
	tests := []struct {
		fault Fault
		calls []string
		str   string
	}{
		{CrashAgent{Agent: "agent-1"}, []string{"CrashAgent agent-1"}, "crash agent-1"},
		{RestartAgent{Agent: "agent-2", Recover: true}, []string{"RestartAgent agent-2 true"}, "restart agent-2 (recovering its checkpoint)"},
		{RestartAgent{Agent: "agent-2"}, []string{"RestartAgent agent-2 false"}, "restart agent-2 (work directory lost: a new agent)"},
		{LoseAgent{Agent: "agent-1"}, []string{"CrashAgent agent-1"}, "lose agent-1 (crash, never to restart)"},
		{MarkAgentGone{Agent: "agent-2"}, []string{"MarkAgentGone agent-2"}, "mark agent-2 gone"},
		{FailoverMaster{}, []string{"FailoverMaster"}, "fail over the master"},
		{CutStream{Framework: "web"}, []string{"CutStream web"}, "cut the event stream of framework web"},
		{
			CallFaults{Framework: "web", DropAnswer: 0.25, Delay: Duration(2 * time.Second)},
			[]string{"SetCallFault web {DropAnswer:0.25 Delay:2s}"},
			"call faults for framework web: lose answers with probability 0.25, delay calls by 2s",
		},
		{CallFaults{Framework: "web"}, []string{"SetCallFault web {DropAnswer:0 Delay:0s}"}, "clear call faults for framework web"},
		{FailTask{Task: "web-1"}, []string{"TaskFault web-1 fail"}, "fail task web-1"},
		{CrashExecutor{Task: "web-1"}, []string{"TaskFault web-1 crash-executor"}, "crash the executor of task web-1"},
		{HangOnKill{Task: "web-1"}, []string{"TaskFault web-1 hang-on-kill"}, "make task web-1 hang when killed"},
	}
	for _, tc := range tests {
		t.Run(tc.fault.Kind(), func(t *testing.T) {
			f := newFake(t, 1)
			in := NewInjector(f)
			if err := in.Apply(tc.fault); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.calls, f.calls); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
			if got := tc.fault.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			if diff := cmp.Diff([]string{"apply: " + tc.str}, f.faultLines()); diff != "" {
				t.Errorf("trace (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLostAgentNeverRestarts(t *testing.T) {
	f := newFake(t, 1)
	in := NewInjector(f)
	if err := in.Apply(LoseAgent{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	err := in.Apply(RestartAgent{Agent: "agent-1", Recover: true})
	if err == nil || !strings.Contains(err.Error(), "agent-1 was lost (lose-agent) and never restarts") {
		t.Errorf("restart of a lost agent: err = %v", err)
	}
	if err := in.Apply(RestartAgent{Agent: "agent-2", Recover: true}); err != nil {
		t.Errorf("restart of another agent: %v", err)
	}
	if diff := cmp.Diff([]string{"CrashAgent agent-1", "RestartAgent agent-2 true"}, f.calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	// A schedule that would restart it is refused when installed.
	err = in.Install(Schedule{After(time.Second, RestartAgent{Agent: "agent-1"})})
	if want := "step 1: restart-agent: agent: agent-1 is lost before the schedule and never restarts"; err == nil || err.Error() != want {
		t.Errorf("Install: err = %v, want %s", err, want)
	}
}

// The recorded, traced outcome of a fault that fails when it fires; the
// schedule goes on.
func TestFailingStepIsRecordedAndScheduleGoesOn(t *testing.T) {
	f := newFake(t, 1)
	f.fail["CrashAgent"] = errors.New("agent-1 is not running")
	in := NewInjector(f)
	err := in.Install(Schedule{
		At(time.Second, CrashAgent{Agent: "agent-1"}),
		After(time.Second, FailoverMaster{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.l.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	got := recordStrings(in.Applied())
	want := []string{
		"1s step 1: crash agent-1: failed: step 1: crash-agent: agent-1 is not running",
		"2s step 2: fail over the master",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if err := in.Err(); err == nil || err.Error() != "step 1: crash-agent: agent-1 is not running" {
		t.Errorf("Err() = %v", err)
	}
	wantTrace := []string{
		"step 1: crash agent-1",
		"step 1 failed: step 1: crash-agent: agent-1 is not running",
		"step 2: fail over the master",
	}
	if diff := cmp.Diff(wantTrace, f.faultLines()); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

func recordStrings(rs []Record) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.String())
	}
	return out
}

// setTaskAt schedules the task's state to change at virtual time at.
func (f *fakeTarget) setTaskAt(at time.Duration, id, state string) {
	f.l.At(f.l.Epoch().Add(at), "test.task", func() {
		for i := range f.tasks {
			if f.tasks[i].ID == id {
				f.tasks[i].State = state
				return
			}
		}
		f.tasks = append(f.tasks, TaskView{ID: id, FrameworkID: "fw", AgentID: "S0", State: state})
	})
}

func TestStepOrdering(t *testing.T) {
	tests := []struct {
		name      string
		installAt time.Duration
		schedule  Schedule
		want      []string
	}{
		{
			name:      "At is since the start, After since the previous step",
			installAt: 10 * time.Second,
			schedule: Schedule{
				At(30*time.Second, CrashAgent{Agent: "agent-1"}),
				After(30*time.Second, CrashAgent{Agent: "agent-2"}),
			},
			want: []string{"30s step 1: crash agent-1", "1m step 2: crash agent-2"},
		},
		{
			name:      "the first After counts from Install",
			installAt: 10 * time.Second,
			schedule:  Schedule{After(30*time.Second, CrashAgent{Agent: "agent-1"})},
			want:      []string{"40s step 1: crash agent-1"},
		},
		{
			name: "an At in the past when armed fires at once, after the step before",
			schedule: Schedule{
				After(10*time.Second, CrashAgent{Agent: "agent-1"}),
				At(5*time.Second, CrashAgent{Agent: "agent-2"}),
			},
			want: []string{"10s step 1: crash agent-1", "10s step 2: crash agent-2"},
		},
		{
			name: "steps wait for the one before, even a When",
			schedule: Schedule{
				When(TaskState{Task: "web-1", State: "TASK_RUNNING"}, FailTask{Task: "web-1"}), // at 20s
				At(15*time.Second, CrashAgent{Agent: "agent-1"}),
				After(time.Second, FailoverMaster{}),
				When(TasksInState{State: "TASK_RUNNING", N: 1}, CutStream{Framework: "web"}), // holds already
			},
			want: []string{
				"20s step 1: fail task web-1",
				"20s step 2: crash agent-1",
				"21s step 3: fail over the master",
				"21s step 4: cut the event stream of framework web",
			},
		},
		{
			name: "a When armed by a step waits for a later event",
			schedule: Schedule{
				At(20*time.Second, CrashAgent{Agent: "agent-1"}),
				When(TaskState{Task: "web-1", State: "TASK_RUNNING"}, FailTask{Task: "web-1"}),
				When(TaskState{Task: "web-1", State: "TASK_FAILED"}, CrashAgent{Agent: "agent-2"}),
			},
			want: []string{
				"20s step 1: crash agent-1",
				"20s step 2: fail task web-1",
				"25s step 3: crash agent-2",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, 1)
			in := NewInjector(f)
			f.setTaskAt(20*time.Second, "web-1", "TASK_RUNNING")
			f.setTaskAt(25*time.Second, "web-1", "TASK_FAILED")
			if err := f.l.Advance(tc.installAt); err != nil {
				t.Fatal(err)
			}
			if err := in.Install(tc.schedule); err != nil {
				t.Fatal(err)
			}
			if got := in.Pending(); got != len(tc.schedule) {
				t.Errorf("Pending() = %d after Install, want %d", got, len(tc.schedule))
			}
			if err := f.l.Advance(time.Hour); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, recordStrings(in.Applied())); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if in.Pending() != 0 || in.removeHook != nil || f.l.Pending() != 0 {
				t.Errorf("after the schedule: Pending() = %d, hook installed %v, loop events %d; want 0, false, 0",
					in.Pending(), in.removeHook != nil, f.l.Pending())
			}
		})
	}
}

// A When step fires once, the first time its condition holds, though the
// condition holds on; the Injector's loop hook goes when no When step
// waits.
func TestWhenFiresExactlyOnce(t *testing.T) {
	f := newFake(t, 1)
	in := NewInjector(f)
	checks := 0
	cond := Func{Name: "3 messages received", F: func(Target) bool { checks++; return len(f.received) >= 3 }}
	if err := in.Install(Schedule{
		When(cond, CrashAgent{Agent: "agent-1"}),
		After(time.Hour, CrashAgent{Agent: "agent-2"}),
	}); err != nil {
		t.Fatal(err)
	}
	if in.removeHook == nil {
		t.Fatal("no loop hook while a When step waits")
	}
	for i := range 10 {
		f.l.After(time.Duration(i)*time.Second, "test.send", func() { f.send(true, "RunTaskMessage", i) })
	}
	if err := f.l.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"2s step 1: crash agent-1"}, recordStrings(in.Applied())); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if in.removeHook != nil {
		t.Error("the loop hook is still installed with no When step waiting")
	}
	checksAtFire := checks
	if err := f.l.Advance(2 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if checks != checksAtFire {
		t.Errorf("the condition was checked %d more times after its step fired", checks-checksAtFire)
	}
	if diff := cmp.Diff([]string{"CrashAgent agent-1", "CrashAgent agent-2"}, f.calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// A When whose condition holds at Install fires as soon as the loop runs,
// even in a cluster where nothing else happens.
func TestWhenHoldingAtInstallFiresInAQuietLoop(t *testing.T) {
	f := newFake(t, 1)
	in := NewInjector(f)
	if err := in.Install(Schedule{When(Func{F: func(Target) bool { return true }}, FailoverMaster{})}); err != nil {
		t.Fatal(err)
	}
	f.settle(t)
	if diff := cmp.Diff([]string{"0s step 1: fail over the master"}, recordStrings(in.Applied())); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestConditions(t *testing.T) {
	tasks := []TaskView{
		{ID: "a", State: "TASK_RUNNING"}, {ID: "b", State: "TASK_RUNNING"}, {ID: "c", State: "TASK_FAILED"},
	}
	frameworks := []FrameworkView{{ID: "fw-0", Name: "web", Connected: true}, {ID: "fw-1", Name: "batch"}}
	tests := []struct {
		c    Condition
		want bool
		str  string
	}{
		{TaskState{Task: "a", State: "TASK_RUNNING"}, true, "task a is TASK_RUNNING"},
		{TaskState{Task: "c", State: "TASK_RUNNING"}, false, "task c is TASK_RUNNING"},
		{TaskState{Task: "z", State: "TASK_RUNNING"}, false, "task z is TASK_RUNNING"},
		{TasksInState{State: "TASK_RUNNING", N: 2}, true, "at least 2 tasks are TASK_RUNNING"},
		{TasksInState{State: "TASK_RUNNING", N: 3}, false, "at least 3 tasks are TASK_RUNNING"},
		{TasksInState{State: "TASK_FAILED", N: 1}, true, "a task is TASK_FAILED"},
		{FrameworkSubscribed{Framework: "web"}, true, "framework web is subscribed"},
		{FrameworkSubscribed{Framework: "fw-0"}, true, "framework fw-0 is subscribed"},
		{FrameworkSubscribed{Framework: "batch"}, false, "framework batch is subscribed"},
		{FrameworkSubscribed{Framework: "nope"}, false, "framework nope is subscribed"},
		{Func{Name: "always", F: func(Target) bool { return true }}, true, "always"},
	}
	f := newFake(t, 1)
	f.tasks, f.frameworks = tasks, frameworks
	for _, tc := range tests {
		if got := tc.c.Holds(f); got != tc.want {
			t.Errorf("%s: Holds = %v, want %v", tc.c, got, tc.want)
		}
		if got := tc.c.String(); got != tc.str {
			t.Errorf("String() = %q, want %q", got, tc.str)
		}
	}
}

func TestSeparateInstallsRunIndependently(t *testing.T) {
	f := newFake(t, 1)
	in := NewInjector(f)
	for _, s := range []Schedule{
		{At(10*time.Second, CrashAgent{Agent: "agent-1"}), After(10*time.Second, RestartAgent{Agent: "agent-1", Recover: true})},
		{At(5*time.Second, FailoverMaster{})},
	} {
		if err := in.Install(s); err != nil {
			t.Fatal(err)
		}
	}
	if in.Pending() != 3 {
		t.Errorf("Pending() = %d, want 3", in.Pending())
	}
	if err := f.l.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"5s schedule 2 step 1: fail over the master",
		"10s step 1: crash agent-1",
		"20s step 2: restart agent-1 (recovering its checkpoint)",
	}
	if diff := cmp.Diff(want, recordStrings(in.Applied())); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestDisarm(t *testing.T) {
	f := newFake(t, 1)
	in := NewInjector(f)
	holds := false
	if err := in.Install(Schedule{
		At(10*time.Second, CrashAgent{Agent: "agent-1"}),
		When(Func{F: func(Target) bool { return holds }}, FailoverMaster{}),
		After(time.Second, CutStream{Framework: "web"}),
	}); err != nil {
		t.Fatal(err)
	}
	if err := f.l.Advance(10 * time.Second); err != nil {
		t.Fatal(err)
	}
	// Step 2 waits for its condition.
	if in.Pending() != 2 || in.removeHook == nil {
		t.Fatalf("Pending() = %d, hook %v; want 2, installed", in.Pending(), in.removeHook != nil)
	}
	in.Disarm()
	holds = true
	f.l.Post("test.event", func() {})
	if err := f.l.Advance(time.Hour); err != nil {
		t.Fatal(err)
	}
	if in.Pending() != 0 || in.removeHook != nil {
		t.Errorf("after Disarm: Pending() = %d, hook %v", in.Pending(), in.removeHook != nil)
	}
	if diff := cmp.Diff([]string{"CrashAgent agent-1"}, f.calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// traceOfRun runs a busy schedule with every network fault over steady
// traffic and returns the whole trace.
func traceOfRun(t *testing.T, seed uint64) string {
	f := newFake(t, seed)
	in := NewInjector(f)
	var tick func()
	n := 0
	tick = func() {
		n++
		f.send(n%2 == 0, "StatusUpdateMessage", n)
		if n < 400 {
			f.l.After(250*time.Millisecond, "test.tick", tick)
		}
	}
	f.l.Post("test.tick", tick)
	s := Schedule{
		At(5*time.Second, Drop{Match: Match{Agent: "agent-1"}, Probability: 0.3}),
		After(10*time.Second, Delay{Match: Match{Direction: FromAgent}, Delay: Duration(100 * time.Millisecond), Jitter: Duration(time.Second)}),
		After(10*time.Second, Duplicate{Probability: 0.5}),
		When(Func{Name: "200 messages received", F: func(Target) bool { return len(f.received) >= 200 }}, Partition{Agent: "agent-1", Direction: ToAgent}),
		After(5*time.Second, Heal{}),
		After(5*time.Second, LoseAgent{Agent: "agent-1"}),
	}
	if err := in.Install(s); err != nil {
		t.Fatal(err)
	}
	if err := f.l.Advance(5 * time.Minute); err != nil {
		t.Fatal(err)
	}
	if in.Pending() != 0 {
		t.Fatalf("%d steps did not fire", in.Pending())
	}
	if f.trace.Total() > uint64(len(f.trace.Lines())) {
		t.Fatalf("the trace ring kept %d of %d lines; compare whole traces", len(f.trace.Lines()), f.trace.Total())
	}
	return f.trace.String()
}

func TestSameSeedSameTrace(t *testing.T) {
	want := traceOfRun(t, 42)
	for i := range 100 {
		if got := traceOfRun(t, 42); got != want {
			t.Fatalf("run %d: trace differs:\n%s", i, cmp.Diff(want, got))
		}
	}
	if traceOfRun(t, 43) == want {
		t.Error("seeds 42 and 43 gave the same trace")
	}
	for _, line := range []string{"faults    step 4: partition agent-1 (master to agent only)", "net       drop #"} {
		if !strings.Contains(want, line) {
			t.Errorf("trace has no %q", line)
		}
	}
}
