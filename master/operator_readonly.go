package master

import (
	"errors"
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
	st := agentOperatorStatus{registered: ag.registeredTime, reregistered: ag.reregisteredTime, deactivated: m.maint.deactivated[ag.id]}
	if d := m.maint.drain[ag.id]; d != nil {
		st.drain = proto.Clone(d.info).(*mesospb.DrainInfo)
		st.drainStart = d.estimatedStart
	}
	return st
}

type frameworkOperatorTimes struct {
	registered, reregistered, unregistered time.Time
}

func (m *Master) opFrameworkTimes(fw *framework) frameworkOperatorTimes {
	return frameworkOperatorTimes{registered: fw.registeredTime, reregistered: fw.reregisteredTime, unregistered: fw.unregisteredTime}
}

func (m *Master) opFrameworkInverseOffers(fw *framework) []*mesospb.InverseOffer {
	var out []*mesospb.InverseOffer
	for _, io := range m.inverseOffersOf(fw.id) {
		out = append(out, proto.Clone(io).(*mesospb.InverseOffer))
	}
	return out
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

// operatorVersion is GET_VERSION: what /version shows.
func (m *Master) operatorVersion() *mesospb.VersionInfo {
	return &mesospb.VersionInfo{
		Version:   proto.String(m.cfg.Version),
		BuildDate: proto.String(buildDate),
		BuildTime: proto.Float64(buildTime),
		BuildUser: proto.String(buildUser),
	}
}

// operatorMetrics is GET_METRICS: what /metrics/snapshot shows, by name.
func (m *Master) operatorMetrics() []*mesospb.Metric {
	snapshot := m.MetricsSnapshot()
	var out []*mesospb.Metric
	for _, name := range sortedKeys(snapshot) {
		out = append(out, &mesospb.Metric{Name: proto.String(name), Value: proto.Float64(snapshot[name])})
	}
	return out
}

// operatorMaintenance answers the maintenance and draining calls with the
// master's maintenance methods. A refusal they return as a *StatusError
// carries Mesos's status and text; any other error is a 400.
func (m *Master) operatorMaintenance(c *masterpb.Call) OperatorResponse {
	var err error
	switch c.GetType() {
	case masterpb.Call_GET_MAINTENANCE_SCHEDULE:
		return operatorOK(&masterpb.Response{
			Type:                   masterpb.Response_GET_MAINTENANCE_SCHEDULE.Enum(),
			GetMaintenanceSchedule: &masterpb.Response_GetMaintenanceSchedule{Schedule: m.MaintenanceSchedule()},
		})
	case masterpb.Call_GET_MAINTENANCE_STATUS:
		return operatorOK(&masterpb.Response{
			Type:                 masterpb.Response_GET_MAINTENANCE_STATUS.Enum(),
			GetMaintenanceStatus: &masterpb.Response_GetMaintenanceStatus{Status: m.MaintenanceStatus()},
		})
	case masterpb.Call_UPDATE_MAINTENANCE_SCHEDULE:
		err = m.UpdateMaintenanceSchedule(c.GetUpdateMaintenanceSchedule().GetSchedule())
	case masterpb.Call_START_MAINTENANCE:
		err = m.StartMaintenance(c.GetStartMaintenance().GetMachines())
	case masterpb.Call_STOP_MAINTENANCE:
		err = m.StopMaintenance(c.GetStopMaintenance().GetMachines())
	case masterpb.Call_DRAIN_AGENT:
		d := c.GetDrainAgent()
		var grace *time.Duration
		if p := d.GetMaxGracePeriod(); p != nil {
			g := p.AsDuration()
			grace = &g
		}
		err = m.DrainAgent(d.GetAgentId().GetValue(), grace, d.GetMarkGone())
	case masterpb.Call_DEACTIVATE_AGENT:
		err = m.DeactivateAgent(c.GetDeactivateAgent().GetAgentId().GetValue())
	case masterpb.Call_REACTIVATE_AGENT:
		err = m.ReactivateAgent(c.GetReactivateAgent().GetAgentId().GetValue())
	default:
		return unsupported(c.GetType())
	}
	if err != nil {
		var se *StatusError
		if errors.As(err, &se) {
			return operatorError(se.Status, se.Text)
		}
		return operatorError(http.StatusBadRequest, err.Error())
	}
	return operatorDone
}
