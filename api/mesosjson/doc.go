// Package mesosjson is the JSON mapping of protobuf messages that the Apache
// Mesos master speaks on its v1 HTTP APIs (Content-Type application/json).
// It is not protojson's mapping: Mesos converts with its own code (stout),
// and JSON clients of Mesos — Python, JavaScript and Java schedulers among
// them — depend on its exact behaviour. This package reproduces that
// behaviour byte for byte on output and rule for rule on input, including
// the error texts the master returns.
//
// # Usage
//
// Encode a message as the master would send it:
//
//	b, err := mesosjson.Marshal(event)          // or AppendMarshal(buf, event)
//
// Decode a request body as the master would read it:
//
//	var call schedulerpb.Call
//	err := mesosjson.Unmarshal(body, &call)
//
// Decoding has the master's two stages. A body that is not JSON by the
// master's parser gives a *SyntaxError; JSON that does not convert into the
// message gives a *ConversionError. The master answers both with 400 Bad
// Request, prefixing the error text with "Failed to parse body into JSON: "
// or "Failed to convert JSON into Call protobuf: " respectively:
//
//	var se *mesosjson.SyntaxError
//	var ce *mesosjson.ConversionError
//	switch {
//	case errors.As(err, &se):
//		// 400 "Failed to parse body into JSON: " + se.Msg
//	case errors.As(err, &ce):
//		// 400 "Failed to convert JSON into Call protobuf: " + ce.Msg
//	}
//
// # Differences from protojson
//
// Encoding (stout's JSON::Protobuf json() in
// 3rdparty/stout/include/stout/protobuf.hpp, written through rapidjson by
// jsonify in stout/jsonify.hpp):
//
//   - Keys are the .proto field names (snake_case), never lowerCamelCase
//     json_name; extensions are not written.
//   - Fields come in declaration order (Descriptor::field(i)), not in field
//     number order: CommandInfo writes "shell" (6) before "value" (3).
//   - Enums are written as their value names.
//   - All integers, int64 and uint64 included, are JSON numbers, never
//     strings: {"begin":31000,"end":32000}; 18446744073709551615 is written as
//     is.
//   - bytes are standard base64 with padding ("/w=="), as stout's
//     base64::encode.
//   - float and double are written as rapidjson 1.1.0 writes doubles (a float
//     is widened first): Grisu2 digits, so 0.1+0.2 is 0.30000000000000007
//     where strconv would give 0.30000000000000004; integral values keep a
//     ".0" (1.0, 128.0, 100000000000000000000.0 for 1e20); small and large
//     magnitudes switch to exponents at rapidjson's thresholds (0.000001
//     but 1e-7, 1e21); zero is 0.0 or -0.0. Mesos patches rapidjson so that
//     infinities are the strings "Infinity" and "-Infinity"; NaN is the bare
//     token NaN, which is not valid JSON and which no parser, Mesos's
//     included, reads back.
//   - Strings are escaped as rapidjson does: \" \\ \b \f \n \r \t, \u00XX
//     with upper-case hex for other bytes below 0x20, nothing else ('/',
//     0x7F, U+2028 and non-ASCII bytes are written raw, invalid UTF-8
//     included).
//   - An unset singular field is written with its default value when the
//     .proto gives it an explicit default and it is not deprecated
//     (has_default_value() && !options().deprecated()):
//     CommandInfo.shell:true, CommandInfo.URI.extract:true,
//     FrameworkInfo.failover_timeout:0.0 and checkpoint:false,
//     MasterInfo.port:5050 (a required field), Filters.refuse_seconds:5.0,
//     the HealthCheck and CheckInfo timings, and so on; Resource.role, whose
//     default "*" is deprecated, is not. Other unset fields are left out,
//     required ones included (encoding does not check initialization).
//   - Empty repeated and map fields are left out; present empty messages are
//     written as {}.
//   - A map field is an object keyed by the key's text (integers in decimal,
//     booleans as "true"/"false"). Mesos writes entries in hash-map order;
//     this package sorts them by key.
//   - No whitespace.
//
// Decoding, first stage (stout's JSON::parse in stout/json.hpp, built on
// picojson 1.3.0 with 64-bit integers and stout's depth limit):
//
//   - At most 200 arrays and objects may be open at once.
//   - Numbers follow picojson: the longest run of digits, signs, 'e', 'E' and
//     '.' is an int64 if it is an integer that fits, else a double if strtod
//     reads all of it (so 01, 1., -.5 and 1E5 are accepted and +1, .5, NaN,
//     Infinity and hex are not); a double that overflows is the error "Value
//     out of range".
//   - Strings take any byte from 0x20 up unchecked; control bytes must be
//     escaped; \u escapes must pair surrogates correctly.
//   - A duplicate key keeps the value that comes last; members are then
//     taken in byte order of their keys (stout stores them in a std::map),
//     which decides, for instance, which member of a oneof is kept.
//   - After the value only whitespace may follow, otherwise "Parsed JSON
//     included non-whitespace trailing characters: …". picojson's one-byte
//     look-ahead makes a top-level number followed by one stray byte ("5x")
//     parse and one followed by whitespace ("5 ") fail; both are reproduced.
//   - Failures read "syntax error at line N near: <rest of that line>".
//
// Decoding, second stage (stout's protobuf::parse and its
// protobuf::internal::Parser visitor in stout/protobuf.hpp):
//
//   - The top-level value must be an object ("Expecting a JSON object").
//   - Keys are matched against the .proto field names exactly; other keys are
//     ignored (their values are still parsed in the first stage).
//   - null leaves any field unset.
//   - Enums are read by name only: a number is "Not expecting a JSON number
//     for field 'type'". An unknown name is dropped from an optional field
//     or a repeated one; in a required enum it is "Failed to find enum for
//     'NAME'".
//   - Numeric fields also take strings holding a JSON number (the string is
//     parsed as a whole JSON document: " 5" and "1e3" work, "5 " fails), and
//     bool fields strings holding true or false; float and double fields take
//     "Infinity" and "-Infinity".
//   - Numbers convert as C++ static_cast does (stout's Number::as<T>()):
//     doubles truncate toward zero into integer fields, integers keep their
//     low bits in narrower fields and wrap into unsigned ones ("-1" into a
//     uint32 is 4294967295). Where C++ leaves the result undefined (a double
//     out of the integer type's range) the package gives what an x86-64 build
//     of Mesos gives: -2147483648 for int32, -9223372036854775808 for int64,
//     and for uint64 the result of GCC's conversion — so a uint64 of 2^63 or
//     more, which the parser reads as a double, comes back rounded, and
//     18446744073709551615 comes back as 0. Round trips of uint64 values are
//     therefore exact only below 2^63, as in Mesos.
//   - bytes are decoded as stout's base64::decode does: whitespace is
//     skipped, decoding stops at the first '=', missing padding is fine, a
//     character outside the standard alphabet is "Failed to base64 decode
//     bytes field 'uuid': Invalid character '-'".
//   - A repeated field also takes a single value; nested arrays are
//     flattened and null elements skipped. A singular field given an array is
//     "Not expecting a JSON array for field 'name'", and every other type
//     mismatch is "Not expecting a JSON <object|string|number|boolean> for
//     field 'name'" — the field's own name, without a path.
//   - A map field takes an object (keys converted like JSON strings into the
//     key type; errors name the entry fields 'key' and 'value') or an array
//     of such objects; a null value gives the value type's default.
//   - Any JSON object, even {}, sets a message field.
//   - The first failure, in key order, ends the conversion. Then the result
//     must be initialized: "Missing required fields: " followed by the paths
//     protobuf's Message::InitializationErrorString lists — this message's
//     required fields in declaration order, then those of set message fields
//     in field number order, with "name." and "name[i]." prefixes, e.g.
//     "subscribe.framework_info.user, subscribe.framework_info.name".
//
// Marshal fails only for an enum field holding a number that its enum does
// not name, which Mesos cannot represent. Unmarshal never panics and uses no
// recursion deeper than the 200 levels the parser allows.
package mesosjson
