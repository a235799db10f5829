package byhand

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/steps/target"
	"github.com/authspec/authspec/steps/target/remote"
)

// Target is a broker configured by hand, as a profile declares it.
type Target struct {
	name   string
	ep     remote.Endpoint
	claims remote.Claims
	policy target.ReasonCodePolicy

	profile               security.Profile
	ignoreBackendFailures bool
	authorization         map[string]any // normalized; nil: not declared
	chain                 []declared

	// Where the broker calls the suite's fixtures: only set when the
	// declared chain uses them, so a scenario that serves a fixture the
	// broker never calls takes a free port instead of a fixed one another
	// program may hold.
	jwksListen, scramListen string
	// oidc is the suite's OpenID Connect provider, when a declared JWKS
	// endpoint is at serve.oidc_listen (oidc.go).
	oidc oidcDeclared

	reach remote.Reachability
	// tokenClaims is the profile's token_claims (target.TokenClaimer).
	tokenClaims map[string]any

	peerHost string
	variants map[string]string
}

// Option configures New.
type Option func(*options)

type options struct{ peerHost string }

func optionsOf(opts []Option) options {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// WithPeerHost says where the broker sees the suite's connections come
// from, when that is not their local address (a container behind Docker's
// port mapping sees the bridge's gateway): see target.PeerHoster.
func WithPeerHost(host string) Option { return func(o *options) { o.peerHost = host } }

// New reads a by-hand profile. Its errors are configuration errors: a key
// file that does not hold the private key of public_key, or a JWKS
// endpoint or SCRAM backend URL that is not where the suite serves (the
// profile's serve section).
func New(p *profile.Profile, opts ...Option) (*Target, error) {
	if p.Configure != profile.ByHand {
		return nil, fmt.Errorf("profile %s: configure is %s, not by-hand", p.Name, p.Configure)
	}
	ep, err := remote.EndpointOf(p)
	if err != nil {
		return nil, err
	}
	t := &Target{
		peerHost: optionsOf(opts).peerHost,
		name:     p.Name,
		ep:       ep,
		claims:   remote.NewClaims(p.ClaimList),
		policy:   target.ReasonCodePolicy(p.ReasonCodes),
		profile:  p.SecurityProfile.Effective(),
		variants: p.Variants,

		tokenClaims: p.TokenClaims,
	}
	if p.AuthenticationSettings != nil {
		t.ignoreBackendFailures = p.AuthenticationSettings.IgnoreBackendFailures
	}
	if p.Authorization != nil {
		if t.authorization, err = normalize(p.Authorization); err != nil {
			return nil, fmt.Errorf("profile %s: authorization: %w", p.Name, err)
		}
	}
	for i, a := range p.Authentication {
		d, err := t.declare(p, i, a)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: authentication[%d]: %w", p.Source, a.Line, i, err)
		}
		t.chain = append(t.chain, d)
	}
	return t, nil
}

func (t *Target) declare(p *profile.Profile, i int, a profile.Authenticator) (declared, error) {
	cfg, err := normalize(a.Config)
	if err != nil {
		return declared{}, err
	}
	d := declared{config: cfg}
	if a.PrivateKeyFile != "" {
		if d.key, err = loadKey(a.PrivateKeyFile, cfg["public_key"]); err != nil {
			return declared{}, err
		}
	}
	switch target.Mechanism(cfg) {
	case "jwt":
		if cfg["use_jwks"] == true && atListen(cfg["endpoint"], p.Serve.OIDCListen) {
			if t.oidc, err = declareOIDC(p, cfg); err != nil {
				return declared{}, err
			}
			break
		}
		if cfg["use_jwks"] == true {
			if err := servedAt(cfg["endpoint"], "endpoint", p.Serve.JWKSListen, "serve.jwks_listen"); err != nil {
				return declared{}, err
			}
			t.jwksListen = p.Serve.JWKSListen
		}
	case "scram:http":
		if err := servedAt(cfg["url"], "url", p.Serve.SCRAMBackendListen, "serve.scram_backend_listen"); err != nil {
			return declared{}, err
		}
		t.scramListen = p.Serve.SCRAMBackendListen
	}
	return d, nil
}

// servedAt checks that a URL the broker calls reaches the suite's fixture.
func servedAt(v any, field, listen, listenKey string) error {
	s, _ := v.(string)
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("%s: %q: want an http:// URL of the suite's fixture (%s: %s)", field, s, listenKey, listen)
	}
	if !sameHostPort(u.Host, listen) {
		return fmt.Errorf("%s: %s is not where the suite serves its fixture: %s is %s (point the broker there, or change %s)",
			field, s, listenKey, listen, listenKey)
	}
	return nil
}

// atListen reports whether URL v is at address listen.
func atListen(v any, listen string) bool {
	s, _ := v.(string)
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && sameHostPort(u.Host, listen)
}

func sameHostPort(a, b string) bool {
	ah, ap, errA := net.SplitHostPort(a)
	bh, bp, errB := net.SplitHostPort(b)
	return errA == nil && errB == nil && ap == bp && (ah == bh || (isLoopback(ah) && isLoopback(bh)))
}

func isLoopback(h string) bool {
	ip := net.ParseIP(h)
	return h == "localhost" || (ip != nil && ip.IsLoopback())
}

// loadKey reads private_key_file and checks it against public_key when the
// profile gives the PEM text (a path names a file on the broker's host,
// which the suite may not see).
func loadKey(path string, publicKey any) (*tokens.Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("private_key_file: %w", err)
	}
	key, err := tokens.ParsePrivatePEM(data)
	if err != nil {
		return nil, fmt.Errorf("private_key_file %s: %w", path, err)
	}
	text, _ := publicKey.(string)
	if !strings.HasPrefix(strings.TrimSpace(text), "-----BEGIN") {
		return key, nil
	}
	block, _ := pem.Decode([]byte(text))
	if block == nil {
		return nil, fmt.Errorf("public_key: not PEM text")
	}
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("public_key: %w", err)
	}
	if eq, ok := pub.(interface{ Equal(crypto.PublicKey) bool }); !ok || !eq.Equal(key.Public()) {
		return nil, fmt.Errorf("private_key_file %s is not the private key of public_key: the broker would refuse every token the suite signs", path)
	}
	return key, nil
}

// Versions are the declared versions, less MQTT 5 once the broker turned
// it down (target.Versioned).
func (t *Target) Versions() []target.Version {
	v, _ := t.reach.Spoken(t.ep)
	return v
}

// Variants are the profile's readings of the catalogue's ambiguities
// (target.Varianted).
func (t *Target) Variants() map[string]string { return t.variants }

// Name names the report directory.
func (t *Target) Name() string { return t.name }

// TokenClaims is the profile's token_claims (target.TokenClaimer).
func (t *Target) TokenClaims() map[string]any { return t.tokenClaims }

// ReasonCodes is the profile's reason_codes (target.Policied).
func (t *Target) ReasonCodes() target.ReasonCodePolicy { return t.policy }

// Serial: every scenario uses the one broker, and its fixtures listen at
// fixed addresses (target.Serializer).
func (t *Target) Serial() bool { return true }

// JWKSListen is serve.jwks_listen when the broker fetches keys from there
// (target.JWKSHost).
func (t *Target) JWKSListen() string { return t.jwksListen }

// ScramBackendListen is serve.scram_backend_listen when the broker asks
// the suite's SCRAM backend (target.ScramBackendHost).
func (t *Target) ScramBackendListen() string { return t.scramListen }

// Provision checks the scenario against the profile: its IDs against the
// claims, its Setup against the declared configuration; then, once per
// run, that the broker answers MQTT at all.
func (t *Target) Provision(ctx context.Context, s target.Setup) (target.Instance, error) {
	if err := t.claims.Check(s.IDs); err != nil {
		return nil, err
	}
	applied, err := t.fit(s)
	if err != nil {
		return nil, err
	}
	if err := t.reach.Check(ctx, t.ep); err != nil {
		return nil, err
	}
	versions, noMQTT5 := t.reach.Spoken(t.ep)
	return &instance{ep: t.ep, applied: applied, peerHost: t.peerHost, versions: versions, noMQTT5: noMQTT5}, nil
}

type instance struct {
	ep       remote.Endpoint
	applied  []target.Applied
	peerHost string
	// versions are those the broker speaks of the declared ones; noMQTT5
	// says why MQTT 5 is not among them when the broker turned it down.
	versions []target.Version
	noMQTT5  string
}

// VersionNote is target.VersionNoter.
func (i *instance) VersionNote(v target.Version) string {
	if v == target.MQTT5 {
		return i.noMQTT5
	}
	return ""
}

// PeerHost is target.PeerHoster.
func (i *instance) PeerHost() string { return i.peerHost }

func (i *instance) Dial(ctx context.Context) (net.Conn, error) { return i.ep.Dial(ctx) }
func (i *instance) Versions() []target.Version                 { return i.versions }
func (i *instance) Authenticators() []target.Applied           { return i.applied }

// Close has nothing to release: the broker is not the suite's.
func (i *instance) Close() error { return nil }

var _ target.TokenClaimer = (*Target)(nil)
