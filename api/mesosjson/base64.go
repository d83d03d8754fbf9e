package mesosjson

// decodeBase64 decodes bytes fields the way stout's base64::decode does,
// which is more lenient than encoding/base64:
//
//   - decoding stops at the first '=' (whatever follows is ignored, and the
//     amount of padding is not checked);
//   - C whitespace (space, \t, \n, \v, \f, \r) is skipped anywhere;
//   - any other byte outside A–Z a–z 0–9 + / is an error, "Invalid character
//     'c'" quoting the byte itself;
//   - a final group of 2 or 3 characters yields 1 or 2 bytes, a lone final
//     character yields nothing, and unused low bits are ignored.
func decodeBase64(s []byte) ([]byte, string) {
	out := make([]byte, 0, len(s)*3/4)
	var acc uint32
	n := 0
	for _, c := range s {
		if c == '=' {
			break
		}
		var v byte
		switch {
		case c >= 'A' && c <= 'Z':
			v = c - 'A'
		case c >= 'a' && c <= 'z':
			v = c - 'a' + 26
		case c >= '0' && c <= '9':
			v = c - '0' + 52
		case c == '+':
			v = 62
		case c == '/':
			v = 63
		case c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			continue
		default:
			return nil, "Invalid character '" + string([]byte{c}) + "'"
		}
		acc = acc<<6 | uint32(v)
		n++
		if n == 4 {
			out = append(out, byte(acc>>16), byte(acc>>8), byte(acc))
			acc, n = 0, 0
		}
	}
	switch n {
	case 2:
		out = append(out, byte(acc>>4))
	case 3:
		out = append(out, byte(acc>>10), byte(acc>>2))
	}
	return out, ""
}
