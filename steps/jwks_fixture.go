package steps

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// jwksFixture is the JWKS endpoint the suite serves for one scenario: one
// fixtures/jwksserver model (the keys in the set, how the endpoint answers,
// what fetches it saw) over plain HTTP and over HTTPS with a self-signed
// certificate. What the fixture adds is the scenario's vocabulary: keys by
// the names steps give them, drawn from the scenario's keyring, so tokens
// are signed by the private half of what the endpoint publishes.
type jwksFixture struct {
	keys *tokens.Keyring
	srv  *jwksserver.Server

	mu        sync.Mutex
	defined   map[string]*jwksKey          // every key the scenario named
	published map[*jwksserver.Key]*jwksKey // the served key pairs, by what the server publishes
	octs      map[string]*jwksserver.Key   // the served oct keys, by name
}

// jwksKey is a key pair the scenario named: its public half is published
// when served, its private half signs tokens.
type jwksKey struct {
	name string
	alg  string // the JWS algorithm tokens signed by it use
	key  *tokens.Key
	// jwkAlg and use are the JWK's "alg" and "use" members ("" leaves them
	// out); kid is its "kid" (the name unless the scenario says otherwise).
	jwkAlg, use, kid string
}

// startJWKSFixture starts the plain endpoint where the target's broker
// expects it (target.JWKSListen) and its HTTPS twin on a free port of the
// same host (target.JWKSHTTPSListen).
func startJWKSFixture(st *scenario) (*jwksFixture, error) {
	srv, err := jwksserver.Start(jwksserver.WithAddr(target.JWKSListen(st.suite.Target)),
		jwksserver.WithTLSTwin(target.JWKSHTTPSListen(st.suite.Target)))
	if err != nil {
		return nil, err
	}
	return &jwksFixture{keys: st.keys, srv: srv, defined: map[string]*jwksKey{},
		published: map[*jwksserver.Key]*jwksKey{}, octs: map[string]*jwksserver.Key{}}, nil
}

func (f *jwksFixture) endpoint() target.JWKSEndpoint {
	return target.JWKSEndpoint{URL: f.srv.URL(), HTTPSURL: f.srv.TLSURL(), CACertPEM: f.srv.CACertPEM()}
}

func (f *jwksFixture) close() error { return f.srv.Close() }

// define names a key pair of alg's kind (RSA keys come from the keyring's
// per-process cache, so a scenario costs no key generation).
func (f *jwksFixture) define(name, alg string) (*jwksKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if k, ok := f.defined[name]; ok {
		if k.alg != alg {
			return nil, fmt.Errorf("JWKS key %q is an %s key, not %s", name, k.alg, alg)
		}
		return k, nil
	}
	kind, err := tokens.KindForAlg(alg)
	if err != nil {
		return nil, fmt.Errorf("JWKS key %q: %w", name, err)
	}
	tk, err := f.keys.Key(kind, "jwks "+name)
	if err != nil {
		return nil, err
	}
	k := &jwksKey{name: name, alg: alg, key: tk, kid: name}
	f.defined[name] = k
	return k, nil
}

func (f *jwksFixture) key(name string) (*jwksKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.defined[name]
	if !ok {
		return nil, fmt.Errorf("the scenario names no JWKS key %q", name)
	}
	return k, nil
}

// served is k as the endpoint publishes it.
func (k *jwksKey) served() *jwksserver.Key {
	return &jwksserver.Key{KID: k.kid, Alg: k.alg, JWKAlg: k.jwkAlg, Use: k.use, Signer: k.key.Private}
}

// publicJWK is the JWK the endpoint publishes for k.
func (k *jwksKey) publicJWK() (json.RawMessage, error) { return k.served().JWK().MarshalJSON() }

// publish appends key pairs to the set, as their JWKs read now.
func (f *jwksFixture) publish(keys ...*jwksKey) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	served := make([]*jwksserver.Key, 0, len(keys))
	for _, k := range keys {
		if k.key == nil || k.key.Private == nil {
			return fmt.Errorf("JWKS key %q has no key pair", k.name)
		}
		p := k.served()
		f.published[p] = k
		served = append(served, p)
	}
	f.srv.AddKeys(served...)
	return nil
}

// serveOct appends a symmetric key holding secret (JWT-JWKS-09).
func (f *jwksFixture) serveOct(name, secret string) {
	k := jwksserver.OctKey(name, []byte(secret))
	f.mu.Lock()
	f.octs[name] = k
	f.mu.Unlock()
	f.srv.AddKeys(k)
}

func (f *jwksFixture) octSecret(name string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, ok := f.octs[name]
	if !ok {
		return nil, fmt.Errorf("the JWKS endpoint serves no oct key %q", name)
	}
	return k.Secret, nil
}

// unserve removes a member from the set (a key's kid is its name).
func (f *jwksFixture) unserve(name string) error {
	if f.srv.RemoveKeys(name) == 0 {
		return fmt.Errorf("the JWKS endpoint serves no key %q", name)
	}
	return nil
}

// signingKey is the key a valid token is signed with: the first served key
// pair, else the first one the scenario named.
func (f *jwksFixture) signingKey() (*jwksKey, error) {
	served := f.srv.Keys()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range served {
		if k, ok := f.published[p]; ok {
			return k, nil
		}
	}
	var first *jwksKey
	for _, k := range f.defined {
		if first == nil || k.name < first.name {
			first = k
		}
	}
	if first == nil {
		return nil, errors.New(`the scenario's JWKS endpoint has no key to sign a token with: add one ("the JWKS endpoint serves an RS256 key ...")`)
	}
	return first, nil
}
