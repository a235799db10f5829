package scram

import "strings"

// EscapeName encodes a user name or authorization identity for `n=`/`a=`:
// "=" becomes "=3D" and "," becomes "=2C" (RFC 5802 section 5.1).
func EscapeName(s string) string {
	if !strings.ContainsAny(s, "=,") {
		return s
	}
	s = strings.ReplaceAll(s, "=", "=3D")
	return strings.ReplaceAll(s, ",", "=2C")
}

// UnescapeName decodes "=2C" to "," and "=3D" to "=". Any other "=" is kept
// as it is: EMQX (sasl_auth) does the same instead of refusing the message as
// RFC 5802 asks, and the reference follows EMQX.
func UnescapeName(s string) string {
	if !strings.Contains(s, "=") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+3 <= len(s) {
			switch s[i+1 : i+3] {
			case "2C":
				b.WriteByte(',')
				i += 2
				continue
			case "3D":
				b.WriteByte('=')
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
