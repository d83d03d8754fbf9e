package resources

import (
	"math"
	"strconv"
)

// Scalar is a fixed-point amount with three decimal digits, stored as an
// integer number of thousandths: 1.5 cpus is Scalar(1500).
//
// Mesos converts every scalar to this representation before comparing or
// doing arithmetic (src/common/values.cpp), so that 0.1+0.2 == 0.3 and the
// results do not depend on the order of operations. Anything below 0.0005
// rounds to zero.
type Scalar int64

// ScalarOf converts a float to fixed point the way Mesos does: multiply by
// 1000 and round half away from zero (C's llround). Values outside the
// int64 range saturate; NaN becomes 0.
func ScalarOf(v float64) Scalar {
	x := math.Round(v * 1000)
	switch {
	case math.IsNaN(x):
		return 0
	case x >= math.MaxInt64:
		return math.MaxInt64
	case x <= math.MinInt64:
		return math.MinInt64
	}
	return Scalar(x)
}

// Float64 converts back to a float. The integral and fractional parts are
// converted separately (quotient plus remainder/1000), which is the
// conversion Mesos uses; it determines the exact double a value prints as
// and, for DRF shares, the exact ratio that is compared.
func (s Scalar) Float64() float64 {
	q := int64(s) / 1000
	r := int64(s) % 1000
	return float64(q) + float64(r)/1000.0
}

// String renders the value as Mesos does in logs and in its text format:
// up to 15 significant digits, no trailing zeros ("1.5", "8192", "0.001").
func (s Scalar) String() string {
	return strconv.FormatFloat(s.Float64(), 'g', 15, 64)
}
