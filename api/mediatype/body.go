package mediatype

import (
	"errors"
	"net/http"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesosjson"
)

// DecodeCall decodes the body of a Call request into m as a Mesos master
// does in its scheduler and operator endpoints (src/master/http.cpp), in the
// master's order:
//
//  1. no Content-Type header: 400 "Expecting 'Content-Type' to be present";
//  2. application/x-protobuf that does not parse, a missing required field
//     included: 400 "Failed to parse body into Call protobuf";
//  3. application/json that is not JSON: 400 "Failed to parse body into
//     JSON: ..."; JSON that does not convert into m: 400 "Failed to convert
//     JSON into Call protobuf: ...";
//  4. any other Content-Type: 415.
//
// So a malformed body is reported before an unsupported Content-Type can
// be, exactly as Mesos reports it. Every error is an [Error] carrying the
// status code and Mesos's body text. m is reset first.
func DecodeCall(h http.Header, body []byte, m proto.Message) (Type, error) {
	t, err := ParseContentTypeHeader(h)
	if err != nil {
		return 0, err
	}
	switch t {
	case Protobuf:
		if err := proto.Unmarshal(body, m); err != nil {
			return 0, Error{Status: http.StatusBadRequest, Message: "Failed to parse body into Call protobuf"}
		}
	case JSON:
		if err := mesosjson.Unmarshal(body, m); err != nil {
			return 0, jsonError(err)
		}
	}
	return t, nil
}

// jsonError maps a mesosjson failure to the master's 400 answer.
func jsonError(err error) Error {
	var se *mesosjson.SyntaxError
	if errors.As(err, &se) {
		return Error{Status: http.StatusBadRequest, Message: "Failed to parse body into JSON: " + se.Msg}
	}
	var ce *mesosjson.ConversionError
	if errors.As(err, &ce) {
		return Error{Status: http.StatusBadRequest, Message: "Failed to convert JSON into Call protobuf: " + ce.Msg}
	}
	return Error{Status: http.StatusBadRequest, Message: "Failed to convert JSON into Call protobuf: " + err.Error()}
}

// Encode encodes m in t's encoding, as the master writes a response body or
// one record of an event stream: protobuf with deterministic map order (so a
// seeded run replays byte for byte), or Mesos's JSON ([mesosjson.Marshal]).
func Encode(t Type, m proto.Message) ([]byte, error) {
	return AppendEncode(nil, t, m)
}

// AppendEncode is [Encode] appending to dst.
func AppendEncode(dst []byte, t Type, m proto.Message) ([]byte, error) {
	switch t {
	case Protobuf:
		return proto.MarshalOptions{Deterministic: true}.MarshalAppend(dst, m)
	case JSON:
		return mesosjson.AppendMarshal(dst, m)
	}
	return dst, errors.New("mediatype: encode: no media type chosen (" + t.String() + ")")
}
