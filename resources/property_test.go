package resources

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// genResources draws Resources from a small vocabulary so that identities
// collide often. Range values come from [lo, lo+49] and set items from
// items, so two draws with different lo/items never overlap in their
// non-scalar values (ranges and sets are sets, not multisets: a+b-b == a
// only holds when they do not overlap).
func genResources(lo uint64, items []string) *rapid.Generator[Resources] {
	return rapid.Custom(func(t *rapid.T) Resources {
		n := rapid.IntRange(0, 6).Draw(t, "n")
		var rs []Resource
		for i := range n {
			var r Resource
			switch rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("kind%d", i)) {
			case 0:
				r = NewScalarFixed("cpus", Scalar(rapid.Int64Range(0, 8000).Draw(t, "cpus")))
			case 1:
				r = NewScalarFixed("mem", Scalar(rapid.Int64Range(0, 64000).Draw(t, "mem")))
			case 2:
				var rgs []Range
				for range rapid.IntRange(0, 3).Draw(t, "nranges") {
					b := lo + rapid.Uint64Range(0, 49).Draw(t, "begin")
					e := b + rapid.Uint64Range(0, lo+49-b).Draw(t, "len")
					rgs = append(rgs, Range{b, e})
				}
				r = NewRanges("ports", rgs...)
			case 3:
				r = NewSet("disks", rapid.SliceOfNDistinct(rapid.SampledFrom(items), 0, len(items), rapid.ID[string]).Draw(t, "items")...)
			}
			switch rapid.IntRange(0, 3).Draw(t, fmt.Sprintf("role%d", i)) {
			case 1:
				r, _ = r.WithReservation(StaticReservation("r1"))
			case 2:
				r, _ = r.WithReservation(DynamicReservation("r1/a", "p"))
			}
			if rapid.Bool().Draw(t, "revocable") {
				r = r.AsRevocable()
			}
			if rapid.Bool().Draw(t, "allocated") {
				r = r.Allocated("web")
			}
			rs = append(rs, r)
		}
		return New(rs...)
	})
}

func TestPropertyArithmetic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genResources(0, []string{"a", "b", "c"}).Draw(t, "a")
		b := genResources(100, []string{"x", "y", "z"}).Draw(t, "b")
		sum := a.Plus(b)
		if got := sum.Minus(b); !got.Equal(a) {
			t.Fatalf("(a+b)-b = %s, want a = %s (b = %s)", got, a, b)
		}
		if !sum.Contains(a) || !sum.Contains(b) {
			t.Fatalf("a+b = %s does not contain a = %s or b = %s", sum, a, b)
		}
		if !sum.Equal(b.Plus(a)) {
			t.Fatalf("a+b = %s != b+a = %s", sum, b.Plus(a))
		}
		if !sum.ScalarQuantities().Equal(a.ScalarQuantities().Plus(b.ScalarQuantities())) {
			t.Fatalf("quantities of a+b = %s, want %s", sum.ScalarQuantities(), a.ScalarQuantities().Plus(b.ScalarQuantities()))
		}
	})
}

func TestPropertySubtraction(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Overlapping vocabularies on purpose.
		a := genResources(0, []string{"a", "b", "c"}).Draw(t, "a")
		b := genResources(0, []string{"a", "b", "c"}).Draw(t, "b")
		diff := a.Minus(b)
		for it := range diff.All() {
			if it.isEmpty() || it.Scalar() < 0 {
				t.Fatalf("a-b = %s has an empty or negative element %s", diff, it)
			}
		}
		if !a.Contains(diff) {
			t.Fatalf("a = %s does not contain a-b = %s", a, diff)
		}
		if a.Contains(b) && !diff.Plus(b).Equal(a) {
			t.Fatalf("a = %s contains b = %s but (a-b)+b = %s", a, b, diff.Plus(b))
		}
		if !a.Equal(a) || !a.Contains(a) || !a.Minus(a).IsEmpty() {
			t.Fatalf("a = %s is not equal to itself or a-a is not empty", a)
		}
		back, err := FromProto(a.ToProto())
		if err != nil || !back.Equal(a) || back.String() != a.String() {
			t.Fatalf("proto round trip of %s gave %s, %v", a, back, err)
		}
	})
}

func TestPropertyRanges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gen := rapid.Custom(func(t *rapid.T) []Range {
			var rs []Range
			for range rapid.IntRange(0, 5).Draw(t, "n") {
				b := rapid.Uint64Range(0, 60).Draw(t, "b")
				rs = append(rs, Range{b, b + rapid.Uint64Range(0, 10).Draw(t, "l")})
			}
			return coalesceRanges(rs)
		})
		a, b := gen.Draw(t, "a"), gen.Draw(t, "b")
		in := func(rs []Range, v uint64) bool {
			for _, r := range rs {
				if r.Begin <= v && v <= r.End {
					return true
				}
			}
			return false
		}
		u, d := unionRanges(a, b), subtractRanges(a, b)
		if !isCoalesced(u) || !isCoalesced(d) {
			t.Fatalf("not coalesced: %v, %v", u, d)
		}
		for v := uint64(0); v <= 75; v++ {
			if in(u, v) != (in(a, v) || in(b, v)) {
				t.Fatalf("union(%v, %v) = %v wrong at %d", a, b, u, v)
			}
			if in(d, v) != (in(a, v) && !in(b, v)) {
				t.Fatalf("subtract(%v, %v) = %v wrong at %d", a, b, d, v)
			}
		}
		if rangesSubset(a, b) != (len(subtractRanges(a, b)) == 0) {
			t.Fatalf("subset(%v, %v) disagrees with subtraction", a, b)
		}
	})
}
