package recordio

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"sync"
)

// maxHeaderLen is the longest length header, without its line feed, that
// the package writes or accepts: the number of decimal digits in
// math.MaxUint64.
const maxHeaderLen = 20

// ErrEmptyRecord is returned by [Writer.WriteRecord] for a zero-length
// record. Mesos never sends one, and a zero-length record carries no event.
var ErrEmptyRecord = errors.New("recordio: empty record")

// AppendFrame appends the RecordIO frame of record, its decimal length, a
// line feed and the record itself, to dst and returns the extended slice.
// It does not allocate when dst has room for the frame. An empty record is
// encoded as "0\n".
func AppendFrame(dst, record []byte) []byte {
	dst = slices.Grow(dst, maxHeaderLen+1+len(record))
	dst = strconv.AppendUint(dst, uint64(len(record)), 10)
	dst = append(dst, '\n')
	return append(dst, record...)
}

// maxRetainedBuffer is the largest frame buffer a Writer keeps between
// calls. Bigger frames use a buffer of their own that is then dropped, so
// one huge record does not pin its memory for the life of the stream.
const maxRetainedBuffer = 64 << 10

// A Writer writes RecordIO frames to an underlying io.Writer.
//
// Each frame goes to the underlying writer in exactly one Write call, and a
// Writer is safe for concurrent use, so records written from several
// goroutines never interleave. After the underlying writer fails, the
// stream's framing can no longer be trusted and every later WriteRecord
// returns the same error.
type Writer struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
	err error
}

// NewWriter returns a Writer that writes frames to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{w: w}
}

// WriteRecord writes record as one frame. It returns [ErrEmptyRecord],
// writing nothing, if record is empty; [io.ErrShortWrite] if the underlying
// writer accepts only part of the frame without reporting an error; and
// otherwise any error of the underlying writer. The Writer does not retain
// record.
func (w *Writer) WriteRecord(record []byte) error {
	if len(record) == 0 {
		return ErrEmptyRecord
	}

	w.mu.Lock()
	defer w.mu.Unlock()

	if w.err != nil {
		return w.err
	}

	frame := AppendFrame(w.buf[:0], record)
	n, err := w.w.Write(frame)
	if err == nil && n != len(frame) {
		err = io.ErrShortWrite
	}

	if cap(frame) <= maxRetainedBuffer {
		w.buf = frame[:0]
	}
	if err != nil {
		w.err = err
	}
	return err
}
