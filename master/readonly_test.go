package master_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/sim"
)

func TestReadOnlyPathsAndAliases(t *testing.T) {
	c, _ := goldenCluster(t)
	_, _, state := get(t, c, "/master/state")
	for _, tc := range []struct {
		path   string
		status int
		same   bool // the same body as /master/state
	}{
		{"/state", 200, true},
		{"/master/state.json", 200, true},
		{"/state.json", 404, false}, // removed in Mesos 1.7
		{"/master/nope", 404, false},
		{"/master/state/x", 404, false},
		{"/master/health", 200, false},
		{"/health", 200, false},
		{"/master/redirect/x", 404, false},
	} {
		code, _, body := get(t, c, tc.path)
		if code != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.path, code, tc.status)
		}
		if tc.same && string(body) != string(state) {
			t.Errorf("GET %s differs from /master/state", tc.path)
		}
		if !tc.same && len(body) != 0 {
			t.Errorf("GET %s: body %q, want none", tc.path, body)
		}
	}
}

func TestRedirectToLeader(t *testing.T) {
	c := sim.New(t, sim.MasterConfig(masterConfig("mesos.example", 5055)))
	for _, path := range []string{"/master/redirect", "/redirect"} {
		req, _ := http.NewRequest(http.MethodGet, "http://mesos-sim"+path, nil)
		resp, err := c.HTTPClient().Transport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTemporaryRedirect || resp.Header.Get("Location") != "//mesos.example:5055" {
			t.Errorf("GET %s: %d Location %q, want 307 //mesos.example:5055", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

func TestJSONP(t *testing.T) {
	c, _ := goldenCluster(t)
	_, _, plain := get(t, c, "/master/flags")
	code, hdr, body := get(t, c, "/master/flags?jsonp=cb")
	if code != 200 || hdr.Get("Content-Type") != "text/javascript" {
		t.Fatalf("%d %q", code, hdr.Get("Content-Type"))
	}
	if want := "cb(" + string(plain) + ")"; string(body) != want {
		t.Errorf("body %q, want %q", body, want)
	}
}

func TestTasksQuery(t *testing.T) {
	c, s := goldenCluster(t)
	// A third task, on the second agent, one second later: the newest.
	c.Advance(1e9)
	s.next(schedulerpb.Event_OFFERS) // the rest of agent-1, with the finished task's resources
	s.launch(c.Offers()[0].Proto, commandTask("late", "./serve", "cpus:0.5;mem:64"))
	s.updates(2)
	fw := s.id.GetValue()
	ids := func(path string) []string {
		var out []string
		for _, x := range getJSON(t, c, path)["tasks"].([]any) {
			out = append(out, x.(map[string]any)["id"].(string))
		}
		return out
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"late", "serve", "batch"}},
		{"?order=asc", []string{"serve", "batch", "late"}},
		{"?order=bogus", []string{"late", "serve", "batch"}},
		{"?limit=1", []string{"late"}},
		{"?limit=x", []string{"late", "serve", "batch"}},
		{"?offset=1&limit=1", []string{"serve"}},
		{"?offset=5", nil},
		{"?limit=-1", []string{"late", "serve", "batch"}},
		{"?task_id=batch", []string{"batch"}},
		{"?framework_id=" + fw + "&task_id=serve", []string{"serve"}},
		{"?framework_id=other", nil},
	} {
		if got := ids("/master/tasks" + tc.query); !cmp.Equal(got, tc.want) {
			t.Errorf("/master/tasks%s = %v, want %v", tc.query, got, tc.want)
		}
	}
}

func TestFrameworksAndSlavesFilters(t *testing.T) {
	c, s := goldenCluster(t)
	count := func(path, key string) int { return len(getJSON(t, c, path)[key].([]any)) }
	for _, tc := range []struct {
		path, key string
		want      int
	}{
		{"/master/frameworks", "frameworks", 1},
		{"/master/frameworks?framework_id=" + s.id.GetValue(), "frameworks", 1},
		{"/master/frameworks?framework_id=x", "frameworks", 0},
		{"/master/frameworks", "unregistered_frameworks", 0},
		{"/master/slaves", "slaves", 2},
		{"/master/slaves?slave_id=x", "slaves", 0},
	} {
		if got := count(tc.path, tc.key); got != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.path, got, tc.key, tc.want)
		}
	}
	var agentID string
	c.Master(func(m *masterT) { agentID = m.Agents()[1].ID })
	slaves := getJSON(t, c, "/master/slaves?slave_id="+agentID)["slaves"].([]any)
	if len(slaves) != 1 || slaves[0].(map[string]any)["id"] != agentID {
		t.Errorf("slave_id filter: %v", slaves)
	}
}

// A torn-down framework moves to completed_frameworks with its tasks
// killed and an unregistered time; /master/tasks still lists its tasks.
func TestCompletedFramework(t *testing.T) {
	c, s := goldenCluster(t)
	c.Advance(3e9)
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum()})
	state := getJSON(t, c, "/master/state")
	if n := len(state["frameworks"].([]any)); n != 0 {
		t.Fatalf("%d frameworks after TEARDOWN", n)
	}
	done := state["completed_frameworks"].([]any)
	if len(done) != 1 {
		t.Fatalf("completed_frameworks: %v", done)
	}
	fw := done[0].(map[string]any)
	if fw["active"] != false || fw["unregistered_time"].(float64) != fw["registered_time"].(float64)+3 {
		t.Errorf("completed framework: active %v, registered %v, unregistered %v", fw["active"], fw["registered_time"], fw["unregistered_time"])
	}
	var states []string
	for _, x := range fw["completed_tasks"].([]any) {
		states = append(states, x.(map[string]any)["state"].(string))
	}
	if want := []string{"TASK_FINISHED", "TASK_KILLED"}; !cmp.Equal(states, want) {
		t.Errorf("completed task states %v, want %v", states, want)
	}
	if n := len(getJSON(t, c, "/master/tasks")["tasks"].([]any)); n != 2 {
		t.Errorf("/master/tasks lists %d tasks, want 2", n)
	}
	m := getJSON(t, c, "/metrics/snapshot")
	if m["master/tasks_killed"] != 1.0 || m["master/task_killed/source_master/reason_framework_removed"] != 1.0 ||
		m["master/messages_unregister_framework"] != 1.0 || m["master/frameworks_active"] != 0.0 {
		t.Errorf("metrics after TEARDOWN: %v %v %v %v", m["master/tasks_killed"], m["master/task_killed/source_master/reason_framework_removed"],
			m["master/messages_unregister_framework"], m["master/frameworks_active"])
	}
}

func TestMetricsTimeout(t *testing.T) {
	c := sim.New(t)
	for _, tc := range []struct {
		query  string
		status int
		body   string
	}{
		{"?timeout=5secs", 200, ""},
		{"?timeout=1.5mins", 200, ""},
		{"?timeout=5", 400, "Invalid timeout '5': Invalid duration '5'.\n"},
		{"?timeout=5years", 400, "Invalid timeout '5years': Unknown duration unit 'years'; supported units are 'ns', 'us', 'ms', 'secs', 'mins', 'hrs', 'days', and 'weeks'.\n"},
	} {
		code, _, body := get(t, c, "/metrics/snapshot"+tc.query)
		if code != tc.status || (tc.body != "" && string(body) != tc.body) {
			t.Errorf("%s: %d %q, want %d %q", tc.query, code, body, tc.status, tc.body)
		}
	}
}

// Counters move where Mesos moves them: a KILL, an invalid task, a lost
// agent's tasks.
func TestMetricsCounters(t *testing.T) {
	c, s := goldenCluster(t)
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: &schedulerpb.Call_Kill{TaskId: &mesospb.TaskID{Value: proto.String("serve")}}})
	s.update(mesospb.TaskState_TASK_KILLED)
	s.launch(c.Offers()[0].Proto, commandTask("bad", "./x", "cpus:100"))
	if st := s.next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus(); st.GetState() != mesospb.TaskState_TASK_ERROR {
		t.Fatalf("invalid task: %v", st.GetState())
	}
	m := getJSON(t, c, "/metrics/snapshot")
	for name, want := range map[string]float64{
		"master/tasks_killed": 1,
		"master/tasks_error":  1,
		"master/task_error/source_master/reason_task_invalid": 1,
		"master/messages_kill_task":                           1,
		"master/messages_launch_tasks":                        2,
		"master/tasks_running":                                0,
		"master/outstanding_offers":                           0,
	} {
		if m[name] != want {
			t.Errorf("%s = %v, want %v", name, m[name], want)
		}
	}
	if !strings.HasPrefix(string(mustGet(t, c, "/metrics/snapshot")), `{"allocator/mesos/allocation_runs":`) {
		t.Errorf("metrics are not sorted by name")
	}
}

func mustGet(t *testing.T, c *sim.Cluster, path string) []byte {
	t.Helper()
	_, _, b := get(t, c, path)
	return b
}

// /master/roles lists framework roles with their ancestors and roles with
// a weight or a quota, sorted.
func TestRoles(t *testing.T) {
	c := sim.New(t, sim.Seed(2), sim.Agents(1, "cpus:4;mem:4096"))
	info := fwInfo("web")
	info.Role = proto.String("eng/web")
	s := subscribeSched(t, c, info)
	s.next(schedulerpb.Event_OFFERS)
	c.Master(func(m *masterT) {
		m.UpdateWeights(map[string]float64{"dev": 2.5})
		m.UpdateQuota("dev", allocator.Quota{Guarantees: resources.MustParseQuantities("cpus:1"), Limits: resources.MustParseLimits("cpus:2")})
	})
	type role struct {
		Name       string
		Weight     float64
		Offered    map[string]any
		Quota      map[string]any
		Frameworks []any
	}
	var got []role
	for _, x := range getJSON(t, c, "/master/roles")["roles"].([]any) {
		r := x.(map[string]any)
		got = append(got, role{r["name"].(string), r["weight"].(float64), r["offered"].(map[string]any), r["quota"].(map[string]any), r["frameworks"].([]any)})
	}
	fw := s.id.GetValue()
	offered := map[string]any{"cpus": 4.0, "mem": 4096.0, "disk": 10240.0, "ports": 1001.0}
	none := map[string]any{}
	want := []role{
		{"dev", 2.5, none, map[string]any{"role": "dev", "guarantee": map[string]any{"cpus": 1.0}, "limit": map[string]any{"cpus": 2.0}, "consumed": none}, []any{}},
		{"eng", 1, offered, map[string]any{"role": "eng", "guarantee": none, "limit": none, "consumed": none}, []any{}},
		{"eng/web", 1, offered, map[string]any{"role": "eng/web", "guarantee": none, "limit": none, "consumed": none}, []any{fw}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("roles (-want +got):\n%s", diff)
	}
}
