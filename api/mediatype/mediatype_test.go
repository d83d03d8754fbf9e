package mediatype

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const (
	msg400 = "Expecting 'Content-Type' to be present"
	msg415 = "Expecting 'Content-Type' of application/json or application/x-protobuf"
	msg406 = "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'"
)

func TestTypeString(t *testing.T) {
	tests := []struct {
		t    Type
		want string
	}{
		{JSON, "application/json"},
		{Protobuf, "application/x-protobuf"},
		{0, "mediatype.Type(0)"},
		{3, "mediatype.Type(3)"},
	}
	for _, tt := range tests {
		if got := tt.t.String(); got != tt.want {
			t.Errorf("Type(%d).String() = %q, want %q", int(tt.t), got, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		err        Error
		wantStatus int
		wantMsg    string
		wantError  string
	}{
		{ErrMissingContentType, 400, msg400, "400 Bad Request: " + msg400},
		{ErrUnsupportedContentType, 415, msg415, "415 Unsupported Media Type: " + msg415},
		{ErrNotAcceptable, 406, msg406, "406 Not Acceptable: " + msg406},
	}
	for _, tt := range tests {
		t.Run(tt.wantMsg, func(t *testing.T) {
			if tt.err.Status != tt.wantStatus || tt.err.Message != tt.wantMsg {
				t.Errorf("got %d %q, want %d %q", tt.err.Status, tt.err.Message, tt.wantStatus, tt.wantMsg)
			}
			if got := tt.err.Error(); got != tt.wantError {
				t.Errorf("Error() = %q, want %q", got, tt.wantError)
			}

			wrapped := fmt.Errorf("handling call: %w", tt.err)
			if !errors.Is(wrapped, tt.err) {
				t.Errorf("errors.Is(wrapped, %v) = false", tt.err)
			}
			var e Error
			if !errors.As(wrapped, &e) || e != tt.err {
				t.Errorf("errors.As = %v, %v", e, errors.As(wrapped, &e))
			}

			rec := httptest.NewRecorder()
			tt.err.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/api/v1/scheduler", nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("ServeHTTP status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Body.String(); got != tt.wantMsg {
				t.Errorf("ServeHTTP body = %q, want %q", got, tt.wantMsg)
			}
			if got := rec.Header().Get("Content-Type"); got != "text/plain; charset=utf-8" {
				t.Errorf("ServeHTTP Content-Type = %q", got)
			}
		})
	}
	if errors.Is(ErrNotAcceptable, ErrUnsupportedContentType) || errors.Is(ErrMissingContentType, ErrUnsupportedContentType) {
		t.Error("distinct errors compare equal")
	}
}

func TestParseContentType(t *testing.T) {
	tests := []struct {
		header  string
		want    Type
		wantErr error
	}{
		{"application/json", JSON, nil},
		{"application/x-protobuf", Protobuf, nil},
		{"", 0, ErrMissingContentType},
		{"application/json; charset=utf-8", 0, ErrUnsupportedContentType},
		{"application/json;charset=utf-8", 0, ErrUnsupportedContentType},
		{"Application/JSON", 0, ErrUnsupportedContentType},
		{"APPLICATION/X-PROTOBUF", 0, ErrUnsupportedContentType},
		{" application/json", 0, ErrUnsupportedContentType},
		{"application/json ", 0, ErrUnsupportedContentType},
		{"application/x-protobuf;", 0, ErrUnsupportedContentType},
		{"application/protobuf", 0, ErrUnsupportedContentType},
		{"application/recordio", 0, ErrUnsupportedContentType},
		{"text/plain", 0, ErrUnsupportedContentType},
		{"*/*", 0, ErrUnsupportedContentType},
		{"application/*", 0, ErrUnsupportedContentType},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			got, err := ParseContentType(tt.header)
			if got != tt.want || err != tt.wantErr {
				t.Errorf("ParseContentType(%q) = %v, %v; want %v, %v", tt.header, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseContentTypeHeader(t *testing.T) {
	tests := []struct {
		name    string
		values  []string // nil: header absent
		want    Type
		wantErr error
	}{
		{"absent", nil, 0, ErrMissingContentType},
		{"empty is present", []string{""}, 0, ErrUnsupportedContentType},
		{"json", []string{"application/json"}, JSON, nil},
		{"protobuf", []string{"application/x-protobuf"}, Protobuf, nil},
		{"with charset", []string{"application/json; charset=utf-8"}, 0, ErrUnsupportedContentType},
		{"repeated, last wins", []string{"application/json", "application/x-protobuf"}, Protobuf, nil},
		{"repeated, last is bad", []string{"application/json", "text/plain"}, 0, ErrUnsupportedContentType},
		{"repeated, last is empty", []string{"application/json", ""}, 0, ErrUnsupportedContentType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.values {
				h.Add("content-type", v)
			}
			got, err := ParseContentTypeHeader(h)
			if got != tt.want || err != tt.wantErr {
				t.Errorf("ParseContentTypeHeader(%q) = %v, %v; want %v, %v", tt.values, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestAcceptsMediaType(t *testing.T) {
	const (
		json = ApplicationJSON
		pb   = ApplicationProtobuf
	)
	tests := []struct {
		name      string
		accept    string
		mediaType string
		want      bool
	}{
		// Presence and wildcards.
		{"absent accepts json", "", json, true},
		{"absent accepts protobuf", "", pb, true},
		{"absent accepts anything", "", "text/html", true},
		{"only whitespace is present and empty", " \t ", json, false},
		{"star star", "*/*", json, true},
		{"star star protobuf", "*/*", pb, true},
		{"exact", "application/json", json, true},
		{"other exact", "application/json", pb, false},
		{"type wildcard json", "application/*", json, true},
		{"type wildcard protobuf", "application/*", pb, true},
		{"other type wildcard", "text/*", json, false},
		{"other type", "text/html", json, false},
		{"subtype wildcard alone is not */*", "*/json", json, false},
		{"bare star is not */*", "*", json, false},
		{"among others", "text/html, application/xhtml+xml, application/json", json, true},
		{"suffix does not match", "application/json+foo", json, false},
		{"prefix does not match", "application/jsonx", json, false},
		{"recordio does not match", "application/recordio", json, false},

		// Case, whitespace and empty pieces.
		{"upper case", "APPLICATION/JSON", json, true},
		{"mixed case protobuf", "Application/X-Protobuf", pb, true},
		{"upper case wildcard", "APPLICATION/*", pb, true},
		{"spaces removed everywhere", " application / json ", json, true},
		{"tab removed", "application/\tjson", json, true},
		{"line feed removed", "application/json,\n*/*;q=0", json, true},
		{"carriage return kept", "application/json\r", json, false},
		{"empty ranges dropped", ",,application/json,,", json, true},
		{"leading semicolon dropped", ";application/json", json, true},
		{"trailing semicolon", "application/json;", json, true},
		{"non-q parameter", "application/json;charset=utf-8", json, true},
		{"non-q parameter and q=0", "application/json;charset=utf-8;q=0", json, false},

		// q-values.
		{"q=0", "application/json;q=0", json, false},
		{"q=0 with spaces", "application/json; q = 0", json, false},
		{"q=0.0", "application/json;q=0.0", json, false},
		{"q=0.000", "application/json;q=0.000", json, false},
		{"q=-0", "application/json;q=-0", json, false},
		{"q=0.001", "application/json;q=0.001", json, true},
		{"q=1", "application/json;q=1", json, true},
		{"q=1.0", "application/json;q=1.0", json, true},
		{"q above 1", "application/json;q=2", json, true},
		{"negative q", "application/json;q=-1", json, false},
		{"leading dot", "application/json;q=.5", json, true},
		{"trailing dot", "application/json;q=1.", json, true},
		{"exponent", "application/json;q=1e-3", json, true},
		{"plus sign", "application/json;q=+0.5", json, true},
		{"infinity", "application/json;q=inf", json, true},
		{"nan", "application/json;q=nan", json, false},
		{"overflow", "application/json;q=1e999", json, false},
		{"not a number", "application/json;q=abc", json, false},
		{"quoted", `application/json;q="0.5"`, json, false},
		{"hex", "application/json;q=0x1", json, false},
		{"hex float", "application/json;q=0x1p0", json, false},
		{"digit separator", "application/json;q=1_0", json, false},
		{"trailing garbage", "application/json;q=0.5x", json, false},
		{"empty q value is no q", "application/json;q=", json, true},
		{"bare q is no q", "application/json;q", json, true},
		{"upper-case Q is no q", "application/json;Q=0", json, true},
		{"two q values are no q", "application/json;q=0;q=0", json, true},
		{"q with two equals signs", "application/json;q=0=1", json, true},
		{"q==0 is q=0", "application/json;q==0", json, false},
		{"=q=0 is q=0", "application/json;=q=0", json, false},

		// Precedence: exact, then type/*, then */*; first match decides.
		{"exact refusal beats */*", "application/json;q=0, */*", json, false},
		{"exact beats refused */*", "*/*;q=0, application/json", json, true},
		{"refused */*", "*/*;q=0", json, false},
		{"type wildcard refusal beats */*", "application/*;q=0, */*", json, false},
		{"type wildcard refusal regardless of order", "*/*, application/*;q=0", json, false},
		{"exact beats refused type wildcard", "application/*;q=0, application/json", json, true},
		{"first exact match decides (refused)", "application/json;q=0, application/json", json, false},
		{"first exact match decides (accepted)", "application/json, application/json;q=0", json, true},
		{"refused other type does not matter", "text/*;q=0, application/json", json, true},

		// The media type argument.
		{"media type without slash", "", "application", false},
		{"media type with three parts", "*/*", "application/json/x", false},
		{"media type with empty type", "*/*", "/json", false},
		{"media type empty", "", "", false},
		{"doubled slash tokenizes to two parts", "*/*", "application//json", true},
		{"media type case-insensitive", "application/json", "APPLICATION/JSON", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AcceptsMediaType(tt.accept, tt.mediaType); got != tt.want {
				t.Errorf("AcceptsMediaType(%q, %q) = %v, want %v", tt.accept, tt.mediaType, got, tt.want)
			}
			// The header form agrees whenever the header is present.
			if tt.accept != "" {
				h := http.Header{"Accept": {tt.accept}}
				if got := HeaderAcceptsMediaType(h, "Accept", tt.mediaType); got != tt.want {
					t.Errorf("HeaderAcceptsMediaType(%q, %q) = %v, want %v", tt.accept, tt.mediaType, got, tt.want)
				}
			}
		})
	}
}

func TestHeaderAcceptsMediaType(t *testing.T) {
	tests := []struct {
		name      string
		header    http.Header
		field     string
		mediaType string
		want      bool
	}{
		{"absent", http.Header{}, "Accept", ApplicationProtobuf, true},
		{"present and empty", http.Header{"Accept": {""}}, "Accept", ApplicationJSON, false},
		{"field name is case-insensitive", http.Header{"Accept": {"application/json"}}, "accept", ApplicationJSON, true},
		{"last value wins (refused)", http.Header{"Accept": {"application/json", "text/html"}}, "Accept", ApplicationJSON, false},
		{"last value wins (accepted)", http.Header{"Accept": {"text/html", "application/json"}}, "Accept", ApplicationJSON, true},
		{"other field", http.Header{"Message-Accept": {"application/x-protobuf"}}, "Message-Accept", ApplicationJSON, false},
		{"other field absent", http.Header{"Accept": {"text/html"}}, "Message-Accept", ApplicationJSON, true},
		{"bad media type even when absent", http.Header{}, "Accept", "json", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HeaderAcceptsMediaType(tt.header, tt.field, tt.mediaType); got != tt.want {
				t.Errorf("HeaderAcceptsMediaType(%v, %q, %q) = %v, want %v", tt.header, tt.field, tt.mediaType, got, tt.want)
			}
		})
	}
}

func TestNegotiate(t *testing.T) {
	tests := []struct {
		name    string
		accept  string
		want    Type
		wantErr error
	}{
		{"absent", "", JSON, nil},
		{"star star", "*/*", JSON, nil},
		{"json", "application/json", JSON, nil},
		{"protobuf", "application/x-protobuf", Protobuf, nil},
		{"type wildcard", "application/*", JSON, nil},
		{"json wins over protobuf listed first", "application/x-protobuf, application/json", JSON, nil},
		{"json wins whatever the q-values", "application/x-protobuf;q=1, application/json;q=0.001", JSON, nil},
		{"json refused, protobuf listed", "application/json;q=0, application/x-protobuf", Protobuf, nil},
		{"json refused, protobuf by */*", "application/json;q=0, */*", Protobuf, nil},
		{"json refused, protobuf by type wildcard", "application/json;q=0, application/*", Protobuf, nil},
		{"protobuf with a parameter", "application/x-protobuf;v=1", Protobuf, nil},
		{"json with charset", "application/json; charset=utf-8", JSON, nil},
		{"curl default", "*/*", JSON, nil},
		{"browser", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON, nil},
		{"neither", "text/html", 0, ErrNotAcceptable},
		{"recordio", "application/recordio", 0, ErrNotAcceptable},
		{"protobuf refused, json not listed", "application/x-protobuf;q=0", 0, ErrNotAcceptable},
		{"both refused", "application/json;q=0, application/x-protobuf;q=0, */*", 0, ErrNotAcceptable},
		{"type wildcard refused", "application/*;q=0, */*", 0, ErrNotAcceptable},
		{"star star refused", "*/*;q=0", 0, ErrNotAcceptable},
		{"only whitespace", "  ", 0, ErrNotAcceptable},
		{"only commas", ",,", 0, ErrNotAcceptable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Negotiate(tt.accept)
			if got != tt.want || err != tt.wantErr {
				t.Errorf("Negotiate(%q) = %v, %v; want %v, %v", tt.accept, got, err, tt.want, tt.wantErr)
			}
			if err != nil {
				var e Error
				if !errors.As(err, &e) || e.Status != http.StatusNotAcceptable || e.Message != msg406 {
					t.Errorf("Negotiate(%q) error = %#v, want 406 %q", tt.accept, e, msg406)
				}
			}
		})
	}
}

func TestNegotiateHeader(t *testing.T) {
	tests := []struct {
		name    string
		values  []string // nil: header absent
		want    Type
		wantErr error
	}{
		{"absent", nil, JSON, nil},
		{"empty is present and allows nothing", []string{""}, 0, ErrNotAcceptable},
		{"protobuf", []string{"application/x-protobuf"}, Protobuf, nil},
		{"repeated, last wins", []string{"text/html", "application/x-protobuf"}, Protobuf, nil},
		{"repeated, last refuses", []string{"application/json", "text/html"}, 0, ErrNotAcceptable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.values {
				h.Add("accept", v)
			}
			got, err := NegotiateHeader(h)
			if got != tt.want || err != tt.wantErr {
				t.Errorf("NegotiateHeader(%q) = %v, %v; want %v, %v", tt.values, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		s, delims string
		want      []string
	}{
		{"", ",", nil},
		{",,,", ",", nil},
		{"a", ",", []string{"a"}},
		{",a,,b,", ",", []string{"a", "b"}},
		{"q=0=1", "=", []string{"q", "0", "1"}},
		{"a;b,c", ";,", []string{"a", "b", "c"}},
		{"\xff,\xfe", ",", []string{"\xff", "\xfe"}},
	}
	for _, tt := range tests {
		got := tokenize(tt.s, tt.delims)
		if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("tokenize(%q, %q) (-want +got):\n%s", tt.s, tt.delims, diff)
		}
	}
}
