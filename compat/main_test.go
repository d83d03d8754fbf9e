package compat

import (
	"flag"
	"os"
	"testing"
)

// TestMain sets rapid's number of random messages per type and property to
// defaultChecks (50; 20 under -race) when neither -rapid.checks nor
// RAPID_CHECKS says otherwise: rapid's own default, 100, over ~250 types and
// several properties, is slower than an every-run test should be. Run deeper
// with e.g. `go test -rapid.checks=1000 ./...`.
func TestMain(m *testing.M) {
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
	if _, env := os.LookupEnv("RAPID_CHECKS"); !explicit && !env {
		if err := flag.Set("rapid.checks", defaultChecks); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
