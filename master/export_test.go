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
