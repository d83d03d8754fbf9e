package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/mesos-sim/mesos-sim/faults"
)

// faultKind is a "mesos-sim fault" subcommand: one fault of the faults
// package, from positional arguments.
type faultKind struct {
	name    string
	args    string
	about   string
	minArgs int
	maxArgs int
	flags   func(c *clientCmd) func(pos []string) map[string]any
}

func agentFault(kind string) func(c *clientCmd) func(pos []string) map[string]any {
	return func(*clientCmd) func([]string) map[string]any {
		return func(pos []string) map[string]any { return map[string]any{"kind": kind, "agent": pos[0]} }
	}
}

var faultKinds = []faultKind{
	{"partition", "AGENT [--direction both|to-agent|from-agent]", "cut the network between the master and AGENT (messages are dropped)", 1, 1,
		func(c *clientCmd) func([]string) map[string]any {
			dir := c.fs.String("direction", "both", "which messages are lost: `both`, to-agent (master to agent) or from-agent")
			return func(pos []string) map[string]any {
				f := map[string]any{"kind": "partition", "agent": pos[0]}
				if *dir != "both" {
					f["direction"] = *dir
				}
				return f
			}
		}},
	{"heal", "[AGENT]", "remove the network faults on AGENT, or on every agent", 0, 1,
		func(*clientCmd) func([]string) map[string]any {
			return func(pos []string) map[string]any {
				f := map[string]any{"kind": "heal"}
				if len(pos) > 0 {
					f["agent"] = pos[0]
				}
				return f
			}
		}},
	{"crash-agent", "AGENT", "kill the agent process; its tasks die with it", 1, 1, agentFault("crash-agent")},
	{"restart-agent", "AGENT [--no-recover]", "start a crashed agent again, recovering its checkpointed tasks unless --no-recover", 1, 1,
		func(c *clientCmd) func([]string) map[string]any {
			noRecover := c.fs.Bool("no-recover", false, "the work directory is lost: the agent registers as a new agent")
			return func(pos []string) map[string]any {
				return map[string]any{"kind": "restart-agent", "agent": pos[0], "recover": !*noRecover}
			}
		}},
	{"lose-agent", "AGENT", "crash the agent for good: it never comes back", 1, 1, agentFault("lose-agent")},
	{"mark-gone", "AGENT", "the operator's MARK_AGENT_GONE for the agent", 1, 1, agentFault("mark-agent-gone")},
	{"failover", "", "fail the master over to a new leader: streams end, agents re-register", 0, 0,
		func(*clientCmd) func([]string) map[string]any {
			return func([]string) map[string]any { return map[string]any{"kind": "failover-master"} }
		}},
	{"cut-stream", "FRAMEWORK", "end the event stream of FRAMEWORK (an id or a name)", 1, 1,
		func(*clientCmd) func([]string) map[string]any {
			return func(pos []string) map[string]any { return map[string]any{"kind": "cut-stream", "framework": pos[0]} }
		}},
}

func faultUsage(w io.Writer) {
	fmt.Fprintf(w, `usage: mesos-sim fault KIND [ARGS] [flags]

Injects a fault into the running simulator, now; "fault apply FILE"
posts a fault object or a schedule (an array of steps) in the faults
package's JSON form ("-" reads standard input).

kinds:
`)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, k := range faultKinds {
		fmt.Fprintf(tw, "  %s %s\t%s\n", k.name, k.args, k.about)
	}
	fmt.Fprintf(tw, "  apply FILE\tinject a fault object, or install a schedule, read from FILE\n")
	tw.Flush()
	fmt.Fprintf(w, "\nAll kinds of the JSON form: %s.\n", strings.Join(faults.Kinds(), ", "))
	fmt.Fprintf(w, "Example schedule: [{\"at\":\"60s\",\"fault\":{\"kind\":\"partition\",\"agent\":\"agent-2\"}},\n"+
		"                   {\"after\":\"2m\",\"fault\":{\"kind\":\"heal\"}}]\n")
	fmt.Fprintf(w, "\nRun \"mesos-sim fault KIND -h\" for a kind's flags (--master, -o).\n")
}

func runFault(e env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		w := e.stderr
		if len(args) > 0 {
			w = e.stdout
		}
		faultUsage(w)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	kind, rest := args[0], args[1:]
	if kind == "apply" {
		return runFaultApply(e, rest)
	}
	for _, k := range faultKinds {
		if k.name != kind {
			continue
		}
		c := newClientCmd(e, "fault "+k.name, k.args, k.about+".")
		build := k.flags(c)
		pos, code, done := c.parse(rest, k.minArgs, k.maxArgs)
		if done {
			return code
		}
		body, err := json.Marshal(build(pos))
		if err != nil {
			return c.fail(err)
		}
		return postFaults(c, body)
	}
	fmt.Fprintf(e.stderr, "mesos-sim fault: unknown kind %q\n\n", kind)
	faultUsage(e.stderr)
	return exitUsage
}

func runFaultApply(e env, args []string) int {
	c := newClientCmd(e, "fault apply", "FILE [flags]", `
Posts FILE ("-": standard input) to the simulator: a fault object, such as
{"kind":"partition","agent":"agent-2"}, is injected now; an array of steps
is installed as a schedule, its times counted in virtual time.`)
	pos, code, done := c.parse(args, 1, 1)
	if done {
		return code
	}
	var body []byte
	var err error
	if pos[0] == "-" {
		body, err = io.ReadAll(io.LimitReader(e.stdin, 1<<20+1))
	} else {
		body, err = os.ReadFile(pos[0])
	}
	if err != nil {
		return c.fail(err)
	}
	return postFaults(c, body)
}

func postFaults(c *clientCmd, body []byte) int {
	ctx, cancel := c.ctx()
	defer cancel()
	res, err := c.client().Faults(ctx, body)
	if err != nil {
		return c.fail(err)
	}
	if c.output == "json" {
		return c.printJSON(res)
	}
	for _, f := range res.Installed {
		if f.When != "" {
			fmt.Fprintf(c.e.stdout, "scheduled: %s: %s\n", f.When, f.Description)
		} else {
			fmt.Fprintf(c.e.stdout, "injected: %s\n", f.Description)
		}
	}
	return exitOK
}
