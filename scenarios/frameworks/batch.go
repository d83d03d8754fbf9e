package frameworks

import (
	"fmt"
	"strings"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// BatchOptions configure a BatchRunner beyond the common Options.
type BatchOptions struct {
	// FailFirstEvery makes the first attempt of every job whose index is
	// a multiple of it exit with status 1 (0: no deliberate failures).
	FailFirstEvery int
	// MaxAttempts bounds the tasks launched per job (10); a job that
	// used them all up is given up.
	MaxAttempts int
}

// BatchRunner runs Tasks finite jobs to completion. Each job's task runs
// for a while (its behaviour label has a run= duration, "run=10s" unless
// Options.Behavior gives one) and finishes; a job whose task ends in any
// other way, or becomes unreachable or unknown, is retried with a new task
// until one finishes or MaxAttempts tasks were tried. Once every job is
// finished it suppresses offers for good.
type BatchRunner struct {
	base
	batch    BatchOptions
	current  []string // current task per job
	attempts []int
	done     []bool
	jobOf    map[string]int
}

// NewBatchRunner returns a BatchRunner (default name "batch").
func NewBatchRunner(opts Options, batch BatchOptions) *BatchRunner {
	if batch.MaxAttempts <= 0 {
		batch.MaxAttempts = 10
	}
	r := &BatchRunner{base: newBase(opts.withDefaults("batch")), batch: batch, jobOf: map[string]int{}}
	r.onSubscribed = func(c Conn) { r.want(c, r.needed() > 0) }
	r.onOffers = r.offers
	r.onUpdate = r.updated
	r.onStale = func(c Conn, _ string) { r.want(c, r.needed() > 0) }
	return r
}

// Configure implements Configurable.
func (r *BatchRunner) Configure(w Workload) { r.reconfigure(w) }

func (r *BatchRunner) Start(c Conn) {
	n := r.opts.Tasks
	r.current, r.attempts, r.done = make([]string, n), make([]int, n), make([]bool, n)
	r.base.Start(c)
}

func (r *BatchRunner) gaveUp(j int) bool { return !r.done[j] && r.attempts[j] >= r.batch.MaxAttempts }

func (r *BatchRunner) needs(j int) bool {
	if r.done[j] || r.gaveUp(j) {
		return false
	}
	cur := r.current[j]
	if cur == "" {
		return true
	}
	t, _ := r.belief(cur)
	switch t.State {
	case mesospb.TaskState_TASK_UNREACHABLE, mesospb.TaskState_TASK_UNKNOWN:
		return true
	case mesospb.TaskState_TASK_STAGING:
		return r.isStale(cur)
	}
	return IsTerminal(t.State)
}

func (r *BatchRunner) needed() int {
	n := 0
	for j := range r.current {
		if r.needs(j) {
			n++
		}
	}
	return n
}

func (r *BatchRunner) behavior(j, attempt int) string {
	b := r.opts.Behavior
	if !strings.Contains(b, "run=") {
		b = strings.TrimSpace(b + " run=10s")
	}
	if r.batch.FailFirstEvery > 0 && attempt == 0 && j%r.batch.FailFirstEvery == 0 {
		b += " exit=1"
	}
	return b
}

func (r *BatchRunner) offers(c Conn, offers []*mesospb.Offer) {
	var unused []*mesospb.Offer
	placed := map[int]bool{}
	for _, o := range offers {
		avail := offerResources(o)
		var tasks []*mesospb.TaskInfo
		for j := range r.current {
			if placed[j] || !r.needs(j) || !avail.Contains(r.taskRes) {
				continue
			}
			if r.opts.TasksPerOffer > 0 && len(tasks) >= r.opts.TasksPerOffer {
				break
			}
			id := fmt.Sprintf("%s.%d.%d", r.opts.Name, j, r.attempts[j])
			tasks = append(tasks, r.taskInfo(id, o.GetAgentId().GetValue(), r.behavior(j, r.attempts[j]), r.taskRes))
			r.attempts[j]++
			r.current[j] = id
			r.jobOf[id] = j
			placed[j] = true
			avail = avail.Minus(r.taskRes)
		}
		if len(tasks) == 0 {
			unused = append(unused, o)
			continue
		}
		r.accept(c, o, tasks, func() bool { return r.needed() > 0 })
	}
	r.decline(c, unused)
	r.want(c, r.needed() > 0)
}

func (r *BatchRunner) updated(c Conn, st *mesospb.TaskStatus, prev mesospb.TaskState) {
	id := st.GetTaskId().GetValue()
	j, ok := r.jobOf[id]
	if !ok {
		return
	}
	if st.GetState() == mesospb.TaskState_TASK_FINISHED && !r.done[j] {
		r.done[j] = true
		c.Logf("%s job %d finished (task %s)", r.opts.Name, j, id)
	}
	if r.done[j] && id != r.current[j] && isAlive(st.GetState()) {
		// A replaced task of a finished job came back: not needed.
		r.kill(c, id, st.GetAgentId().GetValue())
	}
	r.want(c, r.needed() > 0)
}

// Snapshot implements Framework.
func (r *BatchRunner) Snapshot() Snapshot {
	s := r.snapshot()
	s.Wanted = r.needed()
	done, gaveUp := 0, 0
	for j := range r.done {
		switch {
		case r.done[j]:
			done++
		case r.gaveUp(j):
			gaveUp++
		}
	}
	s.GoalMet = done+gaveUp == len(r.done)
	s.Goal = fmt.Sprintf("%d of %d jobs finished, %d given up", done, len(r.done), gaveUp)
	return s
}

var _ Configurable = (*BatchRunner)(nil)
