package master_test

import (
	"fmt"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/mesos-sim/mesos-sim/allocator"
	"github.com/mesos-sim/mesos-sim/api/maintenancepb"
	"github.com/mesos-sim/mesos-sim/api/mesosjson"
	"github.com/mesos-sim/mesos-sim/api/mesospb"
	"github.com/mesos-sim/mesos-sim/loop"
	"github.com/mesos-sim/mesos-sim/master"
	"github.com/mesos-sim/mesos-sim/sim"
	"github.com/mesos-sim/mesos-sim/simnet"
)

// Schedule a maintenance window, then take its machine down and bring it
// back up, as the operator API's UPDATE_MAINTENANCE_SCHEDULE,
// START_MAINTENANCE and STOP_MAINTENANCE do.
func ExampleMaster_UpdateMaintenanceSchedule() {
	l := loop.New(loop.Config{Seed: 1})
	m := master.New(l, simnet.New(l, simnet.Config{}), allocator.New(allocator.DefaultOptions()), master.Config{})
	d := sim.NewDriver(l, sim.DriverConfig{})
	defer d.Close()

	host := &mesospb.MachineID{Hostname: proto.String("agent-1"), Ip: proto.String("127.0.0.1")}
	show := func() {
		b, _ := mesosjson.Marshal(m.MaintenanceStatus())
		fmt.Println(string(b))
	}
	_ = d.Do(func() {
		err := m.UpdateMaintenanceSchedule(&maintenancepb.Schedule{Windows: []*maintenancepb.Window{{
			MachineIds: []*mesospb.MachineID{host},
			Unavailability: &mesospb.Unavailability{
				Start:    &mesospb.TimeInfo{Nanoseconds: proto.Int64(l.Now().Add(time.Hour).UnixNano())},
				Duration: &mesospb.DurationInfo{Nanoseconds: proto.Int64(int64(time.Hour))},
			},
		}}})
		fmt.Println(err)
		show()
		fmt.Println(m.StopMaintenance([]*mesospb.MachineID{host}))
		fmt.Println(m.StartMaintenance([]*mesospb.MachineID{host}))
		show()
		fmt.Println(m.StopMaintenance([]*mesospb.MachineID{host}))
		show()
	})
	// Output:
	// <nil>
	// {"draining_machines":[{"id":{"hostname":"agent-1","ip":"127.0.0.1"}}]}
	// Machine '{"hostname":"agent-1","ip":"127.0.0.1"}' is not in DOWN mode and cannot be brought up
	// <nil>
	// {"down_machines":[{"hostname":"agent-1","ip":"127.0.0.1"}]}
	// <nil>
	// {}
}
