package scenarios

import (
	"fmt"

	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// Expectations of the named scenarios: invariants checked at the end only.

func atEnd(name string, check func(View) error) Option {
	return Invariant(name, func(v View) error {
		if !v.Final() {
			return nil
		}
		return check(v)
	})
}

// expectGoals: every framework not removed reached its goal.
func expectGoals() Option {
	return atEnd("expect-goals", func(v View) error {
		for _, f := range v.FrameworkStates() {
			if !f.Snapshot.Removed && !f.Snapshot.GoalMet {
				return fmt.Errorf("framework %s did not reach its goal: %s", f.Name, f.Snapshot.Goal)
			}
		}
		return nil
	})
}

// expectGoalOf: the named framework reached its goal.
func expectGoalOf(name string) Option {
	return atEnd("expect-goal", func(v View) error {
		for _, f := range v.FrameworkStates() {
			if f.Name == name {
				if !f.Snapshot.GoalMet {
					return fmt.Errorf("framework %s did not reach its goal: %s", f.Name, f.Snapshot.Goal)
				}
				return nil
			}
		}
		return fmt.Errorf("no framework named %s", name)
	})
}

// expectRemoved: the named framework knows the master removed it.
func expectRemoved(name string) Option {
	return atEnd("expect-removed", func(v View) error {
		for _, f := range v.FrameworkStates() {
			if f.Name == name {
				if !f.Snapshot.Removed {
					return fmt.Errorf("framework %s was not removed", name)
				}
				return nil
			}
		}
		return fmt.Errorf("no framework named %s", name)
	})
}

// expectUpdate: some framework received an update with the state and
// reason (names as in mesos.proto, e.g. "TASK_LOST", "REASON_INVALID_OFFERS").
func expectUpdate(state, reason string) Option {
	return atEnd("expect-update", func(v View) error {
		for _, f := range v.FrameworkStates() {
			for _, u := range f.Updates {
				if u.State.String() == state && u.Reason.String() == reason {
					return nil
				}
			}
		}
		return fmt.Errorf("no framework received a %s update with %s", state, reason)
	})
}

// expectNoTasksOn: the agent runs no live task at the end.
func expectNoTasksOn(agent string) Option {
	return atEnd("expect-no-tasks", func(v View) error {
		for _, t := range v.AgentTasks()[agent] {
			if !frameworks.IsTerminal(t.State) {
				return fmt.Errorf("agent %s still runs task %s (%s)", agent, t.TaskID, t.State)
			}
		}
		return nil
	})
}
