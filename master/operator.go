package master

import (
	"io"
	"net/http"
	"strconv"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mediatype"
)

// OperatorPaths are the paths of the v1 operator API.
var OperatorPaths = []string{"/api/v1", "/master/api/v1"}

// serveOperator serves POST /api/v1 with Mesos's checks in Mesos's order
// (Master::Http::api): the method (405), the Content-Type and the body
// (400, 415), the call's validation (400), then the Accept header (406).
// SUBSCRIBE answers 200 with a RecordIO stream of events in the negotiated
// media type; other calls answer as [Master.OperatorCall] decides, GET_*
// answers with a Response body in the negotiated media type.
func (h *Handler) serveOperator(w http.ResponseWriter, r *http.Request) {
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
	var call masterpb.Call
	if _, err := mediatype.DecodeCall(r.Header, body, &call); err != nil {
		if e, ok := err.(mediatype.Error); ok {
			e.ServeHTTP(w, r)
		} else {
			plain(w, http.StatusBadRequest, err.Error())
		}
		return
	}
	if err := ValidateOperatorCall(&call); err != nil {
		plain(w, http.StatusBadRequest, "Failed to validate master::Call: "+err.Error())
		return
	}
	accept, err := mediatype.NegotiateHeader(r.Header)
	if err != nil {
		err.(mediatype.Error).ServeHTTP(w, r)
		return
	}
	if call.GetType() == masterpb.Call_SUBSCRIBE {
		h.operatorSubscribe(w, r, accept)
		return
	}
	var resp OperatorResponse
	if err := h.r.Do(func() { resp = h.m.OperatorCall(&call) }); err != nil {
		plain(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	switch {
	case resp.Response != nil:
		out, err := encodeOperator(nil, accept, resp.Response)
		if err != nil {
			plain(w, http.StatusInternalServerError, "Failed to serialize the response: "+err.Error())
			return
		}
		w.Header().Set("Content-Type", accept.String())
		w.Header().Set("Content-Length", strconv.Itoa(len(out)))
		w.WriteHeader(resp.Status)
		_, _ = w.Write(out)
	case resp.Body == "" && resp.Status < 300:
		// No body, no Content-Type, as libprocess answers OK() and
		// Accepted().
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(resp.Status)
	default:
		plain(w, resp.Status, resp.Body)
	}
}

// operatorSubscribe writes an operator event stream: chunked RecordIO
// frames without a Content-Length, Content-Type the negotiated media type,
// as Mesos's StreamingHttpConnection does. The request's goroutine drains
// the subscription until the master closes it or the client goes away.
func (h *Handler) operatorSubscribe(w http.ResponseWriter, r *http.Request, t mediatype.Type) {
	var sub *OperatorSubscription
	if err := h.r.Do(func() { sub = h.m.OperatorSubscribe() }); err != nil {
		plain(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	w.Header().Set("Content-Type", t.String())
	w.WriteHeader(http.StatusOK)
	writeStream(w, r, &sub.outbox, func(b []byte, ev *masterpb.Event) ([]byte, error) {
		return encodeOperator(b, t, ev)
	}, func() { h.operatorClosed(sub) })
}

// operatorClosed reports a broken connection into the loop.
func (h *Handler) operatorClosed(sub *OperatorSubscription) {
	if sub.Closed() {
		return
	}
	_ = h.r.Do(func() { h.m.OperatorStreamClosed(sub) })
}
