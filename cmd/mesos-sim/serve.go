package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/mesos-sim/mesos-sim/clusterfile"
	"github.com/mesos-sim/mesos-sim/control"
	"github.com/mesos-sim/mesos-sim/sim"
)

// MaxMesosBodyBytes bounds the body of a request to the Mesos paths; the
// master's handler reads bodies whole.
const MaxMesosBodyBytes = 64 << 20

// shutdownGrace bounds how long the server waits for requests to end
// after the cluster closed.
const shutdownGrace = 5 * time.Second

// serveFlags are the flags of the server.
type serveFlags struct {
	fs *flag.FlagSet

	addr, resources, attributes, roles, weights string
	clock, config, logLevel                     string
	agents                                      int
	speed                                       float64
	seed                                        uint64
}

func newServeFlags(output io.Writer) *serveFlags {
	f := &serveFlags{fs: flag.NewFlagSet("mesos-sim", flag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(output)
	def := clusterfile.Default()
	fs.StringVar(&f.addr, "addr", def.Addr, "listen on `HOST:PORT` (port 0: any free port; the address is printed)")
	fs.IntVar(&f.agents, "agents", def.AgentCount(), "number of agents, named agent-1, agent-2, ...")
	fs.StringVar(&f.resources, "resources", clusterfile.DefaultResources, "each agent's resources, Mesos `TEXT` as for mesos-agent --resources")
	fs.StringVar(&f.attributes, "attributes", "", "each agent's attributes, Mesos `TEXT` such as \"rack:r1;ssd:true\"")
	fs.StringVar(&f.roles, "roles", "", "comma-separated `ROLES` that --weights and quota may name (Mesos's --roles)")
	fs.StringVar(&f.weights, "weights", "", "role weights, `ROLE=W,...` such as web=2,batch=1")
	fs.Func("seed", "the `SEED` of every random choice; a run with the same seed and inputs replays (default: a new one, printed)", func(s string) error {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return errors.New("want a non-negative integer below 2^64")
		}
		f.seed = v
		return nil
	})
	fs.StringVar(&f.clock, "clock", def.Clock.Mode, "`real`: virtual time follows the wall clock; manual: it moves only with \"mesos-sim advance\"")
	fs.Float64Var(&f.speed, "speed", def.Clock.Speed, "virtual seconds per wall second, with --clock=real")
	fs.StringVar(&f.config, "config", "", "read the cluster from `FILE` (see \"mesos-sim init\"); flags override it")
	fs.StringVar(&f.logLevel, "log-level", def.LogLevel, "error, warn, info, debug, or trace (debug, and every line of the simulation's trace)")
	return f
}

func serveUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, `mesos-sim runs a simulated Mesos cluster: a master serving the Mesos v1
scheduler API on --addr, agents, a virtual clock, and faults on demand.

usage:
  mesos-sim [flags]            start a cluster; Ctrl-C or SIGTERM stops it
  mesos-sim COMMAND [ARGS]     talk to a running one (or write a cluster file)

flags:
`)
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
	fmt.Fprintf(w, "\ncommands:\n")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "  %s %s\t%s\n", c.name, c.args, c.summary)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun \"mesos-sim help COMMAND\" for a command's flags.\n")
}

// serve starts the cluster and serves it until SIGINT or SIGTERM.
func serve(e env, args []string) int {
	f := newServeFlags(e.stderr)
	f.fs.Usage = func() { serveUsage(f.fs.Output(), f.fs) }
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if f.fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "mesos-sim: unexpected argument %q; the commands are: %s\n", f.fs.Arg(0), commandNames())
		return exitUsage
	}
	file, err := f.clusterFile()
	if err != nil {
		fmt.Fprintf(e.stderr, "mesos-sim: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := runServer(ctx, e, file); err != nil {
		fmt.Fprintf(e.stderr, "mesos-sim: %v\n", err)
		return exitError
	}
	return exitOK
}

// clusterFile reads the --config file, or the defaults, and applies the
// flags given on the command line over it.
func (f *serveFlags) clusterFile() (*clusterfile.File, error) {
	file := clusterfile.Default()
	if f.config != "" {
		var err error
		if file, err = clusterfile.Load(f.config); err != nil {
			return nil, err
		}
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if set["addr"] {
		file.Addr = f.addr
	}
	if set["seed"] {
		file.Seed = &f.seed
	}
	if set["clock"] {
		file.Clock.Mode = f.clock
	}
	if set["speed"] {
		file.Clock.Speed = f.speed
	}
	if set["log-level"] {
		file.LogLevel = f.logLevel
	}
	// The agent flags describe one group of alike agents, which replaces
	// the file's; what they leave out comes from the file's first group.
	if set["agents"] || set["resources"] || set["attributes"] {
		g := clusterfile.AgentGroup{Count: file.AgentCount(), Resources: clusterfile.DefaultResources}
		if len(file.Agents) > 0 {
			first := file.Agents[0]
			g.Resources, g.Attributes, g.Region, g.Zone = first.Resources, first.Attributes, first.Region, first.Zone
		}
		if set["agents"] {
			g.Count = f.agents
		}
		if set["resources"] {
			g.Resources = f.resources
		}
		if set["attributes"] {
			g.Attributes = f.attributes
		}
		file.Agents = []clusterfile.AgentGroup{g}
	}
	if set["roles"] {
		file.Roles = nil
		for r := range strings.SplitSeq(f.roles, ",") {
			if r = strings.TrimSpace(r); r != "" {
				file.Roles = append(file.Roles, r)
			}
		}
	}
	if set["weights"] {
		w, err := parseWeights(f.weights)
		if err != nil {
			return nil, fmt.Errorf("--weights: %w", err)
		}
		file.Weights = w
	}
	if err := file.Validate(); err != nil {
		return nil, flagError(err, set)
	}
	return file, nil
}

// flagError names the flag behind each problem found after the flags
// were applied.
func flagError(err error, set map[string]bool) error {
	fields := []struct{ prefix, flag string }{
		{"addr", "addr"}, {"seed", "seed"}, {"clock.mode", "clock"}, {"clock.speed", "speed"},
		{"log_level", "log-level"}, {"agents[0].count", "agents"}, {"agents[0].resources", "resources"},
		{"agents[0].attributes", "attributes"}, {"agents", "agents"}, {"roles", "roles"}, {"weights", "weights"},
	}
	var lines []string
	for line := range strings.SplitSeq(err.Error(), "\n") {
		for _, fl := range fields {
			if set[fl.flag] && strings.HasPrefix(line, fl.prefix) {
				line = "--" + fl.flag + ": " + line
				break
			}
		}
		lines = append(lines, line)
	}
	return errors.New(strings.Join(lines, "\n"))
}

// parseWeights reads "web=2,batch=1".
func parseWeights(text string) (map[string]float64, error) {
	w := map[string]float64{}
	for item := range strings.SplitSeq(text, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		role, val, ok := strings.Cut(item, "=")
		if !ok {
			return nil, fmt.Errorf("%q: want ROLE=WEIGHT", item)
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return nil, fmt.Errorf("%q: weight %q is not a number", item, val)
		}
		role = strings.TrimSpace(role)
		if _, dup := w[role]; dup {
			return nil, fmt.Errorf("role %q is given twice", role)
		}
		w[role] = v
	}
	return w, nil
}

func logLevel(name string) slog.Level {
	switch name {
	case "error":
		return slog.LevelError
	case "warn":
		return slog.LevelWarn
	case "debug", "trace":
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// runServer builds the cluster the file describes, serves it until ctx
// ends, then shuts down: the cluster first (its event streams end), then
// the HTTP server.
func runServer(ctx context.Context, e env, file *clusterfile.File) error {
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: logLevel(file.LogLevel)}))
	opts, err := file.Options()
	if err != nil {
		return err
	}
	seed := rand.Uint64()
	if file.Seed != nil {
		seed = *file.Seed
	}
	opts = append(opts, sim.Seed(seed))
	if file.LogLevel == "trace" {
		opts = append(opts, sim.TraceTo(e.stderr))
	}

	ln, err := net.Listen("tcp", file.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", file.Addr, err)
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()

	// The master tells frameworks where it is (MasterInfo): where it
	// listens.
	mc, err := file.MasterConfig()
	if err != nil {
		return err
	}
	tcp := ln.Addr().(*net.TCPAddr)
	mc.Port = tcp.Port
	if !tcp.IP.IsUnspecified() {
		mc.IP = tcp.IP.String()
	}
	opts = append(opts, sim.MasterConfig(mc))

	started := time.Now()
	c, err := sim.NewCluster(opts...)
	if err != nil {
		return fmt.Errorf("starting the cluster: %w", err)
	}
	defer c.Close()

	var defaultAgent sim.AgentSpec
	if len(file.Agents) > 0 {
		g := file.Agents[0]
		defaultAgent = sim.AgentSpec{Resources: g.Resources, Attributes: g.Attributes, Region: g.Region, Zone: g.Zone}
	} else {
		defaultAgent = sim.AgentSpec{Resources: clusterfile.DefaultResources}
	}
	ctl := control.NewServer(c, control.Options{
		BaseURL: base, Clock: file.ClockMode(), Speed: file.Speed(),
		DefaultAgent: defaultAgent, Logger: log,
	})

	// Every request's context ends when shutdown begins, so that event
	// streams end even while their clients keep reading.
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	srv := &http.Server{
		Handler:           accessLog(log, newMux(c.Handler(), ctl)),
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    1 << 20,
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn), // panics of handlers among them
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	printBanner(e.stdout, file, c, base, time.Since(started))
	log.Info("cluster started", "agents", file.AgentCount(), "seed", seed, "clock", file.ClockMode(), "addr", ln.Addr().String())

	var serveErr error
	select {
	case <-ctx.Done():
		log.Info("shutting down")
	case serveErr = <-served:
		serveErr = fmt.Errorf("serving: %w", serveErr)
	}
	closeErr := c.Close()
	cancelRequests()
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	if serveErr != nil {
		return serveErr
	}
	if closeErr != nil {
		return fmt.Errorf("closing the cluster: %w", closeErr)
	}
	log.Info("stopped", "virtual_time", c.Elapsed())
	return nil
}

// newMux serves the Mesos paths with the cluster's handler and the control
// API beside them.
func newMux(mesos http.Handler, ctl http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", limitBody(mesos, MaxMesosBodyBytes))
	mux.Handle(control.Prefix, ctl)
	mux.Handle(strings.TrimSuffix(control.Prefix, "/"), ctl)
	return mux
}

func limitBody(h http.Handler, n int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, n)
		h.ServeHTTP(w, r)
	})
}

func printBanner(w io.Writer, file *clusterfile.File, c *sim.Cluster, base string, took time.Duration) {
	clock := fmt.Sprintf("real: %g virtual second(s) per second", file.Speed())
	if file.ClockMode() == clusterfile.ClockManual {
		clock = "manual: virtual time moves only with \"mesos-sim advance DURATION\""
	}
	fmt.Fprintf(w, "mesos-sim listening on %s\n", base)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  cluster\t%d agents, ready in %v\n", file.AgentCount(), took.Round(time.Microsecond))
	fmt.Fprintf(tw, "  scheduler API\t%s/api/v1/scheduler\n", base)
	fmt.Fprintf(tw, "  control API\t%s%s\n", base, control.Prefix)
	fmt.Fprintf(tw, "  seed\t%d (replay with --seed %d)\n", c.Seed(), c.Seed())
	fmt.Fprintf(tw, "  clock\t%s\n", clock)
	tw.Flush()
	fmt.Fprintf(w, "Stop with Ctrl-C (SIGINT) or SIGTERM. Try: mesos-sim ps --master %s\n", base)
}

// accessLog logs every request at debug level.
func accessLog(log *slog.Logger, h http.Handler) http.Handler {
	if !log.Enabled(context.Background(), slog.LevelDebug) {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			log.Debug("http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "took", time.Since(start))
		}()
		h.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status; it passes Flush on, for event
// streams.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
