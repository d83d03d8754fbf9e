package agent

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/msg"
)

func TestKillUnknown(t *testing.T) {
	for _, tc := range []struct {
		name string
		caps []mesospb.FrameworkInfo_Capability_Type
		fw   string
		want []upd
	}{
		{name: "unknown framework ignored", fw: "F9"},
		{name: "unknown task", fw: "F1",
			want: []upd{{State: lost, Source: srcAgent, Reason: "REASON_EXECUTOR_TERMINATED", Message: "Cannot find executor"}}},
		{name: "unknown task partition aware", fw: "F1", caps: []mesospb.FrameworkInfo_Capability_Type{mesospb.FrameworkInfo_Capability_PARTITION_AWARE},
			want: []upd{{State: dropped, Source: srcAgent, Reason: "REASON_EXECUTOR_TERMINATED", Message: "Cannot find executor"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, a, adv := started(t, Config{Name: "agent-1"})
			m.autoAck = true
			m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1", tc.caps...), Task: cmdTask("t1", "./serve", "")})
			adv(0)
			from := len(m.got)
			m.send("agent-1", &msg.KillTask{FrameworkID: tc.fw, TaskID: "nope"})
			adv(time.Minute)
			if diff := cmp.Diff(tc.want, describe(m.updates(from))); diff != "" {
				t.Errorf("updates (-want +got):\n%s", diff)
			}
			if len(a.Tasks()) != 1 || len(a.PendingUpdates()) != 0 {
				t.Errorf("tasks %v pending %v", a.Tasks(), a.PendingUpdates())
			}
		})
	}
}

func groupMsg(fw *mesospb.FrameworkInfo, exID string, behaviors ...string) *msg.RunTaskGroup {
	g := &mesospb.TaskGroupInfo{}
	for i, b := range behaviors {
		ti := cmdTask(exID+"-"+string(rune('a'+i)), "./serve", b)
		g.Tasks = append(g.Tasks, ti)
	}
	return &msg.RunTaskGroup{Framework: fw, TaskGroup: g, Executor: &mesospb.ExecutorInfo{
		Type:       mesospb.ExecutorInfo_DEFAULT.Enum(),
		ExecutorId: &mesospb.ExecutorID{Value: proto.String(exID)},
		Resources:  mustParseRes("cpus:0.1;mem:32;disk:10"),
	}}
}

type taskUpd struct {
	Task  string
	State mesospb.TaskState
	Msg   string
}

func taskUpdates(us []*msg.StatusUpdate) []taskUpd {
	var out []taskUpd
	for _, u := range us {
		out = append(out, taskUpd{u.Status.GetTaskId().GetValue(), u.Status.GetState(), u.Status.GetMessage()})
	}
	return out
}

func TestTaskGroup(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:8;mem:2048"})
	m.autoAck = true
	m.send("agent-1", groupMsg(fwInfo("F1"), "E1", "", "run=10s exit=2", ""))
	adv(0)
	if got, want := a.Used().String(), "cpus:3.1; mem:416; disk:10"; got != want {
		t.Errorf("used %s, want %s (tasks + default executor)", got, want)
	}
	from := len(m.got)
	adv(time.Minute)
	want := []taskUpd{
		{"E1-b", failed, "Command exited with status 2"},
		{"E1-a", killed, "Command terminated with signal Terminated"},
		{"E1-c", killed, "Command terminated with signal Terminated"},
	}
	if diff := cmp.Diff(want, taskUpdates(m.updates(from))); diff != "" {
		t.Errorf("group updates (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"StatusUpdateMessage", "StatusUpdateMessage", "StatusUpdateMessage", "ExitedExecutorMessage"}, m.kinds(from)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if !a.Used().IsEmpty() || len(a.Executors()) != 0 {
		t.Errorf("used %v executors %v", a.Used(), a.Executors())
	}
}

func TestTaskGroupKillDuringLaunch(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:8;mem:2048"})
	m.autoAck = true
	m.send("agent-1", groupMsg(fwInfo("F1"), "E1", "start-delay=5s", ""))
	adv(time.Second)
	from := len(m.got)
	m.send("agent-1", &msg.KillTask{FrameworkID: "F1", TaskID: "E1-b"})
	adv(time.Minute)
	msgText := "A task within the task group was killed before delivery to the executor"
	want := []taskUpd{{"E1-a", killed, msgText}, {"E1-b", killed, msgText}}
	if diff := cmp.Diff(want, taskUpdates(m.updates(from))); diff != "" {
		t.Errorf("updates (-want +got):\n%s", diff)
	}
	if !a.Used().IsEmpty() {
		t.Errorf("used %v", a.Used())
	}
}

func customTask(id, exID, behavior string) *mesospb.TaskInfo {
	ti := cmdTask(id, "", behavior)
	ti.Command = nil
	ti.Executor = &mesospb.ExecutorInfo{
		ExecutorId: &mesospb.ExecutorID{Value: proto.String(exID)},
		Command:    &mesospb.CommandInfo{Value: proto.String("./my-executor")},
		Resources:  mustParseRes("cpus:0.5;mem:64"),
	}
	return ti
}

func TestCustomExecutor(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:4;mem:1024"})
	m.autoAck = true
	fw := fwInfo("F1")
	m.send("agent-1", &msg.RunTask{Framework: fw, Task: customTask("t1", "E", "run=10s")})
	m.send("agent-1", &msg.RunTask{Framework: fw, Task: customTask("t2", "E", "echo")})
	adv(0)
	if got, want := a.Used().String(), "cpus:2.5; mem:320"; got != want {
		t.Errorf("used %s, want %s (executor counted once)", got, want)
	}
	// Framework messages both ways.
	from := len(m.got)
	m.send("agent-1", &msg.FrameworkToExecutor{AgentID: a.ID(), FrameworkID: "F1", ExecutorID: "E", Data: []byte("hi")})
	adv(0)
	if err := a.SendFrameworkMessage("F1", "E", []byte("status")); err != nil {
		t.Fatal(err)
	}
	if err := a.SendFrameworkMessage("F1", "nope", nil); err == nil {
		t.Error("SendFrameworkMessage to an unknown executor: no error")
	}
	adv(0)
	var data []string
	for _, x := range m.got[from:] {
		data = append(data, string(x.Body.(*msg.ExecutorToFramework).Data))
	}
	if diff := cmp.Diff([]string{"hi", "status"}, data); diff != "" {
		t.Errorf("framework messages (-want +got):\n%s", diff)
	}
	// The executor outlives its tasks.
	adv(time.Minute)
	m.send("agent-1", &msg.KillTask{FrameworkID: "F1", TaskID: "t2"})
	adv(0)
	if got, want := a.Used().String(), "cpus:0.5; mem:64"; got != want {
		t.Errorf("used %s, want %s (the custom executor stays)", got, want)
	}
	if diff := cmp.Diff([]Executor{{FrameworkID: "F1", ExecutorID: "E", Kind: "custom"}}, a.Executors()); diff != "" {
		t.Errorf("executors (-want +got):\n%s", diff)
	}
	from = len(m.got)
	m.send("agent-1", &msg.ShutdownExecutor{FrameworkID: "F1", ExecutorID: "E"})
	adv(0)
	if diff := cmp.Diff([]string{"ExitedExecutorMessage"}, m.kinds(from)); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if !a.Used().IsEmpty() || len(a.Executors()) != 0 {
		t.Errorf("used %v executors %v", a.Used(), a.Executors())
	}
}

func TestShutdownExecutors(t *testing.T) {
	for _, viaFramework := range []bool{false, true} {
		t.Run(map[bool]string{false: "ShutdownExecutor", true: "ShutdownFramework"}[viaFramework], func(t *testing.T) {
			m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:8;mem:2048"})
			m.autoAck = true
			fw := fwInfo("F1", mesospb.FrameworkInfo_Capability_TASK_KILLING_STATE)
			m.send("agent-1", &msg.RunTask{Framework: fw, Task: cmdTask("a", "./serve", "")})
			m.send("agent-1", &msg.RunTask{Framework: fw, Task: cmdTask("b", "./serve", "ignore-term")})
			m.send("agent-1", &msg.RunTask{Framework: fw, Task: cmdTask("c", "./serve", "hang-on-kill")})
			m.send("agent-1", &msg.RunTask{Framework: fw, Task: cmdTask("d", "./serve", "start-delay=1m")})
			m.send("agent-1", &msg.RunTask{Framework: fwInfo("F2"), Task: cmdTask("x", "./serve", "")})
			adv(0)
			from := len(m.got)
			if viaFramework {
				m.send("agent-1", &msg.ShutdownFramework{FrameworkID: "F1"})
			} else {
				for _, e := range []string{"a", "b", "c", "d"} {
					m.send("agent-1", &msg.ShutdownExecutor{FrameworkID: "F1", ExecutorID: e})
				}
			}
			adv(time.Minute)
			want := []taskUpd{
				// Each stream's next update waits for the acknowledgement of its head.
				{"a", killing, ""},
				{"b", killing, ""},
				{"c", killing, ""},
				{"d", killed, "Killed before delivery to the executor"},
				{"a", killed, "Command terminated with signal Terminated"},
				{"b", killed, "Command terminated with signal Killed"},
				{"c", failed, "Executor terminated"},
			}
			if viaFramework {
				// Slave::statusUpdate: updates of a terminating framework
				// are dropped; the master reports the tasks itself.
				want = nil
			}
			if diff := cmp.Diff(want, taskUpdates(m.updates(from))); diff != "" {
				t.Errorf("updates (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]Task{{FrameworkID: "F2", TaskID: "x", ExecutorID: "x", State: running, Resources: a.Tasks()[0].Resources}}, a.Tasks()); diff != "" {
				t.Errorf("tasks (-want +got):\n%s", diff)
			}
			if got := a.Used().CPUs(); got != 1 {
				t.Errorf("used cpus %v, want 1", got)
			}
			if n := len(a.PendingUpdates()); n != 0 {
				t.Errorf("%d pending updates", n)
			}
			// A terminating framework's kills and launches are ignored.
			if viaFramework {
				n := len(m.got)
				m.send("agent-1", &msg.KillTask{FrameworkID: "F1", TaskID: "zzz"})
				adv(0)
				if len(m.got) != n {
					t.Errorf("kill for a shut down framework answered: %v", m.kinds(n))
				}
			}
		})
	}
}

func TestShutdownAgent(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:8;mem:2048"})
	m.autoAck = true
	m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask("a", "./serve", "hang-on-kill")})
	adv(0)
	m.send("agent-1", &msg.ShutdownAgent{Message: "Agent has been marked gone"})
	adv(time.Minute)
	if a.Registered() || len(a.Tasks()) != 0 || !a.Used().IsEmpty() {
		t.Errorf("after shutdown: registered %v tasks %v used %v", a.Registered(), a.Tasks(), a.Used())
	}
	a.Restart(false)
	adv(0)
	if a.ID() != "M-S1" {
		t.Errorf("restarted as %q, want a new id", a.ID())
	}
}

func TestOverCommitPanics(t *testing.T) {
	m, _, adv := started(t, Config{Name: "agent-1", Resources: "cpus:1;mem:1024"})
	m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask("a", "./serve", "")})
	adv(0)
	m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask("b", "./serve", "")})
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "over-commit") {
			t.Fatalf("recovered %v, want an over-commit panic", r)
		}
	}()
	adv(0)
}

func TestBehaviorRules(t *testing.T) {
	rules := []Rule{
		{Match: func(ti *mesospb.TaskInfo) bool { return strings.HasPrefix(ti.GetName(), "batch") }, Behavior: Behavior{Exits: true, Run: 5 * time.Second}},
		{Match: func(*mesospb.TaskInfo) bool { return true }, Behavior: Behavior{FailToStart: true}},
	}
	m, _, adv := started(t, Config{Name: "agent-1", Resources: "cpus:8", Behaviors: rules})
	m.autoAck = true
	from := len(m.got)
	m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask("batch-1", "./serve", "")})
	m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask("web-1", "./serve", "")})
	m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask("web-2", "./serve", "run=1s exit=4")}) // the label wins
	adv(time.Minute)
	want := []taskUpd{
		{"batch-1", starting, ""},
		{"web-1", failed, "Failed to launch container: simulated launch failure (mesos-sim.behavior fail-to-start)"},
		{"web-2", starting, ""},
		{"batch-1", running, ""},
		{"web-2", running, ""},
		{"web-2", failed, "Command exited with status 4"},
		{"batch-1", finished, "Command exited with status 0"},
	}
	if diff := cmp.Diff(want, taskUpdates(m.updates(from))); diff != "" {
		t.Errorf("updates (-want +got):\n%s", diff)
	}
}

func TestParseBehavior(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Behavior
		err  string
	}{
		{in: "", want: Behavior{}},
		{in: "run=30s exit=1", want: Behavior{Exits: true, Run: 30 * time.Second, ExitCode: 1}},
		{in: "run=2.5", want: Behavior{Exits: true, Run: 2500 * time.Millisecond}},
		{in: "start-delay=2s ignore-term hang-on-kill fail-to-start", want: Behavior{StartDelay: 2 * time.Second, IgnoreTerm: true, HangOnKill: true, FailToStart: true}},
		{in: "crash-executor=1m unhealthy-after=20s", want: Behavior{CrashExecutor: time.Minute, UnhealthyAfter: 20 * time.Second}},
		{in: "exit=256", err: "out of range"},
		{in: "run", err: `"run" needs a value`},
		{in: "ignore-term=1", err: "takes no value"},
		{in: "explode", err: `unknown word "explode"`},
		{in: "run=-1s", err: "negative"},
	} {
		got, err := ParseBehavior(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseBehavior(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseBehavior(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b func([]byte) []byte) bool { return (a == nil) == (b == nil) })); diff != "" {
			t.Errorf("ParseBehavior(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestGroupKillTask(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:8;mem:2048"})
	m.autoAck = true
	m.send("agent-1", groupMsg(fwInfo("F1", mesospb.FrameworkInfo_Capability_TASK_KILLING_STATE), "E1", "", "ignore-term"))
	adv(0)
	from := len(m.got)
	m.send("agent-1", &msg.KillTask{FrameworkID: "F1", TaskID: "E1-a"})
	adv(time.Minute)
	want := []taskUpd{
		{"E1-a", killing, ""},
		{"E1-b", killing, ""}, // the default executor kills the rest of the group
		{"E1-a", killed, "Command terminated with signal Terminated"},
		{"E1-b", killed, "Command terminated with signal Killed"},
	}
	if diff := cmp.Diff(want, taskUpdates(m.updates(from))); diff != "" {
		t.Errorf("updates (-want +got):\n%s", diff)
	}
	if !a.Used().IsEmpty() || len(a.Executors()) != 0 {
		t.Errorf("used %v executors %v", a.Used(), a.Executors())
	}
}

func TestCustomExecutorCrash(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:8;mem:2048"})
	m.autoAck = true
	fw := fwInfo("F1")
	m.send("agent-1", &msg.RunTask{Framework: fw, Task: customTask("t1", "E", "crash-executor=10s")})
	m.send("agent-1", &msg.RunTask{Framework: fw, Task: customTask("t2", "E", "")})
	adv(5 * time.Second)
	from := len(m.got)
	adv(10 * time.Second)
	want := []taskUpd{{"t1", failed, "Executor terminated"}, {"t2", failed, "Executor terminated"}}
	if diff := cmp.Diff(want, taskUpdates(m.updates(from))); diff != "" {
		t.Errorf("updates (-want +got):\n%s", diff)
	}
	var exited []*msg.ExitedExecutor
	for _, x := range m.got[from:] {
		if e, ok := x.Body.(*msg.ExitedExecutor); ok {
			exited = append(exited, e)
		}
	}
	if diff := cmp.Diff([]*msg.ExitedExecutor{{AgentID: "M-S0", FrameworkID: "F1", ExecutorID: "E", Status: 256}}, exited); diff != "" {
		t.Errorf("ExitedExecutor (-want +got):\n%s", diff)
	}
	if !a.Used().IsEmpty() || len(a.Executors()) != 0 {
		t.Errorf("used %v executors %v", a.Used(), a.Executors())
	}
	// The executor id can be used again.
	m.send("agent-1", &msg.RunTask{Framework: fw, Task: customTask("t3", "E", "")})
	adv(0)
	if got := a.Used().CPUs(); got != 1.5 {
		t.Errorf("used cpus %v, want 1.5", got)
	}
}

func TestLaunchOnTerminatingExecutor(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:8;mem:2048"})
	m.autoAck = true
	fw := fwInfo("F1", mesospb.FrameworkInfo_Capability_PARTITION_AWARE)
	m.send("agent-1", &msg.RunTask{Framework: fw, Task: customTask("t1", "E", "hang-on-kill")})
	adv(0)
	m.send("agent-1", &msg.ShutdownExecutor{FrameworkID: "F1", ExecutorID: "E"})
	m.send("agent-1", &msg.RunTask{Framework: fw, Task: customTask("t2", "E", "")})
	from := len(m.got)
	adv(0)
	want := []taskUpd{{"t2", dropped, "Executor terminating"}}
	if diff := cmp.Diff(want, taskUpdates(m.updates(from))); diff != "" {
		t.Errorf("updates (-want +got):\n%s", diff)
	}
	adv(time.Minute)
	if !a.Used().IsEmpty() || len(a.Tasks()) != 0 {
		t.Errorf("used %v tasks %v", a.Used(), a.Tasks())
	}
}
