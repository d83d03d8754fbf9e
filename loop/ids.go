package loop

import (
	"encoding/hex"
	"math/rand/v2"
	"strconv"
)

// UUID is a 16-byte RFC 4122 UUID, as Mesos puts in status updates (the
// bytes) and stream ids (the string).
type UUID [16]byte

// NewUUID draws a version-4 (random) UUID from r: 16 bytes from two Uint64
// draws, big-endian, then the version nibble set to 4 and the variant bits to
// 10. The same stream state gives the same UUID.
func NewUUID(r *rand.Rand) UUID {
	var u UUID
	hi, lo := r.Uint64(), r.Uint64()
	for i := 0; i < 8; i++ {
		u[i] = byte(hi >> (56 - 8*i))
		u[8+i] = byte(lo >> (56 - 8*i))
	}
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // variant RFC 4122
	return u
}

// UUID draws a version-4 UUID from component's stream.
func (l *Loop) UUID(component string) UUID { return NewUUID(l.Rand(component)) }

// String returns the canonical form, 8-4-4-4-12 lower-case hex digits.
func (u UUID) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:])
}

// Bytes returns a copy of the 16 bytes.
func (u UUID) Bytes() []byte { return append([]byte(nil), u[:]...) }

// IDs forms the IDs a Mesos master hands out, from its master id and three
// counters starting at 0 (src/master/master.cpp: newFrameworkId,
// newSlaveId, newOfferId). A master that fails over gets a new IDs with a
// new master id and fresh counters, as a new Mesos master process does. IDs
// is not safe for concurrent use; it belongs to the master's state.
type IDs struct {
	master                     string
	frameworks, agents, offers uint64
}

// NewIDs returns IDs for a master whose id is masterID.
func NewIDs(masterID string) *IDs { return &IDs{master: masterID} }

// NewIDs returns IDs for a new master whose id is a UUID drawn from the
// "ids" stream: deterministic per seed, different across seeds.
func (l *Loop) NewIDs() *IDs { return NewIDs(l.UUID("ids").String()) }

// Master returns the master id.
func (g *IDs) Master() string { return g.master }

// NextFramework returns the next framework id, "<master-id>-0000",
// "<master-id>-0001", ...
func (g *IDs) NextFramework() string {
	id := FrameworkID(g.master, g.frameworks)
	g.frameworks++
	return id
}

// NextAgent returns the next agent id, "<master-id>-S0", "<master-id>-S1", ...
func (g *IDs) NextAgent() string {
	id := AgentID(g.master, g.agents)
	g.agents++
	return id
}

// NextOffer returns the next offer id, "<master-id>-O0", "<master-id>-O1", ...
func (g *IDs) NextOffer() string {
	id := OfferID(g.master, g.offers)
	g.offers++
	return id
}

// FrameworkID returns the n-th framework id of a master: the master id, a
// dash, and n zero-padded to at least 4 digits (Mesos: std::setw(4) with
// fill '0', so the 10000th framework gets 5 digits).
func FrameworkID(master string, n uint64) string {
	d := strconv.FormatUint(n, 10)
	const pad = "0000"
	if len(d) < len(pad) {
		d = pad[len(d):] + d
	}
	return master + "-" + d
}

// AgentID returns the n-th agent id of a master: "<master>-S<n>".
func AgentID(master string, n uint64) string {
	return master + "-S" + strconv.FormatUint(n, 10)
}

// OfferID returns the n-th offer id of a master: "<master>-O<n>".
func OfferID(master string, n uint64) string {
	return master + "-O" + strconv.FormatUint(n, 10)
}
