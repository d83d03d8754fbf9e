// Package recordio implements the RecordIO framing that Apache Mesos uses for
// the event streams of its v1 HTTP APIs (the scheduler API's SUBSCRIBE
// response and the operator API's SUBSCRIBE response).
//
// A stream is a sequence of records. Each record is its length in bytes,
// written as an unsigned decimal integer, then a line feed, then exactly that
// many bytes of payload. Nothing separates a payload from the next header:
//
//	20\n{"type":"HEARTBEAT"}20\n{"type":"HEARTBEAT"}
//
// The framing says nothing about HTTP chunk boundaries; a record may be split
// across any number of reads, and one read may hold many records.
//
// # Usage
//
// A server wraps its response body in a [Writer]; each call to
// [Writer.WriteRecord] emits one complete frame in a single Write, so frames
// written from several goroutines never interleave:
//
//	w := recordio.NewWriter(responseWriter)
//	if err := w.WriteRecord(eventJSON); err != nil {
//		return err
//	}
//
// Hot paths that manage their own buffers can use [AppendFrame], which
// appends one frame to a byte slice without allocating when the slice has
// room.
//
// A client wraps the response body in a [Reader] and calls
// [Reader.ReadRecord] until it returns [io.EOF]:
//
//	r := recordio.NewReader(resp.Body)
//	for {
//		rec, err := r.ReadRecord()
//		if err == io.EOF {
//			break // the stream ended cleanly, at a record boundary
//		}
//		if err != nil {
//			return err
//		}
//		handle(rec)
//	}
//
// # Errors
//
// The Reader reports framing problems with errors that match these targets
// under [errors.Is]:
//
//   - [ErrMalformedLength]: the length header is empty, contains a byte that
//     is not an ASCII digit (including a leading '+' or '-'), is longer than
//     20 bytes, does not fit in a uint64, or is cut off by the end of the
//     stream before its line feed (that last case also matches
//     [io.ErrUnexpectedEOF]). The message quotes the offending header.
//   - [ErrRecordTooLarge]: the header announces more bytes than the Reader's
//     limit ([DefaultMaxRecordSize], 4 MiB, unless changed with
//     [MaxRecordSize]). The body is not read.
//   - [io.ErrUnexpectedEOF]: the stream ended inside a record body; the
//     message says how many of how many bytes arrived.
//
// The Reader returns io.EOF only when the stream ends exactly at a record
// boundary. Framing cannot be recovered after an error, so every error is
// sticky: later calls return it again.
//
// # Compatibility with Mesos
//
// These choices follow Mesos's own decoder, recordio::Decoder in
// 3rdparty/stout/include/stout/recordio.hpp, and the grammar in
// docs/recordio.md (record-size = 1*DIGIT, read as a uint64):
//
//   - A zero length header ("0\n") is a valid, empty record: stout's decoder
//     emits an empty record for it, so [Reader.ReadRecord] returns a non-nil,
//     zero-length slice. Mesos never sends one, and [Writer.WriteRecord]
//     refuses to write one ([ErrEmptyRecord]); [AppendFrame] encodes one if
//     asked, as stout's encoder would.
//   - Leading zeros are accepted ("007\n" is a 7-byte record), as stout's
//     number parser accepts them. To bound the work done on a hostile
//     header, the whole header may be at most 20 bytes, the length of the
//     largest uint64; Mesos's encoder never writes leading zeros.
//   - Only ASCII digits are accepted. stout parses the header with
//     boost::lexical_cast, which would also take a sign ("+5", or "-1"
//     wrapping to 2^64-1) or a hexadecimal "0x" form; these contradict the
//     documented grammar and are rejected here. An empty header ("\n") is an
//     error, as it is for stout.
package recordio
