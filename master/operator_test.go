package master_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/maintenancepb"
	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/quotapb"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/simnet"
)

var encodings = []mediatype.Type{mediatype.JSON, mediatype.Protobuf}

func agentID(id string) *mesospb.AgentID { return &mesospb.AgentID{Value: proto.String(id)} }

func TestOperatorTransportErrors(t *testing.T) {
	e := newEnv(t)
	op := e.operator()
	health := encodeCall(t, mediatype.JSON, callOf(masterpb.Call_GET_HEALTH))
	tests := []struct {
		name                string
		method, ctype, acpt string
		body                string
		code                int
		text                string
	}{
		{"GET", "GET", "application/json", "", string(health), 405, "405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'."},
		{"no content type", "POST", "", "", string(health), 400, "Expecting 'Content-Type' to be present"},
		{"unsupported content type", "POST", "text/plain", "", string(health), 415, "Expecting 'Content-Type' of application/json or application/x-protobuf"},
		{"bad protobuf", "POST", "application/x-protobuf", "", "\xff\xff", 400, "Failed to parse body into Call protobuf"},
		{"missing required field", "POST", "application/json", "", `{"type":"TEARDOWN","teardown":{}}`, 400, "Failed to convert JSON into Call protobuf: Missing required fields: teardown.framework_id"},
		{"no type", "POST", "application/json", "", `{}`, 400, "Failed to validate master::Call: Expecting 'type' to be present"},
		{"validation before Accept", "POST", "application/json", "text/plain", `{"type":"TEARDOWN"}`, 400, "Failed to validate master::Call: Expecting 'teardown' to be present"},
		{"not acceptable", "POST", "application/json", "text/plain", string(health), 406, "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"},
		{"unknown", "POST", "application/json", "", `{"type":"UNKNOWN"}`, 501, ""},
		{"logging level", "POST", "application/json", "", `{"type":"GET_LOGGING_LEVEL"}`, 501, "mesos-sim does not support the operator call GET_LOGGING_LEVEL"},
		{"list files", "POST", "application/json", "", `{"type":"LIST_FILES","list_files":{"path":"/"}}`, 501, "mesos-sim does not support the operator call LIST_FILES"},
		{"grow volume without agent", "POST", "application/json", "", `{"type":"GROW_VOLUME","grow_volume":{"volume":{"name":"disk","type":"SCALAR","scalar":{"value":1}},"addition":{"name":"disk","type":"SCALAR","scalar":{"value":1}}}}`, 400,
			"Failed to validate master::Call: Expecting 'agent_id' to be present; only agent default resources are supported right now"},
	}
	for _, typ := range []string{"get_metrics", "set_logging_level", "list_files", "read_file", "update_weights", "reserve_resources",
		"unreserve_resources", "create_volumes", "destroy_volumes", "grow_volume", "shrink_volume", "update_maintenance_schedule",
		"start_maintenance", "stop_maintenance", "drain_agent", "deactivate_agent", "reactivate_agent", "update_quota",
		"set_quota", "remove_quota", "teardown", "mark_agent_gone"} {
		tests = append(tests, struct {
			name                string
			method, ctype, acpt string
			body                string
			code                int
			text                string
		}{"no " + typ, "POST", "application/json", "", `{"type":"` + strings.ToUpper(typ) + `"}`, 400, "Failed to validate master::Call: Expecting '" + typ + "' to be present"})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, body, hdr := op.raw(tc.method, tc.ctype, tc.acpt, []byte(tc.body))
			if code != tc.code || body != tc.text {
				t.Fatalf("got %d %q, want %d %q", code, body, tc.code, tc.text)
			}
			if tc.text != "" && hdr.Get("Content-Type") != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", hdr.Get("Content-Type"))
			}
		})
	}
}

// launched starts a framework with one running task on the first agent and
// returns its stream, the task's offer and status.
func launched(t *testing.T, e *env, info *mesospb.FrameworkInfo) (*stream, *mesospb.Offer, *mesospb.TaskStatus) {
	t.Helper()
	s, offers := e.ready(info)
	o := offers[0]
	task := &mesospb.TaskInfo{
		Name: proto.String("t"), TaskId: &mesospb.TaskID{Value: proto.String("t1")}, AgentId: o.AgentId,
		Resources: mustRes("cpus:1;mem:128"), Command: &mesospb.CommandInfo{Value: proto.String("sleep 100"), User: proto.String("nobody")},
		Labels: &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String("k"), Value: proto.String("v")}}},
	}
	if code, body := s.call(accept(o, task)); code != 202 {
		t.Fatalf("accept %d %q", code, body)
	}
	up := s.expect(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	return s, o, up
}

func TestOperatorGetCalls(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096", "cpus:2;mem:1024")
	op := e.operator()
	info := fwInfo("fw")
	info.Role = proto.String("web")
	s, o, running := launched(t, e, info)
	agent1 := o.GetAgentId().GetValue()
	var agent2 string
	e.do(func() { agent2 = e.agents[1].id })
	for _, mt := range encodings {
		t.Run(mt.String(), func(t *testing.T) {
			get := func(ct masterpb.Call_Type, rt masterpb.Response_Type) *masterpb.Response {
				t.Helper()
				r := op.get(mt, callOf(ct))
				if r.GetType() != rt {
					t.Fatalf("%v answered type %v", ct, r.GetType())
				}
				return r
			}
			if !get(masterpb.Call_GET_HEALTH, masterpb.Response_GET_HEALTH).GetGetHealth().GetHealthy() {
				t.Error("GET_HEALTH: not healthy")
			}
			if v := get(masterpb.Call_GET_VERSION, masterpb.Response_GET_VERSION).GetGetVersion().GetVersionInfo().GetVersion(); v != "1.11.0" {
				t.Errorf("GET_VERSION %q", v)
			}
			flags := map[string]string{}
			for _, f := range get(masterpb.Call_GET_FLAGS, masterpb.Response_GET_FLAGS).GetGetFlags().GetFlags() {
				flags[f.GetName()] = f.GetValue()
			}
			if flags["allocation_interval"] != "1secs" || flags["port"] != "5050" {
				t.Errorf("GET_FLAGS %v", flags)
			}
			gm := get(masterpb.Call_GET_MASTER, masterpb.Response_GET_MASTER).GetGetMaster()
			if gm.GetMasterInfo().GetId() != e.m.ID() || gm.StartTime == nil || gm.ElectedTime == nil {
				t.Errorf("GET_MASTER %v", gm)
			}

			agents := get(masterpb.Call_GET_AGENTS, masterpb.Response_GET_AGENTS).GetGetAgents().GetAgents()
			if len(agents) != 2 || agents[0].GetAgentInfo().GetId().GetValue() != agent1 || agents[1].GetAgentInfo().GetId().GetValue() != agent2 {
				t.Fatalf("GET_AGENTS %v", agents)
			}
			a := agents[0]
			if !a.GetActive() || a.GetDeactivated() || a.GetPid() != "slave(1)@127.0.0.1:5051" || a.GetRegisteredTime().GetNanoseconds() != e.l.Epoch().UnixNano() || a.ReregisteredTime != nil {
				t.Errorf("agent %v", a)
			}
			total, _ := resources.FromProto(a.GetTotalResources())
			allocated, _ := resources.FromProto(a.GetAllocatedResources())
			if !total.Equal(resources.MustParse("cpus:4;mem:4096")) || !allocated.Equal(resources.MustParse("cpus:1;mem:128").Allocate("web")) {
				t.Errorf("agent resources: total %s, allocated %s", total, allocated)
			}

			fws := get(masterpb.Call_GET_FRAMEWORKS, masterpb.Response_GET_FRAMEWORKS).GetGetFrameworks()
			if len(fws.GetFrameworks()) != 1 || len(fws.GetCompletedFrameworks()) != 0 {
				t.Fatalf("GET_FRAMEWORKS %v", fws)
			}
			f := fws.GetFrameworks()[0]
			if f.GetFrameworkInfo().GetId().GetValue() != s.id || !f.GetActive() || !f.GetConnected() || f.GetRecovered() || f.GetRegisteredTime().GetNanoseconds() != e.l.Epoch().UnixNano() || f.UnregisteredTime != nil {
				t.Errorf("framework %v", f)
			}
			used, _ := resources.FromProto(f.GetAllocatedResources())
			if !used.Equal(resources.MustParse("cpus:1;mem:128").Allocate("web")) {
				t.Errorf("framework allocated %s", used)
			}

			tasks := get(masterpb.Call_GET_TASKS, masterpb.Response_GET_TASKS).GetGetTasks()
			if len(tasks.GetTasks()) != 1 || len(tasks.GetCompletedTasks()) != 0 {
				t.Fatalf("GET_TASKS %v", tasks)
			}
			want := &mesospb.Task{
				Name: proto.String("t"), TaskId: running.GetTaskId(), FrameworkId: &mesospb.FrameworkID{Value: proto.String(s.id)},
				AgentId: o.GetAgentId(), State: mesospb.TaskState_TASK_RUNNING.Enum(),
				Resources:         endpoint(resources.MustParse("cpus:1;mem:128").Allocate("web")),
				Statuses:          []*mesospb.TaskStatus{running},
				StatusUpdateState: mesospb.TaskState_TASK_RUNNING.Enum(), StatusUpdateUuid: running.GetUuid(),
				Labels: &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String("k"), Value: proto.String("v")}}},
				User:   proto.String("nobody"),
			}
			if diff := cmp.Diff(want, tasks.GetTasks()[0], protocmp.Transform()); diff != "" {
				t.Errorf("GET_TASKS task (-want +got):\n%s", diff)
			}
			if ex := get(masterpb.Call_GET_EXECUTORS, masterpb.Response_GET_EXECUTORS).GetGetExecutors(); len(ex.GetExecutors()) != 0 {
				t.Errorf("GET_EXECUTORS (command tasks have no tracked executor) %v", ex)
			}

			st := get(masterpb.Call_GET_STATE, masterpb.Response_GET_STATE).GetGetState()
			if len(st.GetGetAgents().GetAgents()) != 2 || len(st.GetGetFrameworks().GetFrameworks()) != 1 || len(st.GetGetTasks().GetTasks()) != 1 {
				t.Errorf("GET_STATE %v", st)
			}

			// The role holds the task (cpus:1;mem:128) and the offer of the
			// second agent (cpus:2;mem:1024).
			roles := get(masterpb.Call_GET_ROLES, masterpb.Response_GET_ROLES).GetGetRoles().GetRoles()
			wantRoles := []*mesospb.Role{{
				Name: proto.String("web"), Weight: proto.Float64(1),
				Frameworks: []*mesospb.FrameworkID{{Value: proto.String(s.id)}},
				Resources: []*mesospb.Resource{
					{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(3)}},
					{Name: proto.String("mem"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1152)}},
				},
			}}
			if diff := cmp.Diff(wantRoles, roles, protocmp.Transform()); diff != "" {
				t.Errorf("GET_ROLES (-want +got):\n%s", diff)
			}
			if w := get(masterpb.Call_GET_WEIGHTS, masterpb.Response_GET_WEIGHTS).GetGetWeights(); len(w.GetWeightInfos()) != 0 {
				t.Errorf("GET_WEIGHTS %v", w)
			}
			if q := get(masterpb.Call_GET_QUOTA, masterpb.Response_GET_QUOTA).GetGetQuota(); q.GetStatus() == nil || len(q.GetStatus().GetConfigs()) != 0 {
				t.Errorf("GET_QUOTA %v", q)
			}
			if ops := get(masterpb.Call_GET_OPERATIONS, masterpb.Response_GET_OPERATIONS).GetGetOperations(); ops == nil || len(ops.GetOperations()) != 0 {
				t.Errorf("GET_OPERATIONS %v", ops)
			}
			metrics := map[string]float64{}
			for _, m := range op.get(mt, &masterpb.Call{Type: masterpb.Call_GET_METRICS.Enum(), GetMetrics: &masterpb.Call_GetMetrics{}}).GetGetMetrics().GetMetrics() {
				metrics[m.GetName()] = m.GetValue()
			}
			if metrics["master/elected"] != 1 || metrics["master/slaves_active"] != 2 {
				t.Errorf("GET_METRICS master/elected %v, master/slaves_active %v", metrics["master/elected"], metrics["master/slaves_active"])
			}
		})
	}
}

func endpoint(r resources.Resources) []*mesospb.Resource {
	out, err := r.ToProtoFormat(resources.Endpoint)
	if err != nil {
		panic(err)
	}
	return out
}

// The JSON answers of the read-only calls write their lists even when
// empty, as Mesos's jsonify handlers do.
func TestOperatorJSONShapes(t *testing.T) {
	e := newEnv(t)
	op := e.operator()
	tests := []struct {
		call masterpb.Call_Type
		want string
	}{
		{masterpb.Call_GET_HEALTH, `{"type":"GET_HEALTH","get_health":{"healthy":true}}`},
		{masterpb.Call_GET_TASKS, `{"type":"GET_TASKS","get_tasks":{"tasks":[],"unreachable_tasks":[],"completed_tasks":[]}}`},
		{masterpb.Call_GET_AGENTS, `{"type":"GET_AGENTS","get_agents":{"agents":[],"recovered_agents":[]}}`},
		{masterpb.Call_GET_FRAMEWORKS, `{"type":"GET_FRAMEWORKS","get_frameworks":{"frameworks":[],"completed_frameworks":[]}}`},
		{masterpb.Call_GET_EXECUTORS, `{"type":"GET_EXECUTORS","get_executors":{"executors":[]}}`},
		{masterpb.Call_GET_STATE, `{"type":"GET_STATE","get_state":{"get_tasks":{"tasks":[],"unreachable_tasks":[],"completed_tasks":[]},` +
			`"get_executors":{"executors":[]},"get_frameworks":{"frameworks":[],"completed_frameworks":[]},"get_agents":{"agents":[],"recovered_agents":[]}}}`},
		{masterpb.Call_GET_WEIGHTS, `{"type":"GET_WEIGHTS","get_weights":{}}`},
		{masterpb.Call_GET_QUOTA, `{"type":"GET_QUOTA","get_quota":{"status":{}}}`},
	}
	t.Run("SUBSCRIBE", func(t *testing.T) {
		req, _ := http.NewRequest("POST", op.srv.URL+"/api/v1", strings.NewReader(`{"type":"SUBSCRIBE"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		rd := recordio.NewReader(resp.Body)
		var got []string
		for range 2 {
			rec, err := rd.ReadRecord()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, string(rec))
		}
		want := []string{
			`{"type":"SUBSCRIBED","subscribed":{"get_state":{"get_tasks":{"tasks":[],"unreachable_tasks":[],"completed_tasks":[]},` +
				`"get_executors":{"executors":[]},"get_frameworks":{"frameworks":[],"completed_frameworks":[]},"get_agents":{"agents":[],"recovered_agents":[]}},` +
				`"heartbeat_interval_seconds":15.0}}`,
			`{"type":"HEARTBEAT"}`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("first records (-want +got):\n%s", diff)
		}
	})
	for _, tc := range tests {
		t.Run(tc.call.String(), func(t *testing.T) {
			code, body, hdr := op.raw("POST", "application/json", "", encodeCall(t, mediatype.JSON, callOf(tc.call)))
			if code != 200 || body != tc.want {
				t.Errorf("got %d %s\nwant %s", code, body, tc.want)
			}
			if hdr.Get("Content-Type") != "application/json" {
				t.Errorf("Content-Type %q", hdr.Get("Content-Type"))
			}
		})
	}
}

func TestOperatorWeights(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	op := e.operator()
	info := fwInfo("fw")
	info.Role = proto.String("web")
	s, offers := e.ready(info)
	weights := func(infos ...*mesospb.WeightInfo) *masterpb.Call {
		return &masterpb.Call{Type: masterpb.Call_UPDATE_WEIGHTS.Enum(), UpdateWeights: &masterpb.Call_UpdateWeights{WeightInfos: infos}}
	}
	wi := func(role string, w float64) *mesospb.WeightInfo {
		return &mesospb.WeightInfo{Role: proto.String(role), Weight: proto.Float64(w)}
	}
	bad := []struct {
		call *masterpb.Call
		text string
	}{
		{weights(wi("web", 0)), "Failed to validate update weights request JSON for role 'web': Invalid weight '0': Weights must be positive"},
		{weights(wi("web", -1.5)), "Failed to validate update weights request JSON for role 'web': Invalid weight '-1.5': Weights must be positive"},
		{weights(wi("a/", 2)), "Failed to validate update weights request JSON: Invalid role 'a/': Role 'a/' cannot end with a slash"},
	}
	for _, tc := range bad {
		if code, body, _ := op.call(mediatype.JSON, tc.call); code != 400 || body != tc.text {
			t.Errorf("got %d %q, want 400 %q", code, body, tc.text)
		}
	}
	// A weight for a role without frameworks rescinds nothing.
	code, body, hdr := op.raw("POST", "application/x-protobuf", "", encodeCall(t, mediatype.Protobuf, weights(wi(" batch ", 3))))
	if code != 200 || body != "" || hdr.Get("Content-Type") != "" {
		t.Fatalf("UPDATE_WEIGHTS: %d %q Content-Type %q (want 200, empty, none)", code, body, hdr.Get("Content-Type"))
	}
	s.none()
	// One for a role with frameworks rescinds every outstanding offer.
	op.do(weights(wi("web", 2)), 200)
	if got := s.expect(schedulerpb.Event_RESCIND).GetRescind().GetOfferId().GetValue(); got != offers[0].GetId().GetValue() {
		t.Errorf("rescinded %q", got)
	}
	want := []*mesospb.WeightInfo{wi("batch", 3), wi("web", 2)}
	for _, mt := range encodings {
		if diff := cmp.Diff(want, op.get(mt, callOf(masterpb.Call_GET_WEIGHTS)).GetGetWeights().GetWeightInfos(), protocmp.Transform()); diff != "" {
			t.Errorf("GET_WEIGHTS %v (-want +got):\n%s", mt, diff)
		}
	}
	var roles []string
	for _, r := range op.get(mediatype.Protobuf, callOf(masterpb.Call_GET_ROLES)).GetGetRoles().GetRoles() {
		roles = append(roles, fmt.Sprintf("%s=%v", r.GetName(), r.GetWeight()))
	}
	if diff := cmp.Diff([]string{"batch=3", "web=2"}, roles); diff != "" {
		t.Errorf("GET_ROLES weights (-want +got):\n%s", diff)
	}
}

func TestOperatorQuota(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	op := e.operator()
	scalars := func(kv ...any) map[string]*mesospb.Value_Scalar {
		out := map[string]*mesospb.Value_Scalar{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = &mesospb.Value_Scalar{Value: proto.Float64(kv[i+1].(float64))}
		}
		return out
	}
	update := func(force bool, cs ...*quotapb.QuotaConfig) *masterpb.Call {
		return &masterpb.Call{Type: masterpb.Call_UPDATE_QUOTA.Enum(), UpdateQuota: &masterpb.Call_UpdateQuota{Force: proto.Bool(force), QuotaConfigs: cs}}
	}
	cfg := func(role string, g, l map[string]*mesospb.Value_Scalar) *quotapb.QuotaConfig {
		return &quotapb.QuotaConfig{Role: proto.String(role), Guarantees: g, Limits: l}
	}
	bad := []struct {
		name string
		call *masterpb.Call
		text string
	}{
		{"nested", update(false, cfg("a/b", nil, nil)), "Updating quota on nested role 'a/b' is not supported yet"},
		{"bad role", update(false, cfg("-a", nil, nil)), "Invalid QuotaConfig: Invalid 'QuotaConfig.role': Role component '-a' is invalid because it starts with a dash"},
		{"negative", update(false, cfg("a", scalars("cpus", -1.0), nil)), "Invalid QuotaConfig: Invalid guarantee configuration {'cpus': -1}: Negative values not supported"},
		{"too large", update(false, cfg("a", nil, scalars("mem", 2e12))), "Invalid QuotaConfig: Invalid 'QuotaConfig.limits': {'mem': 2000000000000} is invalid: values greater than 1 exabyte (1099511627776) are not supported"},
		{"guarantee above limit", update(false, cfg("a", scalars("cpus", 2.0), scalars("cpus", 1.0))),
			"Invalid QuotaConfig: 'QuotaConfig.guarantees' {cpus:2} is not contained within the 'QuotaConfig.limits' {cpus:1}"},
		{"overcommit", update(false, cfg("a", scalars("cpus", 8.0), nil)),
			"Invalid QuotaConfig: total quota guarantees 'cpus:8' exceed cluster capacity 'cpus:4; mem:4096' (use 'force' flag to bypass this check)"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			if code, body, _ := op.call(mediatype.JSON, tc.call); code != 400 || body != tc.text {
				t.Errorf("got %d %q\nwant 400 %q", code, body, tc.text)
			}
		})
	}
	op.do(update(false, cfg("a", scalars("cpus", 1.0), scalars("cpus", 2.0, "mem", 1024.0))), 200)
	op.do(update(true, cfg("b", scalars("cpus", 8.0), nil)), 200) // force bypasses the capacity check
	status := op.get(mediatype.JSON, callOf(masterpb.Call_GET_QUOTA)).GetGetQuota().GetStatus()
	wantConfigs := []*quotapb.QuotaConfig{
		cfg("a", scalars("cpus", 1.0), scalars("cpus", 2.0, "mem", 1024.0)),
		cfg("b", scalars("cpus", 8.0), nil),
	}
	if diff := cmp.Diff(wantConfigs, status.GetConfigs(), protocmp.Transform()); diff != "" {
		t.Errorf("GET_QUOTA configs (-want +got):\n%s", diff)
	}
	if len(status.GetInfos()) != 2 || status.GetInfos()[0].GetGuarantee()[0].GetScalar().GetValue() != 1 {
		t.Errorf("GET_QUOTA legacy infos %v", status.GetInfos())
	}
	var quotas map[string]allocator.Quota
	e.do(func() { quotas = e.m.Quotas() })
	if !quotas["a"].Guarantees.Equal(resources.MustParseQuantities("cpus:1")) || !quotas["a"].Limits.Equal(resources.MustParseLimits("cpus:2;mem:1024")) {
		t.Errorf("master quota of a: %+v", quotas["a"])
	}

	// The deprecated calls.
	set := func(role string, force bool, guarantee string) *masterpb.Call {
		return &masterpb.Call{Type: masterpb.Call_SET_QUOTA.Enum(), SetQuota: &masterpb.Call_SetQuota{QuotaRequest: &quotapb.QuotaRequest{
			Role: proto.String(role), Force: proto.Bool(force), Guarantee: mustRes(guarantee)}}}
	}
	if code, body, _ := op.call(mediatype.JSON, set("a", false, "cpus:1")); code != 400 || body != "Failed to validate set quota request: Cannot set quota for role 'a' which already has quota" {
		t.Errorf("SET_QUOTA existing: %d %q", code, body)
	}
	if code, body, _ := op.call(mediatype.JSON, set("c", false, "cpus:1")); code != 409 ||
		body != "Quota guarantees overcommit the cluster (use 'force' to bypass this check): Total quota guarantees 'cpus:10' exceed cluster capacity 'cpus:4; mem:4096'" {
		t.Errorf("SET_QUOTA overcommit: %d %q", code, body)
	}
	op.do(set("c", true, "mem:100"), 200)
	remove := func(role string) *masterpb.Call {
		return &masterpb.Call{Type: masterpb.Call_REMOVE_QUOTA.Enum(), RemoveQuota: &masterpb.Call_RemoveQuota{Role: proto.String(role)}}
	}
	op.do(remove("b"), 200)
	if code, body, _ := op.call(mediatype.JSON, remove("b")); code != 400 || body != "Failed to remove quota: Role 'b' has no quota set" {
		t.Errorf("REMOVE_QUOTA again: %d %q", code, body)
	}
	var roles []string
	for _, c := range op.get(mediatype.Protobuf, callOf(masterpb.Call_GET_QUOTA)).GetGetQuota().GetStatus().GetConfigs() {
		roles = append(roles, c.GetRole())
	}
	if diff := cmp.Diff([]string{"a", "c"}, roles); diff != "" {
		t.Errorf("quota roles (-want +got):\n%s", diff)
	}
}

// Quota and weights survive a master failover through the registry.
func TestOperatorSettingsInRegistry(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	op := e.operator()
	op.do(&masterpb.Call{Type: masterpb.Call_UPDATE_WEIGHTS.Enum(), UpdateWeights: &masterpb.Call_UpdateWeights{
		WeightInfos: []*mesospb.WeightInfo{{Role: proto.String("web"), Weight: proto.Float64(2.5)}}}}, 200)
	op.do(&masterpb.Call{Type: masterpb.Call_UPDATE_QUOTA.Enum(), UpdateQuota: &masterpb.Call_UpdateQuota{QuotaConfigs: []*quotapb.QuotaConfig{{
		Role: proto.String("web"), Guarantees: map[string]*mesospb.Value_Scalar{"cpus": {Value: proto.Float64(1)}}}}}}, 200)
	var reg master.Registry
	e.do(func() { reg = e.m.Registry() })
	if reg.Weights["web"] != 2.5 || !reg.Quotas["web"].Guarantees.Equal(resources.MustParseQuantities("cpus:1")) {
		t.Fatalf("registry weights %v quotas %v", reg.Weights, reg.Quotas)
	}
	l := loop.New(loop.Config{Seed: 2})
	n := simnet.New(l, simnet.Config{})
	alloc := allocator.New(allocator.DefaultOptions())
	next := master.New(l, n, alloc, master.Config{})
	next.Recover(reg)
	if w := next.Weights()["web"]; w != 2.5 {
		t.Errorf("recovered weight %v", w)
	}
	if alloc.Weight("web") != 2.5 || !alloc.Quota("web").Guarantees.Equal(resources.MustParseQuantities("cpus:1")) {
		t.Errorf("allocator after recovery: weight %v quota %+v", alloc.Weight("web"), alloc.Quota("web"))
	}
}

func TestOperatorReserveAndVolumes(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096;disk:1000")
	op := e.operator()
	s, offers := e.ready(fwInfo("fw"))
	agent := offers[0].GetAgentId()
	reserved := func(text string) []*mesospb.Resource {
		rs := mustRes(text)
		for _, r := range rs {
			r.Reservations = []*mesospb.Resource_ReservationInfo{{Type: mesospb.Resource_ReservationInfo_DYNAMIC.Enum(), Role: proto.String("db"), Principal: proto.String("ops")}}
		}
		return rs
	}
	reserve := func(id *mesospb.AgentID, rs []*mesospb.Resource) *masterpb.Call {
		return &masterpb.Call{Type: masterpb.Call_RESERVE_RESOURCES.Enum(), ReserveResources: &masterpb.Call_ReserveResources{AgentId: id, Resources: rs}}
	}
	unreserve := func(rs []*mesospb.Resource) *masterpb.Call {
		return &masterpb.Call{Type: masterpb.Call_UNRESERVE_RESOURCES.Enum(), UnreserveResources: &masterpb.Call_UnreserveResources{AgentId: agent, Resources: rs}}
	}
	if code, body, _ := op.call(mediatype.JSON, reserve(agentID("nope"), reserved("cpus:1"))); code != 400 || body != "No agent found with specified ID" {
		t.Errorf("unknown agent: %d %q", code, body)
	}
	if code, body, _ := op.call(mediatype.JSON, reserve(agent, mustRes("cpus:1"))); code != 400 ||
		!strings.HasPrefix(body, "Invalid RESERVE operation on agent "+agent.GetValue()+" at slave(1)@127.0.0.1:5051 (agent-1.example): Resource cpus") {
		t.Errorf("unreserved target: %d %q", code, body)
	}
	// The offer holding the resources is rescinded, then the reservation
	// is applied and checkpointed: 202.
	code, body, hdr := op.raw("POST", "application/json", "", encodeCall(t, mediatype.JSON, reserve(agent, reserved("cpus:1;mem:512;disk:500"))))
	if code != 202 || body != "" || hdr.Get("Content-Type") != "" {
		t.Fatalf("RESERVE_RESOURCES: %d %q %q", code, body, hdr.Get("Content-Type"))
	}
	if got := s.expect(schedulerpb.Event_RESCIND).GetRescind().GetOfferId().GetValue(); got != offers[0].GetId().GetValue() {
		t.Errorf("rescinded %q", got)
	}
	if !contains(e.agents[0].got, "CheckpointResourcesMessage") {
		t.Errorf("agent not told to checkpoint: %v", e.agents[0].got)
	}
	total := func() resources.Resources {
		t.Helper()
		r, err := resources.FromProto(op.get(mediatype.Protobuf, callOf(masterpb.Call_GET_AGENTS)).GetGetAgents().GetAgents()[0].GetTotalResources())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	wantTotal := resources.MustParse("cpus:3;mem:3584;disk:500").Plus(resources.MustFromProto(reserved("cpus:1;mem:512;disk:500")))
	if got := total(); !got.Equal(wantTotal) {
		t.Errorf("total after RESERVE: %s, want %s", got, wantTotal)
	}
	// More than the agent has: 409.
	if code, body, _ := op.call(mediatype.JSON, reserve(agent, reserved("cpus:10"))); code != 409 || !strings.Contains(body, "does not contain") {
		t.Errorf("RESERVE beyond the agent: %d %q", code, body)
	}
	// A persistent volume on the reservation, then destroyed.
	vol := reserved("disk:100")
	vol[0].Disk = &mesospb.Resource_DiskInfo{Persistence: &mesospb.Resource_DiskInfo_Persistence{Id: proto.String("v1"), Principal: proto.String("ops")},
		Volume: &mesospb.Volume{ContainerPath: proto.String("data"), Mode: mesospb.Volume_RW.Enum()}}
	op.do(&masterpb.Call{Type: masterpb.Call_CREATE_VOLUMES.Enum(), CreateVolumes: &masterpb.Call_CreateVolumes{AgentId: agent, Volumes: vol}}, 202)
	if got := total(); !got.Contains(resources.MustFromProto(vol)) {
		t.Errorf("total after CREATE_VOLUMES: %s", got)
	}
	if code, body, _ := op.call(mediatype.JSON, &masterpb.Call{Type: masterpb.Call_CREATE_VOLUMES.Enum(), CreateVolumes: &masterpb.Call_CreateVolumes{AgentId: agent, Volumes: vol}}); code != 400 ||
		!strings.HasSuffix(body, "Persistence ID 'v1' is not unique") {
		t.Errorf("CREATE_VOLUMES twice: %d %q", code, body)
	}
	if code, body, _ := op.call(mediatype.JSON, unreserve(vol)); code != 400 || !strings.HasPrefix(body, "Invalid UNRESERVE operation: A dynamically reserved persistent volume") {
		t.Errorf("UNRESERVE of a volume: %d %q", code, body)
	}
	op.do(&masterpb.Call{Type: masterpb.Call_DESTROY_VOLUMES.Enum(), DestroyVolumes: &masterpb.Call_DestroyVolumes{AgentId: agent, Volumes: vol}}, 202)
	if code, body, _ := op.call(mediatype.JSON, &masterpb.Call{Type: masterpb.Call_DESTROY_VOLUMES.Enum(), DestroyVolumes: &masterpb.Call_DestroyVolumes{AgentId: agent, Volumes: vol}}); code != 400 ||
		body != "Invalid DESTROY operation: Persistent volumes not found" {
		t.Errorf("DESTROY_VOLUMES twice: %d %q", code, body)
	}
	op.do(unreserve(reserved("cpus:1;mem:512;disk:500")), 202)
	if got := total(); !got.Equal(resources.MustParse("cpus:4;mem:4096;disk:1000")) {
		t.Errorf("total after UNRESERVE: %s", got)
	}
	if code, body, _ := op.call(mediatype.JSON, unreserve(mustRes("cpus:1"))); code != 400 || !strings.HasSuffix(body, "is not dynamically reserved") {
		t.Errorf("UNRESERVE of unreserved: %d %q", code, body)
	}
}

func TestOperatorTeardownAndMarkGone(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	op := e.operator()
	s, o, _ := launched(t, e, fwInfo("fw"))
	teardown := func(id string) *masterpb.Call {
		return &masterpb.Call{Type: masterpb.Call_TEARDOWN.Enum(), Teardown: &masterpb.Call_Teardown{FrameworkId: &mesospb.FrameworkID{Value: proto.String(id)}}}
	}
	if code, body, _ := op.call(mediatype.JSON, teardown("nope")); code != 400 || body != "No framework found with specified ID" {
		t.Errorf("TEARDOWN unknown: %d %q", code, body)
	}
	op.do(teardown(s.id), 200)
	var completed []string
	e.do(func() { completed = e.m.CompletedFrameworks() })
	if len(completed) != 1 || completed[0] != s.id {
		t.Errorf("completed frameworks %v", completed)
	}
	if !contains(e.agents[0].got, "ShutdownFrameworkMessage") {
		t.Errorf("agent not told: %v", e.agents[0].got)
	}
	gone := func(id string) *masterpb.Call {
		return &masterpb.Call{Type: masterpb.Call_MARK_AGENT_GONE.Enum(), MarkAgentGone: &masterpb.Call_MarkAgentGone{AgentId: agentID(id)}}
	}
	if code, body, _ := op.call(mediatype.JSON, gone("nope")); code != 404 || body != "Agent 'nope' not found" {
		t.Errorf("MARK_AGENT_GONE unknown: %d %q", code, body)
	}
	op.do(gone(o.GetAgentId().GetValue()), 200)
	op.do(gone(o.GetAgentId().GetValue()), 200) // again: already gone, still 200
	if n := len(op.get(mediatype.JSON, callOf(masterpb.Call_GET_AGENTS)).GetGetAgents().GetAgents()); n != 0 {
		t.Errorf("%d agents after MARK_AGENT_GONE", n)
	}
}

// The operator event stream sees a framework, its task's life, and the
// agent's removal in order, with heartbeats every 15 s.
func TestOperatorSubscribeEvents(t *testing.T) {
	for _, mt := range encodings {
		t.Run(mt.String(), func(t *testing.T) {
			e := newEnv(t, "cpus:4;mem:4096")
			op := e.operator()
			sub := op.subscribe(mt)
			first := sub.expect(masterpb.Event_SUBSCRIBED).GetSubscribed()
			if first.GetHeartbeatIntervalSeconds() != 15 || len(first.GetGetState().GetGetAgents().GetAgents()) != 1 {
				t.Fatalf("SUBSCRIBED %v", first)
			}
			sub.expect(masterpb.Event_HEARTBEAT)
			var n int
			e.do(func() { n = e.m.OperatorSubscribers() })
			if n != 1 {
				t.Errorf("%d subscribers", n)
			}

			s, o, _ := launched(t, e, fwInfo("fw"))
			added := sub.expect(masterpb.Event_FRAMEWORK_ADDED).GetFrameworkAdded().GetFramework()
			if added.GetFrameworkInfo().GetId().GetValue() != s.id || !added.GetConnected() || added.RegisteredTime == nil || added.UnregisteredTime == nil {
				t.Errorf("FRAMEWORK_ADDED %v", added)
			}
			task := sub.expect(masterpb.Event_TASK_ADDED).GetTaskAdded().GetTask()
			if task.GetTaskId().GetValue() != "t1" || task.GetState() != mesospb.TaskState_TASK_STAGING || len(task.GetStatuses()) != 0 {
				t.Errorf("TASK_ADDED %v", task)
			}
			up := sub.expect(masterpb.Event_TASK_UPDATED).GetTaskUpdated()
			if up.GetFrameworkId().GetValue() != s.id || up.GetState() != mesospb.TaskState_TASK_RUNNING || up.GetStatus().GetState() != mesospb.TaskState_TASK_RUNNING {
				t.Errorf("TASK_UPDATED %v", up)
			}
			s.call(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: &schedulerpb.Call_Kill{TaskId: up.GetStatus().GetTaskId()}})
			if got := sub.expect(masterpb.Event_TASK_UPDATED).GetTaskUpdated().GetState(); got != mesospb.TaskState_TASK_KILLED {
				t.Errorf("TASK_UPDATED after KILL: %v", got)
			}
			// A re-sent update of the same state makes no event.
			e.do(func() { e.agents[0].update(s.id, "t1", mesospb.TaskState_TASK_KILLED) })
			sub.none()

			e.advance(14 * time.Second)
			sub.none()
			e.advance(time.Second)
			sub.expect(masterpb.Event_HEARTBEAT)

			// UPDATE_FRAMEWORK with a new name: FRAMEWORK_UPDATED.
			info := fwInfo("renamed")
			info.Id = &mesospb.FrameworkID{Value: proto.String(s.id)}
			if code, body := s.call(&schedulerpb.Call{Type: schedulerpb.Call_UPDATE_FRAMEWORK.Enum(), UpdateFramework: &schedulerpb.Call_UpdateFramework{FrameworkInfo: info}}); code != 200 {
				t.Fatalf("UPDATE_FRAMEWORK %d %q", code, body)
			}
			if got := sub.expect(masterpb.Event_FRAMEWORK_UPDATED).GetFrameworkUpdated().GetFramework().GetFrameworkInfo().GetName(); got != "renamed" {
				t.Errorf("FRAMEWORK_UPDATED name %q", got)
			}
			s.call(&schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum()})
			if got := sub.expect(masterpb.Event_FRAMEWORK_REMOVED).GetFrameworkRemoved().GetFrameworkInfo().GetId().GetValue(); got != s.id {
				t.Errorf("FRAMEWORK_REMOVED %q", got)
			}

			// The agent shuts down gracefully: AGENT_REMOVED.
			e.do(func() { e.agents[0].send(&msg.UnregisterAgent{AgentID: e.agents[0].id}) })
			if got := sub.expect(masterpb.Event_AGENT_REMOVED).GetAgentRemoved().GetAgentId().GetValue(); got != o.GetAgentId().GetValue() {
				t.Errorf("AGENT_REMOVED %q", got)
			}
			// A new agent: AGENT_ADDED.
			e.do(func() { e.agents = append(e.agents, newFakeAgent(e.l, e.net, "agent-9", "cpus:1;mem:256")) })
			if got := sub.expect(masterpb.Event_AGENT_ADDED).GetAgentAdded().GetAgent().GetAgentInfo().GetHostname(); got != "agent-9.example" {
				t.Errorf("AGENT_ADDED %q", got)
			}

			// The client goes away: the master forgets the subscriber.
			sub.resp.Body.Close()
			e.waitFor(func() bool { return e.m.OperatorSubscribers() == 0 })
		})
	}
}

// TASK_UPDATED carries the master-made updates of an agent marked gone.
func TestOperatorSubscribeMarkGone(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096")
	op := e.operator()
	s, o, _ := launched(t, e, fwInfo("fw"))
	sub := op.subscribe(mediatype.Protobuf)
	st := sub.expect(masterpb.Event_SUBSCRIBED).GetSubscribed().GetGetState()
	if len(st.GetGetTasks().GetTasks()) != 1 || len(st.GetGetFrameworks().GetFrameworks()) != 1 {
		t.Fatalf("SUBSCRIBED state %v", st)
	}
	sub.expect(masterpb.Event_HEARTBEAT)
	op.do(&masterpb.Call{Type: masterpb.Call_MARK_AGENT_GONE.Enum(), MarkAgentGone: &masterpb.Call_MarkAgentGone{AgentId: o.GetAgentId()}}, 200)
	up := sub.expect(masterpb.Event_TASK_UPDATED).GetTaskUpdated()
	if up.GetState() != mesospb.TaskState_TASK_LOST || up.GetStatus().GetReason() != mesospb.TaskStatus_REASON_AGENT_REMOVED || up.GetFrameworkId().GetValue() != s.id {
		t.Errorf("TASK_UPDATED %v", up)
	}
	sub.none() // no AGENT_REMOVED for a gone agent, as in Mesos
}

// The oldest operator stream is closed beyond MaxOperatorSubscribers, and
// all of them end when the master stops.
func TestOperatorSubscriberLimitAndStop(t *testing.T) {
	e := newEnv(t)
	var subs []*master.OperatorSubscription
	e.do(func() {
		for i := 0; i < master.MaxOperatorSubscribers+1; i++ {
			subs = append(subs, e.m.OperatorSubscribe())
		}
	})
	if !subs[0].Closed() || subs[1].Closed() {
		t.Fatalf("closed: oldest %v, second %v", subs[0].Closed(), subs[1].Closed())
	}
	events, _ := subs[1].Drain()
	if len(events) != 2 || events[0].GetType() != masterpb.Event_SUBSCRIBED || events[1].GetType() != masterpb.Event_HEARTBEAT {
		t.Fatalf("first events %v", events)
	}
	e.do(func() { e.m.Stop() })
	for i, s := range subs {
		if !s.Closed() {
			t.Fatalf("stream %d open after Stop", i)
		}
	}
	var n int
	e.do(func() { n = e.m.OperatorSubscribers() })
	if n != 0 {
		t.Errorf("%d subscribers after Stop", n)
	}
}

// The maintenance and draining calls reach the master's maintenance
// methods: refusals keep their status and text, and a machine taken DOWN
// removes its agent with AGENT_REMOVED.
func TestOperatorMaintenance(t *testing.T) {
	e := newEnv(t, "cpus:4;mem:4096", "cpus:4;mem:4096")
	op := e.operator()
	sub := op.subscribe(mediatype.JSON)
	sub.expect(masterpb.Event_SUBSCRIBED)
	sub.expect(masterpb.Event_HEARTBEAT)
	var agent1, agent2 string
	e.do(func() { agent1, agent2 = e.agents[0].id, e.agents[1].id })
	machine := &mesospb.MachineID{Hostname: proto.String("agent-1.example"), Ip: proto.String("127.0.0.1")}
	schedule := &maintenancepb.Schedule{Windows: []*maintenancepb.Window{{
		MachineIds:     []*mesospb.MachineID{machine},
		Unavailability: &mesospb.Unavailability{Start: &mesospb.TimeInfo{Nanoseconds: proto.Int64(e.l.Now().Add(time.Hour).UnixNano())}},
	}}}
	machines := func(t masterpb.Call_Type) *masterpb.Call {
		c := callOf(t)
		if t == masterpb.Call_START_MAINTENANCE {
			c.StartMaintenance = &masterpb.Call_StartMaintenance{Machines: []*mesospb.MachineID{machine}}
		} else {
			c.StopMaintenance = &masterpb.Call_StopMaintenance{Machines: []*mesospb.MachineID{machine}}
		}
		return c
	}
	if code, body, _ := op.call(mediatype.JSON, machines(masterpb.Call_START_MAINTENANCE)); code != 400 ||
		body != `Machine '{"hostname":"agent-1.example","ip":"127.0.0.1"}' is not part of a maintenance schedule` {
		t.Errorf("START_MAINTENANCE unscheduled: %d %q", code, body)
	}
	op.do(&masterpb.Call{Type: masterpb.Call_UPDATE_MAINTENANCE_SCHEDULE.Enum(), UpdateMaintenanceSchedule: &masterpb.Call_UpdateMaintenanceSchedule{Schedule: schedule}}, 200)
	for _, mt := range encodings {
		got := op.get(mt, callOf(masterpb.Call_GET_MAINTENANCE_SCHEDULE)).GetGetMaintenanceSchedule().GetSchedule()
		if diff := cmp.Diff(schedule, got, protocmp.Transform()); diff != "" {
			t.Errorf("GET_MAINTENANCE_SCHEDULE %v (-want +got):\n%s", mt, diff)
		}
		status := op.get(mt, callOf(masterpb.Call_GET_MAINTENANCE_STATUS)).GetGetMaintenanceStatus().GetStatus()
		if len(status.GetDrainingMachines()) != 1 || status.GetDrainingMachines()[0].GetId().GetHostname() != "agent-1.example" {
			t.Errorf("GET_MAINTENANCE_STATUS %v: %v", mt, status)
		}
	}
	op.do(machines(masterpb.Call_START_MAINTENANCE), 200)
	if got := sub.expect(masterpb.Event_AGENT_REMOVED).GetAgentRemoved().GetAgentId().GetValue(); got != agent1 {
		t.Errorf("AGENT_REMOVED %q, want %q", got, agent1)
	}
	if down := op.get(mediatype.Protobuf, callOf(masterpb.Call_GET_MAINTENANCE_STATUS)).GetGetMaintenanceStatus().GetStatus().GetDownMachines(); len(down) != 1 {
		t.Errorf("down machines %v", down)
	}
	op.do(machines(masterpb.Call_STOP_MAINTENANCE), 200)

	agentCall := func(t masterpb.Call_Type, id string) *masterpb.Call {
		c := callOf(t)
		switch t {
		case masterpb.Call_DEACTIVATE_AGENT:
			c.DeactivateAgent = &masterpb.Call_DeactivateAgent{AgentId: agentID(id)}
		case masterpb.Call_REACTIVATE_AGENT:
			c.ReactivateAgent = &masterpb.Call_ReactivateAgent{AgentId: agentID(id)}
		case masterpb.Call_DRAIN_AGENT:
			c.DrainAgent = &masterpb.Call_DrainAgent{AgentId: agentID(id), MaxGracePeriod: durationpb.New(10 * time.Second)}
		}
		return c
	}
	errs := []struct {
		call *masterpb.Call
		text string
	}{
		{agentCall(masterpb.Call_DEACTIVATE_AGENT, "nope"), "Unknown agent"},
		{agentCall(masterpb.Call_DRAIN_AGENT, "nope"), "Unknown agent"},
		{agentCall(masterpb.Call_REACTIVATE_AGENT, agent2), "Agent is not deactivated"},
	}
	for _, tc := range errs {
		if code, body, _ := op.call(mediatype.JSON, tc.call); code != 400 || body != tc.text {
			t.Errorf("%v: %d %q, want 400 %q", tc.call.GetType(), code, body, tc.text)
		}
	}
	agentState := func() *masterpb.Response_GetAgents_Agent {
		for _, a := range op.get(mediatype.JSON, callOf(masterpb.Call_GET_AGENTS)).GetGetAgents().GetAgents() {
			if a.GetAgentInfo().GetId().GetValue() == agent2 {
				return a
			}
		}
		t.Fatalf("agent %s not in GET_AGENTS", agent2)
		return nil
	}
	op.do(agentCall(masterpb.Call_DEACTIVATE_AGENT, agent2), 200)
	if a := agentState(); a.GetActive() || !a.GetDeactivated() {
		t.Errorf("deactivated agent: active %v, deactivated %v", a.GetActive(), a.GetDeactivated())
	}
	op.do(agentCall(masterpb.Call_REACTIVATE_AGENT, agent2), 200)
	if a := agentState(); !a.GetActive() || a.GetDeactivated() {
		t.Errorf("reactivated agent: active %v, deactivated %v", a.GetActive(), a.GetDeactivated())
	}
	op.do(agentCall(masterpb.Call_DRAIN_AGENT, agent2), 200)
	a := agentState()
	if a.GetActive() || !a.GetDeactivated() || a.GetDrainInfo() == nil || a.GetDrainInfo().GetConfig().GetMaxGracePeriod().GetNanoseconds() != int64(10*time.Second) {
		t.Errorf("draining agent %v", a)
	}
}

// A reader that falls MaxQueuedEvents behind is disconnected.
func TestOperatorStreamOverflow(t *testing.T) {
	e := newEnvConfig(t, master.Config{MaxQueuedEvents: 3})
	var sub *master.OperatorSubscription
	e.do(func() { sub = e.m.OperatorSubscribe() }) // SUBSCRIBED, HEARTBEAT
	e.advance(15 * time.Second)                    // a third event: full
	if sub.Closed() || sub.Len() != 3 {
		t.Fatalf("closed %v with %d events", sub.Closed(), sub.Len())
	}
	e.advance(15 * time.Second) // a fourth: overflow
	var n int
	e.do(func() { n = e.m.OperatorSubscribers() })
	if !sub.Closed() || n != 0 {
		t.Fatalf("after overflow: closed %v, %d subscribers", sub.Closed(), n)
	}
	if events, closed := sub.Drain(); len(events) != 3 || !closed {
		t.Errorf("drained %d events, closed %v", len(events), closed)
	}
}
