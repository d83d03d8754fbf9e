package control

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/mesos-sim/mesos-sim/faults"
)

// faults injects one fault (a JSON object) now or installs a schedule (a
// JSON array of steps), in the faults package's JSON form. A body that
// does not parse is a 400 with the parser's words; a fault the cluster
// refuses (an agent it does not have, a framework without a stream, an
// agent lost for good) is a 409.
func (s *Server) faults(w http.ResponseWriter, r *http.Request) error {
	body, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return errorf(http.StatusBadRequest, `empty body; want a fault object such as {"kind": "partition", "agent": "agent-2"} or an array of steps`)
	}
	var res FaultsResult
	switch b[0] {
	case '{':
		f, err := faults.ParseFault(b)
		if err != nil {
			return errorf(http.StatusBadRequest, "fault: %v", err)
		}
		if err := s.c.InjectFault(f); err != nil {
			return refused(err)
		}
		res.Installed = []InstalledFault{{Kind: f.Kind(), Description: f.String()}}
		s.log.Info("fault injected", "fault", f.String())
	case '[':
		sched, err := faults.Unmarshal(b)
		if err != nil {
			return errorf(http.StatusBadRequest, "%v", err)
		}
		if err := s.c.InstallSchedule(sched); err != nil {
			return refused(err)
		}
		res.Installed = []InstalledFault{}
		for _, step := range sched {
			res.Installed = append(res.Installed, InstalledFault{Kind: step.Fault.Kind(), When: trigger(step), Description: step.Fault.String()})
		}
		s.log.Info("fault schedule installed", "steps", len(sched))
	default:
		return errorf(http.StatusBadRequest, `want a fault object such as {"kind": "partition", "agent": "agent-2"} or an array of steps; fault kinds: %s`,
			strings.Join(faults.Kinds(), ", "))
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// refused answers an error of the cluster about a fault: 409 with its
// reason, or what clusterError says for a cluster that stopped.
func refused(err error) error {
	if he := clusterError(err); he.status != http.StatusInternalServerError {
		return he
	}
	return errorf(http.StatusConflict, "%s", strings.TrimPrefix(err.Error(), "sim: "))
}

// trigger says when a step fires: "at 1m0s", "after 30s", "when ...".
func trigger(s faults.Step) string {
	switch {
	case s.At != nil:
		return "at " + s.At.String()
	case s.After != nil:
		return "after " + s.After.String()
	case s.When != nil:
		return "when " + s.When.String()
	}
	return ""
}
