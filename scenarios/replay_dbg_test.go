package scenarios

import (
	"os"
	"testing"
)

func TestReplayDebug(t *testing.T) {
	f := os.Getenv("CASE")
	if f == "" {
		t.Skip()
	}
	res, err := ReplayFile(f)
	t.Log(err)
	os.WriteFile("/tmp/trace.txt", []byte(res.Trace), 0o644)
	t.Log(res.Report())
}
