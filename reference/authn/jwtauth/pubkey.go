package jwtauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/config/schema"
)

// pkAlgs are the algorithms of `algorithm: public-key` and of JWKS mode
// (JWT-PK-01, JWT-JWKS-09, ambiguity A9: EMQX 6 accepts PS* and EdDSA too).
var pkAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// pkDocsAlgs are the algorithms the docs list (fault pk-docs-algs-only).
var pkDocsAlgs = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

// parsePublicKeyField reads public_key: a PEM string or the path of a PEM
// file (EMQX tries the path first). A bad key is refused only when the
// authenticator is enabled, as in EMQX (JWT-PK-04).
func parsePublicKeyField(o *schema.Object, enable bool, env parseEnv) ([]byte, crypto.PublicKey, error) {
	value, err := o.RequiredString("public_key")
	if err != nil {
		return nil, nil, err
	}
	pemText := []byte(value)
	fromFile := false
	if st, serr := os.Stat(value); serr == nil && st.Mode().IsRegular() {
		if pemText, err = os.ReadFile(value); err != nil {
			return nil, nil, schema.Errorf(o.Field("public_key"), "invalid_public_key: cannot read %s: %v", value, err)
		}
		fromFile = true
	}
	if !enable {
		return pemText, nil, nil
	}
	key, err := ParsePublicKeyPEM(pemText)
	if err != nil {
		if env.pkLazyKeyParse {
			return pemText, nil, nil
		}
		where := "not PEM text, and no file exists at that path"
		if strings.Contains(value, "-----BEGIN") {
			where = "PEM text"
		}
		if fromFile {
			where = "file " + value
		}
		return nil, nil, schema.Errorf(o.Field("public_key"), "invalid_public_key (%s): %v", where, err)
	}
	return pemText, key, nil
}

// ParsePublicKeyPEM reads the first PEM block of data: a public key (SPKI
// "PUBLIC KEY" or PKCS#1 "RSA PUBLIC KEY"), a certificate, or a private key
// whose public half is used. RSA, ECDSA on P-256/P-384/P-521 and Ed25519
// keys are accepted.
func ParsePublicKeyPEM(data []byte) (crypto.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block found")
	}
	var (
		key any
		err error
	)
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			key = cert.PublicKey
		}
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("PEM block %q holds no key", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("PEM block %q: %v", block.Type, err)
	}
	if signer, ok := key.(crypto.Signer); ok {
		key = signer.Public()
	}
	switch k := key.(type) {
	case *rsa.PublicKey:
		return k, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
			return k, nil
		}
		return nil, fmt.Errorf("unsupported elliptic curve %s", k.Curve.Params().Name)
	case ed25519.PublicKey:
		return k, nil
	}
	return nil, fmt.Errorf("unsupported key type %T", key)
}

// strictPSS verifies PS256/384/512 with the salt length RFC 7518 §3.5
// requires (the hash size). golang-jwt's registered PS methods verify with
// rsa.PSSSaltLengthAuto for compatibility with old signers, which accepts
// signatures Wycheproof marks invalid (SEC-05); these copies sign and
// verify with PSSSaltLengthEqualsHash and are not registered globally.
var strictPSS = map[string]*jwt.SigningMethodRSAPSS{
	"PS256": strictPSSMethod(jwt.SigningMethodPS256),
	"PS384": strictPSSMethod(jwt.SigningMethodPS384),
	"PS512": strictPSSMethod(jwt.SigningMethodPS512),
}

func strictPSSMethod(m *jwt.SigningMethodRSAPSS) *jwt.SigningMethodRSAPSS {
	opts := &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash}
	return &jwt.SigningMethodRSAPSS{SigningMethodRSA: m.SigningMethodRSA, Options: opts, VerifyOptions: opts}
}

// methodFor is the golang-jwt method that verifies alg.
func methodFor(alg string) jwt.SigningMethod {
	if m, ok := strictPSS[alg]; ok {
		return m
	}
	return jwt.GetSigningMethod(alg)
}
