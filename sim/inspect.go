package sim

import (
	"time"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/master"
)

// Frameworks returns the master's frameworks, sorted by id.
func (c *Cluster) Frameworks() []master.Framework {
	var out []master.Framework
	c.Do(func() { out = c.master.Frameworks() })
	return out
}

// AgentsInfo returns the agents the master knows, sorted by id.
func (c *Cluster) AgentsInfo() []master.Agent {
	var out []master.Agent
	c.Do(func() { out = c.master.Agents() })
	return out
}

// Offers returns the outstanding offers, sorted by id.
func (c *Cluster) Offers() []master.Offer {
	var out []master.Offer
	c.Do(func() { out = c.master.Offers() })
	return out
}

// Tasks returns the tasks the master tracks, by framework then task id.
func (c *Cluster) Tasks() []master.Task {
	var out []master.Task
	c.Do(func() { out = c.master.Tasks() })
	return out
}

// AgentTasks returns, per agent in start order, the tasks the agent runs:
// the agents' truth, to compare with the master's view.
func (c *Cluster) AgentTasks() map[string][]agent.Task {
	out := map[string][]agent.Task{}
	c.Do(func() {
		for _, a := range c.agents {
			out[a.Name()] = a.Tasks()
		}
	})
	return out
}

// Master gives fn the master on the loop, for inspection beyond the
// snapshots above. fn must not keep the master or call into it later.
func (c *Cluster) Master(fn func(*master.Master)) { c.Do(func() { fn(c.master) }) }

// Clock reads the cluster's virtual time. Only Advance and its siblings
// (or, in realtime and SyncTest modes, the driver) move it.
type Clock struct{ c *Cluster }

// Clock returns the cluster's virtual clock, for code that wants to read
// time the way the cluster sees it.
func (c *Cluster) Clock() Clock { return Clock{c} }

// Now is the current virtual time.
func (k Clock) Now() time.Time { return k.c.Now() }

// Since is the virtual time elapsed since t.
func (k Clock) Since(t time.Time) time.Duration { return k.c.Now().Sub(t) }
