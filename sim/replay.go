package sim

import (
	"fmt"
	"hash/fnv"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// SeedEnv is the environment variable that overrides the seed of every
// Cluster a test creates: the replay command a failing test prints sets it.
const SeedEnv = "MESOS_SIM_SEED"

// chooseSeed returns the seed a cluster of the named test runs with: the
// SeedEnv variable if set, else the explicit seed if given, else a seed
// derived from the test's name, so that a test with no Seed option is
// still the same run every time.
func chooseSeed(testName string, explicit *uint64) (uint64, error) {
	if v, ok := os.LookupEnv(SeedEnv); ok && v != "" {
		s, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("sim: %s=%q is not an unsigned integer: %w", SeedEnv, v, err)
		}
		return s, nil
	}
	if explicit != nil {
		return *explicit, nil
	}
	h := fnv.New64a()
	h.Write([]byte(testName))
	return h.Sum64(), nil
}

// replayCommand is the shell command that reruns exactly the named test with
// the given seed, from the test's package directory.
func replayCommand(testName string, seed uint64) string {
	parts := strings.Split(testName, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return fmt.Sprintf("%s=%d go test -count=1 -run '%s' .", SeedEnv, seed, strings.Join(parts, "/"))
}
