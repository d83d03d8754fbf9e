package agent

import "fmt"

// NewMasterDetected tells a running agent that a new master was elected
// (ZooKeeper's detector firing in Mesos): it re-registers after a random
// delay, listing what it runs, or registers if it never had an id. A
// stopped agent ignores it.
func (a *Agent) NewMasterDetected() {
	if a.state == stateStopped || a.shuttingDown {
		return
	}
	a.tracef("new master detected")
	a.reregister()
}

// findTask returns the live task with the id, in any framework.
func (a *Agent) findTask(taskID string) (*task, error) {
	for _, t := range a.sortedTasks() {
		if t.id == taskID && !t.terminal {
			return t, nil
		}
	}
	return nil, fmt.Errorf("agent %s: no live task %q", a.cfg.Name, taskID)
}

// FailTask makes a task's command exit with status 1 now (TASK_FAILED), as
// if it had failed on its own. A task not yet delivered to its executor
// fails when it is.
func (a *Agent) FailTask(taskID string) error {
	t, err := a.findTask(taskID)
	if err != nil {
		return err
	}
	a.tracef("fault: task %s fails", taskID)
	if !t.delivered {
		t.beh.Exits, t.beh.Run, t.beh.ExitCode = true, 0, 1
		return nil
	}
	a.exited(t, 1)
	return nil
}

// CrashExecutor kills a task's executor now: its tasks end TASK_FAILED
// with REASON_EXECUTOR_TERMINATED and the master hears ExitedExecutor.
func (a *Agent) CrashExecutor(taskID string) error {
	t, err := a.findTask(taskID)
	if err != nil {
		return err
	}
	if t.ex == nil {
		return fmt.Errorf("agent %s: task %q has no executor yet", a.cfg.Name, taskID)
	}
	a.tracef("fault: executor of task %s crashes", taskID)
	a.executorCrashed(t.ex)
	return nil
}

// HangOnKill makes a live task ignore kills from now on: it never reports
// again once killed.
func (a *Agent) HangOnKill(taskID string) error {
	t, err := a.findTask(taskID)
	if err != nil {
		return err
	}
	a.tracef("fault: task %s will hang on kill", taskID)
	t.beh.HangOnKill = true
	return nil
}

// Running reports whether the agent process is up (registered or
// registering), as opposed to never started or crashed.
func (a *Agent) Running() bool { return a.state != stateStopped }
