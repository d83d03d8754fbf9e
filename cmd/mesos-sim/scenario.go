package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/mesos-sim/mesos-sim/scenarios"
)

const scenarioUsage = `usage: mesos-sim scenario list
       mesos-sim scenario run NAME [--seed N] [--trace]
       mesos-sim scenario replay FILE [--trace]

Runs a chaos scenario in this process, on virtual time (no simulator needs
to be running): a named one from the library, or a case a failed
scenarios.Check wrote to a file. It prints the case, each framework's
outcome and every invariant that did not hold, and exits 1 if one did not.
With --trace it prints the whole trace after the report; the same seed gives
the same trace, byte for byte, here and in Go (scenarios.Run).
`

func runScenario(e env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := e.stderr
		if len(args) > 0 {
			w = e.stdout
		}
		fmt.Fprint(w, scenarioUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("mesos-sim scenario "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	seed := fs.Uint64("seed", 1, "the seed")
	trace := fs.Bool("trace", false, "print the whole trace after the report")
	// Flags may follow the positional argument.
	var pos []string
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			fmt.Fprintf(e.stderr, "mesos-sim scenario %s: %v\n%s", sub, err, scenarioUsage)
			return exitUsage
		}
		rest = fs.Args()
		if len(rest) > 0 {
			pos = append(pos, rest[0])
			rest = rest[1:]
		}
	}
	var (
		res scenarios.Result
		err error
	)
	switch sub {
	case "list":
		for _, name := range scenarios.Names() {
			s, _ := scenarios.Lookup(name)
			fmt.Fprintf(e.stdout, "%s\n    %s\n", name, strings.ReplaceAll(strings.TrimSpace(s.Doc), "\n", "\n    "))
		}
		return exitOK
	case "run":
		if len(pos) != 1 {
			fmt.Fprintf(e.stderr, "mesos-sim scenario run: want one scenario name; the names are: %s\n", strings.Join(scenarios.Names(), ", "))
			return exitUsage
		}
		if _, ok := scenarios.Lookup(pos[0]); !ok {
			fmt.Fprintf(e.stderr, "mesos-sim scenario run: unknown scenario %q; the names are: %s\n", pos[0], strings.Join(scenarios.Names(), ", "))
			return exitUsage
		}
		res, err = scenarios.Run(pos[0], *seed)
	case "replay":
		if len(pos) != 1 {
			fmt.Fprintf(e.stderr, "mesos-sim scenario replay: want one file\n%s", scenarioUsage)
			return exitUsage
		}
		res, err = scenarios.ReplayFile(pos[0])
	default:
		fmt.Fprintf(e.stderr, "mesos-sim scenario: unknown subcommand %q\n%s", sub, scenarioUsage)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "mesos-sim scenario %s: %v\n", sub, err)
		return exitError
	}
	fmt.Fprint(e.stdout, res.Report())
	if *trace {
		fmt.Fprint(e.stdout, "--- trace\n", res.Trace)
	}
	if !res.OK() {
		return exitError
	}
	return exitOK
}
