package master

import (
	"net/http"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/masterpb"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// This file connects the operator API to state the read-only endpoints and
// maintenance keep (registration times, drain and deactivation, flags,
// version, metrics).

// agentOperatorStatus is what GetAgents.Agent shows beyond the agent's
// resources.
type agentOperatorStatus struct {
	registered, reregistered time.Time
	deactivated              bool
	drain                    *mesospb.DrainInfo
	drainStart               time.Time
}

func (m *Master) opAgentStatus(ag *agent) agentOperatorStatus {
	return agentOperatorStatus{registered: ag.registeredTime, reregistered: ag.reregisteredTime}
}

type frameworkOperatorTimes struct {
	registered, reregistered, unregistered time.Time
}

func (m *Master) opFrameworkTimes(fw *framework) frameworkOperatorTimes {
	return frameworkOperatorTimes{registered: fw.registeredTime, reregistered: fw.reregisteredTime, unregistered: fw.unregisteredTime}
}

func (m *Master) opFrameworkInverseOffers(fw *framework) []*mesospb.InverseOffer {
	return nil
}

// operatorStartTimes returns when the master started and was elected.
func (m *Master) operatorStartTimes() (start, elected time.Time) {
	// A simulated master is elected the moment it starts.
	return m.startTime, m.startTime
}

// operatorFlags is GET_FLAGS: the master's flags by name, as /master/flags
// shows them.
func (m *Master) operatorFlags() []*mesospb.Flag {
	var out []*mesospb.Flag
	for _, f := range m.Flags() {
		out = append(out, &mesospb.Flag{Name: proto.String(f.Name), Value: proto.String(f.Value)})
	}
	return out
}

func (m *Master) operatorVersion() *mesospb.VersionInfo {
	return &mesospb.VersionInfo{Version: proto.String(m.cfg.Version)}
}

func (m *Master) operatorMetrics() []*mesospb.Metric {
	return nil
}

// operatorMaintenance answers the maintenance and draining calls.
func (m *Master) operatorMaintenance(c *masterpb.Call) OperatorResponse {
	return operatorError(http.StatusNotImplemented, "mesos-sim does not support the operator call "+c.GetType().String()+" yet")
}
