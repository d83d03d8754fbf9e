package clusterfile

import (
	"bytes"
	"fmt"

	"github.com/mesos-sim/mesos-sim/faults"
)

// checkFaults checks the file's fault schedule as far as it can without a
// cluster (agent names are checked when the schedule is installed).
func checkFaults(raw []byte) error {
	_, err := faults.Unmarshal(raw)
	return err
}

// Schedule returns the file's fault schedule, nil if it has none.
func (f *File) Schedule() (faults.Schedule, error) {
	if !hasFaults(f.Faults) {
		return nil, nil
	}
	s, err := faults.Unmarshal(f.Faults)
	if err != nil {
		return nil, fmt.Errorf("faults: %w", err)
	}
	return s, nil
}

// hasFaults reports whether raw holds a schedule: it is neither absent nor
// null.
func hasFaults(raw []byte) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && string(b) != "null"
}
