package frameworks

import (
	"fmt"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// ServiceKeeper keeps Tasks instances of a long-running service running.
// Each instance has one current task; when it ends (any terminal state),
// when the framework learns it is unreachable (partition-aware) or
// unknown, the instance gets a new task on the next offer that fits. A
// replaced task that turns out to be alive after all (an unreachable agent
// came back, a TASK_LOST task re-reported running) is adopted back if its
// instance has no task yet, and killed otherwise. It suppresses offers
// while every instance has a task and revives when one needs one.
type ServiceKeeper struct {
	base
	instances []string        // current task id per instance ("" none)
	attempts  []int           // tasks launched per instance
	orphans   map[string]bool // replaced tasks, killed when seen alive

	// Deliberate bugs (the broken variants).
	doubleLaunch      bool // a task not yet heard of is replaced on the next offers
	ignoreUnreachable bool // TASK_UNREACHABLE is dropped unheard
}

// NewServiceKeeper returns a ServiceKeeper (default name "keeper").
func NewServiceKeeper(opts Options) *ServiceKeeper {
	k := &ServiceKeeper{base: newBase(opts.withDefaults("keeper")), orphans: map[string]bool{}}
	k.hook()
	return k
}

func (k *ServiceKeeper) hook() {
	k.onSubscribed = func(c Conn) { k.want(c, k.needed() > 0) }
	k.onOffers = k.offers
	k.onUpdate = k.updated
	k.onStale = func(c Conn, _ string) { k.want(c, k.needed() > 0) }
	if k.ignoreUnreachable {
		k.ignoreUpdate = func(st *mesospb.TaskStatus) bool {
			return st.GetState() == mesospb.TaskState_TASK_UNREACHABLE
		}
	}
}

// Configure implements Configurable.
func (k *ServiceKeeper) Configure(w Workload) { k.reconfigure(w) }

func (k *ServiceKeeper) Start(c Conn) {
	k.instances = make([]string, k.opts.Tasks)
	k.attempts = make([]int, k.opts.Tasks)
	k.base.Start(c)
}

// needs reports whether instance i needs a new task.
func (k *ServiceKeeper) needs(i int) bool {
	cur := k.instances[i]
	if cur == "" {
		return true
	}
	t, ok := k.belief(cur)
	if !ok {
		return true
	}
	switch t.State {
	case mesospb.TaskState_TASK_UNREACHABLE, mesospb.TaskState_TASK_UNKNOWN:
		return true
	case mesospb.TaskState_TASK_STAGING:
		return k.doubleLaunch || k.isStale(cur)
	}
	return IsTerminal(t.State)
}

func (k *ServiceKeeper) needed() int {
	n := 0
	for i := range k.instances {
		if k.needs(i) {
			n++
		}
	}
	return n
}

// release gives up instance i's current task: it becomes an orphan to kill
// if it is alive (the broken double launcher forgets it instead).
func (k *ServiceKeeper) release(i int) {
	cur := k.instances[i]
	k.instances[i] = ""
	if cur == "" {
		return
	}
	t, _ := k.belief(cur)
	switch {
	case k.doubleLaunch && t.State == mesospb.TaskState_TASK_STAGING:
		delete(k.tasks, cur)
	case !IsTerminal(t.State):
		k.orphans[cur] = true
	}
}

func (k *ServiceKeeper) offers(c Conn, offers []*mesospb.Offer) {
	var unused []*mesospb.Offer
	placed := map[int]bool{}
	for _, o := range offers {
		avail := offerResources(o)
		var tasks []*mesospb.TaskInfo
		for i := range k.instances {
			if placed[i] || !k.needs(i) || !avail.Contains(k.taskRes) {
				continue
			}
			if k.opts.TasksPerOffer > 0 && len(tasks) >= k.opts.TasksPerOffer {
				break
			}
			k.release(i)
			id := fmt.Sprintf("%s.%d.%d", k.opts.Name, i, k.attempts[i])
			k.attempts[i]++
			k.instances[i] = id
			placed[i] = true
			avail = avail.Minus(k.taskRes)
			tasks = append(tasks, k.taskInfo(id, o.GetAgentId().GetValue(), k.opts.Behavior, k.taskRes))
		}
		if len(tasks) == 0 {
			unused = append(unused, o)
			continue
		}
		k.accept(c, o, tasks, func() bool { return k.needed() > 0 })
	}
	k.decline(c, unused)
	k.want(c, k.needed() > 0)
}

func (k *ServiceKeeper) instanceOf(taskID string) int {
	for i, id := range k.instances {
		if id == taskID {
			return i
		}
	}
	return -1
}

func (k *ServiceKeeper) updated(c Conn, st *mesospb.TaskStatus, prev mesospb.TaskState) {
	id := st.GetTaskId().GetValue()
	state := st.GetState()
	if i := k.instanceOf(id); i >= 0 {
		if k.needs(i) {
			k.want(c, true)
		}
		return
	}
	if !isAlive(state) {
		return
	}
	// A task that is no instance's current one is alive: adopt it into an
	// instance waiting for a task, or kill it.
	for i := range k.instances {
		if k.instances[i] == "" {
			k.instances[i] = id
			delete(k.orphans, id)
			c.Logf("%s adopts %s as instance %d", k.opts.Name, id, i)
			k.want(c, k.needed() > 0)
			return
		}
	}
	k.orphans[id] = true
	c.Logf("%s kills surplus task %s", k.opts.Name, id)
	k.kill(c, id, st.GetAgentId().GetValue())
}

// Snapshot implements Framework.
func (k *ServiceKeeper) Snapshot() Snapshot {
	s := k.snapshot()
	s.Wanted = k.needed()
	running := 0
	for _, id := range k.instances {
		if t, ok := k.belief(id); ok && t.State == mesospb.TaskState_TASK_RUNNING {
			running++
		}
	}
	s.GoalMet = running == len(k.instances)
	s.Goal = fmt.Sprintf("%d of %d instances running", running, len(k.instances))
	return s
}

var _ Configurable = (*ServiceKeeper)(nil)
