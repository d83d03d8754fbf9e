package master

import (
	"sync"

	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

// DefaultMaxQueuedEvents bounds the events waiting in one subscription's
// outbox. A reader that falls this far behind is disconnected (see
// [Subscription]).
const DefaultMaxQueuedEvents = 10_000

// Subscription is the outbox of one SUBSCRIBE stream. The master appends
// events to it on the loop goroutine and never blocks; the HTTP layer drains
// it on the stream's goroutine ([Subscription.Next]) and writes each event
// as a RecordIO frame.
//
// The queue is bounded (Config.MaxQueuedEvents, default 10,000). When an
// event would exceed the bound, the master closes the stream instead,
// writes a trace line ("stream ... overflow"), and treats the framework as
// disconnected, as if its connection had broken. Events already queued are
// still delivered before the stream ends.
//
// Events handed to a Subscription are shared and must not be modified.
type Subscription struct {
	// StreamID is the Mesos-Stream-Id of the stream (a UUID string).
	StreamID string
	// FrameworkID is the framework the stream belongs to ("" for a refused
	// subscription).
	FrameworkID string

	max int

	mu     sync.Mutex
	queue  []*schedulerpb.Event
	pushed uint64 // events ever queued
	closed bool
	notify chan struct{} // capacity 1: "something changed"
}

func newSubscription(streamID, frameworkID string, max int) *Subscription {
	if max <= 0 {
		max = DefaultMaxQueuedEvents
	}
	return &Subscription{StreamID: streamID, FrameworkID: frameworkID, max: max, notify: make(chan struct{}, 1)}
}

func (s *Subscription) wake() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// push queues ev; it reports false, queuing nothing, if the stream is
// closed or the queue is full.
func (s *Subscription) push(ev *schedulerpb.Event) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || len(s.queue) >= s.max {
		return false
	}
	s.queue = append(s.queue, ev)
	s.pushed++
	s.wake()
	return true
}

// Pushed returns the number of events ever queued on the stream: a reader
// that has read that many has seen everything the master sent so far.
func (s *Subscription) Pushed() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushed
}

// close ends the stream once what is queued has been read.
func (s *Subscription) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.wake()
	}
}

// Closed reports whether the master has ended the stream.
func (s *Subscription) Closed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Drain removes and returns the queued events, and whether the master has
// closed the stream (after these events). It never blocks.
func (s *Subscription) Drain() (events []*schedulerpb.Event, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	events, s.queue = s.queue, nil
	return events, s.closed
}

// Ready returns a channel that receives a value whenever events were queued
// or the stream was closed since the last receive. Use it with Drain.
func (s *Subscription) Ready() <-chan struct{} { return s.notify }

// Len returns the number of queued events.
func (s *Subscription) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}
