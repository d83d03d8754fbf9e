package recordio

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

var benchSizes = []struct {
	name string
	rec  []byte
}{
	{"heartbeat-20B", []byte(`{"type":"HEARTBEAT"}`)},
	{"offer-1KiB", bytes.Repeat([]byte("x"), 1<<10)},
	{"state-64KiB", bytes.Repeat([]byte("y"), 64<<10)},
}

func BenchmarkAppendFrame(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			buf := make([]byte, 0, len(bs.rec)+32)
			b.SetBytes(int64(len(bs.rec)))
			b.ReportAllocs()
			for b.Loop() {
				buf = AppendFrame(buf[:0], bs.rec)
			}
		})
	}
}

func BenchmarkWriteRecord(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			w := NewWriter(io.Discard)
			b.SetBytes(int64(len(bs.rec)))
			b.ReportAllocs()
			for b.Loop() {
				if err := w.WriteRecord(bs.rec); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchStream returns a stream of as many frames of rec as fit in about
// 1 MiB (at least 16).
func benchStream(rec []byte) []byte {
	frame := AppendFrame(nil, rec)
	n := max(16, (1<<20)/len(frame))
	return bytes.Repeat(frame, n)
}

func BenchmarkReadRecord(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			stream := benchStream(bs.rec)
			src := bytes.NewReader(stream)
			r := NewReader(src)
			b.SetBytes(int64(len(bs.rec)))
			b.ReportAllocs()
			for b.Loop() {
				_, err := r.ReadRecord()
				if err == io.EOF {
					src.Reset(stream)
					r.Reset(src)
					_, err = r.ReadRecord()
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkAppendRecord(b *testing.B) {
	for _, bs := range benchSizes {
		b.Run(bs.name, func(b *testing.B) {
			stream := benchStream(bs.rec)
			src := bytes.NewReader(stream)
			r := NewReader(src)
			buf := make([]byte, 0, len(bs.rec))
			b.SetBytes(int64(len(bs.rec)))
			b.ReportAllocs()
			for b.Loop() {
				var err error
				buf, err = r.AppendRecord(buf[:0])
				if err == io.EOF {
					src.Reset(stream)
					r.Reset(src)
					buf, err = r.AppendRecord(buf[:0])
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadRecordOneByte measures the worst case of chunking: every
// underlying read returns one byte.
func BenchmarkReadRecordOneByte(b *testing.B) {
	rec := benchSizes[0].rec
	stream := string(benchStream(rec))
	src := strings.NewReader(stream)
	r := NewReader(oneByte{src})
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		_, err := r.ReadRecord()
		if err == io.EOF {
			src.Reset(stream)
			r.Reset(oneByte{src})
			_, err = r.ReadRecord()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// oneByte is iotest.OneByteReader without its allocation per Reset.
type oneByte struct{ r io.Reader }

func (o oneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}
