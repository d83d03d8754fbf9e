package mesosjson

import (
	"math"
	"math/big"
	"math/bits"
)

// This file produces the decimal digits of a double exactly as the Mesos
// master does. Mesos writes JSON through rapidjson 1.1.0, whose double
// formatting is Florian Loitsch's Grisu2 algorithm ("Printing Floating-Point
// Numbers Quickly and Accurately with Integers", PLDI 2010): its digits always
// read back as the same double, but unlike strconv's shortest formatting they
// are not always the closest (137.350372314453125 comes out as
// 137.35037231445313, not …312), and about one value in five differs in its
// last digit. The implementation below follows the paper's Grisu2 with the
// parameter choices rapidjson makes (64-bit significands, cached powers of ten
// at every eighth exponent from 10^-348, round-half-up multiplication, a
// final "weeding" step that moves the last digit towards the exact value).

// fp is an unnormalised floating-point number f×2^e with a 64-bit significand.
type fp struct {
	f uint64
	e int
}

func fpOf(v float64) fp {
	b := math.Float64bits(v)
	exp := int(b>>52) & 0x7FF
	sig := b & (1<<52 - 1)
	if exp != 0 {
		return fp{sig | 1<<52, exp - 1075}
	}
	return fp{sig, -1074}
}

func (x fp) normalize() fp {
	s := bits.LeadingZeros64(x.f)
	return fp{x.f << s, x.e - s}
}

// mul multiplies two significands, keeping the upper 64 bits of the product
// rounded half up.
func (x fp) mul(y fp) fp {
	hi, lo := bits.Mul64(x.f, y.f)
	hi += lo >> 63
	return fp{hi, x.e + y.e + 64}
}

// boundaries returns the normalised midpoints between v and its neighbours;
// both share the exponent of the upper one.
func (x fp) boundaries() (minus, plus fp) {
	plus = fp{x.f<<1 + 1, x.e - 1}.normalize()
	if x.f == 1<<52 {
		// The gap below a power of two is half the gap above it.
		minus = fp{x.f<<2 - 1, x.e - 2}
	} else {
		minus = fp{x.f<<1 - 1, x.e - 1}
	}
	minus.f <<= uint(minus.e - plus.e)
	minus.e = plus.e
	return minus, plus
}

// cachedPowers[i] approximates 10^(8i-348) as a normalised fp, the
// significand rounded to nearest.
var cachedPowers = func() (t [87]fp) {
	ten := big.NewInt(10)
	for i := range t {
		k := 8*i - 348
		num := big.NewInt(1)
		den := big.NewInt(1)
		if k >= 0 {
			num.Exp(ten, big.NewInt(int64(k)), nil)
		} else {
			den.Exp(ten, big.NewInt(int64(-k)), nil)
		}
		// Find e with 2^63 <= 10^k / 2^e < 2^64, then round the quotient.
		e := num.BitLen() - den.BitLen() - 64
		for {
			n := new(big.Int).Set(num)
			d := new(big.Int).Set(den)
			if e >= 0 {
				d.Lsh(d, uint(e))
			} else {
				n.Lsh(n, uint(-e))
			}
			q, r := new(big.Int).QuoRem(n, d, new(big.Int))
			if q.BitLen() > 64 {
				e++
				continue
			}
			if q.BitLen() < 64 {
				e--
				continue
			}
			if r.Lsh(r, 1).Cmp(d) >= 0 {
				q.Add(q, big.NewInt(1))
			}
			if q.BitLen() > 64 { // rounded up to 2^64
				q.Rsh(q, 1)
				e++
			}
			t[i] = fp{q.Uint64(), e}
			break
		}
	}
	return t
}()

// cachedPower picks the cached power c = 10^-K for which the product with a
// number of binary exponent e lands in Grisu's target exponent range.
func cachedPower(e int) (c fp, K int) {
	dk := float64(-61-e)*0.30102999566398114 + 347
	k := int(dk)
	if dk-float64(k) > 0 {
		k++
	}
	i := k>>3 + 1
	return cachedPowers[i], -(8*i - 348)
}

var pow10u32 = [...]uint32{1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000}

func decimalDigits32(n uint32) int {
	d := 1
	for d < 9 && n >= pow10u32[d] {
		d++
	}
	return d
}

// grisuWeed nudges the last generated digit down while that moves the
// candidate closer to the scaled value and stays within the safe interval.
func grisuWeed(buf []byte, delta, rest, tenKappa, wpw uint64) {
	n := len(buf)
	for rest < wpw && delta-rest >= tenKappa &&
		(rest+tenKappa < wpw || wpw-rest > rest+tenKappa-wpw) {
		buf[n-1]--
		rest += tenKappa
	}
}

// grisu2 appends the digits of a positive finite v to buf and returns them
// with the decimal exponent K such that v ≈ digits × 10^K.
func grisu2(buf []byte, v float64) ([]byte, int) {
	x := fpOf(v)
	minus, plus := x.boundaries()
	c, K := cachedPower(plus.e)
	w := x.normalize().mul(c)
	hi := plus.mul(c)
	lo := minus.mul(c)
	lo.f++
	hi.f--
	delta := hi.f - lo.f

	shift := uint(-hi.e)
	one := uint64(1) << shift
	wpw := hi.f - w.f
	p1 := uint32(hi.f >> shift)
	p2 := hi.f & (one - 1)
	start := len(buf)
	kappa := decimalDigits32(p1)
	for kappa > 0 {
		div := pow10u32[kappa-1]
		d := p1 / div
		p1 %= div
		if d != 0 || len(buf) > start {
			buf = append(buf, byte('0'+d))
		}
		kappa--
		rest := uint64(p1)<<shift + p2
		if rest <= delta {
			K += kappa
			grisuWeed(buf[start:], delta, rest, uint64(pow10u32[kappa])<<shift, wpw)
			return buf, K
		}
	}
	for {
		p2 *= 10
		delta *= 10
		d := byte(p2 >> shift)
		if d != 0 || len(buf) > start {
			buf = append(buf, '0'+d)
		}
		p2 &= one - 1
		kappa--
		if p2 < delta {
			K += kappa
			var scale uint64
			if -kappa < 9 {
				scale = uint64(pow10u32[-kappa])
			}
			grisuWeed(buf[start:], delta, p2, one, wpw*scale)
			return buf, K
		}
	}
}
