package mesosjson

import (
	"math"
	"strconv"
)

// appendDouble writes f the way the Mesos master's JSON writer (rapidjson
// 1.1.0 as patched and configured by stout's jsonify.hpp) does:
//
//   - zero is "0.0" or "-0.0";
//   - +Inf and -Inf are the quoted strings "Infinity" and "-Infinity"
//     (Mesos patches rapidjson to quote them);
//   - NaN is the bare token NaN, which is not valid JSON (Mesos writes it all
//     the same, and no JSON parser, stout's included, reads it back);
//   - otherwise the decimal digits d1…dn with value d×10^k, laid
//     out by the decimal exponent kk=n+k: integral values below 10^21 as
//     "1234000.0", other values with 0 < kk ≤ 21 as "12.34", values with
//     -6 < kk ≤ 0 as "0.001234", everything else in exponent form "1e30",
//     "1.234e-7" (no '+' and no leading zeros in the exponent).
//
// The digits d1…dn are Grisu2's (see grisu.go), like rapidjson's.
func appendDouble(dst []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, `"Infinity"`...)
	case math.IsInf(f, -1):
		return append(dst, `"-Infinity"`...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0.0"...)
		}
		return append(dst, "0.0"...)
	}
	if f < 0 {
		dst = append(dst, '-')
		f = -f
	}

	var scratch [24]byte
	digits, k := grisu2(scratch[:0], f)
	n := len(digits)
	kk := n + k // 10^(kk-1) <= f < 10^kk

	switch {
	case k >= 0 && kk <= 21:
		dst = append(dst, digits[:n]...)
		for j := 0; j < k; j++ {
			dst = append(dst, '0')
		}
		return append(dst, '.', '0')
	case kk > 0 && kk <= 21:
		dst = append(dst, digits[:kk]...)
		dst = append(dst, '.')
		return append(dst, digits[kk:n]...)
	case kk > -6 && kk <= 0:
		dst = append(dst, '0', '.')
		for j := kk; j < 0; j++ {
			dst = append(dst, '0')
		}
		return append(dst, digits[:n]...)
	case n == 1:
		dst = append(dst, digits[0], 'e')
		return strconv.AppendInt(dst, int64(kk-1), 10)
	default:
		dst = append(dst, digits[0], '.')
		dst = append(dst, digits[1:n]...)
		dst = append(dst, 'e')
		return strconv.AppendInt(dst, int64(kk-1), 10)
	}
}

// escapeTable marks the bytes that rapidjson's writer escapes: every control
// byte below 0x20, the quote and the backslash. 0x7F, '/' and every byte of
// a multi-byte (or invalid) UTF-8 sequence are written unchanged: the Mesos
// writer neither validates nor transcodes.
var escapeTable = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = 'u'
	}
	t['\b'] = 'b'
	t['\t'] = 't'
	t['\n'] = 'n'
	t['\f'] = 'f'
	t['\r'] = 'r'
	t['"'] = '"'
	t['\\'] = '\\'
	return t
}()

const upperHex = "0123456789ABCDEF"

// appendString writes s as a JSON string with rapidjson's escaping: the short
// forms \b \t \n \f \r \" \\, and \u00XX with upper-case hex digits for the
// other control bytes.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		esc := escapeTable[c]
		if esc == 0 {
			continue
		}
		dst = append(dst, s[start:i]...)
		if esc == 'u' {
			dst = append(dst, '\\', 'u', '0', '0', upperHex[c>>4], upperHex[c&0xF])
		} else {
			dst = append(dst, '\\', esc)
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
