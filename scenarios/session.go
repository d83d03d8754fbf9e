package scenarios

import (
	"container/heap"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// session is one framework's connection in the in-loop driver: the
// frameworks.Conn it is handed. Its methods run on the loop goroutine,
// during a delivery (see world.deliver), where s.w.m is the leading master.
type session struct {
	w     *world
	index int
	fw    frameworks.Framework
	name  string
	rand  *rand.Rand

	sub        *master.Subscription
	closedSeen bool   // Closed was called for sub
	id         string // framework id from the last SUBSCRIBED
	everID     []string

	obs *observer
}

func newSession(w *world, index int, fw frameworks.Framework) *session {
	h := fnv.New64a()
	h.Write([]byte(fw.Name()))
	s := &session{w: w, index: index, fw: fw, name: fw.Name(),
		rand: rand.New(rand.NewPCG(w.cs.Seed, h.Sum64()^uint64(index)))}
	s.obs = newObserver(s)
	return s
}

// Now implements frameworks.Conn.
func (s *session) Now() time.Time { return s.w.now }

// Rand implements frameworks.Conn.
func (s *session) Rand() *rand.Rand { return s.rand }

// Logf implements frameworks.Conn.
func (s *session) Logf(format string, args ...any) {
	s.w.tracef("%s: %s", s.name, fmt.Sprintf(format, args...))
}

// Subscribe implements frameworks.Conn: SUBSCRIBE, validated as the HTTP
// layer validates it, to the leading master.
func (s *session) Subscribe(info *mesospb.FrameworkInfo) {
	m := s.w.master()
	call := &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), FrameworkId: info.Id,
		Subscribe: &schedulerpb.Call_Subscribe{FrameworkInfo: info}}
	s.obs.call(call)
	if m.Stopped() {
		// No leader (a failover with an election time): 503 over HTTP.
		s.w.tracef("%s: SUBSCRIBE answered 503: no leader", s.name)
		s.sub, s.closedSeen = nil, false
		s.w.closeLater(s)
		return
	}
	if err := master.ValidateCall(call); err != nil {
		s.w.tracef("%s: SUBSCRIBE refused with 400: %v", s.name, err)
		s.sub, s.closedSeen = nil, false
		s.w.closeLater(s)
		return
	}
	s.sub = m.Subscribe(proto.Clone(call).(*schedulerpb.Call).GetSubscribe())
	s.closedSeen = false
}

// Send implements frameworks.Conn.
func (s *session) Send(call *schedulerpb.Call) int {
	if s.sub == nil || s.id == "" || s.closedSeen {
		s.w.tracef("%s: %s not sent: not subscribed", s.name, call.GetType())
		return 0
	}
	call = proto.Clone(call).(*schedulerpb.Call)
	call.FrameworkId = &mesospb.FrameworkID{Value: proto.String(s.id)}
	s.obs.call(call)
	if err := master.ValidateCall(call); err != nil {
		s.w.tracef("%s: %s answered 400: %v", s.name, call.GetType(), err)
		return http.StatusBadRequest
	}
	m := s.w.master()
	if m.Stopped() {
		s.w.tracef("%s: %s answered 503: no leader", s.name, call.GetType())
		return http.StatusServiceUnavailable
	}
	resp := m.Call(call, s.sub.StreamID, true)
	if resp.Status != http.StatusAccepted && resp.Status != http.StatusOK {
		s.w.tracef("%s: %s answered %d %s", s.name, call.GetType(), resp.Status, resp.Body)
	}
	return resp.Status
}

// After implements frameworks.Conn.
func (s *session) After(d time.Duration, fn func()) frameworks.Timer {
	return s.w.after(d, s, fn)
}

// pending reports whether the session has events or the end of its stream
// to deliver.
func (s *session) pending() bool {
	if s.sub == nil {
		return false
	}
	return s.sub.Len() > 0 || (!s.closedSeen && s.sub.Closed())
}

// deliver hands the framework what its stream holds now.
func (s *session) deliver() {
	if s.sub == nil {
		return
	}
	sub := s.sub
	events, closed := sub.Drain()
	for _, ev := range events {
		if s.sub != sub {
			return // the framework subscribed again: the old stream is gone
		}
		if ev.GetType() == schedulerpb.Event_SUBSCRIBED {
			s.id = ev.GetSubscribed().GetFrameworkId().GetValue()
			s.noteID(s.id)
		}
		s.obs.event(ev)
		s.fw.Event(s, ev)
	}
	if closed && s.sub == sub && !s.closedSeen {
		s.closedSeen = true
		s.w.tracef("%s: stream %s ended", s.name, sub.StreamID)
		s.fw.Closed(s)
	}
}

func (s *session) noteID(id string) {
	for _, x := range s.everID {
		if x == id {
			return
		}
	}
	s.everID = append(s.everID, id)
}

// ---- framework timers ----

// fwTimer is a timer of a framework, kept by the world (not the loop: the
// world runs the loop up to the next one).
type fwTimer struct {
	at      time.Time
	seq     uint64
	s       *session
	fn      func()
	index   int
	stopped bool
}

// Stop implements frameworks.Timer.
func (t *fwTimer) Stop() bool {
	if t.stopped || t.index < 0 {
		return false
	}
	t.stopped = true
	return true
}

type timerHeap []*fwTimer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *timerHeap) Push(x any) { t := x.(*fwTimer); t.index = len(*h); *h = append(*h, t) }
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.index = -1
	return t
}

// next returns the earliest live timer, dropping stopped ones.
func (h *timerHeap) next() *fwTimer {
	for h.Len() > 0 {
		if t := (*h)[0]; !t.stopped {
			return t
		}
		heap.Pop(h)
	}
	return nil
}
