package loop

// The loop keeps two queues, merged by (time, seq) when it picks the next
// event:
//
//   - postQueue, a FIFO ring of events posted for now. Post is the hot path
//     (every message at zero latency is one), and an event posted for now
//     always has the largest seq of all events due now, so a ring gives O(1)
//     push and pop and no allocation. Every entry is due at the current
//     virtual time: time cannot move while the ring is non-empty, because its
//     head is due now and runs first.
//   - timerHeap, a 4-ary min-heap of the timers scheduled with After and At,
//     ordered by (at, seq). Its entries are pointer-free values (no GC write
//     barriers while sifting), and a side table maps each timer's slot to
//     its heap position, so Stop removes a timer in O(log n). A 4-ary heap
//     is shallower than a binary one and compares siblings that sit side by
//     side in memory. Lazy deletion (mark stopped, drop on reaching the top,
//     compact when half the heap is dead) measured no faster here and keeps
//     garbage, so Stop removes eagerly. BenchmarkHeap (heap_bench_test.go)
//     holds the measurements behind these choices.

// posted is an event queued by Post.
type posted struct {
	seq  uint64
	name string
	fn   func()
}

// postQueue is a FIFO ring buffer of posted events; its length is a power
// of two.
type postQueue struct {
	buf  []posted
	head int // index of the oldest entry
	n    int // number of entries
}

func (q *postQueue) len() int { return q.n }

func (q *postQueue) push(p posted) {
	if q.n == len(q.buf) {
		q.grow()
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = p
	q.n++
}

func (q *postQueue) grow() {
	size := 2 * len(q.buf)
	if size == 0 {
		size = 64
	}
	buf := make([]posted, size)
	for i := 0; i < q.n; i++ {
		buf[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
	}
	q.buf, q.head = buf, 0
}

// peek returns the oldest entry; the queue must not be empty.
func (q *postQueue) peek() *posted { return &q.buf[q.head] }

// pop removes and returns the oldest entry; the queue must not be empty.
func (q *postQueue) pop() posted {
	p := q.buf[q.head]
	q.buf[q.head] = posted{} // release the closure to the GC
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
	return p
}

// at returns the i-th oldest entry.
func (q *postQueue) at(i int) *posted { return &q.buf[(q.head+i)&(len(q.buf)-1)] }

const heapArity = 4

// heapEntry is one timer in the heap. It holds no pointers, so moving
// entries costs no GC write barriers and the GC never scans the heap; slot
// finds the *Timer in timerHeap.slots.
type heapEntry struct {
	at   int64
	seq  uint64
	slot int32
}

func (a *heapEntry) less(b *heapEntry) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// timerHeap is a 4-ary min-heap of timers ordered by (at, seq). Each timer
// lives in a slot; slots[s] is the timer and index[s] its position in the
// heap, kept up to date as entries move, so Stop can remove it in O(log n).
type timerHeap struct {
	heap  []heapEntry
	slots []*Timer
	index []int32
	free  []int32 // unused slots
}

func (h *timerHeap) len() int { return len(h.heap) }

// top returns the earliest entry; the heap must not be empty.
func (h *timerHeap) top() *heapEntry { return &h.heap[0] }

func (h *timerHeap) push(t *Timer, seq uint64) {
	var slot int32
	if n := len(h.free); n > 0 {
		slot = h.free[n-1]
		h.free = h.free[:n-1]
		h.slots[slot] = t
	} else {
		slot = int32(len(h.slots))
		h.slots = append(h.slots, t)
		h.index = append(h.index, 0)
	}
	t.slot = slot
	h.heap = append(h.heap, heapEntry{})
	h.up(len(h.heap)-1, heapEntry{at: t.at, seq: seq, slot: slot})
}

// pop removes and returns the earliest timer; the heap must not be empty.
func (h *timerHeap) pop() *Timer {
	return h.remove(0)
}

// stop removes t, which must be queued.
func (h *timerHeap) stop(t *Timer) {
	h.remove(int(h.index[t.slot]))
}

// remove deletes the entry at heap position i and returns its timer.
func (h *timerHeap) remove(i int) *Timer {
	slot := h.heap[i].slot
	last := len(h.heap) - 1
	e := h.heap[last]
	h.heap = h.heap[:last]
	if i != last {
		// Put the last entry in the hole and move it whichever way it needs.
		if i > 0 && e.less(&h.heap[(i-1)/heapArity]) {
			h.up(i, e)
		} else {
			h.down(i, e)
		}
	}
	t := h.slots[slot]
	h.slots[slot] = nil
	h.free = append(h.free, slot)
	t.slot = -1
	return t
}

// up places e at hole i or above.
func (h *timerHeap) up(i int, e heapEntry) {
	heap, index := h.heap, h.index
	for i > 0 {
		p := (i - 1) / heapArity
		if !e.less(&heap[p]) {
			break
		}
		heap[i] = heap[p]
		index[heap[i].slot] = int32(i)
		i = p
	}
	heap[i] = e
	index[e.slot] = int32(i)
}

// down places e at hole i or below.
func (h *timerHeap) down(i int, e heapEntry) {
	heap, index := h.heap, h.index
	n := len(heap)
	for {
		first := heapArity*i + 1
		if first >= n {
			break
		}
		best := first
		end := min(first+heapArity, n)
		for c := first + 1; c < end; c++ {
			if heap[c].less(&heap[best]) {
				best = c
			}
		}
		if !heap[best].less(&e) {
			break
		}
		heap[i] = heap[best]
		index[heap[i].slot] = int32(i)
		i = best
	}
	heap[i] = e
	index[e.slot] = int32(i)
}
