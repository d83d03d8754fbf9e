package agent

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// BehaviorLabel is the task label whose value scripts what a simulated task
// does; see the package documentation for its grammar.
const BehaviorLabel = "mesos-sim.behavior"

// Behavior scripts a simulated task. The zero value is a task that does what
// its command says (see the package documentation) and is healthy.
type Behavior struct {
	// Exits says that Run and ExitCode decide how the task ends, whatever
	// its command: after Run it exits with ExitCode (0: TASK_FINISHED,
	// otherwise TASK_FAILED). Without Exits the command decides.
	Exits    bool
	Run      time.Duration
	ExitCode int
	// StartDelay holds the task back before it is delivered to its
	// executor; a kill meanwhile is a kill "during launch".
	StartDelay time.Duration
	// FailToStart makes the container launch fail: TASK_FAILED,
	// REASON_CONTAINER_LAUNCH_FAILED, SOURCE_AGENT.
	FailToStart bool
	// IgnoreTerm: the task survives SIGTERM and dies only when the kill
	// grace period ends (SIGKILL).
	IgnoreTerm bool
	// HangOnKill: after a kill the task never reports again.
	HangOnKill bool
	// CrashExecutor > 0: the task's executor dies that long after the task
	// was delivered; the agent reports TASK_FAILED, REASON_EXECUTOR_TERMINATED
	// for its tasks and ExitedExecutor to the master.
	CrashExecutor time.Duration
	// UnhealthyAfter > 0: health checks fail from that long after the task
	// started running.
	UnhealthyAfter time.Duration
	// Reply, when set, answers each framework message to the task's
	// executor with an executor-to-framework message (nil: no answer).
	Reply func(data []byte) []byte
}

// Rule gives a Behavior to every task that Match accepts. Rules are tried in
// order; the first match wins. A task's BehaviorLabel overrides all rules.
type Rule struct {
	Match    func(*mesospb.TaskInfo) bool
	Behavior Behavior
}

// ParseBehavior parses the value of a BehaviorLabel.
func ParseBehavior(text string) (Behavior, error) {
	var b Behavior
	for _, tok := range strings.Fields(text) {
		key, val, hasVal := strings.Cut(tok, "=")
		needVal := func() error {
			if !hasVal || val == "" {
				return fmt.Errorf("%q needs a value", key)
			}
			return nil
		}
		noVal := func() error {
			if hasVal {
				return fmt.Errorf("%q takes no value", key)
			}
			return nil
		}
		var err error
		switch key {
		case "run":
			if err = needVal(); err == nil {
				b.Run, err = parseDuration(val)
				b.Exits = true
			}
		case "exit":
			if err = needVal(); err == nil {
				b.ExitCode, err = strconv.Atoi(val)
				if err == nil && (b.ExitCode < 0 || b.ExitCode > 255) {
					err = fmt.Errorf("exit code %d out of range [0, 255]", b.ExitCode)
				}
				b.Exits = true
			}
		case "start-delay":
			if err = needVal(); err == nil {
				b.StartDelay, err = parseDuration(val)
			}
		case "crash-executor":
			if err = needVal(); err == nil {
				b.CrashExecutor, err = parseDuration(val)
			}
		case "unhealthy-after":
			if err = needVal(); err == nil {
				b.UnhealthyAfter, err = parseDuration(val)
				b.UnhealthyAfter = max(b.UnhealthyAfter, time.Nanosecond) // 0: from the start
			}
		case "fail-to-start":
			err = noVal()
			b.FailToStart = true
		case "ignore-term":
			err = noVal()
			b.IgnoreTerm = true
		case "hang-on-kill":
			err = noVal()
			b.HangOnKill = true
		case "echo":
			err = noVal()
			b.Reply = func(d []byte) []byte { return d }
		default:
			err = fmt.Errorf("unknown word %q", key)
		}
		if err != nil {
			return Behavior{}, fmt.Errorf("%s %q: %w", BehaviorLabel, text, err)
		}
	}
	return b, nil
}

// parseDuration reads a Go duration ("2m30s") or a number of seconds ("30").
func parseDuration(s string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 {
			return 0, fmt.Errorf("negative duration %q", s)
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return d, nil
}

// behaviorOf resolves a task's behaviour: its label, else the first rule
// that matches, else the zero Behavior; then its command fills in how it
// ends unless the behaviour says so itself.
func behaviorOf(rules []Rule, ti *mesospb.TaskInfo) (Behavior, error) {
	var b Behavior
	found := false
	for _, l := range ti.GetLabels().GetLabels() {
		if l.GetKey() == BehaviorLabel {
			var err error
			if b, err = ParseBehavior(l.GetValue()); err != nil {
				return Behavior{}, err
			}
			found = true
			break
		}
	}
	if !found {
		for _, r := range rules {
			if r.Match != nil && r.Match(ti) {
				b = r.Behavior
				break
			}
		}
	}
	if !b.Exits {
		b.Run, b.ExitCode, b.Exits = commandBehavior(ti.GetCommand())
	}
	return b, nil
}

// commandBehavior interprets the few shell commands the simulator
// understands: "sleep N", "exit K", "true", "false", and commands that
// print something and exit 0 at once ("echo ...", "hostname", "ls", ...:
// see quickCommands). Anything else runs until killed (exits == false).
// quickCommands exit 0 at once: what framework examples run to show a task
// that finishes (mesos-go's msh runs "echo hello", for one).
var quickCommands = map[string]bool{
	"echo": true, "printf": true, "hostname": true, "ls": true, "pwd": true,
	"date": true, "env": true, "whoami": true, "uname": true, "id": true,
}

func commandBehavior(c *mesospb.CommandInfo) (run time.Duration, code int, exits bool) {
	if c == nil {
		return 0, 0, false
	}
	cmd := c.GetValue()
	if !c.GetShell() && len(c.GetArguments()) > 1 {
		cmd = strings.Join(c.GetArguments(), " ")
	}
	f := strings.Fields(cmd)
	if len(f) > 0 {
		f[0] = path.Base(f[0]) // /bin/true is true
	}
	switch {
	case len(f) > 0 && quickCommands[f[0]]:
		return 0, 0, true
	case len(f) == 1 && f[0] == "true":
		return 0, 0, true
	case len(f) == 1 && f[0] == "false":
		return 0, 1, true
	case len(f) == 1 && f[0] == "exit":
		return 0, 0, true
	case len(f) == 2 && f[0] == "exit":
		k, err := strconv.Atoi(f[1])
		if err != nil {
			return 0, 0, false
		}
		return 0, k & 0xff, true
	case len(f) == 2 && f[0] == "sleep":
		d, err := parseDuration(f[1])
		if err != nil {
			return 0, 0, false
		}
		return d, 0, true
	}
	return 0, 0, false
}
