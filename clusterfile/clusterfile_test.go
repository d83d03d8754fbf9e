package clusterfile_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/clusterfile"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/sim"
)

func TestTemplateParsesToDefault(t *testing.T) {
	f, err := clusterfile.Parse("cluster.json", []byte(clusterfile.Template))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(clusterfile.Default(), f); diff != "" {
		t.Errorf("Template parses to something else than Default() (-want +got):\n%s", diff)
	}
}

// exampleLine is a commented-out line of JSON in the template (prose lines
// never start with a quote, brace, bracket or comma).
var exampleLine = regexp.MustCompile(`^(\s*)//(\s+["{,\]])`)

// Uncommenting every example of the template gives a valid file that says
// what the examples say.
func TestTemplateExamplesParse(t *testing.T) {
	var lines []string
	for _, line := range strings.Split(clusterfile.Template, "\n") {
		lines = append(lines, exampleLine.ReplaceAllString(line, "$1  $2"))
	}
	text := strings.Join(lines, "\n")
	f, err := clusterfile.Parse("examples.json", []byte(text))
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	seed := uint64(42)
	want := clusterfile.Default()
	want.Seed = &seed
	want.Agents = append(want.Agents, clusterfile.AgentGroup{Count: 2, Resources: "cpus:8;mem:32768;gpus:1",
		Attributes: "rack:r2;ssd:true", Region: "eu-west", Zone: "eu-west-1a"})
	want.Roles = []string{"web", "batch"}
	want.Weights = map[string]float64{"web": 2, "batch": 1}
	want.Quota = map[string]clusterfile.Quota{"web": {Guarantee: "cpus:2;mem:4096", Limit: "cpus:8;mem:16384"}}
	want.Behaviors = []clusterfile.Behavior{
		{Name: "batch-*", Behavior: "run=30s exit=0"},
		{Command: "*flaky*", Behavior: "run=10s exit=1"},
	}
	if diff := cmp.Diff(want, f, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Faults" }, cmp.Ignore())); diff != "" {
		t.Errorf("examples (-want +got):\n%s", diff)
	}
	if len(f.Faults) == 0 {
		t.Error("the faults example was not read")
	}
}

func TestParse(t *testing.T) {
	seed := uint64(18446744073709551615)
	tests := []struct {
		name string
		text string
		want *clusterfile.File
	}{
		{"empty object", `{}`, &clusterfile.File{}},
		{"comments everywhere", `// head
{ // after a brace
  "addr": "localhost:0", // trailing
  // between
  "agents": [{"count": 1, "resources": "cpus:1"}] // last
}
// tail`, &clusterfile.File{Addr: "localhost:0", Agents: []clusterfile.AgentGroup{{Count: 1, Resources: "cpus:1"}}}},
		{"slashes inside strings are not comments", `{"agents": [{"count": 1, "resources": "cpus:1", "attributes": "url:http\u003a//x"}],
 "behaviors": [{"command": "curl http://x // y \" // z", "behavior": "run=1s"}]}`,
			&clusterfile.File{
				Agents:    []clusterfile.AgentGroup{{Count: 1, Resources: "cpus:1", Attributes: "url:http://x"}},
				Behaviors: []clusterfile.Behavior{{Command: `curl http://x // y " // z`, Behavior: "run=1s"}},
			}},
		{"largest seed, manual clock, null seed elsewhere", `{"seed": 18446744073709551615, "clock": {"mode": "manual", "speed": 0}}`,
			&clusterfile.File{Seed: &seed, Clock: clusterfile.Clock{Mode: "manual"}}},
		{"null seed", `{"seed": null}`, &clusterfile.File{}},
		{"roles, weights, quota", `{"roles": ["web", "batch"], "weights": {"web": 2.5}, "quota": {"batch": {"limit": "cpus:4"}}}`,
			&clusterfile.File{Roles: []string{"web", "batch"}, Weights: map[string]float64{"web": 2.5},
				Quota: map[string]clusterfile.Quota{"batch": {Limit: "cpus:4"}}}},
		{"master flags", `{"master": {"allocation_interval": "500ms", "offer_timeout": "30s", "agent_ping_timeout": "5s", "max_agent_ping_timeouts": 2}}`,
			&clusterfile.File{Master: clusterfile.Master{AllocationInterval: "500ms", OfferTimeout: "30s", AgentPingTimeout: "5s", MaxAgentPingTimeouts: 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := clusterfile.Parse("c.json", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, f); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{"empty file", ``, `c.json:1:1: unexpected end of file: the cluster object is not closed`},
		{"only comments", "// nothing\n", `c.json:1:1: unexpected end of file: the cluster object is not closed`},
		{"unclosed object", "{\n  \"addr\": \"x:1\"\n", `c.json:2:16: unexpected end of file: the cluster object is not closed`},
		{"trailing comma", "{\n  \"addr\": \"x:1\",\n}", `c.json:3:1: invalid character '}' looking for beginning of object key string`},
		{"missing comma", "{\"agents\": [\n  {\"count\": 1}\n  {\"count\": 2}\n]}", `c.json:3:3: invalid character '{' after array element`},
		{"single quotes", `{'addr': 1}`, `c.json:1:2: invalid character '\'' looking for beginning of object key string`},
		{"content after the object", "{}\n{}", `c.json:2:1: invalid character '{' after top-level value`},
		{"not an object", `[1]`, `c.json:1:1: the cluster file must hold one JSON object, not an array`},
		{"unknown field, close to a known one", "{\n  \"agnets\": []\n}", `c.json:2:3: unknown field "agnets" (did you mean "agents"?)`},
		{"field in the wrong case", `{"Seed": 1}`, `c.json:1:2: unknown field "Seed" (did you mean "seed"?)`},
		{"unknown field, far from any", `{"clock": {"tempo": 2}}`, `c.json:1:12: clock: unknown field "tempo" (known: mode, speed)`},
		{"unknown field in a group", `{"agents": [{"count": 1, "cpus": 4}]}`, `c.json:1:26: agents[0]: unknown field "cpus" (known: count, resources, attributes, region, zone)`},
		{"duplicate field", `{"seed": 1, "seed": 2}`, `c.json:1:13: field "seed" is given twice`},
		{"duplicate map key", `{"weights": {"a": 1, "a": 2}}`, `c.json:1:22: weights: key "a" is given twice`},
		{"string for a number", `{"agents": [{"count": "3"}]}`, `c.json:1:23: agents[0].count: want an integer, got a string "3"`},
		{"fraction for a count", `{"agents": [{"count": 1.5}]}`, `c.json:1:23: agents[0].count: want an integer in range, got 1.5`},
		{"negative seed", `{"seed": -1}`, `c.json:1:10: seed: want a non-negative integer below 2^64, got -1`},
		{"seed too large", `{"seed": 18446744073709551616}`, `c.json:1:10: seed: want a non-negative integer below 2^64, got 18446744073709551616`},
		{"number for a string", `{"addr": 5050}`, `c.json:1:10: addr: want a string, got the number 5050`},
		{"object for an array", `{"agents": {"count": 3}}`, `c.json:1:12: agents: want an array, got an object`},
		{"null where not allowed", `{"clock": null}`, `c.json:1:11: clock: want an object, got null`},
		{"bool for a number", `{"clock": {"speed": true}}`, `c.json:1:21: clock.speed: want a number, got true`},
		{"missing count", `{"agents": [{"resources": "cpus:1"}]}`, `c.json:1:13: agents[0]: missing field "count"`},
		{"missing behavior", `{"behaviors": [{"name": "x"}]}`, `c.json:1:16: behaviors[0]: missing field "behavior"`},
		{"bad resources", "{\n  \"agents\": [\n    {\"count\": 1, \"resources\": \"cpus:x\"}\n  ]\n}",
			`c.json:3:31: agents[0].resources: bad resource text "cpus:x": `},
		{"bad attributes", `{"agents": [{"count": 1, "resources": "", "attributes": "rack"}]}`,
			`c.json:1:57: agents[0].attributes: bad attribute text "rack": `},
		{"zone without region", `{"agents": [{"count": 1, "resources": "", "zone": "z"}]}`, `c.json:1:51: agents[0].zone: a zone needs a region too`},
		{"negative count", `{"agents": [{"count": -1, "resources": ""}]}`, `c.json:1:23: agents[0].count: want 0 or more agents, got -1`},
		{"too many agents", `{"agents": [{"count": 60000, "resources": ""}, {"count": 60000, "resources": ""}]}`,
			`c.json:1:12: agents: 120000 agents declared; at most 100000`},
		{"bad clock mode", `{"clock": {"mode": "fast"}}`, `c.json:1:20: clock.mode: want "real" or "manual", got "fast"`},
		{"negative speed", `{"clock": {"speed": -2}}`, `c.json:1:21: clock.speed: want a speed above 0 and at most 86400 (virtual seconds per wall second), got -2`},
		{"too many trace lines", `{"trace_lines": 2000000}`, `c.json:1:17: trace_lines: want 0 to 1000000 lines, got 2000000`},
		{"bad log level", `{"log_level": "loud"}`, `c.json:1:15: log_level: want one of error, warn, info, debug, trace, got "loud"`},
		{"bad addr", `{"addr": "5050"}`, `c.json:1:10: addr: want host:port, e.g. "127.0.0.1:5050": address 5050: missing port in address`},
		{"bad port", `{"addr": "localhost:http"}`, `c.json:1:10: addr: port "http" is not a number from 0 to 65535`},
		{"zero weight", `{"weights": {"web": 0}}`, `c.json:1:21: weights.web: want a positive weight, got 0`},
		{"bad role in weights", `{"weights": {"-web": 1}}`, `c.json:1:14: weights.-web: Role component '-web' is invalid because it starts with a dash`},
		{"weight for an unlisted role", `{"roles": ["web"], "weights": {"batch": 1}}`, `c.json:1:32: weights.batch: role "batch" is not in roles [web]`},
		{"duplicate role", `{"roles": ["web", "web"]}`, `c.json:1:19: roles[1]: role "web" is listed twice`},
		{"quota for a subrole", `{"quota": {"eng/web": {"limit": "cpus:1"}}}`, `c.json:1:12: quota.eng/web: quota is for top-level roles; "eng/web" is not one`},
		{"bad quota text", `{"quota": {"web": {"guarantee": "cpus"}}}`, `c.json:1:33: quota.web.guarantee: bad quantity text "cpus": `},
		{"bad behaviour", `{"behaviors": [{"behavior": "run=soon"}]}`, `c.json:1:29: behaviors[0].behavior: mesos-sim.behavior "run=soon": `},
		{"empty behaviour", `{"behaviors": [{"behavior": " "}]}`, `c.json:1:29: behaviors[0].behavior: empty behaviour; say what the tasks do, e.g. "run=30s exit=1"`},
		{"bad duration", `{"master": {"agent_ping_timeout": "15"}}`, `c.json:1:35: master.agent_ping_timeout: want a duration such as "15s" or "1m30s", got "15"`},
		{"zero allocation interval", `{"master": {"allocation_interval": "0s"}}`, `c.json:1:36: master.allocation_interval: want a positive duration, got "0s"`},
		{"negative ping timeouts", `{"master": {"max_agent_ping_timeouts": -1}}`, `c.json:1:40: master.max_agent_ping_timeouts: want a positive count, got -1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := clusterfile.Parse("c.json", []byte(tt.text))
			if err == nil {
				t.Fatalf("parsed to %+v, want error %q", f, tt.want)
			}
			got := err.Error()
			// Messages of other packages (resources, agent) are checked only
			// up to where ours end, marked by a trailing ": ".
			if strings.HasSuffix(tt.want, ": ") {
				if !strings.HasPrefix(got, tt.want) {
					t.Errorf("error\n got %s\nwant %s...", got, tt.want)
				}
			} else if got != tt.want {
				t.Errorf("error\n got %s\nwant %s", got, tt.want)
			}
			var fe *clusterfile.Error
			if !errors.As(err, &fe) || fe.File != "c.json" {
				t.Errorf("error %v is not a *clusterfile.Error of c.json", err)
			}
		})
	}
}

// Every semantic problem is reported, in file order.
func TestParseReportsEveryProblem(t *testing.T) {
	text := `{
  "weights": {"web": -1},
  "clock": {"mode": "slow"},
  "agents": [{"count": 1, "resources": "cpus:x"}]
}`
	_, err := clusterfile.Parse("c.json", []byte(text))
	if err == nil {
		t.Fatal("no error")
	}
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		lines = append(lines, l[:strings.Index(l, ": ")+1])
	}
	want := []string{"c.json:2:22:", "c.json:3:21:", "c.json:4:40:"}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("error positions (-want +got):\n%s\n%v", diff, err)
	}
}

func TestStripCommentsKeepsOffsets(t *testing.T) {
	in := "{\"a\": \"//x\\\"//\", // c1 é\n\"b\": 1 //\n}"
	want := "{\"a\": \"//x\\\"//\",         \n\"b\": 1   \n}"
	got := string(clusterfile.StripComments([]byte(in)))
	if got != want {
		t.Errorf("StripComments\n got %q\nwant %q", got, want)
	}
	if len(got) != len(in) {
		t.Errorf("length %d, want %d", len(got), len(in))
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		pattern, text string
		want          bool
	}{
		{"", "anything", true},
		{"web-*", "web-1", true},
		{"web-*", "db-1", false},
		{"*flaky*", "./bin/flaky --x", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"a.c", "abc", false},
		{"(x)+", "(x)+", true},
	}
	for _, tt := range tests {
		re := clusterfile.Glob(tt.pattern)
		got := re == nil || re.MatchString(tt.text)
		if got != tt.want {
			t.Errorf("Glob(%q) matches %q = %v, want %v", tt.pattern, tt.text, got, tt.want)
		}
	}
}

// A file's options build the cluster it describes.
func TestOptionsBuildTheCluster(t *testing.T) {
	text := `{
  "seed": 9,
  "clock": {"mode": "manual"},
  "agents": [
    {"count": 2, "resources": "cpus:2;mem:1024"},
    {"count": 1, "resources": "cpus:8;mem:4096", "attributes": "rack:r2", "region": "r", "zone": "z"}
  ],
  "weights": {"web": 3},
  "behaviors": [{"name": "job-*", "behavior": "run=5s"}],
  "master": {"allocation_interval": "2s", "agent_ping_timeout": "5s", "max_agent_ping_timeouts": 2}
}`
	f, err := clusterfile.Parse("c.json", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := f.Options()
	if err != nil {
		t.Fatal(err)
	}
	c := sim.New(t, opts...)
	if c.Seed() != 9 {
		t.Errorf("seed %d, want 9", c.Seed())
	}
	var got []string
	for _, a := range c.AgentStates() {
		got = append(got, a.Name+" "+strings.ReplaceAll(a.Total.String(), "; ", ";"))
	}
	want := []string{
		"agent-1 cpus:2;mem:1024;disk:10240;ports:[31000-32000]",
		"agent-2 cpus:2;mem:1024;disk:10240;ports:[31000-32000]",
		"agent-3 cpus:8;mem:4096;disk:10240;ports:[31000-32000]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("agents (-want +got):\n%s", diff)
	}
	var cfg master.Config
	c.Master(func(m *master.Master) { cfg = m.Config() })
	if cfg.AllocationInterval != 2*time.Second || cfg.AgentPingTimeout != 5*time.Second || cfg.MaxAgentPingTimeouts != 2 {
		t.Errorf("master config %+v", cfg)
	}
}

func TestOptionsRejectInvalid(t *testing.T) {
	f := clusterfile.Default()
	f.Agents[0].Resources = "cpus:-"
	if _, err := f.Options(); err == nil || !strings.HasPrefix(err.Error(), `agents[0].resources: bad resource text "cpus:-"`) {
		t.Errorf("Options() error = %v", err)
	}
}

func TestBehaviorMatcher(t *testing.T) {
	task := func(name, cmd string) *mesospb.TaskInfo {
		return &mesospb.TaskInfo{Name: proto.String(name), Command: &mesospb.CommandInfo{Value: proto.String(cmd)}}
	}
	tests := []struct {
		b    clusterfile.Behavior
		task *mesospb.TaskInfo
		want bool
	}{
		{clusterfile.Behavior{}, task("x", "y"), true},
		{clusterfile.Behavior{Name: "batch-*"}, task("batch-7", "./run"), true},
		{clusterfile.Behavior{Name: "batch-*"}, task("web-7", "./run"), false},
		{clusterfile.Behavior{Command: "*flaky*"}, task("a", "/opt/flaky.sh --x"), true},
		{clusterfile.Behavior{Name: "a*", Command: "*flaky*"}, task("b", "/opt/flaky.sh"), false},
		{clusterfile.Behavior{Command: "sleep *"}, &mesospb.TaskInfo{Name: proto.String("no command")}, false},
	}
	for _, tt := range tests {
		if got := tt.b.Matcher()(tt.task); got != tt.want {
			t.Errorf("%+v matches %v = %v, want %v", tt.b, tt.task, got, tt.want)
		}
	}
}

// Keys that are not simple names are quoted in paths.
func TestOddKeysInPaths(t *testing.T) {
	_, err := clusterfile.Parse("c.json", []byte(`{"weights": {"a b": 1}}`))
	want := `c.json:1:14: weights["a b"]: Role component 'a b' is invalid because it contains backspace or whitespace`
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
}

// A schedule in the file is checked when the file is read, and installed
// by Options: it fires on the cluster's virtual time.
func TestFaultsInTheFile(t *testing.T) {
	_, err := clusterfile.Parse("c.json", []byte(`{"faults": [{"at": "10s", "fault": {"kind": "partition"}}]}`))
	if want := `c.json:1:12: faults: step 1: fault: partition: agent: missing`; err == nil || err.Error() != want {
		t.Errorf("error %v\nwant  %s", err, want)
	}
	f, err := clusterfile.Parse("c.json", []byte(`{"clock": {"mode": "manual"}, "agents": [{"count": 2, "resources": ""}],
	  "faults": [{"at": "10s", "fault": {"kind": "crash-agent", "agent": "agent-2"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	opts, err := f.Options()
	if err != nil {
		t.Fatal(err)
	}
	c := sim.New(t, opts...)
	c.Advance(9 * time.Second)
	if !c.AgentStates()[1].Running {
		t.Fatal("agent-2 crashed before 10 s")
	}
	c.Advance(time.Second)
	if c.AgentStates()[1].Running {
		t.Error("agent-2 still runs at 10 s")
	}
}
