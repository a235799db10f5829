package keyattack

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strings"
)

// PublicKey is a public key a broker verifies with, in the forms it was
// given: its PEM text (as configured, or as a JWKS key would be written)
// and its JWK's JSON.
type PublicKey struct {
	Key     crypto.PublicKey
	PEMText string
	JWKJSON []byte
}

// Encode renders the key as one encoding named in SEC-09's scenarios: the
// PEM text as configured, without its last newline or with CRLF line ends,
// DER SubjectPublicKeyInfo, the JWK's JSON, PKCS#1 DER or PEM, the raw
// modulus (RSA), the raw public key (EC, Ed25519).
func (p PublicKey) Encode(encoding string) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(p.Key)
	if err != nil {
		return nil, err
	}
	switch encoding {
	case "the PEM text as configured":
		return []byte(p.PEMText), nil
	case "the PEM text without its last newline":
		return []byte(strings.TrimSuffix(p.PEMText, "\n")), nil
	case "the PEM text with CRLF line ends":
		return []byte(strings.ReplaceAll(strings.ReplaceAll(p.PEMText, "\r\n", "\n"), "\n", "\r\n")), nil
	case "DER SubjectPublicKeyInfo":
		return der, nil
	case "the JWK's JSON":
		return p.JWKJSON, nil
	case "PKCS#1 DER", "PKCS#1 PEM", "the raw modulus":
		return p.rsaEncoding(encoding)
	case "the raw public key":
		return p.raw()
	}
	return nil, fmt.Errorf("unknown public key encoding %q", encoding)
}

func (p PublicKey) rsaEncoding(encoding string) ([]byte, error) {
	k, ok := p.Key.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%s needs an RSA key, not %T", encoding, p.Key)
	}
	switch encoding {
	case "PKCS#1 DER":
		return x509.MarshalPKCS1PublicKey(k), nil
	case "PKCS#1 PEM":
		return pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(k)}), nil
	}
	return k.N.Bytes(), nil
}

// raw is an EC key's uncompressed point or an Ed25519 key's 32 bytes; an
// RSA key has none but its modulus, which a scenario names as such.
func (p PublicKey) raw() ([]byte, error) {
	switch k := p.Key.(type) {
	case *ecdsa.PublicKey:
		return k.Bytes()
	case ed25519.PublicKey:
		return k, nil
	}
	return nil, fmt.Errorf("the raw public key of %T is its modulus: say so", p.Key)
}
