package mesosjson

import "math"

// jsonNumber is a number as stout holds it after parsing: picojson gives an
// int64 when the literal is an integer that fits, and a double otherwise.
type jsonNumber struct {
	isFloat bool
	i       int64
	f       float64
}

// The conversions below are stout's Number::as<T>(), i.e. C++ static_cast
// from int64 or double, with the results an x86-64 build of Mesos gives
// where C++ leaves the conversion undefined (a double out of the target's
// range): the processor's "integer indefinite" value for signed targets, and
// for unsigned targets what GCC's instruction sequences then produce. So
// 18446744073709551615 in JSON (parsed as the double 2^64) reads as 0 into a
// uint64 field, and 1e10 reads as -2147483648 into an int32 field. Integers
// narrow by keeping the low bits (3000000000 reads as -1294967296 into an
// int32), and negative integers wrap into unsigned fields.

// truncInt64 is cvttsd2si with a 64-bit result.
func truncInt64(f float64) int64 {
	if f >= -(1<<63) && f < 1<<63 {
		return int64(f)
	}
	return math.MinInt64
}

// truncInt32 is cvttsd2si with a 32-bit result.
func truncInt32(f float64) int32 {
	if f > -(1<<31)-1 && f < 1<<31 {
		return int32(f)
	}
	return math.MinInt32
}

func (n jsonNumber) int64() int64 {
	if n.isFloat {
		return truncInt64(n.f)
	}
	return n.i
}

func (n jsonNumber) int32() int32 {
	if n.isFloat {
		return truncInt32(n.f)
	}
	return int32(n.i)
}

func (n jsonNumber) uint32() uint32 {
	if n.isFloat {
		// GCC converts through a 64-bit signed conversion and keeps the
		// low half.
		return uint32(truncInt64(n.f))
	}
	return uint32(n.i)
}

func (n jsonNumber) uint64() uint64 {
	if !n.isFloat {
		return uint64(n.i)
	}
	if !(n.f >= 1<<63) {
		return uint64(truncInt64(n.f))
	}
	// GCC: convert f-2^63 and flip the top bit.
	return uint64(truncInt64(n.f-(1<<63))) ^ 1<<63
}

func (n jsonNumber) float64() float64 {
	if n.isFloat {
		return n.f
	}
	return float64(n.i)
}

func (n jsonNumber) float32() float32 {
	if n.isFloat {
		return float32(n.f)
	}
	return float32(n.i) // rounds the integer directly, as C++ does
}
