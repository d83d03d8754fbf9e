package sim

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/mesos-sim/mesos-sim/api/mediatype"
)

// noLeader answers as a master that knows no leader (Master::Http::redirect
// while an election runs): 503 "No leader elected" on every endpoint that
// redirects, 200 on the health checks.
func noLeader(w http.ResponseWriter, r *http.Request) bool {
	switch r.URL.Path {
	case "/health", "/master/health":
		w.WriteHeader(http.StatusOK)
		return true
	}
	mediatype.Error{Status: http.StatusServiceUnavailable, Message: "No leader elected"}.ServeHTTP(w, r)
	return true
}

// StandbyHandler serves a master that is not the leader, as a framework
// configured with several master addresses may reach one: every endpoint
// that Mesos redirects answers 307 with a protocol-relative Location on the
// leader (//host:port/path), /master/redirect points at the leader's base
// URL, and while no leader is elected (a failover with an election time)
// the answer is 503 "No leader elected". The leader's address is the host
// of [Cluster.URL] once that server runs, else MasterInfo's hostname and
// port.
func (c *Cluster) StandbyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.handler.isLeaderless() {
			noLeader(w, r)
			return
		}
		switch r.URL.Path {
		case "/health", "/master/health":
			w.WriteHeader(http.StatusOK)
			return
		}
		base := "//" + c.leaderAddress()
		switch {
		case r.URL.Path == "/redirect" || r.URL.Path == "/master/redirect":
			http.Redirect(w, r, base, http.StatusTemporaryRedirect)
		case strings.HasPrefix(r.URL.Path, "/redirect/") || strings.HasPrefix(r.URL.Path, "/master/redirect/"):
			w.WriteHeader(http.StatusNotFound)
		default:
			w.Header().Set("Location", base+r.URL.RequestURI())
			w.WriteHeader(http.StatusTemporaryRedirect)
		}
	})
}

// StandbyURL is the base URL of an httptest.Server serving
// [Cluster.StandbyHandler], started on first use.
func (c *Cluster) StandbyURL() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.standby == nil {
		c.standby = httptest.NewServer(c.StandbyHandler())
	}
	return c.standby.URL
}

// leaderAddress is host:port of the leading master.
func (c *Cluster) leaderAddress() string {
	c.mu.Lock()
	srv := c.server
	c.mu.Unlock()
	if srv != nil {
		if u, err := url.Parse(srv.URL); err == nil {
			return u.Host
		}
	}
	var host string
	var port int
	_ = c.drv.Do(func() {
		info := c.master.MasterInfo()
		host, port = info.GetHostname(), int(info.GetPort())
	})
	return host + ":" + strconv.Itoa(port)
}
