package allocator

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"
	"pgregory.net/rapid"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// allocatorMachine drives two allocators with the same seed through the
// same random inputs, acting as a master: it tracks outstanding offers and
// running tasks, declines, launches, ends tasks and moves virtual time.
// After every step it checks the bookkeeping invariants, that offers only
// go where Mesos would send them, and that both allocators made exactly
// the same decisions (determinism).
type allocatorMachine struct {
	a, b       *Hierarchical
	now        time.Time
	agents     map[string]Agent
	frameworks map[string]*fwModel
	offers     []Allocation // outstanding, one role each
	tasks      []task
	nextID     int
}

type fwModel struct {
	spec   Framework
	active bool
}

type task struct {
	fw, agent, role string
	res             resources.Resources // allocated
}

var propRoles = []string{"*", "a", "b", "a/x"}

func (m *allocatorMachine) init(t *rapid.T) {
	opts := DefaultOptions()
	opts.Seed = rapid.Uint64().Draw(t, "seed")
	if rapid.Bool().Draw(t, "randomSorter") {
		opts.FrameworkSorter = RandomSorter
	}
	m.a, m.b = New(opts), New(opts)
	m.now = epoch
	m.agents = map[string]Agent{}
	m.frameworks = map[string]*fwModel{}
}

func (m *allocatorMachine) both(f func(a *Hierarchical) []Allocation) []Allocation {
	x, y := f(m.a), f(m.b)
	if fmt.Sprint(x) != fmt.Sprint(y) {
		panic(fmt.Sprintf("allocators diverged:\n%v\n%v", x, y))
	}
	return x
}

func (m *allocatorMachine) do(f func(a *Hierarchical)) {
	f(m.a)
	f(m.b)
}

func (m *allocatorMachine) id(prefix string) string {
	m.nextID++
	return fmt.Sprintf("%s%03d", prefix, m.nextID)
}

func (m *allocatorMachine) record(t *rapid.T, als []Allocation) {
	for _, al := range als {
		fw := m.frameworks[al.FrameworkID]
		if fw == nil || !fw.active {
			t.Fatalf("offer to an unknown or inactive framework: %v", al)
		}
		for _, role := range al.Roles() {
			if !slices.Contains(fw.spec.Roles, role) || slices.Contains(fw.spec.SuppressedRoles, role) {
				t.Fatalf("offer in a role the framework is not subscribed to or suppressed: %v", al)
			}
			res := al.Resources[role]
			for r := range res.All() {
				if r.IsReserved() && !r.IsAllocatableTo(role) {
					t.Fatalf("offer of a reservation to another role: %v", al)
				}
				if r.IsRevocable() && !slices.Contains(fw.spec.Capabilities, mesospb.FrameworkInfo_Capability_REVOCABLE_RESOURCES) {
					t.Fatalf("revocable resources to a framework without REVOCABLE_RESOURCES: %v", al)
				}
			}
			if m.agents[al.AgentID].Total.GPUs() > 0 && !slices.Contains(fw.spec.Capabilities, mesospb.FrameworkInfo_Capability_GPU_RESOURCES) {
				t.Fatalf("GPU agent offered to a framework without GPU_RESOURCES: %v", al)
			}
			m.offers = append(m.offers, Allocation{FrameworkID: al.FrameworkID, AgentID: al.AgentID,
				Resources: map[string]resources.Resources{role: res}})
		}
	}
}

func (m *allocatorMachine) AddAgent(t *rapid.T) {
	text := fmt.Sprintf("cpus:%d;mem:%d;ports:[%d-%d]",
		rapid.IntRange(1, 8).Draw(t, "cpus"), 64*rapid.IntRange(1, 16).Draw(t, "mem"),
		31000, 31000+rapid.IntRange(0, 9).Draw(t, "ports"))
	switch rapid.IntRange(0, 4).Draw(t, "extra") {
	case 1:
		text += ";cpus(a):2;mem(a):128"
	case 2:
		text += ";gpus:1"
	case 3:
		text += ";cpus(a/x):1"
	}
	total := resources.MustParse(text)
	if rapid.IntRange(0, 4).Draw(t, "revocable") == 0 {
		total = total.Plus(resources.MustParse("cpus:2").AsRevocable())
	}
	ag := Agent{ID: m.id("agent"), Total: total}
	ag.Hostname = ag.ID
	m.agents[ag.ID] = ag
	m.do(func(a *Hierarchical) { a.AddAgent(ag, nil) })
}

func (m *allocatorMachine) AddFramework(t *rapid.T) {
	roles := rapid.SliceOfNDistinct(rapid.SampledFrom(propRoles), 1, 2, rapid.ID[string]).Draw(t, "roles")
	caps := []mesospb.FrameworkInfo_Capability_Type{mesospb.FrameworkInfo_Capability_MULTI_ROLE}
	for _, c := range []mesospb.FrameworkInfo_Capability_Type{
		mesospb.FrameworkInfo_Capability_GPU_RESOURCES,
		mesospb.FrameworkInfo_Capability_REVOCABLE_RESOURCES,
		mesospb.FrameworkInfo_Capability_RESERVATION_REFINEMENT,
	} {
		if rapid.Bool().Draw(t, c.String()) {
			caps = append(caps, c)
		}
	}
	fw := Framework{ID: m.id("framework"), Roles: roles, Capabilities: caps}
	m.frameworks[fw.ID] = &fwModel{spec: fw, active: true}
	m.do(func(a *Hierarchical) { a.AddFramework(fw, nil, true) })
}

func (m *allocatorMachine) pickFramework(t *rapid.T) *fwModel {
	if len(m.frameworks) == 0 {
		t.Skip("no frameworks")
	}
	return m.frameworks[rapid.SampledFrom(sortedKeys(m.frameworks)).Draw(t, "framework")]
}

func (m *allocatorMachine) RemoveFramework(t *rapid.T) {
	fw := m.pickFramework(t)
	m.do(func(a *Hierarchical) { a.RemoveFramework(fw.spec.ID) })
	delete(m.frameworks, fw.spec.ID)
	m.offers = slices.DeleteFunc(m.offers, func(o Allocation) bool { return o.FrameworkID == fw.spec.ID })
	m.tasks = slices.DeleteFunc(m.tasks, func(x task) bool { return x.fw == fw.spec.ID })
}

func (m *allocatorMachine) RemoveAgent(t *rapid.T) {
	if len(m.agents) == 0 {
		t.Skip("no agents")
	}
	id := rapid.SampledFrom(sortedKeys(m.agents)).Draw(t, "agent")
	m.do(func(a *Hierarchical) { a.RemoveAgent(id) })
	delete(m.agents, id)
	m.offers = slices.DeleteFunc(m.offers, func(o Allocation) bool { return o.AgentID == id })
	m.tasks = slices.DeleteFunc(m.tasks, func(x task) bool { return x.agent == id })
}

func (m *allocatorMachine) ToggleAgent(t *rapid.T) {
	if len(m.agents) == 0 {
		t.Skip("no agents")
	}
	id := rapid.SampledFrom(sortedKeys(m.agents)).Draw(t, "agent")
	if rapid.Bool().Draw(t, "activate") {
		m.do(func(a *Hierarchical) { a.ActivateAgent(id) })
	} else {
		m.do(func(a *Hierarchical) { a.DeactivateAgent(id) })
	}
}

func (m *allocatorMachine) ToggleFramework(t *rapid.T) {
	fw := m.pickFramework(t)
	if fw.active {
		m.do(func(a *Hierarchical) { a.DeactivateFramework(fw.spec.ID) })
		// The master rescinds outstanding offers of a deactivated
		// framework.
		m.rescind(fw.spec.ID)
	} else {
		m.do(func(a *Hierarchical) { a.ActivateFramework(fw.spec.ID) })
	}
	fw.active = !fw.active
}

func (m *allocatorMachine) rescind(fwID string) {
	var keep []Allocation
	for _, o := range m.offers {
		if o.FrameworkID != fwID {
			keep = append(keep, o)
			continue
		}
		role := o.Roles()[0]
		m.do(func(a *Hierarchical) {
			a.RecoverResources(m.now, o.FrameworkID, o.AgentID, o.Resources[role], nil, false)
		})
	}
	m.offers = keep
}

func (m *allocatorMachine) UpdateRoles(t *rapid.T) {
	fw := m.pickFramework(t)
	roles := rapid.SliceOfNDistinct(rapid.SampledFrom(propRoles), 1, 2, rapid.ID[string]).Draw(t, "roles")
	// The master rescinds outstanding offers in roles the framework
	// leaves; tasks there keep running.
	var keep []Allocation
	for _, o := range m.offers {
		role := o.Roles()[0]
		if o.FrameworkID == fw.spec.ID && !slices.Contains(roles, role) {
			m.do(func(a *Hierarchical) {
				a.RecoverResources(m.now, o.FrameworkID, o.AgentID, o.Resources[role], nil, false)
			})
			continue
		}
		keep = append(keep, o)
	}
	m.offers = keep
	fw.spec.Roles = roles
	fw.spec.SuppressedRoles = slices.DeleteFunc(fw.spec.SuppressedRoles, func(r string) bool { return !slices.Contains(roles, r) })
	spec := fw.spec
	spec.SuppressedRoles = slices.Clone(spec.SuppressedRoles)
	m.do(func(a *Hierarchical) { a.UpdateFramework(spec) })
}

func (m *allocatorMachine) SuppressOrRevive(t *rapid.T) {
	fw := m.pickFramework(t)
	role := rapid.SampledFrom(fw.spec.Roles).Draw(t, "role")
	if rapid.Bool().Draw(t, "suppress") {
		m.do(func(a *Hierarchical) { a.SuppressOffers(fw.spec.ID, []string{role}) })
		if !slices.Contains(fw.spec.SuppressedRoles, role) {
			fw.spec.SuppressedRoles = append(fw.spec.SuppressedRoles, role)
		}
		// The master rescinds nothing on SUPPRESS; offers in flight stay.
		// Drop them from the model's checks by declining them.
		var keep []Allocation
		for _, o := range m.offers {
			if o.FrameworkID == fw.spec.ID && o.Roles()[0] == role {
				m.do(func(a *Hierarchical) {
					a.RecoverResources(m.now, o.FrameworkID, o.AgentID, o.Resources[role], nil, false)
				})
				continue
			}
			keep = append(keep, o)
		}
		m.offers = keep
	} else {
		m.do(func(a *Hierarchical) { a.ReviveOffers(fw.spec.ID, []string{role}) })
		fw.spec.SuppressedRoles = slices.DeleteFunc(fw.spec.SuppressedRoles, func(r string) bool { return r == role })
	}
}

func (m *allocatorMachine) AnswerOffer(t *rapid.T) {
	if len(m.offers) == 0 {
		t.Skip("no offers")
	}
	i := rapid.IntRange(0, len(m.offers)-1).Draw(t, "offer")
	o := m.offers[i]
	m.offers = slices.Delete(m.offers, i, i+1)
	role := o.Roles()[0]
	res := o.Resources[role]
	var filters *mesospb.Filters
	if rapid.Bool().Draw(t, "filter") {
		filters = &mesospb.Filters{RefuseSeconds: proto.Float64(float64(rapid.IntRange(0, 10).Draw(t, "refuse")))}
	}
	if rapid.Bool().Draw(t, "launch") {
		cpus, _ := res.ScalarNamed("cpus")
		if cpus > 0 {
			used := resources.New(resources.NewScalarFixed("cpus", min(cpus, 500))).Allocate(role)
			if res.Contains(used) {
				m.do(func(a *Hierarchical) { a.TransitionOfferedToAllocated(o.AgentID, used) })
				m.tasks = append(m.tasks, task{o.FrameworkID, o.AgentID, role, used})
				res = res.Minus(used)
			}
		}
	}
	m.do(func(a *Hierarchical) { a.RecoverResources(m.now, o.FrameworkID, o.AgentID, res, filters, false) })
}

func (m *allocatorMachine) FinishTask(t *rapid.T) {
	if len(m.tasks) == 0 {
		t.Skip("no tasks")
	}
	i := rapid.IntRange(0, len(m.tasks)-1).Draw(t, "task")
	x := m.tasks[i]
	m.tasks = slices.Delete(m.tasks, i, i+1)
	m.do(func(a *Hierarchical) { a.RecoverResources(m.now, x.fw, x.agent, x.res, nil, true) })
}

func (m *allocatorMachine) SetQuota(t *rapid.T) {
	role := rapid.SampledFrom([]string{"a", "b"}).Draw(t, "role")
	g := rapid.IntRange(0, 6).Draw(t, "guarantee")
	l := g + rapid.IntRange(0, 6).Draw(t, "headroom")
	q := Quota{}
	if g > 0 {
		q.Guarantees = resources.MustParseQuantities(fmt.Sprintf("cpus:%d", g))
	}
	if rapid.Bool().Draw(t, "limit") {
		q.Limits = resources.MustParseLimits(fmt.Sprintf("cpus:%d", l))
	}
	m.do(func(a *Hierarchical) { a.UpdateQuota(role, q) })
}

func (m *allocatorMachine) SetWeight(t *rapid.T) {
	role := rapid.SampledFrom(propRoles).Draw(t, "role")
	w := float64(rapid.IntRange(1, 4).Draw(t, "weight"))
	m.do(func(a *Hierarchical) { a.UpdateWeights(map[string]float64{role: w}) })
}

func (m *allocatorMachine) Settle(t *rapid.T) {
	m.record(t, m.both(func(a *Hierarchical) []Allocation { return a.AllocateRequested(m.now) }))
}

func (m *allocatorMachine) Tick(t *rapid.T) {
	m.Settle(t)
	m.now = m.now.Add(time.Duration(rapid.IntRange(1, 3).Draw(t, "seconds")) * time.Second)
	m.record(t, m.both(func(a *Hierarchical) []Allocation { return a.Allocate(m.now) }))
}

func (m *allocatorMachine) Check(t *rapid.T) {
	if err := checkInvariants(m.a); err != nil {
		t.Fatal(err)
	}
	// What the model thinks is offered or used matches the allocator.
	held := map[string]resources.Resources{}
	for _, o := range m.offers {
		k := o.FrameworkID + "@" + o.AgentID
		held[k] = held[k].Plus(o.Resources[o.Roles()[0]])
	}
	for _, x := range m.tasks {
		k := x.fw + "@" + x.agent
		held[k] = held[k].Plus(x.res)
	}
	for _, fwID := range sortedKeys(m.frameworks) {
		for _, agID := range sortedKeys(m.agents) {
			got := m.a.OfferedOrAllocated(fwID, agID)
			if want := held[fwID+"@"+agID]; !got.Equal(want) {
				t.Fatalf("%s on %s: allocator holds %s, master %s", fwID, agID, got, want)
			}
		}
	}
}

func TestPropertyAllocator(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := &allocatorMachine{}
		m.init(t)
		t.Repeat(rapid.StateMachineActions(m))
	})
}
