package compat

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mesos-sim/mesos-sim/sim"
)

// TestMshRunsACommand runs mesos-go's own example program msh, unchanged,
// against a simulated cluster in real time: it subscribes, launches
// "echo hello", sees it finish and exits 0.
func TestMshRunsACommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mesos-go's msh")
	}
	bin := filepath.Join(t.TempDir(), "msh")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/mesos/mesos-go/api/v1/cmd/msh").CombinedOutput(); err != nil {
		t.Fatalf("building msh: %v\n%s", err, out)
	}
	c := sim.New(t, sim.Agents(1, ""), sim.Realtime(1))
	addr := strings.TrimPrefix(c.URL(), "http://")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, "-master", addr, "--", "echo", "hello").CombinedOutput()
	if err != nil {
		t.Fatalf("msh: %v\n%s", err, out)
	}
	for _, want := range []string{"TASK_RUNNING", "TASK_FINISHED"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("msh output lacks %s:\n%s", want, out)
		}
	}
}
