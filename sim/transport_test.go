package sim_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mesos-sim/mesos-sim/sim"
)

func TestHandlerTransport(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, r.Method+" "+r.URL.Path+" "+string(body))
	})
	mux.HandleFunc("/panic", func(http.ResponseWriter, *http.Request) { panic("boom") })
	client := &http.Client{Transport: sim.HandlerTransport{Handler: mux}}

	resp, err := client.Post("http://sim/hello", "text/plain", strings.NewReader("ping"))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || string(got) != "POST /hello ping" || resp.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("got %d %q %v", resp.StatusCode, got, resp.Header)
	}

	resp, err = client.Get("http://sim/missing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: status %d, want 404", resp.StatusCode)
	}

	resp, err = client.Get("http://sim/panic")
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || err == nil {
		t.Errorf("panicking handler: status %d, body error %v; want 500 and an error", resp.StatusCode, err)
	}
}

// A streaming handler's writes reach the client as they happen, and the
// client hanging up cancels the handler's context. Runs in a synctest
// bubble, which also proves no goroutine is left behind.
func TestHandlerTransportStreamAndHangUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		handlerDone := make(chan error, 1)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
			for i := 0; ; i++ {
				if _, err := io.WriteString(w, "event\n"); err != nil {
					handlerDone <- err
					return
				}
				select {
				case <-r.Context().Done():
					handlerDone <- r.Context().Err()
					return
				case <-time.After(time.Second):
				}
			}
		})
		client := &http.Client{Transport: sim.HandlerTransport{Handler: h}}
		resp, err := client.Get("http://sim/stream")
		if err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(resp.Body)
		for range 3 {
			line, err := br.ReadString('\n')
			if err != nil || line != "event\n" {
				t.Fatalf("ReadString = %q, %v", line, err)
			}
		}
		resp.Body.Close()
		if err := <-handlerDone; err == nil {
			t.Error("handler saw no hang-up")
		}
	})
}

func TestHandlerTransportRequestContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		block := make(chan struct{})
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done()
			close(block)
		})
		ctx, cancel := context.WithCancel(t.Context())
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://sim/", nil)
		go cancel()
		if _, err := (sim.HandlerTransport{Handler: h}).RoundTrip(req); err == nil {
			t.Error("RoundTrip of a cancelled request succeeded")
		}
		<-block
	})
}
