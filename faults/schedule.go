package faults

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Step is one step of a Schedule: a fault and when it fires. Exactly one of
// At, After and When is set.
type Step struct {
	// At fires the fault at this virtual time since the cluster started (the
	// loop's epoch), or at once if that time has passed when the step is
	// armed.
	At *Duration
	// After fires the fault this long after the previous step fired, or
	// after Install for the first step.
	After *Duration
	// When fires the fault the first time the condition holds after the
	// previous step fired (or after Install): it is checked after every
	// event of the loop, and fires once.
	When Condition
	// Fault is what goes wrong.
	Fault Fault
}

// At returns a step that fires f at virtual time d since the cluster
// started.
func At(d time.Duration, f Fault) Step { return Step{At: ptr(d), Fault: f} }

// After returns a step that fires f d after the previous step fired.
func After(d time.Duration, f Fault) Step { return Step{After: ptr(d), Fault: f} }

// When returns a step that fires f the first time c holds after the
// previous step fired.
func When(c Condition, f Fault) Step { return Step{When: c, Fault: f} }

// String returns e.g. "at 30s: partition agent-2 (both ways)".
func (s Step) String() string {
	var when string
	switch {
	case s.At != nil:
		when = "at " + s.At.String()
	case s.After != nil:
		when = "after " + s.After.String()
	case s.When != nil:
		when = "when " + s.When.String()
	default:
		when = "never"
	}
	fault := "nothing"
	if s.Fault != nil {
		fault = s.Fault.String()
	}
	return when + ": " + fault
}

// Validate checks the step's trigger and its fault, with t as for
// [Validator].
func (s Step) Validate(t Target) error {
	var set []string
	if s.At != nil {
		set = append(set, "at")
	}
	if s.After != nil {
		set = append(set, "after")
	}
	if s.When != nil {
		set = append(set, "when")
	}
	switch {
	case len(set) == 0:
		return fmt.Errorf("one of at, after and when is needed")
	case len(set) > 1:
		return fmt.Errorf("only one of at, after and when may be given, not %s", strings.Join(set, " and "))
	case s.At != nil:
		if err := checkDuration("at", *s.At); err != nil {
			return err
		}
	case s.After != nil:
		if err := checkDuration("after", *s.After); err != nil {
			return err
		}
	default:
		if err := validateCondition(s.When, t); err != nil {
			return fmt.Errorf("when: %w", err)
		}
	}
	if s.Fault == nil {
		return errors.New("fault: missing")
	}
	if err := validate(s.Fault, t); err != nil {
		return fmt.Errorf("fault: %w", err)
	}
	return nil
}

// Schedule is a list of steps. Its steps fire strictly in order: a step is
// armed only once the step before it has fired.
type Schedule []Step

// String describes the schedule, one step per line.
func (s Schedule) String() string {
	lines := make([]string, len(s))
	for i, step := range s {
		lines[i] = step.String()
	}
	return strings.Join(lines, "\n")
}

// Validate checks every step, with t as for [Validator], and that no agent
// restarts after a step lost it. Errors name the step, counting from 1.
func (s Schedule) Validate(t Target) error { return s.validate(t, nil) }

// validate is Validate with agents already lost.
func (s Schedule) validate(t Target, lost map[string]bool) error {
	lostAt := map[string]int{}
	for name := range lost {
		lostAt[name] = 0
	}
	for i, step := range s {
		if err := step.Validate(t); err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
		switch f := step.Fault.(type) {
		case LoseAgent:
			if _, ok := lostAt[f.Agent]; !ok {
				lostAt[f.Agent] = i + 1
			}
		case RestartAgent:
			if at, ok := lostAt[f.Agent]; ok {
				where := "before the schedule"
				if at > 0 {
					where = fmt.Sprintf("at step %d", at)
				}
				return fmt.Errorf("step %d: restart-agent: agent: %s is lost %s and never restarts", i+1, f.Agent, where)
			}
		}
	}
	return nil
}
