package master

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The read-only HTTP endpoints of the master (Master::ReadOnlyHandler and
// friends in src/master/http.cpp, /version, /metrics/snapshot). Each
// reads what it needs on the loop through the Runner — a [State] or a
// metrics snapshot — and builds its JSON off the loop.
//
// As in Mesos, where the master process is libprocess's delegate, master
// endpoints answer both as /master/<name> and /<name> (/master/state and
// /state); /master/state.json is also served for old tools, /state.json
// is not (removed in Mesos 1.7). Answers are application/json, or with
// ?jsonp=cb the text/javascript "cb(<json>)".

// ReadOnlyPaths are the read-only endpoints the handler serves, besides
// SchedulerPaths.
var ReadOnlyPaths = []string{
	"/master/state", "/state", "/master/state.json",
	"/master/state-summary", "/state-summary",
	"/master/frameworks", "/frameworks",
	"/master/slaves", "/slaves",
	"/master/tasks", "/tasks",
	"/master/roles", "/roles",
	"/master/flags", "/flags",
	"/master/health", "/health",
	"/master/redirect", "/redirect",
	"/version",
	"/metrics/snapshot",
}

// readOnly returns the handler of a read-only endpoint, or nil.
func (h *Handler) readOnly(path string) http.HandlerFunc {
	switch path {
	case "/version":
		return h.version
	case "/metrics/snapshot":
		return h.metricsSnapshot
	case "/master/state.json":
		return h.stateEndpoint(func(s *State, _ url.Values) *jsonObject { return stateJSON(s) })
	}
	name, ok := strings.CutPrefix(path, "/master")
	if !ok {
		name = path
	}
	switch name {
	case "/state":
		return h.stateEndpoint(func(s *State, _ url.Values) *jsonObject { return stateJSON(s) })
	case "/state-summary":
		return h.stateEndpoint(func(s *State, _ url.Values) *jsonObject { return stateSummaryJSON(s) })
	case "/frameworks":
		return h.stateEndpoint(func(s *State, q url.Values) *jsonObject {
			_, filter := q["framework_id"]
			return frameworksJSON(s, q.Get("framework_id"), filter)
		})
	case "/slaves":
		return h.stateEndpoint(func(s *State, q url.Values) *jsonObject {
			_, filter := q["slave_id"]
			return slavesJSON(s, q.Get("slave_id"), filter)
		})
	case "/tasks":
		return h.stateEndpoint(func(s *State, q url.Values) *jsonObject {
			return tasksJSON(s, parseTasksQuery(func(k string) (string, bool) {
				_, ok := q[k]
				return q.Get(k), ok
			}))
		})
	case "/roles":
		return h.stateEndpoint(func(s *State, _ url.Values) *jsonObject { return rolesJSON(s) })
	case "/flags":
		return h.stateEndpoint(func(s *State, _ url.Values) *jsonObject { return flagsJSON(s) })
	case "/health":
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusOK)
		}
	case "/redirect":
		return h.redirect
	}
	return nil
}

// writeJSON answers 200 with the JSON of v, wrapped as JSONP when the
// query has jsonp (libprocess's OK(json, jsonp)).
func writeJSON(w http.ResponseWriter, r *http.Request, v any) {
	body := marshalJSON(v)
	if cb, ok := r.URL.Query()["jsonp"]; ok {
		w.Header().Set("Content-Type", "text/javascript")
		body = append(append([]byte(cb[len(cb)-1]+"("), body...), ')')
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// stateEndpoint serves a document built from a State.
func (h *Handler) stateEndpoint(build func(*State, url.Values) *jsonObject) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var s *State
		if err := h.r.Do(func() { s = h.m.State() }); err != nil {
			plain(w, http.StatusServiceUnavailable, err.Error())
			return
		}
		writeJSON(w, r, build(s, r.URL.Query()))
	}
}

func (h *Handler) version(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, versionJSON(h.m.Config().Version))
}

// redirect is Master::Http::redirect for /master/redirect: 307 to the
// leader's protocol-relative base URL; this master is the leader.
func (h *Handler) redirect(w http.ResponseWriter, r *http.Request) {
	var hostname string
	var port uint32
	if err := h.r.Do(func() {
		info := h.m.MasterInfo()
		hostname, port = info.GetHostname(), info.GetPort()
	}); err != nil {
		plain(w, http.StatusServiceUnavailable, "No leader elected")
		return
	}
	w.Header().Set("Location", "//"+hostname+":"+strconv.FormatUint(uint64(port), 10))
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusTemporaryRedirect)
}

// metricsSnapshot is libprocess's /metrics/snapshot. The timeout
// parameter is checked as libprocess checks it; every metric is always
// ready, so it never cuts the answer short.
func (h *Handler) metricsSnapshot(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Has("timeout") {
		if err := parseStoutDuration(q.Get("timeout")); err != "" {
			plain(w, http.StatusBadRequest, "Invalid timeout '"+q.Get("timeout")+"': "+err+".\n")
			return
		}
	}
	var snap map[string]float64
	if err := h.r.Do(func() { snap = h.m.MetricsSnapshot() }); err != nil {
		plain(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, r, metricsJSON(snap))
}

// parseStoutDuration checks a duration as stout's Duration::parse reads
// it ("5secs", "1.5mins") and returns its error text, "" when valid.
func parseStoutDuration(s string) string {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i == len(s) {
		return "Invalid duration '" + s + "'"
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil {
		return "Failed to convert '" + s[:i] + "' to number"
	}
	units := map[string]time.Duration{
		"ns": time.Nanosecond, "us": time.Microsecond, "ms": time.Millisecond, "secs": time.Second,
		"mins": time.Minute, "hrs": time.Hour, "days": 24 * time.Hour, "weeks": 7 * 24 * time.Hour,
	}
	f, ok := units[s[i:]]
	if !ok {
		return "Unknown duration unit '" + s[i:] + "'; supported units are 'ns', 'us', 'ms', 'secs', 'mins', 'hrs', 'days', and 'weeks'"
	}
	if v*float64(f) > float64(1<<63-1) {
		return "Argument out of the range that a Duration can represent due to int64_t's size limit"
	}
	return ""
}
