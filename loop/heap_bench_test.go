package loop

import (
	"container/heap"
	"testing"
)

// BenchmarkHeap is the measurement behind timerHeap's shape: the hold model
// (pop the earliest entry, push one with a random later time) on heaps of
// pointer-free entries, with the production 4-ary heap against container/heap
// (binary, through an interface) and test-only d-ary variants.
func BenchmarkHeap(b *testing.B) {
	for _, size := range []int{1_000, 100_000} {
		b.Run("timerHeap/4-ary/n="+itoa(size), func(b *testing.B) {
			var h timerHeap
			r := NewRand(1, "bench")
			for i := range size {
				h.push(&Timer{at: int64(r.IntN(1 << 30))}, uint64(i))
			}
			seq := uint64(size)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t := h.pop()
				seq++
				t.at += int64(r.IntN(1 << 30))
				h.push(t, seq)
			}
		})
		for _, arity := range []int{2, 4, 8} {
			b.Run("dary/"+itoa(arity)+"-ary/n="+itoa(size), func(b *testing.B) {
				h := daryHeap{arity: arity}
				r := NewRand(1, "bench")
				for i := range size {
					h.push(heapEntry{at: int64(r.IntN(1 << 30)), seq: uint64(i)})
				}
				seq := uint64(size)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					e := h.pop()
					seq++
					e.at += int64(r.IntN(1 << 30))
					e.seq = seq
					h.push(e)
				}
			})
		}
		b.Run("container-heap/2-ary/n="+itoa(size), func(b *testing.B) {
			h := &stdHeap{}
			r := NewRand(1, "bench")
			for i := range size {
				heap.Push(h, heapEntry{at: int64(r.IntN(1 << 30)), seq: uint64(i)})
			}
			seq := uint64(size)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				e := heap.Pop(h).(heapEntry)
				seq++
				e.at += int64(r.IntN(1 << 30))
				e.seq = seq
				heap.Push(h, e)
			}
		})
	}
}

// stdHeap adapts a slice of entries to container/heap.
type stdHeap []heapEntry

func (h stdHeap) Len() int           { return len(h) }
func (h stdHeap) Less(i, j int) bool { return h[i].less(&h[j]) }
func (h stdHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *stdHeap) Push(x any)        { *h = append(*h, x.(heapEntry)) }
func (h *stdHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// daryHeap is a d-ary heap of entries without position tracking, for
// comparing arities.
type daryHeap struct {
	arity int
	h     []heapEntry
}

func (d *daryHeap) push(e heapEntry) {
	d.h = append(d.h, e)
	i := len(d.h) - 1
	for i > 0 {
		p := (i - 1) / d.arity
		if !e.less(&d.h[p]) {
			break
		}
		d.h[i] = d.h[p]
		i = p
	}
	d.h[i] = e
}

func (d *daryHeap) pop() heapEntry {
	top := d.h[0]
	last := len(d.h) - 1
	e := d.h[last]
	d.h = d.h[:last]
	if last == 0 {
		return top
	}
	i, n := 0, last
	for {
		first := d.arity*i + 1
		if first >= n {
			break
		}
		best := first
		for c := first + 1; c < min(first+d.arity, n); c++ {
			if d.h[c].less(&d.h[best]) {
				best = c
			}
		}
		if !d.h[best].less(&e) {
			break
		}
		d.h[i] = d.h[best]
		i = best
	}
	d.h[i] = e
	return top
}
