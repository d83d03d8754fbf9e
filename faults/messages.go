package faults

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/mesos-sim/mesos-sim/msg"
)

// MessageKinds returns the kinds of the messages between master and agents
// (package msg), sorted: what Match.Kind may name.
func MessageKinds() []string { return slices.Clone(messageKinds()) }

// NB: TestMessageKindsMatchPackageMsg fails when package msg gains a message
// that is missing here.
var messageKinds = sync.OnceValue(func() []string {
	bodies := []msg.Body{
		&msg.RegisterAgent{}, &msg.ReregisterAgent{}, &msg.UnregisterAgent{},
		&msg.StatusUpdate{}, &msg.ExecutorToFramework{}, &msg.ExitedExecutor{},
		&msg.Pong{}, &msg.AgentRegistered{}, &msg.AgentReregistered{},
		&msg.RunTask{}, &msg.RunTaskGroup{}, &msg.KillTask{},
		&msg.ShutdownFramework{}, &msg.ShutdownExecutor{},
		&msg.StatusUpdateAcknowledgement{}, &msg.FrameworkToExecutor{},
		&msg.UpdateFramework{}, &msg.CheckpointResources{}, &msg.Ping{},
		&msg.ShutdownAgent{}, &msg.DrainAgent{},
	}
	kinds := make([]string, len(bodies))
	for i, b := range bodies {
		kinds[i] = b.Kind()
	}
	slices.Sort(kinds)
	return kinds
})

// checkMessageKind reports an error unless kind is empty or a message kind.
func checkMessageKind(field, kind string) error {
	if kind == "" || slices.Contains(messageKinds(), kind) {
		return nil
	}
	if slices.Contains(messageKinds(), kind+"Message") {
		return fmt.Errorf("%s: %q is not a message kind; did you mean %q?", field, kind, kind+"Message")
	}
	return fmt.Errorf("%s: %q is not a message kind (kinds: %s)", field, kind, strings.Join(messageKinds(), ", "))
}
