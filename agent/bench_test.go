package agent

import (
	"fmt"
	"testing"

	"github.com/mesos-sim/mesos-sim/msg"
)

// BenchmarkLaunchKill: launch, acknowledge (STARTING, RUNNING), kill,
// acknowledge (KILLED) one command task per op, over the loop, no HTTP.
func BenchmarkLaunchKill(b *testing.B) {
	l, m, as := newWorld(b, Config{Name: "agent-1", Resources: "cpus:4;mem:4096"})
	m.autoAck = true
	a := as[0]
	a.Start()
	settle(b, l)
	fw := fwInfo("F1")
	tasks := make([]*msg.RunTask, 1024)
	for i := range tasks {
		tasks[i] = &msg.RunTask{Framework: fw, Task: cmdTask(fmt.Sprintf("t%d", i), "./serve", "")}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		rt := tasks[i%len(tasks)]
		i++
		m.send("agent-1", rt)
		m.send("agent-1", &msg.KillTask{FrameworkID: "F1", TaskID: rt.Task.GetTaskId().GetValue()})
		if err := l.Settle(1000); err != nil {
			b.Fatal(err)
		}
		m.got = m.got[:0]
		m.at = m.at[:0]
	}
	if len(a.Tasks()) != 0 || !a.Used().IsEmpty() {
		b.Fatalf("tasks %v used %v", a.Tasks(), a.Used())
	}
}
