package forge

import (
	"crypto"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// Each defect maker is checked on the token it makes, decoded back: the
// one thing it breaks is broken, and the rest is what a valid token has.

// mintWith mints spec for auth at a fixed clock for client c1 / alice.
func mintWith(t *testing.T, auth target.Applied, keys *tokens.Keyring, spec *Spec) (string, error) {
	t.Helper()
	m := &Mint{Auth: auth, Keys: keys, Now: time.Unix(1719830400, 0), ClientID: "c1", Username: "alice", Spec: spec}
	return m.Build()
}

func mustMint(t *testing.T, auth target.Applied, keys *tokens.Keyring, spec *Spec) string {
	t.Helper()
	tok, err := mintWith(t, auth, keys, spec)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// segment decodes segment i (0 header, 1 payload, 2 signature) of tok.
func segment(t *testing.T, tok string, i int) []byte {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) <= i {
		t.Fatalf("token %q has no segment %d", tok, i)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("segment %d of %q: %v", i, tok, err)
	}
	return b
}

func headerOf(t *testing.T, tok string) map[string]any {
	t.Helper()
	var h map[string]any
	if err := json.Unmarshal(segment(t, tok, 0), &h); err != nil {
		t.Fatalf("header of %q: %v", tok, err)
	}
	return h
}

// verifies reports whether tok's signature is method's over its first two
// segments with key (a secret, or a public key).
func verifies(t *testing.T, tok, method string, key any) bool {
	t.Helper()
	i := strings.LastIndexByte(tok, '.')
	return jwt.GetSigningMethod(method).Verify(tok[:i], segment(t, tok, 2), key) == nil
}

func publicKeyAuth(t *testing.T, keys *tokens.Keyring, kind tokens.Kind) (target.Applied, *tokens.Key) {
	t.Helper()
	k, err := keys.Key(kind, target.ConfiguredKeyName(kind))
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{"mechanism": "jwt", "algorithm": "public-key", "public_key": k.PublicPEM()}
	return target.Applied{Config: cfg, PrivateKey: k}, k
}

func TestSignWithAnotherSecret(t *testing.T) {
	spec := NewSpec()
	spec.SignWithAnotherSecret()
	tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), spec)
	if verifies(t, tok, "HS256", []byte("emqxsecret")) || !verifies(t, tok, "HS256", []byte(otherSecret)) {
		t.Errorf("want an HS256 token signed with %q, not the configured secret: %s", otherSecret, tok)
	}
	// The other secret is never the configured one.
	tok = mustMint(t, hmacAuth(map[string]any{"secret": otherSecret}), tokens.NewKeyring(), spec)
	if !verifies(t, tok, "HS256", []byte(otherSecret+"-2")) {
		t.Errorf("want the token signed with %q when that is the configured secret", otherSecret+"-2")
	}
	auth, _ := publicKeyAuth(t, tokens.NewKeyring(), tokens.ECP256)
	if _, err := mintWith(t, auth, tokens.NewKeyring(), spec); err == nil || !strings.Contains(err.Error(), `use "another key"`) {
		t.Errorf("public-key authenticator: got %v, want an error pointing at another key", err)
	}
	spec.Alg = "RS256"
	if _, err := mintWith(t, hmacAuth(nil), tokens.NewKeyring(), spec); err == nil || !strings.Contains(err.Error(), "has no secret") {
		t.Errorf("RS256: got %v, want an error: an RS256 token has no secret", err)
	}
}

func TestSignWithTheSecretsTextOrItsDecoding(t *testing.T) {
	// "c2VjcmV0" is base64 for "secret".
	encoded := hmacAuth(map[string]any{"secret": "c2VjcmV0", "secret_base64_encoded": true})
	if tok := mustMint(t, encoded, tokens.NewKeyring(), NewSpec()); !verifies(t, tok, "HS256", []byte("secret")) {
		t.Fatal("a valid token for a base64 secret is signed with the decoded secret")
	}
	text := NewSpec()
	text.SignWithSecretText()
	if tok := mustMint(t, encoded, tokens.NewKeyring(), text); !verifies(t, tok, "HS256", []byte("c2VjcmV0")) {
		t.Error("want the token signed with the secret's text as configured")
	}
	decoded := NewSpec()
	decoded.SignWithSecretDecoded()
	plain := hmacAuth(map[string]any{"secret": "c2VjcmV0"})
	if tok := mustMint(t, plain, tokens.NewKeyring(), decoded); !verifies(t, tok, "HS256", []byte("secret")) {
		t.Error("want the token signed with the secret's text base64-decoded, whatever the configuration says")
	}
	_, err := mintWith(t, hmacAuth(map[string]any{"secret": "not base64!"}), tokens.NewKeyring(), decoded)
	if _, na := target.AsNotApplicable(err); !na {
		t.Errorf("a secret that is not base64: got %v, want not applicable", err)
	}
}

func TestSignByAnotherKey(t *testing.T) {
	keys := tokens.NewKeyring()
	auth, configured := publicKeyAuth(t, keys, tokens.ECP256)
	spec := NewSpec()
	spec.SignByAnotherKey()
	tok := mustMint(t, auth, keys, spec)
	other, err := keys.Key(tokens.ECP256, "other "+string(tokens.ECP256))
	if err != nil {
		t.Fatal(err)
	}
	if headerOf(t, tok)["alg"] != "ES256" || verifies(t, tok, "ES256", configured.Public()) || !verifies(t, tok, "ES256", other.Public()) {
		t.Errorf("want an ES256 token signed by another P-256 key, not the configured one: %s", tok)
	}
}

func TestSignWithAlgInstead(t *testing.T) {
	keys := tokens.NewKeyring()
	for _, c := range []struct {
		auth    target.Applied
		alg     string
		wantKey func() any
	}{
		{hmacAuth(nil), "HS384", func() any { return []byte("emqxsecret") }}, // the configured secret fits
		{hmacAuth(nil), "RS256", func() any { k, _ := keys.Key(tokens.RSA, "own "+string(tokens.RSA)); return k.Public() }},
		{func() target.Applied { a, _ := publicKeyAuth(t, keys, tokens.RSA); return a }(), "HS256", func() any { return []byte(otherSecret) }},
	} {
		spec := NewSpec()
		if err := spec.SignWithAlgInstead(c.alg); err != nil {
			t.Fatal(err)
		}
		tok := mustMint(t, c.auth, keys, spec)
		if headerOf(t, tok)["alg"] != c.alg || !verifies(t, tok, c.alg, c.wantKey()) {
			t.Errorf("%s: want a well-signed %s token, got %s", c.alg, c.alg, tok)
		}
	}
	if err := NewSpec().SignWithAlgInstead("XS256"); err == nil {
		t.Error("an unknown algorithm was accepted")
	}
}

func TestUnsigned(t *testing.T) {
	spec := NewSpec()
	spec.Unsigned("nOnE")
	tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), spec)
	if !strings.HasSuffix(tok, ".") || strings.Count(tok, ".") != 2 {
		t.Fatalf("want header.payload. with an empty signature, got %s", tok)
	}
	if h := headerOf(t, tok); h["alg"] != "nOnE" {
		t.Errorf("header %v: want alg written as given", h)
	}
	if c := decodeClaims(t, tok); c["sub"] != "authspec" {
		t.Errorf("claims %v: want the valid token's claims", c)
	}
}

func TestSignatureStrippedOrEmpty(t *testing.T) {
	valid := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), NewSpec())
	input := valid[:strings.LastIndexByte(valid, '.')]
	stripped := NewSpec()
	stripped.StripSignature()
	if tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), stripped); tok != input {
		t.Errorf("stripped: got %s, want %s", tok, input)
	}
	empty := NewSpec()
	empty.EmptySignature()
	if tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), empty); tok != input+"." {
		t.Errorf("empty: got %s, want %s.", tok, input)
	}
}

func TestAlterAfterSigning(t *testing.T) {
	valid := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), NewSpec())
	for i, seg := range []string{"header", "payload"} {
		spec := NewSpec()
		spec.AlterAfterSigning(seg)
		tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), spec)
		var fields map[string]any
		if err := json.Unmarshal(segment(t, tok, i), &fields); err != nil {
			t.Fatal(err)
		}
		field := map[string]string{"header": "kid", "payload": "sub"}[seg]
		if fields[field] != "altered-after-signing" {
			t.Errorf("%s: %s is %v, want altered-after-signing", seg, field, fields[field])
		}
		if verifies(t, tok, "HS256", []byte("emqxsecret")) || !strings.HasSuffix(tok, valid[strings.LastIndexByte(valid, '.'):]) {
			t.Errorf("%s: want the valid token's signature over the altered %s, got %s", seg, seg, tok)
		}
	}
}

func TestFivePartJWEAndBearerPrefix(t *testing.T) {
	jwe := NewSpec()
	jwe.FivePartJWE()
	if tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), jwe); strings.Count(tok, ".") != 4 {
		t.Errorf("want five segments, got %s", tok)
	}
	bearer := NewSpec()
	bearer.BearerPrefix()
	tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), bearer)
	rest, ok := strings.CutPrefix(tok, "Bearer ")
	if !ok || !verifies(t, rest, "HS256", []byte("emqxsecret")) {
		t.Errorf("want a valid token after \"Bearer \", got %s", tok)
	}
}

func TestPaddedSegmentsAndBrokenBase64(t *testing.T) {
	padded := NewSpec()
	padded.PadSegments()
	tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), padded)
	for _, s := range strings.Split(tok, ".") {
		if len(s)%4 != 0 {
			t.Errorf("segment %q is not padded", s)
		}
	}
	if !strings.Contains(tok, "=") || !verifies(t, strings.ReplaceAll(tok, "=", ""), "HS256", []byte("emqxsecret")) {
		t.Errorf("want a valid token with \"=\" padding, got %s", tok)
	}
	broken := NewSpec()
	broken.BreakBase64()
	tok = mustMint(t, hmacAuth(nil), tokens.NewKeyring(), broken)
	if _, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1]); err == nil {
		t.Errorf("the payload of %s decodes", tok)
	}
	segment(t, tok, 0)
	segment(t, tok, 2)
}

func TestSegmentNotJSONIsSignedOver(t *testing.T) {
	for i, seg := range []string{"header", "payload"} {
		spec := NewSpec()
		spec.SegmentNotJSON(seg)
		tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), spec)
		if got := string(segment(t, tok, i)); got != string(notJSON) {
			t.Errorf("%s: %q, want %q", seg, got, notJSON)
		}
		if !verifies(t, tok, "HS256", []byte("emqxsecret")) {
			t.Errorf("%s: want the token signed over the text", seg)
		}
	}
}

func TestHMACWithConfiguredPEM(t *testing.T) {
	keys := tokens.NewKeyring()
	auth, k := publicKeyAuth(t, keys, tokens.RSA)
	spec := NewSpec()
	spec.HMACWithConfiguredPEM()
	tok := mustMint(t, auth, keys, spec)
	if headerOf(t, tok)["alg"] != "HS256" || !verifies(t, tok, "HS256", []byte(k.PublicPEM())) {
		t.Errorf("want HS256 keyed with the configured PEM text, got %s", tok)
	}
	// A configuration naming a key file: the PEM of the configured key.
	auth.Config["public_key"] = "/etc/emqx/certs/public.pem"
	if tok := mustMint(t, auth, keys, spec); !verifies(t, tok, "HS256", []byte(k.PublicPEM())) {
		t.Errorf("want HS256 keyed with the configured key's PEM, got %s", tok)
	}
}

func TestRS256OverHMAC(t *testing.T) {
	keys := tokens.NewKeyring()
	attacker, err := keys.Key(tokens.RSA, "attacker rsa")
	if err != nil {
		t.Fatal(err)
	}
	rsaPEM := NewSpec()
	rsaPEM.RS256OverHMACWithRSAPEM()
	secret := NewSpec()
	secret.RS256OverHMACWithSecret()
	for spec, key := range map[*Spec][]byte{rsaPEM: []byte(attacker.PublicPEM()), secret: []byte("emqxsecret")} {
		tok := mustMint(t, hmacAuth(nil), keys, spec)
		input := tok[:strings.LastIndexByte(tok, '.')]
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(input))
		if headerOf(t, tok)["alg"] != "RS256" || !hmac.Equal(mac.Sum(nil), segment(t, tok, 2)) {
			t.Errorf("want alg RS256 over HMAC-SHA256 keyed with %.30q, got %s", key, tok)
		}
	}
}

func TestSetHeader(t *testing.T) {
	spec := NewSpec()
	for name, value := range map[string]string{"alg": `"hs256"`, "typ": "absent", "kid": `{"n": 1}`} {
		if err := spec.SetHeader(name, value); err != nil {
			t.Fatal(err)
		}
	}
	tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), spec)
	h := headerOf(t, tok)
	if _, has := h["typ"]; has || h["alg"] != "hs256" || canonicalJSON(h["kid"]) != `{"n":1}` {
		t.Errorf("header %v: want alg hs256, no typ, kid {\"n\":1}", h)
	}
	// "alg" changes only what the header says.
	if !verifies(t, tok, "HS256", []byte("emqxsecret")) {
		t.Error("want the token still signed with HS256")
	}
	for name, value := range map[string]string{"alg": "absent", "x": "not json"} {
		if err := NewSpec().SetHeader(name, value); err == nil {
			t.Errorf("header %s %s was accepted", name, value)
		}
	}
	if err := NewSpec().SetHeader("alg", "1"); err == nil || !strings.Contains(err.Error(), "must be a string") {
		t.Errorf("a numeric alg: got %v", err)
	}
}

func TestSpecConstructorsAndClock(t *testing.T) {
	if _, err := NewAlgSpec("XS256"); err == nil || !strings.Contains(err.Error(), "known: HS256") {
		t.Errorf("an unknown algorithm: got %v, want the known ones listed", err)
	}
	s, err := NewAlgSpec("HS512")
	if err != nil {
		t.Fatal(err)
	}
	if tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), s); !verifies(t, tok, "HS512", []byte("emqxsecret")) {
		t.Error("want an HS512 token with the configured secret")
	}
	if tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), TextSpec("a.b")); tok != "a.b" {
		t.Errorf("text token: %q", tok)
	}
	s.SetClaim("exp", "NOW+60")
	if !s.UsesClock() {
		t.Error("a NOW claim: want UsesClock")
	}
	s.DropClaim("exp")
	raw := NewSpec()
	raw.RawPayload, raw.RawRender = []byte(`{"exp": NOW}`), true
	if s.UsesClock() || !raw.UsesClock() {
		t.Error("UsesClock misjudges a dropped claim or a rendered raw segment")
	}
	if tok := mustMint(t, hmacAuth(nil), tokens.NewKeyring(), raw); string(segment(t, tok, 1)) != `{"exp": 1719830400}` {
		t.Errorf("raw payload %q: want NOW rendered", segment(t, tok, 1))
	}
}

// fakeJWKS serves one key pair.
type fakeJWKS struct{ key *JWKSKey }

func (f fakeJWKS) SigningKey() (*JWKSKey, error) { return f.key, nil }

func (f fakeJWKS) KeyNamed(name string) (*JWKSKey, error) {
	if name != f.key.Name {
		return nil, fmt.Errorf("no key %q", name)
	}
	return f.key, nil
}

func (f fakeJWKS) PublishedJWK(name string) ([]byte, error) {
	k, err := f.KeyNamed(name)
	if err != nil {
		return nil, err
	}
	return json.Marshal(jose.JSONWebKey{Key: k.Key.Public(), KeyID: k.Kid, Algorithm: k.Alg})
}

func TestJWKSModeSignsWithTheServedKeyAndItsKid(t *testing.T) {
	keys := tokens.NewKeyring()
	k, err := keys.Key(tokens.ECP256, "jwks k1")
	if err != nil {
		t.Fatal(err)
	}
	auth := target.Applied{Config: map[string]any{"mechanism": "jwt", "use_jwks": true}}
	m := &Mint{Auth: auth, Keys: keys, Now: time.Now(), Spec: NewSpec(), JWKS: fakeJWKS{&JWKSKey{Name: "k1", Alg: "ES256", Kid: "kid-1", Key: k}}}
	tok, err := m.Build()
	if err != nil {
		t.Fatal(err)
	}
	if h := headerOf(t, tok); h["alg"] != "ES256" || h["kid"] != "kid-1" || !verifies(t, tok, "ES256", crypto.PublicKey(k.Public())) {
		t.Errorf("want an ES256 token with kid-1 signed by the served key, got header %v", h)
	}
	m.Spec.Header["kid"] = "mine"
	if tok, err = m.Build(); err != nil || headerOf(t, tok)["kid"] != "mine" {
		t.Errorf("a scenario's own kid: got %v (%v)", headerOf(t, tok)["kid"], err)
	}
	m.Spec.Alg = "RS256"
	if _, err := m.Build(); err == nil || !strings.Contains(err.Error(), `JWKS key "k1"`) {
		t.Errorf("RS256 with an EC key: got %v", err)
	}
	m.JWKS = nil
	if _, err := m.Build(); err == nil || !strings.Contains(err.Error(), "serves no JWKS endpoint") {
		t.Errorf("no endpoint: got %v", err)
	}
}
