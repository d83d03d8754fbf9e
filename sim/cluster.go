package sim

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/benbjohnson/clock"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Cluster is a simulated Mesos cluster: one master, its agents and its
// allocator on one deterministic event loop, served over HTTP exactly as a
// Mesos master serves the v1 scheduler API.
//
// Its methods are safe for concurrent use: each runs on the loop through the
// cluster's [Driver]. A Cluster made by [New] fails its test on errors; one
// made by [NewCluster] returns them.
type Cluster struct {
	tb   testing.TB // nil for NewCluster
	cfg  config
	seed uint64

	loop   *loop.Loop
	net    *simnet.Network
	alloc  *allocator.Hierarchical
	master *master.Master
	agents []*agent.Agent
	drv    *Driver
	ring   *loop.RingSink

	handler *masterHandler
	inj     *faults.Injector

	mu      sync.Mutex
	server  *httptest.Server
	standby *httptest.Server
	closed  bool
}

// New returns a running Cluster for a test and registers its shutdown with
// t.Cleanup. When the test fails, the cleanup prints the last trace lines,
// the seed, and the command that replays the test with that seed.
//
//	c := sim.New(t, sim.Agents(3, "cpus:4;mem:8192"))
//	resp, err := c.HTTPClient().Post(c.URL()+"/api/v1/scheduler", ...)
func New(t testing.TB, opts ...Option) *Cluster {
	t.Helper()
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			t.Fatal(err)
		}
	}
	seed, err := chooseSeed(t.Name(), cfg.seed)
	if err != nil {
		t.Fatal(err)
	}
	c, err := start(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	c.tb = t
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("mesos-sim: seed %d, virtual time %s; the last %d trace lines:\n%s\nreplay: %s",
				c.seed, c.Elapsed(), len(c.ring.Lines()), c.ring.String(), replayCommand(t.Name(), c.seed))
		}
		c.Close()
	})
	return c
}

// NewCluster returns a running Cluster outside a test (the binary uses it).
// The seed is the Seed option's, or 0.
func NewCluster(opts ...Option) (*Cluster, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	var seed uint64
	if cfg.seed != nil {
		seed = *cfg.seed
	}
	return start(cfg, seed)
}

func start(cfg config, seed uint64) (*Cluster, error) {
	c := &Cluster{cfg: cfg, seed: seed, ring: loop.NewRingSink(max(cfg.traceN, 1))}
	var sink loop.TraceSink = c.ring
	if cfg.traceTo != nil {
		sink = loop.Tee(c.ring, loop.NewWriterSink(cfg.traceTo))
	}
	c.loop = loop.New(loop.Config{Seed: seed, Trace: sink})
	c.net = simnet.New(c.loop, simnet.Config{Latency: cfg.latency})

	c.alloc = c.newAllocator()
	c.master = master.New(c.loop, c.net, c.alloc, cfg.master)
	c.master.SetRoles(cfg.weights, cfg.quotas) // answered by GET_WEIGHTS, GET_QUOTA

	for i, spec := range cfg.agents {
		name := "agent-" + strconv.Itoa(i+1)
		acfg := agentConfig(name, spec, cfg.behaviors)
		a := agent.New(c.loop, c.net, acfg)
		c.agents = append(c.agents, a)
		a.Start()
	}
	// Agents register over the zero-latency network without a timer: one
	// settle admits them all, at virtual time zero.
	if err := c.loop.Settle(DefaultMaxEvents); err != nil {
		return nil, fmt.Errorf("sim: starting the cluster: %w", err)
	}
	for _, a := range c.agents {
		if cfg.latency == 0 && !a.Registered() {
			return nil, fmt.Errorf("sim: agent %s did not register at start-up", a.Name())
		}
	}
	for i, s := range cfg.schedules {
		if err := c.injector().Install(s); err != nil {
			return nil, fmt.Errorf("sim: fault schedule %d: %w", i+1, err)
		}
	}
	c.drv = NewDriver(c.loop, DriverConfig{Realtime: cfg.realtime, Speed: cfg.speed})
	c.handler = &masterHandler{c: c}
	c.handler.set(master.NewHandler(c.master, c.drv))
	return c, nil
}

// fail reports err: it fails the test of a harness cluster, and is returned
// either way.
func (c *Cluster) fail(err error) error {
	if err != nil && c.tb != nil {
		c.tb.Helper()
		c.tb.Fatal(err)
	}
	return err
}

// Seed is the seed this cluster runs with.
func (c *Cluster) Seed() uint64 { return c.seed }

// Handler is the master's HTTP handler: the scheduler API at
// /api/v1/scheduler and /master/api/v1/scheduler.
func (c *Cluster) Handler() http.Handler { return c.handler }

// URL is the base URL of an httptest.Server serving [Cluster.Handler],
// started on first use, for clients that need a real socket.
func (c *Cluster) URL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.server == nil {
		c.server = httptest.NewServer(c.handler)
	}
	return c.server.URL
}

// HTTPClient returns a client that reaches the master in memory, without
// sockets (see [HandlerTransport]); any host in the URL will do, e.g.
// "http://mesos-sim/api/v1/scheduler". It works inside a testing/synctest
// bubble.
func (c *Cluster) HTTPClient() *http.Client {
	return &http.Client{Transport: HandlerTransport{Handler: c.handler}}
}

// Do runs fn on the loop and returns when the loop has settled.
func (c *Cluster) Do(fn func()) error { return c.fail(c.drv.Do(fn)) }

// Advance moves virtual time forward by d, running every timer due.
func (c *Cluster) Advance(d time.Duration) error { return c.fail(c.drv.Advance(d)) }

// AdvanceTo moves virtual time to t.
func (c *Cluster) AdvanceTo(t time.Time) error { return c.fail(c.drv.AdvanceTo(t)) }

// RunUntil steps through timers until cond holds, at most limit of virtual
// time; cond runs on the loop, with a [View] of the cluster. It reports
// whether cond held.
func (c *Cluster) RunUntil(cond func(View) bool, limit time.Duration) (bool, error) {
	ok, err := c.drv.RunUntil(func() bool { return cond(View{c}) }, limit)
	return ok, c.fail(err)
}

// RunUntilIdle jumps from timer to timer until none is left, within limit.
func (c *Cluster) RunUntilIdle(limit time.Duration) error { return c.fail(c.drv.RunUntilIdle(limit)) }

// WaitFor waits, in wall time and at most timeout (10 s if 0), for cond to
// hold while virtual time stands still: for a condition the framework's own
// goroutines bring about, such as an ACCEPT arriving. cond runs on the loop,
// with a [View] of the cluster, again each time an input or timer has
// changed something (see [Driver.WaitFor]); on timeout the error wraps
// [ErrWaitTimeout].
func (c *Cluster) WaitFor(cond func(View) bool, timeout time.Duration) error {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return c.fail(c.drv.WaitFor(func() bool { return cond(View{c}) }, timeout))
}

// Now is the cluster's virtual time.
func (c *Cluster) Now() time.Time { return c.drv.Now() }

// Elapsed is the virtual time since the cluster started.
func (c *Cluster) Elapsed() time.Duration { return c.drv.Now().Sub(c.loop.Epoch()) }

// FrameworkClock returns a benbjohnson clock kept in step with virtual time,
// for framework code that already injects one; see [Driver.FrameworkClock]
// for its caveats.
func (c *Cluster) FrameworkClock() *clock.Mock { return c.drv.FrameworkClock() }

// Trace returns the last trace lines kept (see [TraceLines]).
func (c *Cluster) Trace() string {
	var s string
	_ = c.drv.Do(func() { s = c.ring.String() })
	return s
}

// Close stops the cluster: the HTTP server, if started, and the loop's
// goroutine. Event streams end. It is idempotent.
func (c *Cluster) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	srvs := []*httptest.Server{c.server, c.standby}
	c.mu.Unlock()
	err := c.drv.Close()
	for _, srv := range srvs {
		if srv != nil {
			srv.CloseClientConnections()
			srv.Close()
		}
	}
	if errors.Is(err, ErrClosed) {
		err = nil
	}
	return err
}
