package faults

import (
	"fmt"
	"strconv"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// Condition is a predicate on the cluster. A When step fires its fault the
// first time its condition holds.
type Condition interface {
	// Holds reports whether the condition holds now. It is called on the
	// loop goroutine, after every event while a When step waits: keep it
	// cheap, and do not change the cluster.
	Holds(t Target) bool
	// Kind returns the condition's kind, its "kind" in JSON, such as
	// "task-state".
	Kind() string
	// String describes the condition, such as "task web-1 is TASK_RUNNING".
	String() string
}

// TaskState holds while the task Task is in State, such as "TASK_RUNNING".
type TaskState struct {
	Task  string `json:"task"`
	State string `json:"state"`
}

// Kind returns "task-state".
func (TaskState) Kind() string { return "task-state" }

// String returns e.g. "task web-1 is TASK_RUNNING".
func (c TaskState) String() string { return "task " + c.Task + " is " + c.State }

// Validate checks the task and the state name.
func (c TaskState) Validate(Target) error {
	if err := checkRequired("task", c.Task); err != nil {
		return err
	}
	return checkTaskState("state", c.State)
}

// Holds reports whether the task is in the state.
func (c TaskState) Holds(t Target) bool {
	for _, task := range t.Tasks() {
		if task.ID == c.Task && task.State == c.State {
			return true
		}
	}
	return false
}

// TasksInState holds while at least N tasks are in State.
type TasksInState struct {
	State string `json:"state"`
	N     int    `json:"n"`
}

// Kind returns "tasks-in-state".
func (TasksInState) Kind() string { return "tasks-in-state" }

// String returns e.g. "at least 3 tasks are TASK_RUNNING".
func (c TasksInState) String() string {
	if c.N == 1 {
		return "a task is " + c.State
	}
	return "at least " + strconv.Itoa(c.N) + " tasks are " + c.State
}

// Validate checks the state name and that N is at least 1.
func (c TasksInState) Validate(Target) error {
	if err := checkTaskState("state", c.State); err != nil {
		return err
	}
	if c.N < 1 {
		return fmt.Errorf("n: %d is less than 1", c.N)
	}
	return nil
}

// Holds counts the tasks in the state.
func (c TasksInState) Holds(t Target) bool {
	n := 0
	for _, task := range t.Tasks() {
		if task.State == c.State {
			n++
		}
	}
	return n >= c.N
}

// FrameworkSubscribed holds while the framework, given by id or name, is
// subscribed: its event stream is open.
type FrameworkSubscribed struct {
	Framework string `json:"framework"`
}

// Kind returns "framework-subscribed".
func (FrameworkSubscribed) Kind() string { return "framework-subscribed" }

// String returns e.g. "framework web is subscribed".
func (c FrameworkSubscribed) String() string { return "framework " + c.Framework + " is subscribed" }

// Validate checks that a framework is named.
func (c FrameworkSubscribed) Validate(Target) error {
	return checkRequired("framework", c.Framework)
}

// Holds reports whether a framework with that id or name is connected.
func (c FrameworkSubscribed) Holds(t Target) bool {
	for _, f := range t.Frameworks() {
		if (f.ID == c.Framework || f.Name == c.Framework) && f.Connected {
			return true
		}
	}
	return false
}

// Func is a condition written in Go. It has no JSON form: Marshal refuses
// a schedule that holds one.
type Func struct {
	// Name describes the condition in traces and in Schedule.String.
	Name string
	F    func(t Target) bool
}

// Kind returns "func".
func (Func) Kind() string { return "func" }

// String returns the name, or "a Go condition" without one.
func (c Func) String() string {
	if c.Name == "" {
		return "a Go condition"
	}
	return c.Name
}

// Validate checks that there is a function.
func (c Func) Validate(Target) error {
	if c.F == nil {
		return fmt.Errorf("f: missing")
	}
	return nil
}

// Holds calls F.
func (c Func) Holds(t Target) bool { return c.F(t) }

// checkTaskState reports an error unless state names a Mesos task state.
func checkTaskState(field, state string) error {
	if state == "" {
		return fmt.Errorf("%s: missing", field)
	}
	if _, ok := mesospb.TaskState_value[state]; !ok {
		return fmt.Errorf("%s: %q is not a task state (such as TASK_RUNNING)", field, state)
	}
	return nil
}

// validateCondition checks c if it can check itself.
func validateCondition(c Condition, t Target) error {
	if v, ok := c.(Validator); ok {
		if err := v.Validate(t); err != nil {
			return fmt.Errorf("%s: %w", c.Kind(), err)
		}
	}
	return nil
}
