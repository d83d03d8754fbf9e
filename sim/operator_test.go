package sim_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/sim"
)

// operatorStream is a client of the operator API's SUBSCRIBE.
type operatorStream struct {
	t      testing.TB
	typ    mediatype.Type
	events *recordio.Reader
	body   io.Closer
}

func operatorPost(t testing.TB, client *http.Client, url string, typ mediatype.Type, call *masterpb.Call) *http.Response {
	t.Helper()
	b, err := mediatype.Encode(typ, call)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url+"/api/v1", bytes.NewReader(b))
	req.Header.Set("Content-Type", typ.String())
	req.Header.Set("Accept", typ.String())
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func operatorSubscribe(t testing.TB, client *http.Client, url string, typ mediatype.Type) *operatorStream {
	t.Helper()
	resp := operatorPost(t, client, url, typ, &masterpb.Call{Type: masterpb.Call_SUBSCRIBE.Enum()})
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != typ.String() {
		t.Fatalf("operator SUBSCRIBE: %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &operatorStream{t: t, typ: typ, events: recordio.NewReader(resp.Body), body: resp.Body}
	t.Cleanup(func() { resp.Body.Close() })
	return s
}

// next reads the next event, heartbeats included.
func (s *operatorStream) next() *masterpb.Event {
	s.t.Helper()
	rec, err := s.events.ReadRecord()
	if err != nil {
		s.t.Fatalf("operator stream: %v", err)
	}
	ev := &masterpb.Event{}
	if s.typ == mediatype.JSON {
		err = mesosjson.Unmarshal(rec, ev)
	} else {
		err = proto.Unmarshal(rec, ev)
	}
	if err != nil {
		s.t.Fatalf("decoding operator event %q: %v", rec, err)
	}
	return ev
}

// describe renders an operator event on one line, without ids that vary.
func describe(ev *masterpb.Event) string {
	switch ev.GetType() {
	case masterpb.Event_TASK_ADDED:
		return fmt.Sprintf("TASK_ADDED %s %s", ev.GetTaskAdded().GetTask().GetTaskId().GetValue(), ev.GetTaskAdded().GetTask().GetState())
	case masterpb.Event_TASK_UPDATED:
		u := ev.GetTaskUpdated()
		return fmt.Sprintf("TASK_UPDATED %s %s (status %s)", u.GetStatus().GetTaskId().GetValue(), u.GetState(), u.GetStatus().GetState())
	case masterpb.Event_AGENT_ADDED:
		return "AGENT_ADDED " + ev.GetAgentAdded().GetAgent().GetAgentInfo().GetHostname()
	case masterpb.Event_AGENT_REMOVED:
		return "AGENT_REMOVED"
	case masterpb.Event_FRAMEWORK_ADDED:
		return "FRAMEWORK_ADDED " + ev.GetFrameworkAdded().GetFramework().GetFrameworkInfo().GetName()
	case masterpb.Event_FRAMEWORK_UPDATED:
		return "FRAMEWORK_UPDATED " + ev.GetFrameworkUpdated().GetFramework().GetFrameworkInfo().GetName()
	case masterpb.Event_FRAMEWORK_REMOVED:
		return "FRAMEWORK_REMOVED " + ev.GetFrameworkRemoved().GetFrameworkInfo().GetName()
	}
	return ev.GetType().String()
}

// TestOperatorEventStream follows a task's life, an agent replaced by a
// fresh one at the same address, and a framework's teardown on the
// operator event stream, in both encodings, with real agents and
// executors.
func TestOperatorEventStream(t *testing.T) {
	for _, typ := range []mediatype.Type{mediatype.Protobuf, mediatype.JSON} {
		t.Run(typ.String(), func(t *testing.T) {
			c := sim.New(t, sim.Agents(1, "cpus:4;mem:8192"), sim.Seed(3))
			client := c.HTTPClient()
			url := "http://mesos-sim"
			op := operatorSubscribe(t, client, url, typ)
			first := op.next()
			state := first.GetSubscribed().GetGetState()
			if first.GetType() != masterpb.Event_SUBSCRIBED || first.GetSubscribed().GetHeartbeatIntervalSeconds() != 15 ||
				len(state.GetGetAgents().GetAgents()) != 1 {
				t.Fatalf("first event %v", first)
			}
			oldAgent := state.GetGetAgents().GetAgents()[0].GetAgentInfo().GetId().GetValue()
			var got []string
			read := func(n int) {
				t.Helper()
				for i := 0; i < n; i++ {
					got = append(got, describe(op.next()))
				}
			}
			read(1) // HEARTBEAT

			s := subscribe(t, client, url, typ)
			defer s.body.Close()
			read(1)
			launch := func(id string) {
				offer := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
				s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
					OfferIds: []*mesospb.OfferID{offer.GetId()},
					Operations: []*mesospb.Offer_Operation{{Type: mesospb.Offer_Operation_LAUNCH.Enum(), Launch: &mesospb.Offer_Operation_Launch{
						TaskInfos: []*mesospb.TaskInfo{{
							Name: proto.String(id), TaskId: &mesospb.TaskID{Value: proto.String(id)}, AgentId: offer.GetAgentId(),
							Resources: []*mesospb.Resource{{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}}},
							Command:   &mesospb.CommandInfo{Value: proto.String("./serve")},
						}},
					}}},
					Filters: &mesospb.Filters{RefuseSeconds: proto.Float64(0)},
				}})
				s.ack(s.update(mesospb.TaskState_TASK_STARTING))
				s.ack(s.update(mesospb.TaskState_TASK_RUNNING))
			}
			launch("t1")
			read(3)
			s.call(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: &schedulerpb.Call_Kill{TaskId: &mesospb.TaskID{Value: proto.String("t1")}}})
			s.ack(s.update(mesospb.TaskState_TASK_KILLED))
			read(1)

			if err := c.Advance(15 * time.Second); err != nil {
				t.Fatal(err)
			}
			launch("t2")
			// HEARTBEAT at 15 s, then the second task.
			read(4)

			// agent-1 restarts without its state: the master loses the
			// task and replaces the old agent by the new registration.
			if err := c.InjectFault(faults.RestartAgent{Agent: "agent-1"}); err != nil {
				t.Fatal(err)
			}
			s.update(mesospb.TaskState_TASK_LOST)
			read(3)

			s.call(&schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum()})
			read(1)

			want := []string{
				"HEARTBEAT",
				"FRAMEWORK_ADDED hello",
				"TASK_ADDED t1 TASK_STAGING",
				"TASK_UPDATED t1 TASK_STARTING (status TASK_STARTING)",
				"TASK_UPDATED t1 TASK_RUNNING (status TASK_RUNNING)",
				"TASK_UPDATED t1 TASK_KILLED (status TASK_KILLED)",
				"HEARTBEAT",
				"TASK_ADDED t2 TASK_STAGING",
				"TASK_UPDATED t2 TASK_STARTING (status TASK_STARTING)",
				"TASK_UPDATED t2 TASK_RUNNING (status TASK_RUNNING)",
				"TASK_UPDATED t2 TASK_LOST (status TASK_LOST)",
				"AGENT_REMOVED",
				"AGENT_ADDED " + state.GetGetAgents().GetAgents()[0].GetAgentInfo().GetHostname(),
				"FRAMEWORK_REMOVED hello",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("operator events (-want +got):\n%s", diff)
			}

			// GET_AGENTS shows the new agent only; the old one is gone.
			resp := operatorPost(t, client, url, typ, &masterpb.Call{Type: masterpb.Call_GET_AGENTS.Enum()})
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			r := &masterpb.Response{}
			if typ == mediatype.JSON {
				err := mesosjson.Unmarshal(body, r)
				if err != nil {
					t.Fatal(err)
				}
			} else if err := proto.Unmarshal(body, r); err != nil {
				t.Fatal(err)
			}
			agents := r.GetGetAgents().GetAgents()
			if len(agents) != 1 || agents[0].GetAgentInfo().GetId().GetValue() == oldAgent {
				t.Errorf("GET_AGENTS after the restart: %v", agents)
			}
		})
	}
}

// Weights and quotas given as options are what the operator API answers,
// as if an operator had set them, also after a master failover.
func TestOperatorRoleOptions(t *testing.T) {
	c := sim.New(t, sim.Agents(1, "cpus:4;mem:8192"), sim.Weights(map[string]float64{"web": 2}), sim.Quota("web", "cpus:1", "cpus:2"))
	check := func(when string) {
		t.Helper()
		resp := operatorPost(t, c.HTTPClient(), "http://mesos-sim", mediatype.JSON, &masterpb.Call{Type: masterpb.Call_GET_WEIGHTS.Enum()})
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if want := `{"type":"GET_WEIGHTS","get_weights":{"weight_infos":[{"weight":2.0,"role":"web"}]}}`; string(b) != want {
			t.Errorf("%s: GET_WEIGHTS %s, want %s", when, b, want)
		}
		resp = operatorPost(t, c.HTTPClient(), "http://mesos-sim", mediatype.JSON, &masterpb.Call{Type: masterpb.Call_GET_QUOTA.Enum()})
		b, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		want := `{"type":"GET_QUOTA","get_quota":{"status":{"infos":[{"role":"web","guarantee":[{"name":"cpus","type":"SCALAR","scalar":{"value":1.0}}]}],` +
			`"configs":[{"role":"web","guarantees":{"cpus":{"value":1.0}},"limits":{"cpus":{"value":2.0}}}]}}}`
		if string(b) != want {
			t.Errorf("%s: GET_QUOTA %s\nwant %s", when, b, want)
		}
	}
	check("at start")
	if err := c.InjectFault(faults.FailoverMaster{}); err != nil {
		t.Fatal(err)
	}
	check("after a master failover")
}
