package scenarios_test

import (
	"testing"

	"github.com/mesos-sim/mesos-sim/scenarios"
)

// Every named scenario runs with all invariants holding, and the same seed
// gives the same trace, byte for byte.
func TestNamedScenarios(t *testing.T) {
	for _, name := range scenarios.Names() {
		t.Run(name, func(t *testing.T) {
			res, err := scenarios.Run(name, 42)
			if err != nil {
				t.Fatalf("%v\n%s", err, res.Report())
			}
			again, err := scenarios.Run(name, 42)
			if err != nil {
				t.Fatal(err)
			}
			if res.Trace != again.Trace {
				t.Errorf("seed 42 gave two different traces (%d and %d bytes)", len(res.Trace), len(again.Trace))
			}
			if res.Trace == "" {
				t.Error("no trace kept")
			}
		})
	}
}
