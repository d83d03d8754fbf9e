package scenarios

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// Framework is a framework the scenarios run; see package frameworks.
type Framework = frameworks.Framework

// config is what the Options set.
type config struct {
	invariants   []invariant
	keepTrace    bool
	stopEarly    bool
	cases        int
	gen          GenConfig
	reproDir     string
	replayEvery  int
	factory      func() Framework
	goroutineChk bool
	ops          []operatorOp
}

func newConfig(opts []Option) *config {
	cfg := &config{keepTrace: true, replayEvery: 25, reproDir: filepath.Join("testdata", "scenarios"), goroutineChk: true}
	for _, o := range opts {
		o(cfg)
	}
	return cfg
}

// An Option configures Check, Replay, RunCase and Run.
type Option func(*config)

// Invariant adds an invariant of the user's: check runs at every step —
// every settled virtual instant — (View.Final false) and at the end of the
// run (View.Final true); an error it returns is a violation named name.
// Keep it cheap: it runs hundreds of times per case.
func Invariant(name string, check func(View) error) Option {
	return func(c *config) { c.invariants = append(c.invariants, invariant{name: name, check: check}) }
}

// Cases sets how many generated cases Check runs (default: rapid's
// -rapid.checks, 100): more than -rapid.checks runs rapid.Check several
// times, fewer lowers -rapid.checks while it runs. With -rapid.seed set it
// runs rapid.Check once, to replay; with -rapid.checks given on the
// command line, that many cases run.
func Cases(n int) Option { return func(c *config) { c.cases = n } }

// Generate bounds the generated cases (see GenConfig).
func Generate(g GenConfig) Option { return func(c *config) { c.gen = g } }

// ReproducerDir is where Check writes the JSON of a failing case
// ("testdata/scenarios" under the test's package directory by default).
func ReproducerDir(dir string) Option { return func(c *config) { c.reproDir = dir } }

// ReplayEvery makes Check run every n-th case twice and compare the traces
// (25 by default; 0 never).
func ReplayEvery(n int) Option { return func(c *config) { c.replayEvery = n } }

// HashTraceOnly keeps only the hash of a run's trace, not its text.
func HashTraceOnly() Option { return func(c *config) { c.keepTrace = false } }

// WithFramework gives Replay and ReplayFile the framework of a case that
// does not name a reference framework.
func WithFramework(factory func() Framework) Option { return func(c *config) { c.factory = factory } }

// NoGoroutineCheck turns off Check's goroutine leak check (for tests that
// run clusters in parallel with it).
func NoGoroutineCheck() Option { return func(c *config) { c.goroutineChk = false } }

// Check runs generated cases — cluster shape, workload, fault schedule —
// against the framework that factory makes, and fails the test with a
// shrunk reproducer when an invariant (the built-in ones and those given
// with Invariant) does not hold. Each case runs a few virtual minutes in
// milliseconds.
//
// On failure it prints the shrunk case as JSON, writes it to
// testdata/scenarios/<Test>.json (see ReproducerDir), and says how to
// replay it: rapid's -rapid.seed, scenarios.Replay(t, file) in Go, or
// `mesos-sim scenario replay FILE` for reference frameworks.
func Check(t *testing.T, factory func() Framework, opts ...Option) {
	t.Helper()
	cfg := newConfig(opts)
	cfg.keepTrace, cfg.stopEarly = false, true
	if cfg.gen.Framework == "" && cfg.gen.FrameworkName == "" {
		cfg.gen.FrameworkName = factory().Name()
	}
	before := 0
	if cfg.goroutineChk {
		before = clusterGoroutines()
	}
	per := rapidChecks()
	rounds := 1
	switch {
	case rapidSeedSet() || cfg.cases <= 0 || rapidChecksSet():
	case cfg.cases > per:
		rounds = (cfg.cases + per - 1) / per
	case cfg.cases < per:
		defer setFlags(map[string]string{"rapid.checks": strconv.Itoa(cfg.cases)})()
	}
	n := 0
	for range rounds {
		rapid.Check(t, func(rt *rapid.T) {
			n++
			checkOne(rt, t.Name(), factory, cfg, n)
		})
		if t.Failed() {
			return
		}
	}
	if cfg.goroutineChk {
		if after := waitClusterGoroutines(before); after > before {
			t.Errorf("%s: %d cluster goroutines before the cases, %d after", InvGoroutines, before, after)
		}
	}
}

// checkOne runs one generated case inside rapid.
func checkOne(rt *rapid.T, testName string, factory func() Framework, cfg *config, n int) {
	g := cfg.gen
	cs := GenCase(g).Draw(rt, "case")
	mk := func(int) Framework { return factory() }
	res, err := runCase(cs, mk, cfg)
	if err == nil && res.OK() && cfg.replayEvery > 0 && n%cfg.replayEvery == 1 {
		again, err2 := runCase(cs, mk, cfg)
		if err2 == nil && (again.TraceHash != res.TraceHash || again.TraceLines != res.TraceLines) {
			res.Violations = append(res.Violations, Violation{Phase: "replay", Invariant: InvReplay,
				Detail: fmt.Sprintf("the same case gave traces %016x (%d lines) and %016x (%d lines)",
					res.TraceHash, res.TraceLines, again.TraceHash, again.TraceLines)})
		}
	}
	if err == nil && res.OK() {
		return
	}
	rt.Fatalf("%s", failureReport(testName, cs, res, err, cfg))
}

// failureReport writes the reproducer and says how to replay it.
func failureReport(testName string, cs Case, res Result, err error, cfg *config) string {
	var b strings.Builder
	if err != nil {
		fmt.Fprintf(&b, "the run failed: %v\n", err)
	}
	for _, v := range res.Violations {
		b.WriteString("violation: " + v.String() + "\n")
	}
	js, jerr := cs.Marshal()
	if jerr != nil {
		fmt.Fprintf(&b, "(the case does not marshal: %v)\n", jerr)
		return b.String()
	}
	fmt.Fprintf(&b, "case (seed %d, %d fault steps):\n%s", cs.Seed, len(cs.Faults), js)
	file := ""
	if cfg.reproDir != "" {
		file = filepath.Join(cfg.reproDir, safeName(testName)+".json")
		if werr := os.MkdirAll(cfg.reproDir, 0o755); werr == nil {
			werr = os.WriteFile(file, js, 0o644)
			if werr != nil {
				file = ""
			}
		} else {
			file = ""
		}
	}
	fmt.Fprintf(&b, "replay: go test -count=1 -run '^%s$' -rapid.seed=<the seed rapid prints> .\n", regexp.QuoteMeta(testName))
	if file != "" {
		fmt.Fprintf(&b, "    or: scenarios.Replay(t, %q) in a test\n", file)
		if cs.Framework != "" {
			fmt.Fprintf(&b, "    or: mesos-sim scenario replay %s\n", file)
		}
	}
	return b.String()
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func safeName(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_") }

// rapidChecks is rapid's -rapid.checks (100 by default).
func rapidChecks() int {
	if f := flag.Lookup("rapid.checks"); f != nil {
		if n, err := strconv.Atoi(f.Value.String()); err == nil && n > 0 {
			return n
		}
	}
	return 100
}

// rapidChecksSet reports whether -rapid.checks was given on the command
// line: it then wins over Cases.
func rapidChecksSet() bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	return set
}

func rapidSeedSet() bool {
	f := flag.Lookup("rapid.seed")
	return f != nil && f.Value.String() != "0"
}

// Replay runs the case in file (written by Check) and fails the test if
// an invariant does not hold. The framework is the reference framework the
// case names, or the one given with WithFramework.
func Replay(t *testing.T, file string, opts ...Option) Result {
	t.Helper()
	res, err := ReplayFile(file, opts...)
	if err != nil {
		t.Errorf("replaying %s: %v\n%s", file, err, res.Report())
	}
	return res
}

// ReplayFile runs the case in file with its whole trace kept: what
// `mesos-sim scenario replay FILE` does. The error wraps ErrViolation when
// an invariant does not hold.
func ReplayFile(path string, opts ...Option) (Result, error) {
	cs, err := ReadCase(path)
	if err != nil {
		return Result{}, err
	}
	return runNamedFactory(cs, opts)
}

// runNamedFactory runs a case with the factory the options give, the
// named scenario's, or the reference framework it names, keeping the
// trace.
func runNamedFactory(cs Case, opts []Option) (Result, error) {
	if s, ok := Lookup(cs.Name); ok {
		return s.run(cs, opts)
	}
	cfg := newConfig(opts)
	factory := cfg.factory
	if factory == nil {
		f, ok := frameworks.Reference(cs.Framework)
		if !ok {
			return Result{Case: cs}, fmt.Errorf("scenarios: the case names no reference framework (%q) and no WithFramework option was given", cs.Framework)
		}
		factory = f
	}
	res, err := runCase(cs, func(int) Framework { return factory() }, cfg)
	if err != nil {
		return res, err
	}
	return res, res.Err()
}

// clusterGoroutines counts the goroutines of clusters (their drivers and
// servers) alive now.
func clusterGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "mesos-sim/sim.(*Driver)") || strings.Contains(g, "mesos-sim/scenarios.") && !strings.Contains(g, "clusterGoroutines") && !strings.Contains(g, "testing.tRunner") {
			count++
		}
	}
	return count
}

// waitClusterGoroutines waits (briefly, in wall time) for the count to come
// down to want, and returns the last count.
func waitClusterGoroutines(want int) int {
	n := clusterGoroutines()
	for i := 0; i < 100 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = clusterGoroutines()
	}
	return n
}

// Failure is a failing case found by Falsify: the shrunk case and what it
// broke.
type Failure struct {
	Case       Case
	Violations []Violation
	Err        error
	// Report is rapid's account of the search (the seed to replay it).
	Report string
}

// Falsify searches generated cases for one that breaks an invariant, as
// Check does, but returns the shrunk failing case instead of failing a
// test: it is how the tests prove that the deliberately broken frameworks
// are caught. It runs at most cases cases (as -rapid.checks does) and lets
// rapid shrink for at most shrink of wall time; then it drops the fault
// steps the failure does not need, one at a time. It returns nil if every
// case passed. NB: it sets rapid's -rapid.checks, -rapid.shrinktime and
// -rapid.nofailfile flags while it runs; do not call it in parallel.
func Falsify(factory func() Framework, cases int, shrink time.Duration, opts ...Option) *Failure {
	cfg := newConfig(opts)
	cfg.keepTrace, cfg.stopEarly, cfg.replayEvery = false, true, 0
	if cfg.gen.Framework == "" && cfg.gen.FrameworkName == "" {
		cfg.gen.FrameworkName = factory().Name()
	}
	restore := setFlags(map[string]string{
		"rapid.checks": strconv.Itoa(cases), "rapid.shrinktime": shrink.String(), "rapid.nofailfile": "true",
	})
	defer restore()
	var last *Failure
	tb := &recordingTB{name: "Falsify"}
	func() {
		defer func() {
			if v := recover(); v != nil && v != errFailNow {
				panic(v)
			}
		}()
		rapid.Check(tb, func(rt *rapid.T) {
			cs := GenCase(cfg.gen).Draw(rt, "case")
			res, err := runCase(cs, func(int) Framework { return factory() }, cfg)
			if err == nil && res.OK() {
				return
			}
			last = &Failure{Case: cs, Violations: res.Violations, Err: err}
			rt.Fatalf("%d violations", len(res.Violations))
		})
	}()
	if last != nil {
		last.Report = tb.log.String()
		last = dropSteps(last, factory, cfg)
	}
	return last
}

// dropSteps finishes rapid's shrinking, which may stop at a local minimum
// or at its time limit: it removes the fault steps one at a time, keeping
// each removal after which the case still fails, until none can go.
func dropSteps(f *Failure, factory func() Framework, cfg *config) *Failure {
	for removed := true; removed; {
		removed = false
		for i := range f.Case.Faults {
			cs := f.Case
			cs.Faults = append(slices.Clone(cs.Faults[:i]), cs.Faults[i+1:]...)
			res, err := runCase(cs, func(int) Framework { return factory() }, cfg)
			if err == nil && res.OK() {
				continue
			}
			f = &Failure{Case: cs, Violations: res.Violations, Err: err, Report: f.Report}
			removed = true
			break
		}
	}
	return f
}

// setFlags sets command-line flags and returns a function that restores
// them.
func setFlags(values map[string]string) (restore func()) {
	old := map[string]string{}
	for name, v := range values {
		if f := flag.Lookup(name); f != nil {
			old[name] = f.Value.String()
			_ = f.Value.Set(v)
		}
	}
	return func() {
		for name, v := range old {
			_ = flag.Lookup(name).Value.Set(v)
		}
	}
}

var errFailNow = errors.New("scenarios: rapid gave up the check")

// recordingTB is a rapid.TB that records what rapid reports instead of
// failing a test.
type recordingTB struct {
	name   string
	log    strings.Builder
	failed bool
}

func (r *recordingTB) Helper()                           {}
func (r *recordingTB) Name() string                      { return r.name }
func (r *recordingTB) Logf(format string, args ...any)   { fmt.Fprintf(&r.log, format+"\n", args...) }
func (r *recordingTB) Log(args ...any)                   { fmt.Fprintln(&r.log, args...) }
func (r *recordingTB) Skipf(format string, args ...any)  { r.Logf(format, args...); panic(errFailNow) }
func (r *recordingTB) Skip(args ...any)                  { r.Log(args...); panic(errFailNow) }
func (r *recordingTB) SkipNow()                          { panic(errFailNow) }
func (r *recordingTB) Errorf(format string, args ...any) { r.failed = true; r.Logf(format, args...) }
func (r *recordingTB) Error(args ...any)                 { r.failed = true; r.Log(args...) }
func (r *recordingTB) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	panic(errFailNow)
}
func (r *recordingTB) Fatal(args ...any) { r.Error(args...); panic(errFailNow) }
func (r *recordingTB) FailNow()          { r.failed = true; panic(errFailNow) }
func (r *recordingTB) Fail()             { r.failed = true }
func (r *recordingTB) Failed() bool      { return r.failed }
