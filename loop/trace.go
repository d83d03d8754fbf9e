package loop

import (
	"bytes"
	"fmt"
	"strconv"
	"time"
)

// Trace line layout; see the package documentation.
const (
	traceSecondsWidth   = 6 // seconds right-aligned in 6 columns (11.5 days)
	traceComponentWidth = 9 // component left-aligned in 9 columns
)

// TraceSink receives trace lines. A Loop calls it from the goroutine that
// owns the loop.
type TraceSink interface {
	// TraceLine receives one line without its trailing newline. line is only
	// valid during the call: a sink that keeps it must copy it.
	TraceLine(line []byte)
}

// TraceFunc adapts a function to TraceSink.
type TraceFunc func(line []byte)

// TraceLine calls f(line).
func (f TraceFunc) TraceLine(line []byte) { f(line) }

// SetTrace replaces the trace sink; nil disables tracing.
func (l *Loop) SetTrace(s TraceSink) { l.trace = s }

// Tracing reports whether a trace sink is set. Guard Tracef calls whose
// arguments are costly to compute or box with it:
//
//	if l.Tracing() {
//		l.Tracef("master", "offer %s to %s: %v", id, fw, resources)
//	}
func (l *Loop) Tracing() bool { return l.trace != nil }

// Trace writes one trace line for component at the current virtual time.
// It does not allocate.
func (l *Loop) Trace(component, text string) {
	if l.trace != nil {
		l.traceLine(component, text)
	}
}

// Tracef writes one trace line for component at the current virtual time,
// formatting the text like fmt.Sprintf. Newlines in the text are written as
// `\n` so that a line stays a line. Without a sink it returns at once, but
// the caller has already boxed args into interfaces, which may allocate:
// guard hot call sites with Tracing.
func (l *Loop) Tracef(component, format string, args ...any) {
	if l.trace == nil {
		return
	}
	buf := l.tracePrefix(component)
	start := len(buf)
	buf = fmt.Appendf(buf, format, args...)
	if bytes.IndexByte(buf[start:], '\n') >= 0 {
		text := string(buf[start:])
		buf = appendEscaped(buf[:start], text)
	}
	l.traceBuf = buf
	l.trace.TraceLine(buf)
}

func (l *Loop) traceLine(component, text string) {
	buf := l.tracePrefix(component)
	buf = appendEscaped(buf, text)
	l.traceBuf = buf
	l.trace.TraceLine(buf)
}

// tracePrefix returns the reused line buffer holding "<time> <component> ".
func (l *Loop) tracePrefix(component string) []byte {
	buf := AppendTraceTime(l.traceBuf[:0], l.Elapsed())
	buf = append(buf, ' ')
	buf = append(buf, component...)
	for i := len(component); i < traceComponentWidth; i++ {
		buf = append(buf, ' ')
	}
	return append(buf, ' ')
}

// AppendTraceTime appends the trace's rendering of a virtual time since the
// epoch: seconds right-aligned in 6 columns, a dot, 6 digits of
// microseconds (nanoseconds are truncated), and "s", e.g. "    12.345000s".
func AppendTraceTime(buf []byte, elapsed time.Duration) []byte {
	ns := int64(elapsed)
	if ns < 0 { // cannot happen for a loop's time; keep the layout anyway
		buf = append(buf, '-')
		ns = -ns
	}
	secs, micros := ns/1e9, (ns%1e9)/1e3
	var digits [20]byte
	d := strconv.AppendInt(digits[:0], secs, 10)
	for i := len(d); i < traceSecondsWidth; i++ {
		buf = append(buf, ' ')
	}
	buf = append(buf, d...)
	buf = append(buf, '.')
	d = strconv.AppendInt(digits[:0], micros, 10)
	for i := len(d); i < 6; i++ {
		buf = append(buf, '0')
	}
	buf = append(buf, d...)
	return append(buf, 's')
}

// appendEscaped appends text with newlines and carriage returns escaped.
func appendEscaped(buf []byte, text string) []byte {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		default:
			buf = append(buf, c)
		}
	}
	return buf
}
