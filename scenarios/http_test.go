package scenarios_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/scenarios"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
	"github.com/mesos-sim/mesos-sim/sim"
)

// Every reference framework, unchanged, as an ordinary HTTP client of
// sim.New: in a synctest bubble with c.HTTPClient(), virtual time follows
// the bubble's clock, so five virtual minutes pass without waiting. Each
// reaches its goal, and what it believes is what the agents run.
func TestReferenceFrameworksOverHTTP(t *testing.T) {
	for _, name := range frameworks.ReferenceNames() {
		for _, enc := range []mediatype.Type{mediatype.JSON, mediatype.Protobuf} {
			t.Run(name+"/"+enc.String(), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					c := sim.New(t, sim.SyncTest(), sim.Agents(2, "cpus:4;mem:4096"), sim.Seed(11))
					factory, _ := frameworks.Reference(name)
					fw := factory()
					ctx, cancel := context.WithCancel(t.Context())
					done := make(chan error, 1)
					go func() {
						done <- scenarios.RunHTTP(ctx, c.HTTPClient(), "http://mesos-sim", fw, scenarios.HTTPOptions{Encoding: enc, Seed: 1})
					}()
					time.Sleep(5 * time.Minute)
					agentTasks := c.AgentTasks()
					cancel()
					if err := <-done; err != nil {
						t.Fatal(err)
					}
					snap := fw.Snapshot()
					if !snap.GoalMet {
						t.Errorf("goal not met over HTTP: %s", snap.Goal)
					}
					running := map[string]mesospb.TaskState{}
					for _, tasks := range agentTasks {
						for _, tk := range tasks {
							running[tk.TaskID] = tk.State
						}
					}
					for _, id := range snap.TaskIDs() {
						b := snap.Tasks[id]
						if st, ok := running[id]; ok && st != b.State {
							t.Errorf("task %s: framework believes %s, agent says %s", id, b.State, st)
						}
						if _, ok := running[id]; !ok && !frameworks.IsTerminal(b.State) {
							t.Errorf("task %s: framework believes %s, no agent runs it", id, b.State)
						}
					}
					if len(snap.Tasks) == 0 && name != "offer-holder" {
						t.Errorf("no task launched over HTTP")
					}
				})
			})
		}
	}
}
