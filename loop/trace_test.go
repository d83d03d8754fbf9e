package loop

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestTraceLines(t *testing.T) {
	ring := NewRingSink(100)
	l := New(Config{Trace: ring})
	l.Tracef("master", "registered agent %s", "S0")
	l.After(12345678*time.Microsecond, "master.ping", func() {
		l.Tracef("agent", "pong\nto master")
		l.Trace("allocator", "cycle")
	})
	l.After(100000*time.Second, "long.component.name", func() {
		l.Trace("a-very-long-component", "still one space")
	})
	if err := l.RunUntilIdle(200000*time.Second, 10); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"     0.000000s master    registered agent S0",
		"    12.345678s loop      master.ping",
		`    12.345678s agent     pong\nto master`,
		"    12.345678s allocator cycle",
		"100000.000000s loop      long.component.name",
		"100000.000000s a-very-long-component still one space",
	}
	if diff := cmp.Diff(want, ring.Lines()); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
	if ring.Total() != uint64(len(want)) {
		t.Errorf("Total() = %d, want %d", ring.Total(), len(want))
	}
}

func TestAppendTraceTime(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "     0.000000s"},
		{time.Nanosecond * 999, "     0.000000s"}, // truncated to microseconds
		{1500 * time.Millisecond, "     1.500000s"},
		{time.Hour, "  3600.000000s"},
		{-time.Second, "-     1.000000s"},
	} {
		if got := string(AppendTraceTime(nil, tc.d)); got != tc.want {
			t.Errorf("AppendTraceTime(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestRingSinkKeepsTheTail(t *testing.T) {
	ring := NewRingSink(3)
	for _, s := range []string{"a", "b", "c", "d", "e"} {
		ring.TraceLine([]byte(s))
	}
	if diff := cmp.Diff([]string{"c", "d", "e"}, ring.Lines()); diff != "" {
		t.Errorf("Lines (-want +got):\n%s", diff)
	}
	if got := ring.String(); got != "c\nd\ne\n" {
		t.Errorf("String() = %q", got)
	}
	if got := NewRingSink(0).String(); got != "" {
		t.Errorf("empty String() = %q", got)
	}
}

type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errors.New("disk full")
}

func TestWriterSinkAndTee(t *testing.T) {
	var buf bytes.Buffer
	ring := NewRingSink(10)
	l := New(Config{Trace: Tee(NewWriterSink(&buf), ring)})
	l.Trace("x", "one")
	l.Trace("y", "two")
	want := "     0.000000s x         one\n     0.000000s y         two\n"
	if got := buf.String(); got != want {
		t.Errorf("writer got %q, want %q", got, want)
	}
	if got := ring.String(); got != want {
		t.Errorf("ring got %q, want %q", got, want)
	}

	fw := &failingWriter{}
	s := NewWriterSink(fw)
	s.TraceLine([]byte("a"))
	s.TraceLine([]byte("b"))
	if s.Err() == nil || fw.n != 1 {
		t.Errorf("Err() = %v after %d writes; want the first error and no further writes", s.Err(), fw.n)
	}
}

// traceOf runs a small simulation with random delays and returns its trace.
func traceOf(seed uint64) string {
	var buf bytes.Buffer
	l := New(Config{Seed: seed, Trace: NewWriterSink(&buf)})
	r := l.Rand("workload")
	for i := range 20 {
		l.After(time.Duration(r.IntN(1000))*time.Millisecond, "work", func() {
			l.Tracef("worker", "job %d draws %d", i, r.IntN(100))
			if r.IntN(2) == 0 {
				l.Post("work.followup", func() { l.Trace("worker", "followup") })
			}
		})
	}
	if err := l.RunUntilIdle(time.Minute, 1000); err != nil {
		panic(err)
	}
	return buf.String()
}

func TestTraceIsDeterministic(t *testing.T) {
	a, b := traceOf(11), traceOf(11)
	if a != b {
		t.Fatalf("same seed, different traces:\n%s", cmp.Diff(a, b))
	}
	if a == traceOf(12) {
		t.Error("seeds 11 and 12 gave the same trace")
	}
	if n := strings.Count(a, "\n"); n < 40 {
		t.Errorf("trace has %d lines, want at least 40", n)
	}
}

func TestDisabledTracingDoesNotAllocate(t *testing.T) {
	l := New(Config{})
	fn := func() {}
	allocs := testing.AllocsPerRun(1000, func() {
		l.Trace("master", "text")
		l.Tracef("master", "constant text")
		l.Post("e", fn)
		l.Settle(10)
	})
	if allocs != 0 {
		t.Errorf("disabled tracing + Post + Settle: %v allocs per run, want 0", allocs)
	}
}

func TestEnabledTracingOfEventsDoesNotAllocate(t *testing.T) {
	ring := NewRingSink(16)
	l := New(Config{Trace: ring})
	fn := func() {}
	for range 32 { // warm the ring's buffers
		l.Post("e", fn)
		l.Settle(10)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		l.Post("e", fn)
		l.Settle(10)
		l.Trace("master", "text")
	})
	if allocs != 0 {
		t.Errorf("traced Post + Settle into a warm ring: %v allocs per run, want 0", allocs)
	}
}
