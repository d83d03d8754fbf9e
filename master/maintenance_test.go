package master_test

import (
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/api/allocatorpb"
	"github.com/mesos-sim/mesos-sim/api/maintenancepb"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/sim"
)

func machineID(hostname, ip string) *mesospb.MachineID {
	id := &mesospb.MachineID{}
	if hostname != "" {
		id.Hostname = proto.String(hostname)
	}
	if ip != "" {
		id.Ip = proto.String(ip)
	}
	return id
}

func window(start time.Time, d time.Duration, ids ...*mesospb.MachineID) *maintenancepb.Window {
	u := &mesospb.Unavailability{Start: &mesospb.TimeInfo{Nanoseconds: proto.Int64(start.UnixNano())}}
	if d != 0 {
		u.Duration = &mesospb.DurationInfo{Nanoseconds: proto.Int64(int64(d))}
	}
	return &maintenancepb.Window{MachineIds: ids, Unavailability: u}
}

func schedule(ws ...*maintenancepb.Window) *maintenancepb.Schedule {
	return &maintenancepb.Schedule{Windows: ws}
}

// statusText returns an error's HTTP status and text ("" for nil).
func statusText(err error) (int, string) {
	var se *master.StatusError
	if errors.As(err, &se) {
		return se.Status, se.Text
	}
	if err != nil {
		return -1, err.Error()
	}
	return 0, ""
}

func TestMaintenanceValidation(t *testing.T) {
	e := newEnv(t, "cpus:2;mem:1024")
	now := time.Unix(0, 0)
	a := machineID("agent-1.example", "127.0.0.1")
	b := machineID("b", "")
	e.do(func() {
		if err := e.m.UpdateMaintenanceSchedule(schedule(window(now, time.Hour, a))); err != nil {
			t.Fatal(err)
		}
	})
	for _, tc := range []struct {
		name string
		call func(m *master.Master) error
		text string
	}{
		{"empty window", func(m *master.Master) error { return m.UpdateMaintenanceSchedule(schedule(window(now, 0))) },
			"List of machines in the maintenance window is empty"},
		{"negative duration", func(m *master.Master) error {
			return m.UpdateMaintenanceSchedule(schedule(window(now, -time.Second, b)))
		}, "Unavailability 'duration' is negative"},
		{"empty machine", func(m *master.Master) error {
			return m.UpdateMaintenanceSchedule(schedule(window(now, 0, machineID("", ""))))
		},
			"Both 'hostname' and 'ip' for a machine are empty"},
		{"bad ip", func(m *master.Master) error {
			return m.UpdateMaintenanceSchedule(schedule(window(now, 0, machineID("x", "1.2.3"))))
		},
			"Failed to parse IPv4: 1.2.3"},
		{"twice", func(m *master.Master) error {
			return m.UpdateMaintenanceSchedule(schedule(window(now, 0, b), window(now, 0, machineID("B", ""))))
		}, `Machine '{"hostname":"B"}' appears more than once in the schedule`},
		{"start: empty list", func(m *master.Master) error { return m.StartMaintenance(nil) }, "List of machines is empty"},
		{"start: unscheduled", func(m *master.Master) error { return m.StartMaintenance([]*mesospb.MachineID{b}) },
			`Machine '{"hostname":"b"}' is not part of a maintenance schedule`},
		{"stop: not down", func(m *master.Master) error { return m.StopMaintenance([]*mesospb.MachineID{a}) },
			`Machine '{"hostname":"agent-1.example","ip":"127.0.0.1"}' is not in DOWN mode and cannot be brought up`},
		{"drain: in schedule", func(m *master.Master) error { return m.DrainAgent(m.Agents()[0].ID, nil, false) },
			"Agent " + e.agents[0].id + " is part of a maintenance schedule under Machine agent-1.example (127.0.0.1)"},
		{"drain: unknown", func(m *master.Master) error { return m.DrainAgent("nope", nil, false) }, "Unknown agent"},
		{"deactivate: unknown", func(m *master.Master) error { return m.DeactivateAgent("nope") }, "Unknown agent"},
		{"reactivate: not deactivated", func(m *master.Master) error { return m.ReactivateAgent(m.Agents()[0].ID) }, "Agent is not deactivated"},
	} {
		var err error
		e.do(func() { err = tc.call(e.m) })
		if code, text := statusText(err); code != http.StatusBadRequest || text != tc.text {
			t.Errorf("%s: %d %q, want 400 %q", tc.name, code, text, tc.text)
		}
	}
	var got *maintenancepb.Schedule
	e.do(func() { got = e.m.MaintenanceSchedule() })
	if diff := cmp.Diff(schedule(window(now, time.Hour, a)), got, protocmp.Transform()); diff != "" {
		t.Errorf("a refused update changed the schedule (-want +got):\n%s", diff)
	}
}

// reregister makes a fake agent register again (a restarted agent
// process with a new work directory).
func (a *fakeAgent) register() {
	a.got = nil
	a.send(&msg.RegisterAgent{Name: a.name, Info: &mesospb.AgentInfo{
		Hostname:  proto.String(a.name + ".example"),
		Port:      proto.Int32(5051),
		Resources: resources.MustParse("cpus:2;mem:1024").ToProto(),
	}})
}

// A DOWN machine's agents are removed and may not register until the
// machine is brought back UP.
func TestMachineDownAndUp(t *testing.T) {
	e := newEnv(t, "cpus:2;mem:1024", "cpus:2;mem:1024")
	a1, a2 := e.agents[0], e.agents[1]
	m1 := machineID("AGENT-1.example", "127.0.0.1") // hostnames compare case-insensitively
	other := machineID("agent-2.example", "")       // no ip: matches no agent
	start := e.l.Now().Add(time.Hour)
	do := func(fn func(m *master.Master) error) {
		t.Helper()
		var err error
		e.do(func() { err = fn(e.m) })
		if err != nil {
			t.Fatal(err)
		}
	}
	do(func(m *master.Master) error {
		return m.UpdateMaintenanceSchedule(schedule(window(start, time.Hour, m1, other)))
	})
	do(func(m *master.Master) error { return m.StartMaintenance([]*mesospb.MachineID{m1}) })
	if !slices.Contains(a1.got, "ShutdownMessage") || slices.Contains(a2.got, "ShutdownMessage") {
		t.Errorf("shutdowns: agent-1 got %v, agent-2 got %v", a1.got, a2.got)
	}
	var agents []master.Agent
	var status *maintenancepb.ClusterStatus
	e.do(func() { agents, status = e.m.Agents(), e.m.MaintenanceStatus() })
	if len(agents) != 1 || agents[0].ID != a2.id {
		t.Errorf("agents after machine DOWN: %v", agents)
	}
	want := &maintenancepb.ClusterStatus{
		DrainingMachines: []*maintenancepb.ClusterStatus_DrainingMachine{{Id: other}},
		DownMachines:     []*mesospb.MachineID{m1},
	}
	if diff := cmp.Diff(want, status, protocmp.Transform()); diff != "" {
		t.Errorf("status (-want +got):\n%s", diff)
	}
	// A DOWN machine stays in the schedule.
	var err error
	e.do(func() { err = e.m.UpdateMaintenanceSchedule(schedule()) })
	if _, text := statusText(err); text != `Machine '{"hostname":"AGENT-1.example","ip":"127.0.0.1"}' is deactivated and cannot be removed from the schedule` {
		t.Errorf("removing a DOWN machine: %q", text)
	}
	e.do(a1.register)
	if !slices.Contains(a1.got, "ShutdownMessage") || slices.Contains(a1.got, "SlaveRegisteredMessage") {
		t.Errorf("registration on a DOWN machine: got %v", a1.got)
	}
	do(func(m *master.Master) error { return m.StopMaintenance([]*mesospb.MachineID{m1}) })
	var sched *maintenancepb.Schedule
	e.do(func() { sched = e.m.MaintenanceSchedule() })
	if diff := cmp.Diff(schedule(window(start, time.Hour, other)), sched, protocmp.Transform()); diff != "" {
		t.Errorf("schedule after STOP_MAINTENANCE (-want +got):\n%s", diff)
	}
	e.do(a1.register)
	e.do(func() { agents = e.m.Agents() })
	if !slices.Contains(a1.got, "SlaveRegisteredMessage") || len(agents) != 2 {
		t.Errorf("registration after machine UP: got %v, %d agents", a1.got, len(agents))
	}
}

// The maintenance story end to end with real agents: a schedule makes the
// framework's agent DRAINING, offers carry the unavailability, the
// framework gets an inverse offer and accepts it, the operator takes the
// machine DOWN (the task is lost, the agent removed and refused) and
// brings it UP, and the restarted agent comes back.
func TestMaintenanceInverseOffers(t *testing.T) {
	c := sim.New(t, sim.Seed(3), sim.Agents(2, "cpus:2;mem:2048"))
	s := subscribeSched(t, c, &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("maint")})
	offers := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()
	slices.SortFunc(offers, func(a, b *mesospb.Offer) int { return cmpString(a.GetHostname(), b.GetHostname()) })
	s.launch(offers[0], commandTask("serve", "./serve", "cpus:1;mem:512"))
	s.updates(2)
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_DECLINE.Enum(), Decline: &schedulerpb.Call_Decline{
		OfferIds: []*mesospb.OfferID{offers[1].GetId()}, Filters: &mesospb.Filters{RefuseSeconds: proto.Float64(3600)},
	}})
	agentID := offers[0].GetAgentId().GetValue()
	m1 := machineID("agent-1", "127.0.0.1")
	start := c.Now().Add(time.Hour)
	unavailability := window(start, 30*time.Minute, m1).GetUnavailability()
	c.Master(func(m *master.Master) {
		if err := m.UpdateMaintenanceSchedule(schedule(window(start, 30*time.Minute, m1))); err != nil {
			t.Fatal(err)
		}
	})

	// The next allocation run: an inverse offer for the agent the task
	// runs on.
	c.Advance(time.Second)
	ios := s.next(schedulerpb.Event_INVERSE_OFFERS).GetInverseOffers().GetInverseOffers()
	if len(ios) != 1 || ios[0].GetAgentId().GetValue() != agentID || !proto.Equal(ios[0].GetUnavailability(), unavailability) || len(ios[0].GetResources()) != 0 {
		t.Fatalf("inverse offers: %v", ios)
	}
	// One outstanding inverse offer per framework and agent: none more.
	c.Advance(time.Second)
	if state := getJSON(t, c, "/master/state"); len(state["frameworks"].([]any)) != 1 {
		t.Fatal("framework gone")
	}
	// Offers of the agent carry the unavailability (its filter from the
	// launch expires after 5 s).
	c.Advance(4 * time.Second)
	of := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()
	if len(of) != 1 || of[0].GetAgentId().GetValue() != agentID || !proto.Equal(of[0].GetUnavailability(), unavailability) {
		t.Fatalf("offers of the DRAINING agent: %v", of)
	}

	s.call(&schedulerpb.Call{Type: schedulerpb.Call_ACCEPT_INVERSE_OFFERS.Enum(), AcceptInverseOffers: &schedulerpb.Call_AcceptInverseOffers{
		InverseOfferIds: []*mesospb.OfferID{ios[0].GetId()},
	}})
	var status *maintenancepb.ClusterStatus
	c.Master(func(m *master.Master) { status = m.MaintenanceStatus() })
	want := &maintenancepb.ClusterStatus{DrainingMachines: []*maintenancepb.ClusterStatus_DrainingMachine{{
		Id: m1,
		Statuses: []*allocatorpb.InverseOfferStatus{{
			Status:      allocatorpb.InverseOfferStatus_ACCEPT.Enum(),
			FrameworkId: s.id,
			Timestamp:   &mesospb.TimeInfo{Nanoseconds: proto.Int64(c.Now().UnixNano())},
		}},
	}}}
	if diff := cmp.Diff(want, status, protocmp.Transform()); diff != "" {
		t.Errorf("maintenance status (-want +got):\n%s", diff)
	}
	// The acceptance filters inverse offers for 5 s; then a new one comes.
	c.Advance(5 * time.Second)
	ios2 := s.next(schedulerpb.Event_INVERSE_OFFERS).GetInverseOffers().GetInverseOffers()
	if len(ios2) != 1 || ios2[0].GetId().GetValue() == ios[0].GetId().GetValue() {
		t.Fatalf("second inverse offer: %v", ios2)
	}

	// Machine DOWN: the agent is shut down and removed, the task lost.
	c.Master(func(m *master.Master) {
		if err := m.StartMaintenance([]*mesospb.MachineID{m1}); err != nil {
			t.Fatal(err)
		}
	})
	st := s.next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetState() != mesospb.TaskState_TASK_LOST || st.GetReason() != mesospb.TaskStatus_REASON_AGENT_REMOVED {
		t.Errorf("task on the DOWN machine: %v %v %q", st.GetState(), st.GetReason(), st.GetMessage())
	}
	var rescinded []string
	for {
		ev := s.nextAny()
		if ev.GetType() == schedulerpb.Event_FAILURE {
			if ev.GetFailure().GetAgentId().GetValue() != agentID {
				t.Errorf("FAILURE of %v", ev.GetFailure())
			}
			break
		}
		switch ev.GetType() {
		case schedulerpb.Event_RESCIND:
			rescinded = append(rescinded, ev.GetRescind().GetOfferId().GetValue())
		case schedulerpb.Event_RESCIND_INVERSE_OFFER:
			rescinded = append(rescinded, ev.GetRescindInverseOffer().GetInverseOfferId().GetValue())
		default:
			t.Fatalf("unexpected %v", ev)
		}
	}
	if wantR := []string{of[0].GetId().GetValue(), ios2[0].GetId().GetValue()}; !cmp.Equal(rescinded, wantR) {
		t.Errorf("rescinded %v, want %v", rescinded, wantR)
	}
	state := getJSON(t, c, "/master/state")
	if n := len(state["slaves"].([]any)); n != 1 {
		t.Errorf("%d agents after machine DOWN, want 1", n)
	}
	c.Master(func(m *master.Master) { status = m.MaintenanceStatus() })
	if len(status.GetDownMachines()) != 1 || len(status.GetDrainingMachines()) != 0 {
		t.Errorf("status after DOWN: %v", status)
	}
	// The agent process shuts down; restarted, it may not register while
	// its machine is DOWN.
	agentCount := func() int { return len(getJSON(t, c, "/master/slaves")["slaves"].([]any)) }
	restart := func() {
		t.Helper()
		c.Advance(agent.ExecutorShutdownGracePeriod) // the shutdown completes
		if err := c.InjectFault(faults.RestartAgent{Agent: "agent-1"}); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Minute) // registration backoff
	}
	restart()
	if n := agentCount(); n != 1 {
		t.Fatalf("%d agents: an agent registered on a DOWN machine", n)
	}
	c.Master(func(m *master.Master) {
		if err := m.StopMaintenance([]*mesospb.MachineID{m1}); err != nil {
			t.Fatal(err)
		}
		if s := m.MaintenanceSchedule(); len(s.GetWindows()) != 0 {
			t.Errorf("schedule after STOP_MAINTENANCE: %v", s)
		}
	})
	// Back UP: the agent registers anew and its resources are offered,
	// without unavailability.
	restart()
	if n := agentCount(); n != 2 {
		t.Fatalf("%d agents after the machine came back UP, want 2", n)
	}
	for {
		ev := s.nextAny()
		if ev.GetType() != schedulerpb.Event_OFFERS {
			continue
		}
		o := ev.GetOffers().GetOffers()[0]
		if o.GetHostname() != "agent-1" || o.GetUnavailability() != nil || o.GetAgentId().GetValue() == agentID {
			t.Errorf("offer after the machine came back: %v", o)
		}
		break
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DRAIN_AGENT kills the agent's tasks with REASON_AGENT_DRAINING, capping
// their grace period; the agent is DRAINED once the kills are
// acknowledged, gets no offers, and comes back with REACTIVATE_AGENT.
func TestDrainAgent(t *testing.T) {
	c := sim.New(t, sim.Seed(5), sim.Agents(1, "cpus:2;mem:2048"))
	s := subscribeSched(t, c, &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("drain"),
		Capabilities: []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_TASK_KILLING_STATE.Enum()}}})
	offer := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	stubborn := commandTask("stubborn", "./serve", "cpus:1;mem:512")
	stubborn.Labels = &mesospb.Labels{Labels: []*mesospb.Label{{Key: proto.String("mesos-sim.behavior"), Value: proto.String("ignore-term")}}}
	stubborn.KillPolicy = &mesospb.KillPolicy{GracePeriod: &mesospb.DurationInfo{Nanoseconds: proto.Int64(int64(time.Minute))}}
	s.launch(offer, stubborn)
	s.updates(2)
	agentID := offer.GetAgentId().GetValue()
	grace := 2 * time.Second
	c.Master(func(m *master.Master) {
		if err := m.DrainAgent(agentID, &grace, false); err != nil {
			t.Fatal(err)
		}
	})
	st := s.update(mesospb.TaskState_TASK_KILLING)
	if st.GetReason() != mesospb.TaskStatus_REASON_AGENT_DRAINING {
		t.Errorf("KILLING reason %v", st.GetReason())
	}
	drainState := func() (string, bool, bool) {
		a := getJSON(t, c, "/master/slaves")["slaves"].([]any)[0].(map[string]any)
		di, _ := a["drain_info"].(map[string]any)
		state, _ := di["state"].(string)
		return state, a["active"].(bool), a["deactivated"].(bool)
	}
	if state, active, deactivated := drainState(); state != "DRAINING" || active || !deactivated {
		t.Errorf("while draining: %s active %v deactivated %v", state, active, deactivated)
	}
	c.Master(func(m *master.Master) {
		if _, text := statusText(m.ReactivateAgent(agentID)); text != "Agent is still in the DRAINING state" {
			t.Errorf("reactivating a DRAINING agent: %q", text)
		}
	})
	// The task ignores SIGTERM: it dies at the drain's 2 s, not its own
	// minute.
	c.Advance(grace)
	st = s.next(schedulerpb.Event_UPDATE).GetUpdate().GetStatus()
	if st.GetState() != mesospb.TaskState_TASK_KILLED || st.GetReason() != mesospb.TaskStatus_REASON_AGENT_DRAINING {
		t.Fatalf("after the grace period: %v %v", st.GetState(), st.GetReason())
	}
	if state, _, _ := drainState(); state != "DRAINING" {
		t.Errorf("before the acknowledgement: %s", state)
	}
	s.ack(st)
	if state, active, deactivated := drainState(); state != "DRAINED" || active || !deactivated {
		t.Errorf("drained: %s active %v deactivated %v", state, active, deactivated)
	}
	// No offers while deactivated; offers again once reactivated.
	c.Advance(10 * time.Second)
	if n := len(c.Offers()); n != 0 {
		t.Fatalf("%d offers of a drained agent", n)
	}
	c.Master(func(m *master.Master) {
		if err := m.ReactivateAgent(agentID); err != nil {
			t.Fatal(err)
		}
	})
	c.Advance(time.Second)
	if of := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers(); of[0].GetAgentId().GetValue() != agentID {
		t.Errorf("offer after reactivation: %v", of)
	}
	if state, active, deactivated := drainState(); state != "" || !active || deactivated {
		t.Errorf("reactivated: %q active %v deactivated %v", state, active, deactivated)
	}
}

// With mark_gone, a partition-aware framework sees TASK_GONE_BY_OPERATOR
// and the drained agent is marked gone.
func TestDrainAgentMarkGone(t *testing.T) {
	c := sim.New(t, sim.Seed(5), sim.Agents(1, "cpus:2;mem:2048"))
	s := subscribeSched(t, c, &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("drain"),
		Capabilities: []*mesospb.FrameworkInfo_Capability{{Type: mesospb.FrameworkInfo_Capability_PARTITION_AWARE.Enum()}}})
	offer := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	s.launch(offer, commandTask("t", "./serve", "cpus:1;mem:512"))
	s.updates(2)
	agentID := offer.GetAgentId().GetValue()
	c.Master(func(m *master.Master) {
		if err := m.DrainAgent(agentID, nil, true); err != nil {
			t.Fatal(err)
		}
	})
	st := s.update(mesospb.TaskState_TASK_GONE_BY_OPERATOR)
	if st.GetReason() != mesospb.TaskStatus_REASON_AGENT_DRAINING {
		t.Errorf("reason %v", st.GetReason())
	}
	var reg master.Registry
	var agents []master.Agent
	c.Master(func(m *master.Master) { reg, agents = m.Registry(), m.Agents() })
	if _, gone := reg.Gone[agentID]; !gone || len(agents) != 0 {
		t.Errorf("after the drain: gone %v, agents %v", reg.Gone, agents)
	}
	if ev := s.nextAny(); ev.GetType() != schedulerpb.Event_FAILURE {
		t.Errorf("after marking gone: %v", ev)
	}
}

// DEACTIVATE_AGENT stops offers and rescinds outstanding ones; tasks are
// not touched; REACTIVATE_AGENT brings the offers back.
func TestDeactivateAgent(t *testing.T) {
	c := sim.New(t, sim.Seed(5), sim.Agents(1, "cpus:2;mem:2048"))
	s := subscribeSched(t, c, &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("deact")})
	offer := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	agentID := offer.GetAgentId().GetValue()
	c.Master(func(m *master.Master) {
		if err := m.DeactivateAgent(agentID); err != nil {
			t.Fatal(err)
		}
	})
	if ev := s.next(schedulerpb.Event_RESCIND); ev.GetRescind().GetOfferId().GetValue() != offer.GetId().GetValue() {
		t.Errorf("rescind %v", ev)
	}
	m := getJSON(t, c, "/metrics/snapshot")
	if m["master/slaves_active"] != 0.0 || m["master/slaves_inactive"] != 1.0 || m["master/slaves_connected"] != 1.0 {
		t.Errorf("metrics of a deactivated agent: active %v inactive %v connected %v", m["master/slaves_active"], m["master/slaves_inactive"], m["master/slaves_connected"])
	}
	c.Advance(5 * time.Second)
	if n := len(c.Offers()); n != 0 {
		t.Fatalf("%d offers of a deactivated agent", n)
	}
	c.Master(func(m *master.Master) {
		if err := m.ReactivateAgent(agentID); err != nil {
			t.Fatal(err)
		}
	})
	c.Advance(time.Second)
	s.next(schedulerpb.Event_OFFERS)
}

// A declined inverse offer without a filter comes back at the next
// allocation run; a schedule change rescinds outstanding inverse offers
// and clears the answers; removing the machine from the schedule ends
// them.
func TestInverseOfferDeclineAndScheduleChanges(t *testing.T) {
	c := sim.New(t, sim.Seed(9), sim.Agents(1, "cpus:2;mem:2048"))
	s := subscribeSched(t, c, &mesospb.FrameworkInfo{User: proto.String("u"), Name: proto.String("io")})
	offer := s.next(schedulerpb.Event_OFFERS).GetOffers().GetOffers()[0]
	// The task takes the whole agent: no more offers get in the way.
	s.launch(offer, commandTask("all", "./serve", "cpus:2;mem:2048;disk:10240;ports:[31000-32000]"))
	s.updates(2)
	m1 := machineID("agent-1", "127.0.0.1")
	update := func(sc *maintenancepb.Schedule) {
		t.Helper()
		c.Master(func(m *master.Master) {
			if err := m.UpdateMaintenanceSchedule(sc); err != nil {
				t.Fatal(err)
			}
		})
	}
	status := func() *maintenancepb.ClusterStatus {
		var st *maintenancepb.ClusterStatus
		c.Master(func(m *master.Master) { st = m.MaintenanceStatus() })
		return st
	}
	start := c.Now().Add(time.Hour)
	update(schedule(window(start, 0, m1)))
	c.Advance(time.Second)
	io1 := s.next(schedulerpb.Event_INVERSE_OFFERS).GetInverseOffers().GetInverseOffers()[0]
	s.call(&schedulerpb.Call{Type: schedulerpb.Call_DECLINE_INVERSE_OFFERS.Enum(), DeclineInverseOffers: &schedulerpb.Call_DeclineInverseOffers{
		InverseOfferIds: []*mesospb.OfferID{io1.GetId()}, Filters: &mesospb.Filters{RefuseSeconds: proto.Float64(0)},
	}})
	if st := status().GetDrainingMachines()[0].GetStatuses(); len(st) != 1 || st[0].GetStatus() != allocatorpb.InverseOfferStatus_DECLINE {
		t.Errorf("statuses after DECLINE: %v", st)
	}
	c.Advance(time.Second)
	io2 := s.next(schedulerpb.Event_INVERSE_OFFERS).GetInverseOffers().GetInverseOffers()[0]

	later := start.Add(time.Hour)
	update(schedule(window(later, 0, m1)))
	if ev := s.nextAny(); ev.GetType() != schedulerpb.Event_RESCIND_INVERSE_OFFER || ev.GetRescindInverseOffer().GetInverseOfferId().GetValue() != io2.GetId().GetValue() {
		t.Fatalf("after the schedule change: %v", ev)
	}
	if st := status().GetDrainingMachines()[0].GetStatuses(); len(st) != 0 {
		t.Errorf("answers survived the schedule change: %v", st)
	}
	c.Advance(time.Second)
	io3 := s.next(schedulerpb.Event_INVERSE_OFFERS).GetInverseOffers().GetInverseOffers()[0]
	if got := io3.GetUnavailability().GetStart().GetNanoseconds(); got != later.UnixNano() {
		t.Errorf("new inverse offer starts at %v, want %v", time.Unix(0, got).UTC(), later)
	}
	var pending int
	c.Master(func(m *master.Master) { pending = len(m.State().Frameworks[0].InverseOffers) })
	if pending != 1 {
		t.Errorf("%d inverse offers in the state, want 1", pending)
	}

	update(schedule())
	if ev := s.nextAny(); ev.GetType() != schedulerpb.Event_RESCIND_INVERSE_OFFER || ev.GetRescindInverseOffer().GetInverseOfferId().GetValue() != io3.GetId().GetValue() {
		t.Fatalf("after the schedule is cleared: %v", ev)
	}
	c.Advance(3 * time.Second)
	c.Master(func(m *master.Master) { pending = len(m.State().Frameworks[0].InverseOffers) })
	if pending != 0 || len(status().GetDrainingMachines()) != 0 {
		t.Errorf("after the schedule is cleared: %d inverse offers, status %v", pending, status())
	}
}
