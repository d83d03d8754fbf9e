package resources

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Range is an inclusive interval [Begin, End] of a RANGES resource such as
// ports.
type Range struct {
	Begin, End uint64
}

// Size is the number of values in the range (End-Begin+1), saturating at the
// maximum uint64.
func (r Range) Size() uint64 {
	if r.Begin == 0 && r.End == math.MaxUint64 {
		return math.MaxUint64
	}
	return r.End - r.Begin + 1
}

// coalesceRanges sorts the ranges and merges overlapping and adjacent ones
// ([1-4, 3-5, 7-8, 8-10] becomes [1-5, 7-10]). It reuses the input slice.
// Inverted ranges (Begin > End) must have been rejected before.
func coalesceRanges(rs []Range) []Range {
	if len(rs) <= 1 {
		return rs
	}
	slices.SortFunc(rs, func(a, b Range) int {
		switch {
		case a.Begin < b.Begin:
			return -1
		case a.Begin > b.Begin:
			return 1
		case a.End < b.End:
			return -1
		case a.End > b.End:
			return 1
		}
		return 0
	})
	out := rs[:1]
	for _, r := range rs[1:] {
		cur := &out[len(out)-1]
		if cur.End == math.MaxUint64 || r.Begin <= cur.End+1 {
			if r.End > cur.End {
				cur.End = r.End
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// isCoalesced reports whether rs is sorted, non-overlapping and
// non-adjacent, i.e. in the canonical form every Resources value keeps.
func isCoalesced(rs []Range) bool {
	for i := 1; i < len(rs); i++ {
		prev := rs[i-1]
		if prev.End == math.MaxUint64 || rs[i].Begin <= prev.End+1 {
			return false
		}
	}
	return true
}

// unionRanges returns the coalesced union of two coalesced lists in a new
// slice.
func unionRanges(a, b []Range) []Range {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]Range, 0, len(a)+len(b))
	i, j := 0, 0
	push := func(r Range) {
		if n := len(out); n > 0 {
			cur := &out[n-1]
			if cur.End == math.MaxUint64 || r.Begin <= cur.End+1 {
				if r.End > cur.End {
					cur.End = r.End
				}
				return
			}
		}
		out = append(out, r)
	}
	for i < len(a) || j < len(b) {
		if j == len(b) || (i < len(a) && a[i].Begin <= b[j].Begin) {
			push(a[i])
			i++
		} else {
			push(b[j])
			j++
		}
	}
	return out
}

// subtractRanges returns a minus b for coalesced lists, in a new slice
// (or a itself when nothing is removed).
func subtractRanges(a, b []Range) []Range {
	if len(a) == 0 || len(b) == 0 || !rangesOverlap(a, b) {
		return a
	}
	if rangesSubset(a, b) {
		return nil
	}
	out := make([]Range, 0, len(a)+len(b))
	j := 0
	for _, r := range a {
		begin, end := r.Begin, r.End
		alive := true
		for j < len(b) && b[j].End < begin {
			j++
		}
		for k := j; k < len(b) && b[k].Begin <= end; k++ {
			if b[k].Begin > begin {
				out = append(out, Range{begin, b[k].Begin - 1})
			}
			if b[k].End >= end {
				alive = false
				break
			}
			begin = b[k].End + 1
		}
		if alive {
			out = append(out, Range{begin, end})
		}
	}
	return out
}

// rangesOverlap reports whether two coalesced lists share any value.
func rangesOverlap(a, b []Range) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].End < b[j].Begin:
			i++
		case b[j].End < a[i].Begin:
			j++
		default:
			return true
		}
	}
	return false
}

// rangesSubset reports whether every value of a is in b (both coalesced).
func rangesSubset(a, b []Range) bool {
	j := 0
	for _, r := range a {
		for j < len(b) && b[j].End < r.Begin {
			j++
		}
		if j == len(b) || b[j].Begin > r.Begin || b[j].End < r.End {
			return false
		}
	}
	return true
}

// rangesCount is the number of values in a list of disjoint ranges,
// saturating at the maximum uint64.
func rangesCount(rs []Range) uint64 {
	var n uint64
	for _, r := range rs {
		s := r.Size()
		if n+s < n {
			return math.MaxUint64
		}
		n += s
	}
	return n
}

// formatRanges renders ranges as Mesos does: "[31000-31005, 31010-31010]".
func formatRanges(rs []Range) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, r := range rs {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.FormatUint(r.Begin, 10))
		b.WriteByte('-')
		b.WriteString(strconv.FormatUint(r.End, 10))
	}
	b.WriteByte(']')
	return b.String()
}

// formatSet renders a set as Mesos does: "{a, b}" in insertion order.
func formatSet(items []string) string {
	return "{" + strings.Join(items, ", ") + "}"
}

// unionSet returns a followed by the items of b not in a.
func unionSet(a, b []string) []string {
	var out []string
	for _, it := range b {
		if slices.Contains(a, it) || slices.Contains(out, it) {
			continue
		}
		out = append(out, it)
	}
	if len(out) == 0 {
		return a
	}
	return append(slices.Clip(a), out...)
}

// subtractSet returns the items of a that are not in b.
func subtractSet(a, b []string) []string {
	removed := false
	for _, it := range a {
		if slices.Contains(b, it) {
			removed = true
			break
		}
	}
	if !removed {
		return a
	}
	out := make([]string, 0, len(a))
	for _, it := range a {
		if !slices.Contains(b, it) {
			out = append(out, it)
		}
	}
	return out
}

// setSubset reports whether every item of a is in b.
func setSubset(a, b []string) bool {
	if len(a) > len(b) {
		return false
	}
	for _, it := range a {
		if !slices.Contains(b, it) {
			return false
		}
	}
	return true
}
