package allocator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/mesos-sim/mesos-sim/resources"
)

// SorterKind selects how clients (roles, or frameworks within a role) are
// ordered, like Mesos's --role_sorter and --framework_sorter flags.
type SorterKind int

const (
	// DRFSorter orders by weighted dominant share (Mesos's "drf", the
	// default).
	DRFSorter SorterKind = iota
	// RandomSorter orders by a weighted random shuffle (Mesos's
	// "random", added in 1.7).
	RandomSorter
)

func (k SorterKind) String() string {
	switch k {
	case DRFSorter:
		return "drf"
	case RandomSorter:
		return "random"
	}
	return fmt.Sprintf("SorterKind(%d)", int(k))
}

type nodeKind uint8

const (
	internalNode nodeKind = iota
	activeLeaf
	inactiveLeaf
)

// node is a node of a sorter's tree (Mesos's DRFSorter::Node). Clients
// are leaves; "a/b" lives under an internal node "a". When both "a" and
// "a/b" are clients, "a"'s own allocation sits in a virtual leaf "a/.".
type node struct {
	name   string // last path component; "." for a virtual leaf
	path   string // full path, "a/." for a virtual leaf
	kind   nodeKind
	parent *node
	// children holds internal nodes and active leaves first (children[:
	// nActive], sorted by DRF order when the sorter is clean), then the
	// inactive leaves.
	children  []*node
	nActive   int
	nInternal int

	alloc qvec    // scalar quantities offered or allocated to the subtree
	count uint64  // allocations to the subtree, never decremented
	share float64 // weighted dominant share, valid when the sorter is clean

	changed  bool // allocation changed since the last sort
	nChanged int  // number of changed children

	// Exactly one is set on a leaf, depending on the sorter.
	client *client // framework sorter: the framework in the role
	role   *role   // role sorter: the role
}

func (n *node) isLeaf() bool { return n.kind != internalNode }

// clientPath is the client's name: a virtual leaf "a/." stands for "a".
func (n *node) clientPath() string {
	if n.name == "." {
		return n.parent.path
	}
	return n.path
}

func (n *node) addChild(c *node) {
	c.parent = n
	if c.kind == internalNode {
		n.nInternal++
	}
	if c.kind == inactiveLeaf {
		n.children = append(n.children, c)
		return
	}
	n.children = slices.Insert(n.children, 0, c)
	n.nActive++
}

func (n *node) removeChild(c *node) {
	i := slices.Index(n.children, c)
	if i < 0 {
		panic("allocator: sorter node not found under its parent")
	}
	if c.kind == internalNode {
		n.nInternal--
	}
	if i < n.nActive {
		n.nActive--
	}
	n.children = slices.Delete(n.children, i, i+1)
}

// sortEnv is what all sorters of one allocator share.
type sortEnv struct {
	names          *nameTable
	total          qvec // scalar totals of all agents
	totalVersion   uint64
	excluded       []bool // by name id: excluded from fair sharing
	weights        map[string]float64
	weightsVersion uint64
	rng            *rand.Rand // the current allocation run's randomness
}

func (e *sortEnv) isExcluded(i int) bool { return i < len(e.excluded) && e.excluded[i] }

// sorter is Mesos's DRFSorter (or RandomSorter): a tree of clients that
// returns the active clients in allocation order.
type sorter struct {
	kind       SorterKind
	env        *sortEnv
	useWeights bool // role sorters have weights, framework sorters do not
	root       *node
	clients    map[string]*node

	dirty          bool
	seenTotal      uint64
	seenWeights    uint64
	pending        []*node
	leaves         []*node
	leavesValid    bool
	leavesFromRoot bool // leaves aliases root.children

	// Random sorter scratch.
	weights []float64
	keys    []float64
	perm    []int
	shuffle []*node
}

func newSorter(kind SorterKind, env *sortEnv, useWeights bool) *sorter {
	return &sorter{
		kind:       kind,
		env:        env,
		useWeights: useWeights,
		root:       &node{kind: internalNode},
		clients:    map[string]*node{},
		dirty:      true,
	}
}

func newNode(name string, kind nodeKind, parent *node) *node {
	n := &node{name: name, kind: kind, parent: parent}
	switch {
	case parent == nil:
	case parent.parent == nil:
		n.path = name
	default:
		n.path = parent.path + "/" + name
	}
	return n
}

func (s *sorter) find(path string) *node { return s.clients[path] }

func (s *sorter) size() int { return len(s.clients) }

// add adds an inactive client (Mesos's two-phase DRFSorter::add).
func (s *sorter) add(path string) *node {
	if s.clients[path] != nil {
		panic("allocator: sorter client added twice: " + path)
	}
	tokens := strings.Split(path, "/")
	cur, ti := s.root, 0
	for {
		if ti == len(tokens) {
			// The path is an internal node already: add a virtual leaf.
			virt := newNode(".", inactiveLeaf, cur)
			cur.addChild(virt)
			cur = virt
			break
		}
		if cur.isLeaf() {
			// A client on the way down: turn it into an internal node
			// and move the client into a virtual leaf.
			parent := cur.parent
			parent.removeChild(cur)
			oldKind := cur.kind
			cur.kind = internalNode
			parent.addChild(cur)
			virt := newNode(".", oldKind, cur)
			virt.alloc = cur.alloc.clone()
			virt.count = cur.count
			virt.client, virt.role = cur.client, cur.role
			cur.client, cur.role = nil, nil
			cur.addChild(virt)
			s.clients[virt.clientPath()] = virt
			break
		}
		var child *node
		for _, c := range cur.children {
			if c.name == tokens[ti] {
				child = c
				break
			}
		}
		if child == nil {
			break
		}
		cur = child
		ti++
	}
	for ; ti < len(tokens); ti++ {
		kind := internalNode
		if ti == len(tokens)-1 {
			kind = inactiveLeaf
		}
		child := newNode(tokens[ti], kind, cur)
		cur.addChild(child)
		cur = child
	}
	s.clients[path] = cur
	s.structureChanged()
	return cur
}

// remove removes a client and collapses internal nodes that are no
// longer needed (Mesos's DRFSorter::remove).
func (s *sorter) remove(path string) {
	cur := s.clients[path]
	if cur == nil {
		panic("allocator: unknown sorter client " + path)
	}
	delete(s.clients, path)
	leafAlloc := cur.alloc
	for cur != s.root {
		parent := cur.parent
		parent.alloc.sub(leafAlloc)
		switch {
		case len(cur.children) == 0:
			parent.removeChild(cur)
		case len(cur.children) == 1 && cur.children[0].name == ".":
			child := cur.children[0]
			cur.removeChild(child)
			parent.removeChild(cur)
			cur.kind = child.kind
			cur.client, cur.role = child.client, child.role
			parent.addChild(cur)
			s.clients[cur.path] = cur
		}
		cur = parent
	}
	s.structureChanged()
}

func (s *sorter) structureChanged() {
	s.dirty = true
	s.leavesValid = false
	s.weights = s.weights[:0]
}

func (s *sorter) activate(path string) {
	n := s.mustFind(path)
	if n.kind != inactiveLeaf {
		return
	}
	n.parent.removeChild(n)
	n.kind = activeLeaf
	n.parent.addChild(n)
	s.structureChanged()
}

func (s *sorter) deactivate(path string) {
	n := s.mustFind(path)
	if n.kind != activeLeaf {
		return
	}
	n.parent.removeChild(n)
	n.kind = inactiveLeaf
	n.parent.addChild(n)
	// The order of the remaining active clients is unchanged.
	s.leavesValid = false
	s.weights = s.weights[:0]
}

func (s *sorter) isActive(path string) bool {
	n := s.find(path)
	return n != nil && n.kind == activeLeaf
}

func (s *sorter) mustFind(path string) *node {
	n := s.clients[path]
	if n == nil {
		panic("allocator: unknown sorter client " + path)
	}
	return n
}

// allocated records an allocation to a client: its subtree quantities
// grow and its allocation count (and its ancestors') goes up by one.
func (s *sorter) allocated(path string, q qvec) {
	n := s.mustFind(path)
	for cur := n; cur != nil; cur = cur.parent {
		cur.alloc.add(q)
		cur.count++
	}
	for cur := n; cur != s.root; cur = cur.parent {
		if !cur.changed {
			cur.changed = true
			cur.parent.nChanged++
			s.pending = append(s.pending, cur)
		}
	}
	s.leavesValid = false
}

// unallocated records that a client gave resources back.
func (s *sorter) unallocated(path string, q qvec) {
	n := s.mustFind(path)
	for cur := n; cur != nil; cur = cur.parent {
		cur.alloc.sub(q)
	}
	s.dirty = true
	s.leavesValid = false
}

// update replaces old quantities by new ones in a client's allocation
// without counting an allocation.
func (s *sorter) update(path string, old, new qvec) {
	n := s.mustFind(path)
	for cur := n; cur != nil; cur = cur.parent {
		cur.alloc.sub(old)
		cur.alloc.add(new)
	}
	s.dirty = true
	s.leavesValid = false
}

func (s *sorter) weight(n *node) float64 {
	if !s.useWeights {
		return 1
	}
	if w, ok := s.env.weights[n.path]; ok {
		return w
	}
	return 1
}

// share is Mesos's DRFSorter::calculateShare: the largest fraction of the
// cluster total the node holds of any resource (names excluded from fair
// sharing and names with no total are skipped), divided by its weight.
// The fractions are computed on the doubles Mesos would hold, so exact
// ties come out as in Mesos.
func (s *sorter) share(n *node) float64 {
	share := 0.0
	for i, t := range s.env.total {
		if t <= 0 || s.env.isExcluded(i) {
			continue
		}
		a := resources.Scalar(n.alloc.get(i)).Float64() / resources.Scalar(t).Float64()
		share = max(share, a)
	}
	return share / s.weight(n)
}

// compareDRF orders by share, then allocation count, then path; it is
// Mesos's DRFSorter::Node::compareDRF.
func compareDRF(a, b *node) int {
	switch {
	case a.share < b.share:
		return -1
	case a.share > b.share:
		return 1
	case a.count < b.count:
		return -1
	case a.count > b.count:
		return 1
	}
	return strings.Compare(a.path, b.path)
}

// flush brings the DRF order up to date.
func (s *sorter) flush() {
	if s.seenTotal != s.env.totalVersion || (s.useWeights && s.seenWeights != s.env.weightsVersion) {
		s.dirty = true
		s.seenTotal = s.env.totalVersion
		s.seenWeights = s.env.weightsVersion
		s.weights = s.weights[:0]
	}
	if s.kind == RandomSorter {
		s.clearPending()
		s.dirty = false
		return
	}
	if s.dirty {
		s.clearPending()
		s.sortTree(s.root)
		s.dirty = false
		s.leavesValid = false
		return
	}
	if len(s.pending) == 0 {
		return
	}
	for _, n := range s.pending {
		if n.kind != inactiveLeaf {
			n.share = s.share(n)
		}
	}
	for _, n := range s.pending {
		p := n.parent
		switch {
		case p.nChanged == 0:
			// Handled with a sibling.
		case p.nChanged == 1:
			if n.kind != inactiveLeaf {
				s.reposition(n)
			}
		default:
			slices.SortFunc(p.children[:p.nActive], compareDRF)
		}
		p.nChanged = 0
	}
	s.clearPending()
	s.leavesValid = false
}

func (s *sorter) clearPending() {
	for _, n := range s.pending {
		n.changed = false
		n.parent.nChanged = 0
	}
	s.pending = s.pending[:0]
}

func (s *sorter) sortTree(n *node) {
	active := n.children[:n.nActive]
	for _, c := range active {
		c.share = s.share(c)
	}
	slices.SortFunc(active, compareDRF)
	for _, c := range active {
		if c.kind == internalNode {
			s.sortTree(c)
		}
	}
}

// reposition moves one node whose share changed to its place among its
// (sorted) siblings.
func (s *sorter) reposition(n *node) {
	p := n.parent
	active := p.children[:p.nActive]
	i := slices.Index(active, n)
	// Binary search among the siblings, skipping n's own slot: j is n's
	// new index.
	at := func(k int) *node {
		if k >= i {
			k++
		}
		return active[k]
	}
	lo, hi := 0, len(active)-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if compareDRF(at(mid), n) < 0 {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	j := lo
	// Shift only the siblings between the old and the new position.
	if j > i {
		copy(active[i:j], active[i+1:j+1])
	} else if j < i {
		copy(active[j+1:i+1], active[j:i])
	}
	active[j] = n
}

// sorted returns the active clients in allocation order. The slice is
// valid until the sorter is next changed and flushed; callers must not
// modify it.
func (s *sorter) sorted() []*node {
	s.flush()
	if s.kind == RandomSorter {
		return s.randomOrder()
	}
	if s.leavesValid {
		return s.leaves
	}
	if s.root.nInternal == 0 {
		s.leaves = s.root.children[:s.root.nActive]
		s.leavesFromRoot = true
	} else {
		if s.leavesFromRoot {
			s.leaves = nil
			s.leavesFromRoot = false
		}
		s.leaves = s.leaves[:0]
		var walk func(n *node)
		walk = func(n *node) {
			for _, c := range n.children[:n.nActive] {
				if c.kind == activeLeaf {
					s.leaves = append(s.leaves, c)
				} else {
					walk(c)
				}
			}
		}
		walk(s.root)
	}
	s.leavesValid = true
	return s.leaves
}

// randomOrder is Mesos's RandomSorter::sort: a weighted shuffle of the
// active clients where a client's weight is its relative weight in the
// tree, Rw(n) = Rw(parent) * w(n) / (sum of w over n's active siblings,
// n included). Keys are -u^(1/Rw) for uniform u, sorted ascending.
func (s *sorter) randomOrder() []*node {
	if len(s.weights) == 0 {
		s.shuffle = s.shuffle[:0]
		var walk func(n *node, rel float64)
		active := func(n *node) bool {
			return n.kind == activeLeaf || (n.kind == internalNode && hasActiveLeaf(n))
		}
		walk = func(n *node, rel float64) {
			total := 0.0
			for _, c := range n.children {
				if active(c) {
					total += s.weight(c)
				}
			}
			for _, c := range n.children {
				if !active(c) {
					continue
				}
				r := rel * s.weight(c) / total
				if c.kind == activeLeaf {
					s.shuffle = append(s.shuffle, c)
					s.weights = append(s.weights, r)
				} else {
					walk(c, r)
				}
			}
		}
		walk(s.root, 1)
		if len(s.shuffle) == 0 {
			return nil
		}
	}
	rng := s.env.rng
	if rng == nil {
		rng = rand.New(rand.NewPCG(0, 0))
		s.env.rng = rng
	}
	s.keys = s.keys[:0]
	s.perm = s.perm[:0]
	for i, w := range s.weights {
		s.keys = append(s.keys, -math.Pow(rng.Float64(), 1/w))
		s.perm = append(s.perm, i)
	}
	slices.SortStableFunc(s.perm, func(a, b int) int {
		switch {
		case s.keys[a] < s.keys[b]:
			return -1
		case s.keys[a] > s.keys[b]:
			return 1
		}
		return 0
	})
	s.leaves = s.leaves[:0]
	if s.leavesFromRoot {
		s.leaves = nil
		s.leavesFromRoot = false
	}
	for _, i := range s.perm {
		s.leaves = append(s.leaves, s.shuffle[i])
	}
	s.leavesValid = false
	return s.leaves
}

func hasActiveLeaf(n *node) bool {
	for _, c := range n.children {
		if c.kind == activeLeaf || (c.kind == internalNode && hasActiveLeaf(c)) {
			return true
		}
	}
	return false
}
