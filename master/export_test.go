package master

// StreamPushed returns how many events the master has queued on the stream
// with the id, for tests that must know they have read everything.
func StreamPushed(m *Master, streamID string) uint64 {
	for _, fw := range m.frameworks {
		if fw.sub != nil && fw.sub.StreamID == streamID {
			return fw.sub.Pushed()
		}
	}
	for _, fw := range m.completedFrameworks {
		if fw.sub != nil && fw.sub.StreamID == streamID {
			return fw.sub.Pushed()
		}
	}
	return 0
}

// NewestOperatorStream returns the id of the operator stream subscribed
// last, "" if none.
func NewestOperatorStream(m *Master) string {
	subs := m.op().subscribers
	if len(subs) == 0 {
		return ""
	}
	return subs[len(subs)-1].sub.StreamID
}

// OperatorPushed returns how many events the master has queued on the
// operator stream with the id.
func OperatorPushed(m *Master, streamID string) uint64 {
	for _, s := range m.op().subscribers {
		if s.sub.StreamID == streamID {
			return s.sub.Pushed()
		}
	}
	return 0
}
