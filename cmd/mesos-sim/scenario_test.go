package main

import (
	"strings"
	"testing"

	"github.com/mesos-sim/mesos-sim/scenarios"
)

// TestScenarioRunMatchesGo runs a named scenario from the binary and from
// Go with one seed: the traces are the same, byte for byte.
func TestScenarioRunMatchesGo(t *testing.T) {
	const name, seed = "partition-then-heal", 7
	code, out, errOut := runCLI(t, "scenario", "run", name, "--seed", "7", "--trace")
	if code != exitOK {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	res, err := scenarios.Run(name, seed)
	if err != nil {
		t.Fatal(err)
	}
	_, trace, ok := strings.Cut(out, "--- trace\n")
	if !ok {
		t.Fatalf("no trace in the output:\n%s", out)
	}
	if trace != res.Trace {
		t.Errorf("the binary's trace differs from Go's (%d vs %d bytes)", len(trace), len(res.Trace))
	}
	if !strings.Contains(out, "all invariants held") {
		t.Errorf("report:\n%s", out)
	}
}

func TestScenarioCLIErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"scenario"}, exitUsage, "usage:"},
		{[]string{"scenario", "run", "no-such"}, exitUsage, `unknown scenario "no-such"`},
		{[]string{"scenario", "replay", "/nonexistent.json"}, exitError, "mesos-sim scenario replay:"},
		{[]string{"scenario", "frobnicate"}, exitUsage, `unknown subcommand "frobnicate"`},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(out+errOut, tt.want) {
			t.Errorf("%v: exit %d, output %q; want exit %d and %q", tt.args, code, out+errOut, tt.code, tt.want)
		}
	}
	code, out, _ := runCLI(t, "scenario", "list")
	if code != exitOK || !strings.Contains(out, "master-failover-mid-launch") {
		t.Errorf("scenario list: %d %s", code, out)
	}
}
