package jwks

import (
	"crypto"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/jwksserver"
)

// verifyWithAny mimics the authenticator: try every key in order, accept
// when one verifies (JWT-JWKS-01).
func verifyWithAny(token string, keys []crypto.PublicKey, alg string) bool {
	for _, k := range keys {
		_, err := jwt.Parse(token, func(*jwt.Token) (any, error) { return k, nil }, jwt.WithValidMethods([]string{alg}))
		if err == nil {
			return true
		}
	}
	return false
}

// JWT-JWKS-01: the set is fetched by GET and every key is kept, in document
// order; a token any key verifies is accepted.
func TestJWTJWKS01_EveryKeyInDocumentOrder(t *testing.T) {
	srv := startServer(t)
	var keys []*jwksserver.Key
	for _, alg := range []string{"RS256", "PS384", "ES256", "ES384", "ES512", "EdDSA"} {
		keys = append(keys, mustKey(t, alg, "kid-"+alg))
	}
	srv.SetKeys(keys...)
	src := manualSource(t, srv, Config{})

	if r := src.LastFetch(); r.Err != nil || r.Keys != len(keys) || r.Held != len(keys) || r.Status != 200 {
		t.Fatalf("first fetch %+v", r)
	}
	assertKeys(t, src.PublicKeys(), keys...)
	if reqs := srv.Requests(); len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Path != "/jwks" {
		t.Fatalf("requests %+v", reqs)
	}
	for _, k := range keys {
		tok, err := k.Sign(jwt.MapClaims{"sub": "c"})
		if err != nil {
			t.Fatal(err)
		}
		if !verifyWithAny(tok, src.PublicKeys(), k.Alg) {
			t.Errorf("%s token signed by a key of the set does not verify", k.Alg)
		}
	}
	outsider := mustKey(t, "ES256", "kid-ES256") // same kid, other key (JWT-JWKS-04)
	tok, _ := outsider.Sign(jwt.MapClaims{})
	if verifyWithAny(tok, src.PublicKeys(), "ES256") {
		t.Error("a token from a key outside the set verifies")
	}

	got := src.Keys()
	for i, k := range got {
		if k.KeyID != keys[i].KID {
			t.Errorf("Keys()[%d].KeyID = %q, want %q", i, k.KeyID, keys[i].KID)
		}
	}
	// The caller owns what it gets: editing it changes nothing held.
	pubs := src.PublicKeys()
	pubs[0] = nil
	if src.PublicKeys()[0] == nil {
		t.Error("PublicKeys returned the held slice itself")
	}
}

// JWT-JWKS-06: the jwcrypto recipe's set ("alg": "RSA256", "use": "sig",
// string kid) is taken whole, and RS256 tokens signed with its keys verify.
func TestJWTJWKS06_RecipeSet(t *testing.T) {
	srv := startServer(t)
	keys, err := jwksserver.RecipeKeys(3)
	if err != nil {
		t.Fatal(err)
	}
	srv.SetKeys(keys...)
	logs, logOpt := recordLogs()
	src := manualSource(t, srv, Config{}, logOpt)

	assertKeys(t, src.PublicKeys(), keys...)
	if skipped := logs.lines("jwks key skipped"); len(skipped) != 0 {
		t.Fatalf("recipe keys skipped: %v", skipped)
	}
	for i, k := range src.Keys() {
		if k.Algorithm != "RSA256" || k.Use != "sig" || k.KeyID != keys[i].KID || k.Type != "RSA" {
			t.Errorf("key %d reported as %+v", i, k)
		}
	}
	// issue_jws(jwks[0], 'RS256', claims) in the recipe.
	tok, err := keys[0].Sign(jwt.MapClaims{"client": "myclient", "username": "myuser"})
	if err != nil {
		t.Fatal(err)
	}
	if !verifyWithAny(tok, src.PublicKeys(), "RS256") {
		t.Fatal("the recipe's RS256 token does not verify with the fetched set")
	}
}

// JWT-JWKS-09: an oct key in the set is not returned, so it can verify
// nothing; the public keys around it are.
func TestJWTJWKS09_OctKeyDroppedFromTheSet(t *testing.T) {
	srv := startServer(t)
	rsaKey := mustKey(t, "RS256", "r")
	oct := map[string]any{"kty": "oct", "k": "ZW1xeHNlY3JldA", "alg": "HS256", "kid": "hmac"}
	srv.ServeRaw(200, "application/json", setDoc(t, oct, jwkMap(t, rsaKey)))
	logs, logOpt := recordLogs()
	src := manualSource(t, srv, Config{}, logOpt)

	assertKeys(t, src.PublicKeys(), rsaKey)
	if r := src.LastFetch(); r.Err != nil || r.Skipped != 1 {
		t.Fatalf("fetch %+v", r)
	}
	lines := logs.lines("jwks key skipped")
	if len(lines) != 1 || lines[0]["kid"] != "hmac" || lines[0]["index"] != "0" || !strings.Contains(lines[0]["reason"], "symmetric") {
		t.Fatalf("skip not logged as expected: %v", lines)
	}
}

// Bad members over the network: each is skipped with a log line, the rest of
// the set is used (see TestBadKeysAreSkippedOneByOne for every kind).
func TestBadKeysSkippedWithALogLine(t *testing.T) {
	srv := startServer(t)
	good := mustKey(t, "ES256", "good")
	unknown := jwkMap(t, mustKey(t, "RS256", "unknown-kty"))
	unknown["kty"] = "XYZ"
	noN := jwkMap(t, mustKey(t, "RS256", "no-n"))
	delete(noN, "n")
	dup1, dup2 := jwkMap(t, mustKey(t, "RS256", "same")), jwkMap(t, mustKey(t, "RS256", "same"))
	srv.ServeRaw(200, "application/json", setDoc(t, unknown, jwkMap(t, good), noN, dup1, dup2))
	logs, logOpt := recordLogs()
	src := manualSource(t, srv, Config{}, logOpt)

	r := src.LastFetch()
	if r.Err != nil || r.Keys != 3 || r.Skipped != 2 {
		t.Fatalf("fetch %+v", r)
	}
	lines := logs.lines("jwks key skipped")
	if len(lines) != 2 || lines[0]["kid"] != "unknown-kty" || lines[1]["kid"] != "no-n" || lines[1]["level"] != "WARN" {
		t.Fatalf("skips logged as %v", lines)
	}
	if got := src.Keys(); got[1].KeyID != "same" || got[2].KeyID != "same" {
		t.Errorf("duplicate kids not both kept: %+v", got)
	}
}
