package scenarios

import (
	"bytes"
	"hash"
	"hash/fnv"
	"sync"
	"time"

	"github.com/mesos-sim/mesos-sim/loop"
)

// traceSink receives the cluster's whole trace (sim.TraceTo) and the
// scenario driver's own lines, in the order they happen: both are written
// on the loop goroutine. It keeps the text, or only a hash of it and the
// line count when the text is not wanted (generated cases: a replay
// compares hashes, and a failing case is run again with the text kept).
type traceSink struct {
	mu    sync.Mutex
	keep  bool
	text  bytes.Buffer
	hash  hash.Hash64
	lines int
	buf   []byte
}

func newTraceSink(keep bool) *traceSink {
	return &traceSink{keep: keep, hash: fnv.New64a()}
}

// Write implements io.Writer for sim.TraceTo: p is one line with its
// newline.
func (t *traceSink) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.writeLocked(p)
	return len(p), nil
}

func (t *traceSink) writeLocked(p []byte) {
	t.hash.Write(p)
	t.lines++
	if t.keep {
		t.text.Write(p)
	}
}

// line writes a scenario line at elapsed virtual time, laid out as the
// loop lays out its lines.
func (t *traceSink) line(elapsed time.Duration, text string) {
	t.mu.Lock()
	buf := loop.AppendTraceTime(t.buf[:0], elapsed)
	buf = append(buf, " scenario  "...)
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\n':
			buf = append(buf, '\\', 'n')
		default:
			buf = append(buf, c)
		}
	}
	buf = append(buf, '\n')
	t.buf = buf
	t.writeLocked(buf)
	t.mu.Unlock()
}

// sum returns the hash of the trace so far and its line count.
func (t *traceSink) sum() (uint64, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.hash.Sum64(), t.lines
}

// String returns the kept text ("" when only hashing).
func (t *traceSink) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.text.String()
}
