package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPythonJSONClient runs examples/python/hello_framework.py, a scheduler
// in plain Python speaking JSON, against the binary: it launches "echo
// hello" and exits 0 once the task has finished.
func TestPythonJSONClient(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	p := start(t)
	addr := strings.TrimPrefix(p.url, "http://")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, filepath.Join("..", "..", "examples", "python", "hello_framework.py"), addr).CombinedOutput()
	if err != nil {
		t.Fatalf("hello_framework.py: %v\n%s", err, out)
	}
	for _, want := range []string{"subscribed as", "task hello-1 TASK_RUNNING", "task hello-1 TASK_FINISHED"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
