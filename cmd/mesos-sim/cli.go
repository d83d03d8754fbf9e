package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/mesos-sim/mesos-sim/control"
)

// DefaultMaster is where the client commands look for the simulator
// unless --master or $MESOS_SIM_MASTER says otherwise.
const DefaultMaster = "http://127.0.0.1:5050"

// clientCmd is a command that talks to a running simulator.
type clientCmd struct {
	e      env
	name   string
	fs     *flag.FlagSet
	master string
	output string
}

// newClientCmd returns the command's flag set with the common flags;
// synopsis and about make its usage text.
func newClientCmd(e env, name, synopsis, about string) *clientCmd {
	c := &clientCmd{e: e, name: name, fs: flag.NewFlagSet("mesos-sim "+name, flag.ContinueOnError)}
	c.fs.SetOutput(e.stderr)
	master := DefaultMaster
	if v := os.Getenv("MESOS_SIM_MASTER"); v != "" {
		master = v
	}
	c.fs.StringVar(&c.master, "master", master, "the simulator's `URL` (default from $MESOS_SIM_MASTER if set)")
	c.fs.StringVar(&c.output, "o", "table", "output `FORMAT`: table or json")
	c.fs.Usage = func() {
		w := c.fs.Output()
		fmt.Fprintf(w, "usage: mesos-sim %s %s\n\n%s\n\nflags:\n", name, synopsis, strings.TrimSpace(about))
		c.fs.PrintDefaults()
	}
	return c
}

// parse parses args, flags and positional arguments in any order. It
// returns the positional arguments and, when parsing ended the command
// (help, or a usage error), its exit code.
func (c *clientCmd) parse(args []string, minArgs, maxArgs int) ([]string, int, bool) {
	var pos []string
	for {
		if err := c.fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, true
			}
			return nil, exitUsage, true
		}
		rest := c.fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if c.output != "table" && c.output != "json" {
		return nil, c.usageError("-o %q: want table or json", c.output), true
	}
	switch {
	case len(pos) < minArgs:
		return nil, c.usageError("missing argument"), true
	case maxArgs >= 0 && len(pos) > maxArgs:
		return nil, c.usageError("unexpected argument %q", pos[maxArgs]), true
	}
	return pos, 0, false
}

func (c *clientCmd) usageError(format string, args ...any) int {
	fmt.Fprintf(c.e.stderr, "mesos-sim %s: %s\n", c.name, fmt.Sprintf(format, args...))
	fmt.Fprintf(c.e.stderr, "Run \"mesos-sim help %s\" for usage.\n", c.name)
	return exitUsage
}

// fail reports err on one line and returns the error exit code.
func (c *clientCmd) fail(err error) int {
	fmt.Fprintf(c.e.stderr, "mesos-sim %s: %v\n", c.name, err)
	return exitError
}

func (c *clientCmd) client() *control.Client {
	base := c.master
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	return control.NewClient(base)
}

func (c *clientCmd) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 2*time.Minute)
}

// printJSON writes v as indented JSON.
func (c *clientCmd) printJSON(v any) int {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintf(c.e.stdout, "%s\n", b)
	return exitOK
}

// table writes rows under a header, columns aligned.
func (c *clientCmd) table(header []string, rows [][]string) int {
	tw := tabwriter.NewWriter(c.e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		for i, v := range r {
			if v == "" {
				r[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return c.fail(err)
	}
	return exitOK
}

// cluster fetches the cluster summary.
func (c *clientCmd) cluster() (*control.ClusterInfo, error) {
	ctx, cancel := c.ctx()
	defer cancel()
	return c.client().Cluster(ctx)
}

// psRow is a task as ps shows it, with the names of its framework and
// agent.
type psRow struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Framework   string `json:"framework"`
	FrameworkID string `json:"framework_id"`
	Agent       string `json:"agent"`
	AgentID     string `json:"agent_id"`
	State       string `json:"state"`
}

func runPS(e env, args []string) int {
	c := newClientCmd(e, "ps", "[flags]", `
Lists the tasks the master tracks: live ones, and finished ones whose last
update the framework has not acknowledged yet.`)
	if _, code, done := c.parse(args, 0, 0); done {
		return code
	}
	info, err := c.cluster()
	if err != nil {
		return c.fail(err)
	}
	fwNames := map[string]string{}
	for _, f := range info.Frameworks {
		fwNames[f.ID] = f.Name
	}
	agentNames := map[string]string{}
	for _, a := range info.Agents {
		if a.ID != "" {
			agentNames[a.ID] = a.Name
		}
	}
	rows := []psRow{}
	for _, t := range info.Tasks {
		rows = append(rows, psRow{ID: t.ID, Name: t.Name, Framework: fwNames[t.FrameworkID], FrameworkID: t.FrameworkID,
			Agent: agentNames[t.AgentID], AgentID: t.AgentID, State: t.State})
	}
	if c.output == "json" {
		return c.printJSON(rows)
	}
	var table [][]string
	for _, r := range rows {
		fw := r.Framework
		if fw == "" {
			fw = r.FrameworkID
		}
		agent := r.Agent
		if agent == "" {
			agent = r.AgentID
		}
		table = append(table, []string{r.ID, r.Name, fw, agent, r.State})
	}
	return c.table([]string{"ID", "NAME", "FRAMEWORK", "AGENT", "STATE"}, table)
}

func runInfo(e env, args []string) int {
	c := newClientCmd(e, "info", "[flags]", `
Shows the running cluster: seed, virtual time, clock, master id, how many
agents, frameworks and tasks it has, and its URLs.`)
	if _, code, done := c.parse(args, 0, 0); done {
		return code
	}
	info, err := c.cluster()
	if err != nil {
		return c.fail(err)
	}
	if c.output == "json" {
		return c.printJSON(info)
	}
	running, registered := 0, 0
	for _, a := range info.Agents {
		if a.Running {
			running++
		}
		if a.Registered {
			registered++
		}
	}
	connected := 0
	for _, f := range info.Frameworks {
		if f.Connected {
			connected++
		}
	}
	clock := info.Clock
	if clock == "real" {
		clock = fmt.Sprintf("real (%g virtual seconds per second)", info.Speed)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "seed\t%d\n", info.Seed)
	fmt.Fprintf(tw, "virtual time\t%s (+%s)\n", info.VirtualTime.Format(time.RFC3339Nano), info.Elapsed)
	fmt.Fprintf(tw, "clock\t%s\n", clock)
	fmt.Fprintf(tw, "master id\t%s\n", info.MasterID)
	fmt.Fprintf(tw, "agents\t%d (%d running, %d registered)\n", len(info.Agents), running, registered)
	fmt.Fprintf(tw, "frameworks\t%d (%d connected)\n", len(info.Frameworks), connected)
	fmt.Fprintf(tw, "tasks\t%d\n", len(info.Tasks))
	fmt.Fprintf(tw, "scheduler API\t%s\n", info.SchedulerURL)
	fmt.Fprintf(tw, "master state\t%s\n", info.StateURL)
	fmt.Fprintf(tw, "control API\t%s\n", info.ControlURL)
	if err := tw.Flush(); err != nil {
		return c.fail(err)
	}
	return exitOK
}

func agentState(a control.Agent) string {
	switch {
	case a.Removed:
		return "removed"
	case !a.Running:
		return "crashed"
	case a.Registered:
		return "registered"
	}
	return "registering"
}

func runAgents(e env, args []string) int {
	if len(args) > 0 {
		switch args[0] {
		case "add":
			return runAgentsAdd(e, args[1:])
		case "remove", "rm":
			return runAgentsRemove(e, args[1:])
		}
	}
	c := newClientCmd(e, "agents", "[flags] | add [flags] | remove NAME", `
Lists the agents; "agents add" adds one, "agents remove NAME" removes one
for good (it crashes and never comes back; the master marks it unreachable
when its pings time out).`)
	if _, code, done := c.parse(args, 0, 0); done {
		return code
	}
	info, err := c.cluster()
	if err != nil {
		return c.fail(err)
	}
	if c.output == "json" {
		return c.printJSON(info.Agents)
	}
	var rows [][]string
	for _, a := range info.Agents {
		rows = append(rows, []string{a.Name, a.ID, agentState(a), a.Resources, a.Used})
	}
	return c.table([]string{"NAME", "ID", "STATE", "RESOURCES", "USED"}, rows)
}

func printAgent(c *clientCmd, a *control.Agent) int {
	if c.output == "json" {
		return c.printJSON(a)
	}
	return c.table([]string{"NAME", "ID", "STATE", "RESOURCES", "USED"}, [][]string{{a.Name, a.ID, agentState(*a), a.Resources, a.Used}})
}

func runAgentsAdd(e env, args []string) int {
	c := newClientCmd(e, "agents add", "[flags]", `
Adds an agent; what the flags leave out is as the cluster's first agents.`)
	var req control.AddAgentRequest
	c.fs.StringVar(&req.Resources, "resources", "", "the agent's resources, Mesos `TEXT`")
	c.fs.StringVar(&req.Attributes, "attributes", "", "the agent's attributes, Mesos `TEXT`")
	c.fs.StringVar(&req.Region, "region", "", "fault domain `REGION` (with --zone)")
	c.fs.StringVar(&req.Zone, "zone", "", "fault domain `ZONE` (with --region)")
	if _, code, done := c.parse(args, 0, 0); done {
		return code
	}
	ctx, cancel := c.ctx()
	defer cancel()
	a, err := c.client().AddAgent(ctx, req)
	if err != nil {
		return c.fail(err)
	}
	return printAgent(c, a)
}

func runAgentsRemove(e env, args []string) int {
	c := newClientCmd(e, "agents remove", "NAME [flags]", `
Removes an agent for good: it crashes and never comes back.`)
	pos, code, done := c.parse(args, 1, 1)
	if done {
		return code
	}
	ctx, cancel := c.ctx()
	defer cancel()
	a, err := c.client().RemoveAgent(ctx, pos[0])
	if err != nil {
		return c.fail(err)
	}
	return printAgent(c, a)
}

func runFrameworks(e env, args []string) int {
	c := newClientCmd(e, "frameworks", "[flags]", `
Lists the frameworks the master knows.`)
	if _, code, done := c.parse(args, 0, 0); done {
		return code
	}
	info, err := c.cluster()
	if err != nil {
		return c.fail(err)
	}
	if c.output == "json" {
		return c.printJSON(info.Frameworks)
	}
	var rows [][]string
	for _, f := range info.Frameworks {
		state := "disconnected"
		if f.Connected {
			state = "connected"
		}
		if !f.Active {
			state += ", inactive"
		}
		rows = append(rows, []string{f.ID, f.Name, strings.Join(f.Roles, ","), state, fmt.Sprint(f.Tasks)})
	}
	return c.table([]string{"ID", "NAME", "ROLES", "STATE", "TASKS"}, rows)
}

func runState(e env, args []string) int {
	c := newClientCmd(e, "state", "[flags]", `
Prints the master's /master/state JSON as the master wrote it (-o is
ignored: it is JSON).`)
	if _, code, done := c.parse(args, 0, 0); done {
		return code
	}
	ctx, cancel := c.ctx()
	defer cancel()
	b, err := c.client().MasterState(ctx)
	if err != nil {
		return c.fail(err)
	}
	if _, err := e.stdout.Write(b); err != nil {
		return c.fail(err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		fmt.Fprintln(e.stdout)
	}
	return exitOK
}

func runTrace(e env, args []string) int {
	c := newClientCmd(e, "trace", "[flags]", `
Prints the last lines of the simulator's trace: every message, timer and
state change, stamped with virtual time (-o is ignored: it is text).`)
	if _, code, done := c.parse(args, 0, 0); done {
		return code
	}
	ctx, cancel := c.ctx()
	defer cancel()
	text, err := c.client().Trace(ctx)
	if err != nil {
		return c.fail(err)
	}
	_, _ = io.WriteString(e.stdout, text)
	return exitOK
}

func runAdvance(e env, args []string) int {
	c := newClientCmd(e, "advance", "DURATION [flags]", `
Moves a manual clock forward by DURATION, a Go duration such as 90s or
1m30s, running every timer due on the way (heartbeats, ping timeouts,
offer timeouts, task behaviours). The simulator must run with
--clock=manual.`)
	pos, code, done := c.parse(args, 1, 1)
	if done {
		return code
	}
	d, err := time.ParseDuration(pos[0])
	if err != nil || d <= 0 {
		return c.usageError("%q: want a positive Go duration such as 90s or 1m30s", pos[0])
	}
	ctx, cancel := c.ctx()
	defer cancel()
	ci, err := c.client().Advance(ctx, d)
	if err != nil {
		return c.fail(err)
	}
	if c.output == "json" {
		return c.printJSON(ci)
	}
	fmt.Fprintf(e.stdout, "virtual time %s (+%s)\n", ci.VirtualTime.Format(time.RFC3339Nano), ci.Elapsed)
	return exitOK
}
