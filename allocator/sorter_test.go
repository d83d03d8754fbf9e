package allocator

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mesos-sim/mesos-sim/resources"
)

// sorterHarness drives one sorter the way Mesos's src/tests/sorter_tests.cpp
// drives a DRFSorter.
type sorterHarness struct {
	t     *testing.T
	names nameTable
	env   sortEnv
	s     *sorter
}

func newSorterHarness(t *testing.T, kind SorterKind, total string) *sorterHarness {
	h := &sorterHarness{t: t}
	h.env.names = &h.names
	h.env.weights = map[string]float64{}
	h.s = newSorter(kind, &h.env, true)
	h.setTotal(total)
	return h
}

func (h *sorterHarness) q(text string) qvec {
	return h.names.toQvec(resources.MustParse(text).ScalarQuantities())
}

func (h *sorterHarness) setTotal(text string) {
	h.env.total = h.q(text)
	h.env.totalVersion++
}

func (h *sorterHarness) add(paths ...string) {
	for _, p := range paths {
		h.s.add(p)
		h.s.activate(p)
	}
}

func (h *sorterHarness) allocated(path, res string)   { h.s.allocated(path, h.q(res)) }
func (h *sorterHarness) unallocated(path, res string) { h.s.unallocated(path, h.q(res)) }

func (h *sorterHarness) weight(path string, w float64) {
	h.env.weights[path] = w
	h.env.weightsVersion++
}

func (h *sorterHarness) expect(want ...string) {
	h.t.Helper()
	var got []string
	for _, n := range h.s.sorted() {
		got = append(got, n.clientPath())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		h.t.Errorf("sort() mismatch (-want +got):\n%s", diff)
	}
}

// Re-creates DRFSorterTest.DRF, and DRFSorterTest.ShallowHierarchy with
// every name nested one level down.
func TestSorterDRF(t *testing.T) {
	for _, nest := range []bool{false, true} {
		t.Run(map[bool]string{false: "DRF", true: "ShallowHierarchy"}[nest], func(t *testing.T) {
			n := func(s string) string {
				if nest {
					return s + "/" + s
				}
				return s
			}
			ns := func(ss ...string) []string {
				out := make([]string, len(ss))
				for i, s := range ss {
					out[i] = n(s)
				}
				return out
			}
			h := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
			h.expect()
			h.add(n("a"))
			h.allocated(n("a"), "cpus:5;mem:5")
			h.add(n("b"))
			h.allocated(n("b"), "cpus:6;mem:6")
			h.expect(ns("a", "b")...)
			h.add(n("c"))
			h.allocated(n("c"), "cpus:1;mem:1")
			h.add(n("d"))
			h.allocated(n("d"), "cpus:3;mem:1")
			h.expect(ns("c", "d", "a", "b")...)
			h.s.remove(n("a"))
			h.unallocated(n("b"), "cpus:4;mem:4")
			h.expect(ns("c", "b", "d")...)
			h.add(n("e"))
			h.allocated(n("e"), "cpus:1;mem:5")
			h.setTotal("cpus:50;mem:100")
			h.expect(ns("c", "b", "e", "d")...)
			h.setTotal("cpus:50;mem:200")
			h.add(n("f"))
			h.allocated(n("f"), "cpus:5;mem:1")
			h.allocated(n("c"), "cpus:0;mem:15")
			h.expect(ns("e", "b", "d", "c", "f")...)
			if h.s.find(n("a")) != nil || h.s.size() != 5 {
				t.Errorf("a should be gone, 5 clients left")
			}
			h.s.deactivate(n("d"))
			h.expect(ns("e", "b", "c", "f")...)
			h.s.activate(n("d"))
			h.expect(ns("e", "b", "d", "c", "f")...)
		})
	}
}

// Re-creates DRFSorterTest.WDRF and DRFSorterTest.UpdateWeight.
func TestSorterWDRF(t *testing.T) {
	h := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
	h.add("a")
	h.allocated("a", "cpus:5;mem:5")
	h.add("b")
	h.weight("b", 2)
	h.allocated("b", "cpus:6;mem:6")
	h.expect("b", "a")
	h.add("c")
	h.allocated("c", "cpus:4;mem:4")
	h.expect("b", "c", "a")
	h.add("d")
	h.weight("d", 10)
	h.allocated("d", "cpus:10;mem:20")
	h.expect("d", "b", "c", "a")
	h.s.remove("b")
	h.expect("d", "c", "a")
	h.allocated("d", "cpus:10;mem:25")
	h.expect("c", "d", "a")
	h.add("e")
	h.weight("e", 0.1)
	h.allocated("e", "cpus:1;mem:1")
	h.expect("c", "d", "a", "e")
	h.s.remove("a")
	h.expect("c", "d", "e")

	u := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
	u.add("a")
	u.allocated("a", "cpus:5;mem:5")
	u.add("b")
	u.allocated("b", "cpus:6;mem:6")
	u.expect("a", "b")
	u.weight("b", 2)
	u.expect("b", "a")
}

// Re-creates DRFSorterTest.AllocationCountTieBreak.
func TestSorterAllocationCountTieBreak(t *testing.T) {
	h := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
	h.add("a", "b", "c", "d", "e")
	h.allocated("a", "cpus:3;mem:3")
	h.allocated("b", "cpus:3;mem:3")
	h.allocated("c", "cpus:1;mem:1")
	h.allocated("c", "cpus:1;mem:1")
	h.allocated("c", "cpus:1;mem:1")
	h.allocated("d", "cpus:2;mem:2")
	h.allocated("d", "cpus:1;mem:1")
	h.allocated("e", "cpus:3;mem:3")
	h.expect("a", "b", "e", "d", "c")
	h.unallocated("c", "cpus:3;mem:3")
	h.expect("c", "a", "b", "e", "d")
	h.allocated("c", "cpus:3;mem:3")
	h.expect("a", "b", "e", "d", "c")
	h.s.deactivate("c")
	h.s.activate("c")
	h.expect("a", "b", "e", "d", "c")
	h.unallocated("c", "cpus:3;mem:3")
	h.allocated("c", "cpus:3;mem:3")
	h.expect("a", "b", "e", "d", "c")
	h.s.deactivate("a")
	h.unallocated("a", "cpus:1;mem:3")
	h.allocated("a", "cpus:1;mem:3")
	h.expect("b", "e", "d", "c")
	h.s.activate("a")
	h.expect("b", "e", "a", "d", "c")
}

// Re-creates DRFSorterTest.HierarchicalAllocation and
// HierarchicalIterationOrder.
func TestSorterHierarchical(t *testing.T) {
	h := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
	h.add("a", "b/c", "b/d")
	if h.s.find("b") != nil || h.s.size() != 3 {
		t.Error("b must not be a client")
	}
	h.expect("a", "b/c", "b/d")
	h.allocated("a", "cpus:6;mem:6")
	h.expect("b/c", "b/d", "a")
	h.allocated("b/c", "cpus:4;mem:4")
	h.allocated("b/d", "cpus:3;mem:3")
	h.expect("a", "b/d", "b/c")
	h.allocated("a", "cpus:2;mem:2")
	h.expect("b/d", "b/c", "a")
	h.add("b/e/f")
	h.expect("b/e/f", "b/d", "b/c", "a")
	h.allocated("b/e/f", "cpus:3.5;mem:3.5")
	h.expect("a", "b/d", "b/e/f", "b/c")
	h.s.remove("b/e/f")
	h.expect("b/d", "b/c", "a")
	h.s.update("b/c", h.q("cpus:4;mem:4"), h.q("cpus:1;mem:1"))
	h.expect("b/c", "b/d", "a")
	h.add("b/e/f")
	h.allocated("b/e/f", "cpus:3.5;mem:3.5")
	h.expect("b/c", "b/d", "b/e/f", "a")

	o := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
	o.add("a/b", "c", "d", "d/e")
	o.expect("a/b", "c", "d", "d/e")
	o.allocated("c", "cpus:8;mem:8")
	o.expect("a/b", "d", "d/e", "c")
	o.allocated("d", "cpus:3;mem:3")
	o.allocated("d/e", "cpus:2;mem:2")
	o.expect("a/b", "d/e", "d", "c")
	o.allocated("a/b", "cpus:6;mem:6")
	o.expect("d/e", "d", "a/b", "c")
}

// Re-creates DRFSorterTest.AddChildToLeaf, AddChildToInternal,
// AddChildToInactiveLeaf and CommonSorterTest.RemoveLeafCollapseParent.
func TestSorterTreeChanges(t *testing.T) {
	h := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
	h.add("a")
	h.allocated("a", "cpus:10;mem:10")
	h.add("b")
	h.allocated("b", "cpus:6;mem:6")
	h.expect("b", "a")
	h.add("a/c")
	h.allocated("a/c", "cpus:5;mem:5")
	h.expect("b", "a/c", "a")
	h.s.remove("a")
	h.expect("a/c", "b")
	h.add("a")
	h.allocated("a", "cpus:10;mem:10")
	h.expect("b", "a/c", "a")
	h.weight("a/c", 0.2)
	h.expect("b", "a", "a/c")
	h.weight("a", 3)
	h.expect("a", "a/c", "b")
	h.weight("a/c", 1)
	h.expect("a/c", "a", "b")

	i := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
	i.add("x/a")
	i.allocated("x/a", "cpus:10;mem:10")
	i.add("x/b")
	i.allocated("x/b", "cpus:6;mem:6")
	i.expect("x/b", "x/a")
	i.add("x")
	i.allocated("x", "cpus:7;mem:7")
	i.expect("x/b", "x", "x/a")
	i.add("z")
	i.allocated("z", "cpus:20;mem:20")
	i.expect("z", "x/b", "x", "x/a")
	i.s.remove("x")
	i.expect("x/b", "x/a", "z")

	l := newSorterHarness(t, DRFSorter, "cpus:100;mem:100")
	l.add("a")
	l.allocated("a", "cpus:10;mem:10")
	l.add("b")
	l.allocated("b", "cpus:6;mem:6")
	l.s.deactivate("a")
	l.expect("b")
	l.add("a/c")
	l.allocated("a/c", "cpus:5;mem:5")
	l.expect("b", "a/c")

	for _, kind := range []SorterKind{DRFSorter, RandomSorter} {
		c := newSorterHarness(t, kind, "cpus:100;mem:100")
		c.add("a")
		c.allocated("a", "cpus:10;mem:10")
		c.add("b")
		c.allocated("b", "cpus:6;mem:6")
		c.add("a/c")
		c.allocated("a/c", "cpus:5;mem:5")
		names := func() []string {
			var out []string
			for _, n := range c.s.sorted() {
				out = append(out, n.clientPath())
			}
			slices.Sort(out)
			return out
		}
		if got := names(); !slices.Equal(got, []string{"a", "a/c", "b"}) {
			t.Errorf("%v: clients = %v", kind, got)
		}
		c.s.remove("a/c")
		if got := names(); !slices.Equal(got, []string{"a", "b"}) {
			t.Errorf("%v: clients after remove = %v", kind, got)
		}
		if n := c.s.find("a"); n == nil || n.name != "a" || !n.isLeaf() {
			t.Errorf("%v: a was not collapsed back into a leaf", kind)
		}
	}
}

// Re-creates RandomSorterTest.ProbabilityDistribution loosely: a client
// with weight 2 comes first about twice as often as one with weight 1.
func TestRandomSorterWeights(t *testing.T) {
	h := newSorterHarness(t, RandomSorter, "cpus:100;mem:100")
	h.add("a", "b")
	h.weight("b", 2)
	firsts := map[string]int{}
	for i := range 3000 {
		h.env.rng = rand.New(rand.NewPCG(uint64(i), 0))
		firsts[h.s.sorted()[0].clientPath()]++
	}
	ratio := float64(firsts["b"]) / float64(firsts["a"])
	if ratio < 1.7 || ratio > 2.3 {
		t.Errorf("b first %d times, a %d times: ratio %.2f, want about 2", firsts["b"], firsts["a"], ratio)
	}
}
