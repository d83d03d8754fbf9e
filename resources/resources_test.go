package resources

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// TestArithmetic re-creates the Scalar*, Ranges*, Set* and
// ReservedResourcesTest addition/subtraction cases of
// src/tests/resources_tests.cpp.
func TestArithmetic(t *testing.T) {
	tests := []struct {
		name     string
		a, b     string
		plus     string // String() of a.Plus(b), "" to skip
		minus    string // String() of a.Minus(b), "" to skip
		plusEq   string // a.Plus(b) must Equal this, "" to skip
		minusEq  string // a.Minus(b) must Equal this, "" to skip
		plusLen  int    // number of elements of a.Plus(b), 0 to skip
		minusLen int
	}{
		{name: "ScalarAddition", a: "cpus:1;mem:5", b: "cpus:2;mem:10", plus: "cpus:3; mem:15", plusLen: 2},
		{name: "ScalarAddition2", a: "cpus(role1):1;cpus(role2):3", b: "cpus(role1):5",
			plusEq: "cpus(role1):6;cpus(role2):3", plusLen: 2},
		{name: "ScalarSubtraction", a: "cpus:50;mem:4096", b: "cpus:0.5;mem:1024", minus: "cpus:49.5; mem:3072"},
		{name: "ScalarSubtractionAll", a: "cpus:50;mem:4096", b: "cpus:50;mem:4096", minus: "{}"},
		{name: "ScalarSubtraction2", a: "cpus(role1):5;cpus(role2):3", b: "cpus(role1):1",
			minusEq: "cpus(role1):4;cpus(role2):3", minusLen: 2},
		{name: "SubtractMoreThanPresentDropsIt", a: "cpus:1;mem:2", b: "cpus:5", minus: "mem:2"},
		{name: "SubtractDifferentRoleIsNoop", a: "cpus(r1):1", b: "cpus(r2):1", minus: "cpus(reservations: [(STATIC,r1)]):1"},
		{name: "RangesAddition", a: "ports:[20000-40000]", b: "ports:[30000-50000, 10000-20000]", plus: "ports:[10000-50000]"},
		{name: "RangesAddition2", a: "ports:[1-10, 5-30, 50-60]", b: "ports:[1-65, 70-80]", plus: "ports:[1-65, 70-80]"},
		{name: "RangesAddition3", a: "ports:[1-2]", b: "ports:[3-4]", plus: "ports:[1-4]"},
		{name: "RangesAddition4", a: "ports:[1-4, 9-10, 20-22, 26-30]", b: "ports:[5-8, 23-25]", plus: "ports:[1-10, 20-30]"},
		{name: "RangesSubtraction", a: "ports:[20000-40000]", b: "ports:[10000-20000, 30000-50000]", minus: "ports:[20001-29999]"},
		{name: "RangesSubtraction1", a: "ports:[50000-60000]", b: "ports:[50000-50001]", minus: "ports:[50002-60000]"},
		{name: "RangesSubtraction2", a: "ports:[50000-60000]", b: "ports:[50000-50000]", minus: "ports:[50001-60000]"},
		{name: "RangesSubtraction4", a: "ports:[50000-60000]", b: "ports:[50000-60000]", minus: "{}"},
		{name: "RangesSubtraction5", a: "ports:[1-10, 20-30, 40-50]", b: "ports:[2-9, 15-45, 48-50]", minus: "ports:[1-1, 10-10, 46-47]"},
		{name: "RangesSubtraction6", a: "ports:[1-10]", b: "ports:[11-20]", minus: "ports:[1-10]"},
		{name: "RangesSubtractionMiddle", a: "ports:[31000-32000]", b: "ports:[31005-31009]", minus: "ports:[31000-31004, 31010-32000]"},
		{name: "SetAddition", a: "disks:{sda1,sda2,sda3}", b: "disks:{sda1,sda2,sda3,sda4}", plus: "disks:{sda1, sda2, sda3, sda4}"},
		{name: "SetSubtraction", a: "disks:{sda1,sda2,sda3,sda4}", b: "disks:{sda2,sda3,sda4}", minus: "disks:{sda1}"},
		{name: "SetSubtractionDisjoint", a: "disks:{sda4}", b: "disks:{sda1}", minus: "disks:{sda4}"},
		{name: "AdditionStaticallyReserved", a: "cpus(role):6;mem(role):4096", b: "cpus(role):6;mem(role):4096",
			plusEq: "cpus(role):12;mem(role):8192"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := MustParse(tt.a), MustParse(tt.b)
			sum, diff := a.Plus(b), a.Minus(b)
			if tt.plus != "" && sum.String() != tt.plus {
				t.Errorf("%s + %s = %s, want %s", a, b, sum, tt.plus)
			}
			if tt.minus != "" && diff.String() != tt.minus {
				t.Errorf("%s - %s = %s, want %s", a, b, diff, tt.minus)
			}
			if tt.plusEq != "" && !sum.Equal(MustParse(tt.plusEq)) {
				t.Errorf("%s + %s = %s, want %s", a, b, sum, tt.plusEq)
			}
			if tt.minusEq != "" && !diff.Equal(MustParse(tt.minusEq)) {
				t.Errorf("%s - %s = %s, want %s", a, b, diff, tt.minusEq)
			}
			if tt.plusLen != 0 && sum.Len() != tt.plusLen {
				t.Errorf("len(%s) = %d, want %d", sum, sum.Len(), tt.plusLen)
			}
			if tt.minusLen != 0 && diff.Len() != tt.minusLen {
				t.Errorf("len(%s) = %d, want %d", diff, diff.Len(), tt.minusLen)
			}
			// Operands are never modified.
			if a.String() != MustParse(tt.a).String() || b.String() != MustParse(tt.b).String() {
				t.Errorf("operands changed: %s, %s", a, b)
			}
		})
	}
}

// TestContains re-creates ScalarSubset, ScalarSubset2, RangesSubset,
// SetSubset, ScalarEquals, RangesEquals, EmptyUnequal and
// ReservedResourcesTest.Contains.
func TestContains(t *testing.T) {
	tests := []struct {
		a, b  string
		want  bool // a contains b
		equal bool
	}{
		{"cpus:1;mem:4096", "cpus:1;mem:3072", true, false},
		{"cpus:1;mem:3072", "cpus:1;mem:4096", false, false},
		{"cpus(role2):1", "cpus(role1):1", false, false},
		{"cpus(role1):1", "cpus(role2):1", false, false},
		{"cpus(role1):1", "cpus(role1):3", false, false},
		{"cpus(role2):1", "cpus(role1):3", false, false},
		{"cpus(role1):3", "cpus(role2):1", false, false},
		{"cpus(role1):3", "cpus(role1):1", true, false},
		{"cpus:3", "cpus(role1):1", false, false},
		{"cpus(role1):3", "cpus:1", false, false},
		{"ports:[1-10]", "ports:[2-2, 4-5]", true, false},
		{"ports:[2-2, 4-5]", "ports:[1-10]", false, false},
		{"ports:[2-3]", "ports:[2-2, 4-5]", false, false},
		{"ports:[2-2, 4-5]", "ports:[2-3]", false, false},
		{"ports:[1-10]", "ports:[2-3]", true, false},
		{"ports:[1-2, 4-6]", "ports:[2-2, 4-5]", true, false},
		{"ports:[1-10]", "ports:[1-2, 4-6]", true, false},
		{"ports:[1-4, 5-5]", "ports:[2-2, 4-5]", true, false},
		{"ports:[2-2, 4-5]", "ports:[1-4, 5-5]", false, false},
		{"ports:[20-40]", "ports:[20-30, 31-39, 40-40]", true, true},
		{"disks:{sda1,sda3,sda4,sda2}", "disks:{sda1,sda2}", true, false},
		{"disks:{sda1,sda2}", "disks:{sda1,sda3,sda4,sda2}", false, false},
		{"disks:{a,b}", "disks:{b,a}", true, true},
		{"cpus:3;mem:3072", "mem:3072;cpus:3", true, true},
		{"", "cpus:2", false, false},
		{"cpus:2", "", true, false},
		{"", "", true, true},
		{"cpus:1;mem:2;disk:4;cpus(r):1", "cpus(r):1;mem:1", true, false},
	}
	for _, tt := range tests {
		a, b := MustParse(tt.a), MustParse(tt.b)
		if got := a.Contains(b); got != tt.want {
			t.Errorf("(%s).Contains(%s) = %v, want %v", a, b, got, tt.want)
		}
		if got := a.Equal(b); got != tt.equal {
			t.Errorf("(%s).Equal(%s) = %v, want %v", a, b, got, tt.equal)
		}
	}
}

// TestPrecision re-creates PrintingScalarPrecision, PrecisionSimple,
// PrecisionManyOps, PrecisionManyConsecutiveOps, PrecisionLost and
// PrecisionRounding.
func TestPrecision(t *testing.T) {
	for _, tt := range []struct {
		in   float64
		want string
	}{
		{1.234, "1.234"},
		{1.2345, "1.235"},
		{1.2344, "1.234"},
		{1.1, "1.1"},
		{1000001, "1000001"},
		{99999999999.9994, "99999999999.999"},
		{0.001, "0.001"},
		{1.5011, "1.501"},
		{1.5015, "1.502"},
		{0.1 + 0.2, "0.3"},
	} {
		if got := NewScalar("cpus", tt.in).String(); got != "cpus:"+tt.want {
			t.Errorf("NewScalar(%v) = %s, want cpus:%s", tt.in, got, tt.want)
		}
	}
	cpu := MustParse("cpus:1.001")
	if got := cpu.Plus(cpu).Plus(cpu).Minus(cpu).Minus(cpu); !got.Equal(cpu) || got.CPUs() != 1.001 {
		t.Errorf("cpu+cpu+cpu-cpu-cpu = %s", got)
	}
	cur := cpu
	for range 2500 {
		cur = cur.Plus(cur).Plus(cur).Minus(cur).Minus(cur)
	}
	if !cur.Equal(cpu) {
		t.Errorf("after 2500 rounds: %s", cur)
	}
	cur = cpu
	for range 100000 {
		cur = cur.Plus(cpu)
	}
	for range 100000 {
		cur = cur.Minus(cpu)
	}
	if !cur.Equal(cpu) || cur.CPUs() != 1.001 {
		t.Errorf("after 100000 additions and subtractions: %s", cur)
	}
	if ScalarOf(0.1)+ScalarOf(0.2) != ScalarOf(0.3) {
		t.Error("0.1+0.2 != 0.3 in fixed point")
	}
}

// TestReservations re-creates ResourcesTest.Reservations,
// HierarchicalReservations, ToUnreserved and the reservation-stack tests.
func TestReservations(t *testing.T) {
	unreserved := MustParse("cpus:1;mem:2;disk:4")
	role1 := MustParse("cpus(role1):2;mem(role1):4;disk(role1):8")
	role2 := MustParse("cpus(role2):4;mem(role2):8;disk(role2):6")
	all := unreserved.Plus(role1).Plus(role2)
	byRole := all.ReservationsByRole()
	if len(byRole) != 2 || !byRole["role1"].Equal(role1) || !byRole["role2"].Equal(role2) {
		t.Errorf("ReservationsByRole = %v", byRole)
	}
	check := func(name string, got, want Resources) {
		t.Helper()
		if !got.Equal(want) {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	check("Reserved(role1)", all.Reserved("role1"), role1)
	check("Reserved(role2)", all.Reserved("role2"), role2)
	check("Reserved(*)", all.Reserved("*"), Resources{})
	check("Unreserved", all.Unreserved(), unreserved)
	check("Reserved()", all.Reserved(""), role1.Plus(role2))
	check("ToUnreserved", MustParse("cpus(role1):1;cpus(role2):2;mem(role1):5").ToUnreserved(), MustParse("cpus:3;mem:5"))

	grandfather := MustParse("cpus(a):2;mem(a):4;disk(a):8")
	father := MustParse("cpus(a/bx):4;mem(a/bx):8;disk(a/bx):16")
	uncle := MustParse("cpus(a/b):4;mem(a/b):8;disk(a/b):16")
	child := MustParse("cpus(a/bx/c):8;mem(a/bx/c):16;disk(a/bx/c):32")
	family := unreserved.Plus(grandfather).Plus(father).Plus(uncle).Plus(child)
	check("AllocatableTo(*)", family.AllocatableTo("*"), unreserved)
	check("AllocatableTo(a)", family.AllocatableTo("a"), grandfather.Plus(unreserved))
	check("AllocatableTo(a/bx)", family.AllocatableTo("a/bx"), grandfather.Plus(father).Plus(unreserved))
	check("AllocatableTo(a/bx/c)", family.AllocatableTo("a/bx/c"), grandfather.Plus(father).Plus(child).Plus(unreserved))
	check("ReservedToRoleSubtree(a/bx)", family.ReservedToRoleSubtree("a/bx"), father.Plus(child))

	// Refinement: push a dynamic reservation to a subrole, pop it again.
	refined, err := MustParse("cpus(eng):4").PushReservation(DynamicReservation("eng/backend", "alice"))
	if err != nil {
		t.Fatal(err)
	}
	if got := refined.String(); got != "cpus(reservations: [(STATIC,eng),(DYNAMIC,eng/backend,alice)]):4" {
		t.Errorf("refined = %s", got)
	}
	if !refined.At(0).HasRefinedReservations() || refined.At(0).ReservationRole() != "eng/backend" {
		t.Errorf("refined element = %v", refined.At(0))
	}
	popped, err := refined.PopReservation()
	if err != nil || !popped.Equal(MustParse("cpus(eng):4")) {
		t.Errorf("PopReservation = %s, %v", popped, err)
	}
	if _, err := MustParse("cpus(eng):4").PushReservation(DynamicReservation("ops", "")); err == nil {
		t.Error("refining eng to ops succeeded")
	}
	if _, err := MustParse("cpus(eng):4").PushReservation(StaticReservation("eng/x")); err == nil {
		t.Error("a static refinement succeeded")
	}
	if _, err := MustParse("cpus:4").PopReservation(); err == nil {
		t.Error("PopReservation of unreserved succeeded")
	}
	// Dynamic reservations with different labels never merge.
	withLabels := func(v string) Resources {
		res := DynamicReservation("role", "p")
		res.Labels = &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String("k"), Value: proto.String(v)}}}
		r, err := MustParse("cpus:1").PushReservation(res)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if n := withLabels("a").Plus(withLabels("b")).Len(); n != 2 {
		t.Errorf("distinct labels merged: %d elements", n)
	}
	if n := withLabels("a").Plus(withLabels("a")).Len(); n != 1 {
		t.Errorf("same labels did not merge: %d elements", n)
	}
}

// TestAllocated re-creates AllocatedResourcesTest.*: allocation roles are
// part of the identity.
func TestAllocated(t *testing.T) {
	r := MustParse("cpus:1;mem:5")
	a1, a2 := r.Allocate("role1"), r.Allocate("role2")
	if a1.Equal(a2) || a1.Equal(r) || !a1.Equal(r.Allocate("role1")) {
		t.Error("allocation role not part of equality")
	}
	if a1.Contains(r) || r.Contains(a1) {
		t.Error("allocated and unallocated resources contain each other")
	}
	sum := a1.Plus(a2)
	if sum.Len() != 4 {
		t.Errorf("a1+a2 = %s", sum)
	}
	if got := sum.Minus(a1); !got.Equal(a2) {
		t.Errorf("a1+a2-a1 = %s", got)
	}
	allocs := sum.Allocations()
	if len(allocs) != 2 || !allocs["role1"].Equal(a1) || !allocs["role2"].Equal(a2) {
		t.Errorf("Allocations = %v", allocs)
	}
	if got := sum.Unallocate(); !got.Equal(r.Plus(r)) {
		t.Errorf("Unallocate = %s", got)
	}
	if got, _ := a1.SingleAllocationRole(); got != "role1" {
		t.Errorf("SingleAllocationRole = %q", got)
	}
	if _, err := sum.SingleAllocationRole(); err == nil {
		t.Error("SingleAllocationRole of two roles succeeded")
	}
	if got := a1.String(); got != "cpus(allocated: role1):1; mem(allocated: role1):5" {
		t.Errorf("String = %s", got)
	}
	if got := sum.AllocatedToRoleSubtree("role1"); !got.Equal(a1) {
		t.Errorf("AllocatedToRoleSubtree = %s", got)
	}
}

// TestPrintingExtendedAttributes re-creates
// ResourcesTest.PrintingExtendedAttributes.
func TestPrintingExtendedAttributes(t *testing.T) {
	disk := &mesospb.Resource{Name: proto.String("disk"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}}
	render := func(p *mesospb.Resource) string {
		t.Helper()
		r, err := ResourceFromProto(p)
		if err != nil {
			t.Fatalf("ResourceFromProto(%v): %v", p, err)
		}
		return r.String()
	}
	steps := []struct {
		mutate func(p *mesospb.Resource)
		want   string
	}{
		{func(*mesospb.Resource) {}, "disk:1"},
		{func(p *mesospb.Resource) { p.Reservations = append(p.Reservations, StaticReservation("alice")) },
			"disk(reservations: [(STATIC,alice)]):1"},
		{func(p *mesospb.Resource) {
			p.AllocationInfo = &mesospb.Resource_AllocationInfo{Role: proto.String("role")}
		},
			"disk(allocated: role)(reservations: [(STATIC,alice)]):1"},
		{func(p *mesospb.Resource) {
			p.AllocationInfo = nil
			p.Revocable = &mesospb.Resource_RevocableInfo{}
		}, "disk(reservations: [(STATIC,alice)]){REV}:1"},
		{func(p *mesospb.Resource) {
			p.Revocable = nil
			p.Disk = &mesospb.Resource_DiskInfo{
				Persistence: &mesospb.Resource_DiskInfo_Persistence{Id: proto.String("hadoop")},
				Volume:      &mesospb.Volume{ContainerPath: proto.String("/data")},
			}
		}, "disk(reservations: [(STATIC,alice)])[hadoop:/data]:1"},
		{func(p *mesospb.Resource) { p.Revocable = &mesospb.Resource_RevocableInfo{} },
			"disk(reservations: [(STATIC,alice)])[hadoop:/data]{REV}:1"},
		{func(p *mesospb.Resource) {
			p.Revocable = nil
			p.Disk.Volume.HostPath = proto.String("/hdfs")
			p.Disk.Volume.Mode = mesospb.Volume_RW.Enum()
		}, "disk(reservations: [(STATIC,alice)])[hadoop:/hdfs:/data:rw]:1"},
		{func(p *mesospb.Resource) {
			p.Disk.Source = &mesospb.Resource_DiskInfo_Source{Type: mesospb.Resource_DiskInfo_Source_MOUNT.Enum(),
				Mount: &mesospb.Resource_DiskInfo_Source_Mount{Root: proto.String("/mnt1")}}
		}, "disk(reservations: [(STATIC,alice)])[MOUNT:/mnt1,hadoop:/hdfs:/data:rw]:1"},
		{func(p *mesospb.Resource) {
			p.Disk.Source = &mesospb.Resource_DiskInfo_Source{Type: mesospb.Resource_DiskInfo_Source_PATH.Enum(),
				Path: &mesospb.Resource_DiskInfo_Source_Path{Root: proto.String("/mnt2")}}
		}, "disk(reservations: [(STATIC,alice)])[PATH:/mnt2,hadoop:/hdfs:/data:rw]:1"},
		{func(p *mesospb.Resource) {
			p.Disk.Source = nil
			p.Reservations = append(p.Reservations, DynamicReservation("alice/refined", "hdfs-p"))
		}, "disk(reservations: [(STATIC,alice),(DYNAMIC,alice/refined,hdfs-p)])[hadoop:/hdfs:/data:rw]:1"},
		{func(p *mesospb.Resource) {
			p.Reservations[1].Labels = &mesospb.Labels{Labels: []*mesospb.Label{
				{Key: proto.String("foo"), Value: proto.String("bar")}, {Key: proto.String("foo")}}}
		}, "disk(reservations: [(STATIC,alice),(DYNAMIC,alice/refined,hdfs-p,{foo: bar, foo})])[hadoop:/hdfs:/data:rw]:1"},
	}
	for _, s := range steps {
		s.mutate(disk)
		if got := render(disk); got != s.want {
			t.Errorf("got  %s\nwant %s", got, s.want)
		}
	}
}

func persistentVolume(t *testing.T, id string, mb float64, shared bool) Resources {
	t.Helper()
	p := &mesospb.Resource{
		Name: proto.String("disk"), Type: mesospb.Value_SCALAR.Enum(),
		Scalar:       &mesospb.Value_Scalar{Value: proto.Float64(mb)},
		Reservations: []*mesospb.Resource_ReservationInfo{DynamicReservation("role1", "p")},
		Disk: &mesospb.Resource_DiskInfo{
			Persistence: &mesospb.Resource_DiskInfo_Persistence{Id: proto.String(id)},
			Volume:      &mesospb.Volume{ContainerPath: proto.String("path")},
		},
	}
	if shared {
		p.Shared = &mesospb.Resource_SharedInfo{}
	}
	r, err := FromProto([]*mesospb.Resource{p})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestDiskAndShared re-creates DiskResourcesTest.Addition/Subtraction/
// Contains and SharedResourcesTest.ScalarAdditionShared/
// ScalarSubtractionShared.
func TestDiskAndShared(t *testing.T) {
	v1 := persistentVolume(t, "id1", 10, false)
	// Persistent volumes never merge, even when equal.
	if got := v1.Plus(v1); got.Len() != 2 {
		t.Errorf("v1+v1 = %s", got)
	}
	if v1.Contains(v1.Plus(v1)) {
		t.Error("one volume contains two copies of itself")
	}
	if !v1.Plus(v1).Contains(v1.Plus(v1)) {
		t.Error("two volumes do not contain themselves")
	}
	// A volume is subtracted only by an equal volume.
	if got := v1.Minus(persistentVolume(t, "id1", 5, false)); !got.Equal(v1) {
		t.Errorf("partial subtraction of a volume: %s", got)
	}
	if got := v1.Minus(v1); !got.IsEmpty() {
		t.Errorf("v1-v1 = %s", got)
	}
	if len(v1.PersistentVolumes().ToProto()) != 1 || !v1.At(0).IsPersistentVolume() {
		t.Error("PersistentVolumes")
	}

	s := persistentVolume(t, "s1", 64, true)
	s2 := s.Plus(s)
	if s2.Len() != 1 || s2.Count(s.At(0)) != 2 {
		t.Errorf("s+s = %s (count %d)", s2, s2.Count(s.At(0)))
	}
	if !s2.Contains(s) || s.Contains(s2) {
		t.Error("shared containment by count")
	}
	if got := s2.Minus(s); !got.Equal(s) {
		t.Errorf("s+s-s = %s", got)
	}
	if got := s2.String(); !strings.HasSuffix(got, "<SHARED>:64<2>") {
		t.Errorf("shared String = %s", got)
	}
	if n := len(s2.ToProto()); n != 2 {
		t.Errorf("ToProto of two shared copies gave %d elements", n)
	}
	// ContainsResourceQuantities with a shared volume.
	if s.ContainsQuantities(MustParseQuantities("disk:128")) {
		t.Error("64 MB contain 128 MB")
	}
	if !s.Plus(MustParse("disk:64")).ContainsQuantities(MustParseQuantities("disk:128")) {
		t.Error("128 MB do not contain 128 MB")
	}
}

// TestContainsQuantities re-creates ResourcesTest.ContainsResourceQuantities.
func TestContainsQuantities(t *testing.T) {
	tests := []struct {
		r, q string
		want bool
	}{
		{"", "", true},
		{"", "cpus:1", false},
		{"cpus:1", "", true},
		{"cpus:2", "cpus:1", true},
		{"cpus:1", "cpus:1", true},
		{"cpus:0.5", "cpus:1", false},
		{"ports:[1-3]", "ports:2", true},
		{"ports:[1-2]", "ports:2", true},
		{"ports:[1-1]", "ports:2", false},
		{"features:{a,b,c}", "features:2", true},
		{"features:{a,b}", "features:2", true},
		{"features:{a}", "features:2", false},
		{"cpus:3;ports:[1-3];features:{a,b,c};mem:10", "cpus:3;ports:3;features:3", true},
		{"cpus:3;ports:[1-3];features:{a,b,c}", "cpus:3;ports:3;features:3", true},
		{"cpus:1;ports:[1-3];features:{a,b,c}", "cpus:3;ports:3;features:3", false},
		{"cpus:3;ports:[1-3]", "cpus:3;ports:3;features:3", false},
		{"cpus(role1):2", "cpus:3", false},
		{"cpus(role1):2;cpus:1", "cpus:3", true},
		{"ports(role):[1-10]", "ports:12", false},
		{"ports(role):[1-10];ports:[20-25]", "ports:12", true},
	}
	for _, tt := range tests {
		if got := MustParse(tt.r).ContainsQuantities(MustParseQuantities(tt.q)); got != tt.want {
			t.Errorf("(%s).ContainsQuantities(%s) = %v, want %v", tt.r, tt.q, got, tt.want)
		}
	}
}

// TestShrink re-creates ResourcesTest.ShrinkToQuantities and ShrinkToLimits
// (minus the random choice, which is canonical here).
func TestShrink(t *testing.T) {
	mount20 := mountDisk(t, 20)
	tests := []struct {
		r      Resources
		target string
		limits bool
		want   Resources
	}{
		{Resources{}, "", false, Resources{}},
		{Resources{}, "cpus:1", false, Resources{}},
		{MustParse("cpus:1"), "", false, Resources{}},
		{MustParse("cpus:2"), "cpus:1", false, MustParse("cpus:1")},
		{MustParse("cpus:2;mem:20"), "cpus:1;mem:10", false, MustParse("cpus:1;mem:10")},
		{MustParse("cpus:2;mem:20"), "cpus:1;mem:10;disk:10", false, MustParse("cpus:1;mem:10")},
		{MustParse("cpus:2;mem:20"), "cpus:1", false, MustParse("cpus:1")},
		{mount20, "disk:10", false, Resources{}},
		{MustParse("disk:10").Plus(mountDisk(t, 10)), "disk:10", false, MustParse("disk:10")},
		{MustParse("cpus:2;mem:20;ports:[1-2]"), "cpus:1;mem:10", false, MustParse("cpus:1;mem:10")},
		// Limits: absent means unlimited.
		{Resources{}, "", true, Resources{}},
		{MustParse("cpus:1"), "", true, MustParse("cpus:1")},
		{MustParse("cpus:2"), "cpus:1", true, MustParse("cpus:1")},
		{MustParse("cpus:2;mem:20"), "cpus:1;mem:10;disk:10", true, MustParse("cpus:1;mem:10")},
		{MustParse("cpus:2;mem:20"), "cpus:1", true, MustParse("cpus:1;mem:20")},
		{MustParse("cpus:2;mem:20"), "cpus:0", true, MustParse("mem:20")},
		{mount20, "disk:10", true, Resources{}},
		{MustParse("cpus:2;ports:[1-2]"), "cpus:1", true, MustParse("cpus:1;ports:[1-2]")},
	}
	for _, tt := range tests {
		var got Resources
		if tt.limits {
			got = tt.r.ShrinkToLimits(MustParseLimits(tt.target))
		} else {
			got = tt.r.ShrinkTo(MustParseQuantities(tt.target))
		}
		if !got.Equal(tt.want) {
			t.Errorf("shrink(%s, %q, limits=%v) = %s, want %s", tt.r, tt.target, tt.limits, got, tt.want)
		}
	}
}

func mountDisk(t *testing.T, mb float64) Resources {
	t.Helper()
	p := &mesospb.Resource{
		Name: proto.String("disk"), Type: mesospb.Value_SCALAR.Enum(),
		Scalar:       &mesospb.Value_Scalar{Value: proto.Float64(mb)},
		Reservations: []*mesospb.Resource_ReservationInfo{StaticReservation("role")},
		Disk: &mesospb.Resource_DiskInfo{Source: &mesospb.Resource_DiskInfo_Source{
			Type:  mesospb.Resource_DiskInfo_Source_MOUNT.Enum(),
			Mount: &mesospb.Resource_DiskInfo_Source_Mount{Root: proto.String("mnt")},
		}},
	}
	r, err := FromProto([]*mesospb.Resource{p})
	if err != nil {
		t.Fatal(err)
	}
	return r.ToUnreserved()
}

// TestRevocable re-creates RevocableResourceTest.Equals/Addition/
// Subtraction/Contains/Filter.
func TestRevocable(t *testing.T) {
	cpus := MustParse("cpus:1")
	rev := cpus.AsRevocable()
	if rev.Equal(cpus) || rev.Contains(cpus) || cpus.Contains(rev) {
		t.Error("revocable and non-revocable compare equal")
	}
	sum := rev.Plus(cpus).Plus(rev)
	if sum.Len() != 2 || !sum.Revocable().Equal(MustParse("cpus:2").AsRevocable()) || !sum.NonRevocable().Equal(cpus) {
		t.Errorf("sum = %s", sum)
	}
	if got := sum.Minus(rev); !got.Equal(rev.Plus(cpus)) {
		t.Errorf("sum - rev = %s", got)
	}
	if got := rev.String(); got != "cpus{REV}:1" {
		t.Errorf("String = %s", got)
	}
}

// TestProtoRoundTrip re-creates ResourceFormatTest.PreReservationRefinement,
// PostReservationRefinement and Endpoint.
func TestProtoRoundTrip(t *testing.T) {
	r := MustParse("cpus:1;cpus(r1):2;ports:[1-5,10-20];disks:{a,b}")
	dyn, _ := MustParse("mem:3").PushReservation(DynamicReservation("r2", "alice"))
	r = r.Plus(dyn)
	back, err := FromProto(r.ToProto())
	if err != nil || !back.Equal(r) || back.String() != r.String() {
		t.Fatalf("round trip: %s, %v; want %s", back, err, r)
	}
	pre, err := r.ToProtoFormat(PreReservationRefinement)
	if err != nil {
		t.Fatal(err)
	}
	wantPre := []*mesospb.Resource{
		{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}, Role: proto.String("*")},
		{Name: proto.String("cpus"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(2)}, Role: proto.String("r1")},
		{Name: proto.String("ports"), Type: mesospb.Value_RANGES.Enum(), Role: proto.String("*"), Ranges: &mesospb.Value_Ranges{Range: []*mesospb.Value_Range{
			{Begin: proto.Uint64(1), End: proto.Uint64(5)}, {Begin: proto.Uint64(10), End: proto.Uint64(20)}}}},
		{Name: proto.String("disks"), Type: mesospb.Value_SET.Enum(), Role: proto.String("*"), Set: &mesospb.Value_Set{Item: []string{"a", "b"}}},
		{Name: proto.String("mem"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(3)}, Role: proto.String("r2"),
			Reservation: &mesospb.Resource_ReservationInfo{Principal: proto.String("alice")}},
	}
	if diff := cmp.Diff(wantPre, pre, protocmp.Transform()); diff != "" {
		t.Errorf("pre-refinement mismatch (-want +got):\n%s", diff)
	}
	backPre, err := FromProto(pre)
	if err != nil || !backPre.Equal(r) {
		t.Errorf("from pre-refinement: %s, %v", backPre, err)
	}
	endpoint, err := r.ToProtoFormat(Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if backEndpoint, err := FromProto(endpoint); err != nil || !backEndpoint.Equal(r) {
		t.Errorf("from endpoint format: %s, %v", backEndpoint, err)
	}
	refined, _ := MustParse("cpus(a):1").PushReservation(DynamicReservation("a/b", ""))
	if _, err := refined.ToProtoFormat(PreReservationRefinement); err == nil {
		t.Error("refined reservations converted to the pre-refinement format")
	}
}

// TestValidation re-creates ReservedResourcesTest.Validation and
// DiskResourcesTest.Validation.
func TestValidation(t *testing.T) {
	scalar := func(mut func(p *mesospb.Resource)) *mesospb.Resource {
		p := &mesospb.Resource{Name: proto.String("disk"), Type: mesospb.Value_SCALAR.Enum(), Scalar: &mesospb.Value_Scalar{Value: proto.Float64(1)}}
		mut(p)
		return p
	}
	bad := []*mesospb.Resource{
		scalar(func(p *mesospb.Resource) { p.Name = proto.String("") }),
		scalar(func(p *mesospb.Resource) { p.Scalar.Value = proto.Float64(-1) }),
		scalar(func(p *mesospb.Resource) { p.Ranges = &mesospb.Value_Ranges{} }),
		scalar(func(p *mesospb.Resource) {
			p.Role = proto.String("*")
			p.Reservation = &mesospb.Resource_ReservationInfo{}
		}),
		scalar(func(p *mesospb.Resource) {
			p.Role = proto.String("r")
			p.Reservation = &mesospb.Resource_ReservationInfo{Role: proto.String("r")}
		}),
		scalar(func(p *mesospb.Resource) {
			p.Reservations = []*mesospb.Resource_ReservationInfo{{Role: proto.String("r")}}
		}),
		scalar(func(p *mesospb.Resource) {
			p.Reservations = []*mesospb.Resource_ReservationInfo{StaticReservation("*")}
		}),
		scalar(func(p *mesospb.Resource) {
			p.Reservations = []*mesospb.Resource_ReservationInfo{StaticReservation("a"), DynamicReservation("b", "")}
		}),
		scalar(func(p *mesospb.Resource) { p.Name = proto.String("cpus"); p.Disk = &mesospb.Resource_DiskInfo{} }),
		scalar(func(p *mesospb.Resource) { p.Shared = &mesospb.Resource_SharedInfo{} }),
		scalar(func(p *mesospb.Resource) { p.Type = mesospb.Value_TEXT.Enum() }),
		{Name: proto.String("ports"), Type: mesospb.Value_RANGES.Enum(), Ranges: &mesospb.Value_Ranges{Range: []*mesospb.Value_Range{
			{Begin: proto.Uint64(1), End: proto.Uint64(5)}, {Begin: proto.Uint64(3), End: proto.Uint64(8)}}}},
	}
	for _, p := range bad {
		if _, err := ResourceFromProto(p); err == nil {
			t.Errorf("ResourceFromProto(%v) succeeded", p)
		}
	}
	good := scalar(func(p *mesospb.Resource) {
		p.Role = proto.String("r")
		p.Reservation = &mesospb.Resource_ReservationInfo{Principal: proto.String("alice")}
	})
	r, err := ResourceFromProto(good)
	if err != nil || !r.IsDynamicallyReserved() || r.ReservationRole() != "r" {
		t.Errorf("pre-refinement dynamic reservation: %v, %v", r, err)
	}
}

func TestStateJSON(t *testing.T) {
	r := MustParse("cpus:4;mem:8192;ports:[31000-31005,31010-31010];disks:{a,b};cpus(r):1").Plus(MustParse("cpus:2").AsRevocable())
	want := map[string]any{
		"cpus": 5.0, "gpus": 0.0, "mem": 8192.0, "disk": 0.0,
		"ports": "[31000-31005, 31010-31010]", "disks": "{a, b}",
		"cpus_revocable": 2.0,
	}
	if diff := cmp.Diff(want, r.StateJSON()); diff != "" {
		t.Errorf("StateJSON mismatch (-want +got):\n%s", diff)
	}
}

func TestAccessors(t *testing.T) {
	r := MustParse("cpus:4;cpus(r):1;mem:8192;disk:100;gpus:1;ports:[1-2];ports(r):[3-4];disks:{a};disks(r):{b}")
	if r.CPUs() != 5 || r.Mem() != 8192 || r.Disk() != 100 || r.GPUs() != 1 {
		t.Errorf("scalars: %v %v %v %v", r.CPUs(), r.Mem(), r.Disk(), r.GPUs())
	}
	if diff := cmp.Diff([]Range{{1, 4}}, r.Ports()); diff != "" {
		t.Errorf("Ports: %s", diff)
	}
	if got, _ := r.SetNamed("disks"); !cmp.Equal(got, []string{"a", "b"}) {
		t.Errorf("SetNamed = %v", got)
	}
	if got := r.Names(); !cmp.Equal(got, []string{"cpus", "disk", "disks", "gpus", "mem", "ports"}) {
		t.Errorf("Names = %v", got)
	}
	if got := r.Named("cpus"); !got.Equal(MustParse("cpus:4;cpus(r):1")) {
		t.Errorf("Named = %s", got)
	}
	if got := r.ScalarQuantities().String(); got != "cpus:5;disk:100;gpus:1;mem:8192" {
		t.Errorf("ScalarQuantities = %s", got)
	}
	if got := r.Quantities().String(); got != "cpus:5;disk:100;disks:2;gpus:1;mem:8192;ports:4" {
		t.Errorf("Quantities = %s", got)
	}
	if got := r.Flatten(); !got.Equal(MustParse("cpus:5;mem:8192;disk:100;gpus:1;ports:[1-4];disks:{a,b}")) {
		t.Errorf("Flatten = %s", got)
	}
	var n int
	for range r.All() {
		n++
	}
	if n != r.Len() {
		t.Errorf("All yielded %d of %d", n, r.Len())
	}
	got, err := r.Apply(MustParse("cpus:1"), MustParse("mem:1"))
	if err != nil || got.CPUs() != 4 || got.Mem() != 8193 {
		t.Errorf("Apply = %s, %v", got, err)
	}
	if _, err := r.Apply(MustParse("cpus:100"), Resources{}); err == nil {
		t.Error("Apply of an uncontained conversion succeeded")
	}
}
