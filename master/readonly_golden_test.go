package master_test

import (
	"net/http"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/sim"
)

// goldenCluster builds the fixed cluster the golden files show: two
// agents (one with attributes and a fault domain), a framework with a
// running task and a finished, acknowledged one on the first agent, and
// its offer of the second agent outstanding. Everything happens at the
// first instant of virtual time.
func goldenCluster(t *testing.T) (*sim.Cluster, *sched) {
	t.Helper()
	c := sim.New(t, sim.Seed(11),
		sim.Agent(sim.AgentSpec{Resources: "cpus:4;mem:8192;disk:1024;ports:[31000-32000]", Attributes: "rack:r1;level:2", Region: "eu", Zone: "eu-1"}),
		sim.Agent(sim.AgentSpec{Resources: "cpus:2;mem:4096;disk:1024;ports:[31000-31099]"}),
	)
	s := subscribeSched(t, c, &mesospb.FrameworkInfo{
		User: proto.String("alice"), Name: proto.String("golden"), Hostname: proto.String("fw.example"),
		FailoverTimeout: proto.Float64(60), Checkpoint: proto.Bool(true),
		Capabilities: []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_PARTITION_AWARE.Enum()}},
		Labels:       &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String("team"), Value: proto.String("sim")}}},
	})
	offers := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()
	if len(offers) != 2 {
		t.Fatalf("%d offers, want 2", len(offers))
	}
	first := offers[0]
	if first.GetHostname() != "agent-1" {
		first = offers[1]
	}
	serve := commandTask("serve", "./serve", "cpus:1;mem:256;ports:[31000-31001]")
	serve.Labels = &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String("app"), Value: proto.String("web")}}}
	s.launch(first, serve, commandTask("batch", "true", "cpus:0.5;mem:128"))
	got := s.updates(5)
	if got["serve"] != mesospb.TaskState_TASK_RUNNING || got["batch"] != mesospb.TaskState_TASK_FINISHED {
		t.Fatalf("task states %v", got)
	}
	return c, s
}

// TestReadOnlyGolden pins the JSON of every read-only endpoint for the
// golden cluster. Regenerate with: go test ./master/ -run TestReadOnlyGolden -update
func TestReadOnlyGolden(t *testing.T) {
	c, _ := goldenCluster(t)
	for _, tc := range []struct{ name, path string }{
		{"state.json", "/master/state"},
		{"state-summary.json", "/master/state-summary"},
		{"frameworks.json", "/master/frameworks"},
		{"slaves.json", "/master/slaves"},
		{"tasks.json", "/master/tasks"},
		{"roles.json", "/master/roles"},
		{"flags.json", "/master/flags"},
		{"version.json", "/version"},
		{"metrics.json", "/metrics/snapshot"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, hdr, body := get(t, c, tc.path)
			if code != http.StatusOK {
				t.Fatalf("GET %s: %d %s", tc.path, code, body)
			}
			if ct := hdr.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			golden(t, tc.name, indent(t, body))
		})
	}
}
