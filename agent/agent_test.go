package agent

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/msg"
)

const (
	starting = mesospb.TaskState_TASK_STARTING
	running  = mesospb.TaskState_TASK_RUNNING
	killing  = mesospb.TaskState_TASK_KILLING
	finished = mesospb.TaskState_TASK_FINISHED
	failed   = mesospb.TaskState_TASK_FAILED
	killed   = mesospb.TaskState_TASK_KILLED
	lost     = mesospb.TaskState_TASK_LOST
	dropped  = mesospb.TaskState_TASK_DROPPED
	srcEx    = mesospb.TaskStatus_SOURCE_EXECUTOR
	srcAgent = mesospb.TaskStatus_SOURCE_AGENT
)

var (
	upStarting = upd{State: starting, Source: srcEx}
	upRunning  = upd{State: running, Source: srcEx}
	upKilling  = upd{State: killing, Source: srcEx}
	upTerm     = upd{State: killed, Source: srcEx, Message: "Command terminated with signal Terminated"}
	upSigkill  = upd{State: killed, Source: srcEx, Message: "Command terminated with signal Killed"}
)

func started(t *testing.T, cfg Config) (*fakeMaster, *Agent, func(time.Duration)) {
	t.Helper()
	l, m, as := newWorld(t, cfg)
	a := as[0]
	a.Start()
	settle(t, l)
	if a.ID() != "M-S0" {
		t.Fatalf("agent id %q, want M-S0", a.ID())
	}
	return m, a, func(d time.Duration) { t.Helper(); advance(t, l, d) }
}

func TestTaskLifecycle(t *testing.T) {
	healthCheck := &mesospb.HealthCheck{Type: mesospb.HealthCheck_COMMAND.Enum(), Command: &mesospb.CommandInfo{Value: proto.String("true")}}
	grace := func(d time.Duration) *mesospb.KillPolicy {
		return &mesospb.KillPolicy{GracePeriod: &mesospb.DurationInfo{Nanoseconds: proto.Int64(int64(d))}}
	}
	for _, tc := range []struct {
		name     string
		command  string
		behavior string
		health   bool
		caps     []mesospb.FrameworkInfo_Capability_Type
		policy   *mesospb.KillPolicy
		mct      time.Duration // max_completion_time
		killAt   time.Duration // < 0: no kill
		run      time.Duration
		want     []upd
		wantAt   []time.Duration // virtual time of each update, if given
	}{
		{name: "sleep finishes", command: "sleep 30", killAt: -1, run: time.Minute,
			want:   []upd{upStarting, upRunning, {State: finished, Source: srcEx, Message: "Command exited with status 0"}},
			wantAt: []time.Duration{0, 0, 30 * time.Second}},
		{name: "true finishes at once", command: "true", killAt: -1, run: time.Second,
			want:   []upd{upStarting, upRunning, {State: finished, Source: srcEx, Message: "Command exited with status 0"}},
			wantAt: []time.Duration{0, 0, 0}},
		{name: "echo finishes at once", command: "/bin/echo hello", killAt: -1, run: time.Second,
			want:   []upd{upStarting, upRunning, {State: finished, Source: srcEx, Message: "Command exited with status 0"}},
			wantAt: []time.Duration{0, 0, 0}},
		{name: "exit 0", command: "exit 0", killAt: -1, run: time.Second,
			want: []upd{upStarting, upRunning, {State: finished, Source: srcEx, Message: "Command exited with status 0"}}},
		{name: "exit 3 fails", command: "exit 3", killAt: -1, run: time.Second,
			want: []upd{upStarting, upRunning, {State: failed, Source: srcEx, Message: "Command exited with status 3"}}},
		{name: "false fails", command: "false", killAt: -1, run: time.Second,
			want: []upd{upStarting, upRunning, {State: failed, Source: srcEx, Message: "Command exited with status 1"}}},
		{name: "service runs until killed", command: "./serve", killAt: -1, run: time.Hour,
			want: []upd{upStarting, upRunning}},
		{name: "label run exit", command: "./serve", behavior: "run=30s exit=1", killAt: -1, run: time.Minute,
			want:   []upd{upStarting, upRunning, {State: failed, Source: srcEx, Message: "Command exited with status 1"}},
			wantAt: []time.Duration{0, 0, 30 * time.Second}},
		{name: "kill", command: "./serve", killAt: 5 * time.Second, run: time.Minute,
			want: []upd{upStarting, upRunning, upTerm}},
		{name: "kill with TASK_KILLING_STATE", command: "./serve", killAt: 5 * time.Second, run: time.Minute,
			caps: []mesospb.FrameworkInfo_Capability_Type{mesospb.FrameworkInfo_Capability_TASK_KILLING_STATE},
			want: []upd{upStarting, upRunning, upKilling, upTerm}},
		{name: "ignore-term dies after default grace", command: "./serve", behavior: "ignore-term", killAt: 5 * time.Second, run: time.Minute,
			want: []upd{upStarting, upRunning, upSigkill}, wantAt: []time.Duration{0, 0, 8 * time.Second}},
		{name: "ignore-term with task kill policy", command: "./serve", behavior: "ignore-term", killAt: 5 * time.Second, run: time.Minute,
			policy: grace(10 * time.Second),
			want:   []upd{upStarting, upRunning, upSigkill}, wantAt: []time.Duration{0, 0, 15 * time.Second}},
		{name: "max_completion_time", command: "sleep 100", mct: 20 * time.Second, killAt: -1, run: time.Minute,
			want:   []upd{upStarting, upRunning, {State: failed, Source: srcEx, Reason: "REASON_MAX_COMPLETION_TIME_REACHED", Message: "Command terminated with signal Terminated"}},
			wantAt: []time.Duration{0, 0, 20 * time.Second}},
		{name: "max_completion_time ignore-term", command: "./serve", behavior: "ignore-term", mct: 20 * time.Second, killAt: -1, run: time.Minute,
			caps: []mesospb.FrameworkInfo_Capability_Type{mesospb.FrameworkInfo_Capability_TASK_KILLING_STATE},
			want: []upd{upStarting, upRunning, upKilling, {State: failed, Source: srcEx, Reason: "REASON_MAX_COMPLETION_TIME_REACHED", Message: "Command terminated with signal Killed"}}},
		{name: "kill policy of the KillTask wins", command: "./serve", behavior: "ignore-term", killAt: 5 * time.Second, run: time.Minute,
			policy: grace(10 * time.Second),
			want:   []upd{upStarting, upRunning, upSigkill}, wantAt: []time.Duration{0, 0, 6 * time.Second}},
		{name: "hang-on-kill", command: "./serve", behavior: "hang-on-kill", killAt: 5 * time.Second, run: time.Hour,
			caps: []mesospb.FrameworkInfo_Capability_Type{mesospb.FrameworkInfo_Capability_TASK_KILLING_STATE},
			want: []upd{upStarting, upRunning, upKilling}},
		{name: "start-delay", command: "./serve", behavior: "start-delay=2s", killAt: -1, run: time.Minute,
			want: []upd{upStarting, upRunning}, wantAt: []time.Duration{2 * time.Second, 2 * time.Second}},
		{name: "kill during launch", command: "./serve", behavior: "start-delay=2s", killAt: time.Second, run: time.Minute,
			want: []upd{{State: killed, Source: srcAgent, Reason: "REASON_TASK_KILLED_DURING_LAUNCH", Message: "Killed before delivery to the executor"}}},
		{name: "fail-to-start", command: "./serve", behavior: "fail-to-start", killAt: -1, run: time.Minute,
			want: []upd{{State: failed, Source: srcAgent, Reason: "REASON_CONTAINER_LAUNCH_FAILED",
				Message: "Failed to launch container: simulated launch failure (mesos-sim.behavior fail-to-start)"}}},
		{name: "bad label", command: "./serve", behavior: "run=forever", killAt: -1, run: time.Minute,
			want: []upd{{State: failed, Source: srcAgent, Reason: "REASON_CONTAINER_LAUNCH_FAILED",
				Message: `Failed to launch container: mesos-sim.behavior "run=forever": bad duration "forever"`}}},
		{name: "crash-executor", command: "./serve", behavior: "crash-executor=10s", killAt: -1, run: time.Minute,
			want:   []upd{upStarting, upRunning, {State: failed, Source: srcAgent, Reason: "REASON_EXECUTOR_TERMINATED", Message: "Executor terminated"}},
			wantAt: []time.Duration{0, 0, 10 * time.Second}},
		{name: "healthy", command: "./serve", health: true, killAt: -1, run: time.Minute,
			want:   []upd{upStarting, upRunning, {State: running, Source: srcEx, Reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", Healthy: "true"}},
			wantAt: []time.Duration{0, 0, 15 * time.Second}},
		{name: "unhealthy-after kills", command: "./serve", behavior: "unhealthy-after=20s", health: true, killAt: -1, run: time.Minute,
			want: []upd{upStarting, upRunning,
				{State: running, Source: srcEx, Reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", Healthy: "true"},
				{State: running, Source: srcEx, Reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", Healthy: "false"},
				{State: running, Source: srcEx, Reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", Healthy: "false"},
				{State: running, Source: srcEx, Reason: "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED", Healthy: "false"},
				{State: killed, Source: srcEx, Message: "Command terminated with signal Terminated", Healthy: "false"}},
			wantAt: []time.Duration{0, 0, 15 * time.Second, 25 * time.Second, 35 * time.Second, 45 * time.Second, 45 * time.Second}},
		{name: "unhealthy from the start, grace period", command: "./serve", behavior: "unhealthy-after=0s", health: true, killAt: -1, run: time.Hour,
			want: []upd{upStarting, upRunning}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, a, adv := started(t, Config{Name: "agent-1", Resources: "cpus:4;mem:1024"})
			m.autoAck = true
			ti := cmdTask("t1", tc.command, tc.behavior)
			ti.KillPolicy = tc.policy
			if tc.mct > 0 {
				ti.MaxCompletionTime = &mesospb.DurationInfo{Nanoseconds: proto.Int64(int64(tc.mct))}
			}
			if tc.health {
				ti.HealthCheck = healthCheck
			}
			if strings.Contains(tc.name, "grace period") {
				ti.HealthCheck = proto.Clone(healthCheck).(*mesospb.HealthCheck)
				ti.HealthCheck.DelaySeconds = proto.Float64(1)
				ti.HealthCheck.GracePeriodSeconds = proto.Float64(3600)
			}
			from := len(m.got)
			m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1", tc.caps...), Task: ti})
			adv(0)
			if tc.killAt >= 0 {
				adv(tc.killAt)
				kt := &msg.KillTask{FrameworkID: "F1", TaskID: "t1"}
				if strings.HasPrefix(tc.name, "kill policy of the KillTask") {
					kt.KillPolicy = grace(time.Second)
				}
				m.send("agent-1", kt)
				adv(tc.run - tc.killAt)
			} else {
				adv(tc.run)
			}
			us := m.updates(from)
			if diff := cmp.Diff(tc.want, describe(us)); diff != "" {
				t.Errorf("updates (-want +got):\n%s", diff)
			}
			if tc.wantAt != nil {
				var at []time.Duration
				for i, x := range m.got[from:] {
					if _, ok := x.Body.(*msg.StatusUpdate); ok {
						at = append(at, m.at[from+i])
					}
				}
				if diff := cmp.Diff(tc.wantAt, at); diff != "" {
					t.Errorf("update times (-want +got):\n%s", diff)
				}
			}
			for _, u := range us {
				s := u.Status
				if len(s.GetUuid()) != 16 || s.GetAgentId().GetValue() != "M-S0" || s.GetExecutorId().GetValue() != "t1" || s.Timestamp == nil {
					t.Errorf("update %v lacks uuid/agent/executor/timestamp", s)
				}
			}
			last := tc.want[len(tc.want)-1].State
			if isTerminal(last) {
				if !a.Used().IsEmpty() {
					t.Errorf("used %v after terminal update, want nothing", a.Used())
				}
				if len(a.Tasks()) != 0 || len(a.PendingUpdates()) != 0 || len(a.Executors()) != 0 {
					t.Errorf("tasks %v pending %v executors %v after acknowledged terminal update", a.Tasks(), a.PendingUpdates(), a.Executors())
				}
			} else if got := a.Used().CPUs(); got != 1 {
				t.Errorf("used cpus %v, want 1", got)
			}
		})
	}
}

// TestStatusUpdateRetry: a framework that never acknowledges sees the head
// retried at 10, 30, 70, 150 s... up to the 10 min cap, and nothing behind it.
func TestStatusUpdateRetry(t *testing.T) {
	m, a, adv := started(t, Config{Name: "agent-1"})
	m.pingEvery("agent-1", 15*time.Second)
	from := len(m.got)
	m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1"), Task: cmdTask("t1", "true", "")})
	adv(0)
	adv(40 * time.Minute)
	var at []time.Duration
	for i, x := range m.got[from:] {
		u, ok := x.Body.(*msg.StatusUpdate)
		if !ok {
			continue
		}
		if u.Status.GetState() != starting || (i > 0 && u.LatestState.String() != "TASK_FINISHED") {
			t.Fatalf("update %d: %v latest %v, want the head TASK_STARTING with latest TASK_FINISHED", i, u.Status.GetState(), u.LatestState)
		}
		at = append(at, m.at[from+i])
	}
	s := time.Second
	want := []time.Duration{0, 10 * s, 30 * s, 70 * s, 150 * s, 310 * s, 630 * s, 1230 * s, 1830 * s}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Fatalf("retry times (-want +got):\n%s", diff)
	}
	if !a.Used().IsEmpty() {
		t.Errorf("used %v: a terminal task's resources are released when the executor reports it", a.Used())
	}
	if got := len(a.PendingUpdates()); got != 3 {
		t.Errorf("%d pending updates, want 3", got)
	}
	// Acknowledge the head: the next goes at once; a duplicate ack is ignored.
	head := m.updates(from)[0]
	n := len(m.got)
	m.ack("agent-1", head)
	m.ack("agent-1", head)
	adv(0)
	us := m.updates(n)
	if len(us) != 1 || us[0].Status.GetState() != running {
		t.Fatalf("after ack: %v, want TASK_RUNNING once", describe(us))
	}
	// UpdateFramework resends the head at once.
	n = len(m.got)
	m.send("agent-1", &msg.UpdateFramework{Framework: fwInfo("F1")})
	adv(0)
	if us := m.updates(n); len(us) != 1 || !proto.Equal(us[0].Status, m.updates(from)[len(m.updates(from))-2].Status) {
		t.Fatalf("after UpdateFramework: %v, want the RUNNING head again", describe(us))
	}
	// Unknown acks are ignored.
	m.send("agent-1", &msg.StatusUpdateAcknowledgement{FrameworkID: "F1", TaskID: "nope", UUID: []byte("x")})
	adv(0)
	if len(a.Tasks()) != 1 {
		t.Fatalf("tasks %v", a.Tasks())
	}
}

func TestRegistrationBackoff(t *testing.T) {
	l, m, as := newWorld(t, Config{Name: "agent-1"})
	m.noReg = true
	as[0].Start()
	advance(t, l, 10*time.Minute)
	var at []time.Duration
	for i, x := range m.got {
		if x.Kind != "RegisterSlaveMessage" {
			t.Fatalf("got %s", x.Kind)
		}
		at = append(at, m.at[i])
	}
	if len(at) < 10 {
		t.Fatalf("only %d registration attempts in 10 min: %v", len(at), at)
	}
	for i := 1; i < len(at); i++ {
		gap := at[i] - at[i-1]
		limit := min(RegistrationBackoffFactor<<i, RegisterRetryIntervalMax)
		if gap > limit {
			t.Errorf("attempt %d after %v > %v", i, gap, limit)
		}
	}
	reg := m.got[0].Body.(*msg.RegisterAgent)
	want := &mesospb.AgentInfo{Hostname: proto.String("agent-1"), Port: proto.Int32(5051), Resources: as[0].Total().ToProto()}
	if diff := cmp.Diff(want, reg.Info, protocmp.Transform()); diff != "" {
		t.Errorf("AgentInfo (-want +got):\n%s", diff)
	}
	m.noReg = false
	n := len(m.got)
	advance(t, l, 61*time.Second)
	if !as[0].Registered() || len(m.got)-n != 1 {
		t.Errorf("registered=%v after %d more attempts", as[0].Registered(), len(m.got)-n)
	}
}
