package main

// End-to-end tests: the real binary, built once, started on a free port
// and driven from outside as a user would — Mesos clients in JSON and
// protobuf, the CLI, signals.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/clusterfile"
	"github.com/mesos-sim/mesos-sim/control"
)

// binary is the mesos-sim binary built for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "mesos-sim-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "mesos-sim")
	args := []string{"build", "-o", binary}
	if raceBuild {
		args = append(args, "-race")
	}
	out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building mesos-sim: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running simulator.
type proc struct {
	t      testing.TB
	cmd    *exec.Cmd
	url    string
	banner string
	stderr *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // its exit, once done
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var listening = regexp.MustCompile(`^mesos-sim listening on (http://\S+)$`)

// start runs the binary on a free port with args and waits until it says
// where it listens. The process is stopped (SIGTERM, then SIGKILL) when
// the test ends.
func start(t testing.TB, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, stderr: &syncBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(binary, append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	p.cmd.Stderr = p.stderr
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urls := make(chan string, 1)
	ready := urls
	var banner strings.Builder
	go func() {
		// The banner runs from "mesos-sim listening on URL" to "Stop with
		// ..."; then the output is only read, so the process never blocks.
		sc := bufio.NewScanner(stdout)
		var url string
		for sc.Scan() {
			if urls == nil {
				continue
			}
			banner.WriteString(sc.Text() + "\n")
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				url = m[1]
			}
			if strings.HasPrefix(sc.Text(), "Stop with") && url != "" {
				urls <- url
				urls = nil
			}
		}
		if urls != nil {
			close(urls)
		}
	}()
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop() })
	select {
	case u, ok := <-ready:
		if !ok {
			<-p.done
			t.Fatalf("mesos-sim exited (%v) without saying where it listens; stderr:\n%s", p.err, p.stderr)
		}
		p.url = u
	case <-time.After(30 * time.Second):
		t.Fatalf("mesos-sim did not start in 30 s; stderr:\n%s", p.stderr)
	}
	p.banner = banner.String()
	return p
}

// stop sends SIGTERM and waits for the process to exit; it kills it if it
// does not within 10 s.
func (p *proc) stop() error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
		p.t.Errorf("mesos-sim did not exit within 10 s of SIGTERM; stderr:\n%s", p.stderr)
		return p.err
	}
}

// cli runs a client subcommand against p and returns its exit code, stdout
// and stderr.
func (p *proc) cli(args ...string) (int, string, string) {
	p.t.Helper()
	return runCLI(p.t, append(args, "--master", p.url)...)
}

func runCLI(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errOut.String()
}

func (p *proc) clusterInfo() *control.ClusterInfo {
	p.t.Helper()
	info, err := control.NewClient(p.url).Cluster(context.Background())
	if err != nil {
		p.t.Fatal(err)
	}
	return info
}

// jsonFramework is a scheduler written as a JSON client in any language
// would be: raw JSON bodies, RecordIO frames of JSON events.
type jsonFramework struct {
	t        testing.TB
	url      string
	streamID string
	id       string
	events   *recordio.Reader
	body     io.ReadCloser
}

func subscribeJSON(t testing.TB, base, name string) *jsonFramework {
	t.Helper()
	return subscribeJSONInfo(t, base, fmt.Sprintf(`{"user":"e2e","name":%q}`, name))
}

// subscribeJSONInfo subscribes with the FrameworkInfo given as JSON.
func subscribeJSONInfo(t testing.TB, base, info string) *jsonFramework {
	t.Helper()
	f := &jsonFramework{t: t, url: base + "/api/v1/scheduler"}
	body := `{"type":"SUBSCRIBE","subscribe":{"framework_info":` + info + `}}`
	req, _ := http.NewRequest(http.MethodPost, f.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("SUBSCRIBE: %d %s", resp.StatusCode, b)
	}
	f.streamID = resp.Header.Get("Mesos-Stream-Id")
	f.events, f.body = recordio.NewReader(resp.Body), resp.Body
	t.Cleanup(func() { f.body.Close() })
	ev := f.next("SUBSCRIBED")
	f.id = ev["subscribed"].(map[string]any)["framework_id"].(map[string]any)["value"].(string)
	return f
}

// next reads events until one of type want, skipping others.
func (f *jsonFramework) next(want string) map[string]any {
	f.t.Helper()
	for {
		rec, err := f.events.ReadRecord()
		if err != nil {
			f.t.Fatalf("waiting for %s: %v", want, err)
		}
		var ev map[string]any
		if err := json.Unmarshal(rec, &ev); err != nil {
			f.t.Fatalf("event %q: %v", rec, err)
		}
		if ev["type"] == want {
			return ev
		}
	}
}

func (f *jsonFramework) call(body string) {
	f.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, f.url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Mesos-Stream-Id", f.streamID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		f.t.Fatalf("call %s: %d %s", body, resp.StatusCode, b)
	}
}

// launch launches one task on the first offer and waits for TASK_RUNNING.
func (f *jsonFramework) launch(taskID, command string) {
	f.t.Helper()
	offer := f.next("OFFERS")["offers"].(map[string]any)["offers"].([]any)[0].(map[string]any)
	offerID := offer["id"].(map[string]any)["value"].(string)
	agentID := offer["agent_id"].(map[string]any)["value"].(string)
	f.call(fmt.Sprintf(`{"framework_id":{"value":%q},"type":"ACCEPT","accept":{"offer_ids":[{"value":%q}],
	  "operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":%q,"task_id":{"value":%q},"agent_id":{"value":%q},
	  "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}},{"name":"mem","type":"SCALAR","scalar":{"value":64}}],
	  "command":{"value":%q}}]}}]}}`, f.id, offerID, taskID+"-name", taskID, agentID, command))
	for {
		st := f.next("UPDATE")["update"].(map[string]any)["status"].(map[string]any)
		f.call(fmt.Sprintf(`{"framework_id":{"value":%q},"type":"ACKNOWLEDGE","acknowledge":{"agent_id":{"value":%q},"task_id":{"value":%q},"uuid":%q}}`,
			f.id, agentID, taskID, st["uuid"]))
		if st["state"] == "TASK_RUNNING" {
			return
		}
	}
}

// protoFramework is a scheduler speaking protobuf, as mesos-go does.
type protoFramework struct {
	t        testing.TB
	url      string
	streamID string
	id       *mesospb.FrameworkID
	events   *recordio.Reader
	body     io.ReadCloser
}

func (f *protoFramework) post(call *schedulerpb.Call) *http.Response {
	f.t.Helper()
	b, err := proto.Marshal(call)
	if err != nil {
		f.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, f.url, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Accept", "application/x-protobuf")
	if f.streamID != "" {
		req.Header.Set("Mesos-Stream-Id", f.streamID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	return resp
}

func subscribeProto(t testing.TB, base, name string) *protoFramework {
	t.Helper()
	f := &protoFramework{t: t, url: base + "/api/v1/scheduler"}
	resp := f.post(&schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), Subscribe: &schedulerpb.Call_Subscribe{
		FrameworkInfo: &mesospb.FrameworkInfo{User: proto.String("e2e"), Name: proto.String(name)},
	}})
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("SUBSCRIBE: %d %s", resp.StatusCode, b)
	}
	f.streamID = resp.Header.Get("Mesos-Stream-Id")
	f.events, f.body = recordio.NewReader(resp.Body), resp.Body
	t.Cleanup(func() { f.body.Close() })
	f.id = f.next(schedulerpb.Event_SUBSCRIBED).GetSubscribed().GetFrameworkId()
	return f
}

func (f *protoFramework) next(want schedulerpb.Event_Type) *schedulerpb.Event {
	f.t.Helper()
	for {
		rec, err := f.events.ReadRecord()
		if err != nil {
			f.t.Fatalf("waiting for %v: %v", want, err)
		}
		ev := &schedulerpb.Event{}
		if err := proto.Unmarshal(rec, ev); err != nil {
			f.t.Fatal(err)
		}
		if ev.GetType() == want {
			return ev
		}
	}
}

func (f *protoFramework) call(call *schedulerpb.Call) {
	f.t.Helper()
	call.FrameworkId = f.id
	resp := f.post(call)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		f.t.Fatalf("%v: %d %s", call.GetType(), resp.StatusCode, b)
	}
}

func (f *protoFramework) launch(taskID string) {
	f.t.Helper()
	offer := f.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	task := &mesospb.TaskInfo{
		Name: proto.String(taskID + "-name"), TaskId: &mesospb.TaskID{Value: proto.String(taskID)}, AgentId: offer.GetAgentId(),
		Resources: []*mesospb.Resource{{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(0.5)}}},
		Command:   &mesospb.CommandInfo{Value: proto.String("./serve")},
	}
	f.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds: []*mesospb.OfferID{offer.GetId()},
		Operations: []*mesospb.Offer_Operation{{Type: mesospb.Offer_Operation_LAUNCH.Enum(),
			Launch: &mesospb.Offer_Operation_Launch{TaskInfos: []*mesospb.TaskInfo{task}}}},
	}})
	for {
		st := f.next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		f.call(&schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE.Enum(), Acknowledge: &schedulerpb.Call_Acknowledge{
			AgentId: st.GetAgentId(), TaskId: st.GetTaskId(), Uuid: st.GetUuid()}})
		if st.GetState() == mesospb.TaskState_TASK_RUNNING {
			return
		}
	}
}

// The whole user story: start, two frameworks in two encodings launch a
// task each, the CLI shows them, SIGTERM ends it all.
func TestEndToEnd(t *testing.T) {
	p := start(t, "--seed", "77", "--log-level", "debug") // debug: the access log wraps the event streams too
	for _, want := range []string{"scheduler API  " + p.url + "/api/v1/scheduler", "control API    " + p.url + "/sim/v1/",
		"seed           77 (replay with --seed 77)", "cluster        3 agents", "clock          real: 1 virtual second(s) per second"} {
		if !strings.Contains(p.banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, p.banner)
		}
	}
	jf := subscribeJSON(t, p.url, "json-fw")
	jf.launch("j1", "./serve --port 8080")
	pf := subscribeProto(t, p.url, "proto-fw")
	pf.launch("p1")

	code, out, errOut := p.cli("ps")
	if code != 0 {
		t.Fatalf("ps: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !regexp.MustCompile(`^ID\s+NAME\s+FRAMEWORK\s+AGENT\s+STATE$`).MatchString(lines[0]) {
		t.Fatalf("ps output:\n%s", out)
	}
	rows := map[string]bool{}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 5 || !strings.HasPrefix(f[3], "agent-") {
			t.Errorf("ps row %q", l)
			continue
		}
		rows[strings.Join([]string{f[0], f[1], f[2], f[4]}, " ")] = true
	}
	for _, want := range []string{"j1 j1-name json-fw TASK_RUNNING", "p1 p1-name proto-fw TASK_RUNNING"} {
		if !rows[want] {
			t.Errorf("ps lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = p.cli("ps", "-o", "json")
	var ps []psRow
	if err := json.Unmarshal([]byte(out), &ps); code != 0 || err != nil || len(ps) != 2 || ps[0].FrameworkID == "" {
		t.Errorf("ps -o json: exit %d, %v:\n%s", code, err, out)
	}

	code, out, _ = p.cli("info")
	for _, want := range []string{"seed           77", "agents         3 (3 running, 3 registered)", "frameworks     2 (2 connected)", "tasks          2"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("info lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = p.cli("frameworks")
	if code != 0 || !strings.Contains(out, "json-fw") || !strings.Contains(out, "proto-fw") {
		t.Errorf("frameworks:\n%s", out)
	}
	code, out, _ = p.cli("agents")
	if code != 0 || strings.Count(out, "registered") != 3 {
		t.Errorf("agents:\n%s", out)
	}
	code, out, _ = p.cli("trace")
	if code != 0 || !strings.Contains(out, "j1") {
		t.Errorf("trace:\n%s", out)
	}
	// Advancing a real clock is refused, with a reason.
	code, _, errOut = p.cli("advance", "10s")
	if code != 1 || !strings.Contains(errOut, "mesos-sim advance: the clock is real") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("advance on a real clock: exit %d, stderr %q", code, errOut)
	}

	// SIGTERM: the event streams end, the process exits 0.
	if err := p.stop(); err != nil {
		t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, p.stderr)
	}
	for {
		if _, err := jf.events.ReadRecord(); err != nil {
			break // the stream ended with the process
		}
	}
	if log := p.stderr.String(); !strings.Contains(log, "msg=http method=POST path=/api/v1/scheduler status=202") ||
		!strings.Contains(log, "msg=http method=GET path=/sim/v1/cluster status=200") {
		t.Errorf("the debug log lacks the requests:\n%s", log)
	}
	if err := syscall.Kill(p.cmd.Process.Pid, 0); err != syscall.ESRCH {
		t.Errorf("the process is still there after it exited: kill -0 says %v", err)
	}
}

func TestManualClock(t *testing.T) {
	p := start(t, "--clock=manual", "--agents", "1")
	if !strings.Contains(p.banner, `manual: virtual time moves only with "mesos-sim advance DURATION"`) {
		t.Errorf("banner:\n%s", p.banner)
	}
	jf := subscribeJSON(t, p.url, "clocked")
	jf.next("HEARTBEAT") // the first comes at once
	code, out, errOut := p.cli("advance", "90s")
	if code != 0 || !regexp.MustCompile(`^virtual time 2026-01-01T00:01:30Z \(\+1m30s\)\n$`).MatchString(out) {
		t.Fatalf("advance: exit %d, %q %q", code, out, errOut)
	}
	jf.next("HEARTBEAT") // due at 15 s of virtual time, sent by the advance
	info := p.clusterInfo()
	if info.Elapsed != "1m30s" || info.Clock != "manual" {
		t.Errorf("after advance: elapsed %s clock %s", info.Elapsed, info.Clock)
	}
	code, out, _ = p.cli("advance", "30s", "-o", "json")
	var ci control.ClockInfo
	if err := json.Unmarshal([]byte(out), &ci); code != 0 || err != nil || ci.Elapsed != "2m0s" {
		t.Errorf("advance -o json: %d %v %q", code, err, out)
	}
	// Ctrl-C: a clean exit, 0, and the stream ends.
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
		if p.err != nil {
			t.Errorf("exit after SIGINT: %v\n%s", p.err, p.stderr)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("mesos-sim did not exit within 10 s of SIGINT")
	}
	for {
		if _, err := jf.events.ReadRecord(); err != nil {
			break
		}
	}
}

func TestAgentsAddRemoveCLI(t *testing.T) {
	p := start(t, "--agents", "1", "--resources", "cpus:2;mem:512")
	code, out, errOut := p.cli("agents", "add", "--resources", "cpus:16;mem:65536", "--attributes", "rack:r2")
	if code != 0 || !strings.Contains(out, "agent-2") || !strings.Contains(out, "cpus:16;mem:65536") {
		t.Fatalf("agents add: %d %q %q", code, out, errOut)
	}
	code, out, _ = p.cli("agents", "remove", "agent-2", "-o", "json")
	var a control.Agent
	if err := json.Unmarshal([]byte(out), &a); code != 0 || err != nil || !a.Removed {
		t.Errorf("agents remove: %d %v %q", code, err, out)
	}
	code, _, errOut = p.cli("agents", "remove", "agent-7")
	if code != 1 || errOut != "mesos-sim agents remove: no agent named \"agent-7\" (agents: agent-1, agent-2) (404 Not Found)\n" {
		t.Errorf("agents remove agent-7: %d %q", code, errOut)
	}
}

func TestInit(t *testing.T) {
	code, out, _ := runCLI(t, "init")
	if code != 0 || out != clusterfile.Template {
		t.Fatalf("init to stdout: exit %d, output differs from the template", code)
	}
	path := filepath.Join(t.TempDir(), "cluster.json")
	if code, _, errOut := runCLI(t, "init", path); code != 0 {
		t.Fatalf("init %s: %d %s", path, code, errOut)
	}
	if code, _, errOut := runCLI(t, "init", path); code != 1 || errOut != "mesos-sim init: "+path+" already exists; not overwriting it\n" {
		t.Errorf("second init: %d %q", code, errOut)
	}
	// The written file starts a cluster; flags override it.
	p := start(t, "--config", path, "--agents", "2", "--seed", "5")
	if info := p.clusterInfo(); len(info.Agents) != 2 || info.Seed != 5 || info.Agents[0].Resources != clusterfile.DefaultResources {
		t.Errorf("cluster from the init file: %+v", info)
	}
}

func TestConfigFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(path, []byte(`{
  // two kinds of agents, a manual clock
  "seed": 3,
  "clock": {"mode": "manual"},
  "agents": [
    {"count": 1, "resources": "cpus:1;mem:256"},
    {"count": 2, "resources": "cpus:8;mem:8192", "region": "r1", "zone": "z1"}
  ],
  "weights": {"web": 2}
}`), 0o644)
	p := start(t, "--config", path)
	info := p.clusterInfo()
	if len(info.Agents) != 3 || info.Seed != 3 || info.Clock != "manual" || info.Agents[1].Resources != "cpus:8;mem:8192;disk:10240;ports:[31000-32000]" {
		t.Errorf("cluster from the file: %+v", info)
	}
}

func TestBadConfigAndFlags(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\n  \"agents\": [{\"count\": 2, \"resources\": \"cpus:two\"}]\n}\n"), 0o644)
	tests := []struct {
		args   []string
		stderr string // a prefix of stderr
	}{
		{[]string{"--config", bad}, "mesos-sim: " + bad + `:2:40: agents[0].resources: bad resource text "cpus:two"`},
		{[]string{"--config", filepath.Join(dir, "missing.json")}, "mesos-sim: reading cluster file: open "},
		{[]string{"--clock", "fast"}, `mesos-sim: --clock: clock.mode: want "real" or "manual", got "fast"`},
		{[]string{"--weights", "web=x"}, `mesos-sim: --weights: "web=x": weight "x" is not a number`},
		{[]string{"--weights", "web=0"}, `mesos-sim: --weights: weights.web: want a positive weight, got 0`},
		{[]string{"--roles", "web", "--weights", "batch=1"}, `mesos-sim: --weights: weights.batch: role "batch" is not in roles [web]`},
		{[]string{"--resources", "cpus"}, `mesos-sim: --resources: agents[0].resources: bad resource text "cpus"`},
		{[]string{"--agents", "-1"}, `mesos-sim: --agents: agents[0].count: want 0 or more agents, got -1`},
		{[]string{"--seed", "x"}, `invalid value "x" for flag -seed: want a non-negative integer below 2^64`},
		{[]string{"--log-level", "loud"}, `mesos-sim: --log-level: log_level: want one of error, warn, info, debug, trace, got "loud"`},
		{[]string{"extra"}, `mesos-sim: unknown command "extra"`},
		{[]string{"--speed", "-1"}, `mesos-sim: --speed: clock.speed: want a speed above 0`},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, append(tt.args, "--addr", "127.0.0.1:0")...)
		if code != 2 || out != "" || !strings.HasPrefix(errOut, tt.stderr) {
			t.Errorf("mesos-sim %s: exit %d, stdout %q, stderr:\n%s\nwant exit 2 and stderr starting %q", strings.Join(tt.args, " "), code, out, errOut, tt.stderr)
		}
	}
}

func TestCLIErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	tests := []struct {
		args   []string
		code   int
		stderr string // prefix
	}{
		{[]string{"ps", "--master", dead}, 1, "mesos-sim ps: cannot reach mesos-sim at " + dead + " (is it running? start it with: mesos-sim)"},
		{[]string{"ps", "extra"}, 2, "mesos-sim ps: unexpected argument \"extra\"\nRun \"mesos-sim help ps\" for usage.\n"},
		{[]string{"ps", "-o", "yaml"}, 2, "mesos-sim ps: -o \"yaml\": want table or json"},
		{[]string{"advance"}, 2, "mesos-sim advance: missing argument"},
		{[]string{"advance", "soon"}, 2, "mesos-sim advance: \"soon\": want a positive Go duration such as 90s or 1m30s"},
		{[]string{"fault"}, 2, "usage: mesos-sim fault KIND [ARGS] [flags]"},
		{[]string{"fault", "explode"}, 2, "mesos-sim fault: unknown kind \"explode\""},
		{[]string{"fault", "partition"}, 2, "mesos-sim fault partition: missing argument"},
		{[]string{"fault", "partition", "agent-1", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"nonsense"}, 2, "mesos-sim: unknown command \"nonsense\"; the commands are: init, info, ps,"},
		{[]string{"help", "nonsense"}, 2, "mesos-sim help: unknown command \"nonsense\""},
		{[]string{"init", "a", "b"}, 2, "mesos-sim init: one FILE at most, got 2 arguments"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(t, tt.args...)
		if code != tt.code || !strings.HasPrefix(errOut, tt.stderr) {
			t.Errorf("mesos-sim %s: exit %d, stderr:\n%s\nwant exit %d and stderr starting %q", strings.Join(tt.args, " "), code, errOut, tt.code, tt.stderr)
		}
	}
}

func TestHelp(t *testing.T) {
	code, out, _ := runCLI(t, "help")
	for _, want := range []string{"usage:", "-addr HOST:PORT", "-weights ROLE=W,...", "-clock real", "ps ", "fault KIND [ARGS]"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
	for _, c := range commands {
		if c.name == "help" {
			continue
		}
		code, out, _ := runCLI(t, "help", c.name)
		if code != 0 || !strings.Contains(out, "usage: mesos-sim "+c.name) {
			t.Errorf("help %s: exit %d:\n%s", c.name, code, out)
		}
	}
}

// Garbage on every path and broken connections leave the simulator
// serving.
func TestBadInputKeepsServing(t *testing.T) {
	p := start(t, "--agents", "1")
	post := func(path, ctype string, body io.Reader) int {
		req, _ := http.NewRequest(http.MethodPost, p.url+path, body)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		path, ctype, body string
		want              int
	}{
		{"/api/v1/scheduler", "application/json", "{not json", 400},
		{"/api/v1/scheduler", "application/x-protobuf", "\xff\xff\xff\xff garbage", 400},
		{"/api/v1/scheduler", "text/plain", "hello", 415},
		{"/api/v1/scheduler", "application/json", `{"type":"SUBSCRIBE"}`, 400},
		{"/master/api/v1/scheduler", "application/json", `[]`, 400},
		{"/sim/v1/faults", "", "\x00", 400},
		{"/sim/v1/agents", "", "{", 400},
		{"/sim/v1/clock/advance", "", `{"duration": []}`, 400},
	} {
		if got := post(tc.path, tc.ctype, strings.NewReader(tc.body)); got != tc.want {
			t.Errorf("POST %s %q: %d, want %d", tc.path, tc.body, got, tc.want)
		}
	}
	// A body over the limit, to the Mesos path and to the control API.
	if got := post("/api/v1/scheduler", "application/json", io.LimitReader(zeros{}, MaxMesosBodyBytes+1)); got != 400 {
		t.Errorf("huge scheduler body: %d", got)
	}
	if got := post("/sim/v1/agents", "", io.LimitReader(zeros{}, 2<<20)); got != 413 {
		t.Errorf("huge control body: %d", got)
	}
	// A stream its client drops mid-way, a connection that sends junk and
	// one that sends half a request.
	jf := subscribeJSON(t, p.url, "dropper")
	jf.body.Close()
	for _, junk := range []string{"\x16\x03\x01\x02\x00garbage\r\n\r\n", "POST /api/v1/scheduler HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ty"} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(p.url, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		conn.Write([]byte(junk))
		conn.Close()
	}
	// Still serving: a new framework subscribes and gets offers.
	ok := subscribeJSON(t, p.url, "after")
	ok.next("OFFERS")
	var after []string
	for _, f := range p.clusterInfo().Frameworks {
		if f.Name == "after" && f.Connected {
			after = append(after, f.ID)
		}
	}
	if len(after) != 1 {
		t.Errorf("frameworks %+v", p.clusterInfo().Frameworks)
	}
	if err := p.stop(); err != nil {
		t.Errorf("exit: %v\n%s", err, p.stderr)
	}
}

type zeros struct{}

func (zeros) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}

// A partition is noticed on virtual time: the master marks the agent
// unreachable when its health checks run out, and each framework hears of
// its task as it can understand it — TASK_UNREACHABLE if it is partition
// aware, TASK_LOST if not — stamped with the virtual time it happened.
func TestPartitionOnVirtualTime(t *testing.T) {
	p := start(t, "--clock=manual", "--agents", "1", "--seed", "21")
	jf := subscribeJSONInfo(t, p.url, `{"user":"e2e","name":"aware","capabilities":[{"type":"PARTITION_AWARE"}]}`)
	jf.launch("aware-1", "./serve")
	pf := subscribeProto(t, p.url, "unaware")
	pf.launch("unaware-1")

	if code, out, errOut := p.cli("fault", "partition", "agent-1"); code != 0 || out != "injected: partition agent-1 (both ways)\n" {
		t.Fatalf("fault partition: %d %q %q", code, out, errOut)
	}
	// Pings go every 15 s; the first lost one is at 15 s, and the fifth
	// timeout in a row, at 90 s, marks the agent unreachable.
	states := func() map[string]string {
		code, out, errOut := p.cli("ps", "-o", "json")
		var rows []psRow
		if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil {
			t.Fatalf("ps: %d %v %s", code, err, errOut)
		}
		m := map[string]string{}
		for _, r := range rows {
			m[r.ID] = r.State
		}
		return m
	}
	if code, _, errOut := p.cli("advance", "89s"); code != 0 {
		t.Fatalf("advance: %s", errOut)
	}
	if got := states(); got["aware-1"] != "TASK_RUNNING" || got["unaware-1"] != "TASK_RUNNING" {
		t.Errorf("at 89 s: %v, want both running", got)
	}
	if code, _, errOut := p.cli("advance", "1s"); code != 0 {
		t.Fatalf("advance: %s", errOut)
	}
	// The master no longer tracks them as live tasks.
	if got := states(); len(got) != 0 {
		t.Errorf("at 90 s: %v, want no live tasks", got)
	}
	epoch := float64(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
	st := jf.next("UPDATE")["update"].(map[string]any)["status"].(map[string]any)
	if st["state"] != "TASK_UNREACHABLE" || st["timestamp"].(float64) != epoch+90 {
		t.Errorf("partition-aware framework got %v at %v, want TASK_UNREACHABLE at epoch+90s", st["state"], st["timestamp"])
	}
	ps := pf.next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if ps.GetState() != mesospb.TaskState_TASK_LOST || ps.GetTimestamp() != epoch+90 {
		t.Errorf("other framework got %v at %v, want TASK_LOST at epoch+90s", ps.GetState(), ps.GetTimestamp())
	}
	if code, out, _ := p.cli("fault", "heal"); code != 0 || out != "injected: heal the network\n" {
		t.Errorf("fault heal: %d %q", code, out)
	}
}

// Every fault the CLI knows, and a schedule from a file, reach the cluster.
func TestFaultCLI(t *testing.T) {
	p := start(t, "--clock=manual", "--agents", "3")
	jf := subscribeJSON(t, p.url, "streamer")
	sched := filepath.Join(t.TempDir(), "sched.json")
	os.WriteFile(sched, []byte(`[{"after": "10s", "fault": {"kind": "crash-agent", "agent": "agent-3"}},
	  {"after": "5s", "fault": {"kind": "restart-agent", "agent": "agent-3", "recover": false}}]`), 0o644)
	steps := []struct {
		args []string
		out  string
	}{
		{[]string{"partition", "agent-1", "--direction", "to-agent"}, "injected: partition agent-1 (master to agent only)\n"},
		{[]string{"heal", "agent-1"}, "injected: heal agent-1\n"},
		{[]string{"crash-agent", "agent-2"}, "injected: crash agent-2\n"},
		{[]string{"restart-agent", "agent-2", "--no-recover"}, "injected: restart agent-2 (work directory lost: a new agent)\n"},
		{[]string{"cut-stream", "streamer"}, "injected: cut the event stream of framework streamer\n"},
		{[]string{"apply", sched}, "scheduled: after 10s: crash agent-3\nscheduled: after 5s: restart agent-3 (work directory lost: a new agent)\n"},
		{[]string{"failover"}, "injected: fail over the master\n"},
		{[]string{"lose-agent", "agent-1"}, "injected: lose agent-1 (crash, never to restart)\n"},
		{[]string{"mark-gone", "agent-1"}, "injected: mark agent-1 gone\n"},
	}
	for _, s := range steps {
		code, out, errOut := p.cli(append([]string{"fault"}, s.args...)...)
		if code != 0 || out != s.out {
			t.Errorf("fault %s: exit %d, stdout %q, stderr %q; want %q", strings.Join(s.args, " "), code, out, errOut, s.out)
		}
	}
	// The cut stream ended.
	for {
		if _, err := jf.events.ReadRecord(); err != nil {
			break
		}
	}
	// A lost agent does not restart; the error says why.
	code, _, errOut := p.cli("fault", "restart-agent", "agent-1")
	if code != 1 || !strings.Contains(errOut, "agent-1") || !strings.Contains(errOut, "(409 Conflict)") {
		t.Errorf("restart of a lost agent: %d %q", code, errOut)
	}
	// The schedule fires on virtual time: agent-3 is down from 10 s to 15 s.
	p.cli("advance", "12s")
	if a := p.clusterInfo().Agents[2]; a.Running {
		t.Errorf("at 12 s agent-3 runs: %+v", a)
	}
	p.cli("advance", "3s")
	if a := p.clusterInfo().Agents[2]; !a.Running {
		t.Errorf("at 15 s agent-3 is down: %+v", a)
	}
	// Bad input to fault apply is reported with the parser's words.
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`[{"at": "1s", "fault": {"kind": "partition"}}]`), 0o644)
	code, _, errOut = p.cli("fault", "apply", bad)
	if code != 1 || errOut != "mesos-sim fault apply: step 1: fault: partition: agent: missing (400 Bad Request)\n" {
		t.Errorf("fault apply bad: %d %q", code, errOut)
	}
}

// state prints the master's /master/state as it comes.
func TestStateCLI(t *testing.T) {
	p := start(t, "--agents", "2")
	subscribeJSON(t, p.url, "stated")
	code, out, errOut := p.cli("state")
	var state struct {
		Frameworks []struct {
			Name string `json:"name"`
		} `json:"frameworks"`
		Slaves []json.RawMessage `json:"slaves"`
	}
	if err := json.Unmarshal([]byte(out), &state); code != 0 || err != nil {
		t.Fatalf("state: exit %d, %v, stderr %q:\n%.300s", code, err, errOut, out)
	}
	if len(state.Slaves) != 2 || len(state.Frameworks) != 1 || state.Frameworks[0].Name != "stated" {
		t.Errorf("state: %d slaves, frameworks %+v", len(state.Slaves), state.Frameworks)
	}
}
