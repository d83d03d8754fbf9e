package mesosjson

// AppendDouble appends f as Mesos's JSON writer (rapidjson, through stout's
// jsonify) writes a double: "1.0", "0.30000000000000007", "1e21". Code
// that writes Mesos-shaped JSON by hand, such as the master's read-only
// endpoints, uses it so numbers look as they do in Mesos.
func AppendDouble(dst []byte, f float64) []byte { return appendDouble(dst, f) }

// AppendString appends s as a quoted JSON string with rapidjson's
// escaping (see the package documentation).
func AppendString(dst []byte, s string) []byte { return appendString(dst, s) }
