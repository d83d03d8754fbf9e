package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"

	"github.com/mesos-sim/mesos-sim/clusterfile"
)

func runInit(e env, args []string) int {
	fset := flag.NewFlagSet("mesos-sim init", flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	fset.Usage = func() {
		fmt.Fprintf(fset.Output(), `usage: mesos-sim init [FILE]

Writes a cluster file with the defaults, every field commented, to FILE
(never over an existing file) or to standard output. Start the simulator
with it: mesos-sim --config FILE
`)
	}
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	switch fset.NArg() {
	case 0:
		fmt.Fprint(e.stdout, clusterfile.Template)
		return exitOK
	case 1:
	default:
		fmt.Fprintf(e.stderr, "mesos-sim init: one FILE at most, got %d arguments\n", fset.NArg())
		return exitUsage
	}
	path := fset.Arg(0)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(e.stderr, "mesos-sim init: %s already exists; not overwriting it\n", path)
		} else {
			fmt.Fprintf(e.stderr, "mesos-sim init: %v\n", err)
		}
		return exitError
	}
	if _, err := f.WriteString(clusterfile.Template); err != nil {
		f.Close()
		fmt.Fprintf(e.stderr, "mesos-sim init: writing %s: %v\n", path, err)
		return exitError
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(e.stderr, "mesos-sim init: writing %s: %v\n", path, err)
		return exitError
	}
	fmt.Fprintf(e.stderr, "wrote %s; start the simulator with: mesos-sim --config %s\n", path, path)
	return exitOK
}
