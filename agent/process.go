package agent

import (
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
)

// ptimer is a timer of an executor or task process. Such processes outlive
// an agent crash (when their framework checkpoints), so their timers are
// re-armed when the agent recovers; see Restart.
type ptimer struct {
	at   time.Duration // virtual time since the epoch when it fires
	name string
	fn   func()
	t    *loop.Timer
	done bool
}

// pafter schedules fn as a process timer.
func (a *Agent) pafter(d time.Duration, name string, fn func()) *ptimer {
	p := &ptimer{at: a.l.Elapsed() + max(d, 0), name: name, fn: fn}
	a.arm(p)
	return p
}

func (a *Agent) arm(p *ptimer) {
	p.t = a.after(p.at-a.l.Elapsed(), p.name, func() {
		p.done = true
		p.fn()
	})
}

// Stop cancels the timer; nil-safe.
func (p *ptimer) Stop() {
	if p == nil {
		return
	}
	p.done = true
	p.t.Stop()
}

// rearm schedules again a timer cut off by a crash (at once if it is due).
func (a *Agent) rearm(p *ptimer) {
	if p != nil && !p.done {
		a.arm(p)
	}
}

// addTimer records a task timer, forgetting those already done.
func (t *task) addTimer(p *ptimer) {
	live := t.timers[:0]
	for _, x := range t.timers {
		if !x.done {
			live = append(live, x)
		}
	}
	t.timers = append(live, p)
}

// Crash kills the agent process: its endpoint goes away and messages in
// flight to it are lost; nothing it scheduled happens. Executors and tasks
// of frameworks with checkpoint=true live on, unseen, until Restart with
// recovery; everything else dies with the agent (the master finds out
// through missing pings or re-registration).
func (a *Agent) Crash() {
	if a.state == stateStopped {
		return
	}
	a.tracef("crashed")
	a.gen++
	a.shuttingDown = false
	a.state = stateStopped
	a.regTimer, a.pingTimer = nil, nil
	for _, st := range a.streams {
		st.timer = nil
	}
	a.net.Unregister(msg.AgentEndpoint(a.cfg.Name))
}

// Restart starts a crashed agent again. With recover (Mesos's
// --recover=reconnect and an intact work directory) it keeps its agent id,
// recovers the executors, tasks and unacknowledged status updates of
// checkpointing frameworks, and re-registers with ReregisterSlaveMessage
// listing them; what their processes would have done meanwhile happens at
// once. Without recover (a new work directory) it forgets everything and
// registers as a new agent.
func (a *Agent) Restart(recover bool) {
	if a.state != stateStopped {
		return
	}
	if !recover {
		a.id = ""
		a.info.Id = nil
		a.frameworks = map[string]*framework{}
		a.tasks = map[key]*task{}
		a.streams = map[key]*stream{}
		a.used = resources.Resources{}
		a.total = a.baseTotal
		a.checkpointed = nil
		a.info.Resources = a.total.ToProto()
		a.Start()
		return
	}
	for _, fw := range a.sortedFrameworks() {
		if fw.info.GetCheckpoint() {
			continue
		}
		for _, ex := range fw.sortedExecutors() {
			if ex.state != exTerminated {
				a.used = a.used.Minus(ex.res)
			}
		}
		delete(a.frameworks, fw.id)
	}
	for k, t := range a.tasks {
		if a.frameworks[k.fw] != nil {
			continue
		}
		if !t.terminal {
			a.used = a.used.Minus(t.res)
		}
		delete(a.tasks, k)
		delete(a.streams, k)
	}
	for k := range a.streams {
		if a.frameworks[k.fw] == nil {
			delete(a.streams, k)
		}
	}
	a.net.Register(msg.AgentEndpoint(a.cfg.Name), a.Receive)
	a.state = stateRegistering
	// Re-arm the processes' timers in a deterministic order.
	for _, fw := range a.sortedFrameworks() {
		for _, ex := range fw.sortedExecutors() {
			a.rearm(ex.crashTimer)
			a.rearm(ex.shutTimer)
		}
	}
	for _, t := range a.sortedTasks() {
		for _, p := range t.timers {
			a.rearm(p)
		}
	}
	a.doReliableRegistration(2 * RegistrationBackoffFactor)
}
