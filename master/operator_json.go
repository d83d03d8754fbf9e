package master

import (
	"bytes"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
)

// encodeOperator appends the encoding of an operator Response or Event.
//
// Protobuf is the message's encoding. JSON is Mesos's JSON
// ([mesosjson]) with one difference that Mesos's read-only handlers make:
// they write GetState, GetAgents, GetFrameworks, GetExecutors, GetTasks
// and Event.Subscribed field by field (jsonifyGetState and friends), so
// their lists are written even when empty ("recovered_agents":[]), where
// stout's generic conversion leaves empty lists out. Deprecated lists
// (pending_tasks, orphan_tasks, orphan_executors, recovered_frameworks)
// are not written at all, as there.
func encodeOperator(dst []byte, t mediatype.Type, m proto.Message) ([]byte, error) {
	if t != mediatype.JSON {
		return mediatype.AppendEncode(dst, t, m)
	}
	return appendOperatorJSON(dst, m.ProtoReflect())
}

// jsonWrittenByField are the messages Mesos writes field by field, with
// whether their non-deprecated lists are always written.
var jsonWrittenByField = map[protoreflect.FullName]bool{
	(&masterpb.Response{}).ProtoReflect().Descriptor().FullName():               false,
	(&masterpb.Event{}).ProtoReflect().Descriptor().FullName():                  false,
	(&masterpb.Event_Subscribed{}).ProtoReflect().Descriptor().FullName():       true,
	(&masterpb.Response_GetState{}).ProtoReflect().Descriptor().FullName():      true,
	(&masterpb.Response_GetAgents{}).ProtoReflect().Descriptor().FullName():     true,
	(&masterpb.Response_GetFrameworks{}).ProtoReflect().Descriptor().FullName(): true,
	(&masterpb.Response_GetExecutors{}).ProtoReflect().Descriptor().FullName():  true,
	(&masterpb.Response_GetTasks{}).ProtoReflect().Descriptor().FullName():      true,
}

func appendOperatorJSON(b []byte, m protoreflect.Message) ([]byte, error) {
	lists, ok := jsonWrittenByField[m.Descriptor().FullName()]
	if !ok {
		return mesosjson.AppendMarshal(b, m.Interface())
	}
	b = append(b, '{')
	first := true
	key := func(f protoreflect.FieldDescriptor) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, f.Name()...)
		b = append(b, '"', ':')
	}
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		f := fields.Get(i)
		switch {
		case f.IsList():
			l := m.Get(f).List()
			if opts, _ := f.Options().(*descriptorpb.FieldOptions); opts.GetDeprecated() || (l.Len() == 0 && !lists) {
				continue
			}
			key(f)
			b = append(b, '[')
			for j := 0; j < l.Len(); j++ {
				if j > 0 {
					b = append(b, ',')
				}
				var err error
				if b, err = appendOperatorJSON(b, l.Get(j).Message()); err != nil {
					return b, err
				}
			}
			b = append(b, ']')
		case !m.Has(f):
		case f.Message() != nil && !f.IsMap():
			key(f)
			var err error
			if b, err = appendOperatorJSON(b, m.Get(f).Message()); err != nil {
				return b, err
			}
		default:
			// A scalar: let mesosjson write a message holding only it,
			// and keep the `"name":value` inside the braces.
			one := m.Type().New()
			one.Set(f, m.Get(f))
			js, err := mesosjson.Marshal(one.Interface())
			if err != nil {
				return b, err
			}
			js = bytes.TrimSuffix(bytes.TrimPrefix(js, []byte{'{'}), []byte{'}'})
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, js...)
		}
	}
	return append(b, '}'), nil
}
