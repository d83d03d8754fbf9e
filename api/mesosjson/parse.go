package mesosjson

import (
	"bytes"
	"math"
	"slices"
	"strconv"
)

// This file is the first stage of decoding: a JSON parser that accepts and
// rejects exactly what the Mesos master's parser does (stout's JSON::parse in
// json.hpp, built on picojson 1.3.0 with PICOJSON_USE_INT64 and stout's depth
// limit), and that reports failures with the same messages.
//
// To reproduce picojson's error texts ("syntax error at line N near: …") and
// its trailing-character check, the reader keeps the same cursor model as
// picojson's input class: one character of push-back, a "current" position
// that stays past a pushed-back character, and a line count that advances
// when a character following a newline is read.

// maxDepth is stout's STOUT_JSON_MAX_DEPTH: at most 200 arrays and objects
// may be open at once.
const maxDepth = 200

type kind uint8

const (
	kNull kind = iota
	kFalse
	kTrue
	kInt   // a number that picojson read as int64
	kFloat // a number that picojson read as a double
	kString
	kArray
	kObject
)

// sref locates a string: bytes [off, off+n) of the input, or of the
// decoder's buffer of unescaped strings when esc is set.
type sref struct {
	off, n int
	esc    bool
}

// node is one parsed JSON value.
type node struct {
	kind kind
	num  uint64 // kInt: int64 bits; kFloat: float64 bits
	str  sref   // kString
	// kArray: elems[first:first+count]; kObject: members[first:first+count],
	// sorted by key with duplicate keys removed (the last one wins).
	first, count int
}

type member struct {
	key sref
	val int
}

// parser holds the parse tree and the picojson-style reader state.
type parser struct {
	src []byte
	pos int // index of the next unread byte
	// last is the byte most recently read, or -1 after reading past the end.
	last  int
	ungot bool
	line  int

	overflow bool // a number did not fit a double: "Value out of range"

	nodes   []node
	elems   []int
	members []member
	unesc   []byte // unescaped strings

	estack []int    // elements of the arrays being parsed
	mstack []member // members of the objects being parsed
}

func (p *parser) reset(src []byte) {
	p.src = src
	p.pos = 0
	p.last = 0
	p.ungot = false
	p.line = 1
	p.overflow = false
	p.nodes = p.nodes[:0]
	p.elems = p.elems[:0]
	p.members = p.members[:0]
	p.unesc = p.unesc[:0]
	p.estack = p.estack[:0]
	p.mstack = p.mstack[:0]
}

func (p *parser) bytesOf(s sref) []byte {
	if s.esc {
		return p.unesc[s.off : s.off+s.n]
	}
	return p.src[s.off : s.off+s.n]
}

// getc reads one byte (as 0…255), or returns -1 at the end of the input.
func (p *parser) getc() int {
	if p.ungot {
		p.ungot = false
		return p.last
	}
	if p.pos == len(p.src) {
		p.last = -1
		return -1
	}
	if p.last == '\n' {
		p.line++
	}
	p.last = int(p.src[p.pos])
	p.pos++
	return p.last
}

// ungetc pushes back the byte just read; nothing is pushed back at the end.
func (p *parser) ungetc() {
	if p.last != -1 {
		p.ungot = true
	}
}

func (p *parser) skipWS() {
	for {
		c := p.getc()
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			p.ungetc()
			return
		}
	}
}

func (p *parser) expect(c int) bool {
	p.skipWS()
	if p.getc() != c {
		p.ungetc()
		return false
	}
	return true
}

func (p *parser) match(rest string) bool {
	for i := 0; i < len(rest); i++ {
		if p.getc() != int(rest[i]) {
			p.ungetc()
			return false
		}
	}
	return true
}

// document parses a whole input as stout's JSON::parse does and returns the
// index of the root node, or stout's error message.
func (p *parser) document(src []byte) (int, string) {
	p.reset(src)
	// The last byte that is not whitespace; stout requires the parse to end
	// right after it.
	lastVisible := len(src) - 1
	for lastVisible >= 0 && isSpace(src[lastVisible]) {
		lastVisible--
	}
	root, ok := p.value(maxDepth)
	if p.overflow {
		return 0, "Value out of range"
	}
	if !ok {
		return 0, p.syntaxError()
	}
	if p.pos != lastVisible+1 {
		// picojson leaves its position one past a pushed-back byte, so a
		// number followed by whitespace ends up past the last visible byte
		// ("1 " is rejected with nothing quoted) and a number followed by
		// one stray byte ends on it ("1x" is accepted).
		end := len(src)
		if p.pos <= lastVisible+1 {
			end = lastVisible + 1
		}
		return 0, "Parsed JSON included non-whitespace trailing characters: " + string(src[p.pos:end])
	}
	return root, ""
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// syntaxError renders picojson's message: the line of the failure and the
// rest of that line from the failure on, control bytes left out.
func (p *parser) syntaxError() string {
	b := make([]byte, 0, 64)
	b = append(b, "syntax error at line "...)
	b = strconv.AppendInt(b, int64(p.line), 10)
	b = append(b, " near: "...)
	for {
		c := p.getc()
		if c == -1 || c == '\n' {
			break
		}
		if c >= ' ' {
			b = append(b, byte(c))
		}
	}
	return string(b)
}

func (p *parser) add(n node) int {
	p.nodes = append(p.nodes, n)
	return len(p.nodes) - 1
}

// value parses one value; depth is how many more arrays or objects may open.
func (p *parser) value(depth int) (int, bool) {
	p.skipWS()
	c := p.getc()
	switch c {
	case 'n':
		if p.match("ull") {
			return p.add(node{kind: kNull}), true
		}
		return 0, false
	case 'f':
		if p.match("alse") {
			return p.add(node{kind: kFalse}), true
		}
		return 0, false
	case 't':
		if p.match("rue") {
			return p.add(node{kind: kTrue}), true
		}
		return 0, false
	case '"':
		s, ok := p.str()
		if !ok {
			return 0, false
		}
		return p.add(node{kind: kString, str: s}), true
	case '[':
		return p.array(depth)
	case '{':
		return p.object(depth)
	}
	if c >= '0' && c <= '9' || c == '-' {
		p.ungetc()
		return p.number()
	}
	p.ungetc()
	return 0, false
}

func (p *parser) array(depth int) (int, bool) {
	if depth <= 0 {
		return 0, false
	}
	depth--
	idx := p.add(node{kind: kArray})
	base := len(p.estack)
	if !p.expect(']') {
		for {
			e, ok := p.value(depth)
			if !ok {
				return 0, false
			}
			p.estack = append(p.estack, e)
			if !p.expect(',') {
				break
			}
		}
		if !p.expect(']') {
			return 0, false
		}
	}
	first := len(p.elems)
	p.elems = append(p.elems, p.estack[base:]...)
	p.estack = p.estack[:base]
	p.nodes[idx].first = first
	p.nodes[idx].count = len(p.elems) - first
	return idx, true
}

func (p *parser) object(depth int) (int, bool) {
	if depth <= 0 {
		return 0, false
	}
	depth--
	idx := p.add(node{kind: kObject})
	base := len(p.mstack)
	if !p.expect('}') {
		for {
			if !p.expect('"') {
				return 0, false
			}
			k, ok := p.str()
			if !ok || !p.expect(':') {
				return 0, false
			}
			v, ok := p.value(depth)
			if !ok {
				return 0, false
			}
			p.mstack = append(p.mstack, member{key: k, val: v})
			if !p.expect(',') {
				break
			}
		}
		if !p.expect('}') {
			return 0, false
		}
	}
	// stout stores members in a std::map: keys in byte order, and a repeated
	// key keeps the value parsed last.
	ms := p.mstack[base:]
	if !slices.IsSortedFunc(ms, p.cmpMembers) {
		slices.SortStableFunc(ms, p.cmpMembers)
	}
	first := len(p.members)
	for i, m := range ms {
		if i+1 < len(ms) && bytes.Equal(p.bytesOf(m.key), p.bytesOf(ms[i+1].key)) {
			continue
		}
		p.members = append(p.members, m)
	}
	p.mstack = p.mstack[:base]
	p.nodes[idx].first = first
	p.nodes[idx].count = len(p.members) - first
	return idx, true
}

func (p *parser) cmpMembers(a, b member) int {
	return bytes.Compare(p.bytesOf(a.key), p.bytesOf(b.key))
}

// str parses the rest of a string whose opening quote has been read.
// Bytes from 0x20 up are taken as they are (no UTF-8 validation); control
// bytes end the parse with an error.
func (p *parser) str() (sref, bool) {
	start := p.pos
	escaped := false
	var out int // start of this string in unesc once it needed unescaping
	for {
		// Run of plain bytes. The reader's last byte here is the opening
		// quote or the end of an escape, never a newline, and a run holds no
		// newline, so the line count is unaffected.
		j := p.pos
		for j < len(p.src) {
			c := p.src[j]
			if c < ' ' || c == '"' || c == '\\' {
				break
			}
			j++
		}
		if j > p.pos {
			if escaped {
				p.unesc = append(p.unesc, p.src[p.pos:j]...)
			}
			p.last = int(p.src[j-1])
			p.pos = j
		}
		c := p.getc()
		switch {
		case c < ' ':
			p.ungetc()
			return sref{}, false
		case c == '"':
			if escaped {
				return sref{off: out, n: len(p.unesc) - out, esc: true}, true
			}
			return sref{off: start, n: p.pos - 1 - start}, true
		}
		// A backslash.
		if !escaped {
			escaped = true
			out = len(p.unesc)
			p.unesc = append(p.unesc, p.src[start:p.pos-1]...)
		}
		e := p.getc()
		switch e {
		case '"', '\\', '/':
			p.unesc = append(p.unesc, byte(e))
		case 'b':
			p.unesc = append(p.unesc, '\b')
		case 'f':
			p.unesc = append(p.unesc, '\f')
		case 'n':
			p.unesc = append(p.unesc, '\n')
		case 'r':
			p.unesc = append(p.unesc, '\r')
		case 't':
			p.unesc = append(p.unesc, '\t')
		case 'u':
			if !p.codepoint() {
				return sref{}, false
			}
		default: // including the end of the input
			return sref{}, false
		}
	}
}

// hex4 reads four hex digits, or returns -1.
func (p *parser) hex4() int {
	v := 0
	for i := 0; i < 4; i++ {
		c := p.getc()
		switch {
		case c == -1:
			return -1
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			p.ungetc()
			return -1
		}
		v = v<<4 | c
	}
	return v
}

// codepoint reads the digits of a \u escape (and the low half of a
// surrogate pair) and appends the character as UTF-8.
func (p *parser) codepoint() bool {
	r := p.hex4()
	if r == -1 {
		return false
	}
	if r >= 0xD800 && r <= 0xDFFF {
		if r >= 0xDC00 {
			return false // a low surrogate on its own
		}
		if p.getc() != '\\' || p.getc() != 'u' {
			p.ungetc()
			return false
		}
		lo := p.hex4()
		if lo < 0xDC00 || lo > 0xDFFF {
			return false
		}
		r = 0x10000 + (r-0xD800)<<10 | (lo - 0xDC00)
	}
	switch {
	case r < 0x80:
		p.unesc = append(p.unesc, byte(r))
	case r < 0x800:
		p.unesc = append(p.unesc, byte(0xC0|r>>6), byte(0x80|r&0x3F))
	case r < 0x10000:
		p.unesc = append(p.unesc, byte(0xE0|r>>12), byte(0x80|r>>6&0x3F), byte(0x80|r&0x3F))
	default:
		p.unesc = append(p.unesc, byte(0xF0|r>>18), byte(0x80|r>>12&0x3F), byte(0x80|r>>6&0x3F), byte(0x80|r&0x3F))
	}
	return true
}

func isNumberByte(c byte) bool {
	return c >= '0' && c <= '9' || c == '+' || c == '-' || c == 'e' || c == 'E' || c == '.'
}

// number parses a number whose first byte (a digit or '-') has been pushed
// back. Like picojson it takes the longest run of digits, signs, exponent
// letters and dots; the run is an int64 when strtoimax reads all of it
// without overflow, else a double when strtod reads all of it, else an error.
func (p *parser) number() (int, bool) {
	// The pushed-back byte is at pos-1; the run's bytes after it are read
	// fresh, and the byte ending the run (if any) is read and pushed back.
	start := p.pos - 1
	j := p.pos
	for j < len(p.src) && isNumberByte(p.src[j]) {
		j++
	}
	if j < len(p.src) {
		p.last = int(p.src[j])
		p.pos = j + 1
		p.ungot = true
	} else {
		p.last = -1
		p.pos = j
		p.ungot = false
	}
	text := p.src[start:j]
	if i, ok := parseInt64(text); ok {
		return p.add(node{kind: kInt, num: uint64(i)}), true
	}
	if !isStrtodNumber(text) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil && !math.IsInf(f, 0) {
		return 0, false
	}
	if math.IsInf(f, 0) {
		// picojson refuses to hold an infinite double: stout reports
		// "Value out of range" and stops.
		p.overflow = true
		return 0, false
	}
	return p.add(node{kind: kFloat, num: math.Float64bits(f)}), true
}

// parseInt64 accepts what strtoimax reads completely here: an optional '-'
// and decimal digits (leading zeros allowed), within int64.
func parseInt64(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	const limit = uint64(1) << 63 // magnitude of MinInt64
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if u > (limit-d)/10 {
			return 0, false
		}
		u = u*10 + d
	}
	if neg {
		return int64(-u), true // u == 1<<63 gives MinInt64
	}
	if u == limit {
		return 0, false
	}
	return int64(u), true
}

// isStrtodNumber reports whether strtod would read all of b, for the bytes a
// picojson number run can hold: -?(digits[.digits*]|.digits)([eE][+-]?digits)?
func isStrtodNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	intDigits := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
		intDigits++
	}
	fracDigits := 0
	if i < len(b) && b[i] == '.' {
		i++
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			fracDigits++
		}
	}
	if intDigits+fracDigits == 0 {
		return false
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		expDigits := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			expDigits++
		}
		if expDigits == 0 {
			return false
		}
	}
	return i == len(b)
}
