package sim

import (
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
