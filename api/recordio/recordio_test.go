package recordio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// chunkReader returns the bytes of r in reads of random length between 1 and
// max, drawn from a seeded source so failures reproduce.
type chunkReader struct {
	r   io.Reader
	rng *rand.Rand
	max int
}

func newChunkReader(r io.Reader, seed uint64, max int) *chunkReader {
	return &chunkReader{r: r, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), max: max}
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	n := 1 + c.rng.IntN(c.max)
	return c.r.Read(p[:min(n, len(p))])
}

// readAll reads records until an error and returns them with that error.
func readAll(r *Reader) ([][]byte, error) {
	var recs [][]byte
	for {
		rec, err := r.ReadRecord()
		if err != nil {
			return recs, err
		}
		recs = append(recs, rec)
	}
}

// splitters wrap a stream in readers that deliver it in different pieces.
var splitters = []struct {
	name string
	wrap func(io.Reader) io.Reader
}{
	{"whole", func(r io.Reader) io.Reader { return r }},
	{"one-byte", iotest.OneByteReader},
	{"half", iotest.HalfReader},
	{"data-err", iotest.DataErrReader},
	{"random-1-3", func(r io.Reader) io.Reader { return newChunkReader(r, 1, 3) }},
	{"random-1-17", func(r io.Reader) io.Reader { return newChunkReader(r, 2, 17) }},
	{"random-1-4096", func(r io.Reader) io.Reader { return newChunkReader(r, 3, 4096) }},
}

func TestAppendFrame(t *testing.T) {
	tests := []struct {
		name   string
		dst    string
		record string
		want   string
	}{
		{"heartbeat", "", `{"type":"HEARTBEAT"}`, "20\n{\"type\":\"HEARTBEAT\"}"},
		{"one byte", "", "x", "1\nx"},
		{"empty record", "", "", "0\n"},
		{"appends", "3\nabc", "de", "3\nabc2\nde"},
		{"newline in body", "", "a\nb", "3\na\nb"},
		{"ten bytes", "", "0123456789", "10\n0123456789"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(AppendFrame([]byte(tt.dst), []byte(tt.record)))
			if got != tt.want {
				t.Errorf("AppendFrame(%q, %q) = %q, want %q", tt.dst, tt.record, got, tt.want)
			}
		})
	}
}

func TestAppendFrameDoesNotAllocateWithRoom(t *testing.T) {
	rec := []byte(`{"type":"HEARTBEAT"}`)
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		buf = AppendFrame(buf[:0], rec)
	})
	if allocs != 0 {
		t.Errorf("AppendFrame allocated %v times per call, want 0", allocs)
	}
}

func TestRoundTrip(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320000 bytes, > bufio and growStep
	tests := []struct {
		name    string
		records []string
	}{
		{"none", nil},
		{"one", []string{`{"type":"HEARTBEAT"}`}},
		{"several", []string{`{"type":"SUBSCRIBED"}`, `{"type":"HEARTBEAT"}`, "x", "\n\n\n", "12\n"}},
		{"binary", []string{"\x00\xff\x10\n", strings.Repeat("\x00", 300)}},
		{"digits in body", []string{"123", "4\n5678"}},
		{"large", []string{"a", string(big), "b"}},
	}
	for _, tt := range tests {
		var stream bytes.Buffer
		w := NewWriter(&stream)
		for _, rec := range tt.records {
			if err := w.WriteRecord([]byte(rec)); err != nil {
				t.Fatalf("%s: WriteRecord: %v", tt.name, err)
			}
		}
		var want [][]byte
		for _, rec := range tt.records {
			want = append(want, []byte(rec))
		}
		for _, sp := range splitters {
			t.Run(tt.name+"/"+sp.name, func(t *testing.T) {
				r := NewReader(sp.wrap(bytes.NewReader(stream.Bytes())))
				got, err := readAll(r)
				if err != io.EOF {
					t.Fatalf("ReadRecord error = %v, want io.EOF", err)
				}
				if diff := cmp.Diff(want, got, cmp.Comparer(bytes.Equal)); diff != "" {
					t.Errorf("records mismatch (-want +got):\n%s", diff)
				}
				if off := r.InputOffset(); off != int64(stream.Len()) {
					t.Errorf("InputOffset() = %d, want %d", off, stream.Len())
				}
			})
		}
	}
}

func TestReaderAccepts(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"empty stream", "", nil},
		{"zero length record", "0\n", []string{""}},
		{"zero length between records", "1\na0\n1\nb", []string{"a", "", "b"}},
		{"leading zeros", "007\n1234567", []string{"1234567"}},
		{"all zeros", "00000000000000000000\n", []string{""}},
		{"twenty byte header", "00000000000000000003\nabc", []string{"abc"}},
		{"mesos docs example", "20\n{\"type\":\"HEARTBEAT\"}20\n{\"type\":\"HEARTBEAT\"}",
			[]string{`{"type":"HEARTBEAT"}`, `{"type":"HEARTBEAT"}`}},
	}
	for _, tt := range tests {
		for _, sp := range splitters {
			t.Run(tt.name+"/"+sp.name, func(t *testing.T) {
				got, err := readAll(NewReader(sp.wrap(strings.NewReader(tt.input))))
				if err != io.EOF {
					t.Fatalf("error = %v, want io.EOF", err)
				}
				var gotS []string
				for _, rec := range got {
					if rec == nil {
						t.Errorf("ReadRecord returned a nil record")
					}
					gotS = append(gotS, string(rec))
				}
				if diff := cmp.Diff(tt.want, gotS); diff != "" {
					t.Errorf("records mismatch (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestReaderErrors(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		max     int
		want    []string // records read before the error
		wantIs  []error
		wantNot []error
		wantMsg string
	}{
		{
			name:    "non-digit",
			input:   "12a\nxyz",
			wantIs:  []error{ErrMalformedLength},
			wantNot: []error{io.ErrUnexpectedEOF, ErrRecordTooLarge},
			wantMsg: `recordio: malformed record length "12a" at offset 0: byte 'a' is not a decimal digit`,
		},
		{
			name:    "leading plus",
			input:   "+5\nhello",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "+" at offset 0: sign '+' not allowed`,
		},
		{
			name:    "leading minus",
			input:   "-1\n",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "-" at offset 0: sign '-' not allowed`,
		},
		{
			name:    "inner minus",
			input:   "1-1\n",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "1-" at offset 0: byte '-' is not a decimal digit`,
		},
		{
			name:    "hexadecimal",
			input:   "0x10\n",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "0x" at offset 0: byte 'x' is not a decimal digit`,
		},
		{
			name:    "leading space",
			input:   " 5\nhello",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length " " at offset 0: byte ' ' is not a decimal digit`,
		},
		{
			name:    "carriage return",
			input:   "5\r\nhello",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "5\r" at offset 0: byte '\r' is not a decimal digit`,
		},
		{
			name:    "empty header",
			input:   "\n5\nhello",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "" at offset 0: line feed before any digit`,
		},
		{
			name:    "empty header after a record",
			input:   "1\na\n",
			want:    []string{"a"},
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "" at offset 3: line feed before any digit`,
		},
		{
			name:    "missing newline before EOF",
			input:   "12",
			wantIs:  []error{ErrMalformedLength, io.ErrUnexpectedEOF},
			wantNot: []error{io.EOF},
			wantMsg: `recordio: malformed record length "12" at offset 0: stream ends before the line feed ending it: unexpected EOF`,
		},
		{
			name:    "missing newline after a record",
			input:   "5\nhello5",
			want:    []string{"hello"},
			wantIs:  []error{ErrMalformedLength, io.ErrUnexpectedEOF},
			wantMsg: `recordio: malformed record length "5" at offset 7: stream ends before the line feed ending it: unexpected EOF`,
		},
		{
			name:    "too many digits",
			input:   "000000000000000000001\nx",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "000000000000000000001" at offset 0: more than 20 digits`,
		},
		{
			name:    "overflow",
			input:   "18446744073709551616\n",
			wantIs:  []error{ErrMalformedLength},
			wantNot: []error{ErrRecordTooLarge},
			wantMsg: `recordio: malformed record length "18446744073709551616" at offset 0: value overflows uint64`,
		},
		{
			name:    "overflow early",
			input:   "99999999999999999999\n",
			wantIs:  []error{ErrMalformedLength},
			wantMsg: `recordio: malformed record length "99999999999999999999" at offset 0: value overflows uint64`,
		},
		{
			name:    "max uint64 is too large",
			input:   "18446744073709551615\n",
			wantIs:  []error{ErrRecordTooLarge},
			wantNot: []error{ErrMalformedLength},
			wantMsg: `recordio: record too large at offset 0: length 18446744073709551615 exceeds the limit of 4194304 bytes`,
		},
		{
			name:    "one over default limit",
			input:   "4194305\n",
			wantIs:  []error{ErrRecordTooLarge},
			wantMsg: `recordio: record too large at offset 0: length 4194305 exceeds the limit of 4194304 bytes`,
		},
		{
			name:    "over configured limit",
			input:   "3\nabc4\nabcd",
			max:     3,
			want:    []string{"abc"},
			wantIs:  []error{ErrRecordTooLarge},
			wantMsg: `recordio: record too large at offset 5: length 4 exceeds the limit of 3 bytes`,
		},
		{
			name:    "truncated body",
			input:   "20\n{\"type\"",
			wantIs:  []error{io.ErrUnexpectedEOF},
			wantNot: []error{ErrMalformedLength, io.EOF},
			wantMsg: `recordio: truncated record at offset 0: got 7 of 20 bytes: unexpected EOF`,
		},
		{
			name:    "truncated right after header",
			input:   "1\na5\n",
			want:    []string{"a"},
			wantIs:  []error{io.ErrUnexpectedEOF},
			wantMsg: `recordio: truncated record at offset 3: got 0 of 5 bytes: unexpected EOF`,
		},
	}
	for _, tt := range tests {
		for _, sp := range splitters {
			t.Run(tt.name+"/"+sp.name, func(t *testing.T) {
				r := NewReader(sp.wrap(strings.NewReader(tt.input)), MaxRecordSize(tt.max))
				got, err := readAll(r)
				var gotS []string
				for _, rec := range got {
					gotS = append(gotS, string(rec))
				}
				if diff := cmp.Diff(tt.want, gotS); diff != "" {
					t.Errorf("records before the error (-want +got):\n%s", diff)
				}
				if err == nil || err.Error() != tt.wantMsg {
					t.Errorf("error = %v\n     want %s", err, tt.wantMsg)
				}
				for _, target := range tt.wantIs {
					if !errors.Is(err, target) {
						t.Errorf("errors.Is(%v, %v) = false, want true", err, target)
					}
				}
				for _, target := range tt.wantNot {
					if errors.Is(err, target) {
						t.Errorf("errors.Is(%v, %v) = true, want false", err, target)
					}
				}
				// Errors are sticky.
				if rec, again := r.ReadRecord(); again != err || rec != nil {
					t.Errorf("second ReadRecord = %q, %v; want nil, %v", rec, again, err)
				}
			})
		}
	}
}

// failingReader returns data and then err.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReaderUnderlyingError(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name    string
		input   string
		want    []string
		wantMsg string
	}{
		{"at record boundary", "1\na", []string{"a"}, "boom"},
		{"inside header", "1\na12", []string{"a"}, `recordio: reading record length at offset 3 after "12": boom`},
		{"inside body", "1\na5\nab", []string{"a"}, "recordio: reading record at offset 3 (2 of 5 bytes read): boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(&failingReader{data: []byte(tt.input), err: errBoom})
			got, err := readAll(r)
			var gotS []string
			for _, rec := range got {
				gotS = append(gotS, string(rec))
			}
			if diff := cmp.Diff(tt.want, gotS); diff != "" {
				t.Errorf("records (-want +got):\n%s", diff)
			}
			if !errors.Is(err, errBoom) || err.Error() != tt.wantMsg {
				t.Errorf("error = %v, want %s wrapping boom", err, tt.wantMsg)
			}
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrMalformedLength) {
				t.Errorf("I/O error %v is reported as a framing error", err)
			}
		})
	}
}

func TestReaderAppendRecord(t *testing.T) {
	r := NewReader(strings.NewReader("3\nabc0\n2\nde"))
	buf := []byte("prefix:")
	var err error
	for _, want := range []string{"prefix:abc", "prefix:abc", "prefix:abcde"} {
		buf, err = r.AppendRecord(buf)
		if err != nil || string(buf) != want {
			t.Fatalf("AppendRecord = %q, %v; want %q, nil", buf, err, want)
		}
	}
	out, err := r.AppendRecord(buf)
	if err != io.EOF || string(out) != "prefix:abcde" {
		t.Errorf("AppendRecord at end = %q, %v; want dst unchanged, io.EOF", out, err)
	}
}

func TestReaderAppendRecordDoesNotAllocate(t *testing.T) {
	stream := bytes.Repeat(AppendFrame(nil, []byte(`{"type":"HEARTBEAT"}`)), 200)
	src := bytes.NewReader(stream)
	r := NewReader(src)
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		buf, err = r.AppendRecord(buf[:0])
		if err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("AppendRecord allocated %v times per call, want 0", allocs)
	}
}

func TestReaderReset(t *testing.T) {
	r := NewReader(strings.NewReader("x"), MaxRecordSize(10))
	if _, err := r.ReadRecord(); !errors.Is(err, ErrMalformedLength) {
		t.Fatalf("ReadRecord = %v, want ErrMalformedLength", err)
	}
	r.Reset(strings.NewReader("2\nhi"))
	rec, err := r.ReadRecord()
	if err != nil || string(rec) != "hi" || r.InputOffset() != 4 || r.MaxRecordSize() != 10 {
		t.Errorf("after Reset: ReadRecord = %q, %v; InputOffset = %d; MaxRecordSize = %d",
			rec, err, r.InputOffset(), r.MaxRecordSize())
	}
}

func TestMaxRecordSize(t *testing.T) {
	tests := []struct {
		opts []ReaderOption
		want int
	}{
		{nil, DefaultMaxRecordSize},
		{[]ReaderOption{nil}, DefaultMaxRecordSize},
		{[]ReaderOption{MaxRecordSize(0)}, DefaultMaxRecordSize},
		{[]ReaderOption{MaxRecordSize(-1)}, DefaultMaxRecordSize},
		{[]ReaderOption{MaxRecordSize(1)}, 1},
		{[]ReaderOption{MaxRecordSize(1 << 30)}, 1 << 30},
	}
	for _, tt := range tests {
		if got := NewReader(strings.NewReader("")).MaxRecordSize(); len(tt.opts) == 0 && got != tt.want {
			t.Errorf("default MaxRecordSize() = %d, want %d", got, tt.want)
		}
		if got := NewReader(strings.NewReader(""), tt.opts...).MaxRecordSize(); got != tt.want {
			t.Errorf("MaxRecordSize() with %d options = %d, want %d", len(tt.opts), got, tt.want)
		}
	}
}

func TestReaderAtLimit(t *testing.T) {
	rec := bytes.Repeat([]byte{'z'}, 1000)
	got, err := NewReader(bytes.NewReader(AppendFrame(nil, rec)), MaxRecordSize(1000)).ReadRecord()
	if err != nil || !bytes.Equal(got, rec) {
		t.Errorf("record of exactly the limit: got %d bytes, %v", len(got), err)
	}
}

// A short stream announcing a large record must not make the reader commit
// the whole announced size.
func TestReaderTruncatedLargeRecordAllocatesLittle(t *testing.T) {
	const calls = 10
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range calls {
		_, err := NewReader(strings.NewReader("4194304\nabc")).ReadRecord()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if perCall := (after.TotalAlloc - before.TotalAlloc) / calls; perCall > 256<<10 {
		t.Errorf("a truncated 4 MiB record allocates %d bytes per read, want under 256 KiB", perCall)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"12a", `"12a"`},
		{"\x00\n", `"\x00\n"`},
		{strings.Repeat("9", quoteLimit), `"` + strings.Repeat("9", quoteLimit) + `"`},
		{strings.Repeat("9", quoteLimit+1), `"` + strings.Repeat("9", quoteLimit) + `"...`},
	}
	for _, tt := range tests {
		if got := quote([]byte(tt.in)); got != tt.want {
			t.Errorf("quote(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

// callRecorder records each Write call separately.
type callRecorder struct {
	calls [][]byte
	n     int   // if non-zero, accept only n bytes per call
	err   error // returned with every call
}

func (c *callRecorder) Write(p []byte) (int, error) {
	c.calls = append(c.calls, bytes.Clone(p))
	if c.n > 0 && c.n < len(p) {
		return c.n, c.err
	}
	return len(p), c.err
}

func TestWriter(t *testing.T) {
	errDisk := errors.New("disk full")
	tests := []struct {
		name      string
		sink      *callRecorder
		records   []string
		wantCalls []string
		wantErrs  []error
	}{
		{
			name:      "one write call per record",
			sink:      &callRecorder{},
			records:   []string{`{"type":"HEARTBEAT"}`, "a", strings.Repeat("b", 100000)},
			wantCalls: []string{"20\n{\"type\":\"HEARTBEAT\"}", "1\na", "100000\n" + strings.Repeat("b", 100000)},
			wantErrs:  []error{nil, nil, nil},
		},
		{
			name:      "empty record is refused and writes nothing",
			sink:      &callRecorder{},
			records:   []string{"", "a", ""},
			wantCalls: []string{"1\na"},
			wantErrs:  []error{ErrEmptyRecord, nil, ErrEmptyRecord},
		},
		{
			name:      "short write",
			sink:      &callRecorder{n: 2},
			records:   []string{"abc", "d"},
			wantCalls: []string{"3\nabc"},
			wantErrs:  []error{io.ErrShortWrite, io.ErrShortWrite},
		},
		{
			name:      "write error is sticky",
			sink:      &callRecorder{err: errDisk},
			records:   []string{"abc", "d", ""},
			wantCalls: []string{"3\nabc"},
			wantErrs:  []error{errDisk, errDisk, ErrEmptyRecord},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWriter(tt.sink)
			var errs []error
			for _, rec := range tt.records {
				errs = append(errs, w.WriteRecord([]byte(rec)))
			}
			var calls []string
			for _, c := range tt.sink.calls {
				calls = append(calls, string(c))
			}
			if diff := cmp.Diff(tt.wantCalls, calls); diff != "" {
				t.Errorf("Write calls (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrs, errs, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriterDoesNotAllocate(t *testing.T) {
	w := NewWriter(io.Discard)
	rec := []byte(`{"type":"HEARTBEAT"}`)
	w.WriteRecord(rec) // warm the buffer
	if allocs := testing.AllocsPerRun(100, func() { w.WriteRecord(rec) }); allocs != 0 {
		t.Errorf("WriteRecord allocated %v times per call, want 0", allocs)
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent Writes; each Write is
// atomic, like an http.ResponseWriter behind a mutex.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func TestWriterConcurrent(t *testing.T) {
	var sink lockedBuffer
	w := NewWriter(&sink)
	const goroutines, perG = 8, 200
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range perG {
				rec := fmt.Sprintf("g%d-%d-%s", g, i, strings.Repeat("x", i))
				if err := w.WriteRecord([]byte(rec)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, err := readAll(NewReader(&sink.buf))
	if err != io.EOF {
		t.Fatalf("reading back: %v", err)
	}
	seen := map[string]bool{}
	for _, rec := range got {
		seen[string(rec)] = true
	}
	for g := range goroutines {
		for i := range perG {
			if rec := fmt.Sprintf("g%d-%d-%s", g, i, strings.Repeat("x", i)); !seen[rec] {
				t.Fatalf("record %q missing or corrupted", rec)
			}
		}
	}
	if len(got) != goroutines*perG {
		t.Errorf("read %d records, want %d", len(got), goroutines*perG)
	}
}

// Any sequence of non-empty records survives Writer then Reader, however the
// stream is chunked.
func TestPropertyRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		records := rapid.SliceOf(rapid.SliceOfN(rapid.Byte(), 1, 600)).Draw(t, "records")
		seed := rapid.Uint64().Draw(t, "seed")
		maxChunk := rapid.IntRange(1, 64).Draw(t, "maxChunk")

		var stream bytes.Buffer
		w := NewWriter(&stream)
		for _, rec := range records {
			if err := w.WriteRecord(rec); err != nil {
				t.Fatalf("WriteRecord: %v", err)
			}
		}
		got, err := readAll(NewReader(newChunkReader(&stream, seed, maxChunk)))
		if err != io.EOF {
			t.Fatalf("reading back: %v", err)
		}
		if diff := cmp.Diff(records, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("records mismatch (-want +got):\n%s", diff)
		}
	})
}

// AppendFrame and Reader agree on every sequence of records, empty ones
// included, and on the input offset of each.
func TestPropertyAppendFrameWithEmptyRecords(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		records := rapid.SliceOf(rapid.SliceOfN(rapid.Byte(), 0, 40)).Draw(t, "records")
		seed := rapid.Uint64().Draw(t, "seed")

		var stream []byte
		var offsets []int64
		for _, rec := range records {
			stream = AppendFrame(stream, rec)
			offsets = append(offsets, int64(len(stream)))
		}
		r := NewReader(newChunkReader(bytes.NewReader(stream), seed, 7))
		for i, want := range records {
			got, err := r.ReadRecord()
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			if !bytes.Equal(got, want) || got == nil {
				t.Fatalf("record %d = %q, want %q", i, got, want)
			}
			if r.InputOffset() != offsets[i] {
				t.Fatalf("record %d: InputOffset = %d, want %d", i, r.InputOffset(), offsets[i])
			}
		}
		if _, err := r.ReadRecord(); err != io.EOF {
			t.Fatalf("after last record: %v, want io.EOF", err)
		}
	})
}
