package loop

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func draws(l *Loop, component string, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = l.Rand(component).Uint64()
	}
	return out
}

func TestRandStreamsAreIndependent(t *testing.T) {
	tests := []struct {
		name       string
		extraDraws int // drawn from "agent" before "allocator" draws
	}{
		{"no extra draws", 0},
		{"one extra draw", 1},
		{"many extra draws", 1000},
	}
	want := draws(New(Config{Seed: 42}), "allocator", 8)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := New(Config{Seed: 42})
			draws(l, "agent", tc.extraDraws)
			if diff := cmp.Diff(want, draws(l, "allocator", 8)); diff != "" {
				t.Errorf("allocator stream shifted by draws from agent (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRandStreamsDiffer(t *testing.T) {
	l := New(Config{Seed: 1})
	a, b := draws(l, "a", 4), draws(l, "b", 4)
	if cmp.Equal(a, b) {
		t.Error("streams a and b are equal")
	}
	if cmp.Equal(a, draws(New(Config{Seed: 2}), "a", 4)) {
		t.Error("stream a is the same for seeds 1 and 2")
	}
	if l.Rand("a") != l.Rand("a") {
		t.Error("Rand does not cache the stream")
	}
}

func TestNewRandMatchesLoopRand(t *testing.T) {
	r := NewRand(9, "faults")
	l := New(Config{Seed: 9})
	for i := range 16 {
		if got, want := l.Rand("faults").Uint64(), r.Uint64(); got != want {
			t.Fatalf("draw %d: Loop.Rand = %#x, NewRand = %#x", i, got, want)
		}
	}
}

// TestRandDerivationIsPinned pins the derivation: changing it changes every
// trace and ID, and must be a conscious decision.
func TestRandDerivationIsPinned(t *testing.T) {
	if got := fnv1a64(""); got != 14695981039346656037 {
		t.Errorf("fnv1a64(\"\") = %d", got)
	}
	if got := fnv1a64("a"); got != 0xaf63dc4c8601ec8c {
		t.Errorf("fnv1a64(\"a\") = %#x, want 0xaf63dc4c8601ec8c", got)
	}
	if got := splitmix64(0); got != 0xe220a8397b1dcdaf {
		t.Errorf("splitmix64(0) = %#x, want 0xe220a8397b1dcdaf (SplitMix64's first output for state 0)", got)
	}
}
