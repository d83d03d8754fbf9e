package faults

import (
	"errors"
	"fmt"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Loop event names of the Injector.
const (
	stepEvent = "faults.step" // an At or After step fires
	whenEvent = "faults.when" // a When step was armed; its condition is checked after this event
)

// Injector applies faults to a Target, now (Apply) or on a schedule
// (Install). It keeps what it installed on the network, so that Heal can
// remove it, and which agents it lost. Like the Target, it runs on the loop
// goroutine: call it from the goroutine that owns the loop, or from events.
type Injector struct {
	t Target

	filters []netFilter     // installed on the network, in order
	lost    map[string]bool // agents lost by LoseAgent

	runs       []*run // installed schedules with steps still to fire
	installs   int    // schedules installed so far
	removeHook func() // the loop hook, while a When step waits

	records []Record
}

// netFilter is a network filter the Injector installed.
type netFilter struct {
	agent  string // the agent it names, "" for all
	remove func()
}

// run is one installed schedule on its way.
type run struct {
	id      int // 1 for the first Install
	steps   Schedule
	next    int         // index of the armed step
	timer   *loop.Timer // for an At or After step
	waiting bool        // a When step is armed
}

// Record is one fault that fired.
type Record struct {
	// At is the virtual time since the cluster started.
	At time.Duration
	// Schedule is 1 for a step of the first installed schedule, 2 for the
	// second, ...; 0 for a fault given to Apply.
	Schedule int
	// Step is the index of the step in its schedule (0 for the first).
	Step  int
	Fault Fault
	// Err is what applying the fault returned.
	Err error
}

// String returns e.g. "30s step 1: partition agent-2 (both ways)", with
// ": failed: ..." when the fault failed.
func (r Record) String() string {
	s := Duration(r.At).String() + " " + source(r.Schedule, r.Step) + ": " + r.Fault.String()
	if r.Err != nil {
		s += ": failed: " + r.Err.Error()
	}
	return s
}

// source names where a fault came from, for the trace and records.
func source(schedule, step int) string {
	switch schedule {
	case 0:
		return "apply"
	case 1:
		return fmt.Sprintf("step %d", step+1)
	}
	return fmt.Sprintf("schedule %d step %d", schedule, step+1)
}

// NewInjector returns an Injector for t with nothing installed.
func NewInjector(t Target) *Injector {
	return &Injector{t: t, lost: map[string]bool{}}
}

// Target returns the target the Injector acts on.
func (in *Injector) Target() Target { return in.t }

// Apply validates f, writes it to the trace and applies it now. An error
// from validation means nothing happened; an error from applying the fault
// is also kept in Applied.
func (in *Injector) Apply(f Fault) error {
	if err := validate(f, in.t); err != nil {
		return err
	}
	return in.apply(f, 0, 0)
}

func (in *Injector) apply(f Fault, schedule, step int) error {
	l := in.t.Loop()
	src := source(schedule, step)
	l.Tracef("faults", "%s: %s", src, f)
	err := f.Apply(in)
	if err != nil {
		err = fmt.Errorf("%s: %s: %w", src, f.Kind(), err)
		l.Tracef("faults", "%s failed: %v", src, err)
	}
	in.records = append(in.records, Record{At: l.Elapsed(), Schedule: schedule, Step: step, Fault: f, Err: err})
	return err
}

// Install validates every step of s against the Target, then arms its
// first step; each later step is armed when the one before it fired. A step
// whose fault fails is kept in Applied with its error and the schedule goes
// on. Schedules installed by separate calls run independently.
func (in *Injector) Install(s Schedule) error {
	if err := s.validate(in.t, in.lost); err != nil {
		return err
	}
	if len(s) == 0 {
		return nil
	}
	in.installs++
	r := &run{id: in.installs, steps: append(Schedule(nil), s...)}
	in.runs = append(in.runs, r)
	in.arm(r)
	return nil
}

// arm arms r's next step, or retires r when it has none.
func (in *Injector) arm(r *run) {
	if r.next >= len(r.steps) {
		in.retire(r)
		return
	}
	l := in.t.Loop()
	step := r.steps[r.next]
	fire := func() { in.fire(r) }
	switch {
	case step.At != nil:
		r.timer = l.At(l.Epoch().Add(step.At.D()), stepEvent, fire)
	case step.After != nil:
		r.timer = l.After(step.After.D(), stepEvent, fire)
	default:
		r.waiting = true
		if in.removeHook == nil {
			in.removeHook = l.OnEvent(in.check)
		}
		// The condition is checked after every event; this one makes sure
		// there is an event to check after, even in a quiet cluster.
		l.Post(whenEvent, func() {})
	}
}

// fire applies r's armed step and arms the next.
func (in *Injector) fire(r *run) {
	r.timer, r.waiting = nil, false
	i := r.next
	r.next++
	_ = in.apply(r.steps[i].Fault, r.id, i) // kept in the records
	in.arm(r)
	in.dropHookIfIdle()
}

// check is the loop hook: it fires every armed When step whose condition
// holds, in the order the schedules were installed.
func (in *Injector) check() {
	for _, r := range in.runs {
		if r.waiting && r.steps[r.next].When.Holds(in.t) {
			in.fire(r)
		}
	}
}

// retire forgets a run with no steps left.
func (in *Injector) retire(r *run) {
	for i, x := range in.runs {
		if x == r {
			// A new slice, as check may be ranging over the old one.
			in.runs = append(in.runs[:i:i], in.runs[i+1:]...)
			return
		}
	}
}

// dropHookIfIdle removes the loop hook when no When step waits.
func (in *Injector) dropHookIfIdle() {
	if in.removeHook == nil {
		return
	}
	for _, r := range in.runs {
		if r.waiting {
			return
		}
	}
	in.removeHook()
	in.removeHook = nil
}

// Pending returns how many steps of installed schedules have not fired yet.
func (in *Injector) Pending() int {
	n := 0
	for _, r := range in.runs {
		n += len(r.steps) - r.next
	}
	return n
}

// Disarm cancels every step that has not fired yet. Faults already applied
// stay (Heal the network, restart agents...).
func (in *Injector) Disarm() {
	for _, r := range in.runs {
		r.timer.Stop()
		r.timer, r.waiting = nil, false
	}
	in.runs = nil
	in.dropHookIfIdle()
}

// Applied returns what fired so far, in order.
func (in *Injector) Applied() []Record { return append([]Record(nil), in.records...) }

// Err returns the errors of the faults that failed when they fired, joined,
// or nil.
func (in *Injector) Err() error {
	var errs []error
	for _, r := range in.records {
		if r.Err != nil {
			errs = append(errs, r.Err)
		}
	}
	return errors.Join(errs...)
}

// AddFilter installs f on the Target's network for a fault that names agent
// ("" for a fault on every agent), so that Heal removes it.
func (in *Injector) AddFilter(agent string, f simnet.Filter) {
	remove := in.t.Network().AddFilter(f)
	in.filters = append(in.filters, netFilter{agent: agent, remove: remove})
}

// Heal removes the network filters the Injector installed for faults that
// name agent, or with agent "" all of them, and returns how many it removed.
func (in *Injector) Heal(agent string) int {
	kept := in.filters[:0]
	n := 0
	for _, f := range in.filters {
		if agent == "" || f.agent == agent {
			f.remove()
			n++
		} else {
			kept = append(kept, f)
		}
	}
	clear(in.filters[len(kept):])
	in.filters = kept
	return n
}

// Lost reports whether the Injector lost the agent (LoseAgent): it never
// restarts.
func (in *Injector) Lost(agent string) bool { return in.lost[agent] }

func (in *Injector) lose(agent string) { in.lost[agent] = true }
