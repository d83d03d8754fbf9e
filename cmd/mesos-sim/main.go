// Command mesos-sim will run a local simulated Mesos cluster on
// 127.0.0.1:5050 for frameworks written in any language.
//
// The cluster behind it is not built yet: today the command says so and
// exits. The README tracks what works.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "mesos-sim: the simulated cluster is not built yet; this placeholder only prints this line.")
	fmt.Fprintln(os.Stderr, "mesos-sim: the wire types, JSON mapping and RecordIO framing are ready under ./api (see README.md).")
	os.Exit(0)
}
