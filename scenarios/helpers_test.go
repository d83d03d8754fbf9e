package scenarios_test

import "github.com/mesos-sim/mesos-sim/faults"

func mustSchedule(js string) faults.Schedule {
	s, err := faults.Unmarshal([]byte(js))
	if err != nil {
		panic(err)
	}
	return s
}
