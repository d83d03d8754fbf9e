package sim

import (
	"fmt"
	"strconv"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/resources"
)

// This file holds what the mesos-sim binary's control API needs from a
// running cluster: agents added and removed while it runs, and snapshots
// of the agent processes beside the master's view of them.

// AgentState is a snapshot of one simulated agent process, as the agent
// itself sees it (the master's view is [View.Agents]).
type AgentState struct {
	Name     string // endpoint name, "agent-1"; stable across restarts
	ID       string // the agent id the master gave it; "" before registration
	Hostname string
	// Running is false once the process crashed or was removed; Lost is
	// true when it was lost for good (it never comes back).
	Running bool
	Lost    bool
	// Registered reports whether the agent is registered with the master.
	Registered bool
	Total      resources.Resources
	Used       resources.Resources
}

// AgentStates returns every agent process the cluster started, in the
// order they were added (agent-1, agent-2, ...), removed ones included.
func (v View) AgentStates() []AgentState {
	out := make([]AgentState, 0, len(v.c.agents))
	for _, a := range v.c.agents {
		out = append(out, AgentState{
			Name: a.Name(), ID: a.ID(), Hostname: a.Info().GetHostname(),
			Running: a.Running(), Lost: v.c.isLost(a.Name()), Registered: a.Registered(),
			Total: a.Total(), Used: a.Used(),
		})
	}
	return out
}

// MasterID is the id of the leading master (it changes on failover).
func (v View) MasterID() string { return v.c.master.ID() }

// AgentStates returns every agent process the cluster started, in the
// order they were added, removed ones included.
func (c *Cluster) AgentStates() []AgentState { return inspect(c, View.AgentStates) }

// Inspect runs fn on the loop with a [View] of the cluster, so that
// several reads see one consistent state. fn must not keep the View.
func (c *Cluster) Inspect(fn func(View)) error {
	return c.Do(func() { fn(View{c}) })
}

// AddAgent starts a new agent described by spec and returns its name (the
// next "agent-N"). It registers with the leading master as the cluster's
// first agents did: at once over a network without latency. Resource or
// attribute text that does not parse is an error, and nothing is added.
func (c *Cluster) AddAgent(spec AgentSpec) (string, error) {
	if err := ValidateAgentSpec(spec); err != nil {
		return "", c.fail(err)
	}
	var name string
	err := c.Do(func() {
		name = "agent-" + strconv.Itoa(len(c.agents)+1)
		a := agent.New(c.loop, c.net, agentConfig(name, spec, c.cfg.behaviors))
		c.agents = append(c.agents, a)
		c.loop.Tracef("sim", "agent %s added", name)
		a.Start()
	})
	if err != nil {
		return "", err
	}
	return name, nil
}

// RemoveAgent takes the named agent away for good: it injects the
// lose-agent fault, so the agent process crashes and never comes back, and
// the master marks it unreachable once its ping timeouts run out, as it
// would for a machine that died. Its name is not reused.
func (c *Cluster) RemoveAgent(name string) error {
	var err error
	if derr := c.Do(func() {
		if _, err = c.agentNamed(name); err != nil {
			return
		}
		if c.isLost(name) {
			err = fmt.Errorf("agent %s was already removed", name)
			return
		}
		err = c.injector().Apply(faults.LoseAgent{Agent: name})
	}); derr != nil {
		return derr
	}
	if err != nil {
		err = fmt.Errorf("sim: removing agent: %w", err)
	}
	return c.fail(err)
}

// isLost reports whether a lose-agent fault took the agent for good; loop
// goroutine only.
func (c *Cluster) isLost(name string) bool { return c.injector().Lost(name) }

// ValidateAgentSpec checks an agent's resource and attribute text and its
// fault domain, as starting the agent would.
func ValidateAgentSpec(spec AgentSpec) error {
	if _, err := resources.AgentResources(spec.Resources, "*"); err != nil {
		return fmt.Errorf("sim: agent resources %q: %w", spec.Resources, err)
	}
	if _, err := resources.ParseAttributes(spec.Attributes); err != nil {
		return fmt.Errorf("sim: agent attributes %q: %w", spec.Attributes, err)
	}
	if (spec.Region == "") != (spec.Zone == "") {
		return fmt.Errorf("sim: agent fault domain needs both a region and a zone (region %q, zone %q)", spec.Region, spec.Zone)
	}
	return nil
}

// agentConfig is the agent.Config of a cluster agent.
func agentConfig(name string, spec AgentSpec, behaviors []agent.Rule) agent.Config {
	cfg := agent.Config{Name: name, Resources: spec.Resources, Attributes: spec.Attributes, Behaviors: behaviors}
	if spec.Region != "" || spec.Zone != "" {
		cfg.Domain = &mesospb.DomainInfo{FaultDomain: &mesospb.DomainInfo_FaultDomain{
			Region: &mesospb.DomainInfo_FaultDomain_RegionInfo{Name: proto.String(spec.Region)},
			Zone:   &mesospb.DomainInfo_FaultDomain_ZoneInfo{Name: proto.String(spec.Zone)},
		}}
	}
	return cfg
}
