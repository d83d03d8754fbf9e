// Package agent simulates Mesos agents: their registration with the master,
// their resources, the executors and tasks they run, scripted task
// behaviours, health checks and the status update manager — with the
// semantics of a Mesos 1.11 agent (src/slave/slave.cpp,
// src/slave/task_status_update_manager.cpp, src/launcher/executor.cpp,
// src/launcher/default_executor.cpp, src/checks/health_checker.cpp).
//
// An [Agent] is a state machine run by a [loop.Loop]. It talks to the master
// only through [simnet] with the messages of package [msg]; it starts no
// goroutine, reads no wall clock and draws randomness only from
// loop.Rand("agent/<name>"). Nothing happens without the loop: a launch to
// TASK_RUNNING, a kill to TASK_KILLED take no virtual time, exactly as under
// Mesos's paused test clock; only timers (retries, behaviours, health
// checks, grace periods) need the clock to move.
//
// # Usage
//
//	l := loop.New(loop.Config{Seed: 7})
//	net := simnet.New(l, simnet.Config{})
//	a := agent.New(l, net, agent.Config{Name: "agent-1", Resources: "cpus:4;mem:8192"})
//	a.Start() // registers endpoint "agent-1", sends RegisterSlaveMessage to "master"
//	...
//	a.Tasks()          // what it runs, sorted, with states
//	a.Used(), a.Total()
//	a.PendingUpdates() // unacknowledged status updates
//
// # Tasks and executors
//
// A task without an ExecutorInfo runs under a simulated command executor
// whose id is the task id. Like Mesos (Slave::getExecutorInfo) its
// ExecutorInfo carries an allowance of cpus:0.1;mem:32
// ([CommandExecutorOverhead]) that the agent does not count in [Agent.Used]
// — Mesos calls this "a small overcommit". Task groups run under the
// default executor, whose declared resources are counted, as are those of
// custom executors. A command or default executor ends (ExitedExecutor to
// the master) when its last task ends; the default executor kills the rest
// of a task group when one of its tasks fails or is killed. A custom
// executor lives until the master shuts it down (ShutdownExecutor,
// ShutdownFramework) or it crashes. ExitedExecutor is sent for every kind
// of executor, as package msg specifies (Mesos sends it only for executors
// that are not command executors; the master ignores those anyway).
//
// Every launch is checked against total minus used; an over-commit panics:
// it is a bug in the master or the allocator, surfaced loudly.
//
// Status updates from a delivered task: TASK_STARTING, TASK_RUNNING (both
// at once, SOURCE_EXECUTOR), then what its behaviour says. Each has its own
// uuid, timestamp = virtual now in seconds, agent_id and executor_id. The
// command decides how a task ends unless a behaviour does:
//
//	sleep N        TASK_FINISHED after N virtual seconds, "Command exited with status 0"
//	true, exit 0   TASK_FINISHED at once
//	exit K, false  TASK_FAILED at once, "Command exited with status K" (false: 1)
//	anything else  runs until killed
//
// A kill sends TASK_KILLING first if the framework has TASK_KILLING_STATE,
// then TASK_KILLED "Command terminated with signal Terminated". A task
// that ignores SIGTERM dies at the end of the grace period (the KillTask's
// kill_policy, else the task's, else 3 s) with "... signal Killed". Kill of
// a task not yet delivered: TASK_KILLED, REASON_TASK_KILLED_DURING_LAUNCH,
// SOURCE_AGENT. Kill of a task the agent does not know (of a framework it
// knows): TASK_LOST (partition-aware: TASK_DROPPED),
// REASON_EXECUTOR_TERMINATED, "Cannot find executor"; of an unknown
// framework: ignored. Shutting an executor down kills its tasks (grace
// capped at the 5 s executor shutdown grace period) and destroys whatever
// is still alive after 5 s (TASK_FAILED, REASON_EXECUTOR_TERMINATED,
// "Executor terminated"). ShutdownFramework does the same to every executor
// of the framework, but, like Slave::statusUpdate for a terminating
// framework, sends no status updates for it (the master reports its tasks
// itself) and drops its pending ones; later KillTask and RunTask messages
// for it are ignored. ShutdownAgent shuts every framework down and then the
// agent process (as [Agent.Crash]) at most 5 s later.
//
// Launches are also timed: a task with max_completion_time is killed when
// it elapses, with no grace period (TASK_FAILED,
// REASON_MAX_COMPLETION_TIME_REACHED).
//
// # Health checks
//
// A task with a health_check is checked delay_seconds (default 15) after it
// starts running, then every interval_seconds (10). The first success, and
// the first after failures, send TASK_RUNNING healthy=true,
// REASON_TASK_HEALTH_CHECK_STATUS_UPDATED; every failure outside the grace
// period (grace_period_seconds, 10, until the first success) sends
// healthy=false; consecutive_failures (3) failures kill the task:
// TASK_KILLED with healthy=false (executor.cpp). Checks always pass unless
// the behaviour says unhealthy-after.
//
// # Behaviours
//
// [Config].Behaviors gives tasks a [Behavior] by [Rule]; the task label
// "mesos-sim.behavior" ([BehaviorLabel]) overrides the rules. Its value is
// a list of words separated by spaces:
//
//	run=DUR           exit after DUR (with exit=K, else 0), whatever the command
//	exit=K            exit with K (0..255) after run=, at once without
//	start-delay=DUR   deliver the task to its executor only after DUR
//	fail-to-start     TASK_FAILED, REASON_CONTAINER_LAUNCH_FAILED, SOURCE_AGENT
//	ignore-term       survive SIGTERM: die only when the kill grace period ends
//	hang-on-kill      after a kill, never report again
//	crash-executor=DUR  the executor dies DUR after launch: TASK_FAILED,
//	                  REASON_EXECUTOR_TERMINATED, SOURCE_AGENT; ExitedExecutor
//	unhealthy-after=DUR health checks fail from DUR after start (0: at once)
//	echo              answer each framework message with the same data
//
// DUR is a Go duration ("90s", "1m30s") or a number of seconds ("2.5").
// Example: "run=30s exit=1", "start-delay=2s ignore-term". A label that
// does not parse is a bug of the test: the task fails to launch
// (TASK_FAILED, REASON_CONTAINER_LAUNCH_FAILED) with a message that names
// the error.
//
// # Status update manager
//
// One ordered stream per task; only its head is sent to the master
// (StatusUpdateMessage with latest_state), retried after 10 s, doubling, at
// most every 10 min, until a StatusUpdateAcknowledgement with the head's
// uuid arrives; then the next is sent at once. Duplicate and unknown
// acknowledgements are ignored. UpdateFramework and (re-)registration
// resend every pending head at once. A terminal update releases the task's
// resources when the executor reports it; the task leaves [Agent.Tasks]
// when that update is acknowledged. While disconnected, nothing is sent.
//
// # Registration
//
// [Agent.Start] sends RegisterSlaveMessage at once (Mesos first waits a
// random time in [0, 1 s]; the simulator does not, so that a cluster is up
// without virtual time passing), then retries after a random delay in
// [0, 2^n s], capped at 1 min, until the master answers. Without a Ping for
// ping timeout x 5 (75 s by default) the agent considers the master lost
// and re-registers (ReregisterSlaveMessage with its frameworks, executors
// and tasks) with the same backoff.
//
// # Crash and restart
//
// [Agent.Crash] kills the agent process: its endpoint is unregistered and
// nothing it scheduled happens. [Agent.Restart](true) recovers: same agent
// id, the executors, tasks and pending status updates of frameworks with
// checkpoint=true survive (what their processes would have done while the
// agent was down happens at once), the rest is gone; it re-registers with
// ReregisterSlaveMessage. [Agent.Restart](false) starts afresh with a new
// registration.
//
// # Differences from Mesos
//
//   - No containers, no processes: executors and tasks are bookkeeping.
//   - Executors register at once; a command executor exits at once after its
//     task's terminal update (Mesos: about 1 s later).
//   - A second kill of a task being killed is ignored (Mesos may shorten the
//     grace period).
package agent
