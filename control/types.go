package control

import "time"

// Prefix is the path under which the control API lives.
const Prefix = "/sim/v1/"

// ClusterInfo is the answer to GET /sim/v1/cluster.
type ClusterInfo struct {
	Seed         uint64      `json:"seed"`
	VirtualTime  time.Time   `json:"virtual_time"` // RFC 3339
	Elapsed      string      `json:"elapsed"`      // virtual time since start, "1m30s"
	Clock        string      `json:"clock"`        // "real" or "manual"
	Speed        float64     `json:"speed"`        // virtual seconds per wall second (real clock)
	MasterID     string      `json:"master_id"`
	SchedulerURL string      `json:"scheduler_url"`
	ControlURL   string      `json:"control_url"`
	StateURL     string      `json:"state_url"`
	Agents       []Agent     `json:"agents"`
	Frameworks   []Framework `json:"frameworks"`
	Tasks        []Task      `json:"tasks"`
}

// Agent is a simulated agent.
type Agent struct {
	Name     string `json:"name"` // "agent-1": what the CLI and faults call it
	ID       string `json:"id"`   // the agent id the master gave it
	Hostname string `json:"hostname"`
	// Registered: registered with the master now. Running: the agent
	// process is up (false after a crash). Removed: taken away for good.
	Registered bool   `json:"registered"`
	Running    bool   `json:"running"`
	Removed    bool   `json:"removed"`
	Resources  string `json:"resources"` // total, Mesos resource text
	Used       string `json:"used"`      // held by tasks and executors
}

// Framework is a framework the master knows.
type Framework struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Roles     []string `json:"roles"`
	Active    bool     `json:"active"`
	Connected bool     `json:"connected"`
	Tasks     int      `json:"tasks"` // tasks the master tracks for it
}

// Task is a task the master tracks.
type Task struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	FrameworkID string `json:"framework_id"`
	AgentID     string `json:"agent_id"`
	State       string `json:"state"`
}

// AgentsList is the answer to GET /sim/v1/agents.
type AgentsList struct {
	Agents []Agent `json:"agents"`
}

// AddAgentRequest is the body of POST /sim/v1/agents; empty fields take
// the server's default agent's.
type AddAgentRequest struct {
	Resources  string `json:"resources,omitempty"`
	Attributes string `json:"attributes,omitempty"`
	Region     string `json:"region,omitempty"`
	Zone       string `json:"zone,omitempty"`
}

// AdvanceRequest is the body of POST /sim/v1/clock/advance.
type AdvanceRequest struct {
	Duration string `json:"duration"` // a Go duration, "90s"
}

// ClockInfo is the answer to POST /sim/v1/clock/advance.
type ClockInfo struct {
	VirtualTime time.Time `json:"virtual_time"`
	Elapsed     string    `json:"elapsed"`
}

// FaultsResult is the answer to POST /sim/v1/faults.
type FaultsResult struct {
	// Installed lists what was injected or scheduled, one line each.
	Installed []InstalledFault `json:"installed"`
}

// InstalledFault is one fault injected now or one step of a schedule.
type InstalledFault struct {
	Kind string `json:"kind"`
	// When is the step's trigger, such as "at 1m0s", "after 30s" or "when
	// ..."; empty for a fault injected now.
	When        string `json:"when,omitempty"`
	Description string `json:"description"` // the fault, in words
}

// ErrorBody is every error answer's body.
type ErrorBody struct {
	Error string `json:"error"`
}
