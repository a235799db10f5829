package scram

import (
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"hash"
)

// Algorithm is the hash function of a SCRAM mechanism.
type Algorithm int

const (
	// SHA256 is SCRAM-SHA-256 (EMQX `algorithm: sha256`, the default).
	SHA256 Algorithm = iota + 1
	// SHA512 is SCRAM-SHA-512 (EMQX `algorithm: sha512`).
	SHA512
)

// ParseAlgorithm reads EMQX's configuration names "sha256" and "sha512".
func ParseAlgorithm(s string) (Algorithm, error) {
	switch s {
	case "sha256":
		return SHA256, nil
	case "sha512":
		return SHA512, nil
	}
	return 0, fmt.Errorf("unknown SCRAM algorithm %q (want sha256 or sha512)", s)
}

// AlgorithmForMethod maps an MQTT Authentication-Method ("SCRAM-SHA-256",
// "SCRAM-SHA-512") to its algorithm. The match is exact, as in EMQX.
func AlgorithmForMethod(method string) (Algorithm, bool) {
	switch method {
	case SHA256.Method():
		return SHA256, true
	case SHA512.Method():
		return SHA512, true
	}
	return 0, false
}

// Valid reports whether a is one of the declared algorithms.
func (a Algorithm) Valid() bool { return a == SHA256 || a == SHA512 }

// Method is the MQTT Authentication-Method (SASL mechanism name).
func (a Algorithm) Method() string {
	switch a {
	case SHA256:
		return "SCRAM-SHA-256"
	case SHA512:
		return "SCRAM-SHA-512"
	}
	return fmt.Sprintf("SCRAM-invalid(%d)", int(a))
}

// String is the EMQX configuration name.
func (a Algorithm) String() string {
	switch a {
	case SHA256:
		return "sha256"
	case SHA512:
		return "sha512"
	}
	return fmt.Sprintf("invalid(%d)", int(a))
}

// Size is the length in bytes of the hash, hence of every key, proof and
// signature of the mechanism.
func (a Algorithm) Size() int {
	if a == SHA512 {
		return sha512.Size
	}
	return sha256.Size
}

// newHash returns the hash constructor. An invalid Algorithm is a programming
// error (every constructor in this package validates it first), so it panics
// rather than silently using another hash.
func (a Algorithm) newHash() func() hash.Hash {
	switch a {
	case SHA256:
		return sha256.New
	case SHA512:
		return sha512.New
	}
	panic(fmt.Sprintf("scram: invalid algorithm %d", int(a)))
}

func (a Algorithm) check() error {
	if !a.Valid() {
		return fmt.Errorf("scram: invalid algorithm %d", int(a))
	}
	return nil
}
