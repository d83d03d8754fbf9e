package clusterfile

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/resources"
)

// MaxSpeed bounds the clock speed: a day of virtual time per wall second
// is plenty, and beyond it catching up with the wall clock starves the
// HTTP side.
const MaxSpeed = 86400

// fieldError is a problem with one field of a File, by path
// ("agents[1].resources").
type fieldError struct {
	path  string
	atKey bool // the problem is the key (a role name), not the value
	msg   string
}

func (e fieldError) Error() string { return e.path + ": " + e.msg }

// Validate checks the whole file and returns every problem found, each as
// "path: reason", joined with errors.Join.
func (f *File) Validate() error {
	var errs []error
	for _, fe := range f.check() {
		errs = append(errs, fe)
	}
	return errors.Join(errs...)
}

func (f *File) check() []fieldError {
	var errs []fieldError
	add := func(path, format string, args ...any) {
		errs = append(errs, fieldError{path: path, msg: fmt.Sprintf(format, args...)})
	}
	addKey := func(path, format string, args ...any) {
		errs = append(errs, fieldError{path: path, atKey: true, msg: fmt.Sprintf(format, args...)})
	}

	if f.Addr != "" {
		if _, port, err := net.SplitHostPort(f.Addr); err != nil {
			add("addr", "want host:port, e.g. %q: %v", DefaultAddr, err)
		} else if _, err := strconv.ParseUint(port, 10, 16); err != nil {
			add("addr", "port %q is not a number from 0 to 65535", port)
		}
	}
	switch f.Clock.Mode {
	case "", ClockReal, ClockManual:
	default:
		add("clock.mode", "want %q or %q, got %q", ClockReal, ClockManual, f.Clock.Mode)
	}
	if s := f.Clock.Speed; s < 0 || s > MaxSpeed || math.IsNaN(s) {
		add("clock.speed", "want a speed above 0 and at most %d (virtual seconds per wall second), got %v", MaxSpeed, s)
	}
	if f.LogLevel != "" && !slices.Contains(LogLevels, f.LogLevel) {
		add("log_level", "want one of %s, got %q", strings.Join(LogLevels, ", "), f.LogLevel)
	}

	if n := f.TraceLines; n < 0 || n > MaxTraceLines {
		add("trace_lines", "want 0 to %d lines, got %d", MaxTraceLines, n)
	}

	total := 0
	for i, g := range f.Agents {
		p := "agents[" + strconv.Itoa(i) + "]"
		if g.Count < 0 {
			add(p+".count", "want 0 or more agents, got %d", g.Count)
		}
		total += max(g.Count, 0)
		if _, err := resources.AgentResources(g.Resources, "*"); err != nil {
			add(p+".resources", "bad resource text %q: %v", g.Resources, err)
		}
		if _, err := resources.ParseAttributes(g.Attributes); err != nil {
			add(p+".attributes", "bad attribute text %q: %v", g.Attributes, err)
		}
		if g.Region == "" && g.Zone != "" {
			add(p+".zone", "a zone needs a region too")
		}
		if g.Region != "" && g.Zone == "" {
			add(p+".region", "a region needs a zone too")
		}
	}
	if total > MaxAgents {
		add("agents", "%d agents declared; at most %d", total, MaxAgents)
	}

	whitelist := map[string]bool{}
	for i, role := range f.Roles {
		p := "roles[" + strconv.Itoa(i) + "]"
		if err := resources.ValidateRole(role); err != nil {
			add(p, "%v", err)
		} else if role == "*" {
			add(p, "the default role \"*\" need not be listed")
		}
		if whitelist[role] {
			add(p, "role %q is listed twice", role)
		}
		whitelist[role] = true
	}
	listed := func(role string) bool { return len(f.Roles) == 0 || whitelist[role] }

	for _, role := range slices.Sorted(maps.Keys(f.Weights)) {
		p := memberPath("weights", role)
		w := f.Weights[role]
		if err := resources.ValidateRole(role); err != nil {
			addKey(p, "%v", err)
		} else if !listed(role) {
			addKey(p, "role %q is not in roles %v", role, f.Roles)
		}
		if w <= 0 || math.IsInf(w, 0) || math.IsNaN(w) {
			add(p, "want a positive weight, got %v", w)
		}
	}
	for _, role := range slices.Sorted(maps.Keys(f.Quota)) {
		p := memberPath("quota", role)
		q := f.Quota[role]
		if err := resources.ValidateRole(role); err != nil {
			addKey(p, "%v", err)
		} else if strings.Contains(role, "/") || role == "*" {
			addKey(p, "quota is for top-level roles; %q is not one", role)
		} else if !listed(role) {
			addKey(p, "role %q is not in roles %v", role, f.Roles)
		}
		if _, err := resources.ParseQuantities(q.Guarantee); err != nil {
			add(p+".guarantee", "bad quantity text %q: %v", q.Guarantee, err)
		}
		if _, err := resources.ParseLimits(q.Limit); err != nil {
			add(p+".limit", "bad quantity text %q: %v", q.Limit, err)
		}
	}

	for i, b := range f.Behaviors {
		p := "behaviors[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(b.Behavior) == "" {
			add(p+".behavior", "empty behaviour; say what the tasks do, e.g. \"run=30s exit=1\"")
		} else if _, err := agent.ParseBehavior(b.Behavior); err != nil {
			add(p+".behavior", "%v", err)
		}
	}

	for _, d := range []struct {
		name   string
		text   string
		zeroOK bool
	}{
		{"allocation_interval", f.Master.AllocationInterval, false},
		{"offer_timeout", f.Master.OfferTimeout, true},
		{"agent_ping_timeout", f.Master.AgentPingTimeout, false},
	} {
		if d.text == "" {
			continue
		}
		p := "master." + d.name
		v, err := time.ParseDuration(d.text)
		switch {
		case err != nil:
			add(p, "want a duration such as \"15s\" or \"1m30s\", got %q", d.text)
		case v < 0 || v == 0 && !d.zeroOK:
			add(p, "want a positive duration, got %q", d.text)
		}
	}
	if n := f.Master.MaxAgentPingTimeouts; n < 0 {
		add("master.max_agent_ping_timeouts", "want a positive count, got %d", n)
	}

	if hasFaults(f.Faults) {
		if err := checkFaults(f.Faults); err != nil {
			add("faults", "%v", err)
		}
	}
	return errs
}
