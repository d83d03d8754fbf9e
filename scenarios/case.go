package scenarios

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/scenarios/frameworks"
)

// Case is one scenario run, complete: the cluster, the frameworks and
// their workload, the faults and the seed. A Case is data: it marshals to
// the JSON that [Check] writes for a failing run and [ReplayFile] reads.
type Case struct {
	// Name is the named scenario the case comes from, "" for a generated
	// case.
	Name string `json:"name,omitempty"`
	// Seed seeds the cluster (and through it every random decision of
	// the agents, the allocator, the faults and the frameworks).
	Seed uint64 `json:"seed"`
	// Framework names the reference framework the case runs (see
	// frameworks.Reference); "" when the framework is given in Go.
	Framework string `json:"framework,omitempty"`
	// Agents holds one resource text per agent ("" for the defaults).
	Agents []string `json:"agents"`
	// Frameworks is how many instances of the framework run (each is
	// named after the framework with "-1", "-2", ... when more than one).
	Frameworks int `json:"frameworks"`
	// Workload configures every instance (frameworks.Configurable).
	Workload frameworks.Workload `json:"workload"`
	// Chaos is how long the faults act (virtual time). Then everything is
	// healed and the cluster runs for Settle before the final checks.
	Chaos faults.Duration `json:"chaos"`
	// Settle is how long the cluster runs after healing before the
	// frameworks reconcile a last time (3 min if zero).
	Settle faults.Duration `json:"settle,omitempty"`
	// Faults is the fault schedule (times from the cluster's start).
	Faults faults.Schedule `json:"-"`
	// Master tunes the master: its agent re-registration timeout after a
	// failover (2 min unless set; Mesos's is 10 min), its offer timeout.
	AgentReregisterTimeout faults.Duration `json:"agent_reregister_timeout,omitempty"`
	OfferTimeout           faults.Duration `json:"offer_timeout,omitempty"`
}

// caseJSON is Case on the wire: the schedule in the faults package's form.
type caseJSON struct {
	caseAlias
	Faults json.RawMessage `json:"faults"`
}

type caseAlias Case

// MarshalJSON writes the case with its fault schedule as faults.Marshal
// writes it.
func (c Case) MarshalJSON() ([]byte, error) {
	sched := c.Faults
	if sched == nil {
		sched = faults.Schedule{}
	}
	fs, err := faults.Marshal(sched)
	if err != nil {
		return nil, fmt.Errorf("scenarios: case faults: %w", err)
	}
	return json.Marshal(caseJSON{caseAlias: caseAlias(c), Faults: fs})
}

// UnmarshalJSON reads a case written by MarshalJSON; unknown fields are
// errors.
func (c *Case) UnmarshalJSON(data []byte) error {
	var w caseJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return fmt.Errorf("scenarios: case: %w", err)
	}
	*c = Case(w.caseAlias)
	c.Faults = nil
	if len(w.Faults) > 0 && string(w.Faults) != "null" {
		s, err := faults.Unmarshal(w.Faults)
		if err != nil {
			return fmt.Errorf("scenarios: case faults: %w", err)
		}
		c.Faults = s
	}
	return nil
}

// Marshal returns the case as indented JSON, the form of a reproducer
// file.
func (c Case) Marshal() ([]byte, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// ReadCase reads a case from a JSON file.
func ReadCase(path string) (Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Case{}, fmt.Errorf("scenarios: %w", err)
	}
	var c Case
	if err := json.Unmarshal(data, &c); err != nil {
		return Case{}, fmt.Errorf("scenarios: %s: %w", path, err)
	}
	return c, nil
}

// Validate checks what can be checked without running the case.
func (c Case) Validate() error {
	var errs []error
	if len(c.Agents) == 0 {
		errs = append(errs, errors.New("agents: none"))
	}
	for i, a := range c.Agents {
		if _, err := resources.AgentResources(a, "*"); err != nil {
			errs = append(errs, fmt.Errorf("agents[%d]: %w", i, err))
		}
	}
	if c.Frameworks < 1 {
		errs = append(errs, fmt.Errorf("frameworks: %d, want at least 1", c.Frameworks))
	}
	if c.Workload.Resources != "" {
		if _, err := resources.Parse(c.Workload.Resources); err != nil {
			errs = append(errs, fmt.Errorf("workload.resources: %w", err))
		}
	}
	if c.Chaos < 0 || c.Settle < 0 {
		errs = append(errs, errors.New("chaos, settle: negative"))
	}
	if err := c.Faults.Validate(nil); err != nil {
		errs = append(errs, fmt.Errorf("faults: %w", err))
	}
	if len(errs) > 0 {
		return fmt.Errorf("scenarios: invalid case: %w", errors.Join(errs...))
	}
	return nil
}

// String summarises the case in a few lines.
func (c Case) String() string {
	var b strings.Builder
	name := c.Name
	if name == "" {
		name = "generated case"
	}
	fw := c.Framework
	if fw == "" {
		fw = "(framework given in Go)"
	}
	fmt.Fprintf(&b, "%s, seed %d: %d × %s on %d agents %q, workload %+v, chaos %s\n",
		name, c.Seed, c.Frameworks, fw, len(c.Agents), c.Agents, workloadString(c.Workload), c.Chaos)
	if len(c.Faults) == 0 {
		b.WriteString("no faults\n")
	} else {
		b.WriteString(c.Faults.String())
		if !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func workloadString(w frameworks.Workload) string {
	var parts []string
	if w.Tasks > 0 {
		parts = append(parts, fmt.Sprintf("tasks=%d", w.Tasks))
	}
	if w.Resources != "" {
		parts = append(parts, "resources="+w.Resources)
	}
	if w.Behavior != "" {
		parts = append(parts, fmt.Sprintf("behavior=%q", w.Behavior))
	}
	if w.PartitionAware != nil {
		parts = append(parts, fmt.Sprintf("partition-aware=%v", *w.PartitionAware))
	}
	return "{" + strings.Join(parts, " ") + "}"
}

func (c Case) settle() time.Duration {
	if c.Settle > 0 {
		return c.Settle.D()
	}
	return 3 * time.Minute
}

func (c Case) reregisterTimeout() time.Duration {
	if c.AgentReregisterTimeout > 0 {
		return c.AgentReregisterTimeout.D()
	}
	return 2 * time.Minute
}

// Minutes is n minutes as a faults.Duration, for Case literals.
func Minutes(n int) faults.Duration { return faults.Duration(time.Duration(n) * time.Minute) }
