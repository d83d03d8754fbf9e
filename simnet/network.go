package simnet

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
)

// traceComponent is the component name of the network's trace lines.
const traceComponent = "net"

// deliverEvent names the loop event that delivers one message.
const deliverEvent = "net.deliver"

// Config configures a Network.
type Config struct {
	// Latency is the base delay of every message. Zero, the default,
	// delivers a message at the virtual instant it was sent.
	Latency time.Duration
}

// Stats counts what happened to messages.
type Stats struct {
	Sent       uint64 // Send calls
	Delivered  uint64 // handler calls, copies included
	Dropped    uint64 // messages or copies discarded, by a filter or for want of an endpoint
	Duplicated uint64 // extra copies scheduled by filters
}

// Network delivers messages between endpoints through the events of a loop.
// It is not safe for concurrent use.
type Network struct {
	loop    *loop.Loop
	latency time.Duration

	endpoints    map[string]endpoint
	incarnations uint64 // last incarnation handed out

	filters    []installed // in the order added
	lastFilter uint64

	lastMessage uint64 // message numbers for the trace
	stats       Stats

	watchers  []watcher // in the order added
	lastWatch uint64
}

type watcher struct {
	id uint64
	fn func(name string)
}

type endpoint struct {
	handler     func(Message)
	incarnation uint64
}

type installed struct {
	id   uint64
	f    Filter
	name string
}

// New returns a network whose messages are delivered by l's events.
func New(l *loop.Loop, cfg Config) *Network {
	return &Network{
		loop:      l,
		latency:   max(cfg.Latency, 0),
		endpoints: make(map[string]endpoint),
	}
}

// SetLatency changes the base latency of messages sent from now on; a
// negative d counts as 0.
func (n *Network) SetLatency(d time.Duration) { n.latency = max(d, 0) }

// Latency returns the base latency.
func (n *Network) Latency() time.Duration { return n.latency }

// Stats returns the message counters.
func (n *Network) Stats() Stats { return n.stats }

// Register makes handler the receiver of messages to name. It panics if name
// is empty, handler is nil, or name is already registered: unregister first,
// as a restarted process would be.
func (n *Network) Register(name string, handler func(Message)) {
	if name == "" || handler == nil {
		panic("simnet: Register needs a name and a handler")
	}
	if _, ok := n.endpoints[name]; ok {
		panic(fmt.Sprintf("simnet: endpoint %q is already registered", name))
	}
	n.incarnations++
	n.endpoints[name] = endpoint{handler: handler, incarnation: n.incarnations}
	n.loop.Trace(traceComponent, "register "+name)
}

// Unregister removes the endpoint name and reports whether it was
// registered. Messages in flight to it are dropped when they arrive, even if
// name is registered again before then.
func (n *Network) Unregister(name string) bool {
	if _, ok := n.endpoints[name]; !ok {
		return false
	}
	delete(n.endpoints, name)
	n.loop.Trace(traceComponent, "unregister "+name)
	for _, w := range n.watchers {
		fn := w.fn
		n.loop.Post("simnet.exited", func() { fn(name) })
	}
	return true
}

// WatchExits asks for fn(name) to be posted on the loop each time an
// endpoint is unregistered: the "exited" notice libprocess gives a process
// linked to a peer whose connection breaks (a process that crashes or
// stops). A partition made with filters does not unregister anything and
// so is not noticed this way, as a real partition is not. The returned
// function stops the notices.
func (n *Network) WatchExits(fn func(name string)) (remove func()) {
	n.lastWatch++
	id := n.lastWatch
	n.watchers = append(n.watchers, watcher{id: id, fn: fn})
	return func() {
		for i, w := range n.watchers {
			if w.id == id {
				n.watchers = append(n.watchers[:i:i], n.watchers[i+1:]...)
				return
			}
		}
	}
}

// Registered reports whether name has a handler.
func (n *Network) Registered(name string) bool {
	_, ok := n.endpoints[name]
	return ok
}

// Endpoints returns the registered names, sorted.
func (n *Network) Endpoints() []string {
	names := make([]string, 0, len(n.endpoints))
	for name := range n.endpoints {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// AddFilter installs f at the end of the filter chain and returns a
// function that removes it again (calling it more than once is harmless).
// The filter sees every message sent while it is installed; messages
// already in flight keep the fate they were given.
func (n *Network) AddFilter(f Filter) (remove func()) {
	n.lastFilter++
	in := installed{id: n.lastFilter, f: f, name: fmt.Sprintf("filter#%d", n.lastFilter)}
	if s, ok := f.(fmt.Stringer); ok {
		in.name = s.String()
	}
	n.filters = append(n.filters, in)
	n.loop.Trace(traceComponent, "filter add "+in.name)
	return func() {
		i := slices.IndexFunc(n.filters, func(x installed) bool { return x.id == in.id })
		if i < 0 {
			return
		}
		n.filters = slices.Delete(n.filters, i, i+1)
		n.loop.Trace(traceComponent, "filter remove "+in.name)
	}
}

// Send sends m. Its fate is decided now, by the filter chain: it is
// delivered after the base latency plus any filter delays, or dropped, or
// delivered several times. With no delay at all it is delivered at this
// virtual instant, after every event already queued for it.
func (n *Network) Send(m Message) {
	n.stats.Sent++
	n.lastMessage++
	id := n.lastMessage
	ep, ok := n.endpoints[m.To]
	if !ok {
		n.drop(id, m, "no endpoint "+m.To)
		return
	}
	var one [1]time.Duration
	one[0] = n.latency
	delays := one[:] // delays[0] is the message, the rest are copies
	for _, in := range n.filters {
		v := in.f.Filter(m)
		if v.Drop {
			reason := v.Reason
			if reason == "" {
				reason = in.name
			}
			n.drop(id, m, reason)
			return
		}
		delays = apply(delays, v)
	}
	if n.loop.Tracing() {
		n.loop.Tracef(traceComponent, "send #%d %s->%s %s%s", id, m.From, m.To, m.Kind, describeDelays(delays))
	}
	n.stats.Duplicated += uint64(len(delays) - 1)
	for copyNum, d := range delays {
		n.schedule(id, copyNum, ep.incarnation, d, m)
	}
}

// apply adds v's delay to every delivery and v's duplicates after each.
func apply(delays []time.Duration, v Verdict) []time.Duration {
	if v.Delay == 0 && len(v.Duplicates) == 0 {
		return delays
	}
	if len(v.Duplicates) == 0 {
		for i := range delays {
			delays[i] += v.Delay
		}
		return delays
	}
	out := make([]time.Duration, 0, len(delays)*(1+len(v.Duplicates)))
	for _, d := range delays {
		out = append(out, d+v.Delay)
	}
	for _, d := range delays {
		for _, dup := range v.Duplicates {
			out = append(out, d+v.Delay+dup)
		}
	}
	return out
}

// describeDelays renders the fate of a sent message for the trace: nothing
// for one delivery at zero delay, " delay 1s", or " delays [0s 1s]".
func describeDelays(delays []time.Duration) string {
	switch {
	case len(delays) == 1 && delays[0] <= 0:
		return ""
	case len(delays) == 1:
		return " delay " + delays[0].String()
	}
	var b strings.Builder
	b.WriteString(" delays [")
	for i, d := range delays {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(d.String())
	}
	b.WriteByte(']')
	return b.String()
}

func (n *Network) schedule(id uint64, copyNum int, incarnation uint64, d time.Duration, m Message) {
	deliver := func() {
		ep, ok := n.endpoints[m.To]
		switch {
		case !ok:
			n.drop(id, m, "endpoint "+m.To+" gone"+copyLabel(copyNum))
			return
		case ep.incarnation != incarnation:
			n.drop(id, m, "endpoint "+m.To+" restarted"+copyLabel(copyNum))
			return
		}
		n.stats.Delivered++
		if n.loop.Tracing() {
			n.loop.Tracef(traceComponent, "deliver #%d %s->%s %s%s", id, m.From, m.To, m.Kind, copyLabel(copyNum))
		}
		ep.handler(m)
	}
	if d <= 0 {
		n.loop.Post(deliverEvent, deliver)
	} else {
		n.loop.After(d, deliverEvent, deliver)
	}
}

func copyLabel(copyNum int) string {
	if copyNum == 0 {
		return ""
	}
	return fmt.Sprintf(" (copy %d)", copyNum)
}

func (n *Network) drop(id uint64, m Message, reason string) {
	n.stats.Dropped++
	if n.loop.Tracing() {
		n.loop.Tracef(traceComponent, "drop #%d %s->%s %s: %s", id, m.From, m.To, m.Kind, reason)
	}
}
