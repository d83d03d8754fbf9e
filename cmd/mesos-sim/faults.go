package main

import (
	"errors"

	"github.com/mesos-sim/mesos-sim/faults"
	"github.com/mesos-sim/mesos-sim/sim"
)

// installSchedule installs the cluster file's fault schedule.
//
// TODO(faults): c.InstallSchedule(s) once sim has it.
func installSchedule(c *sim.Cluster, s faults.Schedule) error {
	_ = c
	_ = s
	return errors.New("fault schedules are not available in this build")
}
