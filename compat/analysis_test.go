package compat

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	gogoproto "github.com/gogo/protobuf/proto"
	gogodesc "github.com/gogo/protobuf/protoc-gen-gogo/descriptor"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Kinds of things that mesos-go v0.0.11 can lack.
const (
	kindMessage   = "message"
	kindEnum      = "enum"
	kindField     = "field"
	kindEnumValue = "enum value"
)

// analysis is the result of comparing our descriptors with mesos-go's.
type analysis struct {
	// lacks maps the name of each message type, enum type, field and enum
	// value of ours that mesos-go lacks to its kind. Fields and values of a
	// lacked type are not listed separately (the type covers them); nested
	// types of a lacked type are.
	lacks map[string]string
	// alwaysWritten is the set of our optional, singular fields that mesos-go
	// declares with (gogoproto.nullable) = false: its Go struct has no way to
	// say "absent", so it always encodes them (bytes and JSON).
	alwaysWritten map[string]bool
	// mismatches lists fields and enum values that both sides have but that
	// disagree (number, name, label, type, referenced type, default, packing).
	mismatches []string
	// oneofDiffs lists fields that are oneof members on one side only: the
	// same bytes on the wire, but worth knowing.
	oneofDiffs []string
	// extras lists fields and enum values that mesos-go has in a type that we
	// have, but that we do not have.
	extras []string
}

var analyze = sync.OnceValue(func() *analysis {
	a := &analysis{lacks: map[string]string{}, alwaysWritten: map[string]bool{}}
	idx := goDescs()
	for _, md := range ourMessages() {
		a.compareMessage(idx, md)
	}
	for _, ed := range ourEnums() {
		a.compareEnum(idx, ed)
	}
	sort.Strings(a.mismatches)
	sort.Strings(a.oneofDiffs)
	sort.Strings(a.extras)
	return a
})

func (a *analysis) compareMessage(idx *goIndex, md protoreflect.MessageDescriptor) {
	name := string(md.FullName())
	gt := goMessageType(md)
	gm := idx.msgs[goName(md.FullName())]
	switch {
	case gt == nil && gm == nil:
		a.lacks[name] = kindMessage
		return
	case gt == nil || gm == nil:
		a.mismatches = append(a.mismatches, fmt.Sprintf("%s: registered type %v, descriptor %v", name, gt, gm != nil))
		return
	}
	// The registered Go type must be described by the descriptor we index.
	if _, d := gogodesc.ForMessage(reflect.New(gt.Elem()).Interface().(gogodesc.Message)); !gogoproto.Equal(d, gm) {
		a.mismatches = append(a.mismatches, name+": registered Go type's Descriptor() is not the indexed one")
	}
	seen := map[int32]bool{}
	for i := 0; i < md.Fields().Len(); i++ {
		fd := md.Fields().Get(i)
		ref := fieldRef(fd)
		gf := goField(gm, fd.Number())
		if gf == nil {
			for _, other := range gm.Field {
				if other.GetName() == string(fd.Name()) {
					a.mismatches = append(a.mismatches, fmt.Sprintf("%s: number %d, mesos-go has it as %d", ref, fd.Number(), other.GetNumber()))
					seen[other.GetNumber()] = true
					gf = other
				}
			}
			if gf == nil {
				a.lacks[ref] = kindField
			}
			continue
		}
		seen[gf.GetNumber()] = true
		a.compareField(idx, ref, fd, gf)
		sf, ok := goStructField(gt, fd.Number())
		if !ok {
			a.mismatches = append(a.mismatches, ref+": no Go struct field in mesos-go")
			continue
		}
		// The generated Go code must agree too: wire type and label in the
		// struct tag (what gogo's marshaler was generated from).
		tag := strings.Split(sf.Tag.Get("protobuf"), ",")
		if want := wireName(fd); tag[0] != want {
			a.mismatches = append(a.mismatches, fmt.Sprintf("%s: wire type %s, mesos-go's Go tag says %s", ref, want, tag[0]))
		}
		if want := map[string]string{"LABEL_OPTIONAL": "opt", "LABEL_REQUIRED": "req", "LABEL_REPEATED": "rep"}[gf.GetLabel().String()]; len(tag) < 3 || tag[2] != want {
			a.mismatches = append(a.mismatches, fmt.Sprintf("%s: mesos-go's Go tag %q disagrees with its descriptor's label %s", ref, sf.Tag.Get("protobuf"), gf.GetLabel()))
		}
		if fd.Cardinality() == protoreflect.Optional && fd.ContainingOneof() == nil {
			if k := sf.Type.Kind(); k != reflect.Pointer && !(k == reflect.Slice && fd.Kind() == protoreflect.BytesKind) {
				a.alwaysWritten[ref] = true
			}
		}
	}
	for _, gf := range gm.Field {
		if !seen[gf.GetNumber()] {
			a.extras = append(a.extras, fmt.Sprintf("%s.%s (field %d)", name, gf.GetName(), gf.GetNumber()))
		}
	}
}

// compareField compares one field both sides have, by descriptor.
func (a *analysis) compareField(idx *goIndex, ref string, fd protoreflect.FieldDescriptor, gf *gogodesc.FieldDescriptorProto) {
	our := protodesc.ToFieldDescriptorProto(fd)
	diff := func(what string, ours, theirs any) {
		a.mismatches = append(a.mismatches, fmt.Sprintf("%s: %s is %v, mesos-go's is %v", ref, what, ours, theirs))
	}
	if our.GetName() != gf.GetName() {
		diff("name", our.GetName(), gf.GetName())
	}
	if l := our.GetLabel().String(); l != gf.GetLabel().String() {
		diff("label", l, gf.GetLabel().String())
	}
	if t := our.GetType().String(); t != gf.GetType().String() {
		diff("type", t, gf.GetType().String())
	}
	if our.GetTypeName() != "" || gf.GetTypeName() != "" {
		if want := goTypeName(protoreflect.FullName(our.GetTypeName()[1:])); want != gf.GetTypeName() {
			diff("type name", our.GetTypeName(), gf.GetTypeName())
		}
	}
	if our.GetDefaultValue() != gf.GetDefaultValue() {
		diff("default", fmt.Sprintf("%q", our.GetDefaultValue()), fmt.Sprintf("%q", gf.GetDefaultValue()))
	}
	if fd.IsPacked() != gf.GetOptions().GetPacked() {
		diff("packed", fd.IsPacked(), gf.GetOptions().GetPacked())
	}
	if (fd.ContainingOneof() != nil) != (gf.OneofIndex != nil) {
		a.oneofDiffs = append(a.oneofDiffs, fmt.Sprintf("%s: oneof member %v, in mesos-go %v", ref, fd.ContainingOneof() != nil, gf.OneofIndex != nil))
	}
	if fd.IsMap() {
		// Map entries are not in ourMessages; compare key and value here.
		ge := idx.msgs[gf.GetTypeName()[1:]]
		if ge == nil || !ge.GetOptions().GetMapEntry() {
			diff("map entry", fd.Message().FullName(), gf.GetTypeName())
			return
		}
		for _, kv := range []protoreflect.FieldDescriptor{fd.MapKey(), fd.MapValue()} {
			if g := goField(ge, kv.Number()); g == nil {
				diff("map "+string(kv.Name()), "present", "absent")
			} else {
				a.compareField(idx, ref+"."+string(kv.Name()), kv, g)
			}
		}
	}
}

// wireName is the wire type name that Go struct tags use for fd's kind.
func wireName(fd protoreflect.FieldDescriptor) string {
	switch fd.Kind() {
	case protoreflect.Sint32Kind:
		return "zigzag32"
	case protoreflect.Sint64Kind:
		return "zigzag64"
	case protoreflect.Fixed32Kind, protoreflect.Sfixed32Kind, protoreflect.FloatKind:
		return "fixed32"
	case protoreflect.Fixed64Kind, protoreflect.Sfixed64Kind, protoreflect.DoubleKind:
		return "fixed64"
	case protoreflect.StringKind, protoreflect.BytesKind, protoreflect.MessageKind:
		return "bytes"
	case protoreflect.GroupKind:
		return "group"
	}
	return "varint"
}

func (a *analysis) compareEnum(idx *goIndex, ed protoreflect.EnumDescriptor) {
	name := string(ed.FullName())
	ge := idx.enums[goName(ed.FullName())]
	if ge == nil {
		a.lacks[name] = kindEnum
		return
	}
	byName := map[string]int32{}
	byNumber := map[int32]string{}
	for _, v := range ge.Value {
		byName[v.GetName()] = v.GetNumber()
		byNumber[v.GetNumber()] = v.GetName()
	}
	ours := map[string]bool{}
	for i := 0; i < ed.Values().Len(); i++ {
		v := ed.Values().Get(i)
		ours[string(v.Name())] = true
		n, ok := byName[string(v.Name())]
		switch {
		case ok && n != int32(v.Number()):
			a.mismatches = append(a.mismatches, fmt.Sprintf("%s: number %d, mesos-go's is %d", enumValueRef(v), v.Number(), n))
		case !ok && byNumber[int32(v.Number())] != "":
			a.mismatches = append(a.mismatches, fmt.Sprintf("%s = %d: mesos-go names %d %s", enumValueRef(v), v.Number(), v.Number(), byNumber[int32(v.Number())]))
		case !ok:
			a.lacks[enumValueRef(v)] = kindEnumValue
		}
	}
	for _, v := range ge.Value {
		if !ours[v.GetName()] {
			a.extras = append(a.extras, fmt.Sprintf("%s.%s (enum value %d)", name, v.GetName(), v.GetNumber()))
		}
	}
}
