package resources

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/mesos-sim/mesos-sim/api/mesospb"
)

// value is a parsed Mesos value: the text after the ':' in "cpus:4",
// "ports:[1-5,10-20]", "disks:{a,b}" or "zone:us-east-1a".
type value struct {
	typ    mesospb.Value_Type
	scalar float64
	ranges []Range // coalesced
	set    []string
	text   string
}

// parseValue parses a value exactly as Mesos's internal::values::parse in
// src/common/values.cpp does:
//
//   - all spaces are removed first ("my rack" becomes "myrack");
//   - brackets of each kind must balance;
//   - a value starting with '[' is RANGES: the text is split on "[]-,\n" and
//     the pieces pair up as begin/end (nested brackets are tolerated), then
//     coalesced;
//   - a value starting with '{' is a SET, split on "{},\n";
//   - otherwise a finite, non-negative number is a SCALAR; a subnormal
//     number is an error; anything else (including "inf", "nan" and
//     negative numbers) is TEXT;
//   - a '[' or '{' anywhere but at the start is an error.
func parseValue(text string) (value, error) {
	temp := strings.ReplaceAll(text, " ", "")
	if temp == "" {
		return value{}, errors.New("Expecting non-empty string")
	}
	if !bracketsMatch(temp, '{', '}') || !bracketsMatch(temp, '[', ']') || !bracketsMatch(temp, '(', ')') {
		return value{}, errors.New("Mismatched brackets")
	}
	switch strings.IndexByte(temp, '[') {
	case 0:
		tokens := tokenize(temp, "[]-,\n")
		if len(tokens)%2 != 0 {
			return value{}, errors.New(`Expecting one or more "ranges"`)
		}
		rs := make([]Range, 0, len(tokens)/2)
		for i := 0; i < len(tokens); i += 2 {
			begin, err1 := parseUint(tokens[i])
			end, err2 := parseUint(tokens[i+1])
			if err1 != nil || err2 != nil {
				return value{}, fmt.Errorf("Expecting non-negative integers in '%s'", tokens[i])
			}
			rs = append(rs, Range{begin, end})
		}
		// NB: like Mesos, an inverted range is not an error here; it is
		// coalesced like any other and rejected later by validation
		// ("begin > end") unless another range swallowed it.
		return value{typ: mesospb.Value_RANGES, ranges: coalesceRanges(rs)}, nil
	case -1:
	default:
		return value{}, errors.New("Unexpected '[' found")
	}
	switch strings.IndexByte(temp, '{') {
	case 0:
		return value{typ: mesospb.Value_SET, set: tokenize(temp, "{},\n")}, nil
	case -1:
	default:
		return value{}, errors.New("Unexpected '{' found")
	}
	if f, ok := parseDouble(temp); ok {
		switch {
		case math.IsInf(f, 0) || math.IsNaN(f):
			// Handled as text below.
		case f != 0 && math.Abs(f) < 0x1p-1022:
			return value{}, errors.New("Subnormal values not supported")
		case f < 0:
			// Negative values are text, as in Mesos.
		default:
			return value{typ: mesospb.Value_SCALAR, scalar: f}, nil
		}
	}
	return value{typ: mesospb.Value_TEXT, text: temp}, nil
}

// parseDouble accepts what boost::lexical_cast<double> accepts: decimal
// and exponent notation, an optional sign, "inf"/"nan". Hexadecimal is not
// a scalar (stout rejects hexadecimal floats and lexical_cast does not
// parse "0x10" as a double).
func parseDouble(s string) (float64, bool) {
	if s == "" || strings.ContainsAny(s, "_xXpP") && !isInfOrNaN(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		var numErr *strconv.NumError
		if errors.As(err, &numErr) && errors.Is(numErr.Err, strconv.ErrRange) {
			return f, true // ±Inf or 0 after underflow, as strtod.
		}
		return 0, false
	}
	return f, true
}

func isInfOrNaN(s string) bool {
	s = strings.TrimLeft(strings.ToLower(s), "+-")
	return s == "inf" || s == "infinity" || s == "nan"
}

// parseUint accepts decimal and 0x-prefixed hexadecimal integers, as stout's
// numify<uint64_t> does.
func parseUint(s string) (uint64, error) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		return strconv.ParseUint(s[2:], 16, 64)
	}
	if strings.HasPrefix(s, "+") {
		s = s[1:]
	}
	return strconv.ParseUint(s, 10, 64)
}

// bracketsMatch is stout's strings::checkBracketsMatching: the count of
// open brackets never goes negative and ends at zero.
func bracketsMatch(s string, open, close byte) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case open:
			n++
		case close:
			n--
		}
		if n < 0 {
			return false
		}
	}
	return n == 0
}

// tokenize is stout's strings::tokenize: split on any of delims, dropping
// empty tokens.
func tokenize(s, delims string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
}

// trim is stout's strings::trim with its default whitespace set.
func trim(s string) string {
	return strings.Trim(s, " \t\n\r")
}
