package scenarios

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
	"github.com/mesos-sim/mesos-sim/sim"
)

// The built-in invariants, by the names violations carry.
const (
	// InvAgentOvercommit: no agent uses more than it has.
	InvAgentOvercommit = "agent-overcommit"
	// InvOffersDisjoint: the outstanding offers of an agent and what it
	// uses fit in it together (no resource is in two offers, or offered
	// and used).
	InvOffersDisjoint = "offers-disjoint"
	// InvUpdateOrder: per task, the status updates that carry a uuid
	// reach the framework in order: a duplicate repeats its state, a new
	// one never goes back to an earlier state.
	InvUpdateOrder = "update-order"
	// InvOneTerminal: a task has at most one terminal update with a uuid.
	InvOneTerminal = "one-terminal-state"
	// InvViewEqualsTruth: after the final reconciliation every framework
	// believes what the agents know: a task an agent runs is believed in
	// the state the agent reports; a task no running agent has is believed
	// terminal, or unreachable/unknown when its agent is down; a task the
	// agents do not know but the master still tracks (a launch lost on
	// the way) is believed in the master's state.
	InvViewEqualsTruth = "view-equals-truth"
	// InvUpdatesAcknowledged: at the end no agent still retries an update
	// of a subscribed framework: every update was retried until it was
	// acknowledged.
	InvUpdatesAcknowledged = "updates-acknowledged"
	// InvSubscribed: at the end every framework is subscribed, or knows
	// that the master removed it.
	InvSubscribed = "subscribed"
	// InvRemovedFrameworkTasks: no running agent runs a task of a
	// framework the master removed.
	InvRemovedFrameworkTasks = "removed-framework-tasks"
	// InvGoal: no framework starves: in the last minutes of the run (after
	// the last reconciliation) there was a moment when each framework
	// either wanted no more tasks or had no room for one anywhere (on a
	// running, registered agent, beside what is used and offered to
	// others). A framework that wants tasks while room stays free all that
	// time gets no offers, or does not use them.
	InvGoal = "framework-goal"
	// InvDRF: when every framework still wants tasks of the same shape at
	// the end of a run without faults, on agents that each hold a whole
	// number of such tasks in every resource the task uses, their dominant
	// shares are within one task of each other. (With faults history
	// counts: a framework away during a master failover finds the cluster
	// taken, and Mesos does not preempt. On agents that strand resources —
	// memory left, no cpus — the leftovers are offered, the offer counts
	// in the sorter's shares, and the framework holding it loses its turn:
	// Mesos does the same.)
	InvDRF = "drf-fairness"
	// InvReplay: the same case gives a byte-identical trace.
	InvReplay = "replay-identical"
	// InvGoroutines: no goroutine outlives the cases.
	InvGoroutines = "no-goroutine-leak"
)

// Violation is a broken invariant.
type Violation struct {
	// At is the virtual time since the cluster started.
	At time.Duration
	// Phase is the part of the run: "start", "chaos", "settle",
	// "reconcile", "final".
	Phase     string
	Invariant string
	Detail    string
}

func (v Violation) String() string {
	return fmt.Sprintf("%s [%s] %s: %s", fmtDuration(v.At), v.Phase, v.Invariant, v.Detail)
}

func fmtDuration(d time.Duration) string { return (d - d%time.Millisecond).String() }

// View is what an invariant sees: the cluster (the embedded sim.View: the
// master's frameworks, agents, offers and tasks, the agents' own state)
// and what the frameworks believe.
type View struct {
	sim.View
	w     *world
	final bool
}

// Final reports whether this is the check at the end of the run (after
// healing, settling and a last reconciliation); otherwise it is a check
// during the run.
func (v View) Final() bool { return v.final }

// Elapsed is the virtual time since the cluster started.
func (v View) Elapsed() time.Duration { return v.w.elapsed() }

// Phase is the part of the run ("chaos", "settle", "final", ...).
func (v View) Phase() string { return v.w.phase }

// FrameworkState is one framework of the run as the scenario sees it.
type FrameworkState struct {
	// Name is the framework's name.
	Name string
	// IDs are the framework ids it was given, oldest first.
	IDs []string
	// Snapshot is what it believes.
	Snapshot frameworks.Snapshot
	// Launched are the ids of the tasks it launched, sorted.
	Launched []string
	// Updates are the status updates it received, in order.
	Updates []ObservedUpdate
}

// FrameworkStates returns the frameworks of the run, in start order.
func (v View) FrameworkStates() []FrameworkState {
	out := make([]FrameworkState, 0, len(v.w.sessions))
	for _, s := range v.w.sessions {
		out = append(out, FrameworkState{Name: s.name, IDs: slices.Clone(s.everID), Snapshot: s.fw.Snapshot(), Launched: s.obs.launchedIDs(),
			Updates: slices.Clone(s.obs.updates)})
	}
	return out
}

// invariant is a user invariant registered with the Invariant option.
type invariant struct {
	name  string
	check func(View) error
}

// stepChecks runs the cheap invariants: at every settled instant, and at
// the end.
func (w *world) stepChecks(v sim.View) {
	states := v.AgentStates()
	byName := make(map[string]sim.AgentState, len(states))
	for _, a := range states {
		byName[a.Name] = a
		if total, used := a.Total.Unallocate(), a.Used.Unallocate(); !total.Contains(used) {
			w.violateOnce(InvAgentOvercommit, "agent %s (%s) uses %s of %s", a.Name, a.ID, used, total)
		}
	}
	names := map[string]string{} // agent id -> endpoint name, as the master knows them
	for _, a := range v.Agents() {
		names[a.ID] = a.Name
	}
	offered := map[string]resources.Resources{}
	var agentIDs []string
	for _, o := range v.Offers() {
		if _, ok := offered[o.AgentID]; !ok {
			agentIDs = append(agentIDs, o.AgentID)
		}
		offered[o.AgentID] = offered[o.AgentID].Plus(o.Resources.Unallocate())
	}
	slices.Sort(agentIDs)
	for _, id := range agentIDs {
		name, ok := names[id]
		if !ok {
			w.violateOnce(InvOffersDisjoint, "offers of %s on agent %s, which the master does not know", offered[id], id)
			continue
		}
		// The master's knowledge lags: the agent may have crashed unseen,
		// or not have heard its new id yet. Compare with the process that
		// answers to that id (or has none yet).
		a, ok := byName[name]
		if !ok || !a.Running || (a.ID != id && a.ID != "") {
			continue
		}
		if need := a.Used.Unallocate().Plus(offered[id]); !a.Total.Unallocate().Contains(need) {
			w.violateOnce(InvOffersDisjoint, "agent %s (%s): offered %s and used %s do not fit in %s",
				a.Name, id, offered[id], a.Used.Unallocate(), a.Total.Unallocate())
		}
	}
	if w.watchStarving {
		w.trackStarving(v, states)
	}
	w.userChecks(v, false)
}

// trackStarving clears the starving mark of every framework that, now,
// wants nothing or has no room.
func (w *world) trackStarving(v sim.View, states []sim.AgentState) {
	for i, s := range w.sessions {
		if !w.starving[i] {
			continue
		}
		snap := s.fw.Snapshot()
		if snap.Wanted == 0 || snap.TaskResources == "" || snap.Removed || w.room(v, states, snap.TaskResources, snap.ID) == "" {
			w.starving[i] = false
		}
	}
}

func (w *world) userChecks(v sim.View, final bool) {
	for _, inv := range w.cfg.invariants {
		if err := inv.check(View{View: v, w: w, final: final}); err != nil {
			w.violateOnce(inv.name, "%v", err)
		}
	}
}

// violateOnce records a violation unless the same one was recorded.
func (w *world) violateOnce(invariant, format string, args ...any) {
	detail := fmt.Sprintf(format, args...)
	for _, v := range w.violations {
		if v.Invariant == invariant && v.Detail == detail {
			return
		}
	}
	w.violate(invariant, "%s", detail)
}

// truthTask is a task as an agent knows it.
type truthTask struct {
	agent   sim.AgentState
	state   mesospb.TaskState
	res     resources.Resources
	isAlive bool // the agent is running and registered
}

// finalChecks compares what every framework believes with what the agents
// and the master know, once the cluster has healed and settled.
func (w *world) finalChecks() error {
	return w.c.Inspect(func(v sim.View) {
		w.now = v.Now()
		w.stepChecks(v)
		states := v.AgentStates()
		byName := map[string]sim.AgentState{}
		liveIDs := map[string]bool{}
		for _, a := range states {
			byName[a.Name] = a
			if a.Running && a.Registered {
				liveIDs[a.ID] = true
			}
		}
		truth := map[string]map[string]truthTask{} // framework id -> task id
		agentTasks := v.AgentTasks()
		for _, a := range states {
			for _, t := range agentTasks[a.Name] {
				if truth[t.FrameworkID] == nil {
					truth[t.FrameworkID] = map[string]truthTask{}
				}
				truth[t.FrameworkID][t.TaskID] = truthTask{agent: a, state: t.State, res: t.Resources, isAlive: a.Running && a.Registered}
			}
		}
		masterFWs := map[string]master.Framework{}
		for _, f := range v.Frameworks() {
			masterFWs[f.ID] = f
		}
		masterTasks := map[[2]string]master.Task{}
		for _, t := range v.Tasks() {
			masterTasks[[2]string{t.FrameworkID, t.ID}] = t
		}
		pending := v.PendingUpdates()
		snaps := make([]frameworks.Snapshot, len(w.sessions))
		for i, s := range w.sessions {
			snap := s.fw.Snapshot()
			snaps[i] = snap
			id := s.id
			mf, known := masterFWs[id]
			if !known {
				for _, fid := range s.everID {
					for _, tid := range sortedKeys(truth[fid]) {
						if t := truth[fid][tid]; t.isAlive && !frameworks.IsTerminal(t.state) {
							w.violate(InvRemovedFrameworkTasks, "framework %s (%s) was removed but agent %s still runs its task %s (%s)",
								s.name, fid, t.agent.Name, tid, t.state)
						}
					}
				}
				if !snap.Removed {
					w.violate(InvSubscribed, "framework %s (%q) is unknown to the master and does not know it was removed", s.name, id)
				}
				continue
			}
			if !mf.Connected {
				w.violate(InvSubscribed, "framework %s (%s) is not subscribed at the end", s.name, id)
			}
			w.checkBeliefs(s, snap, truth[id], liveIDs, masterTasks)
			for _, name := range sortedKeys(pending) {
				a := byName[name]
				if !a.Running || !a.Registered {
					continue
				}
				for _, p := range pending[name] {
					if p.FrameworkID == id {
						w.violate(InvUpdatesAcknowledged, "agent %s still retries %s of task %s of framework %s (uuid %x)",
							name, p.Status.GetState(), p.Status.GetTaskId().GetValue(), s.name, p.Status.GetUuid())
					}
				}
			}
			if w.starving[i] && snap.Wanted > 0 && snap.TaskResources != "" {
				if where := w.room(v, states, snap.TaskResources, id); where != "" {
					w.violate(InvGoal, "framework %s: %s; it wanted %d more tasks of %s since %s, and %s",
						s.name, snap.Goal, snap.Wanted, snap.TaskResources, fmtDuration(w.starvingSince), where)
				}
			}
		}
		w.checkDRF(v, states, snaps, masterFWs)
		w.userChecks(v, true)
	})
}

// checkBeliefs compares one framework's beliefs with the agents' truth.
func (w *world) checkBeliefs(s *session, snap frameworks.Snapshot, truth map[string]truthTask, liveIDs map[string]bool, masterTasks map[[2]string]master.Task) {
	ids := s.obs.launchedIDs()
	for id := range snap.Tasks {
		if _, ok := s.obs.launched[id]; !ok {
			ids = append(ids, id)
		}
	}
	for id := range truth {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for _, id := range ids {
		b, believed := snap.Tasks[id]
		t, onAgent := truth[id]
		switch {
		case onAgent && t.isAlive:
			switch {
			case !believed:
				w.violate(InvViewEqualsTruth, "framework %s does not know task %s, which agent %s runs (%s)", s.name, id, t.agent.Name, t.state)
			case b.State != t.state:
				w.violate(InvViewEqualsTruth, "framework %s believes task %s is %s; agent %s says %s", s.name, id, b.State, t.agent.Name, t.state)
			}
		case !believed:
			// Forgotten, and no running agent has it: nothing to compare.
		case frameworks.IsTerminal(b.State):
		case (onAgent || !liveIDs[b.AgentID]) && isAbsentState(b.State):
			// Its agent is down: unreachable or unknown is all one can know.
		default:
			mt, tracked := masterTasks[[2]string{snap.ID, id}]
			if tracked && mt.State == b.State {
				// The master tracks it in the same state (a launch that
				// never reached the agent): consistent, if stuck.
				continue
			}
			where := "no running agent has it"
			if onAgent {
				where = "its agent " + t.agent.Name + " is down"
			} else if !liveIDs[b.AgentID] {
				where = "its agent " + b.AgentID + " is down"
			}
			w.violate(InvViewEqualsTruth, "framework %s believes task %s is %s, but %s", s.name, id, b.State, where)
		}
	}
}

func isAbsentState(s mesospb.TaskState) bool {
	return s == mesospb.TaskState_TASK_UNREACHABLE || s == mesospb.TaskState_TASK_UNKNOWN
}

// room returns where a task of the given resources would fit now — on a
// running, registered agent, beside what it uses, what the master counts
// as used there (a launch lost on the way holds resources in the master's
// books only) and what is offered to other frameworks — or "" if nowhere.
func (w *world) room(v sim.View, states []sim.AgentState, taskRes, frameworkID string) string {
	need, err := resources.Parse(taskRes)
	if err != nil {
		return ""
	}
	need = need.Unallocate()
	others := map[string]resources.Resources{}
	for _, o := range v.Offers() {
		if o.FrameworkID != frameworkID {
			others[o.AgentID] = others[o.AgentID].Plus(o.Resources.Unallocate())
		}
	}
	booked := map[string]resources.Resources{}
	for _, t := range v.Tasks() {
		if !frameworks.IsTerminal(t.State) {
			booked[t.AgentID] = booked[t.AgentID].Plus(t.Resources.Unallocate())
		}
	}
	for _, a := range states {
		if !a.Running || !a.Registered {
			continue
		}
		total := a.Total.Unallocate()
		free := total.Minus(a.Used.Unallocate()).Minus(others[a.ID])
		if booked := total.Minus(booked[a.ID]).Minus(others[a.ID]); free.Contains(need) && booked.Contains(need) {
			return fmt.Sprintf("agent %s has %s free", a.Name, free.Scalars())
		}
	}
	return ""
}

// checkDRF checks fairness when every framework is subscribed, wants more
// tasks and all want tasks of one shape: their dominant shares (of what
// the running agents have; tasks and offers count) are within one task.
func (w *world) checkDRF(v sim.View, states []sim.AgentState, snaps []frameworks.Snapshot, masterFWs map[string]master.Framework) {
	if len(snaps) < 2 || len(w.cs.Faults) > 0 {
		return
	}
	shape := snaps[0].TaskResources
	for _, s := range snaps {
		if s.Wanted == 0 || s.Removed || s.TaskResources == "" || s.TaskResources != shape || !masterFWs[s.ID].Connected {
			return
		}
	}
	task, err := resources.Parse(shape)
	if err != nil {
		return
	}
	var total resources.Resources
	live := map[string]bool{}
	for _, a := range states {
		if a.Running && a.Registered {
			if !tiles(a.Total, task) {
				return
			}
			total = total.Plus(a.Total.Unallocate())
			live[a.ID] = true
		}
	}
	alloc := map[string]resources.Resources{}
	for _, a := range states {
		if !live[a.ID] {
			continue
		}
		for _, t := range v.AgentTasks()[a.Name] {
			if !frameworks.IsTerminal(t.State) {
				alloc[t.FrameworkID] = alloc[t.FrameworkID].Plus(t.Resources.Unallocate())
			}
		}
	}
	for _, o := range v.Offers() {
		alloc[o.FrameworkID] = alloc[o.FrameworkID].Plus(o.Resources.Unallocate())
	}
	one := dominantShare(task, total)
	lo, hi := math.Inf(1), math.Inf(-1)
	var parts []string
	for i, s := range snaps {
		sh := dominantShare(alloc[s.ID], total)
		lo, hi = min(lo, sh), max(hi, sh)
		parts = append(parts, fmt.Sprintf("%s %.3f", w.sessions[i].name, sh))
	}
	if hi-lo > one+1e-9 {
		w.violate(InvDRF, "every framework wants more %s tasks, but dominant shares differ by %.3f, more than one task (%.3f): %s",
			shape, hi-lo, one, strings.Join(parts, ", "))
	}
}

// tiles reports whether an agent's total holds the same whole number of
// tasks in every scalar resource the task uses.
func tiles(total, task resources.Resources) bool {
	n := -1.0
	for _, name := range task.Scalars().Names() {
		t, _ := task.ScalarNamed(name)
		a, _ := total.ScalarNamed(name)
		if t.Float64() <= 0 {
			continue
		}
		k := a.Float64() / t.Float64()
		if k != math.Trunc(k) || (n >= 0 && k != n) {
			return false
		}
		n = k
	}
	return true
}

// dominantShare is the largest share of r in any scalar resource of total.
func dominantShare(r, total resources.Resources) float64 {
	share := 0.0
	for _, name := range total.Scalars().Names() {
		t, _ := total.ScalarNamed(name)
		x, _ := r.ScalarNamed(name)
		if t.Float64() > 0 {
			share = max(share, x.Float64()/t.Float64())
		}
	}
	return share
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
