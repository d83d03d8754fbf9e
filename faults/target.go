package faults

import (
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Target is the cluster faults act on. Its methods run on the loop goroutine.
type Target interface {
	// Loop returns the cluster's event loop: its virtual clock times the
	// steps of a schedule, its "faults" random stream drives probabilistic
	// faults, and its trace records every fault applied.
	Loop() *loop.Loop
	// Network returns the simulated network between master and agents, on
	// which network faults install their filters.
	Network() *simnet.Network
	// AgentNames returns the agents' endpoint names ("agent-1", "agent-2",
	// ...) in order, whether the agents are running or not.
	AgentNames() []string
	// CrashAgent kills the agent process: its executors and tasks die with
	// it, and the master sees the connection break.
	CrashAgent(name string) error
	// RestartAgent starts the agent again. With recover it recovers its
	// checkpointed state and comes back with the same agent id and the
	// tasks it ran; without, its work directory is lost and it registers as
	// a new agent with a new id.
	RestartAgent(name string, recover bool) error
	// MarkAgentGone is the operator's MARK_AGENT_GONE call for the agent.
	MarkAgentGone(name string) error
	// FailoverMaster replaces the leading master with a new one: every
	// framework's event stream ends and the agents re-register. For
	// election, no master leads before the new one does.
	FailoverMaster(election time.Duration) error
	// CutStream ends the SUBSCRIBE event stream of the framework, given by
	// id or name; the framework must subscribe again.
	CutStream(framework string) error
	// SetCallFault sets the faults on the HTTP calls of the framework, given
	// by id or name; the zero CallFault clears them.
	SetCallFault(framework string, f CallFault) error
	// TaskFault acts on a running task.
	TaskFault(taskID string, kind TaskFaultKind) error
	// Tasks returns every task the master knows, sorted by id.
	Tasks() []TaskView
	// Frameworks returns every framework the master knows, sorted by id.
	Frameworks() []FrameworkView
}

// CallFault describes the faults on one framework's HTTP calls.
type CallFault struct {
	// DropAnswer is the probability that the answer to a call is lost
	// after the call was processed: the framework sees a failed request
	// although the master acted on it.
	DropAnswer float64
	// Delay delays every call before the master processes it.
	Delay time.Duration
}

// TaskFaultKind says what a task fault does to a running task.
type TaskFaultKind string

// The task faults.
const (
	// TaskFail makes the task exit with status 1: TASK_FAILED.
	TaskFail TaskFaultKind = "fail"
	// TaskCrashExecutor makes the task's executor crash.
	TaskCrashExecutor TaskFaultKind = "crash-executor"
	// TaskHangOnKill makes the task ignore kills: it never reaches
	// TASK_KILLED.
	TaskHangOnKill TaskFaultKind = "hang-on-kill"
)

// TaskView is what conditions see of a task.
type TaskView struct {
	ID, FrameworkID, AgentID string
	// State is the task's latest state, such as "TASK_RUNNING".
	State string
}

// FrameworkView is what conditions see of a framework.
type FrameworkView struct {
	ID, Name string
	// Connected reports whether the framework has an open event stream.
	Connected bool
}
