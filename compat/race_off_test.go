//go:build !race

package compat

// defaultChecks: see TestMain.
const defaultChecks = "50"
