//go:build !race

package scenarios_test

// raceEnabled reports whether the race detector is on: the tests then run
// fewer generated cases.
const raceEnabled = false
