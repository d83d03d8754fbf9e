package agent_test

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/agent"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/msg"
	"github.com/mesos-sim/mesos-sim/resources"
	"github.com/mesos-sim/mesos-sim/simnet"
)

func Example() {
	l := loop.New(loop.Config{Seed: 7})
	net := simnet.New(l, simnet.Config{})
	// A stand-in master: admits the agent, prints and acknowledges updates.
	net.Register(msg.MasterEndpoint, func(m simnet.Message) {
		switch b := m.Body.(type) {
		case *msg.RegisterAgent:
			net.Send(msg.Envelope(msg.MasterEndpoint, m.From, &msg.AgentRegistered{AgentID: "M-S0"}))
		case *msg.StatusUpdate:
			fmt.Printf("%5v %s %s %q\n", l.Elapsed(), b.Status.GetTaskId().GetValue(), b.Status.GetState(), b.Status.GetMessage())
			net.Send(msg.Envelope(msg.MasterEndpoint, m.From, &msg.StatusUpdateAcknowledgement{
				AgentID: "M-S0", FrameworkID: b.FrameworkID, TaskID: b.Status.GetTaskId().GetValue(), UUID: b.Status.GetUuid()}))
		}
	})
	a := agent.New(l, net, agent.Config{Name: "agent-1", Resources: "cpus:4;mem:8192"})
	a.Start()
	_ = l.Settle(1000)

	task := &mesospb.TaskInfo{
		Name:      proto.String("batch"),
		TaskId:    &mesospb.TaskID{Value: proto.String("batch-1")},
		Resources: resources.MustParse("cpus:1;mem:512").Allocate("*").ToProto(),
		Command:   &mesospb.CommandInfo{Value: proto.String("sleep 30")},
	}
	fw := &mesospb.FrameworkInfo{Id: &mesospb.FrameworkID{Value: proto.String("F0")}, Name: proto.String("fw"), User: proto.String("u")}
	net.Send(msg.Envelope(msg.MasterEndpoint, "agent-1", &msg.RunTask{Framework: fw, Task: task}))
	_ = l.Settle(1000)
	fmt.Println("used:", a.Used())
	_ = l.Advance(time.Minute)
	fmt.Println("used:", a.Used(), "tasks:", len(a.Tasks()))
	// Output:
	//    0s batch-1 TASK_STARTING ""
	//    0s batch-1 TASK_RUNNING ""
	// used: cpus:1; mem:512
	//   30s batch-1 TASK_FINISHED "Command exited with status 0"
	// used: {} tasks: 0
}
