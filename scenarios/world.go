package scenarios

import (
	"container/heap"
	"fmt"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
	"github.com/mesos-sim/mesos-sim/sim"
)

// Bounds of one run (TigerBeetle: put a limit on everything).
const (
	// maxRoundsPerInstant bounds the deliveries at one virtual instant: a
	// framework and the master answering each other forever is a livelock.
	maxRoundsPerInstant = 10_000
	// finalWait is how long the cluster runs after the last
	// reconciliation before the final checks.
	finalWait = 2 * time.Minute
	// settleExtension and maxSettleExtensions bound how much longer than
	// Case.Settle the cluster runs to become quiet (see world.quiet).
	settleExtension     = 30 * time.Second
	maxSettleExtensions = 20
)

// world runs one Case: a cluster, the frameworks driven inside its loop,
// the faults, and the invariants.
type world struct {
	c     *sim.Cluster
	cs    Case
	cfg   *config
	sink  *traceSink
	epoch time.Time
	now   time.Time

	m        *master.Master // the leading master, during a delivery only
	sessions []*session
	timers   timerHeap
	seq      uint64
	closing  []*session // refused subscriptions to report as closed

	phase      string
	violations []Violation
	// watchStarving is set in the final window: starving[i] stays true
	// while session i wants tasks and has room (see InvGoal).
	watchStarving bool
	starving      []bool
	starvingSince time.Duration
	// instant and rounds count the deliveries at one virtual instant
	// (maxRoundsPerInstant).
	instant time.Time
	rounds  int
}

func newWorld(cs Case, mk func(i int) Framework, cfg *config) (*world, error) {
	if err := cs.Validate(); err != nil {
		return nil, err
	}
	w := &world{cs: cs, cfg: cfg, sink: newTraceSink(cfg.keepTrace)}
	opts := []sim.Option{
		sim.Seed(cs.Seed),
		sim.TraceTo(w.sink),
		sim.TraceLines(1),
		sim.MasterConfig(master.Config{
			AgentReregisterTimeout: cs.reregisterTimeout(),
			OfferTimeout:           cs.OfferTimeout.D(),
		}),
	}
	for _, a := range cs.Agents {
		opts = append(opts, sim.Agent(sim.AgentSpec{Resources: a}))
	}
	c, err := sim.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("scenarios: starting the cluster: %w", err)
	}
	w.c = c
	w.now = c.Now()
	w.epoch = w.now
	fws := make([]Framework, cs.Frameworks)
	count := map[string]int{}
	for i := range fws {
		fws[i] = mk(i)
		count[fws[i].Name()]++
	}
	for i, fw := range fws {
		if cf, ok := fw.(frameworks.Configurable); ok {
			wl := cs.Workload
			if count[fw.Name()] > 1 {
				// Instances of one framework are told apart by number.
				wl.Name = fw.Name() + "-" + strconv.Itoa(i+1)
			}
			cf.Configure(wl)
		}
		w.sessions = append(w.sessions, newSession(w, i, fw))
	}
	return w, nil
}

// agentID returns the id of the agent with the endpoint name, as the
// master knows it.
func (w *world) agentID(m *master.Master, name string) (string, error) {
	for _, a := range m.Agents() {
		if a.Name == name {
			return a.ID, nil
		}
	}
	return "", fmt.Errorf("no registered agent named %s", name)
}

func (w *world) elapsed() time.Duration { return w.now.Sub(w.epoch) }

// tracef writes a line of the scenario driver to the trace.
func (w *world) tracef(format string, args ...any) {
	w.sink.line(w.elapsed(), fmt.Sprintf(format, args...))
}

// master returns the leading master; only during a delivery.
func (w *world) master() *master.Master {
	if w.m == nil {
		panic("scenarios: a framework called the master outside a delivery")
	}
	return w.m
}

func (w *world) after(d time.Duration, s *session, fn func()) *fwTimer {
	w.seq++
	t := &fwTimer{at: w.now.Add(max(d, 0)), seq: w.seq, s: s, fn: fn}
	heap.Push(&w.timers, t)
	return t
}

func (w *world) closeLater(s *session) { w.closing = append(w.closing, s) }

// violate records a broken invariant.
func (w *world) violate(invariant, format string, args ...any) {
	v := Violation{At: w.elapsed(), Phase: w.phase, Invariant: invariant, Detail: fmt.Sprintf(format, args...)}
	w.violations = append(w.violations, v)
	w.tracef("VIOLATION %s", v)
}

// pendingNow reports whether something waits to be delivered now.
func (w *world) pendingNow() bool {
	if len(w.closing) > 0 {
		return true
	}
	if t := w.timers.next(); t != nil && !t.at.After(w.now) {
		return true
	}
	return w.streamsPending()
}

func (w *world) streamsPending() bool {
	for _, s := range w.sessions {
		if s.pending() {
			return true
		}
	}
	return false
}

// deliver runs, on the loop, extra (if any), the framework timers that are
// due and what the streams hold, once; the loop settles afterwards, and
// what the frameworks' calls caused is delivered in the next round.
func (w *world) deliver(extra func()) error {
	if w.instant.Equal(w.now) {
		w.rounds++
		if w.rounds > maxRoundsPerInstant {
			return fmt.Errorf("scenarios: livelock: %d deliveries at %s without virtual time moving", w.rounds, w.elapsed())
		}
	} else {
		w.instant, w.rounds = w.now, 0
	}
	var failure error
	ran := false
	w.c.Master(func(m *master.Master) {
		ran = true
		w.m = m
		defer func() {
			w.m = nil
			if v := recover(); v != nil {
				failure = fmt.Errorf("scenarios: panic in a framework at %s: %v\n%s", w.elapsed(), v, debug.Stack())
			}
		}()
		if extra != nil {
			extra()
		}
		for t := w.timers.next(); t != nil && !t.at.After(w.now); t = w.timers.next() {
			heap.Pop(&w.timers)
			t.fn()
		}
		closing := w.closing
		w.closing = nil
		for _, s := range closing {
			s.fw.Closed(s)
		}
		for _, s := range w.sessions {
			s.deliver()
		}
	})
	if !ran {
		// NB: Cluster.Master drops the driver's error; ask again for it.
		err := w.c.Inspect(func(sim.View) {})
		return fmt.Errorf("scenarios: the cluster stopped at %s: %w", w.elapsed(), err)
	}
	return failure
}

// cond is the RunUntil condition, evaluated at every settled instant (after
// all the events of one virtual instant): the per-step checks, then stop
// the loop if a stream holds something.
func (w *world) cond(v sim.View) bool {
	w.now = v.Now()
	w.stepChecks(v)
	return w.streamsPending()
}

// runFor runs the cluster and the frameworks for d of virtual time.
func (w *world) runFor(d time.Duration) error {
	end := w.now.Add(d)
	for {
		if w.cfg.stopEarly && len(w.violations) > 0 {
			return nil
		}
		if w.pendingNow() {
			if err := w.deliver(nil); err != nil {
				return err
			}
			continue
		}
		if !w.now.Before(end) {
			return nil
		}
		next := end
		if t := w.timers.next(); t != nil && t.at.Before(next) {
			next = t.at
		}
		ok, err := w.c.RunUntil(w.cond, next.Sub(w.now))
		if err != nil {
			return fmt.Errorf("scenarios: running the cluster at %s: %w", w.elapsed(), err)
		}
		if !ok {
			w.now = next
		}
	}
}

// disarmer is a cluster that can cancel the fault steps that have not
// fired yet (sim.Cluster.DisarmFaults). Without it, generated schedules
// would have to leave out When steps (see GenConfig), so that every step
// fires within the chaos phase.
type disarmer interface{ DisarmFaults() error }

var canDisarm = func() bool { _, ok := any((*sim.Cluster)(nil)).(disarmer); return ok }()

// heal ends every fault: steps not fired yet are cancelled (where the
// cluster can), the network is healed, and crashed agents restart with
// recovery unless they were lost for good or marked gone.
func (w *world) heal() error {
	w.tracef("healing everything")
	if d, ok := any(w.c).(disarmer); ok {
		if err := d.DisarmFaults(); err != nil {
			return fmt.Errorf("scenarios: heal: %w", err)
		}
	}
	if err := w.c.InjectFault(faults.Heal{}); err != nil {
		return fmt.Errorf("scenarios: heal: %w", err)
	}
	gone := map[string]bool{}
	for _, r := range w.c.FaultRecords() {
		if r.Err != nil {
			continue
		}
		switch f := r.Fault.(type) {
		case faults.LoseAgent:
			gone[f.Agent] = true
		case faults.MarkAgentGone:
			gone[f.Agent] = true
		}
	}
	var states []sim.AgentState
	if err := w.c.Inspect(func(v sim.View) { states = v.AgentStates() }); err != nil {
		return err
	}
	for _, a := range states {
		if !a.Running && !a.Lost && !gone[a.Name] {
			if err := w.c.InjectFault(faults.RestartAgent{Agent: a.Name, Recover: true}); err != nil {
				return fmt.Errorf("scenarios: heal: %w", err)
			}
		}
	}
	return nil
}

// run runs the case: start the frameworks, the chaos phase with the
// faults, heal, settle, a last reconciliation, the final checks.
func (w *world) run() error {
	w.phase = "start"
	w.tracef("case %s", w.cs.String())
	if err := w.deliver(func() {
		for _, s := range w.sessions {
			s.fw.Start(s)
		}
	}); err != nil {
		return err
	}
	for _, op := range w.cfg.ops {
		w.after(op.at-w.elapsed(), nil, func() {
			w.tracef("operator: %s", op.what)
			if err := op.do(w, w.master()); err != nil {
				w.violate("operator", "%s: %v", op.what, err)
			}
		})
	}
	if len(w.cs.Faults) > 0 {
		if err := w.c.InstallSchedule(w.cs.Faults); err != nil {
			return fmt.Errorf("scenarios: installing the fault schedule: %w", err)
		}
	}
	w.phase = "chaos"
	if err := w.runFor(w.cs.Chaos.D()); err != nil {
		return err
	}
	w.phase = "settle"
	if len(w.cs.Faults) > 0 {
		if err := w.heal(); err != nil {
			return err
		}
	}
	if err := w.runFor(w.cs.settle()); err != nil {
		return err
	}
	// Updates retried with a long backoff, a framework still coming back:
	// give them time, within a bound.
	for range maxSettleExtensions {
		quiet, err := w.quiet()
		if err != nil {
			return err
		}
		if quiet {
			break
		}
		if err := w.runFor(settleExtension); err != nil {
			return err
		}
	}
	w.phase = "reconcile"
	w.tracef("asking every framework to reconcile")
	if err := w.deliver(func() {
		for _, s := range w.sessions {
			s.fw.Reconcile(s)
		}
	}); err != nil {
		return err
	}
	w.watchStarving, w.starvingSince = true, w.elapsed()
	w.starving = make([]bool, len(w.sessions))
	for i := range w.starving {
		w.starving[i] = true
	}
	if err := w.runFor(finalWait); err != nil {
		return err
	}
	w.phase = "final"
	return w.finalChecks()
}

// quiet reports whether the healed cluster has settled: every framework
// is subscribed or knows it was removed, and no running agent retries a
// status update.
func (w *world) quiet() (bool, error) {
	for _, s := range w.sessions {
		if snap := s.fw.Snapshot(); !snap.Subscribed && !snap.Removed {
			return false, nil
		}
	}
	quiet := true
	err := w.c.Inspect(func(v sim.View) {
		running := map[string]bool{}
		for _, a := range v.AgentStates() {
			running[a.Name] = a.Running && a.Registered
		}
		for name := range v.PendingUpdates() {
			if running[name] {
				quiet = false
			}
		}
	})
	return quiet, err
}

// close stops the cluster.
func (w *world) close() error { return w.c.Close() }
