package sim_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/sim"
)

// scheduler is a minimal v1 scheduler client for tests, in either encoding.
type scheduler struct {
	t        testing.TB
	client   *http.Client
	url      string
	typ      mediatype.Type
	streamID string
	fwID     *mesospb.FrameworkID
	events   *recordio.Reader
	body     io.Closer
	name     string
}

func subscribe(t testing.TB, client *http.Client, url string, typ mediatype.Type) *scheduler {
	t.Helper()
	return subscribeInfo(t, client, url, typ, &mesospb.FrameworkInfo{User: proto.String("test"), Name: proto.String("hello")})
}

func subscribeInfo(t testing.TB, client *http.Client, url string, typ mediatype.Type, info *mesospb.FrameworkInfo) *scheduler {
	t.Helper()
	s := &scheduler{t: t, client: client, url: url + "/api/v1/scheduler", typ: typ}
	call := &schedulerpb.Call{
		Type:        schedulerpb.Call_SUBSCRIBE.Enum(),
		Subscribe:   &schedulerpb.Call_Subscribe{FrameworkInfo: info},
		FrameworkId: info.Id, // a resubscription names its framework
	}
	resp := s.post(call)
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("SUBSCRIBE: %d %s", resp.StatusCode, b)
	}
	if got := resp.Header.Get("Content-Type"); got != typ.String() {
		t.Fatalf("SUBSCRIBE Content-Type = %q, want %q", got, typ)
	}
	s.streamID = resp.Header.Get("Mesos-Stream-Id")
	s.events = recordio.NewReader(resp.Body)
	s.body = resp.Body
	ev := s.next(schedulerpb.Event_SUBSCRIBED)
	s.fwID = ev.GetSubscribed().GetFrameworkId()
	s.next(schedulerpb.Event_HEARTBEAT)
	return s
}

func (s *scheduler) post(call *schedulerpb.Call) *http.Response {
	s.t.Helper()
	b, err := mediatype.Encode(s.typ, call)
	if err != nil {
		s.t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, s.url, bytes.NewReader(b))
	req.Header.Set("Content-Type", s.typ.String())
	req.Header.Set("Accept", s.typ.String())
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
func (s *scheduler) call(call *schedulerpb.Call) {
	s.t.Helper()
	call.FrameworkId = s.fwID
	resp := s.post(call)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		s.t.Fatalf("%v: %d %s", call.GetType(), resp.StatusCode, b)
	}
}

// next reads events until one of type want, skipping heartbeats.
func (s *scheduler) next(want schedulerpb.Event_Type) *schedulerpb.Event {
	s.t.Helper()
	return s.nextSkipping(want, schedulerpb.Event_HEARTBEAT)
}

// nextSkipping reads events until one of type want; events of the skip
// types are passed over, any other is a failure.
func (s *scheduler) nextSkipping(want schedulerpb.Event_Type, skip ...schedulerpb.Event_Type) *schedulerpb.Event {
	s.t.Helper()
	for {
		rec, err := s.events.ReadRecord()
		if err != nil {
			s.t.Fatalf("waiting for %v: %v", want, err)
		}
		ev := &schedulerpb.Event{}
		if s.typ == mediatype.JSON {
			err = decodeJSON(rec, ev)
		} else {
			err = proto.Unmarshal(rec, ev)
		}
		if err != nil {
			s.t.Fatalf("decoding event %q: %v", rec, err)
		}
		if ev.GetType() == want {
			return ev
		}
		if !slices.Contains(skip, ev.GetType()) {
			s.t.Fatalf("got event %v, want %v: %v", ev.GetType(), want, ev)
		}
	}
}

func decodeJSON(rec []byte, ev *schedulerpb.Event) error {
	_, err := mediatype.DecodeCall(http.Header{"Content-Type": {"application/json"}}, rec, ev)
	return err
}

func (s *scheduler) ack(st *mesospb.TaskStatus) {
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACKNOWLEDGE.Enum(), Acknowledge: &schedulerpb.Call_Acknowledge{
		AgentId: st.GetAgentId(), TaskId: st.GetTaskId(), Uuid: st.GetUuid(),
	}})
}

func (s *scheduler) update(want mesospb.TaskState) *mesospb.TaskStatus {
	s.t.Helper()
	st := s.next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetState() != want {
		s.t.Fatalf("update %v (%s), want %v", st.GetState(), st.GetMessage(), want)
	}
	return st
}

// helloTask runs the DESIGN's "hello task" session: subscribe, first offer,
// launch, TASK_RUNNING, kill, TASK_KILLED, teardown.
func helloTask(t testing.TB, client *http.Client, url string, typ mediatype.Type) {
	s := subscribe(t, client, url, typ)
	defer s.body.Close()
	offer := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	task := &mesospb.TaskInfo{
		Name: proto.String("hello"), TaskId: &mesospb.TaskID{Value: proto.String("t1")}, AgentId: offer.GetAgentId(),
		Resources: []*mesospb.Resource{
			{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}},
			{Name: proto.String("mem"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(128)}},
		},
		Command: &mesospb.CommandInfo{Value: proto.String("./serve")},
	}
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT.Enum(), Accept: &schedulerpb.Call_Accept{
		OfferIds: []*mesospb.OfferID{offer.GetId()},
		Operations: []*mesospb.Offer_Operation{{
			Type: mesospb.Offer_Operation_LAUNCH.Enum(), Launch: &mesospb.Offer_Operation_Launch{TaskInfos: []*mesospb.TaskInfo{task}},
		}},
	}})
	s.ack(s.update(mesospb.TaskState_TASK_STARTING))
	s.ack(s.update(mesospb.TaskState_TASK_RUNNING))
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_KILL.Enum(), Kill: &schedulerpb.Call_Kill{TaskId: task.GetTaskId()}})
	s.ack(s.update(mesospb.TaskState_TASK_KILLED))
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_TEARDOWN.Enum()})
	// TEARDOWN ends the stream; no virtual time passed, so nothing else
	// (not even a heartbeat) may come first.
	if rec, err := s.events.ReadRecord(); err != io.EOF {
		t.Fatalf("after TEARDOWN: record %q, error %v; want the end of the stream", rec, err)
	}
}

func TestHelloTask(t *testing.T) {
	for _, typ := range []mediatype.Type{mediatype.JSON, mediatype.Protobuf} {
		t.Run(strings.TrimPrefix(typ.String(), "application/")+"/in-memory", func(t *testing.T) {
			c := sim.New(t, sim.Agents(3, "cpus:4;mem:8192;ports:[31000-32000]"), sim.Seed(7))
			helloTask(t, c.HTTPClient(), "http://mesos-sim", typ)
		})
		t.Run(strings.TrimPrefix(typ.String(), "application/")+"/socket", func(t *testing.T) {
			c := sim.New(t, sim.Agents(3, "cpus:4;mem:8192;ports:[31000-32000]"), sim.Seed(7))
			helloTask(t, http.DefaultClient, c.URL(), typ)
		})
	}
}

// The heartbeat follows SUBSCRIBED at once and then every 15 s of virtual
// time: the test moves the clock; nothing sleeps.
func TestHeartbeatOnVirtualTime(t *testing.T) {
	c := sim.New(t, sim.Agents(1, ""))
	s := subscribe(t, c.HTTPClient(), "http://mesos-sim", mediatype.JSON)
	defer s.body.Close()
	s.next(schedulerpb.Event_OFFERS)
	start := c.Clock().Now()
	c.Advance(15 * time.Second)
	s.next(schedulerpb.Event_HEARTBEAT)
	if got := c.Clock().Since(start); got != 15*time.Second {
		t.Errorf("virtual time advanced %v, want 15s", got)
	}
	if got := c.Elapsed(); got != 15*time.Second {
		t.Errorf("Elapsed = %v, want 15s", got)
	}
}

// Two clusters with one seed give one trace; another seed changes ids.
func TestClusterTraceIsReproducible(t *testing.T) {
	run := func(seed uint64) string {
		var buf bytes.Buffer
		c, err := sim.NewCluster(sim.Seed(seed), sim.Agents(3, "cpus:2;mem:1024"), sim.TraceTo(&buf))
		if err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Minute)
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	a, b, other := run(1), run(1), run(2)
	if a != b {
		t.Fatal("same seed, different traces")
	}
	if a == other {
		t.Fatal("different seeds, same trace")
	}
	if !strings.Contains(a, "RegisterSlaveMessage") {
		t.Errorf("trace lacks agent registration:\n%s", a)
	}
}

func TestClusterCloseLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 5 {
		c, err := sim.NewCluster(sim.Agents(3, ""))
		if err != nil {
			t.Fatal(err)
		}
		_ = c.URL()
		c.Close()
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("goroutines: %d before, %d after closing clusters", before, n)
	}
}

func BenchmarkClusterStart(b *testing.B) {
	for b.Loop() {
		c, err := sim.NewCluster(sim.Agents(3, "cpus:4;mem:8192"))
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

func BenchmarkHelloTask(b *testing.B) {
	b.Run("in-memory", func(b *testing.B) {
		for b.Loop() {
			benchHello(b, false)
		}
	})
	b.Run("socket", func(b *testing.B) {
		for b.Loop() {
			benchHello(b, true)
		}
	})
}

func benchHello(b *testing.B, socket bool) {
	c, err := sim.NewCluster(sim.Agents(3, "cpus:4;mem:8192"))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	if socket {
		helloTask(b, http.DefaultClient, c.URL(), mediatype.Protobuf)
	} else {
		helloTask(b, c.HTTPClient(), "http://mesos-sim", mediatype.Protobuf)
	}
}

// One scripted session (a framework launching and killing a task while
// heartbeats and allocation timers run) replays to one trace, 1,000 times,
// under GOMAXPROCS 1 and 2.
func TestSessionReplays1000Times(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 sessions")
	}
	n := 1000
	if raceEnabled {
		n = 100 // the race detector makes each session ~10x slower
	}
	session := func() string {
		var buf bytes.Buffer
		c, err := sim.NewCluster(sim.Seed(3), sim.Agents(3, "cpus:2;mem:1024"), sim.TraceTo(&buf))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		helloTask(t, c.HTTPClient(), "http://mesos-sim", mediatype.Protobuf)
		c.Advance(30 * time.Second)
		return buf.String()
	}
	for _, procs := range []int{1, 2} {
		prev := runtime.GOMAXPROCS(procs)
		want := session()
		for i := 1; i < n/2; i++ {
			if got := session(); got != want {
				runtime.GOMAXPROCS(prev)
				t.Fatalf("GOMAXPROCS=%d run %d: trace differs (%d vs %d bytes)", procs, i, len(got), len(want))
			}
		}
		runtime.GOMAXPROCS(prev)
	}
}

// Another seed changes what randomness decides — here only the ids (the
// master's UUID and everything derived from it, stream ids, status update
// uuids) — and nothing else: with uuids masked the traces are equal.
func TestSeedChangesOnlyRandomness(t *testing.T) {
	session := func(seed uint64) string {
		var buf bytes.Buffer
		c, err := sim.NewCluster(sim.Seed(seed), sim.Agents(3, "cpus:2;mem:1024"), sim.TraceTo(&buf))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		helloTask(t, c.HTTPClient(), "http://mesos-sim", mediatype.Protobuf)
		c.Advance(30 * time.Second)
		return buf.String()
	}
	uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	a, b := session(1), session(2)
	if a == b {
		t.Fatal("seeds 1 and 2 gave the same trace; ids should differ")
	}
	ma, mb := uuid.ReplaceAllString(a, "<uuid>"), uuid.ReplaceAllString(b, "<uuid>")
	if diff := cmp.Diff(ma, mb); diff != "" {
		t.Errorf("with uuids masked, seeds 1 and 2 differ (-1 +2):\n%s", diff)
	}
}

// WaitFor returns once a framework outside the loop has done what the
// condition asks, and times out with ErrWaitTimeout when it never does.
func TestWaitFor(t *testing.T) {
	c, err := sim.NewCluster(sim.Agents(1, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	subscribed := func(v sim.View) bool { return len(v.Frameworks()) == 1 }

	if err := c.WaitFor(subscribed, 20*time.Millisecond); !errors.Is(err, sim.ErrWaitTimeout) {
		t.Fatalf("WaitFor with no framework = %v, want ErrWaitTimeout", err)
	}
	// The "framework": a SUBSCRIBE on its own goroutine.
	resp := make(chan *http.Response, 1)
	go func() {
		r, err := c.HTTPClient().Post("http://mesos-sim/api/v1/scheduler", "application/json",
			strings.NewReader(`{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}`))
		if err != nil {
			r = nil
		}
		resp <- r
	}()
	if err := c.WaitFor(subscribed, 10*time.Second); err != nil {
		t.Fatalf("WaitFor after SUBSCRIBE: %v", err)
	}
	if r := <-resp; r == nil {
		t.Fatal("SUBSCRIBE failed")
	} else {
		r.Body.Close()
	}
	if got := c.Elapsed(); got != 0 {
		t.Errorf("WaitFor moved virtual time to %v", got)
	}
}
