package resources

import (
	"testing"
)

// The shapes follow Mesos's Resources_*_BENCHMARK_Test: an agent-sized
// value (DeclineOffers's agent) against a task-sized one, and ports
// fragmented into 16 ranges.

var (
	benchAgent = MustParse("cpus:24;mem:4096;disk:4096;ports:[31000-32000]")
	benchTask  = MustParse("cpus:16;mem:2014;disk:1024;ports:[31000-31000,31002-31002,31004-31004,31006-31006," +
		"31008-31008,31010-31010,31012-31012,31014-31014,31016-31016,31018-31018,31020-31020,31022-31022," +
		"31024-31024,31026-31026,31028-31028,31030-31030]")
	benchSink bool
)

func BenchmarkContains(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = benchAgent.Contains(benchTask)
	}
}

func BenchmarkContainsSelf(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = benchAgent.Contains(benchAgent)
	}
}

func BenchmarkPlus(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = benchAgent.Plus(benchTask).IsEmpty()
	}
}

func BenchmarkMinus(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = benchAgent.Minus(benchTask).IsEmpty()
	}
}

func BenchmarkMinusNoMatch(b *testing.B) {
	gpus := MustParse("gpus:1")
	b.ReportAllocs()
	for b.Loop() {
		benchSink = benchAgent.Minus(gpus).IsEmpty()
	}
}

func BenchmarkAllocatableTo(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = benchAgent.AllocatableTo("web").IsEmpty()
	}
}

func BenchmarkContainsQuantities(b *testing.B) {
	q := MustParseQuantities("mem:32")
	b.ReportAllocs()
	for b.Loop() {
		benchSink = benchAgent.ContainsQuantities(q)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, err := Parse("cpus:24;mem:4096;disk:4096;ports:[31000-32000];gpus(role1):2")
		benchSink = err == nil
	}
}

func BenchmarkString(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		benchSink = benchTask.String() == ""
	}
}
