package clusterfile

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/sim"
)

// DefaultResources are the resources of each default agent.
const DefaultResources = "cpus:4;mem:8192;disk:65536;ports:[31000-32000]"

// DefaultAddr is where the binary listens unless told otherwise.
const DefaultAddr = "127.0.0.1:5050"

// MaxAgents bounds the agents one file may declare.
const MaxAgents = 100_000

// MaxTraceLines bounds the trace lines kept.
const MaxTraceLines = 1_000_000

// Clock modes.
const (
	ClockReal   = "real"   // virtual time follows the wall clock times Speed
	ClockManual = "manual" // virtual time moves only when told to (advance)
)

// LogLevels are the binary's log levels, quietest first; "trace" also
// prints every line of the event loop's trace.
var LogLevels = []string{"error", "warn", "info", "debug", "trace"}

// File is a cluster file. The zero value of a field means the default
// (see [Default]), except Agents: a file without agents has none.
type File struct {
	// Addr is the binary's listen address, host:port.
	Addr string `json:"addr,omitempty"`
	// Seed fixes the seed; nil draws a fresh one at each start.
	Seed *uint64 `json:"seed,omitempty"`
	// Clock is how virtual time moves.
	Clock Clock `json:"clock"`
	// LogLevel is one of [LogLevels].
	LogLevel string `json:"log_level,omitempty"`
	// TraceLines is how many of the last trace lines the simulator keeps
	// for GET /sim/v1/trace (0: sim's default).
	TraceLines int `json:"trace_lines,omitempty"`
	// Agents are groups of identical agents, named agent-1, agent-2, ...
	// in the order given.
	Agents []AgentGroup `json:"agents"`
	// Roles, when set, are the only roles weights and quota may name
	// (Mesos's --roles).
	Roles []string `json:"roles,omitempty"`
	// Weights are role weights (Mesos's --weights).
	Weights map[string]float64 `json:"weights,omitempty"`
	// Quota is per top-level role.
	Quota map[string]Quota `json:"quota,omitempty"`
	// Behaviors script the tasks that match; the first match wins.
	Behaviors []Behavior `json:"behaviors,omitempty"`
	// Master holds the master's flags worth changing.
	Master Master `json:"master"`
	// Faults is a fault schedule in the faults package's JSON form.
	Faults json.RawMessage `json:"faults,omitempty"`
}

// Clock says how virtual time moves.
type Clock struct {
	// Mode is ClockReal or ClockManual.
	Mode string `json:"mode"`
	// Speed is how many virtual seconds pass per wall second in real mode.
	Speed float64 `json:"speed"`
}

// AgentGroup is Count agents alike.
type AgentGroup struct {
	Count int `json:"count"`
	// Resources and Attributes are Mesos's --resources and --attributes
	// text; empty resources mean cpus:1;mem:1024;disk:10240;ports:[31000-32000].
	Resources  string `json:"resources"`
	Attributes string `json:"attributes,omitempty"`
	// Region and Zone, both or neither, form the agents' fault domain.
	Region string `json:"region,omitempty"`
	Zone   string `json:"zone,omitempty"`
}

// Quota is a role's quota in Mesos's quantity text ("cpus:2;mem:1024").
type Quota struct {
	Guarantee string `json:"guarantee,omitempty"`
	Limit     string `json:"limit,omitempty"`
}

// Behavior scripts the tasks whose name and command match its patterns
// (empty matches all; '*' matches any text, '?' one character).
type Behavior struct {
	Name    string `json:"name,omitempty"`
	Command string `json:"command,omitempty"`
	// Behavior is the agent's behaviour text: "run=30s exit=1",
	// "start-delay=2s ignore-term", ...
	Behavior string `json:"behavior"`
}

// Master holds master flags, as Go durations and counts; empty keeps
// Mesos's default.
type Master struct {
	AllocationInterval   string `json:"allocation_interval,omitempty"`
	OfferTimeout         string `json:"offer_timeout,omitempty"` // "0s": offers never expire
	AgentPingTimeout     string `json:"agent_ping_timeout,omitempty"`
	MaxAgentPingTimeouts int    `json:"max_agent_ping_timeouts,omitempty"`
}

// Default returns the cluster the binary starts without a file: three
// agents of [DefaultResources] on a real-time clock, Mesos's master flags.
func Default() *File {
	return &File{
		Addr:       DefaultAddr,
		Clock:      Clock{Mode: ClockReal, Speed: 1},
		LogLevel:   "info",
		TraceLines: 1000,
		Agents:     []AgentGroup{{Count: 3, Resources: DefaultResources}},
		Master: Master{
			AllocationInterval:   "1s",
			OfferTimeout:         "0s",
			AgentPingTimeout:     "15s",
			MaxAgentPingTimeouts: 5,
		},
	}
}

// Load reads and parses the cluster file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading cluster file: %w", err)
	}
	return Parse(path, data)
}

// AgentCount is the number of agents the file declares.
func (f *File) AgentCount() int {
	n := 0
	for _, g := range f.Agents {
		n += g.Count
	}
	return n
}

// ClockMode is the file's clock mode, ClockReal if unset.
func (f *File) ClockMode() string {
	if f.Clock.Mode == "" {
		return ClockReal
	}
	return f.Clock.Mode
}

// Speed is the file's clock speed, 1 if unset.
func (f *File) Speed() float64 {
	if f.Clock.Speed <= 0 {
		return 1
	}
	return f.Clock.Speed
}

// MasterConfig returns the master flags the file sets over Mesos's
// defaults. The file must be valid.
func (f *File) MasterConfig() (master.Config, error) {
	var mc master.Config
	for _, d := range []struct {
		name string
		text string
		dst  *time.Duration
	}{
		{"allocation_interval", f.Master.AllocationInterval, &mc.AllocationInterval},
		{"offer_timeout", f.Master.OfferTimeout, &mc.OfferTimeout},
		{"agent_ping_timeout", f.Master.AgentPingTimeout, &mc.AgentPingTimeout},
	} {
		if d.text == "" {
			continue
		}
		v, err := time.ParseDuration(d.text)
		if err != nil {
			return master.Config{}, fmt.Errorf("master.%s: %w", d.name, err)
		}
		*d.dst = v
	}
	mc.MaxAgentPingTimeouts = f.Master.MaxAgentPingTimeouts
	return mc, nil
}

// Options returns the sim options of the cluster the file describes: its
// agents, weights, quota, behaviours, master flags, fault schedule, seed
// (if set) and, in real clock mode, sim.Realtime. The listen address and
// log level are the binary's business, not the cluster's.
func (f *File) Options() ([]sim.Option, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var opts []sim.Option
	if f.Seed != nil {
		opts = append(opts, sim.Seed(*f.Seed))
	}
	if f.ClockMode() == ClockReal {
		opts = append(opts, sim.Realtime(f.Speed()))
	}
	if f.TraceLines > 0 {
		opts = append(opts, sim.TraceLines(f.TraceLines))
	}
	for _, g := range f.Agents {
		spec := sim.AgentSpec{Resources: g.Resources, Attributes: g.Attributes, Region: g.Region, Zone: g.Zone}
		for range g.Count {
			opts = append(opts, sim.Agent(spec))
		}
	}
	if len(f.Weights) > 0 {
		opts = append(opts, sim.Weights(f.Weights))
	}
	for _, role := range slices.Sorted(maps.Keys(f.Quota)) {
		q := f.Quota[role]
		opts = append(opts, sim.Quota(role, q.Guarantee, q.Limit))
	}
	for _, b := range f.Behaviors {
		beh, err := agent.ParseBehavior(b.Behavior)
		if err != nil {
			return nil, err
		}
		opts = append(opts, sim.WithBehavior(b.Matcher(), beh))
	}
	mc, err := f.MasterConfig()
	if err != nil {
		return nil, err
	}
	opts = append(opts, sim.MasterConfig(mc))
	sched, err := f.Schedule()
	if err != nil {
		return nil, err
	}
	if len(sched) > 0 {
		opts = append(opts, sim.Faults(sched))
	}
	return opts, nil
}

// Matcher returns the function that tells whether a task matches the
// behaviour's patterns (see [Glob]).
func (b Behavior) Matcher() func(*mesospb.TaskInfo) bool {
	name, cmd := Glob(b.Name), Glob(b.Command)
	return func(t *mesospb.TaskInfo) bool {
		return (name == nil || name.MatchString(t.GetName())) &&
			(cmd == nil || cmd.MatchString(t.GetCommand().GetValue()))
	}
}

// Glob compiles a pattern in which '*' matches any text (slashes and
// spaces included), '?' one character, and everything else itself; ""
// compiles to nil, which matches everything.
func Glob(pattern string) *regexp.Regexp {
	if pattern == "" {
		return nil
	}
	var b strings.Builder
	b.WriteString(`^`)
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(`.*`)
		case '?':
			b.WriteString(`.`)
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String()) // every other rune is quoted

}
