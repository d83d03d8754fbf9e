package faults

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sendBothWays sends one message each way between the master and agent-1,
// settles, and returns what was received.
func sendBothWays(t *testing.T, f *fakeTarget, label string) []string {
	t.Helper()
	f.received = nil
	f.send(true, "RunTaskMessage", label)
	f.send(false, "StatusUpdateMessage", label)
	f.settle(t)
	return f.received
}

func TestPartition(t *testing.T) {
	toAgent := "agent-1 RunTaskMessage x@0s"
	toMaster := "master StatusUpdateMessage x@0s"
	tests := []struct {
		direction Direction
		want      []string // received while partitioned
		str       string
	}{
		{"", nil, "partition agent-1 (both ways)"},
		{Both, nil, "partition agent-1 (both ways)"},
		{ToAgent, []string{toMaster}, "partition agent-1 (master to agent only)"},
		{FromAgent, []string{toAgent}, "partition agent-1 (agent to master only)"},
	}
	for _, tc := range tests {
		t.Run(string(tc.direction), func(t *testing.T) {
			f := newFake(t, 1)
			in := NewInjector(f)
			p := Partition{Agent: "agent-1", Direction: tc.direction}
			if got := p.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
			if err := in.Apply(p); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, sendBothWays(t, f, "x")); diff != "" {
				t.Errorf("partitioned (-want +got):\n%s", diff)
			}
			if err := in.Apply(Heal{Agent: "agent-1"}); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{toAgent, toMaster}, sendBothWays(t, f, "x")); diff != "" {
				t.Errorf("healed (-want +got):\n%s", diff)
			}
			if got, want := f.faultLines(), []string{"apply: " + tc.str, "apply: heal agent-1"}; !cmp.Equal(got, want) {
				t.Errorf("trace = %q, want %q", got, want)
			}
		})
	}
}

// A message already in flight when a partition starts keeps its fate.
func TestPartitionSparesMessagesInFlight(t *testing.T) {
	f := newFake(t, 1)
	in := NewInjector(f)
	if err := in.Apply(Delay{Delay: Duration(time.Second)}); err != nil {
		t.Fatal(err)
	}
	f.send(true, "RunTaskMessage", "early")
	if err := in.Apply(Partition{Agent: "agent-1"}); err != nil {
		t.Fatal(err)
	}
	f.send(true, "RunTaskMessage", "late")
	if err := f.l.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"agent-1 RunTaskMessage early@1s"}, f.received); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestHeal(t *testing.T) {
	install := []Fault{
		Partition{Agent: "agent-1", Direction: ToAgent},
		Drop{Match: Match{Kind: "PongSlaveMessage"}, Probability: 1},                              // every agent
		Delay{Match: Match{Agent: "agent-1", Direction: FromAgent}, Delay: Duration(time.Second)}, // agent-1
		Duplicate{Match: Match{Agent: "agent-2"}, Probability: 1},                                 // agent-2
	}
	tests := []struct {
		heal      Heal
		removed   int
		remaining int
		received  []string // after the heal: RunTask to agent-1, StatusUpdate and Pong to the master
	}{
		{Heal{Agent: "agent-2"}, 1, 3, []string{"master StatusUpdateMessage x@1s"}},
		{Heal{Agent: "agent-1"}, 2, 2, []string{"agent-1 RunTaskMessage x@0s", "master StatusUpdateMessage x@0s"}},
		{Heal{}, 4, 0, []string{"agent-1 RunTaskMessage x@0s", "master StatusUpdateMessage x@0s", "master PongSlaveMessage x@0s"}},
	}
	for _, tc := range tests {
		t.Run(tc.heal.String(), func(t *testing.T) {
			f := newFake(t, 1)
			in := NewInjector(f)
			for _, x := range install {
				if err := in.Apply(x); err != nil {
					t.Fatal(err)
				}
			}
			if got := in.Heal(tc.heal.Agent); got != tc.removed {
				t.Errorf("Heal removed %d filters, want %d", got, tc.removed)
			}
			if len(in.filters) != tc.remaining {
				t.Errorf("%d filters remain, want %d", len(in.filters), tc.remaining)
			}
			f.received = nil
			f.send(true, "RunTaskMessage", "x")
			f.send(false, "StatusUpdateMessage", "x")
			f.send(false, "PongSlaveMessage", "x")
			if err := f.l.Advance(time.Minute); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.received, f.received); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// dropPattern sends n messages from agent-1 to the master, alternating
// StatusUpdateMessage and PongSlaveMessage, under a Drop of status updates
// with probability p, and returns the numbers of the ones delivered.
func dropPattern(t *testing.T, seed uint64, n int, p float64) (statusUpdates, pongs []int) {
	f := newFake(t, seed)
	in := NewInjector(f)
	if err := in.Apply(Drop{Match: Match{Agent: "agent-1", Kind: "StatusUpdateMessage"}, Probability: p}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		kind := "StatusUpdateMessage"
		if i%2 == 1 {
			kind = "PongSlaveMessage"
		}
		f.send(false, kind, i)
	}
	f.settle(t)
	for _, r := range f.received {
		var kind string
		var i int
		if _, err := fmt.Sscanf(r, "master %s %d@0s", &kind, &i); err != nil {
			t.Fatalf("received %q: %v", r, err)
		}
		if kind == "StatusUpdateMessage" {
			statusUpdates = append(statusUpdates, i)
		} else {
			pongs = append(pongs, i)
		}
	}
	return statusUpdates, pongs
}

func TestDropReproduciblePerSeed(t *testing.T) {
	const n, p = 2000, 0.3
	first, pongs := dropPattern(t, 7, n, p)
	again, _ := dropPattern(t, 7, n, p)
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("the same seed dropped different messages (-first +again):\n%s", diff)
	}
	other, _ := dropPattern(t, 8, n, p)
	if cmp.Equal(first, other) {
		t.Error("seeds 7 and 8 dropped the same messages")
	}
	if len(pongs) != n/2 {
		t.Errorf("%d of %d pongs delivered; the drop selects status updates only", len(pongs), n/2)
	}
	// About 70% of the 1000 status updates get through (±5 sigma).
	if got := len(first); got < 630 || got > 770 {
		t.Errorf("%d of 1000 status updates delivered with drop probability %v", got, p)
	}
	for _, tc := range []struct {
		p    float64
		want int
	}{{0, n / 2}, {1, 0}} {
		if got, _ := dropPattern(t, 7, n, tc.p); len(got) != tc.want {
			t.Errorf("probability %v: %d status updates delivered, want %d", tc.p, len(got), tc.want)
		}
	}
}

// arrivals sends 20 numbered messages to agent-1 at one instant under a
// delay with jitter and returns the order and times of their arrival.
func arrivals(t *testing.T, seed uint64) []string {
	f := newFake(t, seed)
	in := NewInjector(f)
	d := Delay{Match: Match{Agent: "agent-1", Direction: ToAgent}, Delay: Duration(time.Second), Jitter: Duration(500 * time.Millisecond)}
	if err := in.Apply(d); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		f.send(true, "RunTaskMessage", i)
	}
	f.send(false, "StatusUpdateMessage", "not delayed")
	if err := f.l.Advance(time.Minute); err != nil {
		t.Fatal(err)
	}
	return f.received
}

func TestDelayJitterReordersDeterministically(t *testing.T) {
	got := arrivals(t, 3)
	if diff := cmp.Diff(got, arrivals(t, 3)); diff != "" {
		t.Fatalf("the same seed gave different arrivals (-first +again):\n%s", diff)
	}
	if got[0] != "master StatusUpdateMessage not delayed@0s" {
		t.Errorf("first arrival %q; the other direction is not delayed", got[0])
	}
	var order []int
	for _, r := range got[1:] {
		var i int
		var at string
		if _, err := fmt.Sscanf(r, "agent-1 RunTaskMessage %d@%s", &i, &at); err != nil {
			t.Fatalf("received %q: %v", r, err)
		}
		d, err := time.ParseDuration(at)
		if err != nil {
			t.Fatal(err)
		}
		if d < time.Second || d > 1500*time.Millisecond {
			t.Errorf("message %d arrived at %v, outside [1s, 1.5s]", i, d)
		}
		order = append(order, i)
	}
	if len(order) != 20 {
		t.Fatalf("%d messages arrived, want 20", len(order))
	}
	if slices.IsSorted(order) {
		t.Errorf("jitter did not reorder: %v", order)
	}
	if cmp.Equal(got, arrivals(t, 4)) {
		t.Error("seeds 3 and 4 gave the same arrivals")
	}
}

func TestDuplicate(t *testing.T) {
	tests := []struct {
		p    float64
		want int // deliveries to the master of 10 messages; -1: more than 10 and fewer than 20
	}{{0, 10}, {1, 20}, {0.5, -1}}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.p), func(t *testing.T) {
			f := newFake(t, 11)
			in := NewInjector(f)
			if err := in.Apply(Duplicate{Match: Match{Direction: FromAgent}, Probability: tc.p}); err != nil {
				t.Fatal(err)
			}
			for i := range 10 {
				f.send(false, "StatusUpdateMessage", i)
			}
			f.send(true, "RunTaskMessage", "once")
			f.settle(t)
			var got int
			for _, r := range f.received {
				if strings.HasPrefix(r, "master ") {
					got++
				}
			}
			if tc.want < 0 {
				if got <= 10 || got >= 20 {
					t.Errorf("%d deliveries with probability 0.5, want some but not all duplicated", got)
				}
			} else if got != tc.want {
				t.Errorf("%d deliveries to the master, want %d", got, tc.want)
			}
			if n := strings.Count(strings.Join(f.received, "\n"), "RunTaskMessage once"); n != 1 {
				t.Errorf("the message to the agent arrived %d times, want 1", n)
			}
		})
	}
}
