package recordio

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
)

// fuzzLimit is small so the fuzzer reaches ErrRecordTooLarge easily.
const fuzzLimit = 1000

// errKind names the class of a Reader error, for comparing readers.
func errKind(err error) string {
	switch {
	case err == io.EOF:
		return "eof"
	case errors.Is(err, ErrMalformedLength) && errors.Is(err, io.ErrUnexpectedEOF):
		return "malformed-eof"
	case errors.Is(err, ErrMalformedLength):
		return "malformed"
	case errors.Is(err, ErrRecordTooLarge):
		return "too-large"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated"
	}
	return "unexpected: " + err.Error()
}

// refDecode is an independent, whole-input decoder written straight from
// the grammar, used as an oracle for the streaming Reader.
func refDecode(data []byte, limit int) (recs [][]byte, kind string) {
	for pos := 0; ; {
		if pos == len(data) {
			return recs, "eof"
		}
		rest := data[pos:]
		nl := bytes.IndexByte(rest, '\n')
		header := rest
		if nl >= 0 {
			header = rest[:nl]
		}
		if len(header) > maxHeaderLen || !allDigits(header) {
			return recs, "malformed"
		}
		n, err := strconv.ParseUint(string(header), 10, 64)
		if err != nil { // empty, or too big for a uint64
			return recs, "malformed"
		}
		if nl < 0 {
			return recs, "malformed-eof"
		}
		if n > uint64(limit) {
			return recs, "too-large"
		}
		body := rest[nl+1:]
		if uint64(len(body)) < n {
			return recs, "truncated"
		}
		recs = append(recs, body[:n])
		pos += nl + 1 + int(n)
	}
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// canonical rewrites a consumed frame with its header's redundant leading
// zeros removed, which is the only liberty the Reader accepts beyond what
// AppendFrame produces.
func canonical(frame []byte) []byte {
	nl := bytes.IndexByte(frame, '\n')
	if nl < 0 {
		return frame
	}
	header := bytes.TrimLeft(frame[:nl], "0")
	if len(header) == 0 {
		header = []byte("0")
	}
	return append(append(bytes.Clone(header), '\n'), frame[nl+1:]...)
}

type decodeResult struct {
	Records [][]byte
	Kind    string
}

func decodeWith(t *testing.T, data []byte, src io.Reader) decodeResult {
	r := NewReader(src, MaxRecordSize(fuzzLimit))
	var res decodeResult
	var prev int64
	for {
		rec, err := r.ReadRecord()
		if err != nil {
			res.Kind = errKind(err)
			if err == io.EOF && r.InputOffset() != int64(len(data)) {
				t.Fatalf("io.EOF after consuming %d of %d bytes", r.InputOffset(), len(data))
			}
			if again, err2 := r.ReadRecord(); again != nil || err2 != err {
				t.Fatalf("error not sticky: first %v, then %q, %v", err, again, err2)
			}
			return res
		}
		if rec == nil {
			t.Fatalf("nil record with nil error")
		}
		if len(rec) > fuzzLimit {
			t.Fatalf("record of %d bytes exceeds the limit of %d", len(rec), fuzzLimit)
		}
		off := r.InputOffset()
		if off <= prev || off > int64(len(data)) {
			t.Fatalf("InputOffset went from %d to %d (input %d bytes)", prev, off, len(data))
		}
		consumed := data[prev:off]
		if got, want := canonical(consumed), AppendFrame(nil, rec); !bytes.Equal(got, want) {
			t.Fatalf("record %q was read from %q, which does not re-encode: want %q", rec, consumed, want)
		}
		prev = off
		res.Records = append(res.Records, rec)
	}
}

// FuzzReader feeds arbitrary bytes to the Reader. It must not panic, must
// not return a record over its limit, must account for every byte of each
// record it returns, must agree with refDecode, and must not depend on how
// the input is split into reads.
func FuzzReader(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		whole := decodeWith(t, data, bytes.NewReader(data))

		recs, kind := refDecode(data, fuzzLimit)
		want := decodeResult{Records: recs, Kind: kind}
		if diff := cmp.Diff(want, whole); diff != "" {
			t.Fatalf("Reader disagrees with refDecode on %q (-ref +reader):\n%s", data, diff)
		}

		oneByte := decodeWith(t, data, iotest.OneByteReader(bytes.NewReader(data)))
		if diff := cmp.Diff(whole, oneByte); diff != "" {
			t.Fatalf("one-byte reads change the result for %q (-whole +one-byte):\n%s", data, diff)
		}
		chunked := decodeWith(t, data, newChunkReader(bytes.NewReader(data), uint64(len(data)), 5))
		if diff := cmp.Diff(whole, chunked); diff != "" {
			t.Fatalf("random reads change the result for %q (-whole +chunked):\n%s", data, diff)
		}
	})
}
