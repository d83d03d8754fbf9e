// Package api is the wire foundation of mesos-sim: everything the simulator
// says to a framework or an operator goes through the packages below it.
//
//   - mesospb, schedulerpb, executorpb, masterpb, quotapb, maintenancepb and
//     allocatorpb: Go types generated from our own .proto files under
//     api/proto, which use Mesos v1's package, message, field and enum names
//     and numbers, so protobuf bytes are interchangeable with a real master's.
//   - mesosjson: the JSON mapping Mesos itself uses (not protojson's).
//   - recordio: the framing of the scheduler and operator event streams.
//   - mediatype: Content-Type and Accept handling with Mesos's status codes.
//
// # Usage
//
// Regenerate the Go types after editing a .proto file:
//
//	go generate ./api/
//
// The generator pins its tools: protoc 3.21.12 (Debian bookworm's
// protobuf-compiler) and protoc-gen-go at the google.golang.org/protobuf
// version in go.mod. CI regenerates into a scratch directory and fails when
// the committed code differs.
package api
