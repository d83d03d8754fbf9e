package control

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRecoverAnswersPanicsWith500(t *testing.T) {
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	h := recoverJSON(log, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/sim/v1/cluster", nil))
	if rec.Code != http.StatusInternalServerError || rec.Body.String() != `{"error":"internal error: boom"}`+"\n" {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
	if !strings.Contains(logged.String(), "panic=boom") || !strings.Contains(logged.String(), "path=/sim/v1/cluster") {
		t.Errorf("log: %s", logged.String())
	}
}

// A panic after the answer began cannot change its status; the answer is
// left as it was and the panic is only logged.
func TestRecoverAfterWriting(t *testing.T) {
	h := recoverJSON(slog.New(slog.DiscardHandler), http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		w.Write([]byte("partial"))
		panic("late")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "partial" {
		t.Errorf("got %d %q", rec.Code, rec.Body)
	}
}

func TestRecoverPassesAbortHandler(t *testing.T) {
	h := recoverJSON(slog.New(slog.DiscardHandler), http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	defer func() {
		if v := recover(); v != http.ErrAbortHandler {
			t.Errorf("recovered %v, want http.ErrAbortHandler", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	t.Error("ErrAbortHandler was swallowed")
}
