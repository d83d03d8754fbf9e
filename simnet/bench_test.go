package simnet

import (
	"testing"

	"github.com/mesos-sim/mesos-sim/loop"
)

// BenchmarkSend measures one message sent and delivered at zero latency,
// with and without a (non-matching) filter installed.
func BenchmarkSend(b *testing.B) {
	for _, filters := range []int{0, 3} {
		b.Run("filters="+string(rune('0'+filters)), func(b *testing.B) {
			l := loop.New(loop.Config{Seed: 1})
			net := New(l, Config{})
			net.Register("S0", func(Message) {})
			for range filters {
				net.AddFilter(Drop(Match{From: "S1", Bidirectional: true}))
			}
			m := Message{From: "master", To: "S0", Kind: "RunTask"}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				net.Send(m)
				if err := l.Settle(10); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
