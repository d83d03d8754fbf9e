package sim

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// HandlerTransport is an http.RoundTripper that serves each request with an
// http.Handler in memory: no sockets, no ports, no TCP. Streaming responses
// (a SUBSCRIBE event stream) work: the response is returned as soon as the
// handler writes its header, and its body yields what the handler writes,
// when it writes it. Closing the response body cancels the request's
// context on the handler's side, as a client that hangs up would.
//
// Because it uses only goroutines, channels and io.Pipe, a client built on
// it can run inside a testing/synctest bubble.
type HandlerTransport struct {
	Handler http.Handler
}

// RoundTrip serves req with the handler.
func (t HandlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancel(req.Context())
	sreq := req.Clone(ctx)
	sreq.RequestURI = req.URL.RequestURI()
	sreq.RemoteAddr = "127.0.0.1:0"
	if sreq.Host == "" {
		sreq.Host = req.URL.Host
	}
	if req.Body == nil {
		sreq.Body = http.NoBody
	}

	pr, pw := io.Pipe()
	w := &pipeResponseWriter{header: http.Header{}, pw: pw, ready: make(chan struct{})}
	go func() {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					// The connection breaks: before the header, the
					// request fails; after it, the body ends early.
					w.once.Do(func() { w.aborted = true; close(w.ready) })
					pw.CloseWithError(io.ErrUnexpectedEOF)
				} else {
					pw.CloseWithError(fmt.Errorf("sim: handler panicked: %v", v))
				}
				w.markReady(http.StatusInternalServerError)
				return
			}
			w.markReady(http.StatusOK)
			pw.Close()
		}()
		t.Handler.ServeHTTP(w, sreq)
	}()

	select {
	case <-w.ready:
	case <-req.Context().Done():
		cancel()
		pr.CloseWithError(req.Context().Err())
		return nil, req.Context().Err()
	}
	if w.aborted {
		cancel()
		return nil, fmt.Errorf("sim: the server closed the connection without an answer: %w", io.ErrUnexpectedEOF)
	}
	resp := &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.sent,
		Body:          &responseBody{pr: pr, cancel: cancel},
		ContentLength: -1,
		Request:       req,
	}
	if cl := w.sent.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err == nil {
			resp.ContentLength = n
		}
	}
	if req.Method == http.MethodHead {
		resp.Body = http.NoBody
	}
	return resp, nil
}

// responseBody is the client's end of the pipe; closing it hangs up.
type responseBody struct {
	pr     *io.PipeReader
	cancel context.CancelFunc
}

func (b *responseBody) Read(p []byte) (int, error) { return b.pr.Read(p) }

func (b *responseBody) Close() error {
	b.cancel()
	return b.pr.CloseWithError(io.ErrClosedPipe)
}

// pipeResponseWriter is the handler's end.
type pipeResponseWriter struct {
	header http.Header
	pw     *io.PipeWriter

	once    sync.Once
	ready   chan struct{}
	aborted bool // the handler aborted before the header (set in once)
	status  int
	sent    http.Header // header as of WriteHeader
}

func (w *pipeResponseWriter) Header() http.Header { return w.header }

func (w *pipeResponseWriter) WriteHeader(code int) { w.markReady(code) }

func (w *pipeResponseWriter) markReady(code int) {
	w.once.Do(func() {
		w.status = code
		w.sent = w.header.Clone()
		close(w.ready)
	})
}

func (w *pipeResponseWriter) Write(p []byte) (int, error) {
	w.markReady(http.StatusOK)
	return w.pw.Write(p)
}

// Flush is a no-op: the pipe hands every write to the reader directly.
func (w *pipeResponseWriter) Flush() {}
