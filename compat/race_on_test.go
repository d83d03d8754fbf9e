//go:build race

package compat

// Under the race detector everything runs ~8x slower; the properties are the
// same, so fewer random messages per type keep `go test -race` quick.
const defaultChecks = "20"
