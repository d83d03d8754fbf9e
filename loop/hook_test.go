package loop

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestOnEventRunsAfterEveryEvent(t *testing.T) {
	l, r := newRecorder(Config{})
	l.OnEvent(func() { r.ran = append(r.ran, "hook1 after "+l.LastEvent()+"@"+l.Elapsed().String()) })
	l.OnEvent(func() { r.ran = append(r.ran, "hook2") })
	l.Post("post", r.fn("post"))
	l.After(time.Second, "timer", r.fn("timer"))
	l.At(l.Epoch().Add(2*time.Second), "at", r.fn("at"))
	if err := l.RunUntilIdle(time.Hour, 100); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"post@0s", "hook1 after post@0s", "hook2",
		"timer@1s", "hook1 after timer@1s", "hook2",
		"at@2s", "hook1 after at@2s", "hook2",
	}
	if diff := cmp.Diff(want, r.ran); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestOnEventRemove(t *testing.T) {
	tests := []struct {
		name string
		// setup registers hooks on l that log to r; it returns nothing, the
		// hooks remove themselves or each other as the case needs.
		setup func(l *Loop, r *recorder)
		want  []string
	}{
		{
			name: "removed before any event",
			setup: func(l *Loop, r *recorder) {
				remove := l.OnEvent(func() { r.ran = append(r.ran, "hook") })
				remove()
				remove() // harmless
			},
			want: []string{"e1@0s", "e2@1s"},
		},
		{
			name: "removes itself after the first event",
			setup: func(l *Loop, r *recorder) {
				var remove func()
				remove = l.OnEvent(func() { r.ran = append(r.ran, "hook"); remove() })
			},
			want: []string{"e1@0s", "hook", "e2@1s"},
		},
		{
			name: "a hook removed by an earlier hook does not run in the same round",
			setup: func(l *Loop, r *recorder) {
				var removeB func()
				l.OnEvent(func() {
					r.ran = append(r.ran, "a")
					removeB()
				})
				removeB = l.OnEvent(func() { r.ran = append(r.ran, "b") })
			},
			want: []string{"e1@0s", "a", "e2@1s", "a"},
		},
		{
			name: "a hook added by a hook first runs after the next event",
			setup: func(l *Loop, r *recorder) {
				added := false
				l.OnEvent(func() {
					r.ran = append(r.ran, "a")
					if !added {
						added = true
						l.OnEvent(func() { r.ran = append(r.ran, "b") })
					}
				})
			},
			want: []string{"e1@0s", "a", "e2@1s", "a", "b"},
		},
		{
			name: "removing one hook keeps the others in order",
			setup: func(l *Loop, r *recorder) {
				l.OnEvent(func() { r.ran = append(r.ran, "a") })
				removeB := l.OnEvent(func() { r.ran = append(r.ran, "b") })
				l.OnEvent(func() { r.ran = append(r.ran, "c") })
				removeB()
			},
			want: []string{"e1@0s", "a", "c", "e2@1s", "a", "c"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, r := newRecorder(Config{})
			tc.setup(l, r)
			l.Post("e1", r.fn("e1"))
			l.After(time.Second, "e2", r.fn("e2"))
			if err := l.RunUntilIdle(time.Hour, 100); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, r.ran); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// A hook may post and schedule; what it posts runs after the queued events,
// and the hook runs after those events too.
func TestOnEventHookSchedules(t *testing.T) {
	l, r := newRecorder(Config{})
	l.OnEvent(func() {
		if l.LastEvent() == "first" {
			l.Post("posted-by-hook", r.fn("posted-by-hook"))
			l.After(time.Second, "timer-by-hook", r.fn("timer-by-hook"))
		}
		r.ran = append(r.ran, "hook after "+l.LastEvent())
	})
	l.Post("first", r.fn("first"))
	l.Post("second", r.fn("second"))
	if err := l.RunUntilIdle(time.Hour, 100); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"first@0s", "hook after first",
		"second@0s", "hook after second",
		"posted-by-hook@0s", "hook after posted-by-hook",
		"timer-by-hook@1s", "hook after timer-by-hook",
	}
	if diff := cmp.Diff(want, r.ran); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// A hook runs inside the event, so driving the loop from it panics as it
// would from the event itself.
func TestOnEventHookCannotDrive(t *testing.T) {
	l := New(Config{})
	l.OnEvent(func() { _ = l.Settle(10) })
	l.Post("e", func() {})
	defer func() {
		if recover() == nil {
			t.Error("Settle from a hook did not panic")
		}
	}()
	l.Step()
}

func TestOnEventNilPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("OnEvent(nil) did not panic")
		}
	}()
	New(Config{}).OnEvent(nil)
}

// BenchmarkOnEvent measures what one hook costs each posted event; compare
// with BenchmarkEventLoop/Post, which has none.
func BenchmarkOnEvent(b *testing.B) {
	n := 0
	b.Run("hooks=0", func(b *testing.B) { benchPost(b, nil) })
	b.Run("hooks=1", func(b *testing.B) {
		l := New(Config{Seed: 1})
		l.OnEvent(func() { n++ })
		nop := func() {}
		const batch = 1024
		b.ReportAllocs()
		b.ResetTimer()
		for done := 0; done < b.N; done += batch {
			for range min(batch, b.N-done) {
				l.Post("bench.post", nop)
			}
			if err := l.Settle(batch); err != nil {
				b.Fatal(err)
			}
		}
		reportEventRate(b, b.N)
	})
}

// A hook sees the world after every event: here it reports the first
// instant at which a counter reaches 2, then removes itself.
func ExampleLoop_OnEvent() {
	l := New(Config{})
	count := 0
	var remove func()
	remove = l.OnEvent(func() {
		if count >= 2 {
			fmt.Println("count reached 2 at", l.Elapsed(), "after", l.LastEvent())
			remove()
		}
	})
	for i := 1; i <= 3; i++ {
		l.After(time.Duration(i)*time.Second, "inc", func() { count++ })
	}
	_ = l.Advance(time.Minute)
	fmt.Println("count", count)
	// Output:
	// count reached 2 at 2s after inc
	// count 3
}
