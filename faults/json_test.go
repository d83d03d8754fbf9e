package faults

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// The example of the package documentation.
const docExample = `[{"at":"30s","fault":{"kind":"partition","agent":"agent-2","direction":"both"}},
 {"after":"2m","fault":{"kind":"heal","agent":"agent-2"}},
 {"when":{"kind":"task-state","task":"web-1","state":"TASK_RUNNING"},"fault":{"kind":"crash-agent","agent":"agent-1"}}]`

func TestUnmarshalDocExample(t *testing.T) {
	s, err := Unmarshal([]byte(docExample))
	if err != nil {
		t.Fatal(err)
	}
	want := Schedule{
		At(30*time.Second, Partition{Agent: "agent-2", Direction: Both}),
		After(2*time.Minute, Heal{Agent: "agent-2"}),
		When(TaskState{Task: "web-1", State: "TASK_RUNNING"}, CrashAgent{Agent: "agent-1"}),
	}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Unmarshal (-want +got):\n%s", diff)
	}
	data, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != docExample {
		t.Errorf("Marshal =\n%s\nwant\n%s", data, docExample)
	}
	wantString := "at 30s: partition agent-2 (both ways)\n" +
		"after 2m: heal agent-2\n" +
		"when task web-1 is TASK_RUNNING: crash agent-1"
	if got := s.String(); got != wantString {
		t.Errorf("String() =\n%s\nwant\n%s", got, wantString)
	}
}

// Every kind of fault and condition, in its canonical JSON form.
func TestMarshalEveryKind(t *testing.T) {
	s := Schedule{
		At(0, Partition{Agent: "agent-1", Direction: ToAgent}),
		At(90*time.Second, Heal{}),
		After(1500*time.Millisecond, Drop{Match: Match{Agent: "agent-1", Kind: "StatusUpdateMessage", Direction: FromAgent}, Probability: 0.25}),
		After(time.Hour, Delay{Delay: Duration(2 * time.Second), Jitter: Duration(500 * time.Millisecond)}),
		After(0, Duplicate{Match: Match{Kind: "RunTaskMessage"}, Probability: 1}),
		When(TasksInState{State: "TASK_RUNNING", N: 3}, CrashAgent{Agent: "agent-1"}),
		When(FrameworkSubscribed{Framework: "web"}, RestartAgent{Agent: "agent-1", Recover: true}),
		After(time.Second, RestartAgent{Agent: "agent-2"}),
		After(time.Second, LoseAgent{Agent: "agent-2"}),
		After(time.Second, MarkAgentGone{Agent: "agent-2"}),
		After(time.Second, FailoverMaster{}),
		After(time.Second, CutStream{Framework: "web"}),
		After(time.Second, CallFaults{Framework: "web", DropAnswer: 0.5, Delay: Duration(time.Second)}),
		After(time.Second, CallFaults{Framework: "web"}),
		When(TaskState{Task: "web-1", State: "TASK_RUNNING"}, FailTask{Task: "web-1"}),
		After(time.Second, CrashExecutor{Task: "web-2"}),
		After(time.Second, HangOnKill{Task: "web-3"}),
	}
	want := `[{"at":"0s","fault":{"kind":"partition","agent":"agent-1","direction":"to-agent"}},
 {"at":"1m30s","fault":{"kind":"heal"}},
 {"after":"1.5s","fault":{"kind":"drop","agent":"agent-1","message":"StatusUpdateMessage","direction":"from-agent","probability":0.25}},
 {"after":"1h","fault":{"kind":"delay","delay":"2s","jitter":"500ms"}},
 {"after":"0s","fault":{"kind":"duplicate","message":"RunTaskMessage","probability":1}},
 {"when":{"kind":"tasks-in-state","state":"TASK_RUNNING","n":3},"fault":{"kind":"crash-agent","agent":"agent-1"}},
 {"when":{"kind":"framework-subscribed","framework":"web"},"fault":{"kind":"restart-agent","agent":"agent-1","recover":true}},
 {"after":"1s","fault":{"kind":"restart-agent","agent":"agent-2","recover":false}},
 {"after":"1s","fault":{"kind":"lose-agent","agent":"agent-2"}},
 {"after":"1s","fault":{"kind":"mark-agent-gone","agent":"agent-2"}},
 {"after":"1s","fault":{"kind":"failover-master"}},
 {"after":"1s","fault":{"kind":"cut-stream","framework":"web"}},
 {"after":"1s","fault":{"kind":"call-faults","framework":"web","drop_answer":0.5,"delay":"1s"}},
 {"after":"1s","fault":{"kind":"call-faults","framework":"web"}},
 {"when":{"kind":"task-state","task":"web-1","state":"TASK_RUNNING"},"fault":{"kind":"fail-task","task":"web-1"}},
 {"after":"1s","fault":{"kind":"crash-executor","task":"web-2"}},
 {"after":"1s","fault":{"kind":"hang-on-kill","task":"web-3"}}]`
	data, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("Marshal (-want +got):\n%s", diff)
	}
	back, err := Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, back); diff != "" {
		t.Errorf("Unmarshal(Marshal(s)) (-want +got):\n%s", diff)
	}
	kinds := map[string]bool{}
	for _, step := range s {
		kinds[step.Fault.Kind()] = true
	}
	if len(kinds) != len(Kinds()) {
		t.Errorf("the schedule has %d kinds of fault, the package %d: %v", len(kinds), len(Kinds()), Kinds())
	}
}

func TestParseFault(t *testing.T) {
	tests := []struct {
		in   string
		want Fault
		err  string
	}{
		{`{"kind":"restart-agent","agent":"agent-1"}`, RestartAgent{Agent: "agent-1", Recover: true}, ""},
		{`{"kind":"restart-agent","agent":"agent-1","recover":false}`, RestartAgent{Agent: "agent-1"}, ""},
		{`{"agent":"agent-1","kind":"partition"}`, Partition{Agent: "agent-1"}, ""},
		{`{"kind":"failover-master"}`, FailoverMaster{}, ""},
		{` {"kind":"drop","probability":0.5,"direction":null} `, Drop{Probability: 0.5}, ""},
		{`{"kind":"partitoin","agent":"agent-1"}`, nil, `kind: unknown fault kind "partitoin" (kinds: call-faults, crash-agent, crash-executor, cut-stream, delay, drop, duplicate, fail-task, failover-master, hang-on-kill, heal, lose-agent, mark-agent-gone, partition, restart-agent)`},
		{`{"agent":"agent-1"}`, nil, "kind: missing (fault kinds: call-faults, ..."},
		{`{"kind":5}`, nil, "kind: want a string, got number"},
		{`{"kind":"partition","agnet":"agent-1"}`, nil, `partition: unknown field "agnet" (fields: agent, direction, kind)`},
		{`{"kind":"partition","Agent":"agent-1"}`, nil, `partition: unknown field "Agent" (fields: agent, direction, kind)`},
		{`{"kind":"partition","agent":"a","agent":"b"}`, nil, "partition: agent: given twice"},
		{`{"kind":"partition","agent":7}`, nil, "partition: agent: want a string, got number"},
		{`{"kind":"partition"}`, nil, "partition: agent: missing"},
		{`{"kind":"drop","probability":"high"}`, nil, "drop: probability: want a number, got string"},
		{`{"kind":"drop","probability":1.5}`, nil, "drop: probability: 1.5 is outside [0,1]"},
		{`{"kind":"drop","message":"Ping","probability":1}`, nil, `drop: message: "Ping" is not a message kind (kinds: ...`},
		{`{"kind":"delay","delay":"2x"}`, nil, `delay: delay: want a duration such as "30s" or "1m30s": time: unknown unit "x" in duration "2x"`},
		{`{"kind":"delay","delay":2}`, nil, `delay: delay: want a duration string such as "30s", got number`},
		{`{"kind":"delay","delay":"-2s"}`, nil, "delay: delay: -2s is negative"},
		{`{"kind":"restart-agent","agent":"a","recover":"yes"}`, nil, "restart-agent: recover: want true or false, got string"},
		{`{"kind":"failover-master","agent":"agent-1"}`, nil, `failover-master: unknown field "agent" (fields: election, kind)`},
		{`["partition"]`, nil, "want a JSON object"},
		{`{"kind":"heal"`, nil, "want a JSON object"},
	}
	for _, tc := range tests {
		f, err := ParseFault([]byte(tc.in))
		if !errorMatches(err, tc.err) {
			t.Errorf("ParseFault(%s): err = %v, want %s", tc.in, err, tc.err)
			continue
		}
		if diff := cmp.Diff(tc.want, f); diff != "" {
			t.Errorf("ParseFault(%s) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestUnmarshalErrors(t *testing.T) {
	crash := `"fault":{"kind":"crash-agent","agent":"agent-1"}`
	tests := []struct{ in, err string }{
		{`{"at":"1s",` + crash + `}`, "schedule: want a JSON array of steps"},
		{`[` + `{"at":"1s",` + crash + `}]x`, "schedule: malformed JSON: data after the end"},
		{`[1]`, "step 1: want a JSON object"},
		{`[{"at":"1s",` + crash + `},{"at":"1s","fault":{"kind":"partitoin"}}]`, `step 2: fault: kind: unknown fault kind "partitoin" (kinds: ...`},
		{`[{"at":"1s",` + crash + `},{"at":"1s","fault":{"kind":"partition","agnet":"agent-1"}}]`, `step 2: fault: partition: unknown field "agnet" (fields: agent, direction, kind)`},
		{`[{"at2":"1s",` + crash + `}]`, `step 1: unknown field "at2" (fields: after, at, fault, when)`},
		{`[{"at":"soon",` + crash + `}]`, `step 1: at: want a duration such as "30s" or "1m30s": time: invalid duration "soon"`},
		{`[{"at":30,` + crash + `}]`, `step 1: at: want a duration string such as "30s", got number`},
		{`[{"after":"-1s",` + crash + `}]`, `step 1: after: -1s is negative`},
		{`[{"at":"1s"}]`, "step 1: fault: missing"},
		{`[{"at":"1s","fault":null}]`, "step 1: fault: missing"},
		{`[{` + crash + `}]`, "step 1: one of at, after and when is needed"},
		{`[{"at":"1s","when":{"kind":"tasks-in-state","state":"TASK_RUNNING","n":1},` + crash + `}]`, "step 1: only one of at, after and when may be given, not at and when"},
		{`[{"when":{"kind":"task-status","task":"a"},` + crash + `}]`, `step 1: when: kind: unknown condition kind "task-status" (kinds: framework-subscribed, task-state, tasks-in-state)`},
		{`[{"when":{"kind":"tasks-in-state","state":"TASK_RUNNING","n":1.5},` + crash + `}]`, `step 1: when: tasks-in-state: n: want an integer, got number 1.5`},
		{`[{"when":{"kind":"task-state","task":"a","state":"RUNNING"},` + crash + `}]`, `step 1: when: task-state: state: "RUNNING" is not a task state (such as TASK_RUNNING)`},
		{`[{"at":"0s","fault":{"kind":"lose-agent","agent":"agent-1"}},{"after":"1m","fault":{"kind":"restart-agent","agent":"agent-1"}}]`,
			"step 2: restart-agent: agent: agent-1 is lost at step 1 and never restarts"},
	}
	for _, tc := range tests {
		s, err := Unmarshal([]byte(tc.in))
		if !errorMatches(err, tc.err) {
			t.Errorf("Unmarshal(%s):\n err = %v\nwant %s", tc.in, err, tc.err)
		}
		if err != nil && s != nil {
			t.Errorf("Unmarshal(%s) returned a schedule with its error", tc.in)
		}
	}
	if s, err := Unmarshal([]byte(" [ ] ")); err != nil || len(s) != 0 {
		t.Errorf("Unmarshal of an empty array = %v, %v", s, err)
	}
}

type customFault struct{}

func (customFault) Kind() string          { return "custom" }
func (customFault) String() string        { return "custom" }
func (customFault) Apply(*Injector) error { return nil }

func TestMarshalErrors(t *testing.T) {
	tests := []struct {
		s   Schedule
		err string
	}{
		{Schedule{When(Func{Name: "my condition", F: func(Target) bool { return true }}, FailoverMaster{})},
			`step 1: when: func: "my condition" is Go code and has no JSON form`},
		{Schedule{At(0, FailoverMaster{}), At(0, customFault{})},
			"step 2: fault: custom: faults.customFault has no JSON form (fault kinds: call-faults, ..."},
		{Schedule{At(0, Drop{Probability: 2})}, "step 1: fault: drop: probability: 2 is outside [0,1]"},
		{Schedule{{Fault: FailoverMaster{}}}, "step 1: one of at, after and when is needed"},
	}
	for _, tc := range tests {
		if _, err := Marshal(tc.s); !errorMatches(err, tc.err) {
			t.Errorf("Marshal(%v):\n err = %v\nwant %s", tc.s, err, tc.err)
		}
	}
	if data, err := MarshalFault(&Partition{Agent: "agent-1"}); err != nil || string(data) != `{"kind":"partition","agent":"agent-1"}` {
		t.Errorf("MarshalFault of a pointer = %s, %v", data, err)
	}
}

// A Schedule sits in a larger JSON document (a cluster file) and keeps its
// strictness there.
func TestScheduleInDocument(t *testing.T) {
	type clusterFile struct {
		Seed   uint64   `json:"seed"`
		Faults Schedule `json:"faults"`
	}
	in := `{"seed":7,"faults":` + docExample + `}`
	var c clusterFile
	if err := json.Unmarshal([]byte(in), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Faults) != 3 {
		t.Fatalf("decoded %d steps, want 3", len(c.Faults))
	}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"seed":7,"faults":` + strings.ReplaceAll(docExample, "\n ", "") + `}`; string(out) != want {
		t.Errorf("json.Marshal =\n%s\nwant\n%s", out, want)
	}
	bad := `{"seed":7,"faults":[{"at":"1s","fault":{"kind":"heal","agnet":"x"}}]}`
	if err := json.Unmarshal([]byte(bad), &c); err == nil || err.Error() != `step 1: fault: heal: unknown field "agnet" (fields: agent, kind)` {
		t.Errorf("strict decoding inside a document: err = %v", err)
	}
}

// Marshal(Unmarshal(x)) is stable, and every generated schedule is valid,
// survives the round trip and reads back equal.
func TestRoundTripGenerated(t *testing.T) {
	agents, frameworks := []string{"agent-1", "agent-2"}, []string{"web", "batch"}
	f := newFake(t, 1) // for its agent names
	rapid.Check(t, func(rt *rapid.T) {
		s := GenSchedule(agents, frameworks, 8, 10*time.Minute).Draw(rt, "schedule")
		if err := s.Validate(f); err != nil {
			rt.Fatalf("generated schedule is invalid: %v\n%s", err, s)
		}
		data, err := Marshal(s)
		if err != nil {
			rt.Fatalf("Marshal: %v\n%s", err, s)
		}
		back, err := Unmarshal(data)
		if err != nil {
			rt.Fatalf("Unmarshal: %v\n%s", err, data)
		}
		if diff := cmp.Diff(s, back, cmpopts.EquateEmpty()); diff != "" {
			rt.Fatalf("Unmarshal(Marshal(s)) (-want +got):\n%s", diff)
		}
		again, err := Marshal(back)
		if err != nil {
			rt.Fatal(err)
		}
		if string(again) != string(data) {
			rt.Fatalf("Marshal is not stable:\n%s\n%s", data, again)
		}
		if n := strings.Count(s.String(), "\n"); len(s) > 0 && n != len(s)-1 {
			rt.Fatalf("String() has %d lines for %d steps", n+1, len(s))
		}
	})
}

// Generated schedules keep their bounds: timed steps fire by maxAt, no lost
// agent restarts, and one agent is never lost.
func TestGenScheduleBounds(t *testing.T) {
	agents := []string{"agent-1", "agent-2", "agent-3"}
	rapid.Check(t, func(rt *rapid.T) {
		maxSteps := rapid.IntRange(0, 12).Draw(rt, "maxSteps")
		maxAt := time.Duration(rapid.Int64Range(0, int64(time.Hour)).Draw(rt, "maxAt"))
		s := GenSchedule(agents, nil, maxSteps, maxAt).Draw(rt, "schedule")
		if len(s) > maxSteps {
			rt.Fatalf("%d steps, more than %d", len(s), maxSteps)
		}
		var earliest time.Duration
		lost := map[string]bool{}
		for i, step := range s {
			switch {
			case step.At != nil:
				if step.At.D() < earliest {
					rt.Fatalf("step %d: at %v before %v", i+1, step.At, earliest)
				}
				earliest = step.At.D()
			case step.After != nil:
				earliest += step.After.D()
			}
			if earliest > maxAt {
				rt.Fatalf("step %d fires at %v, after %v", i+1, earliest, maxAt)
			}
			switch f := step.Fault.(type) {
			case LoseAgent:
				lost[f.Agent] = true
			case CutStream, CallFaults:
				rt.Fatalf("step %d: a framework fault with no frameworks: %v", i+1, f)
			}
			if _, ok := step.When.(FrameworkSubscribed); ok {
				rt.Fatalf("step %d: a framework condition with no frameworks", i+1)
			}
		}
		if len(lost) >= len(agents) {
			rt.Fatalf("every agent lost:\n%s", s)
		}
	})
}

func TestGenTaskFault(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		f := GenTaskFault([]string{"web-1", "web-2"}).Draw(rt, "fault")
		if _, err := MarshalFault(f); err != nil {
			rt.Fatal(err)
		}
	})
}
