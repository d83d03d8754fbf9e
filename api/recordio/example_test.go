package recordio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mesos-sim/mesos-sim/api/recordio"
)

func ExampleWriter() {
	var stream bytes.Buffer
	w := recordio.NewWriter(&stream)
	for _, event := range []string{`{"type":"SUBSCRIBED"}`, `{"type":"HEARTBEAT"}`} {
		if err := w.WriteRecord([]byte(event)); err != nil {
			panic(err)
		}
	}
	fmt.Printf("%q\n", stream.String())
	// Output:
	// "21\n{\"type\":\"SUBSCRIBED\"}20\n{\"type\":\"HEARTBEAT\"}"
}

func ExampleReader() {
	stream := "21\n{\"type\":\"SUBSCRIBED\"}20\n{\"type\":\"HEARTBEAT\"}"
	r := recordio.NewReader(strings.NewReader(stream))
	for {
		rec, err := r.ReadRecord()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		fmt.Printf("%s\n", rec)
	}
	// Output:
	// {"type":"SUBSCRIBED"}
	// {"type":"HEARTBEAT"}
}

func ExampleReader_errors() {
	for _, stream := range []string{
		"20\n{\"type\":",
		"2O\n{}",
		"9999999999\n",
	} {
		_, err := recordio.NewReader(strings.NewReader(stream)).ReadRecord()
		fmt.Println(err)
		fmt.Println("  truncated:", errors.Is(err, io.ErrUnexpectedEOF),
			"malformed:", errors.Is(err, recordio.ErrMalformedLength),
			"too large:", errors.Is(err, recordio.ErrRecordTooLarge))
	}
	// Output:
	// recordio: truncated record at offset 0: got 8 of 20 bytes: unexpected EOF
	//   truncated: true malformed: false too large: false
	// recordio: malformed record length "2O" at offset 0: byte 'O' is not a decimal digit
	//   truncated: false malformed: true too large: false
	// recordio: record too large at offset 0: length 9999999999 exceeds the limit of 4194304 bytes
	//   truncated: false malformed: false too large: true
}

func ExampleAppendFrame() {
	buf := make([]byte, 0, 64)
	buf = recordio.AppendFrame(buf, []byte(`{"type":"HEARTBEAT"}`))
	fmt.Printf("%q\n", buf)
	// Output:
	// "20\n{\"type\":\"HEARTBEAT\"}"
}
