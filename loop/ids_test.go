package loop

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestUUID(t *testing.T) {
	r := NewRand(5, "uuids")
	seen := map[UUID]bool{}
	for range 1000 {
		u := NewUUID(r)
		if s := u.String(); !uuidV4.MatchString(s) {
			t.Fatalf("UUID %q is not a version-4 UUID", s)
		}
		if u[6]>>4 != 4 || u[8]>>6 != 0b10 {
			t.Fatalf("UUID % x: version or variant bits wrong", u[:])
		}
		if seen[u] {
			t.Fatalf("UUID %v drawn twice", u)
		}
		seen[u] = true
	}
	u := UUID{0: 0x12, 15: 0xff}
	if got, want := u.String(), "12000000-0000-0000-0000-0000000000ff"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	b := u.Bytes()
	b[0] = 0
	if u[0] != 0x12 {
		t.Error("Bytes() aliases the UUID")
	}
}

func TestIDs(t *testing.T) {
	ids := NewIDs("M")
	got := []string{
		ids.NextFramework(), ids.NextFramework(),
		ids.NextAgent(), ids.NextAgent(),
		ids.NextOffer(), ids.NextOffer(), ids.NextFramework(),
	}
	want := []string{"M-0000", "M-0001", "M-S0", "M-S1", "M-O0", "M-O1", "M-0002"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		n    uint64
		want string
	}{{0, "M-0000"}, {7, "M-0007"}, {42, "M-0042"}, {9999, "M-9999"}, {10000, "M-10000"}} {
		if got := FrameworkID("M", tc.n); got != tc.want {
			t.Errorf("FrameworkID(M, %d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestMasterIDsAreSeeded(t *testing.T) {
	a1, a2 := New(Config{Seed: 1}).NewIDs(), New(Config{Seed: 1}).NewIDs()
	b := New(Config{Seed: 2}).NewIDs()
	if a1.Master() != a2.Master() {
		t.Errorf("same seed, different master ids: %q, %q", a1.Master(), a2.Master())
	}
	if a1.Master() == b.Master() {
		t.Errorf("seeds 1 and 2 share the master id %q", b.Master())
	}
	if !uuidV4.MatchString(a1.Master()) {
		t.Errorf("master id %q is not a UUID", a1.Master())
	}
	if got, want := a1.NextAgent(), a1.Master()+"-S0"; got != want {
		t.Errorf("NextAgent() = %q, want %q", got, want)
	}
	// A failed-over master draws a new id from the same stream.
	l := New(Config{Seed: 1})
	first, second := l.NewIDs(), l.NewIDs()
	if first.Master() == second.Master() {
		t.Error("a second master got the same id")
	}
	// Draws from other streams do not shift the ids.
	l3 := New(Config{Seed: 1})
	l3.Rand("agent").Uint64()
	l3.UUID("agent")
	if got := l3.NewIDs().Master(); got != a1.Master() {
		t.Errorf("master id shifted by draws elsewhere: %q, want %q", got, a1.Master())
	}
}
