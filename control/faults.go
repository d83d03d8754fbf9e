package control

import "net/http"

// faults injects one fault or installs a schedule.
//
// TODO(faults): wire faults.ParseFault / faults.Unmarshal and the
// cluster's InjectFault / InstallSchedule once they exist.
func (s *Server) faults(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.readBody(w, r); err != nil {
		return err
	}
	return errorf(http.StatusNotImplemented, "fault injection is not available in this build")
}
