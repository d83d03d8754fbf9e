package faults

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// The JSON form of faults, conditions and schedules is flat and strict:
//
//   - a fault or a condition is one object whose "kind" says what it is,
//     beside its fields (a Match's fields sit in the fault's object);
//   - durations are Go duration strings ("30s", "1m30s");
//   - a step is {"at"|"after"|"when": ..., "fault": {...}};
//   - a schedule is an array of steps.
//
// Decoding reads an object member by member, so that every error names the
// step and the member: an unknown kind or member is an error, as is a member
// given twice, and the result is validated as by Validate with no Target.
// Encoding writes members in the order of the Go struct's fields, leaves
// out optional members at their zero value, and writes "recover" always.

// faultTypes and conditionTypes are the kinds with a JSON form.
var (
	faultTypes = []Fault{
		Partition{}, Heal{}, Drop{}, Delay{}, Duplicate{},
		CrashAgent{}, RestartAgent{}, LoseAgent{}, MarkAgentGone{},
		FailoverMaster{}, CutStream{}, CallFaults{},
		FailTask{}, CrashExecutor{}, HangOnKill{},
	}
	conditionTypes = []Condition{TaskState{}, TasksInState{}, FrameworkSubscribed{}}
)

// kinds maps the kinds of a family (faults, conditions) to their Go types.
type kinds struct {
	family string
	types  map[string]reflect.Type
	names  []string // sorted
}

func newKinds[T interface{ Kind() string }](family string, values []T) *kinds {
	k := &kinds{family: family, types: map[string]reflect.Type{}}
	for _, v := range values {
		k.types[v.Kind()] = reflect.TypeOf(v)
		k.names = append(k.names, v.Kind())
	}
	slices.Sort(k.names)
	return k
}

var (
	faultKinds     = sync.OnceValue(func() *kinds { return newKinds("fault", faultTypes) })
	conditionKinds = sync.OnceValue(func() *kinds { return newKinds("condition", conditionTypes) })
)

// Kinds returns the kinds of faults that have a JSON form, sorted.
func Kinds() []string { return slices.Clone(faultKinds().names) }

// ConditionKinds returns the kinds of conditions that have a JSON form,
// sorted.
func ConditionKinds() []string { return slices.Clone(conditionKinds().names) }

// defaulter is implemented by pointers to types whose JSON form has
// defaults other than the zero value.
type defaulter interface{ setDefaults() }

// ParseFault reads one fault from its JSON object, e.g.
// {"kind":"partition","agent":"agent-2"}, and validates it as
// Validate(nil) does: agent names are checked only when it is applied.
func ParseFault(data []byte) (Fault, error) {
	v, err := faultKinds().decode(data)
	if err != nil {
		return nil, err
	}
	f := v.(Fault)
	if err := validate(f, nil); err != nil {
		return nil, err
	}
	return f, nil
}

// MarshalFault writes f as its JSON object. It refuses a fault that
// ParseFault would refuse, and faults of kinds this package does not know.
func MarshalFault(f Fault) ([]byte, error) {
	if err := validate(f, nil); err != nil {
		return nil, err
	}
	return faultKinds().encode(f)
}

// ParseCondition reads one condition from its JSON object, e.g.
// {"kind":"task-state","task":"web-1","state":"TASK_RUNNING"}, and
// validates it.
func ParseCondition(data []byte) (Condition, error) {
	v, err := conditionKinds().decode(data)
	if err != nil {
		return nil, err
	}
	c := v.(Condition)
	if err := validateCondition(c, nil); err != nil {
		return nil, err
	}
	return c, nil
}

// MarshalCondition writes c as its JSON object. A Func has no JSON form.
func MarshalCondition(c Condition) ([]byte, error) {
	if c == nil {
		return nil, errors.New("missing")
	}
	if _, ok := c.(Func); ok {
		return nil, fmt.Errorf("func: %q is Go code and has no JSON form", c.String())
	}
	if err := validateCondition(c, nil); err != nil {
		return nil, err
	}
	return conditionKinds().encode(c)
}

// stepJSON is the JSON form of a Step.
type stepJSON struct {
	At    *Duration       `json:"at"`
	After *Duration       `json:"after"`
	When  json.RawMessage `json:"when"`
	Fault json.RawMessage `json:"fault"`
}

// Unmarshal reads a schedule from its JSON array of steps and validates it
// as Schedule.Validate(nil) does. Errors name the step, counting from 1,
// and the member at fault.
func Unmarshal(data []byte) (Schedule, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return nil, errors.New("schedule: want a JSON array of steps")
	}
	s := Schedule{}
	for i := 1; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("step %d: %w", i, cleanJSONError(err))
		}
		step, err := parseStep(raw)
		if err != nil {
			return nil, fmt.Errorf("step %d: %w", i, err)
		}
		s = append(s, step)
	}
	if err := expectEnd(dec, json.Delim(']')); err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	if err := s.Validate(nil); err != nil {
		return nil, err
	}
	return s, nil
}

func parseStep(data []byte) (Step, error) {
	var w stepJSON
	if err := decodeObject(data, &w, ""); err != nil {
		return Step{}, err
	}
	step := Step{At: w.At, After: w.After}
	if !isNull(w.When) {
		c, err := ParseCondition(w.When)
		if err != nil {
			return Step{}, fmt.Errorf("when: %w", err)
		}
		step.When = c
	}
	if isNull(w.Fault) {
		return Step{}, errors.New("fault: missing")
	}
	f, err := ParseFault(w.Fault)
	if err != nil {
		return Step{}, fmt.Errorf("fault: %w", err)
	}
	step.Fault = f
	return step, nil
}

// Marshal writes s as a JSON array, one step per line. It refuses a
// schedule that Unmarshal would refuse, or one with a Func condition.
func Marshal(s Schedule) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, step := range s {
		if i > 0 {
			b.WriteString(",\n ")
		}
		if err := appendStep(&b, step); err != nil {
			return nil, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	b.WriteByte(']')
	if err := s.Validate(nil); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func appendStep(b *bytes.Buffer, s Step) error {
	b.WriteByte('{')
	switch {
	case s.At != nil:
		b.WriteString(`"at":"` + s.At.String() + `",`)
	case s.After != nil:
		b.WriteString(`"after":"` + s.After.String() + `",`)
	case s.When != nil:
		c, err := MarshalCondition(s.When)
		if err != nil {
			return fmt.Errorf("when: %w", err)
		}
		b.WriteString(`"when":`)
		b.Write(c)
		b.WriteByte(',')
	}
	if s.Fault == nil {
		return errors.New("fault: missing")
	}
	f, err := MarshalFault(s.Fault)
	if err != nil {
		return fmt.Errorf("fault: %w", err)
	}
	b.WriteString(`"fault":`)
	b.Write(f)
	b.WriteByte('}')
	return nil
}

// MarshalJSON writes s as Marshal does, so that a Schedule can sit in a
// larger JSON document.
func (s Schedule) MarshalJSON() ([]byte, error) { return Marshal(s) }

// UnmarshalJSON reads s as Unmarshal does.
func (s *Schedule) UnmarshalJSON(data []byte) error {
	v, err := Unmarshal(data)
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// decode reads an object of one of k's kinds.
func (k *kinds) decode(data []byte) (any, error) {
	var probe struct {
		Kind json.RawMessage `json:"kind"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, errors.New("want a JSON object")
	}
	if isNull(probe.Kind) {
		return nil, fmt.Errorf("kind: missing (%s kinds: %s)", k.family, strings.Join(k.names, ", "))
	}
	var kind string
	if err := json.Unmarshal(probe.Kind, &kind); err != nil {
		return nil, fmt.Errorf("kind: %w", cleanJSONError(err))
	}
	typ, ok := k.types[kind]
	if !ok {
		return nil, fmt.Errorf("kind: unknown %s kind %q (kinds: %s)", k.family, kind, strings.Join(k.names, ", "))
	}
	p := reflect.New(typ)
	if d, ok := p.Interface().(defaulter); ok {
		d.setDefaults()
	}
	if err := decodeObject(data, p.Interface(), "kind"); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	return p.Elem().Interface(), nil
}

// encode writes v, a value of one of k's kinds, as its object.
func (k *kinds) encode(v interface{ Kind() string }) ([]byte, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if typ, ok := k.types[v.Kind()]; !ok || typ != rv.Type() {
		return nil, fmt.Errorf("%s: %T has no JSON form (%s kinds: %s)", v.Kind(), v, k.family, strings.Join(k.names, ", "))
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rv.Interface()); err != nil {
		return nil, fmt.Errorf("%s: %w", v.Kind(), err)
	}
	fields := bytes.TrimSpace(b.Bytes()) // {...}
	fields = fields[1 : len(fields)-1]   // the members, if any
	kind, _ := json.Marshal(v.Kind())    // a plain string cannot fail
	out := append([]byte(`{"kind":`), kind...)
	if len(fields) > 0 {
		out = append(append(out, ','), fields...)
	}
	return append(out, '}'), nil
}

// decodeObject decodes the JSON object data into the struct v points to,
// member by member, in the order they appear, so that every error names its
// member. Members match fields by their json names exactly (fields of
// embedded structs included); an unknown member, or one given twice, is an
// error. The member named skip, if any, is ignored.
func decodeObject(data []byte, v any, skip string) error {
	rv := reflect.ValueOf(v).Elem()
	fields := jsonFields(rv.Type())
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return errors.New("want a JSON object")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return cleanJSONError(err)
		}
		name := tok.(string) // object keys are strings
		if seen[name] {
			return fmt.Errorf("%s: given twice", name)
		}
		seen[name] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%s: %w", name, cleanJSONError(err))
		}
		if name == skip {
			continue
		}
		index, ok := fields[name]
		if !ok {
			return fmt.Errorf("unknown field %q (fields: %s)", name, strings.Join(fieldNames(fields, skip), ", "))
		}
		if err := json.Unmarshal(raw, rv.FieldByIndex(index).Addr().Interface()); err != nil {
			return fmt.Errorf("%s: %w", name, cleanJSONError(err))
		}
	}
	return expectEnd(dec, json.Delim('}'))
}

// expectEnd reads the closing delimiter and checks that nothing follows.
func expectEnd(dec *json.Decoder, delim json.Delim) error {
	if tok, err := dec.Token(); err != nil || tok != delim {
		return fmt.Errorf("malformed JSON: want %q", string(delim))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("malformed JSON: data after the end")
	}
	return nil
}

// jsonFields maps the json names of t's fields to their indexes, looking
// into embedded structs without a name of their own.
func jsonFields(t reflect.Type) map[string][]int {
	out := map[string][]int{}
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			index := append(slices.Clone(prefix), i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				walk(f.Type, index)
				continue
			}
			if name == "" {
				name = f.Name
			}
			out[name] = index
		}
	}
	walk(t, nil)
	return out
}

func fieldNames(fields map[string][]int, skip string) []string {
	var names []string
	if skip != "" {
		names = append(names, skip)
	}
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// cleanJSONError rewords encoding/json's errors for a member's value.
func cleanJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("want %s, got %s", describeType(te.Type), te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("malformed JSON: %s", strings.TrimPrefix(se.Error(), "json: "))
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

func describeType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[Duration]():
		return "a duration string such as \"30s\""
	case reflect.PointerTo(t).Implements(textUnmarshaler):
		return "a string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// isNull reports whether raw is absent or JSON null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}
