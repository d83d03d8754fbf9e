package control

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/sim"
)

// DefaultMaxBodyBytes bounds request bodies: 1 MiB.
const DefaultMaxBodyBytes = 1 << 20

// MaxAdvance bounds one clock advance: a day of virtual time. Advancing
// runs every timer on the way while the cluster serves nothing else.
const MaxAdvance = 24 * time.Hour

// Options configure a Server.
type Options struct {
	// BaseURL is where the cluster is served ("http://127.0.0.1:5050");
	// the URLs in ClusterInfo derive from it.
	BaseURL string
	// Clock is "real" or "manual" ("" means manual), and Speed the real
	// clock's speed: as the cluster was made (sim.Realtime).
	Clock string
	Speed float64
	// DefaultAgent fills in what an added agent's request leaves out.
	DefaultAgent sim.AgentSpec
	// Logger receives what the API changes (info) and panics while
	// serving (error); nil discards.
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
}

// Server serves the control API of one cluster. It is an http.Handler for
// the paths under [Prefix]; mount it beside the cluster's own handler.
type Server struct {
	c    *sim.Cluster
	opts Options
	log  *slog.Logger
}

// NewServer returns the control API of c.
func NewServer(c *sim.Cluster, opts Options) *Server {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Clock == "" {
		opts.Clock = "manual"
	}
	if opts.Speed <= 0 {
		opts.Speed = 1
	}
	opts.BaseURL = strings.TrimSuffix(opts.BaseURL, "/")
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{c: c, opts: opts, log: log}
}

// httpError is an error answer.
type httpError struct {
	status int
	msg    string
	allow  []string // for 405
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) *httpError {
	return &httpError{status: status, msg: fmt.Sprintf(format, args...)}
}

// routes maps a request to its handler: a nil map means the path is
// unknown; a map without the method means 405.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) routes(path string) (map[string]handlerFunc, string) {
	switch path {
	case "/sim/v1", "/sim/v1/":
		return map[string]handlerFunc{http.MethodGet: s.index}, ""
	case "/sim/v1/cluster":
		return map[string]handlerFunc{http.MethodGet: s.cluster}, ""
	case "/sim/v1/agents":
		return map[string]handlerFunc{http.MethodGet: s.listAgents, http.MethodPost: s.addAgent}, ""
	case "/sim/v1/faults":
		return map[string]handlerFunc{http.MethodPost: s.faults}, ""
	case "/sim/v1/clock/advance":
		return map[string]handlerFunc{http.MethodPost: s.advance}, ""
	case "/sim/v1/trace":
		return map[string]handlerFunc{http.MethodGet: s.trace}, ""
	}
	if name, ok := strings.CutPrefix(path, "/sim/v1/agents/"); ok && name != "" && !strings.Contains(name, "/") {
		return map[string]handlerFunc{http.MethodGet: s.getAgent, http.MethodDelete: s.removeAgent}, name
	}
	return nil, ""
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	recoverJSON(s.log, http.HandlerFunc(s.route)).ServeHTTP(w, r)
}

// recoverJSON answers a panic of h with a 500 JSON error (if nothing was
// written yet) and logs it, so that no input can take the server down.
// http.ErrAbortHandler passes through: it is how a handler aborts on
// purpose.
func recoverJSON(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			log.Error("control API: panic while serving", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
			if sw.status == 0 {
				writeError(sw, errorf(http.StatusInternalServerError, "internal error: %v", v))
			}
		}()
		h.ServeHTTP(sw, r)
	})
}

// route dispatches a request by path and method.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	handlers, name := s.routes(r.URL.Path)
	if handlers == nil {
		writeError(w, errorf(http.StatusNotFound, "no such endpoint: %s %s (see GET %s)", r.Method, r.URL.Path, Prefix))
		return
	}
	h, ok := handlers[r.Method]
	if !ok {
		allow := make([]string, 0, len(handlers))
		for m := range handlers {
			allow = append(allow, m)
		}
		slices.Sort(allow)
		writeError(w, &httpError{status: http.StatusMethodNotAllowed, allow: allow,
			msg: fmt.Sprintf("%s does not take %s; it takes %s", r.URL.Path, r.Method, strings.Join(allow, ", "))})
		return
	}
	if name != "" {
		r.SetPathValue("name", name)
	}
	if err := h(w, r); err != nil {
		writeError(w, err)
	}
}

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		writeError(w, errorf(http.StatusInternalServerError, "encoding the answer: %v", err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func writeError(w http.ResponseWriter, err error) {
	var he *httpError
	if !errors.As(err, &he) {
		he = clusterError(err)
	}
	if len(he.allow) > 0 {
		w.Header().Set("Allow", strings.Join(he.allow, ", "))
	}
	b, _ := json.Marshal(ErrorBody{Error: he.msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(he.status)
	_, _ = w.Write(append(b, '\n'))
}

// clusterError answers an error of the cluster: 503 if it stopped, 500
// otherwise.
func clusterError(err error) *httpError {
	var perr *sim.PanicError
	switch {
	case errors.Is(err, sim.ErrClosed):
		return errorf(http.StatusServiceUnavailable, "the cluster has stopped")
	case errors.As(err, &perr):
		return errorf(http.StatusServiceUnavailable, "the cluster stopped after a panic in event %q: %v", perr.Event, perr.Value)
	}
	return errorf(http.StatusInternalServerError, "%v", err)
}

// readJSON decodes a request body strictly into dst; an empty body leaves
// dst alone if emptyOK.
func (s *Server) readJSON(w http.ResponseWriter, r *http.Request, dst any, emptyOK bool) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		if emptyOK {
			return nil
		}
		return errorf(http.StatusBadRequest, "empty body; want a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return errorf(http.StatusBadRequest, "bad JSON body: %s", describeJSONError(err, body))
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, "bad JSON body: more than one JSON value")
	}
	return nil
}

func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errorf(http.StatusRequestEntityTooLarge, "body larger than %d bytes", tooBig.Limit)
		}
		return nil, errorf(http.StatusBadRequest, "reading the body: %v", err)
	}
	return body, nil
}

// describeJSONError adds the place of a syntax or type error.
func describeJSONError(err error, body []byte) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	case errors.As(err, &te) && te.Field == "":
		return fmt.Sprintf("want a JSON object, got %s (at byte %d)", te.Value, te.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q: want a JSON %v, got %s (at byte %d)", te.Field, jsonKind(te.Type.Kind().String()), te.Value, te.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Sprintf("unexpected end of JSON after %d bytes", len(body))
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "string"
	case "struct", "map":
		return "object"
	case "slice", "array":
		return "array"
	case "bool":
		return "boolean"
	}
	return "number"
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string][]string{"endpoints": {
		"GET /sim/v1/cluster",
		"GET /sim/v1/agents",
		"POST /sim/v1/agents",
		"GET /sim/v1/agents/{name}",
		"DELETE /sim/v1/agents/{name}",
		"POST /sim/v1/faults",
		"POST /sim/v1/clock/advance",
		"GET /sim/v1/trace",
	}})
	return nil
}

// resourceText renders resources as the --resources text that would
// give them ("cpus:4;mem:8192;ports:[31000-32000]"), "" for none.
func resourceText(r resources.Resources) string {
	if r.IsEmpty() {
		return ""
	}
	return strings.ReplaceAll(r.String(), "; ", ";")
}

func agentOf(a sim.AgentState) Agent {
	return Agent{
		Name: a.Name, ID: a.ID, Hostname: a.Hostname,
		Registered: a.Registered, Running: a.Running, Removed: a.Lost,
		Resources: resourceText(a.Total), Used: resourceText(a.Used),
	}
}

// snapshot reads the cluster in one visit to the loop.
func (s *Server) snapshot() (*ClusterInfo, error) {
	info := &ClusterInfo{
		Seed:  s.c.Seed(),
		Clock: s.opts.Clock, Speed: s.opts.Speed,
		SchedulerURL: s.opts.BaseURL + master.SchedulerPaths[0],
		ControlURL:   s.opts.BaseURL + Prefix,
		StateURL:     s.opts.BaseURL + "/master/state",
		Agents:       []Agent{}, Frameworks: []Framework{}, Tasks: []Task{},
	}
	var (
		agents []sim.AgentState
		fws    []master.Framework
		tasks  []master.Task
	)
	err := s.c.Inspect(func(v sim.View) {
		info.MasterID = v.MasterID()
		agents, fws, tasks = v.AgentStates(), v.Frameworks(), v.Tasks()
	})
	if err != nil {
		return nil, err
	}
	info.VirtualTime = s.c.Now().UTC().Round(time.Millisecond)
	info.Elapsed = s.c.Elapsed().Round(time.Millisecond).String()
	for _, a := range agents {
		info.Agents = append(info.Agents, agentOf(a))
	}
	for _, f := range fws {
		roles := f.Roles
		if roles == nil {
			roles = []string{}
		}
		info.Frameworks = append(info.Frameworks, Framework{ID: f.ID, Name: f.Name, Roles: roles,
			Active: f.Active, Connected: f.Connected, Tasks: len(f.TaskIDs)})
	}
	for _, t := range tasks {
		info.Tasks = append(info.Tasks, Task{ID: t.ID, Name: t.Name, FrameworkID: t.FrameworkID, AgentID: t.AgentID, State: t.State.String()})
	}
	return info, nil
}

func (s *Server) cluster(w http.ResponseWriter, r *http.Request) error {
	info, err := s.snapshot()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, info)
	return nil
}

func (s *Server) agentStates() ([]sim.AgentState, error) {
	var agents []sim.AgentState
	err := s.c.Inspect(func(v sim.View) { agents = v.AgentStates() })
	return agents, err
}

func (s *Server) findAgent(name string) (sim.AgentState, error) {
	agents, err := s.agentStates()
	if err != nil {
		return sim.AgentState{}, err
	}
	for _, a := range agents {
		if a.Name == name {
			return a, nil
		}
	}
	names := make([]string, len(agents))
	for i, a := range agents {
		names[i] = a.Name
	}
	return sim.AgentState{}, errorf(http.StatusNotFound, "no agent named %q (agents: %s)", name, strings.Join(names, ", "))
}

func (s *Server) listAgents(w http.ResponseWriter, r *http.Request) error {
	agents, err := s.agentStates()
	if err != nil {
		return err
	}
	out := AgentsList{Agents: []Agent{}}
	for _, a := range agents {
		out.Agents = append(out.Agents, agentOf(a))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getAgent(w http.ResponseWriter, r *http.Request) error {
	a, err := s.findAgent(r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, agentOf(a))
	return nil
}

func (s *Server) addAgent(w http.ResponseWriter, r *http.Request) error {
	var req AddAgentRequest
	if err := s.readJSON(w, r, &req, true); err != nil {
		return err
	}
	spec := s.opts.DefaultAgent
	if req.Resources != "" {
		spec.Resources = req.Resources
	}
	if req.Attributes != "" {
		spec.Attributes = req.Attributes
	}
	if req.Region != "" || req.Zone != "" {
		spec.Region, spec.Zone = req.Region, req.Zone
	}
	if err := sim.ValidateAgentSpec(spec); err != nil {
		return errorf(http.StatusBadRequest, "%s", strings.TrimPrefix(err.Error(), "sim: "))
	}
	name, err := s.c.AddAgent(spec)
	if err != nil {
		return err
	}
	s.log.Info("agent added", "name", name, "resources", spec.Resources, "attributes", spec.Attributes)
	a, err := s.findAgent(name)
	if err != nil {
		return err
	}
	w.Header().Set("Location", Prefix+"agents/"+name)
	writeJSON(w, http.StatusCreated, agentOf(a))
	return nil
}

func (s *Server) removeAgent(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	a, err := s.findAgent(name)
	if err != nil {
		return err
	}
	if a.Lost {
		return errorf(http.StatusConflict, "agent %s was already removed", name)
	}
	if err := s.c.RemoveAgent(name); err != nil {
		return err
	}
	s.log.Info("agent removed", "name", name)
	if a, err = s.findAgent(name); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, agentOf(a))
	return nil
}

func (s *Server) advance(w http.ResponseWriter, r *http.Request) error {
	var req AdvanceRequest
	if err := s.readJSON(w, r, &req, false); err != nil {
		return err
	}
	if s.opts.Clock != "manual" {
		return errorf(http.StatusConflict, "the clock is %s: virtual time follows the wall clock; start mesos-sim with --clock=manual to move it by hand", s.opts.Clock)
	}
	d, err := time.ParseDuration(req.Duration)
	switch {
	case req.Duration == "":
		return errorf(http.StatusBadRequest, `missing "duration", e.g. {"duration": "90s"}`)
	case err != nil:
		return errorf(http.StatusBadRequest, "duration %q: want a Go duration such as \"90s\" or \"1m30s\"", req.Duration)
	case d <= 0:
		return errorf(http.StatusBadRequest, "duration %q: want a positive duration", req.Duration)
	case d > MaxAdvance:
		return errorf(http.StatusBadRequest, "duration %q: at most %v per call", req.Duration, MaxAdvance)
	}
	if err := s.c.Advance(d); err != nil {
		return err
	}
	s.log.Info("clock advanced", "by", d, "elapsed", s.c.Elapsed())
	writeJSON(w, http.StatusOK, ClockInfo{VirtualTime: s.c.Now().UTC(), Elapsed: s.c.Elapsed().String()})
	return nil
}

func (s *Server) trace(w http.ResponseWriter, r *http.Request) error {
	text := s.c.Trace()
	if text != "" && !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, text)
	return nil
}
