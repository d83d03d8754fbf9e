package clusterfile

// Template is the cluster file `mesos-sim init` writes: the defaults,
// spelled out and commented, with the optional sections as commented-out
// examples. It parses to [Default].
const Template = `// mesos-sim cluster file: JSON with // comments.
// Start the simulator with it:   mesos-sim --config cluster.json
// Flags given on the command line override what this file says.
{
  // Where the simulator listens: the Mesos master API (/api/v1/scheduler,
  // /master/...) and the simulator's control API (/sim/v1/...).
  "addr": "127.0.0.1:5050",

  // The seed of every random choice the simulator makes (allocation order,
  // ids, fault probabilities). Without one, each start draws a new seed and
  // prints it; give it here, or with --seed, to replay a run.
  // "seed": 42,

  // How virtual time moves. In mode "real" it follows the wall clock, speed
  // virtual seconds per wall second. In mode "manual" it stands still until
  // mesos-sim advance 90s (or POST /sim/v1/clock/advance) moves it.
  "clock": {"mode": "real", "speed": 1},

  // error, warn, info, debug, or trace (every event of the simulation).
  "log_level": "info",
  // How many of the last trace lines mesos-sim trace (GET /sim/v1/trace) shows.
  "trace_lines": 1000,

  // Groups of identical agents, named agent-1, agent-2, ... in this order.
  // resources and attributes use Mesos's --resources and --attributes text;
  // region and zone (both or neither) give the agents a fault domain.
  "agents": [
    {"count": 3, "resources": "cpus:4;mem:8192;disk:65536;ports:[31000-32000]"}
    // , {"count": 2, "resources": "cpus:8;mem:32768;gpus:1", "attributes": "rack:r2;ssd:true",
    //    "region": "eu-west", "zone": "eu-west-1a"}
  ],

  // Roles: when listed, the only roles weights and quota may name.
  // "roles": ["web", "batch"],
  // Role weights for the DRF allocator (Mesos's --weights).
  // "weights": {"web": 2, "batch": 1},
  // Quota per top-level role: what it is guaranteed and what it may not exceed.
  // "quota": {"web": {"guarantee": "cpus:2;mem:4096", "limit": "cpus:8;mem:16384"}},

  // What tasks do, by task name and command ('*' matches any text, '?' one
  // character); the first match wins, and a task's "mesos-sim.behavior"
  // label overrides them all. Without a match the command decides: sleep N
  // finishes after N virtual seconds, exit K and false fail, anything else
  // runs until killed. Words: run=DUR exit=K start-delay=DUR
  // fail-to-start ignore-term hang-on-kill crash-executor=DUR
  // unhealthy-after=DUR echo.
  // "behaviors": [
  //   {"name": "batch-*", "behavior": "run=30s exit=0"},
  //   {"command": "*flaky*", "behavior": "run=10s exit=1"}
  // ],

  // The master's flags (Mesos's defaults shown). An offer_timeout of "0s"
  // means offers never expire.
  "master": {
    "allocation_interval": "1s",
    "offer_timeout": "0s",
    "agent_ping_timeout": "15s",
    "max_agent_ping_timeouts": 5
  }

  // Faults to inject on a schedule, in the faults package's JSON form
  // (see "mesos-sim fault --help"), e.g. partition agent-2 at 60 s of
  // virtual time and heal it at 200 s:
  // , "faults": [
  //   {"at": "60s", "fault": {"kind": "partition", "agent": "agent-2"}},
  //   {"at": "200s", "fault": {"kind": "heal", "agent": "agent-2"}}
  // ]
}
`
