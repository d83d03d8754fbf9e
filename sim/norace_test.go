//go:build !race

package sim_test

// raceEnabled reports whether the race detector is on.
const raceEnabled = false
