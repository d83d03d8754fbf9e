//go:build race

package main

// raceBuild: under -race the tests also build the binary with -race.
const raceBuild = true
