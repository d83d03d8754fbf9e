package master

import (
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/allocatorpb"
	"github.com/mesos-sim/mesos-sim/api/maintenancepb"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
)

// Maintenance primitives (docs/maintenance.md of Mesos; src/master/
// {http,master,maintenance}.cpp and the hierarchical allocator's
// inverse-offer bookkeeping, which lives here in the master):
//
//   - A schedule lists windows of machines (MachineID: hostname and IP) with
//     an unavailability. Machines in it are DRAINING: offers of their
//     agents carry the unavailability, and frameworks holding resources
//     there get inverse offers, which they accept or decline.
//   - START_MAINTENANCE takes DRAINING machines DOWN: their agents are shut
//     down and removed, and may not register while DOWN.
//   - STOP_MAINTENANCE brings DOWN machines back UP and out of the
//     schedule.
//
// A simulated agent's machine is its hostname and the master's IP: every
// simulated agent runs in this process. A MachineID matches an agent only
// if it names both, hostname compared case-insensitively.

type machineMode int

const (
	machineUp machineMode = iota
	machineDraining
	machineDown
)

// machine is a machine in the schedule (DRAINING) or DOWN. UP machines are
// not kept.
type machine struct {
	id             *mesospb.MachineID
	mode           machineMode
	unavailability *mesospb.Unavailability
}

// agentMaintenance is Slave::Maintenance of the allocator: the frameworks
// with an outstanding inverse offer for the agent and the last answer of
// each framework.
type agentMaintenance struct {
	outstanding map[string]bool
	statuses    map[string]*allocatorpb.InverseOfferStatus
}

type inverseOffer struct {
	id, frameworkID, agentID string
	pb                       *mesospb.InverseOffer
	timeout                  *loop.Timer
}

type drainState struct {
	info           *mesospb.DrainInfo
	estimatedStart time.Time
}

// maintenance is the master's maintenance and draining state. Its zero
// value is ready: maps are made on first use.
type maintenance struct {
	schedule *maintenancepb.Schedule
	machines map[string]*machine          // by machineKey
	agents   map[string]*agentMaintenance // by agent id, agents on machines with an unavailability
	inverse  map[string]*inverseOffer     // outstanding inverse offers by id
	// filters[framework][agent] is when the framework's refusal of
	// inverse offers for the agent expires.
	filters     map[string]map[string]time.Time
	drain       map[string]*drainState // by agent id
	deactivated map[string]bool        // agents deactivated by the operator or a drain
}

// StatusError is an operator call the master refuses, as Mesos refuses
// it: Status is the HTTP status (400 Bad Request, 409 Conflict) and
// Error() the response body.
type StatusError struct {
	Status int
	Text   string
}

func (e *StatusError) Error() string { return e.Text }

func badRequest(format string, args ...any) error {
	return &StatusError{Status: http.StatusBadRequest, Text: fmt.Sprintf(format, args...)}
}

// machineKey identifies a MachineID as Mesos's operator== compares them.
func machineKey(id *mesospb.MachineID) string {
	var b strings.Builder
	if id.Hostname != nil {
		b.WriteString("h:" + strings.ToLower(id.GetHostname()))
	}
	b.WriteByte(0)
	if id.Ip != nil {
		b.WriteString("i:" + id.GetIp())
	}
	return b.String()
}

// machineText is stringify(JSON::protobuf(id)), as error texts show it.
func machineText(id *mesospb.MachineID) string {
	b, err := mesosjson.Marshal(id)
	if err != nil {
		return id.String()
	}
	return string(b)
}

// machineName is operator<<(MachineID): "host (ip)", "host" or "(ip)".
func machineName(id *mesospb.MachineID) string {
	switch {
	case id.Hostname != nil && id.Ip != nil:
		return id.GetHostname() + " (" + id.GetIp() + ")"
	case id.Hostname != nil:
		return id.GetHostname()
	}
	return "(" + id.GetIp() + ")"
}

// agentMachineID is the machine an agent runs on.
func (m *Master) agentMachineID(info *mesospb.AgentInfo) *mesospb.MachineID {
	return &mesospb.MachineID{Hostname: proto.String(info.GetHostname()), Ip: proto.String(m.cfg.IP)}
}

// agentMachine returns the scheduled or DOWN machine of an agent, or nil.
func (m *Master) agentMachine(info *mesospb.AgentInfo) *machine {
	if len(m.maint.machines) == 0 {
		return nil
	}
	return m.maint.machines[machineKey(m.agentMachineID(info))]
}

// agentUnavailability is the unavailability offers of an agent carry.
func (m *Master) agentUnavailability(ag *agent) *mesospb.Unavailability {
	if mc := m.agentMachine(ag.info); mc != nil {
		return mc.unavailability
	}
	return nil
}

// agentsOn returns the registered agents on a machine, by id.
func (m *Master) agentsOn(mc *machine) []*agent {
	key := machineKey(mc.id)
	var out []*agent
	for _, id := range sortedKeys(m.agents) {
		if ag := m.agents[id]; machineKey(m.agentMachineID(ag.info)) == key {
			out = append(out, ag)
		}
	}
	return out
}

// refuseDownMachine refuses the (re-)registration of an agent whose
// machine is DOWN: it is told to shut down.
func (m *Master) refuseDownMachine(from string, info *mesospb.AgentInfo) bool {
	mc := m.agentMachine(info)
	if mc == nil || mc.mode != machineDown {
		return false
	}
	m.tracef("refusing registration of %s: machine %s is DOWN", from, machineName(mc.id))
	m.send(from, &msg.ShutdownAgent{Message: "Machine is `DOWN`"})
	return true
}

// validateMachine is maintenance::validation::machine.
func validateMachine(id *mesospb.MachineID) error {
	if id.GetHostname() == "" && id.GetIp() == "" {
		return badRequest("Both 'hostname' and 'ip' for a machine are empty")
	}
	if ip := id.GetIp(); ip != "" {
		if a, err := netip.ParseAddr(ip); err != nil || !a.Is4() {
			return badRequest("Failed to parse IPv4: %s", ip)
		}
	}
	return nil
}

// validateMachines is maintenance::validation::machines.
func validateMachines(ids []*mesospb.MachineID) error {
	if len(ids) == 0 {
		return badRequest("List of machines is empty")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if err := validateMachine(id); err != nil {
			return err
		}
		if seen[machineKey(id)] {
			return badRequest("Machine '%s' appears more than once in the schedule", machineText(id))
		}
		seen[machineKey(id)] = true
	}
	return nil
}

// validateSchedule is maintenance::validation::schedule.
func (m *Master) validateSchedule(s *maintenancepb.Schedule) error {
	seen := map[string]bool{}
	for _, w := range s.GetWindows() {
		if len(w.GetMachineIds()) == 0 {
			return badRequest("List of machines in the maintenance window is empty")
		}
		if w.GetUnavailability().GetDuration().GetNanoseconds() < 0 {
			return badRequest("Unavailability 'duration' is negative")
		}
		for _, id := range w.GetMachineIds() {
			if err := validateMachine(id); err != nil {
				return err
			}
			if seen[machineKey(id)] {
				return badRequest("Machine '%s' appears more than once in the schedule", machineText(id))
			}
			seen[machineKey(id)] = true
		}
	}
	for _, key := range sortedKeys(m.maint.machines) {
		if mc := m.maint.machines[key]; mc.mode == machineDown && !seen[key] {
			return badRequest("Machine '%s' is deactivated and cannot be removed from the schedule", machineText(mc.id))
		}
	}
	return nil
}

// MaintenanceSchedule returns the maintenance schedule (empty when there
// is none), as GET_MAINTENANCE_SCHEDULE does.
func (m *Master) MaintenanceSchedule() *maintenancepb.Schedule {
	if m.maint.schedule == nil {
		return &maintenancepb.Schedule{}
	}
	return proto.Clone(m.maint.schedule).(*maintenancepb.Schedule)
}

// UpdateMaintenanceSchedule replaces the maintenance schedule
// (UPDATE_MAINTENANCE_SCHEDULE). Machines new to it become DRAINING;
// machines left out become UP; the agents of every machine whose
// unavailability is set, changed or removed have their offers and inverse
// offers rescinded and their inverse-offer filters and answers cleared.
// New offers (with the unavailability) and inverse offers follow at the
// next allocation run. An invalid schedule is refused with a *StatusError
// carrying Mesos's text; DOWN machines must stay in the schedule.
func (m *Master) UpdateMaintenanceSchedule(s *maintenancepb.Schedule) error {
	if err := m.validateSchedule(s); err != nil {
		return err
	}
	defer m.requestAllocation()
	if m.maint.machines == nil {
		m.maint.machines = map[string]*machine{}
	}
	unavailability := map[string]*mesospb.Unavailability{}
	for _, w := range s.GetWindows() {
		for _, id := range w.GetMachineIds() {
			unavailability[machineKey(id)] = w.GetUnavailability()
		}
	}
	for _, key := range sortedKeys(m.maint.machines) {
		mc := m.maint.machines[key]
		if u, ok := unavailability[key]; ok {
			m.updateUnavailability(mc, u)
			continue
		}
		mc.mode = machineUp
		m.updateUnavailability(mc, nil)
		delete(m.maint.machines, key)
	}
	for _, w := range s.GetWindows() {
		for _, id := range w.GetMachineIds() {
			key := machineKey(id)
			if m.maint.machines[key] != nil {
				continue
			}
			mc := &machine{id: proto.Clone(id).(*mesospb.MachineID), mode: machineDraining}
			m.maint.machines[key] = mc
			m.updateUnavailability(mc, w.GetUnavailability())
		}
	}
	m.maint.schedule = proto.Clone(s).(*maintenancepb.Schedule)
	m.tracef("maintenance schedule updated: %d window(s)", len(s.GetWindows()))
	return nil
}

// updateUnavailability is Master::updateUnavailability with the
// allocator's updateUnavailability.
func (m *Master) updateUnavailability(mc *machine, u *mesospb.Unavailability) {
	if u != nil {
		mc.unavailability = proto.Clone(u).(*mesospb.Unavailability)
	} else {
		mc.unavailability = nil
	}
	for _, ag := range m.agentsOn(mc) {
		for _, id := range sortedKeys(m.offers) {
			if o := m.offers[id]; o.agentID == ag.id {
				m.rescindOffer(o, true)
			}
		}
		m.rescindInverseOffers(ag.id)
		for _, fid := range sortedKeys(m.maint.filters) {
			delete(m.maint.filters[fid], ag.id)
		}
		delete(m.maint.agents, ag.id)
	}
}

// MaintenanceStatus returns the DRAINING machines with the frameworks'
// answers to the inverse offers of their agents, and the DOWN machines
// (GET_MAINTENANCE_STATUS), in schedule order.
func (m *Master) MaintenanceStatus() *maintenancepb.ClusterStatus {
	status := &maintenancepb.ClusterStatus{}
	for _, mc := range m.machinesInOrder() {
		switch mc.mode {
		case machineDraining:
			dm := &maintenancepb.ClusterStatus_DrainingMachine{Id: proto.Clone(mc.id).(*mesospb.MachineID)}
			for _, ag := range m.agentsOn(mc) {
				if am := m.maint.agents[ag.id]; am != nil {
					for _, fid := range sortedKeys(am.statuses) {
						dm.Statuses = append(dm.Statuses, proto.Clone(am.statuses[fid]).(*allocatorpb.InverseOfferStatus))
					}
				}
			}
			status.DrainingMachines = append(status.DrainingMachines, dm)
		case machineDown:
			status.DownMachines = append(status.DownMachines, proto.Clone(mc.id).(*mesospb.MachineID))
		}
	}
	return status
}

// machinesInOrder lists the known machines in schedule order.
func (m *Master) machinesInOrder() []*machine {
	var out []*machine
	for _, w := range m.maint.schedule.GetWindows() {
		for _, id := range w.GetMachineIds() {
			if mc := m.maint.machines[machineKey(id)]; mc != nil {
				out = append(out, mc)
			}
		}
	}
	return out
}

// StartMaintenance takes DRAINING machines DOWN (START_MAINTENANCE): each
// agent on them is told to shut down ("Operator initiated 'Machine
// DOWN'") and removed at once, its tasks TASK_LOST (REASON_AGENT_REMOVED)
// and every framework told the agent is lost. Agents on a DOWN machine may
// not register. Machines not in the schedule or not DRAINING are refused.
func (m *Master) StartMaintenance(machines []*mesospb.MachineID) error {
	if err := validateMachines(machines); err != nil {
		return err
	}
	for _, id := range machines {
		mc := m.maint.machines[machineKey(id)]
		if mc == nil {
			return badRequest("Machine '%s' is not part of a maintenance schedule", machineText(id))
		}
		if mc.mode != machineDraining {
			return badRequest("Machine '%s' is not in DRAINING mode and cannot be brought down", machineText(id))
		}
	}
	defer m.requestAllocation()
	const message = "Operator initiated 'Machine DOWN'"
	for _, id := range machines {
		mc := m.maint.machines[machineKey(id)]
		for _, ag := range m.agentsOn(mc) {
			m.tracef("machine %s DOWN: removing agent %s", machineName(mc.id), ag.id)
			m.send(ag.name, &msg.ShutdownAgent{Message: message})
			m.removeAgent(ag, message, nil, true)
			delete(m.maint.agents, ag.id)
		}
		mc.mode = machineDown
	}
	return nil
}

// StopMaintenance brings DOWN machines back UP (STOP_MAINTENANCE): they
// leave the schedule (empty windows go too) and their agents may register
// again. Nothing is announced. Machines that are not DOWN are refused.
func (m *Master) StopMaintenance(machines []*mesospb.MachineID) error {
	if err := validateMachines(machines); err != nil {
		return err
	}
	for _, id := range machines {
		mc := m.maint.machines[machineKey(id)]
		if mc == nil {
			return badRequest("Machine '%s' is not part of a maintenance schedule", machineText(id))
		}
		if mc.mode != machineDown {
			return badRequest("Machine '%s' is not in DOWN mode and cannot be brought up", machineText(id))
		}
	}
	up := map[string]bool{}
	for _, id := range machines {
		up[machineKey(id)] = true
		delete(m.maint.machines, machineKey(id))
	}
	if s := m.maint.schedule; s != nil {
		var windows []*maintenancepb.Window
		for _, w := range s.GetWindows() {
			var ids []*mesospb.MachineID
			for _, id := range w.GetMachineIds() {
				if !up[machineKey(id)] {
					ids = append(ids, id)
				}
			}
			if len(ids) > 0 {
				windows = append(windows, &maintenancepb.Window{MachineIds: ids, Unavailability: w.GetUnavailability()})
			}
		}
		m.maint.schedule = &maintenancepb.Schedule{Windows: windows}
		if len(windows) == 0 {
			m.maint.schedule = nil
		}
	}
	return nil
}

// ---- inverse offers ----

// holdsResources reports whether a framework has resources offered or
// allocated on an agent (the allocator's getOfferedOrAllocated).
func (m *Master) holdsResources(fw *framework, agentID string) bool {
	for _, o := range fw.offers {
		if o.agentID == agentID {
			return true
		}
	}
	for _, tk := range fw.tasks {
		if tk.agentID == agentID && !tk.released {
			return true
		}
	}
	return len(fw.executors[agentID]) > 0
}

// generateInverseOffers is the allocator's generateInverseOffers and the
// master's inverseOffer, run after every allocation: each active framework
// holding resources on an active agent whose machine has an
// unavailability gets one inverse offer for the agent, unless it has one
// outstanding or filters them. Each framework gets one INVERSE_OFFERS
// event.
func (m *Master) generateInverseOffers() {
	m.afterInput() // timers (failover timeouts, health checks) remove frameworks and agents too
	if len(m.maint.machines) == 0 {
		return
	}
	byFramework := map[string][]*mesospb.InverseOffer{}
	for _, aid := range sortedKeys(m.agents) {
		ag := m.agents[aid]
		mc := m.agentMachine(ag.info)
		if mc == nil || mc.unavailability == nil || !ag.connected || m.maint.deactivated[aid] {
			continue
		}
		am := m.maint.agents[aid]
		if am == nil {
			am = &agentMaintenance{outstanding: map[string]bool{}, statuses: map[string]*allocatorpb.InverseOfferStatus{}}
			if m.maint.agents == nil {
				m.maint.agents = map[string]*agentMaintenance{}
			}
			m.maint.agents[aid] = am
		}
		for _, fid := range sortedKeys(m.frameworks) {
			fw := m.frameworks[fid]
			if !fw.active || !fw.connected || am.outstanding[fid] || !m.holdsResources(fw, aid) {
				continue
			}
			if until, ok := m.maint.filters[fid][aid]; ok && m.now().Before(until) {
				continue
			}
			am.outstanding[fid] = true
			io := m.newInverseOffer(fw, ag, mc.unavailability)
			byFramework[fid] = append(byFramework[fid], io.pb)
		}
	}
	for _, fid := range sortedKeys(byFramework) {
		m.tracef("INVERSE_OFFERS %s %d inverse offer(s)", fid, len(byFramework[fid]))
		m.sendEvent(m.frameworks[fid], &schedulerpb.Event{
			Type:          schedulerpb.Event_INVERSE_OFFERS.Enum(),
			InverseOffers: &schedulerpb.Event_InverseOffers{InverseOffers: byFramework[fid]},
		})
	}
}

func (m *Master) newInverseOffer(fw *framework, ag *agent, u *mesospb.Unavailability) *inverseOffer {
	id := m.ids.NextOffer()
	pb := &mesospb.InverseOffer{
		Id:          &mesospb.OfferID{Value: proto.String(id)},
		FrameworkId: &mesospb.FrameworkID{Value: proto.String(fw.id)},
		AgentId:     &mesospb.AgentID{Value: proto.String(ag.id)},
		Url: &mesospb.URL{
			Scheme: proto.String("http"),
			Address: &mesospb.Address{
				Hostname: proto.String(ag.info.GetHostname()),
				Ip:       proto.String(m.cfg.IP),
				Port:     proto.Int32(ag.info.GetPort()),
			},
			Path: proto.String("/slave(1)"),
		},
		Unavailability: proto.Clone(u).(*mesospb.Unavailability),
	}
	io := &inverseOffer{id: id, frameworkID: fw.id, agentID: ag.id, pb: pb}
	if m.maint.inverse == nil {
		m.maint.inverse = map[string]*inverseOffer{}
	}
	m.maint.inverse[id] = io
	if m.cfg.OfferTimeout > 0 {
		io.timeout = m.after(m.cfg.OfferTimeout, "master.inverse-offer-timeout", func() {
			if m.maint.inverse[id] == io {
				m.tracef("inverse offer %s timed out", id)
				m.removeInverseOffer(io, true)
			}
		})
	}
	return io
}

// removeInverseOffer forgets an inverse offer, which is no longer
// outstanding for the allocator; with rescind the framework gets
// RESCIND_INVERSE_OFFER.
func (m *Master) removeInverseOffer(io *inverseOffer, rescind bool) {
	delete(m.maint.inverse, io.id)
	io.timeout.Stop()
	if am := m.maint.agents[io.agentID]; am != nil {
		delete(am.outstanding, io.frameworkID)
	}
	if rescind {
		m.sendEvent(m.frameworks[io.frameworkID], &schedulerpb.Event{
			Type:                schedulerpb.Event_RESCIND_INVERSE_OFFER.Enum(),
			RescindInverseOffer: &schedulerpb.Event_RescindInverseOffer{InverseOfferId: &mesospb.OfferID{Value: proto.String(io.id)}},
		})
	}
}

// rescindInverseOffers rescinds every inverse offer for an agent.
func (m *Master) rescindInverseOffers(agentID string) {
	for _, id := range sortedKeys(m.maint.inverse) {
		if io := m.maint.inverse[id]; io.agentID == agentID {
			m.removeInverseOffer(io, true)
		}
	}
}

// inverseOffersOf returns a framework's outstanding inverse offers, by id.
func (m *Master) inverseOffersOf(frameworkID string) []*mesospb.InverseOffer {
	var out []*mesospb.InverseOffer
	ids := sortedKeys(m.maint.inverse)
	slices.SortFunc(ids, compareIDs)
	for _, id := range ids {
		if io := m.maint.inverse[id]; io.frameworkID == frameworkID {
			out = append(out, io.pb)
		}
	}
	return out
}

// answerInverseOffers is Master::acceptInverseOffers and
// declineInverseOffers: each outstanding inverse offer named gets the
// framework's answer recorded (see MaintenanceStatus), a filter of the
// call's refuse_seconds (5 by default) on further inverse offers for that
// agent, and is removed. Ids that are not outstanding inverse offers are
// ignored, as Mesos does (it only logs them).
func (m *Master) answerInverseOffers(fw *framework, ids []*mesospb.OfferID, filters *mesospb.Filters, answer allocatorpb.InverseOfferStatus_Status) {
	if len(ids) == 0 {
		m.tracef("%s of framework %s: No inverse offers specified", answer, fw.id)
		return
	}
	for _, oid := range ids {
		io := m.maint.inverse[oid.GetValue()]
		if io == nil {
			m.tracef("ignoring %s of inverse offer %s of framework %s: no longer valid", answer, oid.GetValue(), fw.id)
			continue
		}
		if am := m.maint.agents[io.agentID]; am != nil && am.outstanding[io.frameworkID] {
			am.statuses[io.frameworkID] = &allocatorpb.InverseOfferStatus{
				Status:      answer.Enum(),
				FrameworkId: &mesospb.FrameworkID{Value: proto.String(io.frameworkID)},
				Timestamp:   &mesospb.TimeInfo{Nanoseconds: proto.Int64(m.now().UnixNano())},
			}
		}
		if d := inverseOfferFilter(filters.GetRefuseSeconds()); d > 0 {
			if m.maint.filters == nil {
				m.maint.filters = map[string]map[string]time.Time{}
			}
			if m.maint.filters[io.frameworkID] == nil {
				m.maint.filters[io.frameworkID] = map[string]time.Time{}
			}
			m.maint.filters[io.frameworkID][io.agentID] = m.now().Add(d)
		}
		m.removeInverseOffer(io, false)
	}
}

// inverseOfferFilter clamps refuse_seconds as the allocator's
// updateInverseOffer does: above 365 days, 365 days; negative or not a
// duration, the default 5 s. There is no allocation-interval minimum.
func inverseOfferFilter(s float64) time.Duration {
	const year = 365 * 24 * time.Hour
	switch {
	case s > year.Seconds():
		return year
	case s < 0 || s != s:
		return 5 * time.Second
	}
	return time.Duration(s * float64(time.Second))
}
