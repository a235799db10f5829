// Package jwksdrive is the JWKS endpoint in a scenario's words: the one
// endpoint model of fixtures/jwksserver (the keys in the set, how it
// answers, the fetches it saw), over plain HTTP and over HTTPS with a
// self-signed certificate, with the keys named as the scenario names them
// and drawn from the scenario's keyring, so that tokens are signed by the
// private half of what the endpoint publishes; and the checks of what the
// broker fetched. It knows nothing of godog: the steps call it with
// explicit arguments.
package jwksdrive

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// Endpoint is the JWKS endpoint one scenario serves. Safe for concurrent
// use.
type Endpoint struct {
	keys *tokens.Keyring
	srv  *jwksserver.Server

	mu        sync.Mutex
	defined   map[string]*Key            // every key the scenario named
	published map[*jwksserver.Key]*Key   // the served key pairs, by what the server publishes
	octs      map[string]*jwksserver.Key // the served oct keys, by name
}

// Key is a key pair the scenario named: its public half is published when
// served, its private half signs tokens.
type Key struct {
	Name string
	Alg  string // the JWS algorithm tokens signed by it use
	Pair *tokens.Key
	// JWKAlg and Use are the JWK's "alg" and "use" members ("" leaves them
	// out); KID is its "kid" (the name unless the scenario says otherwise).
	JWKAlg, Use, KID string
}

// Start serves the endpoint at listen and its HTTPS twin at httpsListen
// (target.JWKSListen and target.JWKSHTTPSListen of the target), with keys
// from keys.
func Start(keys *tokens.Keyring, listen, httpsListen string) (*Endpoint, error) {
	if keys == nil {
		return nil, fmt.Errorf("jwksdrive: no keyring")
	}
	srv, err := jwksserver.Start(jwksserver.WithAddr(listen), jwksserver.WithTLSTwin(httpsListen))
	if err != nil {
		return nil, err
	}
	return &Endpoint{keys: keys, srv: srv, defined: map[string]*Key{},
		published: map[*jwksserver.Key]*Key{}, octs: map[string]*jwksserver.Key{}}, nil
}

// Server is the endpoint's model: how it answers, what it received.
func (e *Endpoint) Server() *jwksserver.Server { return e.srv }

// Setup is where the endpoint listens, for the target's placeholders.
func (e *Endpoint) Setup() target.JWKSEndpoint {
	return target.JWKSEndpoint{URL: e.srv.URL(), HTTPSURL: e.srv.TLSURL(), CACertPEM: e.srv.CACertPEM()}
}

// Close stops the endpoint.
func (e *Endpoint) Close() error { return e.srv.Close() }

// Define names a key pair of alg's kind (RSA keys come from the keyring's
// per-process cache, so a scenario costs no key generation). Naming a key
// again returns it, if alg is its algorithm.
func (e *Endpoint) Define(name, alg string) (*Key, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if k, ok := e.defined[name]; ok {
		if k.Alg != alg {
			return nil, fmt.Errorf("JWKS key %q is an %s key, not %s", name, k.Alg, alg)
		}
		return k, nil
	}
	kind, err := tokens.KindForAlg(alg)
	if err != nil {
		return nil, fmt.Errorf("JWKS key %q: %w", name, err)
	}
	pair, err := e.keys.Key(kind, "jwks "+name)
	if err != nil {
		return nil, err
	}
	k := &Key{Name: name, Alg: alg, Pair: pair, KID: name}
	e.defined[name] = k
	return k, nil
}

// Key is the key the scenario named name.
func (e *Endpoint) Key(name string) (*Key, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.defined[name]
	if !ok {
		return nil, fmt.Errorf("the scenario names no JWKS key %q", name)
	}
	return k, nil
}

// Served is k as the endpoint publishes it.
func (k *Key) Served() *jwksserver.Key {
	return &jwksserver.Key{KID: k.KID, Alg: k.Alg, JWKAlg: k.JWKAlg, Use: k.Use, Signer: k.Pair.Private}
}

// PublicJWK is the JWK the endpoint publishes for k.
func (k *Key) PublicJWK() (json.RawMessage, error) { return k.Served().JWK().MarshalJSON() }

// Publish appends key pairs to the set, as their JWKs read now.
func (e *Endpoint) Publish(keys ...*Key) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	served := make([]*jwksserver.Key, 0, len(keys))
	for _, k := range keys {
		if k.Pair == nil || k.Pair.Private == nil {
			return fmt.Errorf("JWKS key %q has no key pair", k.Name)
		}
		p := k.Served()
		e.published[p] = k
		served = append(served, p)
	}
	e.srv.AddKeys(served...)
	return nil
}

// ServeOct appends a symmetric key holding secret (JWT-JWKS-09).
func (e *Endpoint) ServeOct(name, secret string) {
	k := jwksserver.OctKey(name, []byte(secret))
	e.mu.Lock()
	e.octs[name] = k
	e.mu.Unlock()
	e.srv.AddKeys(k)
}

// OctSecret is the secret of the oct key served as name.
func (e *Endpoint) OctSecret(name string) ([]byte, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.octs[name]
	if !ok {
		return nil, fmt.Errorf("the JWKS endpoint serves no oct key %q", name)
	}
	return k.Secret, nil
}

// Unserve removes a member from the set (a key's kid is its name).
func (e *Endpoint) Unserve(name string) error {
	if e.srv.RemoveKeys(name) == 0 {
		return fmt.Errorf("the JWKS endpoint serves no key %q", name)
	}
	return nil
}
