package agent

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Mesos defaults (src/slave/constants.hpp, src/launcher/executor.cpp).
const (
	DefaultPort                    = 5051
	StatusUpdateRetryMin           = 10 * time.Second // STATUS_UPDATE_RETRY_INTERVAL_MIN
	StatusUpdateRetryMax           = 10 * time.Minute // STATUS_UPDATE_RETRY_INTERVAL_MAX
	RegistrationBackoffFactor      = time.Second      // --registration_backoff_factor
	RegisterRetryIntervalMax       = time.Minute      // REGISTER_RETRY_INTERVAL_MAX
	DefaultKillGracePeriod         = 3 * time.Second  // command/default executor, no KillPolicy
	ExecutorShutdownGracePeriod    = 5 * time.Second  // --executor_shutdown_grace_period
	DefaultPingTimeout             = 15 * time.Second // master --agent_ping_timeout
	MaxPingTimeouts                = 5                // master --max_agent_ping_timeouts
	DefaultExecutorCPUs            = 0.1              // DEFAULT_EXECUTOR_CPUS
	DefaultExecutorMemMB           = 32               // DEFAULT_EXECUTOR_MEM
	Version                        = "1.11.0"
	launchFailedMessagePrefix      = "Failed to launch container: "
	killedDuringLaunchMessage      = "Killed before delivery to the executor"
	groupKilledDuringLaunchMessage = "A task within the task group was killed before delivery to the executor"
)

// CommandExecutorOverhead is what Mesos adds to a command executor's
// ExecutorInfo (Slave::getExecutorInfo). Like Mesos ("this does lead to a
// small overcommit of resources") the agent does not count it in Used.
var CommandExecutorOverhead = resources.MustParse("cpus:0.1;mem:32")

// commandExecutorOverheadProto is shared, read-only, by every command
// executor's ExecutorInfo.
var commandExecutorOverheadProto = CommandExecutorOverhead.ToProto()

// Config configures one simulated agent.
type Config struct {
	// Name is the agent's endpoint name on the network (msg.AgentEndpoint),
	// e.g. "agent-1"; stable across restarts.
	Name string
	// Hostname defaults to Name; Port to 5051.
	Hostname string
	Port     int32
	// Resources is --resources text; what it leaves out is filled in by
	// resources.AgentResources (cpus:1, mem:1024, disk:10240,
	// ports:[31000-32000]).
	Resources string
	// Attributes is --attributes text ("rack:r1;zone:a").
	Attributes string
	Domain     *mesospb.DomainInfo
	// Behaviors script tasks; see Rule and BehaviorLabel.
	Behaviors []Rule
}

type agentState int

const (
	stateStopped     agentState = iota // not started, or crashed
	stateRegistering                   // (re-)registering with the master
	stateRunning                       // registered
)

type execKind int

const (
	kindCommand execKind = iota
	kindDefault
	kindCustom
)

func (k execKind) String() string {
	return [...]string{"command", "default", "custom"}[k]
}

type key struct{ fw, task string }

// Agent is one simulated Mesos agent. It is a state machine driven by its
// loop: call its methods from the goroutine that owns the loop, or from
// events of the loop.
type Agent struct {
	l    *loop.Loop
	net  *simnet.Network
	cfg  Config
	rng  *rand.Rand
	comp string

	info    *mesospb.AgentInfo
	total   resources.Resources
	used    resources.Resources
	id      string
	idProto *mesospb.AgentID
	state   agentState
	gen     uint64 // incremented by Crash: timers of a dead process do nothing
	// shuttingDown: told to shut down by the master; ends in Crash.
	shuttingDown bool

	regTimer    *loop.Timer
	pingTimeout time.Duration
	pingTimer   *loop.Timer

	frameworks map[string]*framework
	tasks      map[key]*task
	streams    map[key]*stream

	baseTotal    resources.Resources
	checkpointed []*mesospb.Resource
	drainConfig  *mesospb.DrainConfig // set while draining (drain.go)
}

type framework struct {
	id        string
	info      *mesospb.FrameworkInfo
	executors map[string]*executor
	streams   int // status update streams
	// terminating: shut down by the master, which no longer acknowledges
	// its updates; they are dropped (Slave::statusUpdate).
	terminating bool
}

func (f *framework) has(c mesospb.FrameworkInfo_Capability_Type) bool {
	for _, x := range f.info.GetCapabilities() {
		if x.GetType() == c {
			return true
		}
	}
	return false
}

type execState int

const (
	exRunning execState = iota
	exTerminating
	exTerminated
)

type executor struct {
	id         string
	pid        *mesospb.ExecutorID
	fw         *framework
	kind       execKind
	info       *mesospb.ExecutorInfo
	res        resources.Resources // accounted in Used (none for command executors)
	tasks      []*task             // launched here, in launch order, until acknowledged
	state      execState
	crashTimer *ptimer
	shutTimer  *ptimer
}

type task struct {
	fwID, id string
	info     *mesospb.TaskInfo
	fw       *framework
	ex       *executor
	group    []*task // the task group, for group tasks
	res      resources.Resources
	beh      Behavior

	state      mesospb.TaskState // latest state reported
	last       *mesospb.TaskStatus
	delivered  bool
	killing    bool
	killedByHC bool
	overdue    bool // killed for exceeding max_completion_time
	groupKill  bool
	terminal   bool
	ghost      bool // stands for an unknown task's "Cannot find executor" update
	timers     []*ptimer

	startedAt   time.Duration
	hcFailures  uint32
	hcInitial   bool
	healthyBool *bool
}

// New returns an agent; it does nothing until Start. It panics on
// Resources or Attributes text that does not parse (a bug of the caller).
func New(l *loop.Loop, net *simnet.Network, cfg Config) *Agent {
	if cfg.Name == "" {
		panic("agent: Config.Name is empty")
	}
	if cfg.Hostname == "" {
		cfg.Hostname = cfg.Name
	}
	if cfg.Port == 0 {
		cfg.Port = DefaultPort
	}
	total, err := resources.AgentResources(cfg.Resources, "*")
	if err != nil {
		panic(fmt.Sprintf("agent %s: --resources: %v", cfg.Name, err))
	}
	attrs, err := resources.ParseAttributes(cfg.Attributes)
	if err != nil {
		panic(fmt.Sprintf("agent %s: --attributes: %v", cfg.Name, err))
	}
	a := &Agent{
		l: l, net: net, cfg: cfg,
		rng:        l.Rand("agent/" + cfg.Name),
		comp:       "agent/" + cfg.Name,
		total:      total,
		baseTotal:  total,
		frameworks: map[string]*framework{},
		tasks:      map[key]*task{},
		streams:    map[key]*stream{},
	}
	a.info = &mesospb.AgentInfo{
		Hostname:   proto.String(cfg.Hostname),
		Port:       proto.Int32(cfg.Port),
		Resources:  total.ToProto(),
		Attributes: attrs,
		Domain:     cfg.Domain,
	}
	return a
}

// Name is the agent's endpoint name.
func (a *Agent) Name() string { return a.cfg.Name }

// ID is the agent id the master gave it ("" before registration).
func (a *Agent) ID() string { return a.id }

// Registered reports whether the agent is registered with the master.
func (a *Agent) Registered() bool { return a.state == stateRunning }

// Total is the agent's total resources (with checkpointed reservations and
// volumes applied).
func (a *Agent) Total() resources.Resources { return a.total }

// Used is what live tasks and executors hold (without allocation info).
func (a *Agent) Used() resources.Resources { return a.used }

// Info is a copy of the agent's AgentInfo.
func (a *Agent) Info() *mesospb.AgentInfo { return proto.Clone(a.info).(*mesospb.AgentInfo) }

// Start registers the agent's endpoint and begins registering with the
// master (at once, then retrying with Mesos's backoff until the master
// answers).
func (a *Agent) Start() {
	if a.state != stateStopped {
		return
	}
	a.net.Register(msg.AgentEndpoint(a.cfg.Name), a.Receive)
	a.state = stateRegistering
	a.doReliableRegistration(2 * RegistrationBackoffFactor)
}

// after schedules fn unless the agent process died meanwhile.
func (a *Agent) after(d time.Duration, name string, fn func()) *loop.Timer {
	gen := a.gen
	return a.l.After(d, name, func() {
		if a.gen == gen {
			fn()
		}
	})
}

func (a *Agent) send(b msg.Body) {
	a.net.Send(msg.Envelope(msg.AgentEndpoint(a.cfg.Name), msg.MasterEndpoint, b))
}

func (a *Agent) tracef(format string, args ...any) {
	if a.l.Tracing() {
		a.l.Tracef(a.comp, format, args...)
	}
}

// doReliableRegistration follows Slave::doReliableRegistration: send, then
// retry after a random delay in [0, maxBackoff], maxBackoff doubling and
// capped at REGISTER_RETRY_INTERVAL_MAX.
func (a *Agent) doReliableRegistration(maxBackoff time.Duration) {
	if a.state != stateRegistering {
		return
	}
	if a.id == "" {
		a.send(&msg.RegisterAgent{
			Name:         a.cfg.Name,
			Info:         a.Info(),
			Capabilities: agentCapabilities(),
			Version:      Version,
		})
	} else {
		a.send(a.reregisterMessage())
	}
	maxBackoff = min(maxBackoff, RegisterRetryIntervalMax)
	d := time.Duration(a.rng.Float64() * float64(maxBackoff))
	a.regTimer = a.after(d, "agent.register", func() { a.doReliableRegistration(maxBackoff * 2) })
}

func agentCapabilities() []mesospb.AgentInfo_Capability_Type {
	return []mesospb.AgentInfo_Capability_Type{
		mesospb.AgentInfo_Capability_MULTI_ROLE,
		mesospb.AgentInfo_Capability_HIERARCHICAL_ROLE,
		mesospb.AgentInfo_Capability_RESERVATION_REFINEMENT,
		mesospb.AgentInfo_Capability_RESOURCE_PROVIDER,
		mesospb.AgentInfo_Capability_RESIZE_VOLUME,
		mesospb.AgentInfo_Capability_AGENT_OPERATION_FEEDBACK,
		mesospb.AgentInfo_Capability_AGENT_DRAINING,
		mesospb.AgentInfo_Capability_TASK_RESOURCE_LIMITS,
	}
}

// reregisterMessage lists what the agent runs (Slave::doReliableRegistration).
func (a *Agent) reregisterMessage() *msg.ReregisterAgent {
	m := &msg.ReregisterAgent{
		Name:                  a.cfg.Name,
		Info:                  a.Info(),
		Capabilities:          agentCapabilities(),
		Version:               Version,
		CheckpointedResources: a.checkpointed,
	}
	for _, fw := range a.sortedFrameworks() {
		m.Frameworks = append(m.Frameworks, fw.info)
		for _, ex := range fw.sortedExecutors() {
			if ex.kind != kindCommand {
				m.Executors = append(m.Executors, ex.info)
			}
		}
	}
	for _, t := range a.sortedTasks() {
		m.Tasks = append(m.Tasks, a.taskProto(t))
	}
	return m
}

func (a *Agent) taskProto(t *task) *mesospb.Task {
	p := &mesospb.Task{
		Name:        proto.String(t.info.GetName()),
		TaskId:      t.info.GetTaskId(),
		FrameworkId: &mesospb.FrameworkID{Value: proto.String(t.fwID)},
		ExecutorId:  &mesospb.ExecutorID{Value: proto.String(t.ex.id)},
		AgentId:     &mesospb.AgentID{Value: proto.String(a.id)},
		State:       t.state.Enum(),
		Resources:   t.info.GetResources(),
		Labels:      t.info.GetLabels(),
		HealthCheck: t.info.GetHealthCheck(),
		KillPolicy:  t.info.GetKillPolicy(),
	}
	if t.state == stateNone {
		p.State = mesospb.TaskState_TASK_STAGING.Enum()
	}
	if s := a.streams[key{t.fwID, t.id}]; s != nil && len(s.queue) > 0 {
		p.StatusUpdateState = s.queue[0].State
		p.StatusUpdateUuid = s.queue[0].Uuid
	}
	return p
}

// Receive handles one message from the master; it is the agent's network
// handler.
func (a *Agent) Receive(m simnet.Message) {
	if a.state == stateStopped || a.shuttingDown {
		return
	}
	switch b := m.Body.(type) {
	case *msg.AgentRegistered:
		a.registered(b.AgentID, b.PingTimeout, false)
	case *msg.AgentReregistered:
		a.registered(b.AgentID, b.PingTimeout, true)
	case *msg.RunTask:
		a.runTask(b.Framework, b.Task)
	case *msg.RunTaskGroup:
		a.runTaskGroup(b.Framework, b.Executor, b.TaskGroup)
	case *msg.KillTask:
		a.killTaskMessage(b.FrameworkID, b.TaskID, b.KillPolicy)
	case *msg.ShutdownFramework:
		a.shutdownFramework(b.FrameworkID)
	case *msg.ShutdownExecutor:
		if fw := a.frameworks[b.FrameworkID]; fw != nil {
			if ex := fw.executors[b.ExecutorID]; ex != nil {
				a.shutdownExecutor(ex)
			}
		}
	case *msg.StatusUpdateAcknowledgement:
		a.acknowledge(b.FrameworkID, b.TaskID, b.UUID)
	case *msg.FrameworkToExecutor:
		a.frameworkMessage(b)
	case *msg.UpdateFramework:
		a.updateFramework(b.Framework)
	case *msg.CheckpointResources:
		a.checkpointResources(b.Resources)
	case *msg.Ping:
		a.ping(b.Connected)
	case *msg.ShutdownAgent:
		a.shutdownAgent(b.Message)
	case *msg.DrainAgent:
		a.drain(b.Config)
	default:
		a.tracef("ignoring %s", m.Kind)
	}
}

func (a *Agent) registered(id string, pingTimeout time.Duration, re bool) {
	if a.state == stateRunning {
		if id != a.id {
			a.tracef("ignoring registration as %s: already %s", id, a.id)
		}
		return
	}
	if re && a.id != "" && id != a.id {
		panic(fmt.Sprintf("agent %s: reregistered as %s, was %s", a.cfg.Name, id, a.id))
	}
	a.id = id
	a.info.Id = &mesospb.AgentID{Value: proto.String(id)}
	a.state = stateRunning
	a.regTimer.Stop()
	a.regTimer = nil
	if pingTimeout <= 0 {
		pingTimeout = DefaultPingTimeout
	}
	a.pingTimeout = pingTimeout
	a.resetPingTimer()
	a.tracef("registered as %s", id)
	a.resumeUpdates("")
}

// ping answers Pong; a master that considers the agent disconnected makes
// it re-register (Slave::ping).
func (a *Agent) ping(connected bool) {
	if a.id == "" {
		return
	}
	a.send(&msg.Pong{AgentID: a.id})
	if a.state != stateRunning {
		return
	}
	if !connected {
		a.tracef("the master considers this agent disconnected: re-registering")
		a.reregister()
		return
	}
	a.resetPingTimer()
}

// resetPingTimer re-arms the watchdog: without a ping for ping timeout x
// max ping timeouts the agent re-detects the master and re-registers
// (Slave::pingTimeout).
func (a *Agent) resetPingTimer() {
	a.pingTimer.Stop()
	a.pingTimer = a.after(a.pingTimeout*MaxPingTimeouts, "agent.ping-timeout", func() {
		if a.state != stateRunning {
			return
		}
		a.tracef("no ping from the master for %v: re-registering", a.pingTimeout*MaxPingTimeouts)
		a.reregister()
	})
}

// reregister treats the master as lost and re-registers after a random
// delay in [0, registration_backoff_factor] (Slave::detected).
func (a *Agent) reregister() {
	a.state = stateRegistering
	a.pingTimer.Stop()
	a.pingTimer = nil
	a.pauseUpdates()
	d := time.Duration(a.rng.Float64() * float64(RegistrationBackoffFactor))
	a.regTimer = a.after(d, "agent.register", func() { a.doReliableRegistration(2 * RegistrationBackoffFactor) })
}

func (a *Agent) framework(info *mesospb.FrameworkInfo) *framework {
	id := info.GetId().GetValue()
	fw := a.frameworks[id]
	if fw == nil {
		fw = &framework{id: id, executors: map[string]*executor{}}
		a.frameworks[id] = fw
	}
	fw.info = info
	return fw
}

func (a *Agent) updateFramework(info *mesospb.FrameworkInfo) {
	id := info.GetId().GetValue()
	if fw := a.frameworks[id]; fw != nil {
		fw.info = info
	}
	a.resumeUpdates(id)
}

func (a *Agent) runTask(fwInfo *mesospb.FrameworkInfo, ti *mesospb.TaskInfo) {
	fw := a.framework(fwInfo)
	if ti.GetExecutor() != nil {
		ei := ti.GetExecutor()
		a.launch(fw, ei, kindCustom, []*mesospb.TaskInfo{ti}, false)
		return
	}
	ei := &mesospb.ExecutorInfo{
		Type:        mesospb.ExecutorInfo_CUSTOM.Enum(),
		ExecutorId:  &mesospb.ExecutorID{Value: proto.String(ti.GetTaskId().GetValue())},
		FrameworkId: fwInfo.GetId(),
		Name:        proto.String("Command Executor (Task: " + ti.GetTaskId().GetValue() + ") (Command: " + ti.GetCommand().GetValue() + ")"),
		Source:      proto.String(ti.GetTaskId().GetValue()),
		Command:     &mesospb.CommandInfo{Value: proto.String("mesos-executor")},
		Resources:   commandExecutorOverheadProto,
	}
	a.launch(fw, ei, kindCommand, []*mesospb.TaskInfo{ti}, false)
}

func (a *Agent) runTaskGroup(fwInfo *mesospb.FrameworkInfo, ei *mesospb.ExecutorInfo, tg *mesospb.TaskGroupInfo) {
	fw := a.framework(fwInfo)
	kind := kindDefault
	if ei.GetType() == mesospb.ExecutorInfo_CUSTOM {
		kind = kindCustom
	}
	a.launch(fw, ei, kind, tg.GetTasks(), true)
}

func mustRes(ps []*mesospb.Resource, what string) resources.Resources {
	r, err := resources.FromProto(ps)
	if err != nil {
		panic(fmt.Sprintf("agent: bad resources of %s: %v", what, err))
	}
	return r.Unallocate()
}

// launch starts tasks under an executor, creating the executor if needed.
func (a *Agent) launch(fw *framework, ei *mesospb.ExecutorInfo, kind execKind, tis []*mesospb.TaskInfo, isGroup bool) {
	for _, ti := range tis {
		if old := a.tasks[key{fw.id, ti.GetTaskId().GetValue()}]; old != nil && !old.ghost {
			// A second copy of a RunTask (a network that duplicates
			// messages): the task is already here.
			a.tracef("ignoring launch of %s: framework %s already has that task", ti.GetTaskId().GetValue(), fw.id)
			return
		}
	}
	if fw.terminating {
		// Slave::run: "Ignoring running task ... because the framework is
		// terminating".
		a.tracef("ignoring launch of %s: framework %s is terminating", tis[0].GetTaskId().GetValue(), fw.id)
		return
	}
	if a.dropWhileDraining(fw, ei, kind, tis) {
		return
	}
	exID := ei.GetExecutorId().GetValue()
	ex := fw.executors[exID]
	newEx := ex == nil || ex.state == exTerminated
	var need resources.Resources
	if newEx {
		ex = &executor{id: exID, fw: fw, kind: kind, info: ei}
		if kind != kindCommand {
			ex.res = mustRes(ei.GetResources(), "executor "+exID)
			need = ex.res
		}
	} else if ex.state == exTerminating {
		// Slave::run: tasks for a terminating executor are dropped.
		for _, ti := range tis {
			t := &task{fwID: fw.id, id: ti.GetTaskId().GetValue(), info: ti, fw: fw, ex: ex, state: stateNone}
			a.tasks[key{fw.id, t.id}] = t
			a.terminate(t, a.status(t, lostOrDropped(fw), mesospb.TaskStatus_SOURCE_AGENT,
				mesospb.TaskStatus_REASON_EXECUTOR_TERMINATED, "Executor terminating"), false)
		}
		return
	}
	tasks := make([]*task, 0, len(tis))
	for _, ti := range tis {
		k := key{fw.id, ti.GetTaskId().GetValue()}
		if old := a.tasks[k]; old != nil && old.ghost {
			// A "Cannot find executor" update still pending for this id.
			a.dropStream(k)
			delete(a.tasks, k)
		}
		if a.tasks[k] != nil {
			panic(fmt.Sprintf("agent %s: task %s of framework %s launched twice", a.cfg.Name, k.task, k.fw))
		}
		t := &task{fwID: fw.id, id: k.task, info: ti, fw: fw, ex: ex, state: stateNone}
		t.res = mustRes(ti.GetResources(), "task "+k.task)
		need = need.Plus(t.res)
		tasks = append(tasks, t)
	}
	if avail := a.total.Minus(a.used); !avail.Contains(need) {
		panic(fmt.Sprintf("agent %s: over-commit: launching %s needs %s, available %s (used %s of %s)",
			a.cfg.Name, tasks[0].id, need, avail, a.used, a.total))
	}
	a.used = a.used.Plus(need)
	if newEx {
		fw.executors[exID] = ex
		a.tracef("executor %s (%s) of framework %s started", exID, kind, fw.id)
	}
	if a.l.Tracing() {
		for _, t := range tasks {
			a.tracef("launch task %s of framework %s under executor %s", t.id, fw.id, exID)
		}
	}
	for _, t := range tasks {
		if isGroup {
			t.group = tasks
		}
		a.tasks[key{fw.id, t.id}] = t
		ex.tasks = append(ex.tasks, t)
	}
	// Behaviours; a launch failure or a bad label fails the launch.
	var launchErr string
	for _, t := range tasks {
		b, err := behaviorOf(a.cfg.Behaviors, t.info)
		if err != nil {
			launchErr = err.Error()
			break
		}
		t.beh = b
		if b.FailToStart {
			launchErr = "simulated launch failure (" + BehaviorLabel + " fail-to-start)"
		}
	}
	if launchErr != "" {
		for _, t := range tasks {
			a.terminate(t, a.status(t, mesospb.TaskState_TASK_FAILED, mesospb.TaskStatus_SOURCE_AGENT,
				mesospb.TaskStatus_REASON_CONTAINER_LAUNCH_FAILED, launchFailedMessagePrefix+launchErr), false)
		}
		if newEx && kind == kindCustom && len(ex.live()) == 0 {
			a.executorExited(ex, 1<<8)
		}
		return
	}
	delay := time.Duration(0)
	for _, t := range tasks {
		delay = max(delay, t.beh.StartDelay)
	}
	if delay == 0 {
		a.deliver(tasks)
		return
	}
	for _, t := range tasks {
		t.addTimer(a.pafter(delay, "agent.deliver", func() {
			if !t.terminal && !t.delivered {
				a.deliver([]*task{t})
			}
		}))
	}
}

func lostOrDropped(fw *framework) mesospb.TaskState {
	if fw.has(mesospb.FrameworkInfo_Capability_PARTITION_AWARE) {
		return mesospb.TaskState_TASK_DROPPED
	}
	return mesospb.TaskState_TASK_LOST
}

// live is the executor's non-terminal tasks.
func (ex *executor) live() []*task {
	var out []*task
	for _, t := range ex.tasks {
		if !t.terminal {
			out = append(out, t)
		}
	}
	return out
}

// deliver hands tasks to their (simulated) executor: TASK_STARTING,
// TASK_RUNNING, then the behaviour's timers.
func (a *Agent) deliver(tasks []*task) {
	for _, t := range tasks {
		if t.terminal || t.delivered {
			continue
		}
		t.delivered = true
		a.report(t, a.status(t, mesospb.TaskState_TASK_STARTING, mesospb.TaskStatus_SOURCE_EXECUTOR, -1, ""))
		a.report(t, a.status(t, mesospb.TaskState_TASK_RUNNING, mesospb.TaskStatus_SOURCE_EXECUTOR, -1, ""))
		t.startedAt = a.l.Elapsed()
		b := t.beh
		ex := t.ex
		if b.CrashExecutor > 0 && ex.crashTimer == nil {
			ex.crashTimer = a.pafter(b.CrashExecutor, "agent.executor-crash", func() { a.executorCrashed(ex) })
		}
		if hc := t.info.GetHealthCheck(); hc != nil {
			t.hcInitial = true
			d := secs(hc.GetDelaySeconds())
			t.addTimer(a.pafter(d, "agent.health-check", func() { a.healthCheck(t) }))
		}
		if mct := t.info.GetMaxCompletionTime(); mct.GetNanoseconds() > 0 {
			// executor.cpp taskCompletionTimeout: kill with no grace period.
			t.addTimer(a.pafter(time.Duration(mct.GetNanoseconds()), "agent.max-completion-time", func() {
				if !t.terminal && !t.killing {
					t.overdue = true
					a.killGrace(t, 0)
				}
			}))
		}
		if b.Exits {
			if b.Run == 0 {
				a.exited(t, b.ExitCode)
				continue
			}
			code := b.ExitCode
			t.addTimer(a.pafter(b.Run, "agent.task-exit", func() { a.exited(t, code) }))
		}
	}
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// exited: the task's command exited with code (executor.cpp reaped()).
func (a *Agent) exited(t *task, code int) {
	if t.terminal {
		return
	}
	state := mesospb.TaskState_TASK_FINISHED
	switch {
	case t.overdue:
		a.terminate(t, a.status(t, mesospb.TaskState_TASK_FAILED, mesospb.TaskStatus_SOURCE_EXECUTOR,
			mesospb.TaskStatus_REASON_MAX_COMPLETION_TIME_REACHED, fmt.Sprintf("Command exited with status %d", code)), true)
		return
	case t.killing:
		state = mesospb.TaskState_TASK_KILLED
	case code != 0:
		state = mesospb.TaskState_TASK_FAILED
	}
	a.terminate(t, a.status(t, state, mesospb.TaskStatus_SOURCE_EXECUTOR, -1,
		fmt.Sprintf("Command exited with status %d", code)), true)
}

// signalled: the task died of a signal after a kill.
func (a *Agent) signalled(t *task, signal string) {
	if t.terminal {
		return
	}
	if t.overdue {
		a.terminate(t, a.status(t, mesospb.TaskState_TASK_FAILED, mesospb.TaskStatus_SOURCE_EXECUTOR,
			mesospb.TaskStatus_REASON_MAX_COMPLETION_TIME_REACHED, "Command terminated with signal "+signal), true)
		return
	}
	a.terminate(t, a.status(t, mesospb.TaskState_TASK_KILLED, mesospb.TaskStatus_SOURCE_EXECUTOR, -1,
		"Command terminated with signal "+signal), true)
}

// agentIDProto is the agent id as a proto, shared read-only by updates.
func (a *Agent) agentIDProto() *mesospb.AgentID {
	if a.idProto == nil || a.idProto.GetValue() != a.id {
		a.idProto = &mesospb.AgentID{Value: proto.String(a.id)}
	}
	return a.idProto
}

func (ex *executor) idProto() *mesospb.ExecutorID {
	if ex.pid == nil {
		ex.pid = &mesospb.ExecutorID{Value: proto.String(ex.id)}
	}
	return ex.pid
}

// status builds a TaskStatus with a fresh uuid; reason < 0 means none.
func (a *Agent) status(t *task, state mesospb.TaskState, src mesospb.TaskStatus_Source, reason mesospb.TaskStatus_Reason, message string) *mesospb.TaskStatus {
	u := loop.NewUUID(a.rng)
	s := &mesospb.TaskStatus{
		TaskId:     t.info.GetTaskId(),
		State:      state.Enum(),
		Source:     src.Enum(),
		AgentId:    a.agentIDProto(),
		ExecutorId: t.ex.idProto(),
		Timestamp:  proto.Float64(float64(a.l.Now().UnixNano()) / 1e9),
		Uuid:       u[:],
	}
	if reason >= 0 {
		s.Reason = reason.Enum()
	}
	if message != "" {
		s.Message = proto.String(message)
	}
	return s
}

// report records a non-terminal update from the executor.
func (a *Agent) report(t *task, s *mesospb.TaskStatus) {
	transition(t.id, t.state, s.GetState())
	t.state = s.GetState()
	if s.GetSource() == mesospb.TaskStatus_SOURCE_EXECUTOR {
		t.last = s
	}
	a.forward(t, s)
}

// terminate records a terminal update: the task's resources are released at
// once; the task stays listed until the update is acknowledged. fromExecutor
// says whether the executor is alive to react (group kill, self-exit).
func (a *Agent) terminate(t *task, s *mesospb.TaskStatus, fromExecutor bool) {
	if t.terminal {
		return
	}
	if t.killedByHC || (t.ex.kind == kindDefault && t.healthyBool != nil && !*t.healthyBool) {
		s.Healthy = proto.Bool(false)
	}
	transition(t.id, t.state, s.GetState())
	t.state = s.GetState()
	t.terminal = true
	a.tracef("task %s of framework %s: %v (%s)", t.id, t.fwID, t.state, s.GetMessage())
	for _, tm := range t.timers {
		tm.Stop()
	}
	t.timers = nil
	a.used = a.used.Minus(t.res)
	a.forward(t, s)
	ex := t.ex
	if !fromExecutor {
		a.maybeExecutorDone(ex)
		return
	}
	// The default executor kills the rest of a task group when one of its
	// tasks fails or is killed (DefaultExecutor::waited).
	if ex.kind == kindDefault && len(t.group) > 1 && !t.groupKill && ex.state == exRunning &&
		(s.GetState() == mesospb.TaskState_TASK_FAILED || s.GetState() == mesospb.TaskState_TASK_KILLED) {
		for _, o := range t.group {
			o.groupKill = true
		}
		for _, o := range t.group {
			if o != t && !o.terminal && !o.killing {
				a.kill(o, nil)
			}
		}
	}
	a.maybeExecutorDone(ex)
}

// maybeExecutorDone ends command and default executors whose last task
// ended; custom executors live until shut down (or crash).
func (a *Agent) maybeExecutorDone(ex *executor) {
	if ex.state == exTerminated || len(ex.live()) > 0 {
		return
	}
	if ex.kind == kindCustom && ex.state == exRunning {
		return
	}
	a.executorExited(ex, 0)
}

// executorExited: the executor process is gone. Tasks still alive get
// TASK_FAILED REASON_EXECUTOR_TERMINATED from the agent
// (Slave::sendExecutorTerminatedStatusUpdate); the master hears
// ExitedExecutor.
func (a *Agent) executorExited(ex *executor, status int32) {
	if ex.state == exTerminated {
		return
	}
	ex.state = exTerminated
	ex.crashTimer.Stop()
	ex.shutTimer.Stop()
	for _, t := range ex.live() {
		a.terminate(t, a.status(t, mesospb.TaskState_TASK_FAILED, mesospb.TaskStatus_SOURCE_AGENT,
			mesospb.TaskStatus_REASON_EXECUTOR_TERMINATED, "Executor terminated"), false)
	}
	a.used = a.used.Minus(ex.res)
	a.tracef("executor %s of framework %s exited with status %d", ex.id, ex.fw.id, status)
	if a.id != "" && a.state != stateStopped {
		a.send(&msg.ExitedExecutor{AgentID: a.id, FrameworkID: ex.fw.id, ExecutorID: ex.id, Status: status})
	}
	a.gcExecutor(ex)
}

// gcExecutor forgets a terminated executor once none of its tasks awaits
// an acknowledgement.
func (a *Agent) gcExecutor(ex *executor) {
	if ex.state != exTerminated || len(ex.tasks) > 0 {
		return
	}
	fw := ex.fw
	if fw.executors[ex.id] == ex {
		delete(fw.executors, ex.id)
	}
	a.maybeRemoveFramework(fw)
}

// maybeRemoveFramework forgets a framework with no executors left and no
// pending updates; a terminating one loses its pending updates
// (Slave::removeFramework cleans up the status update manager).
func (a *Agent) maybeRemoveFramework(fw *framework) {
	if len(fw.executors) > 0 {
		return
	}
	if fw.terminating && fw.streams > 0 {
		for k := range a.tasks {
			if k.fw == fw.id {
				a.dropStream(k)
				delete(a.tasks, k)
			}
		}
	}
	if fw.streams == 0 && a.frameworks[fw.id] == fw {
		delete(a.frameworks, fw.id)
	}
}

func (a *Agent) executorCrashed(ex *executor) {
	if ex.state == exTerminated {
		return
	}
	a.tracef("executor %s of framework %s crashed", ex.id, ex.fw.id)
	a.executorExited(ex, 1<<8) // exited with status 1
}

func (a *Agent) killTaskMessage(fwID, taskID string, policy *mesospb.KillPolicy) {
	fw := a.frameworks[fwID]
	if fw == nil {
		// Slave::killTask: "no such framework is running".
		a.tracef("ignoring kill of task %s: framework %s unknown", taskID, fwID)
		return
	}
	if fw.terminating {
		a.tracef("ignoring kill of task %s: framework %s is terminating", taskID, fwID)
		return
	}
	t := a.tasks[key{fwID, taskID}]
	if t == nil {
		st := &task{fwID: fwID, id: taskID, fw: fw, state: stateNone,
			info: &mesospb.TaskInfo{TaskId: &mesospb.TaskID{Value: proto.String(taskID)}},
			ex:   &executor{}}
		s := a.status(st, lostOrDropped(fw), mesospb.TaskStatus_SOURCE_AGENT,
			mesospb.TaskStatus_REASON_EXECUTOR_TERMINATED, "Cannot find executor")
		s.ExecutorId = nil
		// An update for a task the agent does not run: sent reliably like
		// any other, then forgotten when acknowledged.
		a.tasks[key{fwID, taskID}] = st
		st.ghost, st.terminal = true, true
		st.state = s.GetState()
		a.forward(st, s)
		return
	}
	a.kill(t, policy)
}

// kill asks the executor to kill the task (executor.cpp kill()), with the
// grace period of the kill's policy, else the task's, else 3 s.
func (a *Agent) kill(t *task, policy *mesospb.KillPolicy) {
	grace := DefaultKillGracePeriod
	if p := t.info.GetKillPolicy(); p.GetGracePeriod() != nil {
		grace = time.Duration(p.GetGracePeriod().GetNanoseconds())
	}
	if policy.GetGracePeriod() != nil {
		grace = time.Duration(policy.GetGracePeriod().GetNanoseconds())
	}
	a.killGrace(t, grace)
}

func (a *Agent) killGrace(t *task, grace time.Duration) {
	if t.terminal || t.killing {
		return
	}
	if !t.delivered {
		msgText := killedDuringLaunchMessage
		victims := []*task{t}
		if len(t.group) > 0 {
			msgText, victims = groupKilledDuringLaunchMessage, t.group
		}
		for _, v := range victims {
			if !v.terminal && !v.delivered {
				a.terminate(v, a.status(v, mesospb.TaskState_TASK_KILLED, mesospb.TaskStatus_SOURCE_AGENT,
					mesospb.TaskStatus_REASON_TASK_KILLED_DURING_LAUNCH, msgText), false)
			}
		}
		return
	}
	t.killing = true
	if t.fw.has(mesospb.FrameworkInfo_Capability_TASK_KILLING_STATE) {
		s := a.status(t, mesospb.TaskState_TASK_KILLING, mesospb.TaskStatus_SOURCE_EXECUTOR, -1, "")
		if t.last != nil {
			s.Healthy = t.last.Healthy
		}
		a.report(t, s)
	}
	if t.ex.state == exTerminating {
		grace = min(grace, ExecutorShutdownGracePeriod)
	}
	switch {
	case t.beh.HangOnKill:
		a.tracef("task %s hangs on kill", t.id)
	case t.beh.IgnoreTerm && grace > 0:
		t.addTimer(a.pafter(grace, "agent.sigkill", func() { a.signalled(t, "Killed") }))
	case t.beh.IgnoreTerm:
		a.signalled(t, "Killed")
	default:
		a.signalled(t, "Terminated")
	}
}

// shutdownExecutor kills the executor's tasks; what is still alive after
// the executor shutdown grace period is destroyed with the executor.
func (a *Agent) shutdownExecutor(ex *executor) {
	if ex.state != exRunning {
		return
	}
	ex.state = exTerminating
	for _, t := range ex.live() {
		a.kill(t, nil)
	}
	if ex.state == exTerminated {
		return
	}
	if len(ex.live()) == 0 {
		a.executorExited(ex, 0)
		return
	}
	ex.shutTimer = a.pafter(ExecutorShutdownGracePeriod, "agent.executor-shutdown", func() {
		a.executorExited(ex, 9) // SIGKILL
	})
}

// shutdownFramework shuts down every executor of the framework
// (Slave::shutdownFramework); its updates are no longer sent.
func (a *Agent) shutdownFramework(fwID string) {
	fw := a.frameworks[fwID]
	if fw == nil || fw.terminating {
		return
	}
	fw.terminating = true
	for _, ex := range fw.sortedExecutors() {
		a.shutdownExecutor(ex)
	}
	a.maybeRemoveFramework(fw)
}

// shutdownAgent: the master told the agent to shut down (Slave::shutdown):
// every framework is shut down, and the agent process ends when its
// executors are gone (at most the executor shutdown grace period later).
// It stays down, like Crash, until Restart.
func (a *Agent) shutdownAgent(message string) {
	a.tracef("shut down by the master: %s", message)
	for _, fw := range a.sortedFrameworks() {
		a.shutdownFramework(fw.id)
	}
	a.shuttingDown = true // ignore the master from now on
	a.pafter(ExecutorShutdownGracePeriod, "agent.shutdown", func() {
		a.shuttingDown = false
		a.Crash()
	})
}

func (a *Agent) frameworkMessage(m *msg.FrameworkToExecutor) {
	fw := a.frameworks[m.FrameworkID]
	if fw == nil {
		return
	}
	ex := fw.executors[m.ExecutorID]
	if ex == nil || ex.state != exRunning {
		return
	}
	for _, t := range ex.live() {
		if t.beh.Reply != nil {
			if out := t.beh.Reply(m.Data); out != nil {
				a.send(&msg.ExecutorToFramework{AgentID: a.id, FrameworkID: fw.id, ExecutorID: ex.id, Data: out})
			}
			return
		}
	}
}

// SendFrameworkMessage sends a message from an executor to its framework
// (best effort, like Mesos).
func (a *Agent) SendFrameworkMessage(frameworkID, executorID string, data []byte) error {
	fw := a.frameworks[frameworkID]
	if fw == nil || fw.executors[executorID] == nil || fw.executors[executorID].state == exTerminated {
		return fmt.Errorf("agent %s: no executor %s of framework %s", a.cfg.Name, executorID, frameworkID)
	}
	if a.state == stateStopped {
		return fmt.Errorf("agent %s: not running", a.cfg.Name)
	}
	a.send(&msg.ExecutorToFramework{AgentID: a.id, FrameworkID: frameworkID, ExecutorID: executorID, Data: data})
	return nil
}

// healthCheck runs one simulated health check (checks/health_checker.cpp).
func (a *Agent) healthCheck(t *task) {
	if t.terminal || t.killing {
		return
	}
	hc := t.info.GetHealthCheck()
	now := a.l.Elapsed()
	healthy := t.beh.UnhealthyAfter <= 0 || now-t.startedAt < t.beh.UnhealthyAfter
	if healthy {
		if t.hcInitial || t.hcFailures > 0 {
			a.healthUpdate(t, true)
			t.hcInitial = false
		}
		t.hcFailures = 0
	} else {
		grace := secs(hc.GetGracePeriodSeconds())
		if !(t.hcInitial && grace > 0 && now-t.startedAt <= grace) {
			t.hcFailures++
			a.healthUpdate(t, false)
			if t.hcFailures >= hc.GetConsecutiveFailures() {
				t.killedByHC = true
				a.kill(t, nil)
				return
			}
		}
	}
	t.addTimer(a.pafter(secs(hc.GetIntervalSeconds()), "agent.health-check", func() { a.healthCheck(t) }))
}

func (a *Agent) healthUpdate(t *task, healthy bool) {
	s := proto.Clone(t.last).(*mesospb.TaskStatus)
	u := loop.NewUUID(a.rng)
	s.Uuid = u[:]
	s.Timestamp = proto.Float64(float64(a.l.Now().UnixNano()) / 1e9)
	s.Reason = mesospb.TaskStatus_REASON_TASK_HEALTH_CHECK_STATUS_UPDATED.Enum()
	s.Healthy = proto.Bool(healthy)
	t.healthyBool = proto.Bool(healthy)
	a.report(t, s)
}

// checkpointResources applies the master's checkpointed resources (dynamic
// reservations, persistent volumes) to the agent's total.
func (a *Agent) checkpointResources(ps []*mesospb.Resource) {
	cp := mustRes(ps, "checkpointed resources")
	total := a.baseTotal
	for r := range cp.All() {
		p := r.ToProto()
		// Strip what CheckpointResources added: dynamic reservations and
		// disk persistence.
		var keep []*mesospb.Resource_ReservationInfo
		for _, res := range p.GetReservations() {
			if res.GetType() == mesospb.Resource_ReservationInfo_STATIC {
				keep = append(keep, res)
			}
		}
		p.Reservations = keep
		p.Disk = nil
		p.Shared = nil
		base, err := resources.FromProto([]*mesospb.Resource{p})
		if err != nil {
			panic(fmt.Sprintf("agent %s: checkpointed resource %s: %v", a.cfg.Name, r, err))
		}
		if !total.Contains(base) {
			panic(fmt.Sprintf("agent %s: checkpointed %s not in %s", a.cfg.Name, r, total))
		}
		total = total.Minus(base).PlusResource(r)
	}
	a.total = total
	// NB: AgentInfo.resources stay the --resources; the master applies the
	// checkpointed resources it is sent alongside, as with Mesos.
	a.checkpointed = ps
}

// ---- inspection ----

// Task is a task as the agent sees it.
type Task struct {
	FrameworkID, TaskID, ExecutorID string
	// State is the latest state the executor or agent reported
	// (TASK_STAGING before the first report).
	State mesospb.TaskState
	// Healthy is the latest health check result, nil before any.
	Healthy   *bool
	Resources resources.Resources
}

// Tasks lists the agent's tasks, sorted by framework and task id: live
// ones, and terminal ones whose terminal update awaits acknowledgement.
func (a *Agent) Tasks() []Task {
	out := make([]Task, 0, len(a.tasks))
	for _, t := range a.sortedTasks() {
		out = append(out, Task{FrameworkID: t.fwID, TaskID: t.id, ExecutorID: t.ex.id,
			State: t.state, Healthy: t.healthyBool, Resources: t.res})
	}
	return out
}

// Executor is an executor as the agent sees it.
type Executor struct {
	FrameworkID, ExecutorID string
	Kind                    string // "command", "default" or "custom"
	Terminated              bool
	Tasks                   int // tasks still listed
}

// Executors lists the agent's executors, sorted by framework and id.
func (a *Agent) Executors() []Executor {
	var out []Executor
	for _, fw := range a.sortedFrameworks() {
		for _, ex := range fw.sortedExecutors() {
			out = append(out, Executor{FrameworkID: fw.id, ExecutorID: ex.id, Kind: ex.kind.String(),
				Terminated: ex.state == exTerminated, Tasks: len(ex.tasks)})
		}
	}
	return out
}

func (a *Agent) sortedTasks() []*task {
	ts := make([]*task, 0, len(a.tasks))
	for _, t := range a.tasks {
		if t.ghost {
			continue
		}
		ts = append(ts, t)
	}
	slices.SortFunc(ts, func(x, y *task) int {
		return cmp.Or(cmp.Compare(x.fwID, y.fwID), cmp.Compare(x.id, y.id))
	})
	return ts
}

func (a *Agent) sortedFrameworks() []*framework {
	fws := make([]*framework, 0, len(a.frameworks))
	for _, fw := range a.frameworks {
		fws = append(fws, fw)
	}
	slices.SortFunc(fws, func(x, y *framework) int { return cmp.Compare(x.id, y.id) })
	return fws
}

func (fw *framework) sortedExecutors() []*executor {
	exs := make([]*executor, 0, len(fw.executors))
	for _, ex := range fw.executors {
		exs = append(exs, ex)
	}
	slices.SortFunc(exs, func(x, y *executor) int { return cmp.Compare(x.id, y.id) })
	return exs
}
