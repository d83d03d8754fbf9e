package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the command failed
	exitUsage = 2 // the command line was wrong
)

// env is what a command reads and writes.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is a subcommand of mesos-sim.
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string
	run     func(e env, args []string) int
}

// commands are the subcommands, in the order help lists them.
var commands []command

func init() {
	commands = []command{
		{"init", "[FILE]", "write a commented cluster file (to stdout without FILE)", runInit},
		{"info", "", "the running cluster: seed, virtual time, clock, master, counts, URLs", runInfo},
		{"ps", "", "the tasks: id, name, framework, agent, state", runPS},
		{"agents", "[add [flags] | remove NAME]", "list, add or remove agents", runAgents},
		{"frameworks", "", "the frameworks", runFrameworks},
		{"state", "", "the master's /master/state JSON", runState},
		{"fault", "KIND [ARGS]", "inject a fault: partition, heal, crash-agent, restart-agent, lose-agent, mark-gone, failover, cut-stream, apply", runFault},
		{"advance", "DURATION", "move a manual clock forward, e.g. 90s", runAdvance},
		{"trace", "", "the simulator's last trace lines", runTrace},
		{"scenario", "list | run NAME [--seed N] | replay FILE", "run a chaos scenario on virtual time, in this process", runScenario},
		{"help", "[COMMAND]", "this help, or a command's", runHelp},
	}
}

func lookup(name string) (command, bool) {
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commands[i], true
}

// run runs mesos-sim with args and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		c, ok := lookup(args[0])
		if !ok {
			fmt.Fprintf(stderr, "mesos-sim: unknown command %q; the commands are: %s\n", args[0], commandNames())
			fmt.Fprintln(stderr, `Run "mesos-sim help" for usage.`)
			return exitUsage
		}
		return c.run(e, args[1:])
	}
	return serve(e, args)
}

func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func runHelp(e env, args []string) int {
	if len(args) == 0 {
		serveUsage(e.stdout, newServeFlags(io.Discard).fs)
		return exitOK
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(e.stderr, "mesos-sim help: unknown command %q; the commands are: %s\n", args[0], commandNames())
		return exitUsage
	}
	if c.name == "help" {
		fmt.Fprintln(e.stdout, "usage: mesos-sim help [COMMAND]")
		return exitOK
	}
	return c.run(env{stdin: e.stdin, stdout: e.stdout, stderr: e.stdout}, []string{"-h"})
}
