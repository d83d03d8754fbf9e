// Package frameworks holds the reference frameworks of the chaos scenarios:
// Mesos schedulers written as deterministic state machines ([Framework])
// that a driver feeds with the events of their SUBSCRIBE stream and that
// answer with calls through a [Conn]. Package scenarios runs them inside the
// simulator's event loop, where they are deterministic by construction, and
// over plain HTTP (scenarios.RunHTTP), where they are ordinary clients.
//
// # The reference frameworks
//
//   - [ServiceKeeper] keeps N instances of a service running: it relaunches
//     an instance whose task ended, became unreachable (partition-aware) or
//     unknown, kills surplus tasks that come back, suppresses offers while
//     it needs none. An option makes it PARTITION_AWARE.
//   - [BatchRunner] runs M finite jobs (tasks with a run= behaviour) to
//     completion, retrying failures.
//   - [GreedyHoarder] takes what it is offered: it holds offers unanswered
//     ([HoldOffers]) or fills them with tasks that never end ([LaunchLong]).
//   - [NewSlowAcknowledger] acknowledges status updates only after a delay.
//
// Every one of them subscribes again when its stream ends (with its
// framework id, after a short randomised delay, within its failover
// timeout), reconciles after every SUBSCRIBED (explicitly, for every task it
// believes alive, then implicitly), on an agent FAILURE and periodically,
// acknowledges every update that carries a uuid and no other, and reports
// what it believes in a [Snapshot].
//
// # Broken on purpose
//
// [NewForgetsToReconcile], [NewDoubleLaunchOnReoffer] and
// [NewIgnoresUnreachable] are ServiceKeepers with one classic bug each; the
// invariants of package scenarios must catch them.
//
// # Usage
//
//	keeper := func() frameworks.Framework {
//		return frameworks.NewServiceKeeper(frameworks.Options{Tasks: 3, PartitionAware: true})
//	}
//	res, err := scenarios.RunCase(cs, keeper)            // in the loop, deterministic
//	err = scenarios.RunHTTP(ctx, client, url, keeper(), scenarios.HTTPOptions{}) // over HTTP
//
// or through a name: frameworks.Reference("service-keeper"). A framework of
// one's own implements [Framework] (and, to take generated workloads,
// [Configurable]).
package frameworks
