package sim

import (
	"time"

	"github.com/mesos-sim/mesos-sim/agent"
)

// Read-only accessors the chaos scenarios (package scenarios) need beyond
// the snapshots of inspect.go.

// Now is the cluster's virtual time, as the condition sees it.
func (v View) Now() time.Time { return v.c.loop.Now() }

// PendingUpdates returns, per agent name, the status updates the agent
// still retries because they are not acknowledged (see
// agent.Agent.PendingUpdates), for agents that have any.
func (v View) PendingUpdates() map[string][]agent.PendingUpdate {
	out := map[string][]agent.PendingUpdate{}
	for _, a := range v.c.agents {
		if p := a.PendingUpdates(); len(p) > 0 {
			out[a.Name()] = p
		}
	}
	return out
}
