package control_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mesos-sim/mesos-sim/control"
)

func TestClient(t *testing.T) {
	c, srv := newServer(t)
	mux := http.NewServeMux()
	mux.Handle("/", c.Handler())
	mux.Handle(control.Prefix, srv)
	ts := httptest.NewServer(mux)
	defer ts.Close()
	cl := control.NewClient(ts.URL + "/")
	ctx := context.Background()

	info, err := cl.Cluster(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Seed != 11 || len(info.Agents) != 2 || info.Clock != "manual" {
		t.Errorf("cluster %+v", info)
	}
	a, err := cl.AddAgent(ctx, control.AddAgentRequest{Resources: "cpus:1;mem:128"})
	if err != nil || a.Name != "agent-3" || !a.Registered {
		t.Fatalf("AddAgent: %+v, %v", a, err)
	}
	a, err = cl.RemoveAgent(ctx, "agent-3")
	if err != nil || !a.Removed {
		t.Fatalf("RemoveAgent: %+v, %v", a, err)
	}
	ci, err := cl.Advance(ctx, 45*time.Second)
	if err != nil || ci.Elapsed != "45s" {
		t.Fatalf("Advance: %+v, %v", ci, err)
	}
	trace, err := cl.Trace(ctx)
	if err != nil || !strings.Contains(trace, "agent-3") {
		t.Errorf("Trace: %v\n%s", err, trace)
	}

	_, err = cl.RemoveAgent(ctx, "agent-3")
	var apiErr *control.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusConflict || err.Error() != "agent agent-3 was already removed (409 Conflict)" {
		t.Errorf("second RemoveAgent: %v", err)
	}
	_, err = cl.AddAgent(ctx, control.AddAgentRequest{Resources: "cpus"})
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest {
		t.Errorf("bad AddAgent: %v", err)
	}
}

// A simulator that is not there gives a message that says so.
func TestClientUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	_, err = control.NewClient("http://" + addr).Cluster(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "cannot reach mesos-sim at http://"+addr+" (is it running? start it with: mesos-sim): ") {
		t.Errorf("error %v", err)
	}
}

// A non-JSON error answer (a proxy, another server) is shown as its text.
func TestClientPlainError(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "teapot here", http.StatusTeapot)
	}))
	defer ts.Close()
	_, err := control.NewClient(ts.URL).MasterState(context.Background())
	if err == nil || err.Error() != "teapot here (418 I'm a teapot)" {
		t.Errorf("error %v", err)
	}
}
