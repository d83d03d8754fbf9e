package agent

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/msg"
)

func drainConfig(maxGrace time.Duration, markGone bool) *mesospb.DrainConfig {
	c := &mesospb.DrainConfig{MarkGone: proto.Bool(markGone)}
	if maxGrace >= 0 {
		c.MaxGracePeriod = &mesospb.DurationInfo{Nanoseconds: proto.Int64(int64(maxGrace))}
	}
	return c
}

func TestDrain(t *testing.T) {
	const draining = "REASON_AGENT_DRAINING"
	pa := mesospb.FrameworkInfo_Capability_PARTITION_AWARE
	for _, tc := range []struct {
		name     string
		caps     []mesospb.FrameworkInfo_Capability_Type
		behavior string
		policy   time.Duration // the task's kill grace period; 0: none
		cfg      *mesospb.DrainConfig
		want     []upd
		wantAt   time.Duration // of the last update
	}{
		{name: "kill", cfg: drainConfig(-1, false),
			want: []upd{{State: killed, Source: srcEx, Reason: draining, Message: "Command terminated with signal Terminated"}}},
		{name: "mark gone, partition-aware", caps: []mesospb.FrameworkInfo_Capability_Type{pa}, cfg: drainConfig(-1, true),
			want: []upd{{State: mesospb.TaskState_TASK_GONE_BY_OPERATOR, Source: srcEx, Reason: draining, Message: "Command terminated with signal Terminated"}}},
		{name: "mark gone, not partition-aware", cfg: drainConfig(-1, true),
			want: []upd{{State: killed, Source: srcEx, Reason: draining, Message: "Command terminated with signal Terminated"}}},
		{name: "max grace period caps the task's", behavior: "ignore-term", cfg: drainConfig(2*time.Second, false),
			want: []upd{{State: killed, Source: srcEx, Reason: draining, Message: "Command terminated with signal Killed"}}, wantAt: 2 * time.Second},
		{name: "the task's shorter grace period stays", behavior: "ignore-term", policy: 5 * time.Second, cfg: drainConfig(time.Hour, false),
			want: []upd{{State: killed, Source: srcEx, Reason: draining, Message: "Command terminated with signal Killed"}}, wantAt: 5 * time.Second},
		{name: "a task without a grace period gets the maximum", behavior: "ignore-term", cfg: drainConfig(40*time.Second, false),
			want: []upd{{State: killed, Source: srcEx, Reason: draining, Message: "Command terminated with signal Killed"}}, wantAt: 40 * time.Second},
		{name: "no maximum: the default 3 s", behavior: "ignore-term", cfg: drainConfig(-1, false),
			want: []upd{{State: killed, Source: srcEx, Reason: draining, Message: "Command terminated with signal Killed"}}, wantAt: 3 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, a, adv := started(t, Config{Name: "agent-1"})
			m.autoAck = true
			task := cmdTask("t1", "./serve", tc.behavior)
			if tc.policy > 0 {
				task.KillPolicy = &mesospb.KillPolicy{GracePeriod: &mesospb.DurationInfo{Nanoseconds: proto.Int64(int64(tc.policy))}}
			}
			m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1", tc.caps...), Task: task})
			adv(0)
			from := len(m.got)
			m.send("agent-1", &msg.DrainAgent{Config: tc.cfg})
			adv(time.Minute)
			us := m.updates(from)
			if diff := cmp.Diff(tc.want, describe(us)); diff != "" {
				t.Errorf("updates (-want +got):\n%s", diff)
			}
			if at := m.statusTimes(from); len(at) > 0 && at[len(at)-1] != tc.wantAt {
				t.Errorf("last update at %v, want %v", at[len(at)-1], tc.wantAt)
			}
			// Every update acknowledged: the drain is over and tasks run
			// again.
			if a.Draining() {
				t.Errorf("still draining after the last acknowledgement")
			}
			from = len(m.got)
			m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1", tc.caps...), Task: cmdTask("t2", "./serve", "")})
			adv(0)
			if diff := cmp.Diff([]upd{upStarting, upRunning}, describe(m.updates(from))); diff != "" {
				t.Errorf("launch after the drain (-want +got):\n%s", diff)
			}
		})
	}
}

// While a drain waits for acknowledgements, new tasks are dropped.
func TestDrainDropsLaunches(t *testing.T) {
	for _, tc := range []struct {
		name string
		caps []mesospb.FrameworkInfo_Capability_Type
		want mesospb.TaskState
	}{
		{"not partition-aware", nil, lost},
		{"partition-aware", []mesospb.FrameworkInfo_Capability_Type{mesospb.FrameworkInfo_Capability_PARTITION_AWARE}, dropped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, a, adv := started(t, Config{Name: "agent-1"})
			m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1", tc.caps...), Task: cmdTask("t1", "./serve", "")})
			adv(0)
			m.send("agent-1", &msg.DrainAgent{Config: drainConfig(-1, false)})
			adv(0)
			if !a.Draining() {
				t.Fatal("not draining")
			}
			from := len(m.got)
			m.send("agent-1", &msg.RunTask{Framework: fwInfo("F1", tc.caps...), Task: cmdTask("t2", "./serve", "")})
			adv(0)
			want := []upd{{State: tc.want, Source: srcAgent, Reason: "REASON_AGENT_DRAINING", Message: "Task was received while agent was already draining"}}
			if diff := cmp.Diff(want, describe(m.updates(from))); diff != "" {
				t.Errorf("launch while draining (-want +got):\n%s", diff)
			}
		})
	}
}

// An agent with nothing to drain is drained at once.
func TestDrainIdleAgent(t *testing.T) {
	_, a, _ := started(t, Config{Name: "agent-1"})
	a.Receive(msg.Envelope(msg.MasterEndpoint, "agent-1", &msg.DrainAgent{Config: drainConfig(-1, false)}))
	if a.Draining() {
		t.Error("an idle agent is draining")
	}
}
