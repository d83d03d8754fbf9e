package msg

import (
	"time"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// MasterEndpoint is the network name of the leading master.
const MasterEndpoint = "master"

// AgentEndpoint is the network name of an agent: the agent's own name
// (stable across restarts and re-registrations; e.g. "agent-1"), not its
// Mesos agent id, which changes when an agent registers anew.
func AgentEndpoint(name string) string { return name }

// Body is implemented by every message of this package.
type Body interface {
	// Kind is the message's name, as in Mesos's messages.proto.
	Kind() string
}

// Envelope wraps a body for the network.
func Envelope(from, to string, b Body) simnet.Message {
	return simnet.Message{From: from, To: to, Kind: b.Kind(), Body: b}
}

// ---- agent -> master ----

// RegisterAgent asks the master to admit a new agent (RegisterSlaveMessage).
// Agent.Id is unset; the master answers AgentRegistered.
type RegisterAgent struct {
	Name         string // the agent's endpoint name
	Info         *mesospb.AgentInfo
	Capabilities []mesospb.AgentInfo_Capability_Type
	Version      string
}

// ReregisterAgent asks the master to re-admit a known agent, with what it runs
// (ReregisterSlaveMessage): after a partition heals, after an agent restart
// with recovery, and after master failover.
type ReregisterAgent struct {
	Name         string
	Info         *mesospb.AgentInfo // Id set
	Capabilities []mesospb.AgentInfo_Capability_Type
	Version      string
	// Checkpointed resources (dynamic reservations, persistent volumes).
	CheckpointedResources []*mesospb.Resource
	Executors             []*mesospb.ExecutorInfo
	Tasks                 []*mesospb.Task // every non-terminal task, and terminal ones with unacknowledged updates
	Frameworks            []*mesospb.FrameworkInfo
}

// UnregisterAgent is a graceful shutdown of the agent (UnregisterSlaveMessage).
type UnregisterAgent struct{ AgentID string }

// StatusUpdate carries a task status update from the agent's status update
// manager to the master (StatusUpdateMessage). Status.Uuid is always set for
// updates from agents and executors; LatestState is the newest state the
// agent knows for the task, which may be ahead of Status.State while
// earlier updates wait for acknowledgement.
type StatusUpdate struct {
	FrameworkID string
	Status      *mesospb.TaskStatus
	LatestState *mesospb.TaskState
}

// ExecutorToFramework is a framework message from an executor
// (ExecutorToFrameworkMessage); best effort.
type ExecutorToFramework struct {
	AgentID, FrameworkID, ExecutorID string
	Data                             []byte
}

// ExitedExecutor reports that an executor terminated (ExitedExecutorMessage).
// Status is the waitpid-style status. Command executors are reported too;
// the master does not forward those to the framework.
type ExitedExecutor struct {
	AgentID, FrameworkID, ExecutorID string
	Status                           int32
}

// Pong answers a Ping (PongSlaveMessage).
type Pong struct{ AgentID string }

// ---- master -> agent ----

// AgentRegistered admits a new agent (SlaveRegisteredMessage).
type AgentRegistered struct {
	AgentID string
	// Connection carries the master's ping timeout settings.
	PingTimeout time.Duration
}

// AgentReregistered re-admits an agent (SlaveReregisteredMessage).
// Reconciliations lists frameworks whose tasks the master does not know on
// this agent (unused today).
type AgentReregistered struct {
	AgentID     string
	PingTimeout time.Duration
}

// RunTask launches one task (RunTaskMessage). Task.Executor is set for a
// custom executor; otherwise the agent runs the task under a command
// executor whose id equals the task id.
type RunTask struct {
	Framework *mesospb.FrameworkInfo // Id set
	Task      *mesospb.TaskInfo
}

// RunTaskGroup launches a task group under one executor
// (RunTaskGroupMessage), the default executor when Executor.Type is DEFAULT.
type RunTaskGroup struct {
	Framework *mesospb.FrameworkInfo
	Executor  *mesospb.ExecutorInfo
	TaskGroup *mesospb.TaskGroupInfo
}

// KillTask kills one task (KillTaskMessage). KillPolicy, when set, overrides
// the task's own.
type KillTask struct {
	FrameworkID string
	TaskID      string
	KillPolicy  *mesospb.KillPolicy
}

// ShutdownFramework shuts down every executor of a framework on the agent
// (ShutdownFrameworkMessage), after TEARDOWN or failover timeout.
type ShutdownFramework struct{ FrameworkID string }

// ShutdownExecutor shuts one executor down (ShutdownExecutorMessage), after
// a SHUTDOWN call.
type ShutdownExecutor struct{ FrameworkID, ExecutorID string }

// StatusUpdateAcknowledgement acknowledges one status update by uuid
// (StatusUpdateAcknowledgementMessage), releasing the next update of the task.
type StatusUpdateAcknowledgement struct {
	AgentID, FrameworkID, TaskID string
	UUID                         []byte
}

// FrameworkToExecutor is a framework message to an executor
// (FrameworkToExecutorMessage); best effort.
type FrameworkToExecutor struct {
	AgentID, FrameworkID, ExecutorID string
	Data                             []byte
}

// UpdateFramework tells the agent a framework's new FrameworkInfo
// (UpdateFrameworkMessage); the agent answers by resending, at once, every
// unacknowledged status update of that framework.
type UpdateFramework struct {
	Framework *mesospb.FrameworkInfo
}

// CheckpointResources sets the agent's checkpointed resources (dynamic
// reservations and persistent volumes) after RESERVE, UNRESERVE, CREATE or
// DESTROY (CheckpointResourcesMessage).
type CheckpointResources struct {
	Resources []*mesospb.Resource
}

// Ping checks that the agent is alive (PingSlaveMessage); the agent answers
// Pong. Connected is false when the master considers the agent disconnected.
type Ping struct{ Connected bool }

// ShutdownAgent tells the agent to shut down, with its tasks
// (ShutdownMessage), e.g. when it was marked gone or refused re-registration.
type ShutdownAgent struct{ Message string }

// DrainAgent tells the agent to kill all its tasks and drain
// (DrainSlaveMessage, after the operator's DRAIN_AGENT): Config's
// max_grace_period caps each task's kill grace period, and mark_gone
// turns TASK_KILLED into TASK_GONE_BY_OPERATOR for partition-aware
// frameworks.
type DrainAgent struct{ Config *mesospb.DrainConfig }

func (*RegisterAgent) Kind() string               { return "RegisterSlaveMessage" }
func (*ReregisterAgent) Kind() string             { return "ReregisterSlaveMessage" }
func (*UnregisterAgent) Kind() string             { return "UnregisterSlaveMessage" }
func (*StatusUpdate) Kind() string                { return "StatusUpdateMessage" }
func (*ExecutorToFramework) Kind() string         { return "ExecutorToFrameworkMessage" }
func (*ExitedExecutor) Kind() string              { return "ExitedExecutorMessage" }
func (*Pong) Kind() string                        { return "PongSlaveMessage" }
func (*AgentRegistered) Kind() string             { return "SlaveRegisteredMessage" }
func (*AgentReregistered) Kind() string           { return "SlaveReregisteredMessage" }
func (*RunTask) Kind() string                     { return "RunTaskMessage" }
func (*RunTaskGroup) Kind() string                { return "RunTaskGroupMessage" }
func (*KillTask) Kind() string                    { return "KillTaskMessage" }
func (*ShutdownFramework) Kind() string           { return "ShutdownFrameworkMessage" }
func (*ShutdownExecutor) Kind() string            { return "ShutdownExecutorMessage" }
func (*StatusUpdateAcknowledgement) Kind() string { return "StatusUpdateAcknowledgementMessage" }
func (*FrameworkToExecutor) Kind() string         { return "FrameworkToExecutorMessage" }
func (*UpdateFramework) Kind() string             { return "UpdateFrameworkMessage" }
func (*CheckpointResources) Kind() string         { return "CheckpointResourcesMessage" }
func (*Ping) Kind() string                        { return "PingSlaveMessage" }
func (*ShutdownAgent) Kind() string               { return "ShutdownMessage" }
func (*DrainAgent) Kind() string                  { return "DrainSlaveMessage" }
