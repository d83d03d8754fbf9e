package scenarios

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/recordio"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// HTTPOptions configure RunHTTP.
type HTTPOptions struct {
	// Encoding is mediatype.JSON or mediatype.Protobuf (the default).
	Encoding mediatype.Type
	// Seed seeds the framework's random stream (with its name).
	Seed uint64
	// Logf, if set, receives the framework's log lines.
	Logf func(format string, args ...any)
}

// RunHTTP runs fw as an ordinary client of the v1 scheduler API at baseURL
// ("http://host:port", the path is added) until ctx is done: the same
// framework logic the in-loop driver runs, over HTTP with RecordIO event
// streams, JSON or protobuf. Events are handed to the framework in stream
// order and its timers use the time package, one callback at a time. It
// returns once every goroutine it started has ended.
//
// Over HTTP the framework is as deterministic as the goroutine schedule
// allows; inside a testing/synctest bubble with sim.SyncTest and
// Cluster.HTTPClient its timers follow the cluster's virtual time.
func RunHTTP(ctx context.Context, client *http.Client, baseURL string, fw frameworks.Framework, opts HTTPOptions) error {
	if opts.Encoding == 0 {
		opts.Encoding = mediatype.Protobuf
	}
	h := fnv.New64a()
	h.Write([]byte(fw.Name()))
	c := &httpConn{
		ctx: ctx, client: client, url: strings.TrimSuffix(baseURL, "/") + "/api/v1/scheduler", typ: opts.Encoding,
		fw: fw, rand: rand.New(rand.NewPCG(opts.Seed, h.Sum64())), logf: opts.Logf, timers: map[*httpTimer]bool{},
	}
	c.mu.Lock()
	fw.Start(c)
	c.mu.Unlock()
	<-ctx.Done()
	c.mu.Lock()
	c.stopped = true
	for t := range c.timers {
		t.Stop()
	}
	if c.body != nil {
		c.body.Close()
	}
	c.mu.Unlock()
	c.wg.Wait()
	return nil
}

// httpConn is the frameworks.Conn of RunHTTP. mu serialises the framework:
// every call into it holds mu, and so does every Conn method it calls.
type httpConn struct {
	ctx    context.Context
	client *http.Client
	url    string
	typ    mediatype.Type
	fw     frameworks.Framework
	rand   *rand.Rand
	logf   func(string, ...any)
	wg     sync.WaitGroup

	mu       sync.Mutex
	stopped  bool
	gen      int       // subscriptions made; events of older ones are dropped
	body     io.Closer // the current stream's body
	streamID string
	fwID     string
	timers   map[*httpTimer]bool
}

func (c *httpConn) Now() time.Time   { return time.Now() }
func (c *httpConn) Rand() *rand.Rand { return c.rand }

func (c *httpConn) Logf(format string, args ...any) {
	if c.logf != nil {
		c.logf("%s: %s", c.fw.Name(), fmt.Sprintf(format, args...))
	}
}

func (c *httpConn) post(call *schedulerpb.Call, streamID string) (*http.Response, error) {
	b, err := mediatype.Encode(c.typ, call)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(c.ctx, http.MethodPost, c.url, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", c.typ.String())
	req.Header.Set("Accept", c.typ.String())
	if streamID != "" {
		req.Header.Set("Mesos-Stream-Id", streamID)
	}
	return c.client.Do(req)
}

// Subscribe implements frameworks.Conn: the stream is read by a goroutine
// of its own.
func (c *httpConn) Subscribe(info *mesospb.FrameworkInfo) {
	if c.stopped {
		return
	}
	c.gen++
	gen := c.gen
	if c.body != nil {
		c.body.Close()
		c.body = nil
	}
	c.streamID = ""
	call := &schedulerpb.Call{Type: schedulerpb.Call_SUBSCRIBE.Enum(), FrameworkId: info.Id,
		Subscribe: &schedulerpb.Call_Subscribe{FrameworkInfo: proto.Clone(info).(*mesospb.FrameworkInfo)}}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		err := c.stream(gen, call)
		c.mu.Lock()
		defer c.mu.Unlock()
		if gen != c.gen || c.stopped {
			return
		}
		if err != nil {
			c.Logf("stream ended: %v", err)
		}
		c.fw.Closed(c)
	}()
}

// stream runs one subscription: it posts SUBSCRIBE and hands the events
// to the framework until the stream ends.
func (c *httpConn) stream(gen int, call *schedulerpb.Call) error {
	resp, err := c.post(call, "")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("SUBSCRIBE: %s: %s", resp.Status, b)
	}
	c.mu.Lock()
	if gen != c.gen || c.stopped {
		c.mu.Unlock()
		return nil
	}
	c.streamID = resp.Header.Get("Mesos-Stream-Id")
	c.body = resp.Body
	c.mu.Unlock()
	r := recordio.NewReader(resp.Body)
	for {
		rec, err := r.ReadRecord()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		ev := &schedulerpb.Event{}
		if c.typ == mediatype.JSON {
			err = mesosjson.Unmarshal(rec, ev)
		} else {
			err = proto.Unmarshal(rec, ev)
		}
		if err != nil {
			return fmt.Errorf("decoding an event: %w", err)
		}
		c.mu.Lock()
		if gen != c.gen || c.stopped {
			c.mu.Unlock()
			return nil
		}
		if ev.GetType() == schedulerpb.Event_SUBSCRIBED {
			c.fwID = ev.GetSubscribed().GetFrameworkId().GetValue()
		}
		c.fw.Event(c, ev)
		c.mu.Unlock()
	}
}

// Send implements frameworks.Conn.
func (c *httpConn) Send(call *schedulerpb.Call) int {
	if c.stopped || c.streamID == "" || c.fwID == "" {
		return 0
	}
	call = proto.Clone(call).(*schedulerpb.Call)
	call.FrameworkId = &mesospb.FrameworkID{Value: proto.String(c.fwID)}
	resp, err := c.post(call, c.streamID)
	if err != nil {
		c.Logf("%s failed: %v", call.GetType(), err)
		return 0
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusOK {
		c.Logf("%s answered %s: %s", call.GetType(), resp.Status, b)
	}
	return resp.StatusCode
}

// httpTimer is a frameworks.Timer of RunHTTP. Its fields are guarded by
// the conn's mu.
type httpTimer struct {
	c    *httpConn
	t    *time.Timer
	done bool // fired or stopped
}

// Stop implements frameworks.Timer; it is called with mu held.
func (ht *httpTimer) Stop() bool {
	if ht.done {
		return false
	}
	ht.done = true
	delete(ht.c.timers, ht)
	if ht.t.Stop() {
		ht.c.wg.Done() // the callback will not run
		return true
	}
	return false
}

// After implements frameworks.Conn.
func (c *httpConn) After(d time.Duration, fn func()) frameworks.Timer {
	ht := &httpTimer{c: c}
	c.timers[ht] = true
	c.wg.Add(1)
	ht.t = time.AfterFunc(d, func() {
		defer c.wg.Done()
		c.mu.Lock()
		defer c.mu.Unlock()
		if ht.done {
			return
		}
		ht.done = true
		delete(c.timers, ht)
		if !c.stopped {
			fn()
		}
	})
	return ht
}
