package loop

import (
	"io"
	"strings"
	"sync"
)

// RingSink keeps the last N trace lines, for printing the tail of a trace
// when a test fails. It is safe for concurrent use: the loop's goroutine
// writes while a test goroutine reads.
type RingSink struct {
	mu    sync.Mutex
	lines [][]byte // reused buffers; lines[next] is the oldest when full
	next  int
	total uint64
}

// NewRingSink returns a sink that keeps the last n lines (at least 1).
func NewRingSink(n int) *RingSink {
	if n < 1 {
		n = 1
	}
	return &RingSink{lines: make([][]byte, 0, n)}
}

// TraceLine implements TraceSink. It does not allocate once the ring has
// wrapped and its buffers have grown to the line lengths.
func (r *RingSink) TraceLine(line []byte) {
	r.mu.Lock()
	if len(r.lines) < cap(r.lines) {
		r.lines = append(r.lines, append([]byte(nil), line...))
	} else {
		r.lines[r.next] = append(r.lines[r.next][:0], line...)
		r.next = (r.next + 1) % len(r.lines)
	}
	r.total++
	r.mu.Unlock()
}

// Lines returns the kept lines, oldest first.
func (r *RingSink) Lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.lines))
	for i := range r.lines {
		out = append(out, string(r.lines[(r.next+i)%len(r.lines)]))
	}
	return out
}

// Total returns how many lines the sink has received, kept or not.
func (r *RingSink) Total() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// String returns the kept lines, oldest first, each ending in a newline.
func (r *RingSink) String() string {
	lines := r.Lines()
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// WriterSink writes each trace line, with a newline, to an io.Writer in one
// Write call. It keeps the first write error and stops writing after it. It
// is not safe for concurrent use.
type WriterSink struct {
	w   io.Writer
	buf []byte
	err error
}

// NewWriterSink returns a sink writing to w.
func NewWriterSink(w io.Writer) *WriterSink { return &WriterSink{w: w} }

// TraceLine implements TraceSink.
func (s *WriterSink) TraceLine(line []byte) {
	if s.err != nil {
		return
	}
	s.buf = append(append(s.buf[:0], line...), '\n')
	_, s.err = s.w.Write(s.buf)
}

// Err returns the first write error, if any.
func (s *WriterSink) Err() error { return s.err }

// Tee returns a sink that passes every line to each of sinks in order.
func Tee(sinks ...TraceSink) TraceSink {
	sinks = append([]TraceSink(nil), sinks...)
	return TraceFunc(func(line []byte) {
		for _, s := range sinks {
			s.TraceLine(line)
		}
	})
}
