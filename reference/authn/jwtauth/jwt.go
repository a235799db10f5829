// Package jwtauth is EMQX's JWT authenticator (`mechanism: jwt`), broker
// independent: HMAC secrets, one public key, or keys from a JWKS endpoint
// (through a KeySource), EMQX's own claim rules, verify_claims, the acl and
// client_attrs claims. Signatures are verified with golang-jwt; the claims
// are checked here because EMQX's rules differ from any library's (numeric
// strings for exp/nbf, no leeway, iat ignored, aud only through
// verify_claims).
package jwtauth

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/authz"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/config/schema"
)

// ID is the EMQX authenticator ID of every JWT authenticator.
const ID = "jwt"

// Check names a Result.Check can take, one per check that can decide.
const (
	CheckAuthMethod   = "auth-method-present"
	CheckProtocol     = "protocol"
	CheckMissingJWT   = "missing-jwt"
	CheckFormat       = "format"
	CheckAlg          = "alg"
	CheckTyp          = "typ"
	CheckKid          = "kid"
	CheckNoKeys       = "no-keys"
	CheckSignature    = "signature"
	CheckPayload      = "payload"
	CheckAud          = "aud"
	CheckExp          = "exp"
	CheckNbf          = "nbf"
	CheckIat          = "iat"
	CheckClientAttrs  = "client_attrs"
	CheckACL          = "acl"
	CheckVerified     = "verified"
	checkVerifyPrefix = "verify_claims."
)

// Option configures New.
type Option func(*options)

type options struct {
	jwks    JWKSFactory
	defects defects
}

// WithDefects switches deliberate defects on (self-test only; see
// defect_options.go).
func WithDefects(ds ...Defect) Option {
	return func(o *options) { o.defects.apply(ds) }
}

// WithACLDefects switches on the acl area's defects that apply to the
// rules of a token's acl claim (self-test only).
func WithACLDefects(d authz.Defects) Option {
	return func(o *options) { o.defects.acl = d }
}

// WithJWKS gives the factory of JWKS key sources; without it a `use_jwks:
// true` configuration is refused.
func WithJWKS(f JWKSFactory) Option {
	return func(o *options) { o.jwks = f }
}

// Authenticator is one configured JWT authenticator. It is safe for
// concurrent use, and usable without a broker (the load generator verifies
// tokens with it).
type Authenticator struct {
	cfg    Config
	env    authn.Env
	algs   []string
	keys   []any     // HMAC or public-key mode
	source KeySource // JWKS mode
	// defects are the deliberate defects switched on (self-test only).
	defects defects
}

var _ authn.Authenticator = (*Authenticator)(nil)

// New builds an authenticator from EMQX's JSON shape. Configuration errors
// are *schema.FieldError naming the field. The result is an *Authenticator.
func New(raw json.RawMessage, env authn.Env, opts ...Option) (authn.Authenticator, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := parseConfig(raw, parseEnv{Env: env, defects: o.defects})
	if err != nil {
		return nil, err
	}
	a, err := NewFromConfig(cfg, env, opts...)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// NewFromConfig builds an authenticator from a parsed Config.
func NewFromConfig(cfg Config, env authn.Env, opts ...Option) (*Authenticator, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	a := &Authenticator{cfg: cfg, env: env, defects: o.defects}
	switch cfg.Mode {
	case ModeHMAC:
		a.algs = hmacAlgs
		if a.defects.hmacOnlyHS256 {
			a.algs = []string{"HS256"}
		}
		a.keys = []any{cfg.Secret}
	case ModePublicKey, ModeJWKS:
		a.algs = pkAlgs
		if a.defects.pkDocsAlgsOnly {
			a.algs = pkDocsAlgs
		}
		if cfg.PublicKey != nil {
			a.keys = []any{cfg.PublicKey}
		}
	}
	if cfg.Mode == ModeJWKS {
		if o.jwks == nil {
			return nil, schema.Errorf("use_jwks", "JWKS is unavailable: the reference was built without a JWKS key source")
		}
		if !cfg.Enable {
			// A disabled authenticator never runs: fetching keys for it would
			// only show the endpoint requests nobody uses.
			return a, nil
		}
		src, err := o.jwks(*cfg.JWKS, env)
		if err != nil {
			return nil, schema.Errorf("endpoint", "cannot start the JWKS key source: %v", err)
		}
		a.source = src
	}
	return a, nil
}

// ID is "jwt".
func (a *Authenticator) ID() string { return ID }

// Config returns the configuration the authenticator was built from.
func (a *Authenticator) Config() Config { return a.cfg }

// Close stops the JWKS key source, if any.
func (a *Authenticator) Close() error {
	if a.source != nil {
		return a.source.Close()
	}
	return nil
}

// VerifyToken checks token as if a client had sent it in the configured
// field, for callers without a CONNECT (load generator, CLI).
func (a *Authenticator) VerifyToken(ctx context.Context, token string) authn.Result {
	c := &clientinfo.Client{Protocol: 5, ClientID: "verify", Password: []byte(token), HasPassword: true,
		Username: token, HasUsername: true}
	return a.Authenticate(ctx, c)
}

// Authenticate implements EMQX's emqx_authn_jwt:authenticate.
func (a *Authenticator) Authenticate(_ context.Context, c *clientinfo.Client) authn.Result {
	fs := a.defects
	if c.AuthMethod != "" && !fs.jwtHandlesAuthMethod {
		return a.ignore(CheckAuthMethod, "the CONNECT carries an Authentication-Method: enhanced authentication is not for the JWT authenticator")
	}
	if c.Protocol < 5 && fs.jwtIgnoresMQTT3 {
		return a.ignore(CheckProtocol, "MQTT 3.1.1 clients are not handled")
	}
	token, present := a.tokenOf(c)
	if present && token == "" && fs.emptyPasswordIsMissing {
		present = false
	}
	if !present && fs.tokenFromOtherFieldWhenMissing {
		token, present = a.otherField(c)
	}
	if !present {
		return a.missing()
	}
	res := a.verify(token, c)
	if res.BackendFailure && fs.tokenFromEitherField {
		if other, ok := a.otherField(c); ok {
			return a.verify(other, c)
		}
	}
	return res
}

// otherField is the CONNECT field `from` does not name; only the faults of
// reference/faults/twins.go read it.
func (a *Authenticator) otherField(c *clientinfo.Client) (string, bool) {
	if a.cfg.From == "username" {
		return string(c.Password), c.HasPassword
	}
	return c.Username, c.HasUsername
}

// tokenOf reads the configured field (JWT-SRC-01, -02).
func (a *Authenticator) tokenOf(c *clientinfo.Client) (string, bool) {
	from := a.cfg.From
	switch {
	case a.defects.tokenAlwaysFromUsername:
		from = "username"
	case a.defects.tokenAlwaysFromPassword:
		from = "password"
	}
	if from == "username" {
		return c.Username, c.HasUsername
	}
	return string(c.Password), c.HasPassword
}

// missing applies on_missing_jwt (JWT-SRC-03).
func (a *Authenticator) missing() authn.Result {
	field := a.cfg.From
	if a.defects.missingJWTAccept {
		return authn.Result{Outcome: authn.Accept, Authenticator: ID, Check: CheckMissingJWT,
			Detail: "no token in the " + field + " field, accepted anyway"}
	}
	if a.cfg.OnMissingJWT == "deny" {
		return a.deny(CheckMissingJWT, "no token in the "+field+" field and on_missing_jwt is deny")
	}
	return a.ignore(CheckMissingJWT, "no token in the "+field+" field and on_missing_jwt is ignore")
}

// verify runs the checks in EMQX's order (JWT-VC-08): format, alg,
// signature, then aud, exp, nbf and verify_claims, then the claims that
// shape the identity.
func (a *Authenticator) verify(token string, c *clientinfo.Client) authn.Result {
	fs := a.defects
	if fs.acceptAlgNone && strings.Count(token, ".") == 1 {
		token += "." // an unsecured JWT with its empty signature segment cut off
	}
	if fs.lenientTokenFormat {
		token = lenientTokenText(token)
		if inner, ok := decryptJWE(token, a.keys); ok {
			token = inner
		}
	}
	t, err := parseCompactText(token, jsonTextFor(fs))
	if err != nil {
		return a.backendFailure(CheckFormat, "not a JWS compact token: "+err.Error())
	}
	method, res, ok := a.checkAlg(t)
	if !ok {
		return res
	}
	if fs.fetchHeaderURLs {
		fetchHeaderURLs(t)
	}
	if r, ok := a.checkHeaderParams(t); !ok {
		return r
	}
	if fs.strictKidTyp && a.cfg.Mode != ModeJWKS {
		if typ, isStr := t.headerString("typ"); isStr && !strings.EqualFold(typ, "JWT") {
			return a.backendFailure(CheckTyp, fmt.Sprintf("typ %q is not JWT", typ))
		}
		if _, hasKid := t.header["kid"]; hasKid {
			return a.backendFailure(CheckKid, "the token names a kid, and this authenticator has no key ids")
		}
	}
	if fs.claimsBeforeSignature {
		if claims, err := t.decodePayload(); err == nil {
			if r, failed := a.checkClaims(claims, c); failed {
				return r
			}
		}
	}
	if r, ok := a.checkSignature(t, method); !ok {
		return r
	}
	claims, err := t.decodePayload()
	if err != nil {
		return a.backendFailure(CheckPayload, err.Error())
	}
	if fs.claimNamesCaseInsensitive {
		foldClaimNames(claims)
	}
	if r, failed := a.checkClaims(claims, c); failed {
		return r
	}
	return a.identity(claims)
}

// checkAlg compares the header's alg with the mode's list, case-sensitively
// (SEC-06). method is the golang-jwt method to verify with; "" means the
// parser decides (the normal path), "none" that no signature is checked.
func (a *Authenticator) checkAlg(t *compactToken) (method string, res authn.Result, ok bool) {
	fs := a.defects
	if !t.hasAlg {
		return "", a.backendFailure(CheckAlg, "the header has no alg string"), false
	}
	if slices.Contains(a.algs, t.alg) {
		return "", authn.Result{}, true
	}
	if fs.acceptAlgNone && strings.EqualFold(t.alg, "none") {
		return "none", authn.Result{}, true
	}
	if fs.algCaseInsensitive {
		for _, alg := range a.algs {
			if strings.EqualFold(alg, t.alg) {
				return alg, authn.Result{}, true
			}
		}
	}
	if fs.pkAcceptsHMAC && a.cfg.Mode == ModePublicKey && slices.Contains(hmacAlgs, t.alg) {
		return t.alg, authn.Result{}, true
	}
	if fs.jwksAcceptsHMAC && a.cfg.Mode == ModeJWKS && slices.Contains(hmacAlgs, t.alg) {
		return t.alg, authn.Result{}, true
	}
	if fs.hmacKeyConfusion && a.cfg.Mode != ModeHMAC && slices.Contains(hmacAlgs, t.alg) {
		return t.alg, authn.Result{}, true
	}
	return "", a.backendFailure(CheckAlg, fmt.Sprintf("alg %q is not one of the %s mode's algorithms %v", t.alg, a.cfg.Mode, a.algs)), false
}

// checkSignature verifies with every key in order (JWKS: A8, kid ignored).
// Keys in the header (jwk, jku, x5u, x5c) are never used (SEC-03).
func (a *Authenticator) checkSignature(t *compactToken, method string) (authn.Result, bool) {
	fs := a.defects
	if method == "none" || fs.skipSignature {
		return authn.Result{}, true
	}
	keys := a.keys
	if a.source != nil {
		pub := a.source.PublicKeys()
		keys = make([]any, 0, len(pub))
		for _, k := range pub {
			keys = append(keys, k)
		}
		keys = faultyJWKSKeys(fs, keys)
	}
	if kid, ok := t.headerString("kid"); ok && fs.jwksUseKid {
		if src, ok := a.source.(KeyIDSource); ok {
			keys = keysWithID(src, kid)
		}
	}
	if fs.trustHeaderJWK {
		if k, ok := headerJWK(t.header); ok {
			keys = append([]any{k}, keys...)
		}
	}
	if fs.trustHeaderKeys {
		keys = append(headerKeys(t.header), keys...)
	}
	if len(keys) == 0 {
		if a.source != nil {
			return a.backendFailure(CheckNoKeys, "the JWKS endpoint has given no usable keys (yet)"), false
		}
		return a.backendFailure(CheckNoKeys, "no verification key is configured"), false
	}
	if fs.ecdsaPsychicSignatures && psychicSignature(t) {
		return authn.Result{}, true
	}
	var err error
	switch {
	case method == "" && fs.pssSaltLengthAuto && strings.HasPrefix(t.alg, "PS"):
		err = verifyWithMethod(jwt.GetSigningMethod(t.alg), t, keys)
	case method == "":
		err = verifyWith(t.alg, t, keys)
	case fs.hmacKeyConfusion && slices.Contains(hmacAlgs, method):
		err = verifyWith(method, t, confusionSecrets(keys, string(a.cfg.PublicKeyPEM), a.source))
	case a.cfg.Mode == ModePublicKey && slices.Contains(hmacAlgs, method):
		// pk-accepts-hmac: the classic key confusion, the PEM text as secret.
		err = verifyWith(method, t, []any{a.cfg.PublicKeyPEM})
	default:
		err = verifyWith(method, t, keys)
	}
	if err != nil && a.source != nil && fs.oidcKeysFromTokenIssuer {
		if issKeys, issErr := keysOfTokenIssuer(t); issErr == nil {
			err = verifyWith(t.alg, t, issKeys)
		}
	}
	if err != nil {
		return a.backendFailure(CheckSignature, fmt.Sprintf("the %s signature does not verify with the %s key(s): %v", t.alg, a.cfg.Mode, err)), false
	}
	return authn.Result{}, true
}

// keysWithID is the fault jwks-use-kid: only the keys whose kid is the
// token's.
func keysWithID(src KeyIDSource, kid string) []any {
	var keys []any
	for _, k := range src.KeysWithIDs() {
		if k.KID == kid {
			keys = append(keys, k.Key)
		}
	}
	return keys
}

// headerJWK is the fault trust-header-jwk: the key a token brings itself.
func headerJWK(header map[string]json.RawMessage) (any, bool) {
	raw, ok := header["jwk"]
	if !ok {
		return nil, false
	}
	var k jose.JSONWebKey
	if err := k.UnmarshalJSON(raw); err != nil {
		return nil, false
	}
	if s, ok := k.Key.(crypto.Signer); ok {
		return s.Public(), true
	}
	return k.Key, true
}

// checkClaims applies EMQX's verify_claims/2: aud first, then exp, nbf and
// the configured claims (0x86 on failure).
func (a *Authenticator) checkClaims(claims map[string]json.RawMessage, c *clientinfo.Client) (authn.Result, bool) {
	fs := a.defects
	now := a.env.Clock().Unix()
	aud, custom := audCheck(a.cfg.VerifyClaims)
	skipVC := fs.ignoreVerifyClaims
	if aud != nil && !skipVC {
		want := expected(&aud.Expected, c, fs)
		raw, ok := claims["aud"]
		if !ok {
			return a.deny(CheckAud, fmt.Sprintf("the token has no aud claim; %q is expected", want)), true
		}
		if !audMatches(raw, want, fs) {
			return a.deny(CheckAud, fmt.Sprintf("aud %s is not %q nor a list holding it", clip(raw), want)), true
		}
	}
	allowStrings := !fs.timeClaimsNumbersOnly
	if raw, ok := claims["exp"]; ok && !fs.skipExp && !timeClaimDropped(fs, raw) {
		exp, isNum := timeClaimUnder(fs, raw, allowStrings)
		switch {
		case !isNum:
			return a.deny(CheckExp, fmt.Sprintf("exp %s is not a number", clip(raw))), true
		case fs.expInclusive && exp.after(now-1):
			// exp == now slips through
		case !exp.after(now):
			return a.deny(CheckExp, fmt.Sprintf("the token expired: exp %s is not after now (%d)", exp, now)), true
		}
	} else if !ok && fs.requireExp {
		return a.deny(CheckExp, "the token has no exp claim"), true
	}
	if raw, ok := claims["nbf"]; ok && !fs.skipNbf && !timeClaimDropped(fs, raw) {
		nbf, isNum := timeClaimUnder(fs, raw, allowStrings)
		switch {
		case !isNum:
			return a.deny(CheckNbf, fmt.Sprintf("nbf %s is not a number", clip(raw))), true
		case !nbf.atMost(now):
			return a.deny(CheckNbf, fmt.Sprintf("the token is not valid yet: nbf %s is after now (%d)", nbf, now)), true
		}
	}
	if raw, ok := claims["iat"]; ok && fs.checkIat {
		if iat, isNum := timeClaim(raw, true); isNum && iat.after(now) {
			return a.deny(CheckIat, fmt.Sprintf("iat %s is in the future", iat)), true
		}
	}
	if skipVC {
		return authn.Result{}, false
	}
	if len(custom) == 0 {
		return authn.Result{}, false
	}
	// EMQX takes each checked claim out of the map, so exp, nbf, and a
	// name listed twice count as missing for a verify_claims entry.
	consumed := map[string]bool{"exp": true, "nbf": true}
	for _, vc := range custom {
		check := checkVerifyPrefix + vc.Name
		want := expected(&vc.Expected, c, fs)
		raw, ok := claims[vc.Name]
		if !ok || consumed[vc.Name] {
			return a.deny(check, fmt.Sprintf("the token has no %q claim; %q is expected", vc.Name, want)), true
		}
		consumed[vc.Name] = true
		if !claimEquals(raw, want) && !faultyClaimEquals(fs, raw, want) {
			return a.deny(check, fmt.Sprintf("claim %q is %s, expected the string %q", vc.Name, clip(raw), want)), true
		}
	}
	return authn.Result{}, false
}

// identity turns verified claims into what an Accept grants
// (extra_to_auth_data in EMQX).
func (a *Authenticator) identity(claims map[string]json.RawMessage) authn.Result {
	fs := a.defects
	var id authn.Identity
	if raw, ok := claims["is_superuser"]; ok {
		id.Superuser = superuserUnder(raw, fs)
	}
	if raw, ok := claims["client_attrs"]; ok && !fs.clientAttrsIgnored {
		attrs, err := readClientAttrs(raw, attrRules{
			keepBadKeys: fs.clientAttrsKeepBadKeys,
			stringify:   fs.clientAttrsStringified,
		})
		if err != nil {
			return a.backendFailure(CheckClientAttrs, err.Error())
		}
		id.ClientAttrs = attrs
	}
	if raw, ok := claims["exp"]; ok {
		exp, isNum := timeClaim(raw, true)
		if isNum {
			if !exp.integral && a.cfg.DisconnectAfterExpire {
				if !fs.fractionalExpTruncated {
					return a.backendFailure(CheckExp, fmt.Sprintf("exp %s is fractional: the disconnect timer needs whole seconds (disconnect_after_expire is true)", exp))
				}
				exp = number{f: float64(int64(exp.f)), i: int64(exp.f), integral: true}
			}
			// ExpireAt is set in both cases: it bounds the token's ACL
			// (JWT-ACL-08); only DisconnectOnExpire closes the connection.
			id.ExpireAt = exp.time()
			// A fractional exp (only accepted with disconnect off, A14)
			// makes EMQX's ACL expiry check deny every action.
			id.ExpireNotInteger = !exp.integral
			id.DisconnectOnExpire = a.cfg.DisconnectAfterExpire || fs.disconnectSettingIgnored
		}
	}
	if raw, ok := claims["clientid_override"]; ok && !fs.ignoreClientIDOverride {
		id.ClientIDOverride = clientIDOverride(raw)
	}
	aclClaim := a.cfg.ACLClaimName
	if fs.aclClaimNameIgnored {
		aclClaim = "acl"
	}
	if raw, ok := claims[aclClaim]; ok {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return a.backendFailure(CheckACL, "acl claim: "+err.Error())
		}
		// The acl area's parse-time defects live in authz.Parser.
		rules, err := authz.Parser{Defects: a.defects.acl}.TokenACL(v)
		switch {
		case errors.Is(err, authz.ErrInvalidRule):
			return a.deny(CheckACL, fmt.Sprintf("claim %q holds an invalid rule: %v", aclClaim, err))
		case err != nil:
			return a.backendFailure(CheckACL, fmt.Sprintf("claim %q: %v", aclClaim, err))
		}
		id.Rules = rules
	}
	return authn.Result{Outcome: authn.Accept, Authenticator: ID, Check: CheckVerified,
		Detail: "token verified (" + a.cfg.Mode.String() + " mode)", Identity: id}
}

func (a *Authenticator) ignore(check, detail string) authn.Result {
	return authn.Result{Outcome: authn.Ignore, Authenticator: ID, Check: check, Detail: detail}
}

func (a *Authenticator) deny(check, detail string) authn.Result {
	return authn.Result{Outcome: authn.Deny, Code: authn.CodeBadUserNameOrPass, Authenticator: ID, Check: check, Detail: detail}
}

// foldClaimNames is the fault claim-names-case-insensitive: a look-alike
// claim ("Exp") takes the place of the claim ("exp").
func foldClaimNames(claims map[string]json.RawMessage) {
	for name, v := range claims {
		if lower := strings.ToLower(name); lower != name {
			claims[lower] = v
		}
	}
}

// backendFailure is EMQX's backend_failure_result: the chain turns it into
// ignore (legacy) or 0x87 (hardened).
func (a *Authenticator) backendFailure(check, detail string) authn.Result {
	return authn.Result{Outcome: authn.Ignore, BackendFailure: true, Authenticator: ID, Check: check, Detail: detail}
}

// clip shortens a claim for a log line.
func clip(raw json.RawMessage) string {
	const max = 64
	if len(raw) > max {
		return string(raw[:max]) + "..."
	}
	return string(raw)
}
