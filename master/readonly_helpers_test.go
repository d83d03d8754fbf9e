package master_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/sim"
)

type masterT = master.Master

func masterConfig(hostname string, port int) master.Config {
	return master.Config{Hostname: hostname, Port: port}
}

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// golden compares got with testdata/golden/<name>, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file (-want +got):\n%s", name, cmp.Diff(string(want), string(got)))
	}
}

// indent pretty-prints JSON for golden files, keeping key order; numbers
// keep their text.
func indent(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// sched is a minimal protobuf v1 scheduler over a cluster's in-memory
// client.
type sched struct {
	t        testing.TB
	c        *sim.Cluster
	client   *http.Client
	streamID string
	id       *mesospb.FrameworkID
	events   *recordio.Reader
	body     io.Closer
}

func subscribeSched(t testing.TB, c *sim.Cluster, info *mesospb.FrameworkInfo) *sched {
	t.Helper()
	s := &sched{t: t, c: c, client: c.HTTPClient()}
	resp := s.post(&schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), FrameworkId: info.Id,
		Subscribe: &schedulerpb.Call_Subscribe{FrameworkInfo: info}})
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("SUBSCRIBE: %d %s", resp.StatusCode, b)
	}
	s.streamID = resp.Header.Get("Mesos-Stream-Id")
	s.events = recordio.NewReader(resp.Body)
	s.body = resp.Body
	t.Cleanup(func() { s.body.Close() })
	s.id = s.next(schedulerpb.Event_SUBSCRIBED).GetSubscribed().GetFrameworkId()
	return s
}

func (s *sched) post(call *schedulerpb.Call) *http.Response {
	s.t.Helper()
	b, err := mediatype.Encode(mediatype.Protobuf, call)
	if err != nil {
		s.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, "http://mesos-sim/api/v1/scheduler", bytes.NewReader(b))
	req.Header.Set("Content-Type", mediatype.Protobuf.String())
	req.Header.Set("Accept", mediatype.Protobuf.String())
	if s.streamID != "" {
		req.Header.Set("Mesos-Stream-Id", s.streamID)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp
}

// call sends a non-SUBSCRIBE call and expects 202.
func (s *sched) call(call *schedulerpb.Call) {
	s.t.Helper()
	call.FrameworkId = s.id
	resp := s.post(call)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		s.t.Fatalf("%v: %d %s", call.GetType(), resp.StatusCode, b)
	}
}

// next reads events until one of type want, skipping heartbeats.
func (s *sched) next(want schedulerpb.Event_Type) *schedulerpb.Event {
	s.t.Helper()
	for {
		rec, err := s.events.ReadRecord()
		if err != nil {
			s.t.Fatalf("waiting for %v: %v", want, err)
		}
		ev := &schedulerpb.Event{}
		if err := proto.Unmarshal(rec, ev); err != nil {
			s.t.Fatal(err)
		}
		if ev.GetType() == want {
			return ev
		}
		if ev.GetType() != schedulerpb.Event_HEARTBEAT {
			s.t.Fatalf("got event %v, want %v: %v", ev.GetType(), want, ev)
		}
	}
}

// nextAny reads the next event that is not a heartbeat.
func (s *sched) nextAny() *schedulerpb.Event {
	s.t.Helper()
	for {
		rec, err := s.events.ReadRecord()
		if err != nil {
			s.t.Fatalf("reading an event: %v", err)
		}
		ev := &schedulerpb.Event{}
		if err := proto.Unmarshal(rec, ev); err != nil {
			s.t.Fatal(err)
		}
		if ev.GetType() != schedulerpb.Event_HEARTBEAT {
			return ev
		}
	}
}

// update reads the next UPDATE, checks its state and acknowledges it.
func (s *sched) update(want mesospb.TaskState) *mesospb.TaskStatus {
	s.t.Helper()
	st := s.next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetState() != want {
		s.t.Fatalf("update %v (%s, %v), want %v", st.GetState(), st.GetMessage(), st.GetReason(), want)
	}
	s.ack(st)
	return st
}

// updates reads and acknowledges n updates and returns each task's last
// state.
func (s *sched) updates(n int) map[string]mesospb.TaskState {
	s.t.Helper()
	out := map[string]mesospb.TaskState{}
	for range n {
		st := s.next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
		out[st.GetTaskId().GetValue()] = st.GetState()
		s.ack(st)
	}
	return out
}

func (s *sched) ack(st *mesospb.TaskStatus) {
	s.t.Helper()
	if len(st.GetUuid()) > 0 {
		s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE.Enum(), Acknowledge: &schedulerpb.Call_Acknowledge{
			AgentId: st.GetAgentId(), TaskId: st.GetTaskId(), Uuid: st.GetUuid(),
		}})
	}
}

func (s *sched) launch(offer *mesospb.Offer, tasks ...*mesospb.TaskInfo) {
	s.t.Helper()
	for _, t := range tasks {
		t.AgentId = offer.GetAgentId()
	}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds: []*mesospb.OfferID{offer.GetId()},
		Operations: []*mesospb.Offer_Operation{{
			Type: mesospb.Offer_Operation_LAUNCH.Enum(), Launch: &mesospb.Offer_Operation_Launch{TaskInfos: tasks},
		}},
	}})
}

func commandTask(id, command, res string) *mesospb.TaskInfo {
	return &mesospb.TaskInfo{
		Name:      proto.String(id),
		TaskId:    &mesospb.TaskID{Value: proto.String(id)},
		Resources: resourcesParse(res),
		Command:   &mesospb.CommandInfo{Value: proto.String(command)},
	}
}

// get fetches a path from the cluster and returns status, headers, body.
func get(t *testing.T, c *sim.Cluster, path string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := c.HTTPClient().Get("http://mesos-sim" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// getJSON fetches a path, expects 200 application/json and decodes it.
func getJSON(t *testing.T, c *sim.Cluster, path string) map[string]any {
	t.Helper()
	code, hdr, b := get(t, c, path)
	if code != http.StatusOK || hdr.Get("Content-Type") != "application/json" {
		t.Fatalf("GET %s: %d %q %s", path, code, hdr.Get("Content-Type"), b)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return v
}
