package master

import (
	"encoding/binary"
	"net"
	"slices"
	"strconv"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/api/schedulerpb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Config holds the master's flags. The zero value of a field means Mesos's
// default; start from [DefaultConfig] to see them.
type Config struct {
	// AllocationInterval is --allocation_interval (1s).
	AllocationInterval time.Duration
	// HeartbeatInterval is the scheduler heartbeat (15s, fixed in Mesos).
	HeartbeatInterval time.Duration
	// AgentPingTimeout and MaxAgentPingTimeouts are --agent_ping_timeout
	// (15s) and --max_agent_ping_timeouts (5).
	AgentPingTimeout     time.Duration
	MaxAgentPingTimeouts int
	// OfferTimeout is --offer_timeout; 0 means none (the default).
	OfferTimeout time.Duration
	// Hostname, IP and Port fill MasterInfo ("localhost", "127.0.0.1", 5050).
	Hostname string
	IP       string
	Port     int
	// Version is MasterInfo.version ("1.11.0").
	Version string
	// MaxQueuedEvents bounds each subscription's outbox (10,000).
	MaxQueuedEvents int
	// MaxCompletedTasks bounds completed tasks kept per framework (1000).
	MaxCompletedTasks int
	// MaxUnreachableTasks bounds unreachable tasks kept per framework
	// (--max_unreachable_tasks_per_framework, 1000).
	MaxUnreachableTasks int
	// AgentReregisterTimeout is --agent_reregister_timeout (10 min): how
	// long a disconnected agent, or an agent recovered after failover,
	// has to re-register before it is marked unreachable.
	AgentReregisterTimeout time.Duration
}

// DefaultConfig returns Mesos's defaults.
func DefaultConfig() Config {
	return Config{
		AllocationInterval:   time.Second,
		HeartbeatInterval:    15 * time.Second,
		AgentPingTimeout:     15 * time.Second,
		MaxAgentPingTimeouts: 5,
		Hostname:             "localhost",
		IP:                   "127.0.0.1",
		Port:                 5050,
		Version:              "1.11.0",
		MaxQueuedEvents:      DefaultMaxQueuedEvents,
		MaxCompletedTasks:    1000,

		MaxUnreachableTasks:    1000,
		AgentReregisterTimeout: 10 * time.Minute,
	}
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.AllocationInterval <= 0 {
		c.AllocationInterval = d.AllocationInterval
	}
	if c.HeartbeatInterval <= 0 {
		c.HeartbeatInterval = d.HeartbeatInterval
	}
	if c.AgentPingTimeout <= 0 {
		c.AgentPingTimeout = d.AgentPingTimeout
	}
	if c.MaxAgentPingTimeouts <= 0 {
		c.MaxAgentPingTimeouts = d.MaxAgentPingTimeouts
	}
	if c.Hostname == "" {
		c.Hostname = d.Hostname
	}
	if c.IP == "" {
		c.IP = d.IP
	}
	if c.Port == 0 {
		c.Port = d.Port
	}
	if c.Version == "" {
		c.Version = d.Version
	}
	if c.MaxQueuedEvents <= 0 {
		c.MaxQueuedEvents = d.MaxQueuedEvents
	}
	if c.MaxCompletedTasks <= 0 {
		c.MaxCompletedTasks = d.MaxCompletedTasks
	}
	if c.MaxUnreachableTasks <= 0 {
		c.MaxUnreachableTasks = d.MaxUnreachableTasks
	}
	if c.AgentReregisterTimeout <= 0 {
		c.AgentReregisterTimeout = d.AgentReregisterTimeout
	}
	return c
}

// Master is the simulated Mesos master: a state machine run by a loop.
// Every method except the HTTP handler must be called on the loop's
// goroutine (from an event, or through a Runner).
type Master struct {
	l     *loop.Loop
	net   *simnet.Network
	alloc allocator.Allocator
	cfg   Config
	ids   *loop.IDs
	rand  interface{ Uint64() uint64 }
	info  *mesospb.MasterInfo

	frameworks map[string]*framework
	removed    map[string]bool // ids of torn-down frameworks
	agents     map[string]*agent
	agentNames map[string]string // endpoint name -> agent id
	offers     map[string]*offer

	allocPending bool
	metrics      Metrics

	completedFrameworks []*framework

	// The registry's agent lists (Mesos's registry.proto): unreachable
	// and gone agents with the time of the transition, and agents a
	// failed-over master recovered that have not re-registered yet.
	unreachableAgents map[string]time.Time
	goneAgents        map[string]time.Time
	recoveredAgents   map[string]*mesospb.AgentInfo

	stopped     bool   // replaced by failover: timers and inputs do nothing
	removeWatch func() // stops the network's exit notifications

	startTime time.Time         // start_time (and elected_time) of /master/state
	counters  map[string]uint64 // /metrics/snapshot counters by name (metrics.go)
	maint     maintenance       // schedule, inverse offers, draining (maintenance*.go)
	operator  *operatorState    // the v1 operator API (operator_calls.go)
}

type framework struct {
	id         string
	info       *mesospb.FrameworkInfo
	suppressed []string
	sub        *Subscription
	connected  bool
	active     bool

	heartbeat *loop.Timer
	failover  *loop.Timer

	offers    map[string]*offer
	tasks     map[string]*task
	completed []*task
	executors map[string]map[string]*executor // agent id -> executor id

	// unreachable holds the tasks of unreachable agents, in the order
	// they became unreachable (at most MaxUnreachableTasks).
	unreachable      map[string]*task
	unreachableOrder []string
	// recovered: re-created from an agent's report after master
	// failover; calls are refused (403) until it subscribes again.
	recovered bool

	registeredTime, reregisteredTime, unregisteredTime time.Time
}

type executor struct {
	info      *mesospb.ExecutorInfo
	resources resources.Resources
}

type agent struct {
	id           string
	name         string
	info         *mesospb.AgentInfo
	capabilities []mesospb.AgentInfo_Capability_Type
	version      string
	total        resources.Resources
	checkpointed []*mesospb.Resource
	connected    bool

	pings  int // consecutive unanswered pings
	pinger *loop.Timer
	// reregisterTimer runs --agent_reregister_timeout after the agent's
	// connection broke.
	reregisterTimer *loop.Timer
	// killed holds KILLs the agent may have missed while disconnected,
	// sent again when it re-registers (framework id -> task id).
	killed map[string]map[string]*mesospb.KillPolicy

	registeredTime, reregisteredTime time.Time // reregisteredTime zero: never
}

type offer struct {
	id          string
	frameworkID string
	agentID     string
	role        string
	resources   resources.Resources
	pb          *mesospb.Offer
	timeout     *loop.Timer
}

type task struct {
	id          string
	frameworkID string
	agentID     string
	executorID  string // "" for command tasks
	info        *mesospb.TaskInfo
	role        string
	resources   resources.Resources
	released    bool // resources went back to the allocator

	state             mesospb.TaskState // latest
	statusUpdateState mesospb.TaskState // last forwarded
	hasStatus         bool
	lastUUID          []byte
	statuses          []*mesospb.TaskStatus
}

// New returns a master on l, registered on net as msg.MasterEndpoint, that
// drives alloc. It starts the allocation timer.
func New(l *loop.Loop, net *simnet.Network, alloc allocator.Allocator, cfg Config) *Master {
	cfg = cfg.withDefaults()
	m := &Master{
		l:          l,
		net:        net,
		alloc:      alloc,
		cfg:        cfg,
		ids:        l.NewIDs(),
		rand:       l.Rand("master"),
		frameworks: map[string]*framework{},
		removed:    map[string]bool{},
		agents:     map[string]*agent{},
		agentNames: map[string]string{},
		offers:     map[string]*offer{},

		unreachableAgents: map[string]time.Time{},
		goneAgents:        map[string]time.Time{},
		recoveredAgents:   map[string]*mesospb.AgentInfo{},
		startTime:         l.Now(),
	}
	m.info = m.makeMasterInfo()
	net.Register(msg.MasterEndpoint, m.receive)
	m.removeWatch = net.WatchExits(m.exited)
	m.after(cfg.AllocationInterval, "master.allocate", m.allocationTick)
	return m
}

// after schedules fn on the loop unless the master has been replaced by
// then.
func (m *Master) after(d time.Duration, name string, fn func()) *loop.Timer {
	return m.l.After(d, name, func() {
		if !m.stopped {
			fn()
		}
	})
}

func (m *Master) makeMasterInfo() *mesospb.MasterInfo {
	var ipNum uint32
	if ip := net.ParseIP(m.cfg.IP).To4(); ip != nil {
		// Mesos stores the address in network byte order in a uint32 and
		// the wire shows that number read as little-endian (a known bug).
		ipNum = binary.LittleEndian.Uint32(ip)
	}
	pid := "master@" + m.cfg.IP + ":" + strconv.Itoa(m.cfg.Port)
	return &mesospb.MasterInfo{
		Id:       proto.String(m.ids.Master()),
		Ip:       proto.Uint32(ipNum),
		Port:     proto.Uint32(uint32(m.cfg.Port)),
		Pid:      proto.String(pid),
		Hostname: proto.String(m.cfg.Hostname),
		Version:  proto.String(m.cfg.Version),
		Address: &mesospb.Address{
			Hostname: proto.String(m.cfg.Hostname),
			Ip:       proto.String(m.cfg.IP),
			Port:     proto.Int32(int32(m.cfg.Port)),
		},
		Capabilities: []*mesospb.MasterInfo_Capability{
			{Type: mesospb.MasterInfo_Capability_AGENT_UPDATE.Enum()},
			{Type: mesospb.MasterInfo_Capability_AGENT_DRAINING.Enum()},
		},
	}
}

// MasterInfo returns the master's MasterInfo (a copy).
func (m *Master) MasterInfo() *mesospb.MasterInfo { return proto.Clone(m.info).(*mesospb.MasterInfo) }

// ID returns the master id.
func (m *Master) ID() string { return m.ids.Master() }

// Config returns the master's configuration, defaults filled in.
func (m *Master) Config() Config { return m.cfg }

func (m *Master) tracef(format string, args ...any) { m.l.Tracef("master", format, args...) }

func (m *Master) now() time.Time { return m.l.Now() }

func (m *Master) timestamp() float64 {
	return float64(m.now().UnixNano()) / 1e9
}

func (m *Master) newUUID() loop.UUID { return loop.NewUUID(m.l.Rand("master")) }

func (m *Master) send(to string, b msg.Body) {
	m.net.Send(msg.Envelope(msg.MasterEndpoint, to, b))
}

// ---- allocation ----

func (m *Master) allocationTick() {
	m.metrics.AllocationRuns++
	m.makeOffers(m.alloc.Allocate(m.now()))
	m.generateInverseOffers()
	m.after(m.cfg.AllocationInterval, "master.allocate", m.allocationTick)
}

// requestAllocation schedules the event-triggered allocation run, if the
// allocator asked for one, after the inputs of this instant. Every input
// ends with it, so it first settles what maintenance derives from the
// input (afterInput).
func (m *Master) requestAllocation() {
	m.afterInput()
	if m.allocPending || !m.alloc.Requested() {
		return
	}
	m.allocPending = true
	m.l.Post("master.allocate-requested", func() {
		m.allocPending = false
		if m.stopped {
			return
		}
		if m.alloc.Requested() {
			m.metrics.AllocationRuns++
			m.makeOffers(m.alloc.AllocateRequested(m.now()))
			m.generateInverseOffers()
		}
	})
}

func (m *Master) makeOffers(allocs []allocator.Allocation) {
	byFramework := map[string][]*mesospb.Offer{}
	var order []string
	for _, a := range allocs {
		fw := m.frameworks[a.FrameworkID]
		ag := m.agents[a.AgentID]
		if fw == nil || !fw.active || ag == nil || !ag.connected {
			for _, role := range a.Roles() {
				m.alloc.RecoverResources(m.now(), a.FrameworkID, a.AgentID, a.Resources[role], nil, false)
			}
			continue
		}
		for _, role := range a.Roles() {
			o := m.newOffer(fw, ag, role, a.Resources[role])
			if _, ok := byFramework[fw.id]; !ok {
				order = append(order, fw.id)
			}
			byFramework[fw.id] = append(byFramework[fw.id], o.pb)
		}
	}
	slices.Sort(order)
	for _, id := range order {
		fw := m.frameworks[id]
		m.tracef("OFFERS %s %d offer(s)", id, len(byFramework[id]))
		m.sendEvent(fw, &schedulerpb.Event{
			Type:   schedulerpb.Event_OFFERS.Enum(),
			Offers: &schedulerpb.Event_Offers{Offers: byFramework[id]},
		})
	}
}

func (m *Master) isMultiRole(fw *framework) bool {
	return hasFrameworkCapability(fw.info, mesospb.FrameworkInfo_Capability_MULTI_ROLE)
}

func hasFrameworkCapability(info *mesospb.FrameworkInfo, c mesospb.FrameworkInfo_Capability_Type) bool {
	for _, x := range info.GetCapabilities() {
		if x.GetType() == c {
			return true
		}
	}
	return false
}

func (m *Master) newOffer(fw *framework, ag *agent, role string, res resources.Resources) *offer {
	id := m.ids.NextOffer()
	wire := res.ToProto()
	if !hasFrameworkCapability(fw.info, mesospb.FrameworkInfo_Capability_RESERVATION_REFINEMENT) {
		// Mesos: convertResourceFormat(PRE_RESERVATION_REFINEMENT).
		if pre, err := res.ToProtoFormat(resources.PreReservationRefinement); err == nil {
			wire = pre
		}
	}
	if !m.isMultiRole(fw) {
		for _, r := range wire {
			r.AllocationInfo = nil
		}
	}
	pb := &mesospb.Offer{
		Id:          &mesospb.OfferID{Value: proto.String(id)},
		FrameworkId: &mesospb.FrameworkID{Value: proto.String(fw.id)},
		AgentId:     &mesospb.AgentID{Value: proto.String(ag.id)},
		Hostname:    proto.String(ag.info.GetHostname()),
		Resources:   wire,
		Attributes:  ag.info.GetAttributes(),
		Url: &mesospb.URL{
			Scheme: proto.String("http"),
			Address: &mesospb.Address{
				Hostname: proto.String(ag.info.GetHostname()),
				Port:     proto.Int32(ag.info.GetPort()),
			},
			Path: proto.String("/slave(1)"),
		},
		Domain:         ag.info.GetDomain(),
		Unavailability: m.agentUnavailability(ag),
	}
	if m.isMultiRole(fw) {
		pb.AllocationInfo = &mesospb.Resource_AllocationInfo{Role: proto.String(role)}
	}
	for _, eid := range sortedKeys(fw.executors[ag.id]) {
		pb.ExecutorIds = append(pb.ExecutorIds, &mesospb.ExecutorID{Value: proto.String(eid)})
	}
	o := &offer{id: id, frameworkID: fw.id, agentID: ag.id, role: role, resources: res, pb: pb}
	m.offers[id] = o
	fw.offers[id] = o
	if m.cfg.OfferTimeout > 0 {
		o.timeout = m.after(m.cfg.OfferTimeout, "master.offer-timeout", func() {
			if m.offers[id] == o {
				m.tracef("offer %s timed out", id)
				m.rescindOffer(o, true)
			}
		})
	}
	return o
}

// removeOffer forgets an offer; the caller decides what happens to its
// resources.
func (m *Master) removeOffer(o *offer) {
	delete(m.offers, o.id)
	if fw := m.frameworks[o.frameworkID]; fw != nil {
		delete(fw.offers, o.id)
	}
	o.timeout.Stop()
}

// rescindOffer removes an offer and returns its resources unfiltered; with
// notify, the framework gets a RESCIND event.
func (m *Master) rescindOffer(o *offer, notify bool) {
	m.removeOffer(o)
	m.alloc.RecoverResources(m.now(), o.frameworkID, o.agentID, o.resources, nil, false)
	if notify {
		if fw := m.frameworks[o.frameworkID]; fw != nil {
			m.sendEvent(fw, &schedulerpb.Event{
				Type:    schedulerpb.Event_RESCIND.Enum(),
				Rescind: &schedulerpb.Event_Rescind{OfferId: &mesospb.OfferID{Value: proto.String(o.id)}},
			})
		}
	}
}

func (m *Master) discardOffers(fw *framework, notify bool) {
	for _, id := range sortedKeys(fw.offers) {
		m.rescindOffer(fw.offers[id], notify)
	}
}

// ---- events ----

// sendEvent queues ev on the framework's stream, if connected. On overflow
// the stream is closed and the framework disconnected.
func (m *Master) sendEvent(fw *framework, ev *schedulerpb.Event) {
	if fw == nil || !fw.connected || fw.sub == nil {
		return
	}
	if !fw.sub.push(ev) {
		m.metrics.DroppedEvents++
		m.tracef("stream %s of framework %s overflow (%d events queued): disconnecting", fw.sub.StreamID, fw.id, fw.sub.Len())
		sub := fw.sub
		sub.close()
		m.disconnect(fw)
	}
}

func sortedKeys[V any](mp map[string]V) []string {
	out := make([]string, 0, len(mp))
	for k := range mp {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
