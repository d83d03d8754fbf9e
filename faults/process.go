package faults

import "fmt"

// CrashAgent kills an agent process: its executors and tasks die with it,
// and the master sees the connection break. A RestartAgent brings it back.
type CrashAgent struct {
	Agent string `json:"agent"`
}

// Kind returns "crash-agent".
func (CrashAgent) Kind() string { return "crash-agent" }

// String returns e.g. "crash agent-1".
func (c CrashAgent) String() string { return "crash " + c.Agent }

// Validate checks the agent.
func (c CrashAgent) Validate(t Target) error { return checkAgent(t, "agent", c.Agent) }

// Apply crashes the agent.
func (c CrashAgent) Apply(in *Injector) error { return in.Target().CrashAgent(c.Agent) }

// RestartAgent starts an agent again (a running agent is crashed first).
// With Recover it recovers its checkpoint: the same agent id, and the tasks
// that survived. Without, its work directory is lost and it registers as a
// new agent. A lost agent (LoseAgent) never restarts: the Injector refuses.
//
// In JSON "recover" defaults to true, the common case: {"kind":
// "restart-agent","agent":"agent-1"} recovers. In Go the zero value of
// Recover is false: write RestartAgent{Agent: "agent-1", Recover: true}.
type RestartAgent struct {
	Agent   string `json:"agent"`
	Recover bool   `json:"recover"`
}

// Kind returns "restart-agent".
func (RestartAgent) Kind() string { return "restart-agent" }

// String returns e.g. "restart agent-1 (recovering its checkpoint)".
func (r RestartAgent) String() string {
	if r.Recover {
		return "restart " + r.Agent + " (recovering its checkpoint)"
	}
	return "restart " + r.Agent + " (work directory lost: a new agent)"
}

// Validate checks the agent.
func (r RestartAgent) Validate(t Target) error { return checkAgent(t, "agent", r.Agent) }

// Apply restarts the agent unless the Injector lost it.
func (r RestartAgent) Apply(in *Injector) error {
	if in.Lost(r.Agent) {
		return fmt.Errorf("agent %s was lost (lose-agent) and never restarts", r.Agent)
	}
	return in.Target().RestartAgent(r.Agent, r.Recover)
}

// setDefaults sets the JSON defaults before decoding.
func (r *RestartAgent) setDefaults() { r.Recover = true }

// LoseAgent crashes an agent that never comes back: the Injector refuses to
// restart it afterwards. The master finds out as it does of a crash.
type LoseAgent struct {
	Agent string `json:"agent"`
}

// Kind returns "lose-agent".
func (LoseAgent) Kind() string { return "lose-agent" }

// String returns e.g. "lose agent-1 (crash, never to restart)".
func (l LoseAgent) String() string { return "lose " + l.Agent + " (crash, never to restart)" }

// Validate checks the agent.
func (l LoseAgent) Validate(t Target) error { return checkAgent(t, "agent", l.Agent) }

// Apply crashes the agent and marks it lost.
func (l LoseAgent) Apply(in *Injector) error {
	in.lose(l.Agent)
	return in.Target().CrashAgent(l.Agent)
}

// MarkAgentGone is the operator telling the master an agent is gone for
// good (MARK_AGENT_GONE): its tasks become TASK_GONE_BY_OPERATOR.
type MarkAgentGone struct {
	Agent string `json:"agent"`
}

// Kind returns "mark-agent-gone".
func (MarkAgentGone) Kind() string { return "mark-agent-gone" }

// String returns e.g. "mark agent-1 gone".
func (m MarkAgentGone) String() string { return "mark " + m.Agent + " gone" }

// Validate checks the agent.
func (m MarkAgentGone) Validate(t Target) error { return checkAgent(t, "agent", m.Agent) }

// Apply calls MARK_AGENT_GONE.
func (m MarkAgentGone) Apply(in *Injector) error { return in.Target().MarkAgentGone(m.Agent) }

// FailoverMaster replaces the leading master with a new one: every
// framework's event stream ends (frameworks must subscribe again) and the
// agents re-register with what they run. With Election, no master leads
// for that long first: the Mesos endpoints answer 503 "No leader elected"
// and agents wait for the new leader.
type FailoverMaster struct {
	Election Duration `json:"election,omitempty"`
}

// Kind returns "failover-master".
func (FailoverMaster) Kind() string { return "failover-master" }

// String returns "fail over the master", with the election time if any.
func (f FailoverMaster) String() string {
	if f.Election > 0 {
		return "fail over the master (no leader for " + f.Election.String() + ")"
	}
	return "fail over the master"
}

// Apply fails the master over.
func (f FailoverMaster) Apply(in *Injector) error { return in.Target().FailoverMaster(f.Election.D()) }

// Validate checks the election time.
func (f FailoverMaster) Validate(Target) error { return checkDuration("election", f.Election) }
