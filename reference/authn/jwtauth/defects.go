package jwtauth

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Fault-only readings of claims and signatures: each is a defect a real
// broker could ship, switched on for the suite's self-test.

// superuserUnder reads is_superuser as isSuperuser does, unless a fault
// changes the reading: superuser-bool-only counts only a JSON true,
// superuser-truthy counts every value but a JSON false (the claim's mere
// presence, as a careless "if claims.is_superuser != false" does).
func superuserUnder(raw json.RawMessage, fs defects) bool {
	switch {
	case fs.superuserBoolOnly:
		return string(raw) == "true"
	case fs.superuserTruthy:
		return strings.TrimSpace(string(raw)) != "false"
	}
	return isSuperuser(raw)
}

// psychicSignature is CVE-2022-21449's forgery: an ECDSA signature whose r
// and s are both 0, which Java's verifier accepted for any message and key
// (fault ecdsa-psychic-signatures).
func psychicSignature(t *compactToken) bool {
	if !strings.HasPrefix(t.alg, "ES") || len(t.sig) == 0 {
		return false
	}
	for _, b := range t.sig {
		if b != 0 {
			return false
		}
	}
	return true
}

// headerKeys is the fault trust-header-keys: the keys a token names by x5c,
// jku or x5u, fetched as a careless verifier would (bounded, so a hostile
// URL cannot hold the CONNECT for long).
func headerKeys(header map[string]json.RawMessage) []any {
	var keys []any
	var certs []string
	if json.Unmarshal(header["x5c"], &certs) == nil && len(certs) > 0 {
		if der, err := base64.StdEncoding.DecodeString(certs[0]); err == nil {
			if cert, err := x509.ParseCertificate(der); err == nil {
				keys = append(keys, cert.PublicKey)
			}
		}
	}
	fetch := func(field string) []byte {
		var url string
		if json.Unmarshal(header[field], &url) != nil || url == "" {
			return nil
		}
		c := &http.Client{Timeout: time.Second}
		resp, err := c.Get(url)
		if err != nil {
			return nil
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		return body
	}
	if body := fetch("jku"); body != nil {
		var set jose.JSONWebKeySet
		if json.Unmarshal(body, &set) == nil {
			for _, k := range set.Keys {
				keys = append(keys, k.Key)
			}
		}
	}
	if body := fetch("x5u"); body != nil {
		if block, _ := pem.Decode(body); block != nil {
			if cert, err := x509.ParseCertificate(block.Bytes); err == nil {
				keys = append(keys, cert.PublicKey)
			}
		}
	}
	return keys
}
