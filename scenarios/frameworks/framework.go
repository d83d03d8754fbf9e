package frameworks

import (
	"math/rand/v2"
	"slices"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

// Framework is a Mesos scheduler written as a deterministic state machine:
// it reacts to what its [Conn] hands it (events of its SUBSCRIBE stream, the
// end of that stream, its own timers) by sending calls through the Conn.
// It never blocks, starts no goroutine, reads no clock but Conn.Now and
// draws randomness only from Conn.Rand, so that the same inputs give the
// same calls.
//
// The methods are never called concurrently: a driver (the in-loop driver
// of package scenarios, or its HTTP adapter) serialises them.
type Framework interface {
	// Name is the framework's name (FrameworkInfo.name); the drivers use
	// it to label trace lines and to derive the framework's random stream.
	Name() string
	// Start is called once, first: the framework subscribes.
	Start(c Conn)
	// Event hands the framework one event of its current stream, in
	// stream order.
	Event(c Conn, ev *schedulerpb.Event)
	// Closed reports that the current stream ended: the master failed
	// over, the connection broke, or the subscription was refused (after
	// its ERROR event). A framework that wants to go on subscribes again.
	Closed(c Conn)
	// Reconcile asks the framework to reconcile its tasks with the master
	// now. The scenario harness calls it once the cluster has healed,
	// before comparing what the framework believes with the agents.
	Reconcile(c Conn)
	// Snapshot reports what the framework believes, for the invariants.
	Snapshot() Snapshot
}

// Conn is a framework's side of the scheduler API, as a driver provides
// it. Every method is called from inside the framework's own methods or
// timers.
type Conn interface {
	// Now is the current time: virtual time in the in-loop driver.
	Now() time.Time
	// Rand is the framework's own random stream, seeded by the driver.
	Rand() *rand.Rand
	// Subscribe sends SUBSCRIBE with info (with info.id set, a
	// resubscription). Its events arrive through Event later, never
	// during the call.
	Subscribe(info *mesospb.FrameworkInfo)
	// Send sends a call on the current subscription; the driver fills in
	// framework_id. It returns the HTTP status of the answer (202, 400,
	// 403, ...), or 0 when the call could not be made at all (no
	// subscription, a transport error).
	Send(call *schedulerpb.Call) int
	// After runs fn once d has passed, unless the returned Timer is
	// stopped first.
	After(d time.Duration, fn func()) Timer
	// Logf writes one line to the driver's trace.
	Logf(format string, args ...any)
}

// Timer is a timer made by [Conn.After].
type Timer interface {
	// Stop prevents the timer from firing; it reports whether it did.
	Stop() bool
}

// Snapshot is what a framework believes about itself and its tasks.
type Snapshot struct {
	// ID is the framework id, "" before the first SUBSCRIBED.
	ID string
	// Subscribed reports whether the framework has a live subscription.
	Subscribed bool
	// Removed reports that the master removed the framework (its
	// failover timeout ran out, or it was torn down) and it gave up.
	Removed bool
	// PartitionAware reports whether the framework subscribes with the
	// PARTITION_AWARE capability.
	PartitionAware bool
	// Tasks is every task the framework launched and has not forgotten,
	// by id, with the state it believes the task is in.
	Tasks map[string]TaskBelief
	// Wanted is how many more tasks the framework wants to launch now.
	Wanted int
	// TaskResources is the resource text of one wanted task ("" if none).
	TaskResources string
	// Goal says whether the framework reached what it was configured to
	// do (all instances running, all jobs finished), and if not, why.
	GoalMet bool
	Goal    string
}

// TaskIDs returns the ids of s.Tasks, sorted.
func (s Snapshot) TaskIDs() []string {
	ids := make([]string, 0, len(s.Tasks))
	for id := range s.Tasks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// TaskBelief is what a framework believes about one of its tasks.
type TaskBelief struct {
	State   mesospb.TaskState
	AgentID string
}

// IsTerminal reports whether a task state is terminal: the task is over
// (TASK_LOST included, though a non-partition-aware framework may see a lost
// task come back).
func IsTerminal(s mesospb.TaskState) bool {
	switch s {
	case mesospb.TaskState_TASK_FINISHED, mesospb.TaskState_TASK_FAILED, mesospb.TaskState_TASK_KILLED,
		mesospb.TaskState_TASK_ERROR, mesospb.TaskState_TASK_LOST, mesospb.TaskState_TASK_DROPPED,
		mesospb.TaskState_TASK_GONE, mesospb.TaskState_TASK_GONE_BY_OPERATOR:
		return true
	}
	return false
}

// Workload is the part of a generated scenario case that configures a
// framework: how much work it is given and what its tasks do. Frameworks
// that implement [Configurable] receive it before Start; zero fields keep
// the framework's own settings.
type Workload struct {
	// Name replaces the framework's name (the harness gives each of
	// several instances its own).
	Name string `json:"name,omitempty"`
	// Tasks is the number of instances, jobs or tasks to run.
	Tasks int `json:"tasks,omitempty"`
	// Resources is the resource text of one task, e.g. "cpus:0.5;mem:128".
	Resources string `json:"resources,omitempty"`
	// Behavior is the tasks' mesos-sim.behavior label, e.g.
	// "start-delay=2s" or "run=10s" (see package agent).
	Behavior string `json:"behavior,omitempty"`
	// PartitionAware, when set, overrides the framework's capability.
	PartitionAware *bool `json:"partition_aware,omitempty"`
}

// Configurable is implemented by frameworks that take a [Workload].
type Configurable interface {
	Configure(w Workload)
}
