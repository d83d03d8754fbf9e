package sim

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/master"
)

// This file holds the cluster's side of fault injection: what crashing an
// agent, failing over the master or cutting a stream does to the parts of
// the simulation. Each function runs on the loop.

// agentNamed returns the agent process with the endpoint name.
func (c *Cluster) agentNamed(name string) (*agent.Agent, error) {
	for _, a := range c.agents {
		if a.Name() == name {
			return a, nil
		}
	}
	return nil, fmt.Errorf("no agent named %q (agents: %v)", name, c.agentNames())
}

func (c *Cluster) agentNames() []string {
	out := make([]string, len(c.agents))
	for i, a := range c.agents {
		out[i] = a.Name()
	}
	return out
}

// crashAgent kills an agent process: its executors and tasks die with it
// and the master sees the connection break.
func (c *Cluster) crashAgent(name string) error {
	a, err := c.agentNamed(name)
	if err != nil {
		return err
	}
	a.Crash()
	return nil
}

// restartAgent starts a crashed agent again, with or without recovering
// its checkpointed state. A lost agent cannot be restarted.
func (c *Cluster) restartAgent(name string, recover bool) error {
	a, err := c.agentNamed(name)
	if err != nil {
		return err
	}
	if c.isLost(name) {
		return fmt.Errorf("agent %s was lost for good and cannot restart", name)
	}
	if a.Running() {
		// A restart of a running agent is a crash and a restart.
		a.Crash()
	}
	a.Restart(recover)
	return nil
}

// markAgentGone is the operator's MARK_AGENT_GONE for the agent with the
// endpoint name, by the id the agent last had.
func (c *Cluster) markAgentGone(name string) error {
	a, err := c.agentNamed(name)
	if err != nil {
		return err
	}
	if a.ID() == "" {
		return fmt.Errorf("agent %s has no agent id yet", name)
	}
	return c.master.MarkAgentGone(a.ID())
}

// failoverMaster replaces the leading master, as a new leader elected after
// the old one died: the old master stops (every framework stream ends), a
// new one with a new id and a fresh allocator reads the old registry, and
// the running agents, told of the new leader, re-register with what they
// run. Frameworks must subscribe again with their ids. With election > 0
// no master leads for that long first: the Mesos endpoints answer 503.
func (c *Cluster) failoverMaster(election time.Duration) {
	old := c.master
	reg := old.Registry()
	old.Stop()
	elect := func() {
		c.alloc = c.newAllocator()
		m := master.New(c.loop, c.net, c.alloc, c.cfg.master)
		m.Recover(reg)
		c.master = m
		c.handler.set(master.NewHandler(m, c.drv))
		c.handler.setLeaderless(false)
		c.loop.Tracef("sim", "master failover: %s -> %s", old.ID(), m.ID())
		for _, a := range c.agents {
			a.NewMasterDetected()
		}
	}
	if election <= 0 {
		elect()
		return
	}
	c.handler.setLeaderless(true)
	c.loop.Tracef("sim", "master %s gone; no leader for %v", old.ID(), election)
	c.loop.After(election, "sim.elect-master", elect)
}

// newAllocator returns an allocator configured from the cluster options.
func (c *Cluster) newAllocator() *allocator.Hierarchical {
	aopts := allocator.DefaultOptions()
	aopts.Seed = c.seed
	alloc := allocator.New(aopts)
	if len(c.cfg.weights) > 0 {
		alloc.UpdateWeights(c.cfg.weights)
	}
	for _, role := range slices.Sorted(maps.Keys(c.cfg.quotas)) {
		alloc.UpdateQuota(role, c.cfg.quotas[role])
	}
	return alloc
}

// frameworkID resolves a framework given by id or by name (the first
// framework, by id, with that name).
func (c *Cluster) frameworkID(idOrName string) (string, error) {
	fws := c.master.Frameworks()
	for _, f := range fws {
		if f.ID == idOrName {
			return f.ID, nil
		}
	}
	for _, f := range fws {
		if f.Name == idOrName {
			return f.ID, nil
		}
	}
	return "", fmt.Errorf("no framework with id or name %q", idOrName)
}

// cutStream ends a framework's event stream as a broken connection would.
func (c *Cluster) cutStream(framework string) error {
	id, err := c.frameworkID(framework)
	if err != nil {
		return err
	}
	if !c.master.CutStream(id) {
		return fmt.Errorf("framework %s has no open stream", id)
	}
	return nil
}

// taskFault acts on the live task with the id, wherever it runs.
func (c *Cluster) taskFault(taskID, kind string) error {
	for _, a := range c.agents {
		for _, t := range a.Tasks() {
			if t.TaskID != taskID {
				continue
			}
			switch kind {
			case "fail":
				return a.FailTask(taskID)
			case "crash-executor":
				return a.CrashExecutor(taskID)
			case "hang-on-kill":
				return a.HangOnKill(taskID)
			default:
				return fmt.Errorf("unknown task fault %q", kind)
			}
		}
	}
	return fmt.Errorf("no agent runs task %q", taskID)
}
