package simnet

import (
	"fmt"
	"strings"
	"time"
)

// Filter decides the fate of each message sent while it is installed.
type Filter interface {
	Filter(m Message) Verdict
}

// FilterFunc adapts a function to Filter.
type FilterFunc func(m Message) Verdict

// Filter calls f(m).
func (f FilterFunc) Filter(m Message) Verdict { return f(m) }

// Verdict is a filter's decision about one message. The zero Verdict
// delivers the message unchanged.
type Verdict struct {
	// Drop discards the message and every copy of it.
	Drop bool
	// Delay is added to the message's delivery time.
	Delay time.Duration
	// Duplicates asks for extra copies: each entry adds one copy, delivered
	// that long after the message itself (0: right after it, at the same
	// instant).
	Duplicates []time.Duration
	// Reason says why, for the trace; empty uses the filter's String, if it
	// has one.
	Reason string
}

// Deliver is the zero Verdict: deliver unchanged.
var Deliver = Verdict{}

// Match selects messages by endpoint, kind and direction. An empty field
// matches anything.
type Match struct {
	From, To string
	Kind     string
	// Bidirectional also matches messages going the other way, from To to
	// From: Match{From: "S0", Bidirectional: true} matches everything S0
	// sends or receives.
	Bidirectional bool
}

// Matches reports whether m is selected.
func (x Match) Matches(m Message) bool {
	if x.Kind != "" && x.Kind != m.Kind {
		return false
	}
	if field(x.From, m.From) && field(x.To, m.To) {
		return true
	}
	return x.Bidirectional && field(x.From, m.To) && field(x.To, m.From)
}

func field(want, got string) bool { return want == "" || want == got }

// String renders the match as "from->to kind=K", with "*" for any endpoint
// and "<->" when bidirectional.
func (x Match) String() string {
	var b strings.Builder
	b.WriteString(orAny(x.From))
	if x.Bidirectional {
		b.WriteString("<->")
	} else {
		b.WriteString("->")
	}
	b.WriteString(orAny(x.To))
	if x.Kind != "" {
		b.WriteString(" kind=")
		b.WriteString(x.Kind)
	}
	return b.String()
}

func orAny(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

// Drop returns a filter that drops the messages m selects: a partition (one
// way, or both with Bidirectional), an isolated endpoint, a lost kind.
func Drop(m Match) Filter { return dropFilter{m} }

type dropFilter struct{ m Match }

func (f dropFilter) Filter(m Message) Verdict {
	if f.m.Matches(m) {
		return Verdict{Drop: true}
	}
	return Deliver
}

func (f dropFilter) String() string { return "drop(" + f.m.String() + ")" }

// Delay returns a filter that delays the messages m selects by d.
func Delay(m Match, d time.Duration) Filter { return delayFilter{m, d} }

type delayFilter struct {
	m Match
	d time.Duration
}

func (f delayFilter) Filter(m Message) Verdict {
	if f.m.Matches(m) {
		return Verdict{Delay: f.d}
	}
	return Deliver
}

func (f delayFilter) String() string { return fmt.Sprintf("delay(%v, %v)", f.m, f.d) }

// Duplicate returns a filter that delivers each message m selects once more
// per entry of delays, that long after the original.
func Duplicate(m Match, delays ...time.Duration) Filter {
	return duplicateFilter{m, append([]time.Duration(nil), delays...)}
}

type duplicateFilter struct {
	m      Match
	delays []time.Duration
}

func (f duplicateFilter) Filter(m Message) Verdict {
	if f.m.Matches(m) {
		return Verdict{Duplicates: f.delays}
	}
	return Deliver
}

func (f duplicateFilter) String() string { return fmt.Sprintf("duplicate(%v, %v)", f.m, f.delays) }
