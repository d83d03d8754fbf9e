package simnet

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mesos-sim/mesos-sim/loop"
)

// world is a loop, a network and endpoints that record what they receive.
type world struct {
	l     *loop.Loop
	net   *Network
	trace *loop.RingSink
	got   []string // "<to> got <kind> from <from> at <elapsed>"
}

func newWorld(t *testing.T, cfg Config, endpoints ...string) *world {
	t.Helper()
	w := &world{trace: loop.NewRingSink(1000)}
	w.l = loop.New(loop.Config{Seed: 1, Trace: w.trace})
	w.net = New(w.l, cfg)
	for _, name := range endpoints {
		w.net.Register(name, w.receiver(name))
	}
	return w
}

func (w *world) receiver(name string) func(Message) {
	return func(m Message) {
		w.got = append(w.got, fmt.Sprintf("%s got %s from %s at %v", name, m.Kind, m.From, w.l.Elapsed()))
	}
}

func (w *world) send(from, to, kind string) {
	w.net.Send(Message{From: from, To: to, Kind: kind})
}

func (w *world) run(t *testing.T) {
	t.Helper()
	if err := w.l.RunUntilIdle(time.Hour, 10_000); err != nil {
		t.Fatal(err)
	}
}

func (w *world) check(t *testing.T, want []string) {
	t.Helper()
	if diff := cmp.Diff(want, w.got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
}

func TestZeroLatencyDeliversAtTheSameInstant(t *testing.T) {
	w := newWorld(t, Config{}, "master", "S0")
	if err := w.l.Advance(7 * time.Second); err != nil {
		t.Fatal(err)
	}
	w.l.Post("queued.before", func() { w.got = append(w.got, "queued before the send") })
	w.send("master", "S0", "RunTask")
	w.l.Post("queued.after", func() { w.got = append(w.got, "queued after the send") })
	if err := w.l.Settle(100); err != nil {
		t.Fatal(err)
	}
	w.check(t, []string{"queued before the send", "S0 got RunTask from master at 7s", "queued after the send"})
}

func TestDeliveryIsCausal(t *testing.T) {
	// A ping-pong: each delivery sends the answer. At zero latency the whole
	// exchange happens at one instant, each step after the one that caused it.
	w := newWorld(t, Config{})
	w.net.Register("master", func(m Message) {
		w.got = append(w.got, "master got "+m.Kind)
		if m.Kind == "Pong" && len(w.got) < 6 {
			w.send("master", "S0", "Ping")
		}
	})
	w.net.Register("S0", func(m Message) {
		w.got = append(w.got, "S0 got "+m.Kind)
		w.send("S0", "master", "Pong")
	})
	w.send("master", "S0", "Ping")
	w.run(t)
	w.check(t, []string{"S0 got Ping", "master got Pong", "S0 got Ping", "master got Pong", "S0 got Ping", "master got Pong"})
	if w.l.Elapsed() != 0 {
		t.Errorf("zero-latency exchange took %v of virtual time", w.l.Elapsed())
	}
}

func TestOrdering(t *testing.T) {
	tests := []struct {
		name    string
		latency time.Duration
	}{
		{"zero latency", 0},
		{"base latency", 25 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, Config{Latency: tc.latency}, "master", "S0", "S1")
			w.send("master", "S0", "A")
			w.send("master", "S1", "B")
			w.send("S1", "master", "C")
			w.send("master", "S0", "D")
			w.send("master", "S1", "E")
			w.run(t)
			at := tc.latency.String()
			w.check(t, []string{
				"S0 got A from master at " + at,
				"S1 got B from master at " + at,
				"master got C from S1 at " + at,
				"S0 got D from master at " + at,
				"S1 got E from master at " + at,
			})
		})
	}
}

func TestLatency(t *testing.T) {
	w := newWorld(t, Config{Latency: 10 * time.Millisecond}, "master", "S0")
	if got := w.net.Latency(); got != 10*time.Millisecond {
		t.Fatalf("Latency() = %v", got)
	}
	w.send("master", "S0", "A")
	w.l.After(5*time.Millisecond, "later.send", func() {
		w.net.SetLatency(time.Millisecond)
		w.send("master", "S0", "B") // overtakes A: it has less latency
	})
	if err := w.l.Advance(9 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	w.check(t, []string{"S0 got B from master at 6ms"})
	w.run(t)
	w.check(t, []string{"S0 got B from master at 6ms", "S0 got A from master at 10ms"})
	w.net.SetLatency(-time.Second)
	if got := w.net.Latency(); got != 0 {
		t.Errorf("negative latency = %v, want 0", got)
	}
}

func TestMatch(t *testing.T) {
	msg := Message{From: "master", To: "S0", Kind: "RunTask"}
	reply := Message{From: "S0", To: "master", Kind: "StatusUpdate"}
	other := Message{From: "master", To: "S1", Kind: "RunTask"}
	tests := []struct {
		match             Match
		msg, reply, other bool
		str               string
	}{
		{Match{}, true, true, true, "*->*"},
		{Match{From: "master", To: "S0"}, true, false, false, "master->S0"},
		{Match{From: "master", To: "S0", Bidirectional: true}, true, true, false, "master<->S0"},
		{Match{From: "S0", Bidirectional: true}, true, true, false, "S0<->*"},
		{Match{To: "S0"}, true, false, false, "*->S0"},
		{Match{Kind: "RunTask"}, true, false, true, "*->* kind=RunTask"},
		{Match{From: "master", Kind: "StatusUpdate", Bidirectional: true}, false, true, false, "master<->* kind=StatusUpdate"},
	}
	for _, tc := range tests {
		t.Run(tc.str, func(t *testing.T) {
			got := []bool{tc.match.Matches(msg), tc.match.Matches(reply), tc.match.Matches(other)}
			if diff := cmp.Diff([]bool{tc.msg, tc.reply, tc.other}, got); diff != "" {
				t.Errorf("Matches(msg, reply, other) (-want +got):\n%s", diff)
			}
			if s := tc.match.String(); s != tc.str {
				t.Errorf("String() = %q, want %q", s, tc.str)
			}
		})
	}
}

func TestDropFilter(t *testing.T) {
	w := newWorld(t, Config{}, "master", "S0", "S1")
	heal := w.net.AddFilter(Drop(Match{From: "master", To: "S0"})) // one-way partition
	w.send("master", "S0", "Lost")
	w.send("S0", "master", "Kept")
	w.send("master", "S1", "Kept")
	w.run(t)
	w.check(t, []string{"master got Kept from S0 at 0s", "S1 got Kept from master at 0s"})
	heal()
	heal() // harmless
	w.got = nil
	w.send("master", "S0", "AfterHeal")
	w.run(t)
	w.check(t, []string{"S0 got AfterHeal from master at 0s"})
	if got, want := w.net.Stats(), (Stats{Sent: 4, Delivered: 3, Dropped: 1}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
}

func TestDelayFilter(t *testing.T) {
	w := newWorld(t, Config{Latency: time.Millisecond}, "master", "S0")
	remove := w.net.AddFilter(Delay(Match{Kind: "Slow"}, time.Second))
	w.send("master", "S0", "Slow1")
	w.send("master", "S0", "Slow")
	w.send("master", "S0", "Slow")
	w.send("master", "S0", "Fast")
	w.run(t)
	w.check(t, []string{
		"S0 got Slow1 from master at 1ms",
		"S0 got Fast from master at 1ms",
		// Equal delays on one link keep their send order.
		"S0 got Slow from master at 1.001s",
		"S0 got Slow from master at 1.001s",
	})
	remove()
	w.got = nil
	w.send("master", "S0", "Slow")
	w.run(t)
	w.check(t, []string{"S0 got Slow from master at 1.002s"})
}

func TestDuplicateFilter(t *testing.T) {
	w := newWorld(t, Config{}, "master", "S0")
	w.net.AddFilter(Duplicate(Match{Kind: "StatusUpdate"}, 0, time.Second))
	w.send("S0", "master", "StatusUpdate")
	w.send("S0", "master", "Other")
	w.run(t)
	w.check(t, []string{
		"master got StatusUpdate from S0 at 0s",
		// The copy with no extra delay comes right after the original,
		// before messages sent later.
		"master got StatusUpdate from S0 at 0s",
		"master got Other from S0 at 0s",
		"master got StatusUpdate from S0 at 1s",
	})
	if got := w.net.Stats(); got.Duplicated != 2 || got.Delivered != 4 {
		t.Errorf("Stats() = %+v, want 2 duplicated, 4 delivered", got)
	}
	for _, want := range []string{
		"net       send #1 S0->master StatusUpdate delays [0s 0s 1s]",
		"net       deliver #1 S0->master StatusUpdate (copy 2)",
	} {
		if !strings.Contains(w.trace.String(), want) {
			t.Errorf("trace lacks %q:\n%s", want, w.trace.String())
		}
	}
}

func TestFiltersCompose(t *testing.T) {
	tests := []struct {
		name    string
		filters []Filter
		want    []string
	}{
		{
			name:    "delays add up",
			filters: []Filter{Delay(Match{}, time.Second), Delay(Match{}, 2*time.Second)},
			want:    []string{"S0 got M from master at 3s"},
		},
		{
			name:    "a later delay applies to earlier copies",
			filters: []Filter{Duplicate(Match{}, time.Second), Delay(Match{}, time.Minute)},
			want:    []string{"S0 got M from master at 1m0s", "S0 got M from master at 1m1s"},
		},
		{
			name:    "a later drop drops the copies too",
			filters: []Filter{Duplicate(Match{}, 0, 0), Drop(Match{To: "S0"})},
			want:    nil,
		},
		{
			name: "filter funcs see the message",
			filters: []Filter{FilterFunc(func(m Message) Verdict {
				if m.Body == "slow" {
					return Verdict{Delay: time.Hour}
				}
				return Deliver
			})},
			want: []string{"S0 got M from master at 1h0m0s"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, Config{}, "master", "S0")
			for _, f := range tc.filters {
				w.net.AddFilter(f)
			}
			w.net.Send(Message{From: "master", To: "S0", Kind: "M", Body: "slow"})
			w.run(t)
			w.check(t, tc.want)
		})
	}
}

func TestEndpoints(t *testing.T) {
	w := newWorld(t, Config{Latency: time.Second}, "master", "S0")
	w.send("master", "nowhere", "Lost") // dropped at once
	w.send("master", "S0", "InFlight")
	w.net.Unregister("S0")
	w.net.Register("S0", w.receiver("S0 (restarted)")) // a new incarnation
	w.send("master", "S0", "AfterRestart")
	w.run(t)
	w.check(t, []string{"S0 (restarted) got AfterRestart from master at 1s"})
	if diff := cmp.Diff([]string{"S0", "master"}, w.net.Endpoints()); diff != "" {
		t.Errorf("Endpoints (-want +got):\n%s", diff)
	}
	if w.net.Unregister("nowhere") {
		t.Error("Unregister of an unknown endpoint = true")
	}
	w.net.Unregister("S0")
	w.send("master", "S0", "Gone")
	w.run(t)
	if got := w.net.Stats().Dropped; got != 3 {
		t.Errorf("Dropped = %d, want 3", got)
	}
	trace := w.trace.String()
	for _, want := range []string{"drop #1 master->nowhere Lost: no endpoint nowhere", "drop #2 master->S0 InFlight: endpoint S0 restarted", "drop #4 master->S0 Gone: no endpoint S0"} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	w.net.Register("master", func(Message) {})
}

func TestTrace(t *testing.T) {
	w := newWorld(t, Config{}, "master", "S0")
	remove := w.net.AddFilter(Drop(Match{From: "S0", Bidirectional: true, Kind: "Ping"}))
	w.net.AddFilter(FilterFunc(func(m Message) Verdict {
		if m.Kind == "Slow" {
			return Verdict{Delay: 1500 * time.Millisecond}
		}
		return Deliver
	}))
	w.send("master", "S0", "Ping")
	w.send("master", "S0", "Slow")
	w.run(t)
	remove()
	want := []string{
		"     0.000000s net       register master",
		"     0.000000s net       register S0",
		"     0.000000s net       filter add drop(S0<->* kind=Ping)",
		"     0.000000s net       filter add filter#2",
		"     0.000000s net       drop #1 master->S0 Ping: drop(S0<->* kind=Ping)",
		"     0.000000s net       send #2 master->S0 Slow delay 1.5s",
		"     1.500000s loop      net.deliver",
		"     1.500000s net       deliver #2 master->S0 Slow",
		"     1.500000s net       filter remove drop(S0<->* kind=Ping)",
	}
	if diff := cmp.Diff(want, w.trace.Lines()); diff != "" {
		t.Errorf("trace (-want +got):\n%s", diff)
	}
}

// TestRandomDropsReplay drops messages with a probability drawn from the
// loop's seeded stream: the same seed drops the same messages.
func TestRandomDropsReplay(t *testing.T) {
	run := func(seed uint64) string {
		ring := loop.NewRingSink(1000)
		l := loop.New(loop.Config{Seed: seed, Trace: ring})
		net := New(l, Config{})
		net.Register("S0", func(Message) {})
		r := l.Rand("faults")
		net.AddFilter(FilterFunc(func(Message) Verdict {
			return Verdict{Drop: r.Float64() < 0.5, Reason: "coin"}
		}))
		for i := range 50 {
			l.After(time.Duration(i)*time.Millisecond, "send", func() {
				net.Send(Message{From: "master", To: "S0", Kind: "M"})
			})
		}
		if err := l.RunUntilIdle(time.Minute, 1000); err != nil {
			t.Fatal(err)
		}
		return ring.String()
	}
	a, b := run(3), run(3)
	if a != b {
		t.Fatalf("same seed, different traces:\n%s", cmp.Diff(a, b))
	}
	if a == run(4) {
		t.Error("seeds 3 and 4 dropped the same messages")
	}
	if n := strings.Count(a, ": coin"); n == 0 || n == 50 {
		t.Errorf("%d of 50 messages dropped, want some", n)
	}
}

func TestWatchExits(t *testing.T) {
	l := loop.New(loop.Config{Seed: 1})
	n := New(l, Config{})
	n.Register("a", func(Message) {})
	n.Register("b", func(Message) {})
	var got []string
	remove := n.WatchExits(func(name string) { got = append(got, name) })
	n.Unregister("a")
	n.Unregister("nobody")
	if err := l.Settle(100); err != nil {
		t.Fatal(err)
	}
	remove()
	n.Unregister("b")
	if err := l.Settle(100); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a"}, got); diff != "" {
		t.Errorf("exit notices (-want +got):\n%s", diff)
	}
}
