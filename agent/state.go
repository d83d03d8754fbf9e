package agent

import (
	"fmt"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// stateNone is the state of a task the executor has not reported on yet
// (the master calls it TASK_STAGING).
const stateNone = mesospb.TaskState_TASK_STAGING

// isTerminal reports whether s is a terminal task state.
func isTerminal(s mesospb.TaskState) bool {
	switch s {
	case mesospb.TaskState_TASK_FINISHED, mesospb.TaskState_TASK_FAILED,
		mesospb.TaskState_TASK_KILLED, mesospb.TaskState_TASK_ERROR,
		mesospb.TaskState_TASK_LOST, mesospb.TaskState_TASK_DROPPED,
		mesospb.TaskState_TASK_GONE, mesospb.TaskState_TASK_GONE_BY_OPERATOR:
		return true
	}
	return false
}

// legal reports whether an agent may report to after from. RUNNING to
// RUNNING is a health update.
func legal(from, to mesospb.TaskState) bool {
	switch from {
	case stateNone:
		return to == mesospb.TaskState_TASK_STARTING || isTerminal(to)
	case mesospb.TaskState_TASK_STARTING:
		return to == mesospb.TaskState_TASK_RUNNING || to == mesospb.TaskState_TASK_KILLING || isTerminal(to)
	case mesospb.TaskState_TASK_RUNNING:
		return to == mesospb.TaskState_TASK_RUNNING || to == mesospb.TaskState_TASK_KILLING || isTerminal(to)
	case mesospb.TaskState_TASK_KILLING:
		return isTerminal(to)
	}
	return false
}

// transition panics on an illegal transition: it is a bug in the agent.
func transition(taskID string, from, to mesospb.TaskState) {
	if !legal(from, to) {
		panic(fmt.Sprintf("agent: illegal transition of task %s: %v -> %v", taskID, from, to))
	}
}
