package resources

import (
	"errors"
	"fmt"
	"strings"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// ErrJSONUnsupported is returned by [Parse] for the JSON-array form of
// resources, which Mesos also accepts in --resources; it is not supported
// yet (it will go through the project's Mesos JSON mapping).
var ErrJSONUnsupported = errors.New("resources: the JSON form of resources is not supported yet; use the text form")

// Parse parses Mesos's text form of resources, e.g.
//
//	cpus:4;mem:8192;ports:[31000-32000];disk(role1):100;gpus:1;disks:{sda,sdb}
//
// exactly as Mesos's Resources::parse does (src/v1/resources.cpp):
//
//   - elements are separated by ';' (empty elements are skipped);
//   - each element is name:value with exactly one ':' (empty pieces
//     between colons are ignored, so "cpus::4" is accepted);
//   - name(role) reserves the resource statically to role (hierarchical
//     roles such as "eng/backend" are fine). The text between the first
//     '(' and the first ')' is the role, so Mesos has no syntax for a
//     principal: "cpus(role1,alice):1" is a static reservation to the role
//     named "role1,alice", and "cpus(role1, alice):1" is invalid because
//     role names cannot contain spaces;
//   - values follow the rules of Mesos's value parser: scalars, ranges
//     "[1-5,10-20]" (coalesced), sets "{a,b}"; spaces are ignored;
//   - every resource is validated; resources with the same name must have
//     the same type; empty resources ("disk:0", "ports:[]") are dropped.
//
// Persistent volumes, revocable resources and dynamic reservations cannot
// be written in this form. The JSON form is not supported yet
// ([ErrJSONUnsupported]).
func Parse(text string) (Resources, error) {
	return ParseWithDefaultRole(text, "*")
}

// ParseWithDefaultRole is [Parse] where resources without a "(role)" are
// statically reserved to defaultRole (the deprecated agent --default_role
// flag); "*" means unreserved.
func ParseWithDefaultRole(text, defaultRole string) (Resources, error) {
	list, err := parseList(text, defaultRole)
	if err != nil {
		return Resources{}, err
	}
	var out []Resource
	for i := range list {
		out = addItem(out, &list[i])
	}
	return Resources{out}, nil
}

// MustParse is Parse that panics on error, for tests and examples.
func MustParse(text string) Resources {
	r, err := Parse(text)
	if err != nil {
		panic(err)
	}
	return r
}

// parseList parses and validates the elements in order, before merging.
func parseList(text, defaultRole string) ([]Resource, error) {
	if t := strings.TrimSpace(text); strings.HasPrefix(t, "[") {
		return nil, ErrJSONUnsupported
	}
	var out []Resource
	types := map[string]mesospb.Value_Type{}
	for _, token := range tokenize(text, ";") {
		pair := tokenize(token, ":")
		if len(pair) != 2 {
			return nil, fmt.Errorf("Bad value for resources, missing or extra ':' in %s", token)
		}
		name, role := "", defaultRole
		if open := strings.IndexByte(pair[0], '('); open < 0 {
			name = trim(pair[0])
		} else {
			closing := strings.IndexByte(pair[0], ')')
			if closing < 0 || closing < open {
				return nil, fmt.Errorf("Bad value for resources, mismatched parentheses in %s", token)
			}
			name = trim(pair[0][:open])
			role = trim(pair[0][open+1 : closing])
		}
		it, err := parseOne(name, pair[1], role)
		if err != nil {
			return nil, err
		}
		if t, ok := types[it.name]; ok && t != it.typ {
			return nil, fmt.Errorf("Resources with the same name ('%s') but different types are not allowed", it.name)
		} else if !ok {
			types[it.name] = it.typ
		}
		out = append(out, it)
	}
	return out, nil
}

// ParseResource parses one resource from its name, value text and role
// (Mesos's Resources::parse(name, value, role)); role "*" is unreserved.
func ParseResource(name, text, role string) (Resource, error) {
	return parseOne(name, text, role)
}

func parseOne(name, text, role string) (Resource, error) {
	v, err := parseValue(text)
	if err != nil {
		return Resource{}, fmt.Errorf("Failed to parse resource %s value %s error %v", name, text, err)
	}
	p := &mesospb.Resource{Name: &name}
	typ := v.typ
	p.Type = &typ
	switch v.typ {
	case mesospb.Value_SCALAR:
		p.Scalar = &mesospb.Value_Scalar{Value: &v.scalar}
	case mesospb.Value_RANGES:
		p.Ranges = &mesospb.Value_Ranges{}
		for _, r := range v.ranges {
			p.Ranges.Range = append(p.Ranges.Range, &mesospb.Value_Range{Begin: &r.Begin, End: &r.End})
		}
	case mesospb.Value_SET:
		p.Set = &mesospb.Value_Set{Item: v.set}
	default:
		return Resource{}, fmt.Errorf("Bad type for resource %s value %s type %s", name, text, v.typ)
	}
	if role != "*" {
		p.Reservations = []*mesospb.Resource_ReservationInfo{StaticReservation(role)}
	}
	if err := validateProto(p); err != nil {
		return Resource{}, err
	}
	return ResourceFromProto(p)
}

// Mesos's fallback agent resources (src/slave/constants.hpp), used when an
// agent is started without them in --resources and probing the host
// fails. A simulated agent has no host to probe, so these are the values
// the simulator uses for a resource the agent's resource text leaves out.
const (
	DefaultAgentCPUs   = 1.0             // DEFAULT_CPUS
	DefaultAgentMemMB  = 1024.0          // DEFAULT_MEM: 1 GB
	DefaultAgentDiskMB = 10240.0         // DEFAULT_DISK: 10 GB
	DefaultAgentPorts  = "[31000-32000]" // DEFAULT_PORTS
)

// AgentResources computes an agent's total resources from its --resources
// text the way Mesos's Containerizer::resources does: the text is parsed
// with defaultRole, then cpus, mem, disk and ports are added (reserved to
// defaultRole) for each of those names the text does not mention at all —
// "cpus:0" counts as mentioned. Mesos would probe the host for cpus, mem
// and disk; the simulator uses Mesos's fallbacks instead: cpus:1,
// mem:1024, disk:10240, ports:[31000-32000]. gpus are passed through (as
// Mesos does without the gpu/nvidia isolator).
func AgentResources(text, defaultRole string) (Resources, error) {
	if defaultRole == "" {
		defaultRole = "*"
	}
	list, err := parseList(text, defaultRole)
	if err != nil {
		return Resources{}, err
	}
	has := map[string]bool{}
	for _, it := range list {
		has[it.name] = true
	}
	defaults := []struct{ name, value string }{
		{"cpus", "1"},
		{"mem", "1024"},
		{"disk", "10240"},
		{"ports", DefaultAgentPorts},
	}
	for _, d := range defaults {
		if has[d.name] {
			continue
		}
		it, err := parseOne(d.name, d.value, defaultRole)
		if err != nil {
			return Resources{}, err
		}
		list = append(list, it)
	}
	var out []Resource
	for i := range list {
		out = addItem(out, &list[i])
	}
	return Resources{out}, nil
}

// ParseAttributes parses an agent's --attributes text, e.g.
// "rack:r1;zone:us-east-1a;level:3", as Mesos's Attributes::parse does
// (src/common/attributes.cpp): pairs are separated by ';' or newlines and
// split at the first ':'; values use the same parser as resources, so a
// number becomes a SCALAR, "[1-5]" becomes RANGES and anything else TEXT
// (with spaces removed). Mesos aborts the agent on a SET value ("{a,b}")
// or an empty name or value; we return an error instead.
func ParseAttributes(text string) ([]*mesospb.Attribute, error) {
	var out []*mesospb.Attribute
	for _, token := range tokenize(text, ";\n") {
		name, val, ok := strings.Cut(token, ":")
		if !ok || name == "" || val == "" {
			return nil, fmt.Errorf("Invalid attribute key:value pair '%s'", token)
		}
		v, err := parseValue(val)
		if err != nil {
			return nil, fmt.Errorf("Failed to parse attribute %s text %s error %v", name, val, err)
		}
		typ := v.typ
		a := &mesospb.Attribute{Name: &name, Type: &typ}
		switch v.typ {
		case mesospb.Value_SCALAR:
			s := v.scalar
			a.Scalar = &mesospb.Value_Scalar{Value: &s}
		case mesospb.Value_RANGES:
			a.Ranges = &mesospb.Value_Ranges{}
			for _, r := range v.ranges {
				a.Ranges.Range = append(a.Ranges.Range, &mesospb.Value_Range{Begin: &r.Begin, End: &r.End})
			}
		case mesospb.Value_TEXT:
			t := v.text
			a.Text = &mesospb.Value_Text{Value: &t}
		default:
			return nil, fmt.Errorf("Bad type for attribute %s text %s type %s", name, val, v.typ)
		}
		out = append(out, a)
	}
	return out, nil
}

// FormatAttributes renders attributes as Mesos does in its logs and
// /state ("rack:r1;zone:us-east-1a;level:3").
func FormatAttributes(attrs []*mesospb.Attribute) string {
	parts := make([]string, 0, len(attrs))
	for _, a := range attrs {
		var v string
		switch a.GetType() {
		case mesospb.Value_SCALAR:
			v = ScalarOf(a.GetScalar().GetValue()).String()
		case mesospb.Value_RANGES:
			var rs []Range
			for _, r := range a.GetRanges().GetRange() {
				rs = append(rs, Range{r.GetBegin(), r.GetEnd()})
			}
			v = formatRanges(rs)
		case mesospb.Value_SET:
			v = formatSet(a.GetSet().GetItem())
		case mesospb.Value_TEXT:
			v = a.GetText().GetValue()
		}
		parts = append(parts, a.GetName()+":"+v)
	}
	return strings.Join(parts, ";")
}
