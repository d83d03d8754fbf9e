package frameworks

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// BehaviorLabel is the task label the simulated agents read a task's
// behaviour from (agent.BehaviorLabel).
const BehaviorLabel = "mesos-sim.behavior"

// Options configure a reference framework. The zero value of a field
// means the default given in its comment.
type Options struct {
	// Name is FrameworkInfo.name ("keeper", "batch", ... per framework).
	Name string
	// Role is the framework's role ("*").
	Role string
	// PartitionAware subscribes with the PARTITION_AWARE capability.
	PartitionAware bool
	// Checkpoint is FrameworkInfo.checkpoint: the framework's tasks
	// survive an agent restart with recovery.
	Checkpoint bool
	// FailoverTimeout is FrameworkInfo.failover_timeout (10 minutes): how
	// long the master keeps the framework's tasks while it is
	// disconnected. Negative means 0: torn down at once.
	FailoverTimeout time.Duration
	// ResubscribeDelay is how long the framework waits after its stream
	// ended before it subscribes again (1 s, plus up to 1 s drawn from its
	// random stream; doubling after a refused subscription, at most 1 min).
	ResubscribeDelay time.Duration
	// ReconcileInterval is the period of reconciliation besides the one
	// after every SUBSCRIBED (5 min); negative turns it off.
	ReconcileInterval time.Duration
	// StagingTimeout is how long a launched task may go unheard of (still
	// TASK_STAGING: the launch may have been lost on the way to its agent)
	// before the framework kills it and launches a replacement (2 min).
	StagingTimeout time.Duration
	// DecisionDelay is how long the framework thinks before it answers
	// the offers of an OFFERS event (0: at once). Offers may be rescinded
	// meanwhile; an ACCEPT of a rescinded offer loses its tasks
	// (TASK_LOST, REASON_INVALID_OFFERS).
	DecisionDelay time.Duration
	// AckDelay delays every acknowledgement (0: acknowledged at once).
	AckDelay time.Duration
	// RefuseSeconds is the filter of declined resources (5 s, Mesos's
	// default); negative means 0 (no filter).
	RefuseSeconds float64
	// Tasks is the number of instances, jobs or tasks (3).
	Tasks int
	// TaskResources is one task's resource text ("cpus:0.5;mem:128").
	TaskResources string
	// Behavior is the tasks' mesos-sim.behavior label ("" none).
	Behavior string
	// Command is the tasks' shell command ("./serve": runs until killed).
	Command string
	// TasksPerOffer bounds the tasks launched from one offer (1, so that
	// frameworks that want more than the cluster has share it as DRF
	// intends; negative: as many as fit). What an ACCEPT leaves unused is
	// not filtered while the framework wants more.
	TasksPerOffer int
}

func (o Options) withDefaults(name string) Options {
	if o.Name == "" {
		o.Name = name
	}
	if o.Role == "" {
		o.Role = "*"
	}
	if o.FailoverTimeout == 0 {
		o.FailoverTimeout = 10 * time.Minute
	}
	if o.ResubscribeDelay <= 0 {
		o.ResubscribeDelay = time.Second
	}
	if o.ReconcileInterval == 0 {
		o.ReconcileInterval = 5 * time.Minute
	}
	if o.RefuseSeconds == 0 {
		o.RefuseSeconds = 5
	}
	if o.Tasks <= 0 {
		o.Tasks = 3
	}
	if o.TaskResources == "" {
		o.TaskResources = "cpus:0.5;mem:128"
	}
	if o.Command == "" {
		o.Command = "./serve"
	}
	if o.StagingTimeout <= 0 {
		o.StagingTimeout = 2 * time.Minute
	}
	if o.TasksPerOffer == 0 {
		o.TasksPerOffer = 1
	}
	return o
}

func (o *Options) configure(w Workload) {
	if w.Name != "" {
		o.Name = w.Name
	}
	if w.Tasks > 0 {
		o.Tasks = w.Tasks
	}
	if w.Resources != "" {
		o.TaskResources = w.Resources
	}
	if w.Behavior != "" {
		o.Behavior = w.Behavior
	}
	if w.PartitionAware != nil {
		o.PartitionAware = *w.PartitionAware
	}
}

// base is what every reference framework shares: the subscription and
// resubscription, the beliefs about its tasks, acknowledgements,
// reconciliation, suppression. A framework embeds it and sets the hooks.
type base struct {
	opts     Options
	taskRes  resources.Resources
	id       string
	sub      bool // subscribed
	removed  bool
	refusals int // subscriptions refused in a row
	// suppressed is what the framework last asked for; a new
	// subscription starts unsuppressed.
	suppressed bool
	tasks      map[string]*TaskBelief
	seen       map[string]bool // uuids of the updates handled
	stale      map[string]bool // launched tasks unheard of for StagingTimeout

	reconcileTimer Timer
	resubTimer     Timer

	// Deliberate bugs, for the broken variants.
	noReconcile bool

	// Hooks of the embedding framework.
	onSubscribed func(c Conn)
	onOffers     func(c Conn, offers []*mesospb.Offer)
	onRescind    func(c Conn, offerID string)
	// onUpdate runs after the belief about the task was updated; prev is
	// the state believed before (TASK_STAGING for a task launched and
	// not heard of; -1 for a task the framework does not know).
	onUpdate func(c Conn, st *mesospb.TaskStatus, prev mesospb.TaskState)
	// onStale runs when a launched task stayed unheard of for
	// StagingTimeout (it was killed).
	onStale func(c Conn, taskID string)
	// ignoreUpdate, if set and true, drops an update before it changes
	// anything (it is still acknowledged).
	ignoreUpdate func(st *mesospb.TaskStatus) bool
}

func newBase(opts Options) base {
	res, err := resources.Parse(opts.TaskResources)
	if err != nil {
		panic(fmt.Sprintf("frameworks: task resources %q: %v", opts.TaskResources, err))
	}
	return base{opts: opts, taskRes: res, tasks: map[string]*TaskBelief{}, seen: map[string]bool{}, stale: map[string]bool{}}
}

// reconfigure applies a workload before Start.
func (b *base) reconfigure(w Workload) {
	b.opts.configure(w)
	res, err := resources.Parse(b.opts.TaskResources)
	if err != nil {
		panic(fmt.Sprintf("frameworks: task resources %q: %v", b.opts.TaskResources, err))
	}
	b.taskRes = res
}

func (b *base) Name() string { return b.opts.Name }

// Options returns the framework's options, defaults filled in.
func (b *base) Options() Options { return b.opts }

func (b *base) Start(c Conn) { b.subscribe(c) }

func (b *base) info() *mesospb.FrameworkInfo {
	info := &mesospb.FrameworkInfo{
		User:            proto.String("scenarios"),
		Name:            proto.String(b.opts.Name),
		Role:            proto.String(b.opts.Role),
		FailoverTimeout: proto.Float64(max(b.opts.FailoverTimeout, 0).Seconds()),
		Checkpoint:      proto.Bool(b.opts.Checkpoint),
	}
	if b.id != "" {
		info.Id = &mesospb.FrameworkID{Value: proto.String(b.id)}
	}
	if b.opts.PartitionAware {
		info.Capabilities = append(info.Capabilities, &mesospb.FrameworkInfo_Capability{
			Type: mesospb.FrameworkInfo_Capability_PARTITION_AWARE.Enum(),
		})
	}
	return info
}

func (b *base) subscribe(c Conn) {
	if b.sub || b.removed {
		return
	}
	c.Subscribe(b.info())
}

func (b *base) Event(c Conn, ev *schedulerpb.Event) {
	switch ev.GetType() {
	case schedulerpb.Event_SUBSCRIBED:
		b.id = ev.GetSubscribed().GetFrameworkId().GetValue()
		b.sub, b.refusals, b.suppressed = true, 0, false
		c.Logf("%s subscribed as %s", b.opts.Name, b.id)
		if !b.noReconcile {
			b.reconcile(c)
		}
		b.armReconcile(c)
		if b.onSubscribed != nil {
			b.onSubscribed(c)
		}
	case schedulerpb.Event_OFFERS:
		offers := ev.GetOffers().GetOffers()
		answer := func() {
			if b.onOffers != nil {
				b.onOffers(c, offers)
			} else {
				b.decline(c, offers)
			}
		}
		if b.opts.DecisionDelay <= 0 {
			answer()
			return
		}
		c.After(b.opts.DecisionDelay, func() {
			if b.sub {
				answer()
			}
		})
	case schedulerpb.Event_RESCIND:
		if b.onRescind != nil {
			b.onRescind(c, ev.GetRescind().GetOfferId().GetValue())
		}
	case schedulerpb.Event_UPDATE:
		b.update(c, ev.GetUpdate().GetStatus())
	case schedulerpb.Event_FAILURE:
		// An agent failure with no executor: after a master failover the
		// tasks of an agent that never came back are reported by nothing
		// but this. Ask about the tasks believed to run there.
		if f := ev.GetFailure(); f.ExecutorId == nil && !b.noReconcile {
			b.reconcileAgent(c, f.GetAgentId().GetValue())
		}
	case schedulerpb.Event_ERROR:
		msg := ev.GetError().GetMessage()
		c.Logf("%s got ERROR %q", b.opts.Name, msg)
		if strings.Contains(msg, "removed") {
			b.removed = true
		}
	}
}

func (b *base) Closed(c Conn) {
	b.sub = false
	if b.reconcileTimer != nil {
		b.reconcileTimer.Stop()
		b.reconcileTimer = nil
	}
	if b.removed {
		c.Logf("%s was removed; it stops", b.opts.Name)
		return
	}
	delay := b.opts.ResubscribeDelay << min(b.refusals, 6)
	delay = min(delay, time.Minute) + time.Duration(c.Rand().Int64N(int64(time.Second)))
	b.refusals++
	if b.resubTimer != nil {
		b.resubTimer.Stop()
	}
	b.resubTimer = c.After(delay, func() {
		b.resubTimer = nil
		b.subscribe(c)
	})
}

func (b *base) Reconcile(c Conn) {
	if b.noReconcile {
		return
	}
	b.reconcile(c)
}

// reconcile asks explicitly about every task believed alive (the master
// answers even for tasks it no longer knows), then implicitly about all.
func (b *base) reconcile(c Conn) {
	if !b.sub {
		return
	}
	var explicit []*schedulerpb.Call_Reconcile_Task
	for _, id := range sortedKeys(b.tasks) {
		t := b.tasks[id]
		if IsTerminal(t.State) {
			continue
		}
		rt := &schedulerpb.Call_Reconcile_Task{TaskId: &mesospb.TaskID{Value: proto.String(id)}}
		if t.AgentID != "" {
			rt.AgentId = &mesospb.AgentID{Value: proto.String(t.AgentID)}
		}
		explicit = append(explicit, rt)
	}
	if len(explicit) > 0 {
		c.Send(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), Reconcile: &schedulerpb.Call_Reconcile{Tasks: explicit}})
	}
	c.Send(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), Reconcile: &schedulerpb.Call_Reconcile{}})
}

func (b *base) reconcileAgent(c Conn, agentID string) {
	if !b.sub {
		return
	}
	var explicit []*schedulerpb.Call_Reconcile_Task
	for _, id := range sortedKeys(b.tasks) {
		if t := b.tasks[id]; t.AgentID == agentID && !IsTerminal(t.State) {
			explicit = append(explicit, &schedulerpb.Call_Reconcile_Task{
				TaskId: &mesospb.TaskID{Value: proto.String(id)}, AgentId: &mesospb.AgentID{Value: proto.String(agentID)},
			})
		}
	}
	if len(explicit) > 0 {
		c.Send(&schedulerpb.Call{Type: schedulerpb.Call_RECONCILE.Enum(), Reconcile: &schedulerpb.Call_Reconcile{Tasks: explicit}})
	}
}

func (b *base) armReconcile(c Conn) {
	if b.opts.ReconcileInterval < 0 || b.noReconcile {
		return
	}
	if b.reconcileTimer != nil {
		b.reconcileTimer.Stop()
	}
	b.reconcileTimer = c.After(b.opts.ReconcileInterval, func() {
		b.reconcileTimer = nil
		if b.sub {
			b.reconcile(c)
			b.armReconcile(c)
		}
	})
}

func (b *base) update(c Conn, st *mesospb.TaskStatus) {
	defer b.acknowledge(c, st)
	if uuid := string(st.GetUuid()); uuid != "" {
		// A duplicate (a retry, or a copy the network delayed past newer
		// updates) is acknowledged again but changes nothing.
		if b.seen[uuid] {
			return
		}
		b.seen[uuid] = true
	}
	if b.ignoreUpdate != nil && b.ignoreUpdate(st) {
		return
	}
	id := st.GetTaskId().GetValue()
	t := b.tasks[id]
	prev := mesospb.TaskState(-1)
	if t == nil {
		t = &TaskBelief{}
		b.tasks[id] = t
	} else {
		prev = t.State
	}
	t.State = st.GetState()
	if aid := st.GetAgentId().GetValue(); aid != "" {
		t.AgentID = aid
	}
	if b.onUpdate != nil {
		b.onUpdate(c, st, prev)
	}
}

// acknowledge acknowledges an update that carries a uuid (others must not
// be), at once or after AckDelay.
func (b *base) acknowledge(c Conn, st *mesospb.TaskStatus) {
	if len(st.GetUuid()) == 0 || st.AgentId == nil {
		return
	}
	call := &schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE.Enum(), Acknowledge: &schedulerpb.Call_Acknowledge{
		AgentId: st.GetAgentId(), TaskId: st.GetTaskId(), Uuid: st.GetUuid(),
	}}
	if b.opts.AckDelay <= 0 {
		c.Send(call)
		return
	}
	c.After(b.opts.AckDelay, func() {
		if b.sub {
			c.Send(call)
		}
	})
}

// want asks for offers (REVIVE) or stops them (SUPPRESS) when that changes.
func (b *base) want(c Conn, offers bool) {
	if !b.sub || offers != b.suppressed {
		return
	}
	b.suppressed = !offers
	if offers {
		c.Send(&schedulerpb.Call{Type: schedulerpb.Call_REVIVE.Enum(), Revive: &schedulerpb.Call_Revive{}})
	} else {
		c.Send(&schedulerpb.Call{Type: schedulerpb.Call_SUPPRESS.Enum(), Suppress: &schedulerpb.Call_Suppress{}})
	}
}

func (b *base) filters() *mesospb.Filters {
	return &mesospb.Filters{RefuseSeconds: proto.Float64(max(b.opts.RefuseSeconds, 0))}
}

func (b *base) decline(c Conn, offers []*mesospb.Offer) {
	if len(offers) == 0 {
		return
	}
	ids := make([]*mesospb.OfferID, len(offers))
	for i, o := range offers {
		ids[i] = o.GetId()
	}
	c.Send(&schedulerpb.Call{Type: schedulerpb.Call_DECLINE.Enum(), Decline: &schedulerpb.Call_Decline{OfferIds: ids, Filters: b.filters()}})
}

// taskInfo builds a command task of the framework's shape on an agent.
func (b *base) taskInfo(id, agentID, behavior string, res resources.Resources) *mesospb.TaskInfo {
	t := &mesospb.TaskInfo{
		Name:      proto.String(id),
		TaskId:    &mesospb.TaskID{Value: proto.String(id)},
		AgentId:   &mesospb.AgentID{Value: proto.String(agentID)},
		Resources: res.ToProto(),
		Command:   &mesospb.CommandInfo{Value: proto.String(b.opts.Command)},
	}
	if behavior != "" {
		t.Labels = &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String(BehaviorLabel), Value: proto.String(behavior)}}}
	}
	return t
}

// launched records tasks as launched (TASK_STAGING, not heard of) and
// arms their staging timeout.
func (b *base) launched(c Conn, tasks []*mesospb.TaskInfo) {
	for _, t := range tasks {
		id, agentID := t.GetTaskId().GetValue(), t.GetAgentId().GetValue()
		b.tasks[id] = &TaskBelief{State: mesospb.TaskState_TASK_STAGING, AgentID: agentID}
		c.After(b.opts.StagingTimeout, func() {
			if t := b.tasks[id]; t != nil && t.State == mesospb.TaskState_TASK_STAGING && !b.stale[id] {
				c.Logf("%s: task %s unheard of for %s: killing it", b.opts.Name, id, b.opts.StagingTimeout)
				b.stale[id] = true
				b.kill(c, id, agentID)
				if b.onStale != nil {
					b.onStale(c, id)
				}
			}
		})
	}
}

// isStale reports whether a task stayed unheard of for StagingTimeout.
func (b *base) isStale(id string) bool {
	t := b.tasks[id]
	return t != nil && t.State == mesospb.TaskState_TASK_STAGING && b.stale[id]
}

// accept launches tasks on one offer; what is left is filtered with the
// framework's decline filter unless it still wants more (asked once the
// tasks count as launched).
func (b *base) accept(c Conn, offer *mesospb.Offer, tasks []*mesospb.TaskInfo, wantsMore func() bool) {
	b.launched(c, tasks)
	filters := b.filters()
	if wantsMore() {
		filters.RefuseSeconds = proto.Float64(0)
	}
	c.Send(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds: []*mesospb.OfferID{offer.GetId()},
		Operations: []*mesospb.Offer_Operation{{
			Type:   mesospb.Offer_Operation_LAUNCH.Enum(),
			Launch: &mesospb.Offer_Operation_Launch{TaskInfos: tasks},
		}},
		Filters: filters,
	}})
}

func (b *base) kill(c Conn, taskID, agentID string) {
	k := &schedulerpb.Call_Kill{TaskId: &mesospb.TaskID{Value: proto.String(taskID)}}
	if agentID != "" {
		k.AgentId = &mesospb.AgentID{Value: proto.String(agentID)}
	}
	c.Send(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: k})
}

// belief returns the believed state of a task, and false if unknown.
func (b *base) belief(id string) (TaskBelief, bool) {
	if t := b.tasks[id]; t != nil {
		return *t, true
	}
	return TaskBelief{}, false
}

// snapshot fills the fields every framework reports.
func (b *base) snapshot() Snapshot {
	s := Snapshot{ID: b.id, Subscribed: b.sub, Removed: b.removed, PartitionAware: b.opts.PartitionAware,
		Tasks: make(map[string]TaskBelief, len(b.tasks)), TaskResources: b.opts.TaskResources}
	for id, t := range b.tasks {
		s.Tasks[id] = *t
	}
	return s
}

// offerResources returns an offer's resources without allocation info.
func offerResources(o *mesospb.Offer) resources.Resources {
	r, err := resources.FromProto(o.GetResources())
	if err != nil {
		return resources.Resources{}
	}
	return r.Unallocate()
}

// isAlive reports whether a believed state means the task may be running.
func isAlive(s mesospb.TaskState) bool {
	switch s {
	case mesospb.TaskState_TASK_STAGING, mesospb.TaskState_TASK_STARTING, mesospb.TaskState_TASK_RUNNING,
		mesospb.TaskState_TASK_KILLING:
		return true
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
