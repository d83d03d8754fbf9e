package faults

import "strings"

// CutStream ends a framework's SUBSCRIBE event stream, as a broken
// connection would; the framework must subscribe again. Framework is the
// framework's id or name.
type CutStream struct {
	Framework string `json:"framework"`
}

// Kind returns "cut-stream".
func (CutStream) Kind() string { return "cut-stream" }

// String returns e.g. "cut the event stream of framework web".
func (c CutStream) String() string { return "cut the event stream of framework " + c.Framework }

// Validate checks that a framework is named. Whether it exists is known only
// when the fault fires: frameworks subscribe after a schedule is installed.
func (c CutStream) Validate(Target) error { return checkRequired("framework", c.Framework) }

// Apply cuts the stream.
func (c CutStream) Apply(in *Injector) error { return in.Target().CutStream(c.Framework) }

// CallFaults sets faults on a framework's HTTP calls to the master: each
// answer is lost with probability DropAnswer after the master processed the
// call, and each call is delayed by Delay. Zero values clear the faults.
// Framework is the framework's id or name.
type CallFaults struct {
	Framework  string   `json:"framework"`
	DropAnswer float64  `json:"drop_answer,omitempty"`
	Delay      Duration `json:"delay,omitempty"`
}

// Kind returns "call-faults".
func (CallFaults) Kind() string { return "call-faults" }

// String returns e.g. "call faults for framework web: lose answers with
// probability 0.1, delay calls by 2s", or "clear call faults for framework
// web".
func (c CallFaults) String() string {
	if c.DropAnswer == 0 && c.Delay == 0 {
		return "clear call faults for framework " + c.Framework
	}
	var parts []string
	if c.DropAnswer != 0 {
		parts = append(parts, "lose answers with probability "+formatFloat(c.DropAnswer))
	}
	if c.Delay != 0 {
		parts = append(parts, "delay calls by "+c.Delay.String())
	}
	return "call faults for framework " + c.Framework + ": " + strings.Join(parts, ", ")
}

// Validate checks the fields.
func (c CallFaults) Validate(Target) error {
	if err := checkRequired("framework", c.Framework); err != nil {
		return err
	}
	if err := checkProbability("drop_answer", c.DropAnswer); err != nil {
		return err
	}
	return checkDuration("delay", c.Delay)
}

// Apply sets the call faults.
func (c CallFaults) Apply(in *Injector) error {
	return in.Target().SetCallFault(c.Framework, CallFault{DropAnswer: c.DropAnswer, Delay: c.Delay.D()})
}

// FailTask makes a running task exit with status 1: TASK_FAILED.
type FailTask struct {
	Task string `json:"task"`
}

// Kind returns "fail-task".
func (FailTask) Kind() string { return "fail-task" }

// String returns e.g. "fail task web-1".
func (f FailTask) String() string { return "fail task " + f.Task }

// Validate checks that a task is named.
func (f FailTask) Validate(Target) error { return checkRequired("task", f.Task) }

// Apply fails the task.
func (f FailTask) Apply(in *Injector) error { return in.Target().TaskFault(f.Task, TaskFail) }

// CrashExecutor makes the executor of a running task crash.
type CrashExecutor struct {
	Task string `json:"task"`
}

// Kind returns "crash-executor".
func (CrashExecutor) Kind() string { return "crash-executor" }

// String returns e.g. "crash the executor of task web-1".
func (c CrashExecutor) String() string { return "crash the executor of task " + c.Task }

// Validate checks that a task is named.
func (c CrashExecutor) Validate(Target) error { return checkRequired("task", c.Task) }

// Apply crashes the executor.
func (c CrashExecutor) Apply(in *Injector) error {
	return in.Target().TaskFault(c.Task, TaskCrashExecutor)
}

// HangOnKill makes a running task ignore kills from now on: it never
// reaches TASK_KILLED.
type HangOnKill struct {
	Task string `json:"task"`
}

// Kind returns "hang-on-kill".
func (HangOnKill) Kind() string { return "hang-on-kill" }

// String returns e.g. "make task web-1 hang when killed".
func (h HangOnKill) String() string { return "make task " + h.Task + " hang when killed" }

// Validate checks that a task is named.
func (h HangOnKill) Validate(Target) error { return checkRequired("task", h.Task) }

// Apply makes the task hang on kill.
func (h HangOnKill) Apply(in *Injector) error { return in.Target().TaskFault(h.Task, TaskHangOnKill) }
