package mesosjson

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// SyntaxError reports input that is not JSON as the Mesos master's parser
// understands it. Msg is the master's own text for the failure, such as
// "syntax error at line 1 near: }" or "Value out of range"; the master
// answers such a request with 400 and "Failed to parse body into JSON: "
// followed by Msg.
type SyntaxError struct {
	Msg string
}

func (e *SyntaxError) Error() string { return e.Msg }

// ConversionError reports valid JSON that does not convert into the message:
// a value of the wrong JSON type for its field, a bad number, bytes or
// enum text, a top-level value that is not an object, or missing required
// fields. Msg is the master's own text, such as "Missing required fields:
// framework_info.user"; the master answers with 400 and "Failed to convert
// JSON into Call protobuf: " followed by Msg.
type ConversionError struct {
	Msg string
}

func (e *ConversionError) Error() string { return e.Msg }

var parserPool = sync.Pool{New: func() any { return new(parser) }}

// Unmarshal resets m and fills it from the JSON in data as the Mesos master
// would (stout's JSON::parse followed by protobuf::parse). The error, if
// any, is a *SyntaxError when data is not JSON by the master's rules and a
// *ConversionError when the JSON does not convert into m; in both cases m's
// contents are unspecified. A nil m is an error of neither type.
func Unmarshal(data []byte, m proto.Message) error {
	if m == nil || !m.ProtoReflect().IsValid() {
		return errors.New("mesosjson: Unmarshal needs a non-nil message")
	}
	proto.Reset(m)
	p := parserPool.Get().(*parser)
	defer func() {
		p.src = nil
		if cap(p.nodes) <= 1<<16 {
			parserPool.Put(p)
		}
	}()
	root, msg := p.document(data)
	if msg != "" {
		return &SyntaxError{Msg: msg}
	}
	if p.nodes[root].kind != kObject {
		return &ConversionError{Msg: "Expecting a JSON object"}
	}
	mr := m.ProtoReflect()
	plan := planFor(mr.Descriptor())
	c := converter{p: p}
	if err := c.object(mr, plan, root); err != "" {
		return &ConversionError{Msg: err}
	}
	if plan.mayMissRequired {
		var path missingPath
		missing := findMissing(nil, mr, plan, &path)
		if len(missing) > 0 {
			return &ConversionError{Msg: "Missing required fields: " + strings.Join(missing, ", ")}
		}
	}
	return nil
}

// converter is the second stage, stout's protobuf::internal::parse and its
// Parser visitor: it walks the parsed JSON into a message. Object members
// come in key order (stout keeps them in a std::map), keys that name no field
// are ignored, and the first failure ends the walk with its message (no
// field path is added, as in stout).
type converter struct {
	p *parser
}

func (c *converter) object(m protoreflect.Message, plan *msgPlan, obj int) string {
	n := c.p.nodes[obj]
	for _, mem := range c.p.members[n.first : n.first+n.count] {
		f := plan.byName[string(c.p.bytesOf(mem.key))]
		if f == nil {
			continue
		}
		if err := c.field(m, f, mem.val); err != "" {
			return err
		}
	}
	return ""
}

// field applies JSON value v to field f of m.
func (c *converter) field(m protoreflect.Message, f *fieldPlan, v int) string {
	n := c.p.nodes[v]
	switch n.kind {
	case kNull:
		// null leaves a field unset (required ones are caught later).
		return ""
	case kArray:
		if !f.list && !f.isMap {
			return "Not expecting a JSON array for field '" + f.name + "'"
		}
		if f.list && n.count > 0 {
			return c.elements(m.Mutable(f.fd).List(), f, n)
		}
		// Each element is applied to the field in turn, so nested arrays
		// are flattened and null elements are skipped.
		for _, e := range c.p.elems[n.first : n.first+n.count] {
			if err := c.field(m, f, e); err != "" {
				return err
			}
		}
		return ""
	case kObject:
		if f.kind != protoreflect.MessageKind {
			return "Not expecting a JSON object for field '" + f.name + "'"
		}
		switch {
		case f.isMap:
			return c.mapEntries(m.Mutable(f.fd).Map(), f, n)
		case f.list:
			l := m.Mutable(f.fd).List()
			e := l.NewElement()
			if err := c.object(e.Message(), f.msg, v); err != "" {
				return err
			}
			l.Append(e)
			return ""
		default:
			// Even {} marks the field as present.
			return c.object(m.Mutable(f.fd).Message(), f.msg, v)
		}
	}
	// A string, number or boolean. Outside arrays, repeated fields take one
	// as a single element.
	val, ok, err := c.scalar(f, v)
	if err != "" || !ok {
		return err
	}
	if f.list {
		m.Mutable(f.fd).List().Append(val)
	} else {
		m.Set(f.fd, val)
	}
	return ""
}

// elements applies the elements of array node arr to the list of repeated
// (non-map) field f, as field does one by one: nested arrays are flattened,
// nulls skipped.
func (c *converter) elements(l protoreflect.List, f *fieldPlan, arr node) string {
	for _, e := range c.p.elems[arr.first : arr.first+arr.count] {
		n := c.p.nodes[e]
		switch {
		case n.kind == kArray:
			if err := c.elements(l, f, n); err != "" {
				return err
			}
		case n.kind == kObject && f.kind == protoreflect.MessageKind:
			v := l.NewElement()
			if err := c.object(v.Message(), f.msg, e); err != "" {
				return err
			}
			l.Append(v)
		default:
			v, ok, err := c.scalar(f, e)
			if err != "" {
				return err
			}
			if ok {
				l.Append(v)
			}
		}
	}
	return ""
}

// mapEntries adds the members of obj to a map field. Like stout, each member
// becomes an entry whose key is converted from the member name as if it were
// a JSON string, and whose value is converted as the entry's value field.
func (c *converter) mapEntries(mp protoreflect.Map, f *fieldPlan, obj node) string {
	for _, mem := range c.p.members[obj.first : obj.first+obj.count] {
		k, _, err := c.scalarString(f.key, c.p.bytesOf(mem.key))
		if err != "" {
			return err
		}
		key := k.MapKey()
		vn := c.p.nodes[mem.val]
		vf := f.val
		switch {
		case vn.kind == kArray:
			return "Not expecting a JSON array for field '" + vf.name + "'"
		case vf.kind == protoreflect.MessageKind:
			val := mp.NewValue()
			switch vn.kind {
			case kObject:
				if err := c.object(val.Message(), vf.msg, mem.val); err != "" {
					return err
				}
			case kNull:
			default:
				if _, _, err := c.scalar(vf, mem.val); err != "" {
					return err
				}
			}
			mp.Set(key, val)
		default:
			val, ok, err := c.scalar(vf, mem.val)
			if err != "" {
				return err
			}
			if !ok {
				// null, or an enum name that is not known: the entry
				// keeps the value field's default.
				val = vf.fd.Default()
			}
			mp.Set(key, val)
		}
	}
	return ""
}

// scalar converts a string, number or boolean node (or null or an object,
// which are handled for message fields by the caller) for field f. ok is
// false when the value is dropped: null, or an unknown enum name in a field
// that is not required.
func (c *converter) scalar(f *fieldPlan, v int) (protoreflect.Value, bool, string) {
	n := c.p.nodes[v]
	switch n.kind {
	case kNull:
		return protoreflect.Value{}, false, ""
	case kObject:
		return protoreflect.Value{}, false, "Not expecting a JSON object for field '" + f.name + "'"
	case kTrue, kFalse:
		if f.kind != protoreflect.BoolKind {
			return protoreflect.Value{}, false, "Not expecting a JSON boolean for field '" + f.name + "'"
		}
		return protoreflect.ValueOfBool(n.kind == kTrue), true, ""
	case kInt, kFloat:
		num := jsonNumber{isFloat: n.kind == kFloat, i: int64(n.num), f: math.Float64frombits(n.num)}
		val, ok := numberValue(f, num)
		if !ok {
			return protoreflect.Value{}, false, "Not expecting a JSON number for field '" + f.name + "'"
		}
		return val, true, ""
	case kString:
		return c.scalarString(f, c.p.bytesOf(n.str))
	}
	return protoreflect.Value{}, false, "Not expecting a JSON array for field '" + f.name + "'"
}

// numberValue converts a number for a numeric field; ok is false for fields
// that do not take numbers (booleans, strings, bytes, enums, messages).
func numberValue(f *fieldPlan, n jsonNumber) (protoreflect.Value, bool) {
	switch f.kind {
	case protoreflect.DoubleKind:
		return protoreflect.ValueOfFloat64(n.float64()), true
	case protoreflect.FloatKind:
		return protoreflect.ValueOfFloat32(n.float32()), true
	case protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return protoreflect.ValueOfInt64(n.int64()), true
	case protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return protoreflect.ValueOfUint64(n.uint64()), true
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind:
		return protoreflect.ValueOfInt32(n.int32()), true
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind:
		return protoreflect.ValueOfUint32(n.uint32()), true
	}
	return protoreflect.Value{}, false
}

// scalarString converts the JSON string s for field f. Besides strings,
// bytes (base64) and enums (by name), stout reads numbers and booleans out of
// strings by parsing the string's contents as a JSON document, so "12",
// " 12" and "1.2e1" all work for an int field, and doubles also take
// "Infinity" and "-Infinity".
func (c *converter) scalarString(f *fieldPlan, s []byte) (protoreflect.Value, bool, string) {
	switch f.kind {
	case protoreflect.StringKind:
		return protoreflect.ValueOfString(string(s)), true, ""
	case protoreflect.BytesKind:
		b, err := decodeBase64(s)
		if err != "" {
			return protoreflect.Value{}, false, "Failed to base64 decode bytes field '" + f.name + "': " + err
		}
		return protoreflect.ValueOfBytes(b), true, ""
	case protoreflect.EnumKind:
		num, ok := f.enum.byName[string(s)]
		if !ok {
			if f.required {
				return protoreflect.Value{}, false, "Failed to find enum for '" + string(s) + "'"
			}
			// Like a proto2 parser meeting an unknown enum value, stout
			// drops it: the field stays unset, or the element is left out.
			return protoreflect.Value{}, false, ""
		}
		return protoreflect.ValueOfEnum(num), true, ""
	case protoreflect.DoubleKind, protoreflect.FloatKind:
		switch string(s) {
		case "Infinity":
			v, _ := numberValue(f, jsonNumber{isFloat: true, f: math.Inf(1)})
			return v, true, ""
		case "-Infinity":
			v, _ := numberValue(f, jsonNumber{isFloat: true, f: math.Inf(-1)})
			return v, true, ""
		}
		fallthrough
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind,
		protoreflect.Uint32Kind, protoreflect.Fixed32Kind,
		protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		n, err := parseEmbedded(s, false)
		if err != "" {
			return protoreflect.Value{}, false, "Failed to parse '" + string(s) + "' as a JSON number for field '" + f.name + "': " + err
		}
		v, _ := numberValue(f, n)
		return v, true, ""
	case protoreflect.BoolKind:
		n, err := parseEmbedded(s, true)
		if err != "" {
			return protoreflect.Value{}, false, "Failed to parse '" + string(s) + "' as a JSON boolean for field '" + f.name + "': " + err
		}
		return protoreflect.ValueOfBool(n.i != 0), true, ""
	}
	return protoreflect.Value{}, false, "Not expecting a JSON string for field '" + f.name + "'"
}

// parseEmbedded parses s as a whole JSON document that must be a number
// (or, with wantBool, a boolean, returned as i = 0 or 1), like stout's
// JSON::parse<JSON::Number> and JSON::parse<JSON::Boolean>.
func parseEmbedded(s []byte, wantBool bool) (jsonNumber, string) {
	// The common case, a plain integer, needs no parser.
	if !wantBool {
		if i, ok := parseInt64(s); ok {
			return jsonNumber{i: i}, ""
		}
	}
	p := parserPool.Get().(*parser)
	defer func() {
		p.src = nil
		parserPool.Put(p)
	}()
	root, msg := p.document(s)
	if msg != "" {
		return jsonNumber{}, msg
	}
	n := p.nodes[root]
	switch {
	case wantBool && (n.kind == kTrue || n.kind == kFalse):
		if n.kind == kTrue {
			return jsonNumber{i: 1}, ""
		}
		return jsonNumber{}, ""
	case !wantBool && n.kind == kInt:
		return jsonNumber{i: int64(n.num)}, ""
	case !wantBool && n.kind == kFloat:
		return jsonNumber{isFloat: true, f: math.Float64frombits(n.num)}, ""
	}
	return jsonNumber{}, "Unexpected JSON type parsed"
}

// findMissing lists the unset required fields of m and of the messages in
// it, in the order and with the paths of protobuf's
// Message::InitializationErrorString: first this message's required fields
// in declaration order, then, for each set message field in field-number
// order, its own list with a "name." or "name[i]." prefix. A map field counts
// as a repeated entry message, so a missing field inside a map value reads
// "name[i].value.field" (entries in key order here; C++ uses its hash map's
// order).
func findMissing(out []string, m protoreflect.Message, plan *msgPlan, path *missingPath) []string {
	for _, f := range plan.required {
		if !m.Has(f.fd) {
			out = append(out, path.render(f.name))
		}
	}
	for _, f := range plan.msgFields {
		if !f.msg.mayMissRequired || !m.Has(f.fd) {
			continue
		}
		switch {
		case f.isMap:
			if !f.val.msg.mayMissRequiredOrNil() {
				continue
			}
			mp := m.Get(f.fd).Map()
			keys := sortedMapKeys(mp, f.key.kind)
			for i, k := range keys {
				path.push(f.name, i, true)
				out = findMissing(out, mp.Get(k).Message(), f.val.msg, path)
				path.pop()
			}
		case f.list:
			l := m.Get(f.fd).List()
			for i := 0; i < l.Len(); i++ {
				path.push(f.name, i, false)
				out = findMissing(out, l.Get(i).Message(), f.msg, path)
				path.pop()
			}
		default:
			path.push(f.name, -1, false)
			out = findMissing(out, m.Get(f.fd).Message(), f.msg, path)
			path.pop()
		}
	}
	return out
}

// missingPath is the path to the message findMissing is in, rendered only
// when a field turns out to be missing.
type missingPath struct {
	segs []pathSeg
}

type pathSeg struct {
	name     string
	index    int // -1 for a singular field
	mapValue bool
}

func (p *missingPath) push(name string, index int, mapValue bool) {
	p.segs = append(p.segs, pathSeg{name, index, mapValue})
}

func (p *missingPath) pop() { p.segs = p.segs[:len(p.segs)-1] }

func (p *missingPath) render(field string) string {
	var b []byte
	for _, s := range p.segs {
		b = append(b, s.name...)
		if s.index >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(s.index), 10)
			b = append(b, ']')
		}
		b = append(b, '.')
		if s.mapValue {
			b = append(b, "value."...)
		}
	}
	return string(append(b, field...))
}

func (p *msgPlan) mayMissRequiredOrNil() bool { return p != nil && p.mayMissRequired }

func sortedMapKeys(mp protoreflect.Map, k protoreflect.Kind) []protoreflect.MapKey {
	keys := make([]protoreflect.MapKey, 0, mp.Len())
	mp.Range(func(key protoreflect.MapKey, _ protoreflect.Value) bool {
		keys = append(keys, key)
		return true
	})
	slices.SortFunc(keys, func(x, y protoreflect.MapKey) int { return compareMapKeys(x, y, k) })
	return keys
}

func compareMapKeys(x, y protoreflect.MapKey, k protoreflect.Kind) int {
	switch k {
	case protoreflect.BoolKind:
		xb, yb := x.Bool(), y.Bool()
		switch {
		case xb == yb:
			return 0
		case !xb:
			return -1
		}
		return 1
	case protoreflect.StringKind:
		return strings.Compare(x.String(), y.String())
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		xu, yu := x.Uint(), y.Uint()
		switch {
		case xu < yu:
			return -1
		case xu > yu:
			return 1
		}
		return 0
	default:
		xi, yi := x.Int(), y.Int()
		switch {
		case xi < yi:
			return -1
		case xi > yi:
			return 1
		}
		return 0
	}
}
