package master

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/resources"
)

// jsonObject is a JSON object whose members keep the order they were set
// in, as stout's JSON::ObjectWriter writes them (jsonify). A key set twice
// is written twice, as Mesos does for duplicate attribute names.
type jsonObject struct {
	keys []string
	vals []any
}

func newObject() *jsonObject { return &jsonObject{} }

// set appends a member. Values are nil (null), string, bool, the integer
// types (JSON integers), float64 (a double, written as rapidjson writes
// it), *jsonObject, []any, []string, or a proto.Message (written with
// Mesos's protobuf-to-JSON mapping, JSON::Protobuf).
func (o *jsonObject) set(key string, v any) *jsonObject {
	o.keys = append(o.keys, key)
	o.vals = append(o.vals, v)
	return o
}

// get returns the value of the last member named key.
func (o *jsonObject) get(key string) (any, bool) {
	for i := len(o.keys) - 1; i >= 0; i-- {
		if o.keys[i] == key {
			return o.vals[i], true
		}
	}
	return nil, false
}

// appendJSON writes v as compact JSON, as Mesos's jsonify does.
func appendJSON(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...)
	case string:
		return mesosjson.AppendString(dst, x)
	case bool:
		return strconv.AppendBool(dst, x)
	case int:
		return strconv.AppendInt(dst, int64(x), 10)
	case int32:
		return strconv.AppendInt(dst, int64(x), 10)
	case int64:
		return strconv.AppendInt(dst, x, 10)
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10)
	case uint64:
		return strconv.AppendUint(dst, x, 10)
	case float64:
		return mesosjson.AppendDouble(dst, x)
	case *jsonObject:
		dst = append(dst, '{')
		for i, k := range x.keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = mesosjson.AppendString(dst, k)
			dst = append(dst, ':')
			dst = appendJSON(dst, x.vals[i])
		}
		return append(dst, '}')
	case []any:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSON(dst, e)
		}
		return append(dst, ']')
	case []string:
		dst = append(dst, '[')
		for i, e := range x {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = mesosjson.AppendString(dst, e)
		}
		return append(dst, ']')
	case proto.Message:
		out, err := mesosjson.AppendMarshal(dst, x)
		if err != nil {
			// Only an enum number no name stands for fails; Mesos could
			// not hold such a message either.
			return append(dst, "null"...)
		}
		return out
	}
	panic(fmt.Sprintf("master: cannot write %T as JSON", v))
}

// marshalJSON renders v.
func marshalJSON(v any) []byte { return appendJSON(nil, v) }

// seconds is how Mesos writes a process::Time: float seconds since the
// epoch; the zero time.Time is 0.
func seconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}

// resourcesJSON is model(const Resources&) of src/common/http.cpp: "cpus",
// "gpus", "mem" and "disk" always, then the other scalars, then ranges and
// sets as their text ("[31000-32000]", "{a, b}"); revocable resources get
// the "_revocable" suffix. Mesos writes each kind in hash-map order; this
// writes them sorted by name.
func resourcesJSON(r resources.Resources) *jsonObject {
	m := r.StateJSON()
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	o := newObject()
	for _, k := range names {
		if f, ok := m[k].(float64); ok {
			o.set(k, f)
		}
	}
	for _, k := range names {
		if s, ok := m[k].(string); ok && strings.HasPrefix(s, "[") {
			o.set(k, s)
		}
	}
	for _, k := range names {
		if s, ok := m[k].(string); ok && !strings.HasPrefix(s, "[") {
			o.set(k, s)
		}
	}
	return o
}

// resourcesProtoJSON models wire resources the same way (Task.resources,
// ExecutorInfo.resources).
func resourcesProtoJSON(ps []*mesospb.Resource) *jsonObject {
	r, err := resources.FromProto(ps)
	if err != nil {
		return resourcesJSON(resources.Resources{})
	}
	return resourcesJSON(r)
}

// quantitiesJSON writes ResourceQuantities: name -> value.
func quantitiesJSON(q resources.Quantities) *jsonObject {
	o := newObject()
	for x := range q.All() {
		o.set(x.Name, x.Value.Float64())
	}
	return o
}

// limitsJSON writes ResourceLimits: name -> value.
func limitsJSON(l resources.Limits) *jsonObject {
	o := newObject()
	for x := range l.All() {
		o.set(x.Name, x.Value.Float64())
	}
	return o
}

// attributesJSON is json(Attributes): name -> number, "[a-b, c-d]",
// "{x, y}" or text, in the agent's order.
func attributesJSON(attrs []*mesospb.Attribute) *jsonObject {
	o := newObject()
	for _, a := range attrs {
		switch a.GetType() {
		case mesospb.Value_SCALAR:
			o.set(a.GetName(), a.GetScalar().GetValue())
		case mesospb.Value_RANGES:
			var b strings.Builder
			b.WriteByte('[')
			for i, r := range a.GetRanges().GetRange() {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strconv.FormatUint(r.GetBegin(), 10) + "-" + strconv.FormatUint(r.GetEnd(), 10))
			}
			b.WriteByte(']')
			o.set(a.GetName(), b.String())
		case mesospb.Value_SET:
			o.set(a.GetName(), "{"+strings.Join(a.GetSet().GetItem(), ", ")+"}")
		case mesospb.Value_TEXT:
			o.set(a.GetName(), a.GetText().GetValue())
		}
	}
	return o
}

// labelsJSON is json(Labels): an array of {key, value} objects.
func labelsJSON(l *mesospb.Labels) []any {
	out := []any{}
	for _, x := range l.GetLabels() {
		out = append(out, x)
	}
	return out
}

// domainJSON is json(DomainInfo).
func domainJSON(d *mesospb.DomainInfo) *jsonObject {
	o := newObject()
	if fd := d.GetFaultDomain(); fd != nil {
		o.set("fault_domain", newObject().
			set("region", newObject().set("name", fd.GetRegion().GetName())).
			set("zone", newObject().set("name", fd.GetZone().GetName())))
	}
	return o
}
