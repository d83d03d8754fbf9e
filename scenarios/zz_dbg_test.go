package scenarios

import (
	"os"
	"testing"
)

func TestDbgNamed(t *testing.T) {
	n := os.Getenv("NAMED")
	if n == "" {
		t.Skip()
	}
	res, err := Run(n, 42)
	t.Log(err)
	os.WriteFile("/tmp/trace.txt", []byte(res.Trace), 0o644)
	t.Log(res.Report())
}
