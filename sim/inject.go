package sim

import (
	"fmt"
	"time"

	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Faults installs a fault schedule when the cluster starts; its times count
// from the cluster's start. See the faults package for the kinds of fault
// and the schedule's JSON form.
func Faults(s faults.Schedule) Option {
	return func(c *config) error {
		c.schedules = append(c.schedules, s)
		return nil
	}
}

// InjectFault applies one fault now, on the loop, and returns what applying
// it returned (an unknown agent, a framework without a stream, ...).
func (c *Cluster) InjectFault(f faults.Fault) error {
	var err error
	if derr := c.drv.Do(func() { err = c.injector().Apply(f) }); derr != nil {
		return c.fail(derr)
	}
	if err != nil {
		err = fmt.Errorf("sim: fault %s: %w", f, err)
	}
	return c.fail(err)
}

// InstallSchedule validates a fault schedule and arms it: its steps fire
// in order on virtual time (At counts from the cluster's start, After from
// the step before, When on a condition). What fired is in [Cluster.FaultRecords]
// and the trace.
func (c *Cluster) InstallSchedule(s faults.Schedule) error {
	var err error
	if derr := c.drv.Do(func() { err = c.injector().Install(s) }); derr != nil {
		return c.fail(derr)
	}
	if err != nil {
		err = fmt.Errorf("sim: installing fault schedule: %w", err)
	}
	return c.fail(err)
}

// FaultRecords lists the faults applied so far, in order.
func (c *Cluster) FaultRecords() []faults.Record {
	var out []faults.Record
	_ = c.drv.Do(func() { out = c.injector().Applied() })
	return out
}

// injector returns the cluster's fault injector, made on first use; loop
// goroutine only.
func (c *Cluster) injector() *faults.Injector {
	if c.inj == nil {
		c.inj = faults.NewInjector(target{c})
	}
	return c.inj
}

// target is the cluster as the faults package sees it; its methods run on
// the loop.
type target struct{ c *Cluster }

var _ faults.Target = target{}

func (t target) Loop() *loop.Loop         { return t.c.loop }
func (t target) Network() *simnet.Network { return t.c.net }
func (t target) AgentNames() []string     { return t.c.agentNames() }

func (t target) CrashAgent(name string) error { return t.c.crashAgent(name) }

func (t target) RestartAgent(name string, recover bool) error {
	return t.c.restartAgent(name, recover)
}

func (t target) MarkAgentGone(name string) error { return t.c.markAgentGone(name) }

func (t target) FailoverMaster(election time.Duration) error {
	t.c.failoverMaster(election)
	return nil
}

func (t target) CutStream(framework string) error { return t.c.cutStream(framework) }

func (t target) SetCallFault(framework string, f faults.CallFault) error {
	id, err := t.c.frameworkID(framework)
	if err != nil {
		return err
	}
	t.c.handler.setCallFault(id, CallFault{DropAnswer: f.DropAnswer, Delay: f.Delay})
	return nil
}

func (t target) TaskFault(taskID string, kind faults.TaskFaultKind) error {
	return t.c.taskFault(taskID, string(kind))
}

func (t target) Tasks() []faults.TaskView {
	var out []faults.TaskView
	for _, tk := range t.c.master.Tasks() {
		out = append(out, faults.TaskView{ID: tk.ID, FrameworkID: tk.FrameworkID, AgentID: tk.AgentID, State: tk.State.String()})
	}
	return out
}

func (t target) Frameworks() []faults.FrameworkView {
	var out []faults.FrameworkView
	for _, f := range t.c.master.Frameworks() {
		out = append(out, faults.FrameworkView{ID: f.ID, Name: f.Name, Connected: f.Connected})
	}
	return out
}

// DisarmFaults cancels the steps of installed schedules that have not
// fired yet; faults already applied stay (a partition stays until healed).
func (c *Cluster) DisarmFaults() error {
	return c.fail(c.drv.Do(func() { c.injector().Disarm() }))
}
