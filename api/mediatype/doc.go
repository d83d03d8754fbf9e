// Package mediatype implements content negotiation for the Mesos v1 HTTP
// APIs (/api/v1/scheduler and /api/v1) exactly as an Apache Mesos master
// does it, including its status codes and response texts.
//
// Mesos speaks two media types, [ApplicationJSON] and [ApplicationProtobuf].
// The master decides them in two steps (Master::Http::scheduler and
// Master::Http::api in src/master/http.cpp):
//
//  1. The request's Content-Type says how the Call in the body is encoded.
//     It must be present (else 400 Bad Request, "Expecting 'Content-Type'
//     to be present") and byte-for-byte equal to one of the two media types:
//     no parameters, no case folding, no surrounding text. Anything else,
//     "application/json; charset=utf-8" included, is 415 Unsupported Media
//     Type, "Expecting 'Content-Type' of application/json or
//     application/x-protobuf". See [ParseContentType].
//  2. The request's Accept header chooses the encoding of the response: JSON
//     if Accept allows application/json, otherwise protobuf if it allows
//     application/x-protobuf, otherwise 406 Not Acceptable, "Expecting
//     'Accept' to allow 'application/x-protobuf' or 'application/json'".
//     See [Negotiate].
//
// The master reads Content-Type and the body together, in one pass: a
// missing Content-Type is 400, a protobuf or JSON body that does not decode
// is 400 (with the texts given at [DecodeCall]), and only then is any other
// Content-Type 415. It then validates the Call, and only then looks at
// Accept. The operator API (/api/v1)
// negotiates Accept for every call. The scheduler API negotiates it only
// for SUBSCRIBE and RECONCILE_OPERATIONS, whose responses have a body; for
// the other calls it ignores Accept entirely. A SUBSCRIBE response carries
// the negotiated type, [Type.String], as its Content-Type, and each RecordIO
// record of the event stream is encoded in it.
//
// # Accept
//
// [AcceptsMediaType] implements libprocess's Request::acceptsMediaType
// (3rdparty/libprocess/src/http.cpp), which is simpler than RFC 9110:
//
//   - An absent header accepts every media type. A header that is present
//     but empty accepts none.
//   - Spaces, tabs and line feeds are removed from the whole header first.
//     The header is then split at commas into media ranges, and each range
//     at semicolons into the range and its parameters; empty pieces are
//     dropped.
//   - The exact type ("application/json") is looked for first, among all
//     ranges, left to right; then its type wildcard ("application/*"); then
//     "*/*". Ranges compare ASCII case-insensitively. The first range that
//     matches decides, and no other range is considered, so
//     "application/json;q=0, */*" refuses JSON.
//   - The matching range is accepted unless it has exactly one "q" parameter
//     (the name is case-sensitive) whose value is not a decimal number
//     greater than zero. Several q parameters, or none, mean accepted; a
//     quoted or hexadecimal q value means refused.
//   - q-values only accept or refuse; they never rank. Because the master
//     asks about JSON before protobuf, JSON wins whenever both are accepted,
//     whatever their q-values: "application/x-protobuf, application/json;q=0.1"
//     yields JSON.
//
// # Headers that are absent, empty or repeated
//
// Mesos distinguishes an absent header from an empty one, which Go's
// Header.Get cannot. The string functions ([ParseContentType], [Negotiate]
// and [AcceptsMediaType]) treat "" as an absent header, the common case and
// the safe reading of Header.Get. The [http.Header] functions
// ([ParseContentTypeHeader], [NegotiateHeader] and [HeaderAcceptsMediaType])
// follow Mesos exactly: an absent header is absent, an empty one is empty,
// and when a header is repeated the last value counts, as libprocess's
// request decoder keeps only the last.
//
// # Message-Content-Type and Message-Accept
//
// These headers describe the records inside a streamed request or response
// body. Only the agent's operator API uses them (src/slave/http.cpp and the
// I/O switchboard); the master's /api/v1 handler, SUBSCRIBE included, never
// reads them, so this package does not interpret them either. Should they
// be needed, [HeaderAcceptsMediaType] with name "Message-Accept" applies the
// same rules libprocess applies to them.
//
// # Usage
//
// In an HTTP handler for /api/v1/scheduler:
//
//	var call schedulerpb.Call
//	if _, err := mediatype.DecodeCall(r.Header, body, &call); err != nil {
//		err.(mediatype.Error).ServeHTTP(w, r) // 400 or 415, Mesos's text
//		return
//	}
//	// ... validate the Call ...
//	if isSubscribe {
//		respType, err := mediatype.NegotiateHeader(r.Header)
//		if err != nil {
//			err.(mediatype.Error).ServeHTTP(w, r) // 406
//			return
//		}
//		w.Header().Set("Content-Type", respType.String())
//		// ... stream events: recordio frames of mediatype.Encode(respType, event) ...
//	}
//
// Errors are values of type [Error], comparable with [errors.Is] against
// [ErrMissingContentType], [ErrUnsupportedContentType] and
// [ErrNotAcceptable].
package mediatype
