package master

import (
	"io"
	"net/http"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

// Runner runs a function on the loop goroutine and returns once the loop
// has settled. *sim.Driver satisfies it.
type Runner interface {
	Do(fn func()) error
}

// Handler serves the HTTP API of a Master: the v1 scheduler API (POST
// /api/v1/scheduler and /master/api/v1/scheduler) and the v1 operator API
// (POST /api/v1 and /master/api/v1), and the read-only endpoints
// (ReadOnlyPaths: /master/state, /metrics/snapshot, ...). It is the only concurrent part of the
// package: it reaches the master only through its Runner, and each
// SUBSCRIBE response is written by the request's goroutine from the
// subscription's outbox.
type Handler struct {
	m *Master
	r Runner
}

// NewHandler returns the scheduler API handler of m, which it reaches
// through r.
func NewHandler(m *Master, r Runner) *Handler { return &Handler{m: m, r: r} }

// SchedulerPaths are the paths the handler serves.
var SchedulerPaths = []string{"/api/v1/scheduler", "/master/api/v1/scheduler"}

func plain(w http.ResponseWriter, status int, body string) {
	mediatype.Error{Status: status, Message: body}.ServeHTTP(w, nil)
}

// ServeHTTP implements http.Handler: it serves each path with the handler
// [Handler.route] names, and answers 404 for any other path.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if serve := h.route(r.URL.Path); serve != nil {
		serve(w, r)
		return
	}
	// libprocess answers an unknown path with an empty 404.
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusNotFound)
}

// route returns the handler of a request path, nil for an unknown path.
// Every API the master serves adds its paths here, one line each.
func (h *Handler) route(path string) http.HandlerFunc {
	switch path {
	case SchedulerPaths[0], SchedulerPaths[1]:
		return h.serveScheduler
	case OperatorPaths[0], OperatorPaths[1]:
		return h.serveOperator
	}
	return h.readOnly(path)
}

// serveScheduler serves the scheduler API with Mesos's checks in Mesos's
// order (Master::Http::scheduler).
func (h *Handler) serveScheduler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		plain(w, http.StatusMethodNotAllowed, "405 Method Not Allowed. Expecting one of { 'POST' }, but received '"+r.Method+"'.")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		plain(w, http.StatusBadRequest, "Failed to read body: "+err.Error())
		return
	}
	var call schedulerpb.Call
	if _, err := mediatype.DecodeCall(r.Header, body, &call); err != nil {
		if e, ok := err.(mediatype.Error); ok {
			e.ServeHTTP(w, r)
		} else {
			plain(w, http.StatusBadRequest, err.Error())
		}
		return
	}
	if err := ValidateCall(&call); err != nil {
		plain(w, http.StatusBadRequest, "Failed to validate scheduler::Call: "+err.Error())
		return
	}
	var respType mediatype.Type
	if t := call.GetType(); t == schedulerpb.Call_SUBSCRIBE || t == schedulerpb.Call_RECONCILE_OPERATIONS {
		respType, err = mediatype.NegotiateHeader(r.Header)
		if err != nil {
			err.(mediatype.Error).ServeHTTP(w, r)
			return
		}
	}
	streamIDs, hasStreamID := r.Header[http.CanonicalHeaderKey("Mesos-Stream-Id")]
	if call.GetType() == schedulerpb.Call_SUBSCRIBE {
		if hasStreamID {
			plain(w, http.StatusBadRequest, "Subscribe calls should not include the 'Mesos-Stream-Id' header")
			return
		}
		h.subscribe(w, r, &call, respType)
		return
	}
	streamID := ""
	if hasStreamID && len(streamIDs) > 0 {
		streamID = streamIDs[len(streamIDs)-1]
	}
	var resp Response
	if err := h.r.Do(func() { resp = h.m.Call(&call, streamID, hasStreamID) }); err != nil {
		plain(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	switch resp.Status {
	case http.StatusAccepted, http.StatusOK:
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(resp.Status)
	default:
		plain(w, resp.Status, resp.Body)
	}
}

func (h *Handler) subscribe(w http.ResponseWriter, r *http.Request, call *schedulerpb.Call, t mediatype.Type) {
	var sub *Subscription
	if err := h.r.Do(func() { sub = h.m.Subscribe(call.GetSubscribe()) }); err != nil {
		plain(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	w.Header().Set("Content-Type", t.String())
	w.Header().Set("Mesos-Stream-Id", sub.StreamID)
	w.WriteHeader(http.StatusOK)
	writeStream(w, r, &sub.outbox, func(b []byte, ev *schedulerpb.Event) ([]byte, error) {
		return mediatype.AppendEncode(b, t, ev)
	}, func() { h.closed(sub) })
}

// closed reports a broken connection into the loop.
func (h *Handler) closed(sub *Subscription) {
	if sub.FrameworkID == "" || sub.Closed() {
		return
	}
	_ = h.r.Do(func() { h.m.StreamClosed(sub) })
}
