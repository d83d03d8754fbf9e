package mesosjson

import (
	"slices"
	"sync"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// msgPlan is what the encoder and decoder need to know about one message
// type, computed once per descriptor.
type msgPlan struct {
	md protoreflect.MessageDescriptor
	// fields in declaration order: the order stout writes them in (it walks
	// Descriptor::field(i)).
	fields []*fieldPlan
	byName map[string]*fieldPlan
	// required fields in declaration order, and the message-typed fields in
	// field-number order: the walk protobuf's FindInitializationErrors does.
	required  []*fieldPlan
	msgFields []*fieldPlan
	// mayMissRequired is false when no message reachable from this type
	// has a required field, so the required-field check can skip it.
	mayMissRequired bool
}

type fieldPlan struct {
	fd   protoreflect.FieldDescriptor
	name string
	// prefix is `"name":`, ready to append.
	prefix []byte
	kind   protoreflect.Kind
	list   bool
	isMap  bool
	// writeDefault: an unset singular field that stout still writes, with
	// its default value, because the .proto gives it an explicit default
	// and it is not deprecated.
	writeDefault bool
	required     bool
	enum         *enumPlan
	msg          *msgPlan   // message-typed fields (map fields: the entry)
	key, val     *fieldPlan // map fields: the entry's key and value fields
}

type enumPlan struct {
	ed     protoreflect.EnumDescriptor
	byName map[string]protoreflect.EnumNumber
}

func (e *enumPlan) name(n protoreflect.EnumNumber) (string, bool) {
	v := e.ed.Values().ByNumber(n)
	if v == nil {
		return "", false
	}
	return string(v.Name()), true
}

var (
	planMu    sync.Mutex
	planCache sync.Map // protoreflect.MessageDescriptor → *msgPlan
	enumCache = map[protoreflect.EnumDescriptor]*enumPlan{}
)

func planFor(md protoreflect.MessageDescriptor) *msgPlan {
	if p, ok := planCache.Load(md); ok {
		return p.(*msgPlan)
	}
	planMu.Lock()
	defer planMu.Unlock()
	if p, ok := planCache.Load(md); ok {
		return p.(*msgPlan)
	}
	pending := map[protoreflect.MessageDescriptor]*msgPlan{}
	p := buildPlan(md, pending)
	computeMayMissRequired(pending)
	for d, q := range pending {
		planCache.Store(d, q)
	}
	return p
}

// buildPlan builds the plan of md and of every message type it reaches that
// has no plan yet; pending collects them (and breaks cycles).
func buildPlan(md protoreflect.MessageDescriptor, pending map[protoreflect.MessageDescriptor]*msgPlan) *msgPlan {
	if p, ok := planCache.Load(md); ok {
		return p.(*msgPlan)
	}
	if p, ok := pending[md]; ok {
		return p
	}
	p := &msgPlan{md: md, byName: map[string]*fieldPlan{}}
	pending[md] = p
	fds := md.Fields()
	for i := 0; i < fds.Len(); i++ {
		f := buildField(fds.Get(i), pending)
		p.fields = append(p.fields, f)
		p.byName[f.name] = f
		if f.required {
			p.required = append(p.required, f)
		}
		if f.kind == protoreflect.MessageKind || f.kind == protoreflect.GroupKind {
			p.msgFields = append(p.msgFields, f)
		}
	}
	slices.SortStableFunc(p.msgFields, func(a, b *fieldPlan) int {
		return int(a.fd.Number()) - int(b.fd.Number())
	})
	return p
}

func buildField(fd protoreflect.FieldDescriptor, pending map[protoreflect.MessageDescriptor]*msgPlan) *fieldPlan {
	f := &fieldPlan{
		fd:       fd,
		name:     string(fd.Name()),
		kind:     fd.Kind(),
		list:     fd.IsList(),
		isMap:    fd.IsMap(),
		required: fd.Cardinality() == protoreflect.Required,
	}
	f.prefix = append(appendString(nil, f.name), ':')
	if fd.Cardinality() != protoreflect.Repeated && fd.HasDefault() && !isDeprecated(fd) {
		f.writeDefault = true
	}
	switch f.kind {
	case protoreflect.EnumKind:
		f.enum = enumPlanFor(fd.Enum())
	case protoreflect.MessageKind, protoreflect.GroupKind:
		f.msg = buildPlan(fd.Message(), pending)
		if f.isMap {
			f.key = buildField(fd.MapKey(), pending)
			f.val = buildField(fd.MapValue(), pending)
		}
	}
	return f
}

func isDeprecated(fd protoreflect.FieldDescriptor) bool {
	o, ok := fd.Options().(*descriptorpb.FieldOptions)
	return ok && o.GetDeprecated()
}

// enumPlanFor is called with planMu held.
func enumPlanFor(ed protoreflect.EnumDescriptor) *enumPlan {
	if e, ok := enumCache[ed]; ok {
		return e
	}
	e := &enumPlan{ed: ed, byName: map[string]protoreflect.EnumNumber{}}
	vs := ed.Values()
	for i := 0; i < vs.Len(); i++ {
		v := vs.Get(i)
		e.byName[string(v.Name())] = v.Number()
	}
	enumCache[ed] = e
	return e
}

// computeMayMissRequired settles mayMissRequired for the new plans: a type
// may miss a required field if it has one, or if a message type it reaches
// may.
func computeMayMissRequired(pending map[protoreflect.MessageDescriptor]*msgPlan) {
	for _, p := range pending {
		p.mayMissRequired = len(p.required) > 0
	}
	for changed := true; changed; {
		changed = false
		for _, p := range pending {
			if p.mayMissRequired {
				continue
			}
			for _, f := range p.msgFields {
				if f.msg.mayMissRequired || (f.val != nil && f.val.msg != nil && f.val.msg.mayMissRequired) {
					p.mayMissRequired = true
					changed = true
					break
				}
			}
		}
	}
}
