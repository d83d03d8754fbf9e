package loop

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrBound is wrapped by every error a driving method returns when it hits
// one of its bounds: a number of events, or a span of virtual time. The
// message around it names the events that were running and queued.
var ErrBound = errors.New("loop: bound hit")

// errDueNow describes a livelock: ran events have run and more are due now.
func (l *Loop) errDueNow(ran int) error {
	return fmt.Errorf("ran %d events, the bound, at %s and more are due now (last ran %q; due now: %s): %w",
		ran, stamp(l.now), l.lastRun, l.describe(l.now), ErrBound)
}

// maxDescribed caps how many distinct event names describe lists.
const maxDescribed = 8

// describe lists the names of the queued events due at or before upTo, most
// frequent first, e.g. `3×"master.ping", "net.deliver"`. It is for error
// messages only: it scans the whole queue.
func (l *Loop) describe(upTo int64) string {
	var names []string
	for i := 0; i < l.due.len(); i++ {
		names = append(names, l.due.at(i).name)
	}
	for _, e := range l.timers.heap {
		if t := l.timers.slots[e.slot]; t != nil && e.at <= upTo {
			names = append(names, t.name)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	slices.Sort(names)
	type count struct {
		name string
		n    int
	}
	var counts []count
	for i := 0; i < len(names); {
		j := i + 1
		for j < len(names) && names[j] == names[i] {
			j++
		}
		counts = append(counts, count{names[i], j - i})
		i = j
	}
	slices.SortStableFunc(counts, func(a, b count) int { return b.n - a.n })
	var b strings.Builder
	for i, c := range counts {
		if i == maxDescribed {
			fmt.Fprintf(&b, ", and %d more names", len(counts)-i)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if c.n > 1 {
			fmt.Fprintf(&b, "%d×", c.n)
		}
		fmt.Fprintf(&b, "%q", c.name)
	}
	return b.String()
}
