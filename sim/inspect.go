package sim

import (
	"time"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/master"
)

// View reads the cluster's state from inside the loop: it is what the
// conditions of [Cluster.WaitFor] and [Cluster.RunUntil] receive, and what
// the Cluster's own snapshot methods use. Its methods return snapshots,
// sorted as stated; a View must not be kept after the condition returns.
type View struct{ c *Cluster }

// Frameworks returns the master's frameworks, sorted by id.
func (v View) Frameworks() []master.Framework { return v.c.master.Frameworks() }

// Agents returns the agents the master knows, sorted by id.
func (v View) Agents() []master.Agent { return v.c.master.Agents() }

// Offers returns the outstanding offers, sorted by id.
func (v View) Offers() []master.Offer { return v.c.master.Offers() }

// Tasks returns the tasks the master tracks, by framework then task id.
func (v View) Tasks() []master.Task { return v.c.master.Tasks() }

// AgentTasks returns, per agent name, the tasks the agent runs: the agents'
// truth, to compare with the master's view.
func (v View) AgentTasks() map[string][]agent.Task {
	out := map[string][]agent.Task{}
	for _, a := range v.c.agents {
		out[a.Name()] = a.Tasks()
	}
	return out
}

// inspect runs read on the loop and returns its result.
func inspect[T any](c *Cluster, read func(View) T) T {
	var out T
	c.Do(func() { out = read(View{c}) })
	return out
}

// Frameworks returns the master's frameworks, sorted by id.
func (c *Cluster) Frameworks() []master.Framework { return inspect(c, View.Frameworks) }

// AgentsInfo returns the agents the master knows, sorted by id.
func (c *Cluster) AgentsInfo() []master.Agent { return inspect(c, View.Agents) }

// Offers returns the outstanding offers, sorted by id.
func (c *Cluster) Offers() []master.Offer { return inspect(c, View.Offers) }

// Tasks returns the tasks the master tracks, by framework then task id.
func (c *Cluster) Tasks() []master.Task { return inspect(c, View.Tasks) }

// AgentTasks returns, per agent name, the tasks the agent runs.
func (c *Cluster) AgentTasks() map[string][]agent.Task { return inspect(c, View.AgentTasks) }

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
