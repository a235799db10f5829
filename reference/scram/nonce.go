package scram

import "crypto/rand"

// NonceLength is the length of a server nonce: 16 base62 characters, as
// sasl_auth 2.3.4 sends (ambiguity A16: 2.3.3 drew 15 characters from
// 0x22-0x7F, which can include DEL; the reference stays inside RFC 5802's
// printable set).
const NonceLength = 16

const base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewNonce returns n base62 characters drawn uniformly from crypto/rand.
func NewNonce(n int) (string, error) {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2+8)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			// 248 = 4*62: rejecting the bytes above keeps every
			// character equally likely.
			if b < 248 && len(out) < n {
				out = append(out, base62[int(b)%len(base62)])
			}
		}
	}
	return string(out), nil
}
