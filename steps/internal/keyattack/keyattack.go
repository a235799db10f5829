// Package keyattack is the attacker's side of the key-handling scenarios:
// the documents an attacker serves where a token's header points (a JWK
// Set for jku, a certificate for x5u; SEC-03), servers that serve them and
// record whether a broker asked for them (SEC-08), and the encodings of a
// public key that a confused verifier could use as an HMAC secret (SEC-09).
package keyattack

import (
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/internal/verify"
)

// JWKSet is a JWK Set holding the public half of k, for signatures.
func JWKSet(k *tokens.Key) ([]byte, error) {
	return json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: k.Public(), Use: "sig"}}})
}

// Certificate is a PEM certificate of k's public key, self-signed by k,
// valid from an hour ago to an hour from now.
func Certificate(k *tokens.Key) ([]byte, error) {
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "authspec attacker (test key)"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k.Private)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}

// Document is what a header field's URL serves: a JWK Set for jku, a
// certificate for x5u.
func Document(field string, k *tokens.Key) ([]byte, error) {
	if field == "jku" {
		return JWKSet(k)
	}
	return Certificate(k)
}

// Serve starts a recording HTTP server on listen (a free port: "host:0")
// that answers body at /attacker/<field>. The caller closes it.
func Serve(listen, field string, body []byte) (*jwksserver.Server, error) {
	srv, err := jwksserver.Start(jwksserver.WithAddr(listen), jwksserver.WithPath("/attacker/"+field))
	if err != nil {
		return nil, err
	}
	srv.ServeRaw(http.StatusOK, "application/json", body)
	return srv, nil
}

// NoRequests checks that none of the attacker's servers saw a request; the
// Mismatch lists them with answer, what the CONNECT got.
func NoRequests(servers []*jwksserver.Server, answer string) error {
	var seen []string
	for _, a := range servers {
		for _, r := range a.Requests() {
			seen = append(seen, fmt.Sprintf("%s %s", r.Method, a.URL()))
		}
	}
	if len(seen) == 0 {
		return nil
	}
	return verify.New("no request to the URLs in the token's header (server-side request forgery)",
		fmt.Sprintf("%d request(s): %s (the CONNECT got %s)", len(seen), strings.Join(seen, ", "), answer))
}
