package jwtauth

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// The faults of the OIDC area (reference/faults/oidc.go). None of this
// runs unless a fault is switched on.

// faultyJWKSKeys narrows the keys of the JWKS source as the key-selection
// faults say.
func faultyJWKSKeys(fs defects, keys []any) []any {
	if fs.oidcRSAKeysOnly {
		var rsaOnly []any
		for _, k := range keys {
			if _, ok := k.(*rsa.PublicKey); ok {
				rsaOnly = append(rsaOnly, k)
			}
		}
		keys = rsaOnly
	}
	if fs.oidcLastKeyOnly && len(keys) > 1 {
		keys = keys[len(keys)-1:]
	}
	return keys
}

// issuerKeysTimeout bounds the fault's discovery, so even the broken
// reference never hangs a CONNECT for long.
const issuerKeysTimeout = 2 * time.Second

// keysOfTokenIssuer is the fault oidc-keys-from-token-issuer: the public
// keys at the jwks_uri of the discovery document of the token's own iss.
func keysOfTokenIssuer(t *compactToken) ([]any, error) {
	claims, err := t.decodePayload()
	if err != nil {
		return nil, err
	}
	var iss string
	if err := json.Unmarshal(claims["iss"], &iss); err != nil || !strings.HasPrefix(iss, "http") {
		return nil, fmt.Errorf("no http(s) iss")
	}
	ctx, cancel := context.WithTimeout(context.Background(), issuerKeysTimeout)
	defer cancel()
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(ctx, strings.TrimSuffix(iss, "/")+"/.well-known/openid-configuration", &doc); err != nil {
		return nil, err
	}
	var set jose.JSONWebKeySet
	if err := getJSON(ctx, doc.JWKSURI, &set); err != nil {
		return nil, err
	}
	keys := make([]any, 0, len(set.Keys))
	for _, k := range set.Keys {
		keys = append(keys, k.Key)
	}
	return keys, nil
}

func getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v)
}
