package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
)

// BenchmarkStartup measures the whole process, from exec to the first
// successful HTTP answer (GET /sim/v1/cluster), with 3 and with 1,000
// agents; stopping the process is not counted.
func BenchmarkStartup(b *testing.B) {
	for _, agents := range []int{3, 1000} {
		b.Run(fmt.Sprintf("agents=%d", agents), func(b *testing.B) {
			for range b.N {
				cmd := exec.Command(binary, "--addr", "127.0.0.1:0", "--agents", strconv.Itoa(agents), "--log-level", "error")
				stdout, err := cmd.StdoutPipe()
				if err != nil {
					b.Fatal(err)
				}
				if err := cmd.Start(); err != nil {
					b.Fatal(err)
				}
				sc := bufio.NewScanner(stdout)
				var url string
				for url == "" && sc.Scan() {
					if m := listening.FindStringSubmatch(sc.Text()); m != nil {
						url = m[1]
					}
				}
				if url == "" {
					b.Fatal("mesos-sim did not say where it listens")
				}
				resp, err := http.Get(url + "/sim/v1/cluster")
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Fatalf("GET /sim/v1/cluster: %d", resp.StatusCode)
				}
				b.StopTimer()
				cmd.Process.Signal(syscall.SIGTERM)
				go io.Copy(io.Discard, stdout)
				if err := cmd.Wait(); err != nil {
					b.Fatalf("exit: %v", err)
				}
				b.StartTimer()
			}
		})
	}
}
