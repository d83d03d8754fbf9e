package control

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// MaxAnswerBytes bounds what the client reads of an answer: 64 MiB, room
// for /master/state of a large cluster.
const MaxAnswerBytes = 64 << 20

// Client talks to a running simulator's control API, and reads its
// /master/state.
type Client struct {
	// Base is the simulator's URL, "http://127.0.0.1:5050".
	Base string
	// HTTP is the client used; nil means one with a 60 s timeout.
	HTTP *http.Client
}

// NewClient returns a client for the simulator at base.
func NewClient(base string) *Client {
	return &Client{Base: strings.TrimSuffix(base, "/"), HTTP: &http.Client{Timeout: 60 * time.Second}}
}

// APIError is an error answer of the simulator.
type APIError struct {
	Status  int    // HTTP status
	Message string // the answer's "error", or its body
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s (%d %s)", e.Message, e.Status, http.StatusText(e.Status))
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return http.DefaultClient
}

// do sends a request and returns the answer's body if its status is 2xx.
func (c *Client) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	url := strings.TrimSuffix(c.Base, "/") + path
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("bad simulator URL %q: %w", c.Base, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, c.reachError(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxAnswerBytes))
	if err != nil {
		return nil, fmt.Errorf("reading the answer of %s %s: %w", method, url, err)
	}
	if resp.StatusCode/100 != 2 {
		var eb ErrorBody
		msg := strings.TrimSpace(string(b))
		if json.Unmarshal(b, &eb) == nil && eb.Error != "" {
			msg = eb.Error
		}
		if msg == "" {
			msg = method + " " + url
		}
		return nil, &APIError{Status: resp.StatusCode, Message: msg}
	}
	return b, nil
}

// reachError explains a failure to reach the simulator.
func (c *Client) reachError(err error) error {
	var opErr *net.OpError
	if errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &opErr) && opErr.Op == "dial") {
		return fmt.Errorf("cannot reach mesos-sim at %s (is it running? start it with: mesos-sim): %w", c.Base, err)
	}
	return fmt.Errorf("talking to mesos-sim at %s: %w", c.Base, err)
}

func (c *Client) getJSON(ctx context.Context, path string, dst any) error {
	b, err := c.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return err
	}
	return decodeAnswer(b, dst)
}

func (c *Client) sendJSON(ctx context.Context, method, path string, body, dst any) error {
	var in []byte
	if body != nil {
		var err error
		if in, err = json.Marshal(body); err != nil {
			return fmt.Errorf("encoding the request: %w", err)
		}
	}
	b, err := c.do(ctx, method, path, in)
	if err != nil {
		return err
	}
	return decodeAnswer(b, dst)
}

func decodeAnswer(b []byte, dst any) error {
	if dst == nil {
		return nil
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("decoding the simulator's answer: %w", err)
	}
	return nil
}

// Cluster returns the cluster's summary.
func (c *Client) Cluster(ctx context.Context) (*ClusterInfo, error) {
	var info ClusterInfo
	if err := c.getJSON(ctx, Prefix+"cluster", &info); err != nil {
		return nil, err
	}
	return &info, nil
}

// AddAgent adds an agent and returns it.
func (c *Client) AddAgent(ctx context.Context, req AddAgentRequest) (*Agent, error) {
	var a Agent
	if err := c.sendJSON(ctx, http.MethodPost, Prefix+"agents", req, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// RemoveAgent removes an agent for good and returns its final state.
func (c *Client) RemoveAgent(ctx context.Context, name string) (*Agent, error) {
	var a Agent
	if err := c.sendJSON(ctx, http.MethodDelete, Prefix+"agents/"+name, nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// Faults posts a fault (a JSON object) or a schedule (a JSON array) in the
// faults package's JSON form.
func (c *Client) Faults(ctx context.Context, body []byte) (*FaultsResult, error) {
	b, err := c.do(ctx, http.MethodPost, Prefix+"faults", body)
	if err != nil {
		return nil, err
	}
	var res FaultsResult
	if err := decodeAnswer(b, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Advance moves a manual clock forward by d.
func (c *Client) Advance(ctx context.Context, d time.Duration) (*ClockInfo, error) {
	var ci ClockInfo
	if err := c.sendJSON(ctx, http.MethodPost, Prefix+"clock/advance", AdvanceRequest{Duration: d.String()}, &ci); err != nil {
		return nil, err
	}
	return &ci, nil
}

// Trace returns the trace lines the simulator keeps.
func (c *Client) Trace(ctx context.Context) (string, error) {
	b, err := c.do(ctx, http.MethodGet, Prefix+"trace", nil)
	return string(b), err
}

// MasterState returns the master's /master/state JSON as it came.
func (c *Client) MasterState(ctx context.Context) ([]byte, error) {
	return c.do(ctx, http.MethodGet, "/master/state", nil)
}
