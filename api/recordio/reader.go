package recordio

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// DefaultMaxRecordSize is the largest record a [Reader] accepts unless
// configured otherwise: 4 MiB, the limit mesos-go's reader applies.
const DefaultMaxRecordSize = 4 << 20

// ErrMalformedLength matches, under [errors.Is], every error a [Reader]
// returns for a length header that does not follow the grammar
// 1*DIGIT LF. The error's message quotes the header.
var ErrMalformedLength = errors.New("recordio: malformed record length")

// ErrRecordTooLarge matches, under [errors.Is], the error a [Reader] returns
// for a header announcing a record larger than its limit. The error's
// message gives the announced size and the limit.
var ErrRecordTooLarge = errors.New("recordio: record too large")

// growStep bounds how much memory a Reader commits to a record body ahead of
// the bytes actually arriving, so a short stream that announces a large
// record cannot make it allocate the whole announced size.
const growStep = 64 << 10

// quoteLimit is how many bytes of an offending header an error quotes.
const quoteLimit = 24

// A ReaderOption configures a [Reader].
type ReaderOption func(*Reader)

// MaxRecordSize sets the largest record, in bytes, a Reader accepts. A
// header announcing more makes ReadRecord fail with [ErrRecordTooLarge].
// A value of zero or less selects [DefaultMaxRecordSize].
func MaxRecordSize(n int) ReaderOption {
	return func(r *Reader) {
		if n <= 0 {
			n = DefaultMaxRecordSize
		}
		r.max = n
	}
}

// A Reader reads records from a RecordIO stream. It buffers its input, so
// it may read past the record it returns.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	br  *bufio.Reader
	max int
	off int64 // bytes of input consumed by the records returned so far
	err error // sticky

	hdr [maxHeaderLen + 1]byte // the header being read, for error messages
}

// NewReader returns a Reader that reads records from r.
func NewReader(r io.Reader, opts ...ReaderOption) *Reader {
	rd := &Reader{br: bufio.NewReader(r), max: DefaultMaxRecordSize}
	for _, opt := range opts {
		if opt != nil {
			opt(rd)
		}
	}
	return rd
}

// Reset discards the Reader's state and buffered input and makes it read
// from r, keeping its limit and its buffer.
func (r *Reader) Reset(src io.Reader) {
	r.br.Reset(src)
	r.off = 0
	r.err = nil
}

// InputOffset returns how many bytes of the stream the records returned so
// far occupy, headers included. Input the Reader has buffered, or consumed
// while failing, is not counted.
func (r *Reader) InputOffset() int64 {
	return r.off
}

// MaxRecordSize returns the largest record, in bytes, the Reader accepts.
func (r *Reader) MaxRecordSize() int {
	return r.max
}

// ReadRecord reads the next record and returns it in a newly allocated
// slice that the caller owns. A "0\n" frame yields a non-nil empty slice.
//
// At the end of a stream that ends on a record boundary it returns
// [io.EOF]. Any other error is described in the package documentation; all
// errors are sticky.
func (r *Reader) ReadRecord() ([]byte, error) {
	rec, err := r.AppendRecord(nil)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		rec = []byte{}
	}
	return rec, nil
}

// AppendRecord reads the next record, appends it to dst and returns the
// extended slice; it does not allocate when dst has room for the record.
// On error it returns dst unextended, with the same errors as
// [Reader.ReadRecord].
func (r *Reader) AppendRecord(dst []byte) ([]byte, error) {
	if r.err != nil {
		return dst, r.err
	}
	n, hlen, err := r.readHeader()
	if err != nil {
		r.err = err
		return dst, err
	}
	out, err := r.readBody(dst, n)
	if err != nil {
		r.err = err
		return dst, err
	}
	r.off += int64(hlen) + int64(n)
	return out, nil
}

// readHeader reads one length header and its line feed. It returns the
// length, which is within the Reader's limit, and the number of bytes the
// header took, line feed included.
func (r *Reader) readHeader() (length, hlen int, err error) {
	var v uint64
	i := 0
	for {
		c, err := r.br.ReadByte()
		if err != nil {
			if err != io.EOF {
				if i == 0 {
					return 0, 0, err
				}
				return 0, 0, fmt.Errorf("recordio: reading record length at offset %d after %s: %w",
					r.off, quote(r.hdr[:i]), err)
			}
			if i == 0 {
				return 0, 0, io.EOF
			}
			return 0, 0, r.malformed(i, "stream ends before the line feed ending it: %w", io.ErrUnexpectedEOF)
		}

		if c == '\n' {
			if i == 0 {
				return 0, 0, r.malformed(0, "line feed before any digit")
			}
			if v > uint64(r.max) {
				return 0, 0, fmt.Errorf("%w at offset %d: length %d exceeds the limit of %d bytes",
					ErrRecordTooLarge, r.off, v, r.max)
			}
			return int(v), i + 1, nil
		}

		r.hdr[i] = c
		i++
		switch {
		case c < '0' || c > '9':
			if i == 1 && (c == '+' || c == '-') {
				return 0, 0, r.malformed(i, "sign %q not allowed", c)
			}
			return 0, 0, r.malformed(i, "byte %q is not a decimal digit", c)
		case i > maxHeaderLen:
			return 0, 0, r.malformed(i, "more than %d digits", maxHeaderLen)
		}
		d := uint64(c - '0')
		if v > (math.MaxUint64-d)/10 {
			return 0, 0, r.malformed(i, "value overflows uint64")
		}
		v = v*10 + d
	}
}

// malformed returns an error matching ErrMalformedLength that quotes the
// first n bytes of the current header and explains why they are wrong.
func (r *Reader) malformed(n int, format string, args ...any) error {
	return fmt.Errorf("%w %s at offset %d: %w", ErrMalformedLength, quote(r.hdr[:n]), r.off,
		fmt.Errorf(format, args...))
}

// readBody appends the next n bytes of input to dst. Memory is committed as
// data arrives, in steps of at most growStep beyond what dst can already
// hold, rather than all at once.
func (r *Reader) readBody(dst []byte, n int) ([]byte, error) {
	start := len(dst)
	for got := 0; got < n; {
		if len(dst) == cap(dst) {
			dst = slices.Grow(dst, min(n-got, max(growStep, len(dst)-start)))
		}
		chunk := dst[len(dst):min(cap(dst), len(dst)+n-got)]
		m, err := io.ReadFull(r.br, chunk)
		dst = dst[:len(dst)+m]
		got += m
		if err == nil {
			continue
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("recordio: truncated record at offset %d: got %d of %d bytes: %w",
				r.off, got, n, io.ErrUnexpectedEOF)
		}
		return nil, fmt.Errorf("recordio: reading record at offset %d (%d of %d bytes read): %w",
			r.off, got, n, err)
	}
	return dst, nil
}

// quote renders a header for an error message, shortening it when long.
func quote(b []byte) string {
	if len(b) > quoteLimit {
		return strconv.Quote(string(b[:quoteLimit])) + "..."
	}
	return strconv.Quote(string(b))
}
