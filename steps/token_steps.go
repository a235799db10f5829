package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/authspec/authspec/steps/internal/forge"
)

func registerTokenSteps(sc *registry) {
	// The token every scenario starts from.
	sc.Given(`^a valid token$`, aValidToken)
	sc.Given(`^a valid (\S+) token$`, aValidAlgToken)
	sc.Given(`^the seed token from the catalogue$`, theSeedToken)
	sc.Given(`^the token is the text "([^"]*)"$`, theTokenText, quotedAsDefect)

	// Claims and header.
	sc.Given(`^the token has no "([^"]+)" claim$`, theTokenHasNoClaim, quotedAsDefect)
	sc.Given(`^the token's "([^"]+)" claim is (.*)$`, theTokenClaimIs, quotedAsDefect)
	sc.Given(`^the token's header "([^"]+)" is (.+)$`, theTokenHeaderIs, quotedAsDefect)

	// Signing with the wrong key or algorithm.
	sc.Given(`^the token is signed with another secret$`, signedWithAnotherSecret, quotedAsDefect)
	sc.Given(`^the token is signed with the secret's text as configured$`, signedWithSecretText, quotedAsDefect)
	sc.Given(`^the token is signed with the secret's text base64-decoded$`, signedWithSecretDecoded, quotedAsDefect)
	sc.Given(`^the token is signed by another key$`, signedByAnotherKey, quotedAsDefect)
	sc.Given(`^the token is signed with (\S+) instead$`, signedWithAlgInstead, quotedAsDefect)

	// Malformed and malicious shapes.
	sc.Given(`^the token is unsigned with alg "([^"]*)"$`, unsignedWithAlg, quotedAsDefect)
	sc.Given(`^the token's signature is (stripped|empty)$`, signatureRemoved, quotedAsDefect)
	sc.Given(`^the token is altered after signing in its (header|payload)$`, alteredAfterSigning, quotedAsDefect)
	sc.Given(`^the token is a five-part JWE$`, fivePartJWE, quotedAsDefect)
	sc.Given(`^the token carries a "Bearer " prefix$`, bearerPrefix, quotedAsDefect)
	sc.Given(`^the token's segments carry "=" padding$`, paddedSegments, quotedAsDefect)
	sc.Given(`^the token's payload is not valid base64url$`, badBase64, quotedAsDefect)
	sc.Given(`^the token's (header|payload) is not JSON$`, segmentNotJSON, quotedAsDefect)
	sc.Given(`^the token is an HS256 token keyed with the configured public key's PEM text$`, hmacWithConfiguredPEM, quotedAsDefect)
	sc.Given(`^the token claims RS256 but carries an HMAC keyed with (an RSA public key's PEM text|the configured secret)$`, rs256OverHMAC, quotedAsDefect)
}

// tokenSpec is the scenario's token (st.token) and mint one minting of it
// (steps/internal/forge): the names the other vocabularies' handlers use.
type (
	tokenSpec = forge.Spec
	mint      = forge.Mint
)

func newTokenSpec() *tokenSpec { return forge.NewSpec() }

// theToken returns the token the scenario described, for a step that
// breaks one aspect of it.
func theToken(ctx context.Context) (*tokenSpec, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, err
	}
	if st.token == nil {
		return nil, fmt.Errorf(`the scenario changes a token it never described: start with "a valid token"`)
	}
	return st.token, nil
}

// changeToken applies change to the scenario's token.
func changeToken(ctx context.Context, change func(*tokenSpec)) error {
	return tryChangeToken(ctx, func(t *tokenSpec) error { change(t); return nil })
}

// tryChangeToken applies a change that may refuse (a bad step argument).
func tryChangeToken(ctx context.Context, change func(*tokenSpec) error) error {
	t, err := theToken(ctx)
	if err != nil {
		return err
	}
	return change(t)
}

func setToken(ctx context.Context, t *tokenSpec) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	st.token = t
	return nil
}

func aValidToken(ctx context.Context) error { return setToken(ctx, forge.NewSpec()) }

func aValidAlgToken(ctx context.Context, alg string) error {
	t, err := forge.NewAlgSpec(alg)
	if err != nil {
		return err
	}
	return setToken(ctx, t)
}

func theSeedToken(ctx context.Context) error { return setToken(ctx, forge.SeedSpec()) }

func theTokenText(ctx context.Context, text string) error {
	return setToken(ctx, forge.TextSpec(text))
}

func theTokenHasNoClaim(ctx context.Context, name string) error {
	return changeToken(ctx, func(t *tokenSpec) { t.DropClaim(name) })
}

// theTokenClaimIs sets a claim to a JSON value; NOW, NOW+N and NOW-N stand
// for the clock in Unix seconds.
func theTokenClaimIs(ctx context.Context, name, value string) error {
	return changeToken(ctx, func(t *tokenSpec) { t.SetClaim(name, strings.TrimSpace(value)) })
}

// theTokenHeaderIs sets a header field to a JSON value, or removes it with
// the word absent (forge.Spec.SetHeader).
func theTokenHeaderIs(ctx context.Context, name, value string) error {
	return tryChangeToken(ctx, func(t *tokenSpec) error { return t.SetHeader(name, strings.TrimSpace(value)) })
}

func signedWithAnotherSecret(ctx context.Context) error {
	return changeToken(ctx, (*tokenSpec).SignWithAnotherSecret)
}

func signedWithSecretText(ctx context.Context) error {
	return changeToken(ctx, (*tokenSpec).SignWithSecretText)
}

func signedWithSecretDecoded(ctx context.Context) error {
	return changeToken(ctx, (*tokenSpec).SignWithSecretDecoded)
}

func signedByAnotherKey(ctx context.Context) error {
	return changeToken(ctx, (*tokenSpec).SignByAnotherKey)
}

func signedWithAlgInstead(ctx context.Context, alg string) error {
	return tryChangeToken(ctx, func(t *tokenSpec) error { return t.SignWithAlgInstead(alg) })
}

func unsignedWithAlg(ctx context.Context, alg string) error {
	return changeToken(ctx, func(t *tokenSpec) { t.Unsigned(alg) })
}

func signatureRemoved(ctx context.Context, how string) error {
	if how == "stripped" {
		return changeToken(ctx, (*tokenSpec).StripSignature)
	}
	return changeToken(ctx, (*tokenSpec).EmptySignature)
}

func alteredAfterSigning(ctx context.Context, segment string) error {
	return changeToken(ctx, func(t *tokenSpec) { t.AlterAfterSigning(segment) })
}

func fivePartJWE(ctx context.Context) error { return changeToken(ctx, (*tokenSpec).FivePartJWE) }

func bearerPrefix(ctx context.Context) error { return changeToken(ctx, (*tokenSpec).BearerPrefix) }

func paddedSegments(ctx context.Context) error { return changeToken(ctx, (*tokenSpec).PadSegments) }

func badBase64(ctx context.Context) error { return changeToken(ctx, (*tokenSpec).BreakBase64) }

func segmentNotJSON(ctx context.Context, segment string) error {
	return changeToken(ctx, func(t *tokenSpec) { t.SegmentNotJSON(segment) })
}

func hmacWithConfiguredPEM(ctx context.Context) error {
	return changeToken(ctx, (*tokenSpec).HMACWithConfiguredPEM)
}

func rs256OverHMAC(ctx context.Context, keyedWith string) error {
	if keyedWith == "the configured secret" {
		return changeToken(ctx, (*tokenSpec).RS256OverHMACWithSecret)
	}
	return changeToken(ctx, (*tokenSpec).RS256OverHMACWithRSAPEM)
}
