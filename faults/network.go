package faults

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/mesos-sim/mesos-sim/simnet"
)

// Partition cuts the link between the master and an agent, both ways or one
// way, until a Heal. Neither side notices at once, as in a real partition:
// the master finds out when its pings go unanswered.
type Partition struct {
	Agent     string    `json:"agent"`
	Direction Direction `json:"direction,omitempty"` // "both" (or empty), "to-agent", "from-agent"
}

// Kind returns "partition".
func (Partition) Kind() string { return "partition" }

// String returns e.g. "partition agent-2 (both ways)".
func (p Partition) String() string {
	switch p.Direction {
	case ToAgent:
		return "partition " + p.Agent + " (master to agent only)"
	case FromAgent:
		return "partition " + p.Agent + " (agent to master only)"
	}
	return "partition " + p.Agent + " (both ways)"
}

// Validate checks the agent and the direction.
func (p Partition) Validate(t Target) error {
	if err := checkAgent(t, "agent", p.Agent); err != nil {
		return err
	}
	return p.Direction.validate()
}

// Apply installs a filter that drops the agent's messages.
func (p Partition) Apply(in *Injector) error {
	m := Match{Agent: p.Agent, Direction: p.Direction}.Simnet()
	in.AddFilter(p.Agent, named{simnet.Drop(m), p.String()})
	return nil
}

// Heal removes network faults this Injector installed: those that name
// Agent, or with no Agent every one of them (partitions, drops, delays and
// duplicates). A message already in flight keeps the fate it was given.
// Healing what is not faulty does nothing. Heal does not restart crashed
// agents, and does not clear call faults.
type Heal struct {
	Agent string `json:"agent,omitempty"`
}

// Kind returns "heal".
func (Heal) Kind() string { return "heal" }

// String returns "heal agent-2", or "heal the network" with no agent.
func (h Heal) String() string {
	if h.Agent == "" {
		return "heal the network"
	}
	return "heal " + h.Agent
}

// Validate checks that the agent, if any, exists.
func (h Heal) Validate(t Target) error {
	if h.Agent == "" {
		return nil
	}
	return checkAgent(t, "agent", h.Agent)
}

// Apply removes the filters.
func (h Heal) Apply(in *Injector) error {
	in.Heal(h.Agent)
	return nil
}

// Drop loses each message Match selects with probability Probability, drawn
// per message from the loop's "faults" random stream.
type Drop struct {
	Match
	Probability float64 `json:"probability"`
}

// Kind returns "drop".
func (Drop) Kind() string { return "drop" }

// String returns e.g. "drop StatusUpdateMessage from agent-1 to the master
// with probability 0.5".
func (d Drop) String() string {
	return "drop " + d.Match.String() + " with probability " + formatFloat(d.Probability)
}

// Validate checks the match and the probability.
func (d Drop) Validate(t Target) error {
	if err := d.Match.Validate(t); err != nil {
		return err
	}
	return checkProbability("probability", d.Probability)
}

// Apply installs the filter.
func (d Drop) Apply(in *Injector) error {
	f := &chanceFilter{
		name: d.String(), match: d.Match.Simnet(), p: d.Probability,
		rand: in.Target().Loop().Rand(randomStream), verdict: simnet.Verdict{Drop: true},
	}
	in.AddFilter(d.Agent, f)
	return nil
}

// Delay delays each message Match selects by Delay plus a jitter drawn
// uniformly from [0, Jitter] per message, from the loop's "faults" random
// stream. With a jitter, messages sent in one order may arrive in another.
type Delay struct {
	Match
	Delay  Duration `json:"delay"`
	Jitter Duration `json:"jitter,omitempty"`
}

// Kind returns "delay".
func (Delay) Kind() string { return "delay" }

// String returns e.g. "delay messages between the master and agent-1 by 2s
// (+ up to 500ms jitter)".
func (d Delay) String() string {
	s := "delay " + d.Match.String() + " by " + d.Delay.String()
	if d.Jitter > 0 {
		s += " (+ up to " + d.Jitter.String() + " jitter)"
	}
	return s
}

// Validate checks the match and the durations.
func (d Delay) Validate(t Target) error {
	if err := d.Match.Validate(t); err != nil {
		return err
	}
	if err := checkDuration("delay", d.Delay); err != nil {
		return err
	}
	return checkDuration("jitter", d.Jitter)
}

// Apply installs the filter.
func (d Delay) Apply(in *Injector) error {
	f := &delayFilter{
		name: d.String(), match: d.Match.Simnet(), delay: d.Delay.D(), jitter: d.Jitter.D(),
		rand: in.Target().Loop().Rand(randomStream),
	}
	in.AddFilter(d.Agent, f)
	return nil
}

// Duplicate delivers each message Match selects twice with probability
// Probability, drawn per message from the loop's "faults" random stream;
// the copy arrives right after the original.
type Duplicate struct {
	Match
	Probability float64 `json:"probability"`
}

// Kind returns "duplicate".
func (Duplicate) Kind() string { return "duplicate" }

// String returns e.g. "duplicate messages between the master and any agent
// with probability 1".
func (d Duplicate) String() string {
	return "duplicate " + d.Match.String() + " with probability " + formatFloat(d.Probability)
}

// Validate checks the match and the probability.
func (d Duplicate) Validate(t Target) error {
	if err := d.Match.Validate(t); err != nil {
		return err
	}
	return checkProbability("probability", d.Probability)
}

// Apply installs the filter.
func (d Duplicate) Apply(in *Injector) error {
	f := &chanceFilter{
		name: d.String(), match: d.Match.Simnet(), p: d.Probability,
		rand: in.Target().Loop().Rand(randomStream), verdict: simnet.Verdict{Duplicates: []time.Duration{0}},
	}
	in.AddFilter(d.Agent, f)
	return nil
}

// randomStream names the loop's random stream that faults draw from.
const randomStream = "faults"

// named gives a simnet filter the fault's description, for the trace.
type named struct {
	f    simnet.Filter
	name string
}

func (n named) Filter(m simnet.Message) simnet.Verdict { return n.f.Filter(m) }

func (n named) String() string { return n.name }

// chanceFilter gives the messages match selects verdict with probability
// p. It draws only for selected messages, and not at all when p is 0 or 1.
type chanceFilter struct {
	name    string
	match   simnet.Match
	p       float64
	rand    *rand.Rand
	verdict simnet.Verdict
}

func (f *chanceFilter) Filter(m simnet.Message) simnet.Verdict {
	if f.p <= 0 || !f.match.Matches(m) {
		return simnet.Deliver
	}
	if f.p < 1 && f.rand.Float64() >= f.p {
		return simnet.Deliver
	}
	return f.verdict
}

func (f *chanceFilter) String() string { return f.name }

// delayFilter delays the messages match selects by delay plus a uniform
// jitter in [0, jitter].
type delayFilter struct {
	name          string
	match         simnet.Match
	delay, jitter time.Duration
	rand          *rand.Rand
}

func (f *delayFilter) Filter(m simnet.Message) simnet.Verdict {
	if !f.match.Matches(m) {
		return simnet.Deliver
	}
	d := f.delay
	if f.jitter > 0 {
		d += time.Duration(f.rand.Int64N(min(int64(f.jitter), math.MaxInt64-1) + 1))
	}
	return simnet.Verdict{Delay: d}
}

func (f *delayFilter) String() string { return f.name }
