package sim

import (
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Hooks for the external tests until they go through the faults package.

func (c *Cluster) onLoop(fn func() error) error {
	var err error
	if derr := c.drv.Do(func() { err = fn() }); derr != nil {
		return derr
	}
	return c.fail(err)
}

func CrashAgent(c *Cluster, name string) error {
	return c.onLoop(func() error { return c.crashAgent(name) })
}

func RestartAgent(c *Cluster, name string, recover bool) error {
	return c.onLoop(func() error { return c.restartAgent(name, recover) })
}

func MarkAgentGone(c *Cluster, name string) error {
	return c.onLoop(func() error { return c.markAgentGone(name) })
}

func FailoverMaster(c *Cluster) error {
	return c.onLoop(func() error { c.failoverMaster(); return nil })
}

func CutStream(c *Cluster, fw string) error {
	return c.onLoop(func() error { return c.cutStream(fw) })
}

// Partition drops every message between the master and the agent until
// the returned function heals it.
func Partition(c *Cluster, name string) (heal func()) {
	var remove func()
	_ = c.drv.Do(func() {
		remove = c.net.AddFilter(simnet.Drop(simnet.Match{From: name, To: msg.MasterEndpoint, Bidirectional: true}))
	})
	return func() { _ = c.drv.Do(remove) }
}
