package mediatype_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
)

func ExampleNegotiate() {
	for _, accept := range []string{
		"", // no Accept header
		"*/*",
		"application/x-protobuf",
		"application/x-protobuf, application/json;q=0.1", // JSON is asked about first
		"application/json;q=0, */*",
		"text/html",
	} {
		t, err := mediatype.Negotiate(accept)
		if err != nil {
			fmt.Printf("%q: %v\n", accept, err)
			continue
		}
		fmt.Printf("%q: %v\n", accept, t)
	}
	// Output:
	// "": application/json
	// "*/*": application/json
	// "application/x-protobuf": application/x-protobuf
	// "application/x-protobuf, application/json;q=0.1": application/json
	// "application/json;q=0, */*": application/x-protobuf
	// "text/html": 406 Not Acceptable: Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'
}

func ExampleParseContentType() {
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", ""} {
		t, err := mediatype.ParseContentType(ct)
		var e mediatype.Error
		if errors.As(err, &e) {
			fmt.Printf("%q: %d %s\n", ct, e.Status, e.Message)
			continue
		}
		fmt.Printf("%q: %v\n", ct, t)
	}
	// Output:
	// "application/json": application/json
	// "application/json; charset=utf-8": 415 Expecting 'Content-Type' of application/json or application/x-protobuf
	// "": 400 Expecting 'Content-Type' to be present
}

func ExampleError_ServeHTTP() {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/scheduler", nil)
	req.Header.Set("Content-Type", "text/plain")

	rec := httptest.NewRecorder()
	if _, err := mediatype.ParseContentTypeHeader(req.Header); err != nil {
		err.(mediatype.Error).ServeHTTP(rec, req)
	}
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 415 Expecting 'Content-Type' of application/json or application/x-protobuf
}
