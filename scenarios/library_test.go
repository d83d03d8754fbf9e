package scenarios_test

import (
	"strings"
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

// Every scenario documents itself; an unknown name lists the known ones.
func TestScenarioLibrary(t *testing.T) {
	for _, name := range scenarios.Names() {
		s, ok := scenarios.Lookup(name)
		if !ok || len(s.Doc) < 200 {
			t.Errorf("scenario %s: found %v, doc of %d bytes", name, ok, len(s.Doc))
		}
		if cs := s.Case(1); cs.Name != name || cs.Seed != 1 {
			t.Errorf("scenario %s: case %q seed %d", name, cs.Name, cs.Seed)
		}
	}
	if _, err := scenarios.Run("no-such-scenario", 1); err == nil || !strings.Contains(err.Error(), "partition-then-heal") {
		t.Errorf("Run of an unknown scenario: %v", err)
	}
}
