package scenarios_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/faults"
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

// Over HTTP too, a framework whose stream ends subscribes again with its
// framework id and reconciles: here after a cut connection and after a
// master failover, and the keeper still runs its three instances.
func TestServiceKeeperOverHTTPResubscribes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := sim.New(t, sim.SyncTest(), sim.Agents(2, "cpus:4;mem:4096"), sim.Seed(5))
		fw := frameworks.NewServiceKeeper(frameworks.Options{Tasks: 3})
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() {
			done <- scenarios.RunHTTP(ctx, c.HTTPClient(), "http://mesos-sim", fw, scenarios.HTTPOptions{Seed: 2})
		}()
		time.Sleep(time.Minute)
		first := c.Frameworks()
		if len(first) != 1 || !first[0].Connected {
			t.Fatalf("frameworks after a minute: %+v", first)
		}
		if err := c.InjectFault(faults.CutStream{Framework: "keeper"}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Minute)
		again := c.Frameworks()
		if len(again) != 1 || !again[0].Connected || again[0].StreamID == first[0].StreamID || again[0].ID != first[0].ID {
			t.Fatalf("after the cut: %+v, want the same framework connected on a new stream", again)
		}
		if err := c.InjectFault(faults.FailoverMaster{}); err != nil {
			t.Fatal(err)
		}
		time.Sleep(3 * time.Minute)
		after := c.Frameworks()
		if len(after) != 1 || !after[0].Connected || after[0].ID != first[0].ID {
			t.Fatalf("after the failover: %+v, want framework %s subscribed again", after, first[0].ID)
		}
		running := 0
		for _, tk := range c.Tasks() {
			if tk.State == mesospb.TaskState_TASK_RUNNING {
				running++
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if snap := fw.Snapshot(); !snap.GoalMet || running != 3 {
			t.Errorf("after the failover: %s; the master knows %d running tasks, want 3", snap.Goal, running)
		}
	})
}
