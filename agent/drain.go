package agent

import (
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/msg"
)

// Draining (Slave::drain, Mesos 1.9+): the master's DrainAgent message
// makes the agent kill every task, capping kill grace periods at the
// drain's max_grace_period; while it drains, KILLING and KILLED updates
// carry REASON_AGENT_DRAINING (TASK_GONE_BY_OPERATOR instead of
// TASK_KILLED for partition-aware frameworks when the drain marks the
// agent gone), and new tasks are dropped. The drain ends once the agent
// runs no framework any more: every executor gone and every update
// acknowledged.

// drain starts draining with cfg (a new drain replaces the previous one).
func (a *Agent) drain(cfg *mesospb.DrainConfig) {
	if len(a.frameworks) == 0 {
		a.tracef("drain: no frameworks, tasks or operations; draining is already complete")
		return
	}
	a.drainConfig = cfg
	a.tracef("draining (max grace period %v, mark gone %v)", cfg.GetMaxGracePeriod().GetNanoseconds(), cfg.GetMarkGone())
	for _, fw := range a.sortedFrameworks() {
		for _, ex := range fw.sortedExecutors() {
			for _, t := range ex.live() {
				a.kill(t, drainKillPolicy(cfg, t.info.GetKillPolicy()))
			}
		}
	}
}

// drainKillPolicy is the kill policy a drain imposes on a task with the
// given policy: max_grace_period when the task has no grace period or a
// longer one; nil (the task's own) otherwise or without a maximum.
func drainKillPolicy(cfg *mesospb.DrainConfig, own *mesospb.KillPolicy) *mesospb.KillPolicy {
	maxGrace := cfg.GetMaxGracePeriod()
	if maxGrace == nil {
		return nil
	}
	if own.GetGracePeriod() == nil || maxGrace.GetNanoseconds() < own.GetGracePeriod().GetNanoseconds() {
		return &mesospb.KillPolicy{GracePeriod: &mesospb.DurationInfo{Nanoseconds: proto.Int64(maxGrace.GetNanoseconds())}}
	}
	return nil
}

// draining reports whether a drain is in progress; a drain whose agent
// runs no framework any more is over (Slave::updateDrainStatus).
func (a *Agent) draining() bool {
	if a.drainConfig != nil && len(a.frameworks) == 0 {
		a.tracef("finished draining")
		a.drainConfig = nil
	}
	return a.drainConfig != nil
}

// drainUpdate marks an update made while draining
// (Slave::statusUpdate): KILLING and KILLED get REASON_AGENT_DRAINING, and
// with mark_gone a partition-aware framework's TASK_KILLED becomes
// TASK_GONE_BY_OPERATOR.
func (a *Agent) drainUpdate(t *task, s *mesospb.TaskStatus) {
	if a.drainConfig == nil {
		return
	}
	switch s.GetState() {
	case mesospb.TaskState_TASK_KILLING, mesospb.TaskState_TASK_KILLED:
		s.Reason = mesospb.TaskStatus_REASON_AGENT_DRAINING.Enum()
		if s.GetState() == mesospb.TaskState_TASK_KILLED && a.drainConfig.GetMarkGone() &&
			t.fw.has(mesospb.FrameworkInfo_Capability_PARTITION_AWARE) {
			s.State = mesospb.TaskState_TASK_GONE_BY_OPERATOR.Enum()
		}
	}
}

// dropWhileDraining refuses a launch on a draining agent (Slave::run):
// each task gets TASK_DROPPED (TASK_LOST for frameworks that are not
// partition-aware) with REASON_AGENT_DRAINING, and the master hears that a
// new executor it expects exited. It reports whether the launch was
// refused.
func (a *Agent) dropWhileDraining(fw *framework, ei *mesospb.ExecutorInfo, kind execKind, tis []*mesospb.TaskInfo) bool {
	if !a.draining() {
		return false
	}
	exID := ei.GetExecutorId().GetValue()
	old := fw.executors[exID]
	ex := &executor{id: exID, fw: fw, kind: kind, info: ei, state: exTerminated}
	for _, ti := range tis {
		t := &task{fwID: fw.id, id: ti.GetTaskId().GetValue(), info: ti, fw: fw, ex: ex, state: stateNone}
		a.tasks[key{fw.id, t.id}] = t
		a.terminate(t, a.status(t, lostOrDropped(fw), mesospb.TaskStatus_SOURCE_AGENT,
			mesospb.TaskStatus_REASON_AGENT_DRAINING, "Task was received while agent was already draining"), false)
	}
	if (old == nil || old.state == exTerminated) && kind != kindCommand && a.id != "" {
		a.send(&msg.ExitedExecutor{AgentID: a.id, FrameworkID: fw.id, ExecutorID: exID})
	}
	return true
}

// Draining reports whether the agent is draining.
func (a *Agent) Draining() bool { return a.draining() }
