package steps

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/forge"
	"github.com/authspec/authspec/steps/internal/keyattack"
	"github.com/authspec/authspec/steps/internal/tokenshape"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// The SEC vocabulary: tokens a careless verifier accepts (SEC-01..SEC-09,
// and the attack families folded into JWT-SRC-07, JWT-CLAIM-01 and
// JWT-CLAIM-05: JWS format abuse, JSON text a careless parser forgives, a
// real JWE, a nested JWT, unsigned tokens carrying a signature), the
// attacker's keys and URLs a token's header names, and a refusal in any
// form. The tokens are made by the mint (steps/internal/forge, attacks.go) when the client
// connects.
func registerSecSteps(sc *registry) {
	sc.Given(`^the token's ECDSA signature has (r|s|r and s) set to 0$`, ecdsaSignatureZeroed, quotedAsDefect)
	sc.Given(`^the token's signature has the defect "([^"]+)"$`, signatureWithDefect, quotedAsDefect)
	sc.Given(`^the token's signature is corrupted$`, signatureCorrupted, quotedAsDefect)
	sc.Given(`^the token is signed by an attacker's key named in its "(jwk|jku|x5u|x5c)" header$`, signedByHeaderKey, quotedAsDefect)
	sc.Given(`^the token is padded to (\d+) bytes$`, tokenPaddedTo, quotedAsDefect)
	sc.Given(`^the token's payload is JSON nested (\d+) levels deep$`, payloadNested, quotedAsDefect)
	sc.Given(`^the token's header is JSON nested (\d+) levels deep$`, headerNested, quotedAsDefect)
	// SEC-08 and SEC-09 (SEC-07 needs only the header steps of
	// token_steps.go).
	sc.Given(`^the token's "(jku|x5u|kid)" header is a URL the suite serves$`, headerURLServed, quotedAsDefect)
	sc.Then(`^no request reached the URLs in the token's header within (\d+) seconds?$`, noRequestToHeaderURLs)
	sc.Given(`^the token is an (HS256|HS384|HS512) token keyed with the (?:configured|JWKS) public key as (.+)$`, hmacKeyedWithPublicKey, quotedAsDefect)
	registerAbuseSteps(sc)
	// The folded attack families.
	sc.Given(`^the token's segments use the "\+/" alphabet$`, standardAlphabet, quotedAsDefect)
	sc.Given(`^the token has (a line break|a space|a NUL byte|a byte that is not UTF-8) inside its (header|payload|signature)$`, byteInside, quotedAsDefect)
	sc.Given(`^the token ends with a trailing dot$`, trailingDot, quotedAsDefect)
	sc.Given(`^the token is a JWE of a valid token, encrypted with the configured secret$`, realJWE, quotedAsDefect)
	sc.Given(`^the token is a JWS whose payload is a valid token \(cty "JWT"\)$`, nestedJWT, quotedAsDefect)
	sc.Given(`^the token's (header|payload) is the JSON text (.+)$`, segmentJSONText, quotedAsDefect)
	sc.Given(`^the token's (header|payload) JSON (starts with a byte-order mark|is UTF-16)$`, segmentEncoding, quotedAsDefect)
	sc.Given(`^the token is unsigned with alg "([^"]*)" but carries a valid token's signature$`, unsignedWithSignature, quotedAsDefect)
	sc.Given(`^the token is unsigned with alg "([^"]*)" and an empty signature$`, unsignedWithAlg, quotedAsDefect)
	sc.Then(`^the connection is refused$`, theConnectionIsRefused)
}

// replaceToken makes the scenario's token what build returns when the
// client connects.
func replaceToken(ctx context.Context, build func(*mint) (string, error)) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.Replace = build
	return nil
}

// reshapeToken adds a change to the scenario's token once it is signed.
func reshapeToken(ctx context.Context, change func(tok string) (string, error)) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.Reshape = append(t.Reshape, change)
	return nil
}

// ecdsaSignatureZeroed sets r, s or both of the ECDSA signature to 0
// (SEC-02, CVE-2022-21449).
func ecdsaSignatureZeroed(ctx context.Context, which string) error {
	return reshapeToken(ctx, func(tok string) (string, error) {
		return tokenshape.ReshapeSignature(tok, func(sig []byte) ([]byte, error) {
			if err := tokenshape.CheckECDSASize(sig); err != nil {
				return nil, err
			}
			return forge.ZeroECDSA(sig, which), nil
		})
	})
}

// signatureCorrupted flips bits in the middle of the signature; its length
// stays the same, so only the check of the signature can refuse it.
func signatureCorrupted(ctx context.Context) error {
	return reshapeToken(ctx, func(tok string) (string, error) {
		return tokenshape.ReshapeSignature(tok, tokenshape.Corrupt)
	})
}

// signatureWithDefect signs the token's header and payload with a
// signature of one of Wycheproof's invalid families (SEC-05).
func signatureWithDefect(ctx context.Context, defect string) error {
	return replaceToken(ctx, func(m *mint) (string, error) { return m.WithDefectiveSignature(defect) })
}

// signedByHeaderKey is SEC-03: the attacker signs with its own key (of the
// kind the authenticator verifies) and names that key in the header. For
// jku and x5u the suite serves the attacker's JWK Set or certificate at a
// loopback URL, so a broker that fetched them would get a key that
// verifies.
func signedByHeaderKey(ctx context.Context, field string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	return replaceToken(ctx, func(m *mint) (string, error) {
		attacker, err := m.AttackerKey()
		if err != nil {
			return "", err
		}
		url, err := st.attackerURL(field, attacker)
		if err != nil {
			return "", err
		}
		return tokens.WithHeaderKey(tokens.HeaderKey(field), attacker, url, m.Claims)
	})
}

// attackerURL serves the attacker's key where a jku (a JWK Set) or x5u (a
// PEM certificate) header points, and returns the URL; "" for the fields
// that carry the key itself.
func (st *scenario) attackerURL(field string, k *tokens.Key) (string, error) {
	if field != "jku" && field != "x5u" {
		return "", nil
	}
	body, err := keyattack.Document(field, k)
	if err != nil {
		return "", err
	}
	return st.serveAttacker(field, body)
}

// serveAttacker serves body at an attacker's URL, closed with the scenario
// (extAfter), and returns the URL. It listens on a free port of the host
// where the target's broker reaches the suite's JWKS endpoint, so a broker
// that would fetch the URL can reach it (a loopback address for local
// brokers, the Docker bridge's gateway for containers).
func (st *scenario) serveAttacker(field string, body []byte) (string, error) {
	srv, err := keyattack.Serve(target.JWKSHTTPSListen(st.suite.Target), field, body)
	if err != nil {
		return "", err
	}
	x := st.attacksOf()
	x.attackers = append(x.attackers, srv)
	return srv.URL(), nil
}

// tokenPaddedTo grows the token to n bytes (give or take two) with a
// "filler" claim, signed as the token would be.
func tokenPaddedTo(ctx context.Context, n int) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	if err := tokenshape.CheckPaddedLength(n); err != nil {
		return err
	}
	t.Replace = func(m *mint) (string, error) { return m.PaddedTo(n) }
	return nil
}

// payloadNested makes the payload {"sub":"authspec","n":[[[...]]]}: a
// parser without a depth limit recurses that deep (SEC-04).
func payloadNested(ctx context.Context, depth int) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	t.RawPayload = tokens.NestedJSON(depth)
	return nil
}

// headerNested adds a field nested depth levels deep to the header.
func headerNested(ctx context.Context, depth int) error {
	return replaceToken(ctx, func(m *mint) (string, error) { return m.WithNestedHeader(depth) })
}

// headerURLServed puts in the header a URL of a recording HTTP server the
// suite starts (a real listener), serving a JWK Set of the attacker's. The
// token stays signed with the configured key (SEC-08).
func headerURLServed(ctx context.Context, field string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	url, err := st.attackerKeySetURL(field)
	if err != nil {
		return err
	}
	t.Header[field] = url
	return nil
}

// attackerKeySetURL serves a JWK Set of the attacker's RSA key at an
// attacker's URL and returns the URL.
func (st *scenario) attackerKeySetURL(field string) (string, error) {
	k, err := st.keys.Key(tokens.RSA, "attacker rsa")
	if err != nil {
		return "", err
	}
	set, err := keyattack.JWKSet(k)
	if err != nil {
		return "", err
	}
	url, err := st.serveAttacker(field, set)
	if err != nil {
		return "", reports.HarnessError(fmt.Errorf("starting the attacker's server: %w", err))
	}
	return url, nil
}

// noRequestToHeaderURLs waits, then checks that none of the attacker's
// servers saw a request: a broker may fetch after answering, so the wait
// starts after the CONNECT's answer.
func noRequestToHeaderURLs(ctx context.Context, seconds int) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	x := st.attacksOf()
	if len(x.attackers) == 0 {
		return fmt.Errorf("the token's header names no URL the suite serves")
	}
	if st.answer == nil {
		return fmt.Errorf(`the scenario checks the attacker's URLs before "the client connects"`)
	}
	if err := sleep(ctx, time.Duration(seconds)*time.Second); err != nil {
		return reports.HarnessError(err)
	}
	return keyattack.NoRequests(x.attackers, st.answer.String())
}

// sleep waits d, or less when ctx ends first (its error).
func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// hmacKeyedWithPublicKey signs an HS* token whose HMAC key is one
// encoding of the public key the broker verifies with (SEC-09).
func hmacKeyedWithPublicKey(ctx context.Context, alg, encoding string) error {
	return replaceToken(ctx, func(m *mint) (string, error) { return m.KeyedWithPublicKey(alg, encoding) })
}

// standardAlphabet re-encodes the signed token's segments in the standard
// base64 alphabet ("+/", no padding).
func standardAlphabet(ctx context.Context) error {
	return replaceToken(ctx, (*mint).InStandardAlphabet)
}

// insertions are the bytes byteInside puts in a segment.
var insertions = map[string]string{"a line break": "\r\n", "a space": " ", "a NUL byte": "\x00", "a byte that is not UTF-8": "\xff"}

// byteInside inserts a byte (or CR LF) in the middle of a segment after
// signing.
func byteInside(ctx context.Context, what, segment string) error {
	insert := insertions[what]
	return reshapeToken(ctx, func(tok string) (string, error) { return tokenshape.InsertInside(tok, segment, insert) })
}

func trailingDot(ctx context.Context) error {
	return reshapeToken(ctx, func(tok string) (string, error) { return tok + ".", nil })
}

// realJWE encrypts a valid token to the configured secret (PBES2 with the
// secret as password, cty JWT): a broker that decrypted JWEs with its
// secret would find a valid JWS inside.
func realJWE(ctx context.Context) error {
	return replaceToken(ctx, (*mint).EncryptedToSecret)
}

// nestedJWT signs, with the configured key, a JWS whose payload is a valid
// token (RFC 7519 section 5.2's nested JWT): the claims are not JSON.
func nestedJWT(ctx context.Context) error {
	return replaceToken(ctx, (*mint).NestingValidToken)
}

// segmentJSONText makes a segment exactly the given JSON text (NOW
// expressions rendered), which need not be valid JSON (NaN) nor have unique
// names; the token is signed over it.
func segmentJSONText(ctx context.Context, segment, text string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if segment == "header" {
		t.RawHeader = []byte(text)
	} else {
		t.RawPayload = []byte(text)
	}
	t.RawRender = true
	return nil
}

// segmentEncoding re-encodes the segment's JSON text before signing.
func segmentEncoding(ctx context.Context, segment, how string) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	change := tokenshape.UTF16
	if how == "starts with a byte-order mark" {
		change = tokenshape.WithBOM
	}
	t.RawEncode = append(t.RawEncode, forge.RawEncoding{Segment: segment, Change: change})
	return nil
}

// unsignedWithSignature is an alg "none" token whose signature segment is
// not empty: the signature of the valid token (SEC-01: a verifier that
// trusts alg none may still look at the signature, or not at all).
func unsignedWithSignature(ctx context.Context, alg string) error {
	return replaceToken(ctx, func(m *mint) (string, error) { return m.UnsignedCarryingSignature(alg) })
}

// theConnectionIsRefused accepts any refusal: a CONNACK >= 0x80 or the
// connection closed. For forms where the catalogue's readings differ in
// the code (a broker may refuse a malformed token with BF or the claim
// with 0x86) but not in letting the client in.
func theConnectionIsRefused(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	a := st.answer
	if a == nil {
		return fmt.Errorf(`the scenario checks a CONNACK before "the client connects"`)
	}
	if err := verify.Refused(*a); err != nil {
		return st.explainAccepted(err)
	}
	return nil
}
