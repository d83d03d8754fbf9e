package faults

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Fault is one fault: data that says what goes wrong, and how to make it go
// wrong on a [Target] through an [Injector].
type Fault interface {
	// Kind returns the fault's kind, its "kind" in JSON, such as
	// "partition".
	Kind() string
	// String describes the fault in one readable line, such as
	// "partition agent-2 (both ways)".
	String() string
	// Apply makes the fault happen now. Faults that install network filters
	// install them through the Injector, so that Heal can remove them.
	Apply(in *Injector) error
}

// Validator is implemented by faults and conditions that can check their
// fields. Validate reports the first bad field as "field: problem". With a
// nil Target it checks only what needs no cluster (ranges, required fields,
// known values); with a Target it also checks that named agents exist.
//
// Every fault and condition of this package implements it; the Injector
// validates every fault that does before applying it.
type Validator interface {
	Validate(t Target) error
}

// Direction says which way a network fault acts on the link between the
// master and an agent.
type Direction string

// The directions. The empty Direction means Both.
const (
	Both      Direction = "both"
	ToAgent   Direction = "to-agent"   // messages from the master to the agent
	FromAgent Direction = "from-agent" // messages from the agent to the master
)

func (d Direction) validate() error {
	switch d {
	case "", Both, ToAgent, FromAgent:
		return nil
	}
	return fmt.Errorf("direction: %q is not one of %q, %q, %q", string(d), Both, ToAgent, FromAgent)
}

// Match selects the messages a network fault acts on: those between the
// master and Agent, of kind Kind, going in Direction. Empty fields match
// anything: no Agent means every agent, no Kind every kind of message, no
// Direction both directions.
//
// In JSON a Match's fields sit in the fault's own object, with Kind spelled
// "message" (the fault's "kind" is its own): {"kind":"drop","agent":
// "agent-1","message":"StatusUpdateMessage","direction":"from-agent",
// "probability":0.5}.
type Match struct {
	// Agent is an agent's endpoint name, such as "agent-1".
	Agent string `json:"agent,omitempty"`
	// Kind is a message kind, such as "StatusUpdateMessage" or
	// "RunTaskMessage": one of MessageKinds.
	Kind string `json:"message,omitempty"`
	// Direction is "both" (or empty), "to-agent" or "from-agent".
	Direction Direction `json:"direction,omitempty"`
}

// Simnet returns the simnet.Match that selects the same messages.
func (m Match) Simnet() simnet.Match {
	switch m.Direction {
	case ToAgent:
		return simnet.Match{From: msg.MasterEndpoint, To: m.Agent, Kind: m.Kind}
	case FromAgent:
		return simnet.Match{From: m.Agent, To: msg.MasterEndpoint, Kind: m.Kind}
	}
	return simnet.Match{From: m.Agent, To: msg.MasterEndpoint, Kind: m.Kind, Bidirectional: true}
}

// String describes the messages selected, e.g. "StatusUpdateMessage from
// agent-1 to the master" or "messages between the master and any agent".
func (m Match) String() string {
	var b strings.Builder
	if m.Kind != "" {
		b.WriteString(m.Kind + " ")
	} else {
		b.WriteString("messages ")
	}
	agent := m.Agent
	if agent == "" {
		agent = "any agent"
	}
	switch m.Direction {
	case ToAgent:
		b.WriteString("from the master to " + agent)
	case FromAgent:
		b.WriteString("from " + agent + " to the master")
	default:
		b.WriteString("between the master and " + agent)
	}
	return b.String()
}

// Validate checks the message kind and the direction and, with a Target,
// that the agent exists.
func (m Match) Validate(t Target) error {
	if err := checkMessageKind("message", m.Kind); err != nil {
		return err
	}
	if err := m.Direction.validate(); err != nil {
		return err
	}
	if m.Agent == "" {
		return nil
	}
	return checkAgent(t, "agent", m.Agent)
}

// checkAgent reports an error if name is empty, or if t is not nil and has
// no agent of that name.
func checkAgent(t Target, field, name string) error {
	if name == "" {
		return fmt.Errorf("%s: missing", field)
	}
	if t == nil {
		return nil
	}
	names := t.AgentNames()
	if !slices.Contains(names, name) {
		return fmt.Errorf("%s: no agent named %q (agents: %s)", field, name, strings.Join(names, ", "))
	}
	return nil
}

// checkRequired reports an error if value is empty.
func checkRequired(field, value string) error {
	if value == "" {
		return fmt.Errorf("%s: missing", field)
	}
	return nil
}

// checkProbability reports an error unless p is in [0,1].
func checkProbability(field string, p float64) error {
	if !(p >= 0 && p <= 1) { // NaN fails too
		return fmt.Errorf("%s: %s is outside [0,1]", field, formatFloat(p))
	}
	return nil
}

// checkDuration reports an error if d is negative.
func checkDuration(field string, d Duration) error {
	if d < 0 {
		return fmt.Errorf("%s: %s is negative", field, d)
	}
	return nil
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// validate checks f with t if f can check itself.
func validate(f Fault, t Target) error {
	if f == nil {
		return errors.New("no fault")
	}
	if v, ok := f.(Validator); ok {
		if err := v.Validate(t); err != nil {
			return fmt.Errorf("%s: %w", f.Kind(), err)
		}
	}
	return nil
}
