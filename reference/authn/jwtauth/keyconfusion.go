package jwtauth

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/authspec/authspec/reference/config/schema"
	jose "github.com/go-jose/go-jose/v4"
)

// This file holds the faults of the attack families that need more than a
// switch: key confusion in every encoding (SEC-09), fetching the URLs a
// header names (SEC-08) and lenient time claims (JWT-CLAIM-05). The
// correct paths never call them.

// confusionSecrets is the fault hmac-key-confusion: every byte string a
// careless verifier might use as an HMAC key when handed a public key.
func confusionSecrets(keys []any, pemText string, src KeySource) []any {
	var out []any
	add := func(b []byte) {
		if len(b) > 0 {
			out = append(out, b)
		}
	}
	if pemText != "" {
		add([]byte(pemText))
	}
	if ids, ok := src.(KeyIDSource); ok {
		// The JWKs as the endpoint publishes them, kid included.
		for _, k := range ids.KeysWithIDs() {
			if j, err := json.Marshal(jose.JSONWebKey{Key: k.Key, KeyID: k.KID}); err == nil {
				add(j)
			}
		}
	}
	for _, k := range keys {
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			continue
		}
		p := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
		add(p)
		add([]byte(strings.TrimSuffix(string(p), "\n")))
		add([]byte(strings.ReplaceAll(string(p), "\n", "\r\n")))
		add(der)
		if j, err := json.Marshal(jose.JSONWebKey{Key: k}); err == nil {
			add(j)
		}
		switch pk := k.(type) {
		case *rsa.PublicKey:
			pkcs1 := x509.MarshalPKCS1PublicKey(pk)
			add(pkcs1)
			add(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: pkcs1}))
			add(pk.N.Bytes())
		case *ecdsa.PublicKey:
			if raw, err := pk.Bytes(); err == nil {
				add(raw)
			}
		case ed25519.PublicKey:
			add(pk)
		}
	}
	return out
}

// fetchHeaderURLs is the fault fetch-header-urls: the broker GETs what the
// header points at (jku, x5u, or a kid that is a URL) and drops the
// answer, the server-side request forgery SEC-08 looks for.
func fetchHeaderURLs(t *compactToken) {
	for _, name := range []string{"jku", "x5u", "kid"} {
		u, ok := t.headerString(name)
		if !ok || !(strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://")) {
			continue
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		if req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil); err == nil {
			if resp, err := http.DefaultClient.Do(req); err == nil {
				_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
				_ = resp.Body.Close()
			}
		}
		cancel()
	}
}

// timeClaimDropped is the fault time-claims-out-of-range-absent: an exp or
// nbf that is a JSON number beyond float range is skipped as if absent.
func timeClaimDropped(fs defects, raw json.RawMessage) bool {
	if !fs.timeClaimsOutOfRangeAbsent || schema.Kind(raw) != "a number" {
		return false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(string(raw)), 64)
	return errors.Is(err, strconv.ErrRange) && math.IsInf(f, 0)
}

// timeClaimUnder reads exp or nbf as the faults say: correctly (timeClaim),
// or, with time-claims-lenient, as a careless C-style reader does.
func timeClaimUnder(fs defects, raw json.RawMessage, allowStrings bool) (number, bool) {
	if !fs.timeClaimsLenient {
		return timeClaim(raw, allowStrings)
	}
	text := strings.TrimSpace(string(raw))
	var s string
	if json.Unmarshal(raw, &s) == nil {
		text = strings.TrimSpace(s)
	}
	if strings.ContainsAny(text, ".eE") && !strings.HasPrefix(text, "0x") {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			f = 0 // out of range reads as 0
		}
		return number{f: f}, true
	}
	if i, err := strconv.ParseInt(text, 0, 64); err == nil {
		return number{f: float64(i), i: i, integral: true}, true
	}
	// Beyond 64 bits: keep the low 64 bits, two's complement.
	neg := strings.HasPrefix(text, "-")
	u, err := strconv.ParseUint(strings.TrimPrefix(text, "-"), 10, 64)
	if err != nil {
		var wrapped uint64
		for _, c := range strings.TrimPrefix(text, "-") {
			if c < '0' || c > '9' {
				return number{}, false
			}
			wrapped = wrapped*10 + uint64(c-'0')
		}
		u = wrapped
	}
	i := int64(u)
	if neg {
		i = -i
	}
	return number{f: float64(i), i: i, integral: true}, true
}
