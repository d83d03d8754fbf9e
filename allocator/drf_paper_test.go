package allocator

import (
	"testing"

	"github.com/mesos-sim/mesos-sim/resources"
)

// TestDRFPaperExample replays the example of the DRF paper (Ghodsi et al.,
// NSDI 2011, section 4.1) at the allocator level: 9 CPUs and 18 GB; user
// A's tasks need <1 CPU, 4 GB>, user B's <3 CPUs, 1 GB>. Each framework
// launches one task per offer and declines the rest; progressive filling
// ends with A running 3 tasks and B 2, both at a dominant share of 2/3.
//
// With Mesos's tie-break the first offer goes to A (equal shares and
// counts, "a" sorts before "b"); the paper starts with B. The end state
// is the same.
func TestDRFPaperExample(t *testing.T) {
	h := newHarness(t)
	ag := h.addAgent("cpus:9;mem:18432")
	fa := h.addFramework([]string{"a"})
	fb := h.addFramework([]string{"b"})
	task := map[string]resources.Resources{
		fa.ID: resources.MustParse("cpus:1;mem:4096"),
		fb.ID: resources.MustParse("cpus:3;mem:1024"),
	}
	role := map[string]string{fa.ID: "a", fb.ID: "b"}
	running := map[string]int{}
	var order []string

	got := h.settle()
	idle := 0
	for range 20 {
		launched := false
		for _, al := range got {
			offered := al.Resources[role[al.FrameworkID]]
			want := task[al.FrameworkID].Allocate(role[al.FrameworkID])
			if !offered.Contains(want) {
				h.a.RecoverResources(h.now, al.FrameworkID, al.AgentID, offered, nil, false)
				continue
			}
			h.a.TransitionOfferedToAllocated(al.AgentID, want)
			h.a.RecoverResources(h.now, al.FrameworkID, al.AgentID, offered.Minus(want), nil, false)
			running[al.FrameworkID]++
			order = append(order, role[al.FrameworkID])
			launched = true
		}
		if !launched {
			idle++
			if idle == 2 {
				break
			}
		} else {
			idle = 0
		}
		got = h.tick()
	}
	if running[fa.ID] != 3 || running[fb.ID] != 2 {
		t.Errorf("A runs %d tasks and B %d, want 3 and 2 (order %v)", running[fa.ID], running[fb.ID], order)
	}
	if want := []string{"a", "b", "a", "b", "a"}; len(order) != len(want) {
		t.Errorf("launch order %v, want %v", order, want)
	} else {
		for i := range want {
			if order[i] != want[i] {
				t.Errorf("launch order %v, want %v", order, want)
				break
			}
		}
	}
	for _, r := range []string{"a", "b"} {
		if s := h.a.DominantShare(r); s < 0.666 || s > 0.667 {
			t.Errorf("dominant share of %s = %v, want 2/3", r, s)
		}
	}
	if left := h.a.Available(ag.ID); !left.Equal(resources.MustParse("mem:4096")) {
		t.Errorf("left over: %s, want mem:4096", left)
	}
	h.checkInvariants()
}
