package control_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/control"
	"github.com/mesos-sim/mesos-sim/sim"
)

const agentRes = "cpus:2;mem:1024;disk:1000;ports:[31000-31009]"

// newServer returns a manual-clock cluster of two agents and its control
// API. The cluster is made as the binary makes it, with sim.NewCluster:
// its errors are answers, not test failures.
func newServer(t *testing.T, opts ...func(*control.Options)) (*sim.Cluster, *control.Server) {
	t.Helper()
	c, err := sim.NewCluster(sim.Agents(2, agentRes), sim.Seed(11))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	o := control.Options{BaseURL: "http://mesos-sim:5050", Clock: "manual", DefaultAgent: sim.AgentSpec{Resources: agentRes}}
	for _, f := range opts {
		f(&o)
	}
	return c, control.NewServer(c, o)
}

// do sends a request to h and returns the status, header and body.
func do(t *testing.T, h http.Handler, method, path, body string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, rd))
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

func decode[T any](t *testing.T, b []byte) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

// launch subscribes a JSON framework through the cluster's scheduler API
// and launches one task on its first offer; it returns the framework id
// once the task runs, and the open stream.
func launch(t *testing.T, c *sim.Cluster, fwName, taskID string) (string, io.Closer) {
	t.Helper()
	client := c.HTTPClient()
	post := func(call *schedulerpb.Call, streamID string) *http.Response {
		b, err := mediatype.Encode(mediatype.JSON, call)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, "http://mesos-sim/api/v1/scheduler", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		if streamID != "" {
			req.Header.Set("Mesos-Stream-Id", streamID)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := post(&schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), Subscribe: &schedulerpb.Call_Subscribe{
		FrameworkInfo: &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String(fwName)},
	}}, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("SUBSCRIBE: %d", resp.StatusCode)
	}
	streamID := resp.Header.Get("Mesos-Stream-Id")
	events := recordio.NewReader(resp.Body)
	next := func(want schedulerpb.Event_Type) *schedulerpb.Event {
		t.Helper()
		for {
			rec, err := events.ReadRecord()
			if err != nil {
				t.Fatalf("waiting for %v: %v", want, err)
			}
			ev := &schedulerpb.Event{}
			if _, err := mediatype.DecodeCall(http.Header{"Content-Type": {"application/json"}}, rec, ev); err != nil {
				t.Fatal(err)
			}
			if ev.GetType() == want {
				return ev
			}
		}
	}
	fwID := next(schedulerpb.Event_SUBSCRIBED).GetSubscribed().GetFrameworkId()
	offer := next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	task := &mesospb.TaskInfo{
		Name: proto.String(taskID + "-name"), TaskId: &mesospb.TaskID{Value: proto.String(taskID)}, AgentId: offer.GetAgentId(),
		Resources: []*mesospb.Resource{{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}}},
		Command:   &mesospb.CommandInfo{Value: proto.String("./serve")},
	}
	r := post(&schedulerpb.Call{FrameworkId: fwID, Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds: []*mesospb.OfferID{offer.GetId()},
		Operations: []*mesospb.Offer_Operation{{Type: mesospb.Offer_Operation_LAUNCH.Enum(),
			Launch: &mesospb.Offer_Operation_Launch{TaskInfos: []*mesospb.TaskInfo{task}}}},
	}}, streamID)
	r.Body.Close()
	if r.StatusCode != http.StatusAccepted {
		t.Fatalf("ACCEPT: %d", r.StatusCode)
	}
	for {
		st := next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		ack := post(&schedulerpb.Call{FrameworkId: fwID, Type: schedulerpb.Call_ACKNOWLEDGE.Enum(), Acknowledge: &schedulerpb.Call_Acknowledge{
			AgentId: st.GetAgentId(), TaskId: st.GetTaskId(), Uuid: st.GetUuid()}}, streamID)
		ack.Body.Close()
		if st.GetState() == mesospb.TaskState_TASK_RUNNING {
			break
		}
	}
	return fwID.GetValue(), resp.Body
}

func TestClusterInfo(t *testing.T) {
	c, srv := newServer(t)
	fwID, stream := launch(t, c, "hello-fw", "t1")
	defer stream.Close()
	code, hdr, body := do(t, srv, http.MethodGet, "/sim/v1/cluster", "")
	if code != http.StatusOK || hdr.Get("Content-Type") != "application/json" {
		t.Fatalf("GET /sim/v1/cluster: %d %s %s", code, hdr.Get("Content-Type"), body)
	}
	got := decode[control.ClusterInfo](t, body)
	var masterID string
	agentIDs := map[string]string{}
	c.Inspect(func(v sim.View) {
		masterID = v.MasterID()
		for _, a := range v.Agents() {
			agentIDs[a.Name] = a.ID
		}
	})
	tasks := c.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("tasks %v", tasks)
	}
	used := "cpus:1"
	want := control.ClusterInfo{
		Seed: 11, VirtualTime: c.Now().UTC(), Elapsed: "0s", Clock: "manual", Speed: 1, MasterID: masterID,
		SchedulerURL: "http://mesos-sim:5050/api/v1/scheduler", ControlURL: "http://mesos-sim:5050/sim/v1/",
		StateURL:   "http://mesos-sim:5050/master/state",
		Frameworks: []control.Framework{{ID: fwID, Name: "hello-fw", Roles: []string{"*"}, Active: true, Connected: true, Tasks: 1}},
		Tasks:      []control.Task{{ID: "t1", Name: "t1-name", FrameworkID: fwID, AgentID: tasks[0].AgentID, State: "TASK_RUNNING"}},
	}
	for _, name := range []string{"agent-1", "agent-2"} {
		a := control.Agent{Name: name, ID: agentIDs[name], Hostname: name, Registered: true, Running: true,
			Resources: agentRes}
		if agentIDs[name] == tasks[0].AgentID {
			a.Used = used
		}
		want.Agents = append(want.Agents, a)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cluster (-want +got):\n%s", diff)
	}
	if masterID == "" || agentIDs["agent-1"] == "" {
		t.Errorf("empty ids: master %q agents %v", masterID, agentIDs)
	}
}

// Empty lists are [] in JSON, never null, so that scripts can iterate.
func TestClusterInfoEmptyLists(t *testing.T) {
	_, srv := newServer(t)
	_, _, body := do(t, srv, http.MethodGet, "/sim/v1/cluster", "")
	for _, field := range []string{`"frameworks": []`, `"tasks": []`} {
		if !bytes.Contains(body, []byte(field)) {
			t.Errorf("answer lacks %s:\n%s", field, body)
		}
	}
}

func TestAgentsAddRemove(t *testing.T) {
	c, srv := newServer(t)
	code, hdr, body := do(t, srv, http.MethodPost, "/sim/v1/agents", `{"resources": "cpus:8;mem:4096", "attributes": "rack:r9", "region": "eu", "zone": "eu-1"}`)
	if code != http.StatusCreated {
		t.Fatalf("POST /sim/v1/agents: %d %s", code, body)
	}
	added := decode[control.Agent](t, body)
	if hdr.Get("Location") != "/sim/v1/agents/agent-3" || added.Name != "agent-3" || !added.Registered || added.ID == "" ||
		added.Resources != "cpus:8;mem:4096;disk:10240;ports:[31000-32000]" {
		t.Errorf("added %+v, Location %q", added, hdr.Get("Location"))
	}
	var masterSees bool
	c.Inspect(func(v sim.View) {
		for _, a := range v.Agents() {
			masterSees = masterSees || a.ID == added.ID && a.Connected
		}
	})
	if !masterSees {
		t.Errorf("the master does not know agent-3 (%s)", added.ID)
	}

	// An empty body adds an agent like the default one.
	code, _, body = do(t, srv, http.MethodPost, "/sim/v1/agents", "")
	if a := decode[control.Agent](t, body); code != http.StatusCreated || a.Name != "agent-4" || a.Resources != agentRes {
		t.Errorf("POST with no body: %d %+v", code, a)
	}

	code, _, body = do(t, srv, http.MethodGet, "/sim/v1/agents/agent-3", "")
	if got := decode[control.Agent](t, body); code != http.StatusOK || got != added {
		t.Errorf("GET agent-3: %d %+v, want %+v", code, got, added)
	}
	code, _, body = do(t, srv, http.MethodGet, "/sim/v1/agents", "")
	if list := decode[control.AgentsList](t, body); code != http.StatusOK || len(list.Agents) != 4 {
		t.Errorf("GET agents: %d %s", code, body)
	}

	code, _, body = do(t, srv, http.MethodDelete, "/sim/v1/agents/agent-3", "")
	removed := decode[control.Agent](t, body)
	if code != http.StatusOK || !removed.Removed || removed.Running || removed.Registered {
		t.Errorf("DELETE agent-3: %d %+v", code, removed)
	}
	// The master notices when the agent's pings time out: 5 × 15 s.
	if err := c.Advance(76 * time.Second); err != nil {
		t.Fatal(err)
	}
	c.Inspect(func(v sim.View) {
		for _, a := range v.Agents() {
			if a.ID == added.ID && a.Connected {
				t.Errorf("the master still sees the removed agent connected")
			}
		}
	})
}

func TestErrors(t *testing.T) {
	_, srv := newServer(t)
	_, realSrv := newServer(t, func(o *control.Options) { o.Clock = "real" })
	huge := `{"resources": "` + strings.Repeat("x", control.DefaultMaxBodyBytes) + `"}`
	tests := []struct {
		name         string
		srv          http.Handler
		method, path string
		body         string
		status       int
		error        string
		allow        string
	}{
		{"unknown path", srv, "GET", "/sim/v1/nothing", "", 404, "no such endpoint: GET /sim/v1/nothing (see GET /sim/v1/)", ""},
		{"path outside the prefix", srv, "GET", "/sim/v2/cluster", "", 404, "no such endpoint: GET /sim/v2/cluster (see GET /sim/v1/)", ""},
		{"nested agent path", srv, "GET", "/sim/v1/agents/agent-1/tasks", "", 404, "no such endpoint: GET /sim/v1/agents/agent-1/tasks (see GET /sim/v1/)", ""},
		{"wrong method", srv, "POST", "/sim/v1/cluster", "{}", 405, "/sim/v1/cluster does not take POST; it takes GET", "GET"},
		{"wrong method, two allowed", srv, "PUT", "/sim/v1/agents", "{}", 405, "/sim/v1/agents does not take PUT; it takes GET, POST", "GET, POST"},
		{"wrong method on an agent", srv, "POST", "/sim/v1/agents/agent-1", "", 405, "/sim/v1/agents/agent-1 does not take POST; it takes DELETE, GET", "DELETE, GET"},
		{"GET advance", srv, "GET", "/sim/v1/clock/advance", "", 405, "/sim/v1/clock/advance does not take GET; it takes POST", "POST"},
		{"unknown agent", srv, "GET", "/sim/v1/agents/agent-9", "", 404, `no agent named "agent-9" (agents: agent-1, agent-2)`, ""},
		{"remove unknown agent", srv, "DELETE", "/sim/v1/agents/agent-9", "", 404, `no agent named "agent-9" (agents: agent-1, agent-2)`, ""},
		{"garbage body", srv, "POST", "/sim/v1/agents", "\x00\xffgarbage", 400, "bad JSON body: invalid character '\\x00' looking for beginning of value (at byte 1)", ""},
		{"array body", srv, "POST", "/sim/v1/agents", `[1]`, 400, `bad JSON body: want a JSON object, got array (at byte 1)`, ""},
		{"unknown field", srv, "POST", "/sim/v1/agents", `{"cpus": 4}`, 400, `bad JSON body: unknown field "cpus"`, ""},
		{"wrong type", srv, "POST", "/sim/v1/agents", `{"resources": 4}`, 400, `bad JSON body: field "resources": want a JSON string, got number (at byte 15)`, ""},
		{"two values", srv, "POST", "/sim/v1/agents", `{} {}`, 400, "bad JSON body: more than one JSON value", ""},
		{"truncated", srv, "POST", "/sim/v1/agents", `{"resources": "cpus:1`, 400, "bad JSON body: unexpected end of JSON after 21 bytes", ""},
		{"bad resources", srv, "POST", "/sim/v1/agents", `{"resources": "cpus:lots"}`, 400, `agent resources "cpus:lots": `, ""},
		{"region without zone", srv, "POST", "/sim/v1/agents", `{"region": "eu"}`, 400, `agent fault domain needs both a region and a zone (region "eu", zone "")`, ""},
		{"huge body", srv, "POST", "/sim/v1/agents", huge, 413, "body larger than 1048576 bytes", ""},
		{"advance, empty body", srv, "POST", "/sim/v1/clock/advance", "", 400, "empty body; want a JSON object", ""},
		{"advance, no duration", srv, "POST", "/sim/v1/clock/advance", `{}`, 400, `missing "duration", e.g. {"duration": "90s"}`, ""},
		{"advance, number", srv, "POST", "/sim/v1/clock/advance", `{"duration": 90}`, 400, `bad JSON body: field "duration": want a JSON string, got number (at byte 15)`, ""},
		{"advance, bad duration", srv, "POST", "/sim/v1/clock/advance", `{"duration": "soon"}`, 400, `duration "soon": want a Go duration such as "90s" or "1m30s"`, ""},
		{"advance, negative", srv, "POST", "/sim/v1/clock/advance", `{"duration": "-5s"}`, 400, `duration "-5s": want a positive duration`, ""},
		{"advance, too far", srv, "POST", "/sim/v1/clock/advance", `{"duration": "25h"}`, 400, `duration "25h": at most 24h0m0s per call`, ""},
		{"advance a real clock", realSrv, "POST", "/sim/v1/clock/advance", `{"duration": "1s"}`, 409,
			"the clock is real: virtual time follows the wall clock; start mesos-sim with --clock=manual to move it by hand", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, hdr, body := do(t, tt.srv, tt.method, tt.path, tt.body)
			if code != tt.status {
				t.Errorf("status %d, want %d (%s)", code, tt.status, body)
			}
			if ct := hdr.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if got := hdr.Get("Allow"); got != tt.allow {
				t.Errorf("Allow %q, want %q", got, tt.allow)
			}
			got := decode[control.ErrorBody](t, body).Error
			if strings.HasSuffix(tt.error, ": ") {
				if !strings.HasPrefix(got, tt.error) {
					t.Errorf("error %q, want it to start with %q", got, tt.error)
				}
			} else if got != tt.error {
				t.Errorf("error\n got %q\nwant %q", got, tt.error)
			}
		})
	}
}

func TestRemoveTwice(t *testing.T) {
	_, srv := newServer(t)
	if code, _, body := do(t, srv, http.MethodDelete, "/sim/v1/agents/agent-2", ""); code != http.StatusOK {
		t.Fatalf("first DELETE: %d %s", code, body)
	}
	code, _, body := do(t, srv, http.MethodDelete, "/sim/v1/agents/agent-2", "")
	if got := decode[control.ErrorBody](t, body).Error; code != http.StatusConflict || got != "agent agent-2 was already removed" {
		t.Errorf("second DELETE: %d %q", code, got)
	}
}

func TestAdvance(t *testing.T) {
	c, srv := newServer(t)
	start := c.Now()
	code, _, body := do(t, srv, http.MethodPost, "/sim/v1/clock/advance", `{"duration": "1m30s"}`)
	if code != http.StatusOK {
		t.Fatalf("advance: %d %s", code, body)
	}
	got := decode[control.ClockInfo](t, body)
	want := control.ClockInfo{VirtualTime: start.Add(90 * time.Second).UTC(), Elapsed: "1m30s"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if e := c.Elapsed(); e != 90*time.Second {
		t.Errorf("cluster elapsed %v", e)
	}
}

func TestTrace(t *testing.T) {
	c, srv := newServer(t)
	c.Advance(2 * time.Second)
	code, hdr, body := do(t, srv, http.MethodGet, "/sim/v1/trace", "")
	if code != http.StatusOK || hdr.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("trace: %d %q", code, hdr.Get("Content-Type"))
	}
	// Reading the trace is itself an input that traces, so the trace read
	// later goes on from the one served.
	if later := c.Trace(); !strings.HasPrefix(later, strings.TrimSuffix(string(body), "\n")) {
		t.Errorf("the trace served is not the cluster's:\n%s\n---\n%s", body, later)
	}
	if !bytes.Contains(body, []byte("agent-1")) {
		t.Errorf("trace does not mention agent-1:\n%s", body)
	}
}

func TestIndex(t *testing.T) {
	_, srv := newServer(t)
	for _, path := range []string{"/sim/v1/", "/sim/v1"} {
		code, _, body := do(t, srv, http.MethodGet, path, "")
		idx := decode[map[string][]string](t, body)
		if code != http.StatusOK || !cmp.Equal(idx["endpoints"][0], "GET /sim/v1/cluster") {
			t.Errorf("GET %s: %d %s", path, code, body)
		}
	}
}

// After the cluster stops, the API answers 503, not a hang or a panic.
func TestClosedCluster(t *testing.T) {
	c, err := sim.NewCluster(sim.Agents(1, ""))
	if err != nil {
		t.Fatal(err)
	}
	srv := control.NewServer(c, control.Options{})
	c.Close()
	for _, req := range [][3]string{
		{"GET", "/sim/v1/cluster", ""},
		{"GET", "/sim/v1/agents", ""},
		{"POST", "/sim/v1/agents", "{}"},
		{"DELETE", "/sim/v1/agents/agent-1", ""},
		{"POST", "/sim/v1/clock/advance", `{"duration": "1s"}`},
	} {
		code, _, body := do(t, srv, req[0], req[1], req[2])
		if code != http.StatusServiceUnavailable || decode[control.ErrorBody](t, body).Error != "the cluster has stopped" {
			t.Errorf("%s %s: %d %s", req[0], req[1], code, body)
		}
	}
}

// No body, however malformed, gets a 5xx or takes the server down.
func TestGarbageNeverFails(t *testing.T) {
	_, srv := newServer(t)
	bodies := []string{"", "null", "{", "}", "[]", `"x"`, "1e999", `{"duration": null}`, `{"resources": null}`,
		`{"duration": "9223372036854775807ns"}`, `{"duration": "-0s"}`, "\xef\xbb\xbf{}", strings.Repeat("[", 10000),
		`{"kind": "partition"}`, `[{"at": "1s"}]`}
	for _, path := range []string{"/sim/v1/agents", "/sim/v1/clock/advance", "/sim/v1/faults"} {
		for _, b := range bodies {
			code, _, out := do(t, srv, http.MethodPost, path, b)
			if code >= 500 && code != http.StatusNotImplemented {
				t.Errorf("POST %s %q: %d %s", path, b, code, out)
			}
			if !json.Valid(out) {
				t.Errorf("POST %s %q: answer is not JSON: %s", path, b, out)
			}
		}
	}
	// And it still serves.
	if code, _, _ := do(t, srv, http.MethodGet, "/sim/v1/cluster", ""); code != http.StatusOK {
		t.Errorf("after the garbage: %d", code)
	}
}

func TestFaults(t *testing.T) {
	c, srv := newServer(t)
	code, _, body := do(t, srv, http.MethodPost, "/sim/v1/faults", `{"kind": "crash-agent", "agent": "agent-1"}`)
	if code != http.StatusOK {
		t.Fatalf("inject: %d %s", code, body)
	}
	want := control.FaultsResult{Installed: []control.InstalledFault{{Kind: "crash-agent", Description: "crash agent-1"}}}
	if diff := cmp.Diff(want, decode[control.FaultsResult](t, body)); diff != "" {
		t.Errorf("inject (-want +got):\n%s", diff)
	}
	if a := c.AgentStates()[0]; a.Running {
		t.Errorf("agent-1 still runs after crash-agent: %+v", a)
	}

	code, _, body = do(t, srv, http.MethodPost, "/sim/v1/faults",
		`[{"at": "10s", "fault": {"kind": "restart-agent", "agent": "agent-1"}}, {"after": "5s", "fault": {"kind": "lose-agent", "agent": "agent-2"}}]`)
	if code != http.StatusOK {
		t.Fatalf("schedule: %d %s", code, body)
	}
	want = control.FaultsResult{Installed: []control.InstalledFault{
		{Kind: "restart-agent", When: "at 10s", Description: "restart agent-1 (recovering its checkpoint)"},
		{Kind: "lose-agent", When: "after 5s", Description: "lose agent-2 (crash, never to restart)"},
	}}
	if diff := cmp.Diff(want, decode[control.FaultsResult](t, body)); diff != "" {
		t.Errorf("schedule (-want +got):\n%s", diff)
	}
	// The steps fire on virtual time.
	c.Advance(10 * time.Second)
	if a := c.AgentStates(); !a[0].Running || !a[1].Running {
		t.Errorf("at 10s: %+v", a)
	}
	c.Advance(5 * time.Second)
	if a := c.AgentStates()[1]; a.Running || !a.Lost {
		t.Errorf("at 15s agent-2 should be lost: %+v", a)
	}
	code, _, body = do(t, srv, http.MethodGet, "/sim/v1/agents/agent-2", "")
	if a := decode[control.Agent](t, body); code != http.StatusOK || !a.Removed {
		t.Errorf("agent-2 after lose-agent: %+v", a)
	}
}

func TestFaultErrors(t *testing.T) {
	_, srv := newServer(t)
	tests := []struct {
		name, body string
		status     int
		error      string // prefix
	}{
		{"empty", " ", 400, `empty body; want a fault object such as {"kind": "partition", "agent": "agent-2"} or an array of steps`},
		{"a string", `"partition"`, 400, `want a fault object such as {"kind": "partition", "agent": "agent-2"} or an array of steps; fault kinds: `},
		{"unknown kind", `{"kind": "explode"}`, 400, `fault: kind: unknown fault kind "explode" (kinds: `},
		{"no kind", `{"agent": "agent-1"}`, 400, `fault: kind: missing (fault kinds: `},
		{"missing agent", `{"kind": "partition"}`, 400, `fault: partition: agent: missing`},
		{"unknown member", `{"kind": "partition", "agent": "agent-1", "for": "10s"}`, 400, `fault: partition: unknown field "for"`},
		{"bad JSON", `{"kind": "partition",`, 400, `fault: `},
		{"step without fault", `[{"at": "1s"}]`, 400, `step 1: fault: missing`},
		{"step with two triggers", `[{"at": "1s", "after": "2s", "fault": {"kind": "heal"}}]`, 400, `step 1: only one of at, after and when may be given, not at and after`},
		{"bad duration", `[{"at": "soon", "fault": {"kind": "heal"}}]`, 400, `step 1: at: `},
		{"no such agent", `{"kind": "partition", "agent": "agent-9"}`, 409, `fault partition agent-9 (both ways): partition: agent: no agent named "agent-9" (agents: agent-1, agent-2)`},
		{"no such agent in a schedule", `[{"at": "1s", "fault": {"kind": "crash-agent", "agent": "agent-9"}}]`, 409, `installing fault schedule: step 1: fault: crash-agent: agent: no agent named "agent-9"`},
		{"no such framework", `{"kind": "cut-stream", "framework": "nobody"}`, 409, `fault cut the event stream of framework nobody: `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := do(t, srv, http.MethodPost, "/sim/v1/faults", tt.body)
			got := decode[control.ErrorBody](t, body).Error
			if code != tt.status || !strings.HasPrefix(got, tt.error) {
				t.Errorf("got %d %q\nwant %d %q...", code, got, tt.status, tt.error)
			}
		})
	}
}
