package frameworks

import (
	"slices"
	"time"
)

// NewSlowAcknowledger returns a BatchRunner (default name "slow-acker")
// that acknowledges every status update only after opts.AckDelay (30 s
// unless set): the agents retry the unacknowledged update meanwhile (after
// 10 s, then 20 s, ...), and send a task's next update only once the
// previous one is acknowledged.
func NewSlowAcknowledger(opts Options) *BatchRunner {
	if opts.Name == "" {
		opts.Name = "slow-acker"
	}
	if opts.AckDelay <= 0 {
		opts.AckDelay = 30 * time.Second
	}
	return NewBatchRunner(opts, BatchOptions{})
}

// NewForgetsToReconcile returns a ServiceKeeper (default name
// "forgets-to-reconcile") with a deliberate bug: it never reconciles — not
// after subscribing again, not on an agent FAILURE, not when asked. Updates
// the master made while it was disconnected (a lost agent's tasks) never
// reach it, so it goes on believing tasks run that no agent runs.
func NewForgetsToReconcile(opts Options) *ServiceKeeper {
	if opts.Name == "" {
		opts.Name = "forgets-to-reconcile"
	}
	k := NewServiceKeeper(opts)
	k.noReconcile = true
	k.hook()
	return k
}

// NewDoubleLaunchOnReoffer returns a ServiceKeeper (default name
// "double-launch") with a deliberate bug: an instance whose task it has not
// heard of yet (still TASK_STAGING, e.g. a slow start) gets another task on
// the next offers, and the first one is forgotten — it runs on, unknown to
// the framework.
func NewDoubleLaunchOnReoffer(opts Options) *ServiceKeeper {
	if opts.Name == "" {
		opts.Name = "double-launch"
	}
	k := NewServiceKeeper(opts)
	k.doubleLaunch = true
	k.hook()
	return k
}

// NewIgnoresUnreachable returns a partition-aware ServiceKeeper (default
// name "ignores-unreachable") with a deliberate bug: it drops
// TASK_UNREACHABLE updates unheard (reconciliation answers included), so a
// task on an agent that is gone stays "running" in its mind and is never
// replaced.
func NewIgnoresUnreachable(opts Options) *ServiceKeeper {
	if opts.Name == "" {
		opts.Name = "ignores-unreachable"
	}
	opts.PartitionAware = true
	k := NewServiceKeeper(opts)
	k.ignoreUnreachable = true
	k.hook()
	return k
}

// references maps the names of the reference frameworks to factories.
var references = map[string]func() Framework{
	"service-keeper":    func() Framework { return NewServiceKeeper(Options{}) },
	"service-keeper-pa": func() Framework { return NewServiceKeeper(Options{Name: "keeper-pa", PartitionAware: true}) },
	"batch-runner":      func() Framework { return NewBatchRunner(Options{}, BatchOptions{FailFirstEvery: 3}) },
	"greedy-hoarder":    func() Framework { return NewGreedyHoarder(Options{}, LaunchLong) },
	"offer-holder":      func() Framework { return NewGreedyHoarder(Options{Name: "holder"}, HoldOffers) },
	"slow-acknowledger": func() Framework { return NewSlowAcknowledger(Options{}) },

	"forgets-to-reconcile":     func() Framework { return NewForgetsToReconcile(Options{}) },
	"double-launch-on-reoffer": func() Framework { return NewDoubleLaunchOnReoffer(Options{}) },
	"ignores-unreachable":      func() Framework { return NewIgnoresUnreachable(Options{}) },
}

// broken lists the reference frameworks that are wrong on purpose.
var broken = []string{"double-launch-on-reoffer", "forgets-to-reconcile", "ignores-unreachable"}

// Reference returns a factory of the named reference framework (see
// [ReferenceNames]) with its default options.
func Reference(name string) (func() Framework, bool) {
	f, ok := references[name]
	return f, ok
}

// ReferenceNames returns the names of the reference frameworks that are
// correct, sorted.
func ReferenceNames() []string {
	var out []string
	for name := range references {
		if !slices.Contains(broken, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// BrokenNames returns the names of the deliberately broken frameworks,
// sorted.
func BrokenNames() []string { return slices.Clone(broken) }
