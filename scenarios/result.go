package scenarios

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// ErrViolation is wrapped by the error of a run whose invariants did not
// hold.
var ErrViolation = errors.New("scenarios: invariants violated")

// Result is what one run of a case gives.
type Result struct {
	// Case is the case that ran.
	Case Case
	// Violations are the invariants that did not hold, in the order they
	// were found.
	Violations []Violation
	// Elapsed is the virtual time the run took.
	Elapsed time.Duration
	// Frameworks summarises every framework of the run.
	Frameworks []FrameworkSummary
	// Trace is the run's whole trace — the cluster's lines and the
	// scenario driver's — when it was kept (named scenarios and replays
	// keep it; generated cases keep only its hash unless they fail).
	Trace string
	// TraceHash is an FNV-64a hash of the whole trace, and TraceLines its
	// number of lines: equal for two runs of one case.
	TraceHash  uint64
	TraceLines int
}

// FrameworkSummary is one framework at the end of a run.
type FrameworkSummary struct {
	Name    string
	ID      string
	GoalMet bool
	Goal    string
	Removed bool
	Traffic string // calls and events, counted
}

// OK reports whether every invariant held.
func (r Result) OK() bool { return len(r.Violations) == 0 }

// Err returns an error wrapping ErrViolation that lists the violations,
// or nil.
func (r Result) Err() error {
	if r.OK() {
		return nil
	}
	var b strings.Builder
	for _, v := range r.Violations {
		b.WriteString("\n  ")
		b.WriteString(v.String())
	}
	return fmt.Errorf("%w:%s", ErrViolation, b.String())
}

// Report is a printable account of the run: the case, every framework's
// outcome, the violations.
func (r Result) Report() string {
	var b strings.Builder
	b.WriteString(r.Case.String())
	fmt.Fprintf(&b, "ran %s of virtual time; trace %d lines, hash %016x\n", fmtDuration(r.Elapsed), r.TraceLines, r.TraceHash)
	for _, f := range r.Frameworks {
		status := "goal met"
		switch {
		case f.Removed:
			status = "removed by the master"
		case !f.GoalMet:
			status = "goal NOT met"
		}
		fmt.Fprintf(&b, "framework %s (%s): %s: %s; %s\n", f.Name, f.ID, status, f.Goal, f.Traffic)
	}
	if r.OK() {
		b.WriteString("all invariants held\n")
	} else {
		fmt.Fprintf(&b, "%d invariant violation(s):\n", len(r.Violations))
		for _, v := range r.Violations {
			b.WriteString("  " + v.String() + "\n")
		}
	}
	return b.String()
}

func (w *world) result() Result {
	h, n := w.sink.sum()
	r := Result{Case: w.cs, Violations: w.violations, Elapsed: w.elapsed(), Trace: w.sink.String(), TraceHash: h, TraceLines: n}
	for _, s := range w.sessions {
		snap := s.fw.Snapshot()
		r.Frameworks = append(r.Frameworks, FrameworkSummary{Name: s.name, ID: s.id, GoalMet: snap.GoalMet, Goal: snap.Goal,
			Removed: snap.Removed, Traffic: s.obs.summary()})
	}
	return r
}

// RunCase runs one case with the framework factory and returns its result.
// The error is about the run itself (a case that does not validate, a
// cluster that failed); broken invariants are in Result.Violations (see
// Result.Err). Options add invariants and choose whether the trace is kept
// (it is, unless HashTraceOnly is given).
func RunCase(cs Case, factory func() frameworks.Framework, opts ...Option) (Result, error) {
	cfg := newConfig(opts)
	return runCase(cs, func(int) Framework { return factory() }, cfg)
}

// runCase runs a case whose i-th framework make(i) makes.
func runCase(cs Case, mk func(i int) Framework, cfg *config) (Result, error) {
	w, err := newWorld(cs, mk, cfg)
	if err != nil {
		return Result{Case: cs}, err
	}
	err = w.run()
	// Snapshots are read on the loop goroutine's behalf after it stopped:
	// Close waits for it, so nothing runs concurrently.
	cerr := w.close()
	res := w.result()
	if err == nil {
		err = cerr
	}
	return res, err
}
