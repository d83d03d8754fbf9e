package sim

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/master"
)

// masterHandler serves the current leader's HTTP API: after a master
// failover it switches to the new master, as a client following the leader
// would. It also applies faults on the answers to a framework's calls.
type masterHandler struct {
	c *Cluster

	mu         sync.RWMutex
	h          http.Handler
	faults     map[string]CallFault // framework id -> fault
	leaderless bool                 // an election runs: no master leads
}

func (h *masterHandler) setLeaderless(v bool) {
	h.mu.Lock()
	h.leaderless = v
	h.mu.Unlock()
}

func (h *masterHandler) isLeaderless() bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.leaderless
}

// CallFault describes faults on one framework's scheduler calls: Delay
// holds every call back for that much virtual time before the master sees
// it; with probability DropAnswer a call is processed but its answer never
// arrives (the connection breaks).
type CallFault struct {
	DropAnswer float64
	Delay      time.Duration
}

func (h *masterHandler) set(next http.Handler) {
	h.mu.Lock()
	h.h = next
	h.mu.Unlock()
}

func (h *masterHandler) current() (http.Handler, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.h, len(h.faults) > 0
}

// setCallFault installs (or, with the zero CallFault, clears) the fault
// for a framework's calls.
func (h *masterHandler) setCallFault(frameworkID string, f CallFault) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if f == (CallFault{}) {
		delete(h.faults, frameworkID)
		return
	}
	if h.faults == nil {
		h.faults = map[string]CallFault{}
	}
	h.faults[frameworkID] = f
}

func (h *masterHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.isLeaderless() {
		noLeader(w, r)
		return
	}
	next, faulty := h.current()
	if !faulty || r.Method != http.MethodPost || !slices.Contains(master.SchedulerPaths, r.URL.Path) {
		next.ServeHTTP(w, r)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		next.ServeHTTP(w, r)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var call schedulerpb.Call
	fault, ok := CallFault{}, false
	if _, err := mediatype.DecodeCall(r.Header, body, &call); err == nil && call.GetType() != schedulerpb.Call_SUBSCRIBE {
		h.mu.RLock()
		fault, ok = h.faults[call.GetFrameworkId().GetValue()]
		h.mu.RUnlock()
	}
	if !ok {
		next.ServeHTTP(w, r)
		return
	}
	// The call is held back for the delay (virtual time), processed, and
	// its answer maybe lost on the way back.
	if fault.Delay > 0 {
		wait := make(chan struct{})
		if err := h.c.drv.Do(func() {
			h.c.loop.Tracef("sim", "%s call of framework %s delayed %v", call.GetType(), call.GetFrameworkId().GetValue(), fault.Delay)
			h.c.loop.After(fault.Delay, "sim.call-delay", func() { close(wait) })
		}); err != nil {
			next.ServeHTTP(w, r)
			return
		}
		select {
		case <-wait:
		case <-r.Context().Done():
			return
		}
	}
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	var drop bool
	_ = h.c.drv.Do(func() {
		drop = fault.DropAnswer > 0 && h.c.loop.Rand("sim.call-faults").Float64() < fault.DropAnswer
		if drop {
			h.c.loop.Tracef("sim", "answer to %s of framework %s dropped", call.GetType(), call.GetFrameworkId().GetValue())
		}
	})
	if drop {
		panic(http.ErrAbortHandler)
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}
