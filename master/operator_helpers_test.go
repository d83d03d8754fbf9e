package master_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/master"
)

// operator is an operator API client of an env: every path goes to the
// master's Handler.
type operator struct {
	e   *env
	srv *httptest.Server
}

func (e *env) operator() *operator {
	e.t.Helper()
	srv := httptest.NewServer(master.NewHandler(e.m, e.r))
	e.t.Cleanup(srv.Close)
	return &operator{e: e, srv: srv}
}

// raw posts body to /api/v1 with the given headers ("" leaves one out).
func (o *operator) raw(method, contentType, accept string, body []byte) (int, string, http.Header) {
	o.e.t.Helper()
	req, _ := http.NewRequest(method, o.srv.URL+"/api/v1", bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o.e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func encodeCall(t testing.TB, mt mediatype.Type, c *masterpb.Call) []byte {
	t.Helper()
	b, err := mediatype.Encode(mt, c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// call sends c in mt (accepting mt) and returns the status, the raw body
// and, for a 200 with a body, the decoded Response.
func (o *operator) call(mt mediatype.Type, c *masterpb.Call) (int, string, *masterpb.Response) {
	o.e.t.Helper()
	code, body, hdr := o.raw("POST", mt.String(), mt.String(), encodeCall(o.e.t, mt, c))
	if code != http.StatusOK || body == "" {
		return code, body, nil
	}
	if got := hdr.Get("Content-Type"); got != mt.String() {
		o.e.t.Fatalf("%v: Content-Type %q, want %q", c.GetType(), got, mt)
	}
	r := &masterpb.Response{}
	var err error
	if mt == mediatype.JSON {
		err = mesosjson.Unmarshal([]byte(body), r)
	} else {
		err = proto.Unmarshal([]byte(body), r)
	}
	if err != nil {
		o.e.t.Fatalf("%v: decoding %q: %v", c.GetType(), body, err)
	}
	return code, body, r
}

// get sends a call and fails the test unless it answers 200 with a body.
func (o *operator) get(mt mediatype.Type, c *masterpb.Call) *masterpb.Response {
	o.e.t.Helper()
	code, body, r := o.call(mt, c)
	if code != http.StatusOK || r == nil {
		o.e.t.Fatalf("%v: %d %q", c.GetType(), code, body)
	}
	return r
}

// do sends a mutation and fails the test unless it answers want.
func (o *operator) do(c *masterpb.Call, want int) {
	o.e.t.Helper()
	if code, body, _ := o.call(mediatype.Protobuf, c); code != want {
		o.e.t.Fatalf("%v: %d %q, want %d", c.GetType(), code, body, want)
	}
}

func callOf(t masterpb.Call_Type) *masterpb.Call { return &masterpb.Call{Type: t.Enum()} }

// opStream is an operator event stream.
type opStream struct {
	t        *testing.T
	e        *env
	streamID string
	resp     *http.Response
	events   chan *masterpb.Event
	read     uint64 // events taken from the channel
}

func (o *operator) subscribe(mt mediatype.Type) *opStream {
	o.e.t.Helper()
	req, _ := http.NewRequest("POST", o.srv.URL+"/master/api/v1", bytes.NewReader(encodeCall(o.e.t, mt, callOf(masterpb.Call_SUBSCRIBE))))
	req.Header.Set("Content-Type", mt.String())
	req.Header.Set("Accept", mt.String())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		o.e.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		o.e.t.Fatalf("SUBSCRIBE: %d", resp.StatusCode)
	}
	if got := resp.Header.Get("Content-Type"); got != mt.String() {
		o.e.t.Fatalf("SUBSCRIBE Content-Type %q", got)
	}
	if resp.ContentLength != -1 {
		o.e.t.Fatalf("SUBSCRIBE has a Content-Length (%d): clients decode RecordIO only without one", resp.ContentLength)
	}
	s := &opStream{t: o.e.t, e: o.e, resp: resp, events: make(chan *masterpb.Event, 1000)}
	o.e.do(func() { s.streamID = master.NewestOperatorStream(o.e.m) })
	o.e.t.Cleanup(func() { resp.Body.Close() })
	go func() {
		defer close(s.events)
		rd := recordio.NewReader(resp.Body)
		for {
			rec, err := rd.ReadRecord()
			if err != nil {
				return
			}
			ev := &masterpb.Event{}
			if mt == mediatype.JSON {
				err = mesosjson.Unmarshal(rec, ev)
			} else {
				err = proto.Unmarshal(rec, ev)
			}
			if err != nil {
				return
			}
			s.events <- ev
		}
	}()
	return s
}

func (s *opStream) next() *masterpb.Event {
	s.t.Helper()
	select {
	case ev := <-s.events:
		if ev != nil {
			s.read++
		}
		return ev
	case <-time.After(5 * time.Second):
		s.t.Fatal("no operator event within 5s")
		return nil
	}
}

func (s *opStream) expect(want masterpb.Event_Type) *masterpb.Event {
	s.t.Helper()
	ev := s.next()
	if ev.GetType() != want {
		s.t.Fatalf("got operator event %v, want %v", ev, want)
	}
	return ev
}

// none asserts that the master has sent nothing the test has not read: it
// asks the master how many events it queued on the stream and reads any
// the test has not.
func (s *opStream) none() {
	s.t.Helper()
	var pushed uint64
	s.e.do(func() { pushed = master.OperatorPushed(s.e.m, s.streamID) })
	if s.read < pushed {
		s.t.Fatalf("unexpected operator event %v", s.next())
	}
}
