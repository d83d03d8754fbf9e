// Package compat proves that mesos-sim's wire types interoperate with
// mesos-go v0.0.11 (github.com/mesos/mesos-go/api/v1/lib and its
// scheduler, executor, master, quota, maintenance and allocator packages),
// the Go client library that existing Mesos frameworks are built on.
//
// It is a separate Go module so that mesos-go and its dependencies (gogo
// protobuf, ffjson) never enter the simulator's own module graph. Everything
// is in its tests; this file only documents them:
//
//   - descriptors: every message, field, enum and enum value of our .proto
//     files is compared with mesos-go's own descriptors (embedded in its
//     gogo-generated code) and its Go struct tags. What mesos-go lacks is an
//     explicit, exact table (mesosGoLacks), and so are the fields it cannot
//     leave unset (mesosGoAlwaysWrites) and the few documented disagreements
//     (mesosGoMismatches).
//   - protobuf: random messages of every type both sides have, drawn by a
//     generic protoreflect-based rapid generator, go through mesos-go's
//     encoder and decoder and back unchanged, in both directions; so do
//     messages that mesos-go's own NewPopulated* generators make.
//   - JSON: mesosjson (the JSON that Mesos writes and reads) against
//     mesos-go's JSON codec (encoding/json over ffjson), both directions, with
//     every difference written down as a precise expectation.
//   - hand-written cases: every value of every enum field, every oneof
//     member, every lacked field, and a SUBSCRIBE built with mesos-go's
//     calls helpers.
//
// See README.md for how to run it and what it found.
package compat
