package frameworks

import (
	"fmt"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// HoardMode is what a GreedyHoarder does with the offers it gets.
type HoardMode int

const (
	// HoldOffers never answers an offer: the resources stay offered to
	// it until the master rescinds them (an offer timeout, an agent
	// lost) or it resubscribes.
	HoldOffers HoardMode = iota
	// LaunchLong accepts every offer whole with one task that runs until
	// killed, up to Options.Tasks tasks, then declines everything.
	LaunchLong
)

// GreedyHoarder takes what it is offered and gives nothing back: the
// framework that tests whether others still get their share and whether
// offered resources are accounted for.
type GreedyHoarder struct {
	base
	mode HoardMode
	held map[string]bool
	n    int // tasks launched
}

// NewGreedyHoarder returns a GreedyHoarder (default name "hoarder").
func NewGreedyHoarder(opts Options, mode HoardMode) *GreedyHoarder {
	h := &GreedyHoarder{base: newBase(opts.withDefaults("hoarder")), mode: mode, held: map[string]bool{}}
	h.onSubscribed = func(Conn) { clear(h.held) } // a new subscription's master dropped them
	h.onOffers = h.offers
	h.onRescind = func(_ Conn, id string) { delete(h.held, id) }
	h.onUpdate = func(c Conn, st *mesospb.TaskStatus, _ mesospb.TaskState) {}
	return h
}

// Configure implements Configurable.
func (h *GreedyHoarder) Configure(w Workload) { h.reconfigure(w) }

func (h *GreedyHoarder) offers(c Conn, offers []*mesospb.Offer) {
	var unused []*mesospb.Offer
	for _, o := range offers {
		switch {
		case h.mode == HoldOffers:
			h.held[o.GetId().GetValue()] = true
		case h.n < h.opts.Tasks:
			res := offerResources(o).Filter(func(r resources.Resource) bool {
				return r.Name() == "cpus" || r.Name() == "mem"
			})
			if res.CPUs() <= 0 || res.Mem() <= 0 {
				unused = append(unused, o)
				continue
			}
			id := fmt.Sprintf("%s.%d", h.opts.Name, h.n)
			h.n++
			h.accept(c, o, []*mesospb.TaskInfo{h.taskInfo(id, o.GetAgentId().GetValue(), h.opts.Behavior, res)}, func() bool { return false })
		default:
			unused = append(unused, o)
		}
	}
	h.decline(c, unused)
	if h.mode == LaunchLong && h.n >= h.opts.Tasks {
		h.want(c, false)
	}
}

// Held returns how many offers the hoarder holds unanswered.
func (h *GreedyHoarder) Held() int { return len(h.held) }

// Snapshot implements Framework.
func (h *GreedyHoarder) Snapshot() Snapshot {
	s := h.snapshot()
	s.TaskResources = ""
	s.GoalMet = true
	if h.mode == HoldOffers {
		s.Goal = fmt.Sprintf("holding %d offers", len(h.held))
		s.Wanted = 1
	} else {
		s.Goal = fmt.Sprintf("launched %d of %d hoarding tasks", h.n, h.opts.Tasks)
		s.Wanted = h.opts.Tasks - h.n
	}
	return s
}

var _ Configurable = (*GreedyHoarder)(nil)
