package loop

import "math/rand/v2"

// Rand returns the random stream of component, creating it on first use from
// the loop's seed and the name (see NewRand) and caching it. Each component
// draws from its own stream, so an extra draw in one component never shifts
// the numbers another component sees. Use stable names such as "allocator",
// "agent", "faults", "ids".
func (l *Loop) Rand(component string) *rand.Rand {
	if r, ok := l.rands[component]; ok {
		return r
	}
	r := NewRand(l.seed, component)
	l.rands[component] = r
	return r
}

// NewRand returns the stream that a Loop with this seed hands to component.
// Code that needs randomness outside a loop, or a fresh stream per round
// (e.g. the allocator keyed by (seed, cycle)), calls it directly with a
// distinct name.
//
// The derivation, which must not change without changing every trace:
//
//	h  = FNV-1a 64-bit hash of the bytes of component
//	s1 = splitmix64(seed XOR h)
//	s2 = splitmix64(s1 + 0x9e3779b97f4a7c15)
//	stream = rand.New(rand.NewPCG(s1, s2))
//
// where splitmix64 is the finalizer of Vigna's SplitMix64 generator (add the
// golden gamma, then two xor-shift-multiply rounds and a final xor-shift).
func NewRand(seed uint64, component string) *rand.Rand {
	s1, s2 := streamSeeds(seed, component)
	return rand.New(rand.NewPCG(s1, s2))
}

func streamSeeds(seed uint64, component string) (uint64, uint64) {
	s1 := splitmix64(seed ^ fnv1a64(component))
	return s1, splitmix64(s1 + goldenGamma)
}

const goldenGamma = 0x9e3779b97f4a7c15

func splitmix64(z uint64) uint64 {
	z += goldenGamma
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func fnv1a64(s string) uint64 {
	const (
		offset64 = 14695981039346656037
		prime64  = 1099511628211
	)
	h := uint64(offset64)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= prime64
	}
	return h
}
