package master

import (
	"net/http"
	"sync"

	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

// DefaultMaxQueuedEvents bounds the events waiting in one subscription's
// outbox. A reader that falls this far behind is disconnected (see
// [Subscription]).
const DefaultMaxQueuedEvents = 10_000

// outbox is the bounded queue between the master, which appends events on
// the loop goroutine and never blocks, and the HTTP layer, which drains it
// on the stream's goroutine. Scheduler and operator streams both use it.
type outbox[E any] struct {
	max int

	mu     sync.Mutex
	queue  []E
	pushed uint64 // events ever queued
	closed bool
	notify chan struct{} // capacity 1: "something changed"
}

func newOutbox[E any](max int) outbox[E] {
	if max <= 0 {
		max = DefaultMaxQueuedEvents
	}
	return outbox[E]{max: max, notify: make(chan struct{}, 1)}
}

func (s *outbox[E]) wake() {
	select {
	case s.notify <- struct{}{}:
	default:
	}
}

// push queues ev; it reports false, queuing nothing, if the stream is
// closed or the queue is full.
func (s *outbox[E]) push(ev E) bool {
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

// close ends the stream once what is queued has been read.
func (s *outbox[E]) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		s.wake()
	}
}

// Closed reports whether the master has ended the stream.
func (s *outbox[E]) Closed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Drain removes and returns the queued events, and whether the master has
// closed the stream (after these events). It never blocks.
func (s *outbox[E]) Drain() (events []E, closed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	events, s.queue = s.queue, nil
	return events, s.closed
}

// Ready returns a channel that receives a value whenever events were queued
// or the stream was closed since the last receive. Use it with Drain.
func (s *outbox[E]) Ready() <-chan struct{} { return s.notify }

// Len returns the number of queued events.
func (s *outbox[E]) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// Pushed returns the number of events ever queued on the stream: a reader
// that has read that many has seen everything the master sent so far.
func (s *outbox[E]) Pushed() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pushed
}

// writeStream writes the outbox's events as RecordIO frames, flushing each,
// until the master closes the stream; when the client goes away or a write
// fails, broken reports it. The response header must be written already.
func writeStream[E any](w http.ResponseWriter, r *http.Request, ob *outbox[E], encode func([]byte, E) ([]byte, error), broken func()) {
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	var buf, rec []byte
	for {
		events, closed := ob.Drain()
		for _, ev := range events {
			var err error
			rec, err = encode(rec[:0], ev)
			if err != nil {
				continue
			}
			buf = recordio.AppendFrame(buf[:0], rec)
			if _, err := w.Write(buf); err != nil {
				broken()
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		}
		if closed {
			return
		}
		select {
		case <-ob.Ready():
		case <-r.Context().Done():
			broken()
			return
		}
	}
}

// Subscription is the outbox of one scheduler SUBSCRIBE stream. The master
// appends events to it on the loop goroutine and never blocks; the HTTP
// layer drains it on the stream's goroutine and writes each event as a
// RecordIO frame.
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

	outbox[*schedulerpb.Event]
}

func newSubscription(streamID, frameworkID string, max int) *Subscription {
	return &Subscription{StreamID: streamID, FrameworkID: frameworkID, outbox: newOutbox[*schedulerpb.Event](max)}
}
