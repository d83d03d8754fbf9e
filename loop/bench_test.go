package loop

import (
	"io"
	"testing"
	"time"
)

// reportEventRate reports events/s for n events over the benchmark's time.
func reportEventRate(b *testing.B, n int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(n)/s, "events/s")
	}
}

// BenchmarkEventLoop measures events per second through the queue. One op
// is one event scheduled and run.
func BenchmarkEventLoop(b *testing.B) {
	// Post: batches of posts, each batch settled; the zero-latency message
	// path.
	b.Run("Post", func(b *testing.B) { benchPost(b, nil) })
	b.Run("PostTraced", func(b *testing.B) { benchPost(b, NewWriterSink(io.Discard)) })

	// After: the hold model. pending timers stay queued; every event that
	// runs schedules one more with a random delay from a seeded stream.
	for _, pending := range []int{1_000, 100_000} {
		b.Run("After/pending="+itoa(pending), func(b *testing.B) { benchAfter(b, pending) })
	}

	// Mixed: every timer that fires posts two events at zero latency, the
	// shape of a message exchange triggered by a timer.
	b.Run("Mixed", func(b *testing.B) {
		l := New(Config{Seed: 1})
		r := l.Rand("bench")
		nop := func() {}
		var fire func()
		fire = func() {
			l.Post("msg", nop)
			l.Post("msg", nop)
			l.After(time.Duration(r.IntN(1_000_000)), "timer", fire)
		}
		for range 1000 {
			l.After(time.Duration(r.IntN(1_000_000)), "timer", fire)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			l.Step()
		}
		reportEventRate(b, b.N)
	})
}

func benchPost(b *testing.B, sink TraceSink) {
	l := New(Config{Seed: 1, Trace: sink})
	nop := func() {}
	const batch = 1024
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += batch {
		n := min(batch, b.N-done)
		for range n {
			l.Post("bench.post", nop)
		}
		if err := l.Settle(batch); err != nil {
			b.Fatal(err)
		}
	}
	reportEventRate(b, b.N)
}

func benchAfter(b *testing.B, pending int) {
	l := New(Config{Seed: 1})
	r := l.Rand("bench")
	var fire func()
	fire = func() { l.After(time.Duration(r.IntN(1_000_000_000)), "bench.timer", fire) }
	for range pending {
		fire()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Step()
	}
	reportEventRate(b, b.N)
}

// BenchmarkTimerCancel is the re-armed timeout (an agent ping answered in
// time): with many 75 s timeouts pending, each op stops one timeout, arms
// its replacement, schedules a short timer and advances virtual time 100 µs,
// which runs the short timer. No timeout ever fires: each is stopped after
// pending ops, long before its time. One op is one event run and three
// queue operations.
func BenchmarkTimerCancel(b *testing.B) {
	for _, pending := range []int{1_000, 100_000} {
		b.Run("pending="+itoa(pending), func(b *testing.B) {
			l := New(Config{Seed: 1})
			r := l.Rand("bench")
			nop := func() {}
			timeout := func() time.Duration { return 75*time.Second + time.Duration(r.IntN(1_000_000_000)) }
			timeouts := make([]*Timer, pending)
			for i := range timeouts {
				timeouts[i] = l.After(timeout(), "timeout", nop)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				k := i % pending
				timeouts[k].Stop()
				timeouts[k] = l.After(timeout(), "timeout", nop)
				l.After(50*time.Microsecond, "short", nop)
				if err := l.Advance(100 * time.Microsecond); err != nil {
					b.Fatal(err)
				}
			}
			reportEventRate(b, b.N)
		})
	}
}

// BenchmarkTrace measures the cost of trace calls with and without a sink.
func BenchmarkTrace(b *testing.B) {
	agent := "S42"
	b.Run("Tracef/disabled", func(b *testing.B) {
		l := New(Config{})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			l.Tracef("master", "agent %s cpus %d", agent, i)
		}
	})
	b.Run("Tracef/disabled-guarded", func(b *testing.B) {
		l := New(Config{})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if l.Tracing() {
				l.Tracef("master", "agent %s cpus %d", agent, i)
			}
		}
	})
	b.Run("Trace/disabled", func(b *testing.B) {
		l := New(Config{})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			l.Trace("master", "agent registered")
		}
	})
	b.Run("Tracef/discard", func(b *testing.B) {
		l := New(Config{Trace: NewWriterSink(io.Discard)})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			l.Tracef("master", "agent %s cpus %d", agent, i)
		}
	})
	b.Run("Trace/ring", func(b *testing.B) {
		l := New(Config{Trace: NewRingSink(1024)})
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			l.Trace("master", "agent registered")
		}
	})
}

// BenchmarkRand measures a draw from a component's stream, looked up by
// name each time as components do.
func BenchmarkRand(b *testing.B) {
	l := New(Config{Seed: 1})
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		l.Rand("allocator").Uint64()
	}
}

func itoa(n int) string { return string(AppendInt(nil, n)) }

// AppendInt is strconv.AppendInt for benchmark names without importing
// strconv twice in tests.
func AppendInt(buf []byte, n int) []byte {
	if n >= 10 {
		buf = AppendInt(buf, n/10)
	}
	return append(buf, byte('0'+n%10))
}
