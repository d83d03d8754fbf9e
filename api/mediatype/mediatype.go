package mediatype

import (
	"net/http"
	"strconv"
	"strings"
)

// The media types of the Mesos v1 HTTP APIs, as Mesos spells them
// (include/mesos/http.hpp).
const (
	ApplicationJSON     = "application/json"
	ApplicationProtobuf = "application/x-protobuf"
)

// Type is the encoding of a Call or of a response: JSON or protobuf. The
// zero Type is neither and is returned alongside errors.
type Type int

// The encodings Mesos supports.
const (
	JSON     Type = iota + 1 // application/json
	Protobuf                 // application/x-protobuf
)

// String returns the media type string of t, for use as a Content-Type.
func (t Type) String() string {
	switch t {
	case JSON:
		return ApplicationJSON
	case Protobuf:
		return ApplicationProtobuf
	}
	return "mediatype.Type(" + strconv.Itoa(int(t)) + ")"
}

// Error is a negotiation failure: the HTTP status code a Mesos master
// answers with and the exact text of its response body.
type Error struct {
	Status  int    // HTTP status code
	Message string // response body, exactly as Mesos sends it
}

// The negotiation failures, for use with [errors.Is].
var (
	// ErrMissingContentType: the request has no Content-Type header.
	ErrMissingContentType = Error{
		Status:  http.StatusBadRequest,
		Message: "Expecting 'Content-Type' to be present",
	}
	// ErrUnsupportedContentType: the Content-Type is neither media type.
	ErrUnsupportedContentType = Error{
		Status:  http.StatusUnsupportedMediaType,
		Message: "Expecting 'Content-Type' of " + ApplicationJSON + " or " + ApplicationProtobuf,
	}
	// ErrNotAcceptable: the Accept header allows neither media type.
	ErrNotAcceptable = Error{
		Status:  http.StatusNotAcceptable,
		Message: "Expecting 'Accept' to allow '" + ApplicationProtobuf + "' or '" + ApplicationJSON + "'",
	}
)

// Error returns the status code, its reason phrase and the message.
func (e Error) Error() string {
	return strconv.Itoa(e.Status) + " " + http.StatusText(e.Status) + ": " + e.Message
}

// ServeHTTP writes the response a Mesos master sends for e: the status code,
// the message as the body with no trailing newline, and Content-Type
// text/plain; charset=utf-8, libprocess's default for a response body.
func (e Error) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(e.Message)))
	w.WriteHeader(e.Status)
	_, _ = w.Write([]byte(e.Message))
}

// ParseContentType returns the encoding named by the value of a request's
// Content-Type header, "" meaning the header is absent. The value must be
// exactly [ApplicationJSON] or [ApplicationProtobuf]; there is no case
// folding, and parameters are not allowed. It fails with
// [ErrMissingContentType] (400) for "" and [ErrUnsupportedContentType] (415)
// for anything else.
func ParseContentType(header string) (Type, error) {
	return parseContentType(header, header != "")
}

// ParseContentTypeHeader is [ParseContentType] on a request's headers. An
// empty Content-Type header is present, so it fails with 415, not 400, and
// when the header is repeated the last value counts, as in Mesos.
func ParseContentTypeHeader(h http.Header) (Type, error) {
	v, ok := lastValue(h, "Content-Type")
	return parseContentType(v, ok)
}

func parseContentType(v string, present bool) (Type, error) {
	if !present {
		return 0, ErrMissingContentType
	}
	switch v {
	case ApplicationProtobuf:
		return Protobuf, nil
	case ApplicationJSON:
		return JSON, nil
	}
	return 0, ErrUnsupportedContentType
}

// Negotiate returns the encoding of the response to a request whose Accept
// header has the value accept, "" meaning the header is absent: [JSON] if
// accept allows application/json, else [Protobuf] if it allows
// application/x-protobuf, else [ErrNotAcceptable] (406). An absent header,
// like "*/*", yields JSON.
func Negotiate(accept string) (Type, error) {
	return negotiate(accept, accept != "")
}

// NegotiateHeader is [Negotiate] on a request's headers. An empty Accept
// header is present and allows nothing, so it fails with 406; when the
// header is repeated the last value counts, as in Mesos.
func NegotiateHeader(h http.Header) (Type, error) {
	v, ok := lastValue(h, "Accept")
	return negotiate(v, ok)
}

func negotiate(v string, present bool) (Type, error) {
	switch {
	case accepts(v, present, ApplicationJSON):
		return JSON, nil
	case accepts(v, present, ApplicationProtobuf):
		return Protobuf, nil
	}
	return 0, ErrNotAcceptable
}

// AcceptsMediaType reports whether an Accept header with the value accept
// allows mediaType ("type/subtype"), by the rules of libprocess's
// Request::acceptsMediaType described in the package documentation. An
// empty accept means the header is absent, which allows every media type.
// A mediaType that does not split into two parts at "/" is never accepted.
func AcceptsMediaType(accept, mediaType string) bool {
	return accepts(accept, accept != "", mediaType)
}

// HeaderAcceptsMediaType is [AcceptsMediaType] on the header called name
// ("Accept", or for example "Message-Accept") of a request's headers. A
// header that is present but empty allows nothing; when the header is
// repeated the last value counts, as in Mesos.
func HeaderAcceptsMediaType(h http.Header, name, mediaType string) bool {
	v, ok := lastValue(h, name)
	return accepts(v, ok, mediaType)
}

// lastValue returns the last value of the header called name, and whether
// there is one. libprocess's request decoder stores each header line into a
// map, so a later line with the same name replaces an earlier one.
func lastValue(h http.Header, name string) (string, bool) {
	vs := h.Values(name)
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// accepts implements libprocess's Request::_acceptsMediaType for a header
// with value field, present or not.
func accepts(field string, present bool, mediaType string) bool {
	parts := tokenize(mediaType, "/")
	if len(parts) != 2 {
		return false
	}
	if !present {
		return true
	}

	ranges := tokenize(stripWhitespace(field), ",")
	for _, candidate := range [...]string{mediaType, parts[0] + "/*", "*/*"} {
		for _, r := range ranges {
			params := tokenize(r, ";")
			if len(params) == 0 || !asciiEqualFold(params[0], candidate) {
				continue
			}
			q := qValues(params)
			if len(q) != 1 {
				return true // no q, or several: not a refusal
			}
			v, ok := parseQ(q[0])
			return ok && v > 0
		}
	}
	return false
}

// tokenize splits s at every byte in delims, dropping empty pieces, like
// stout's strings::tokenize.
func tokenize(s, delims string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r < 0x80 && strings.IndexByte(delims, byte(r)) >= 0
	})
}

// stripWhitespace removes every space, tab and line feed from s, as
// libprocess does before parsing Accept. Other bytes, '\r' included, stay.
func stripWhitespace(s string) string {
	if !strings.ContainsAny(s, " \t\n") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\n' {
			b = append(b, c)
		}
	}
	return string(b)
}

// asciiEqualFold compares a and b, folding only ASCII letters, as stout's
// strings::lower does in the C locale.
func asciiEqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

// qValues returns the values of the "q" parameters among params, the
// semicolon-separated pieces of one media range, the range itself
// included. Like stout's strings::pairs, it splits each piece at '=',
// dropping empty parts, and keeps only pieces that make exactly two parts.
func qValues(params []string) []string {
	var q []string
	for _, p := range params {
		kv := tokenize(p, "=")
		if len(kv) == 2 && kv[0] == "q" {
			q = append(q, kv[1])
		}
	}
	return q
}

// parseQ parses a q-value as Mesos's numify<double> does for the values it
// can meet here: a decimal floating-point number, optionally signed, or
// inf, infinity or nan in any case. Hexadecimal forms, which numify
// refuses for doubles, digit separators and out-of-range values fail.
func parseQ(s string) (float64, bool) {
	if strings.ContainsAny(s, "xX_") {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
