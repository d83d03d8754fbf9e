package mediatype_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
)

// FuzzDecodeCall feeds arbitrary bodies to the master's Call decoder in
// both encodings. It must never panic, every failure must be a 400 with
// Mesos's text, and the encoding of every accepted Call must be a fixed
// point: decoding it and encoding again gives the same bytes. (Equality of
// messages is too strong for JSON: Mesos writes unset fields that have a
// default, which then decode as set.)
func FuzzDecodeCall(f *testing.F) {
	f.Add(true, []byte(`{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n"}}}`))
	f.Add(true, []byte(`{"framework_id":{"value":"f"},"type":"ACKNOWLEDGE","acknowledge":{"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":"AAECAwQFBgcICQoLDA0ODw=="}}`))
	f.Add(false, []byte("\x08\x01\x1a\x0c\x0a\x0a\x0a\x01\x75\x12\x01\x6e"))
	f.Add(false, []byte{})
	f.Add(false, []byte{0x08, 0x80})
	f.Fuzz(func(t *testing.T, isJSON bool, body []byte) {
		typ := mediatype.Protobuf
		if isJSON {
			typ = mediatype.JSON
		}
		h := http.Header{"Content-Type": {typ.String()}}
		var call schedulerpb.Call
		if _, err := mediatype.DecodeCall(h, body, &call); err != nil {
			var me mediatype.Error
			if !errors.As(err, &me) || me.Status != http.StatusBadRequest {
				t.Fatalf("DecodeCall error = %v, want a 400 mediatype.Error", err)
			}
			return
		}
		b, err := mediatype.Encode(typ, &call)
		if err != nil {
			// Mesos's JSON cannot write an enum number that its enum does
			// not name; protobuf can carry it. Nothing else may fail.
			if isJSON {
				t.Fatalf("Encode of a decoded JSON Call: %v", err)
			}
			return
		}
		var again schedulerpb.Call
		if _, err := mediatype.DecodeCall(h, b, &again); err != nil {
			t.Fatalf("re-decoding %q: %v", b, err)
		}
		b2, err := mediatype.Encode(typ, &again)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		if diff := cmp.Diff(string(b), string(b2)); diff != "" {
			t.Fatalf("encoding is not a fixed point (-first +second):\n%s", diff)
		}
		if !isJSON {
			if diff := cmp.Diff(&call, &again, protocmp.Transform()); diff != "" {
				t.Fatalf("protobuf round trip changed the Call (-first +second):\n%s", diff)
			}
		}
	})
}
