package clusterfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Error is a problem at a place in a cluster file.
type Error struct {
	File string
	Line int // 1-based
	Col  int // 1-based, in bytes
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// Parse parses the content of a cluster file; name is the file's name in
// errors. Every error is an *Error, or several joined with errors.Join
// (one per problem found after the file decoded), in file order.
func Parse(name string, data []byte) (*File, error) {
	p := &parser{name: name, data: StripComments(data), pos: map[string]int{}, keyPos: map[string]int{}}
	var raw json.RawMessage
	if err := json.Unmarshal(p.data, &raw); err != nil {
		return nil, p.syntaxError(err)
	}
	if err := p.walk(); err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(p.data, &f); err != nil {
		// The walk checked every type and range; this is a bug of the walk.
		return nil, p.errAt(0, "decoding: "+err.Error())
	}
	if errs := f.check(); len(errs) > 0 {
		located := make([]*Error, 0, len(errs))
		for _, fe := range errs {
			located = append(located, p.errAt(p.offsetOf(fe), fe.Error()))
		}
		slices.SortStableFunc(located, func(a, b *Error) int {
			if a.Line != b.Line {
				return a.Line - b.Line
			}
			return a.Col - b.Col
		})
		if len(located) == 1 {
			return nil, located[0]
		}
		joined := make([]error, len(located))
		for i, e := range located {
			joined[i] = e
		}
		return nil, errors.Join(joined...)
	}
	return &f, nil
}

// StripComments returns data with every "//" comment outside a JSON
// string replaced by spaces, so that offsets, lines and columns stay those
// of the original.
func StripComments(data []byte) []byte {
	out := bytes.Clone(data)
	inString, escaped := false, false
	for i := 0; i < len(out); i++ {
		c := out[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"' || c == '\n':
				inString = false
			}
			continue
		}
		switch {
		case c == '"':
			inString = true
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		}
	}
	return out
}

type parser struct {
	name   string
	data   []byte
	dec    *json.Decoder
	pos    map[string]int // path -> offset of the value
	keyPos map[string]int // path -> offset of the key naming it (objects' members)
}

// errAt returns an *Error at a byte offset of the file.
func (p *parser) errAt(off int, msg string) *Error {
	off = min(max(off, 0), len(p.data))
	line := 1 + bytes.Count(p.data[:off], []byte("\n"))
	col := off - (bytes.LastIndexByte(p.data[:off], '\n') + 1) + 1
	return &Error{File: p.name, Line: line, Col: col, Msg: msg}
}

func (p *parser) syntaxError(err error) error {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return p.errAt(0, err.Error())
	}
	if se.Offset >= int64(len(p.data)) && strings.Contains(se.Error(), "unexpected end") {
		return p.errAt(len(bytes.TrimRight(p.data, " \t\r\n")), "unexpected end of file: the cluster object is not closed")
	}
	// The offset counts the bytes read, the offending one included.
	return p.errAt(int(se.Offset)-1, se.Error())
}

// offsetOf finds where a field error belongs: at the key for errors about
// a key, else at the value; a path the file does not spell out (a default)
// falls back to its nearest ancestor that it does.
func (p *parser) offsetOf(fe fieldError) int {
	if fe.atKey {
		if off, ok := p.keyPos[fe.path]; ok {
			return off
		}
	}
	for path := fe.path; ; path = parentPath(path) {
		if off, ok := p.pos[path]; ok {
			return off
		}
		if path == "" {
			return 0
		}
	}
}

// parentPath strips the last element of a path: "agents[0].count" ->
// "agents[0]" -> "agents" -> "".
func parentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

func memberPath(path, key string) string {
	simple := key != ""
	for _, r := range key {
		if !(r == '_' || r == '-' || r == '/' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			simple = false
			break
		}
	}
	if !simple {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// where prefixes a message about the value at path with the path.
func where(path string) string {
	if path == "" {
		return ""
	}
	return path + ": "
}

// walk checks the file against File's shape, token by token, recording
// where each value is.
func (p *parser) walk() error {
	p.dec = json.NewDecoder(bytes.NewReader(p.data))
	p.dec.UseNumber()
	return p.value("", reflect.TypeFor[File]())
}

// next is the offset of the next token.
func (p *parser) next() int {
	i := int(p.dec.InputOffset())
	for i < len(p.data) && strings.IndexByte(" \t\r\n:,", p.data[i]) >= 0 {
		i++
	}
	return i
}

var rawMessageType = reflect.TypeFor[json.RawMessage]()

// required lists the fields a member of each type must have.
var required = map[reflect.Type][]string{
	reflect.TypeFor[AgentGroup](): {"count"},
	reflect.TypeFor[Behavior]():   {"behavior"},
}

func (p *parser) value(path string, t reflect.Type) error {
	off := p.next()
	p.pos[path] = off
	tok, err := p.dec.Token()
	if err != nil {
		return p.errAt(off, err.Error())
	}
	if t == rawMessageType {
		return p.skip(tok)
	}
	if t.Kind() == reflect.Pointer {
		if tok == nil {
			return nil
		}
		t = t.Elem()
	}
	mismatch := func(want string) error {
		return p.errAt(off, fmt.Sprintf("%swant %s, got %s", where(path), want, describe(tok)))
	}
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			if path == "" {
				return p.errAt(off, fmt.Sprintf("the cluster file must hold one JSON object, not %s", describe(tok)))
			}
			return mismatch("an object")
		}
		seen := map[string]bool{}
		for p.dec.More() {
			koff := p.next()
			ktok, err := p.dec.Token()
			if err != nil {
				return p.errAt(koff, err.Error())
			}
			key := ktok.(string)
			f, ok := fieldByJSONName(t, key)
			if !ok {
				return p.errAt(koff, unknownField(path, key, t))
			}
			if seen[key] {
				return p.errAt(koff, fmt.Sprintf("%sfield %q is given twice", where(path), key))
			}
			seen[key] = true
			mp := memberPath(path, key)
			p.keyPos[mp] = koff
			if err := p.value(mp, f.Type); err != nil {
				return err
			}
		}
		if _, err := p.dec.Token(); err != nil {
			return p.errAt(p.next(), err.Error())
		}
		for _, name := range required[t] {
			if !seen[name] {
				return p.errAt(off, fmt.Sprintf("%smissing field %q", where(path), name))
			}
		}
	case reflect.Map:
		if tok != json.Delim('{') {
			return mismatch("an object")
		}
		seen := map[string]bool{}
		for p.dec.More() {
			koff := p.next()
			ktok, err := p.dec.Token()
			if err != nil {
				return p.errAt(koff, err.Error())
			}
			key := ktok.(string)
			if seen[key] {
				return p.errAt(koff, fmt.Sprintf("%skey %q is given twice", where(path), key))
			}
			seen[key] = true
			mp := memberPath(path, key)
			p.keyPos[mp] = koff
			if err := p.value(mp, t.Elem()); err != nil {
				return err
			}
		}
		if _, err := p.dec.Token(); err != nil {
			return p.errAt(p.next(), err.Error())
		}
	case reflect.Slice:
		if tok != json.Delim('[') {
			return mismatch("an array")
		}
		for i := 0; p.dec.More(); i++ {
			if err := p.value(path+"["+strconv.Itoa(i)+"]", t.Elem()); err != nil {
				return err
			}
		}
		if _, err := p.dec.Token(); err != nil {
			return p.errAt(p.next(), err.Error())
		}
	case reflect.String:
		if _, ok := tok.(string); !ok {
			return mismatch("a string")
		}
	case reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return mismatch("true or false")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch("an integer")
		}
		v, err := strconv.ParseInt(n.String(), 10, 64)
		if err != nil || reflect.New(t).Elem().OverflowInt(v) {
			return p.errAt(off, fmt.Sprintf("%swant an integer in range, got %s", where(path), n))
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch("a non-negative integer")
		}
		v, err := strconv.ParseUint(n.String(), 10, 64)
		if err != nil || reflect.New(t).Elem().OverflowUint(v) {
			return p.errAt(off, fmt.Sprintf("%swant a non-negative integer below 2^64, got %s", where(path), n))
		}
	case reflect.Float32, reflect.Float64:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch("a number")
		}
		if _, err := n.Float64(); err != nil {
			return p.errAt(off, fmt.Sprintf("%snumber %s is out of range", where(path), n))
		}
	default:
		return p.errAt(off, fmt.Sprintf("%scannot decode into %v", where(path), t))
	}
	return nil
}

// skip consumes the rest of a value whose first token was tok.
func (p *parser) skip(tok json.Token) error {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return nil
	}
	for depth := 1; depth > 0; {
		tok, err := p.dec.Token()
		if err != nil {
			return p.errAt(p.next(), err.Error())
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

func describe(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string " + strconv.Quote(v)
	case json.Number:
		return "the number " + v.String()
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// fieldByJSONName finds a struct field by its exact JSON name.
func fieldByJSONName(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		if jsonName(f) == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}

func unknownField(path, key string, t reflect.Type) string {
	var names []string
	best, bestDist := "", 3
	for i := range t.NumField() {
		n := jsonName(t.Field(i))
		names = append(names, n)
		if d := editDistance(strings.ToLower(key), n); d < bestDist {
			best, bestDist = n, d
		}
	}
	msg := fmt.Sprintf("%sunknown field %q", where(path), key)
	if best != "" {
		return msg + fmt.Sprintf(" (did you mean %q?)", best)
	}
	return msg + " (known: " + strings.Join(names, ", ") + ")"
}

// editDistance is the Levenshtein distance of a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
