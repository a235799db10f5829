package jwksdrive

import (
	"errors"
	"fmt"
	"strconv"
)

// Serve names a key pair of alg's kind and publishes it.
func (e *Endpoint) Serve(name, alg string) error {
	k, err := e.Define(name, alg)
	if err != nil {
		return err
	}
	return e.Publish(k)
}

// KeySpec is a key the scenario lists: its kid, the algorithm it signs
// with, and the JWK's own "alg" and "use" members ("" leaves them out),
// which may say something else (JWT-JWKS-01: the broker does not use
// them).
type KeySpec struct {
	KID, Alg, JWKAlg, Use string
}

// ServeKeys names and publishes the listed keys, in order.
func (e *Endpoint) ServeKeys(specs ...KeySpec) error {
	for _, s := range specs {
		k, err := e.Define(s.KID, s.Alg)
		if err != nil {
			return err
		}
		k.JWKAlg, k.Use = s.JWKAlg, s.Use
		if err := e.Publish(k); err != nil {
			return err
		}
	}
	return nil
}

// MaxRecipeKeys bounds the recipe's set: RSA keys are the costly kind.
const MaxRecipeKeys = 8

// ServeRecipe serves the set the JWKS article's jwcrypto recipe produces:
// n RSA keys with "alg": "RSA256" (not a JWS name), "use": "sig" and
// string kids "1".."n" (JWT-JWKS-06).
func (e *Endpoint) ServeRecipe(n int) error {
	if n < 1 || n > MaxRecipeKeys {
		return fmt.Errorf("the recipe's key set takes 1 to %d keys here, not %d", MaxRecipeKeys, n)
	}
	specs := make([]KeySpec, 0, n)
	for i := 1; i <= n; i++ {
		specs = append(specs, KeySpec{KID: strconv.Itoa(i), Alg: "RS256", JWKAlg: "RSA256", Use: "sig"})
	}
	return e.ServeKeys(specs...)
}

// ErrNoSigningKey: the scenario named no key a valid token could be signed
// with.
var ErrNoSigningKey = errors.New(`the scenario's JWKS endpoint has no key to sign a token with: add one ("the JWKS endpoint serves an RS256 key ...")`)

// SigningKey is the key a valid token is signed with: the first served
// key pair, else the first one the scenario named (by name).
func (e *Endpoint) SigningKey() (*Key, error) {
	served := e.srv.Keys()
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range served {
		if k, ok := e.published[p]; ok {
			return k, nil
		}
	}
	var first *Key
	for _, k := range e.defined {
		if first == nil || k.Name < first.Name {
			first = k
		}
	}
	if first == nil {
		return nil, ErrNoSigningKey
	}
	return first, nil
}

// Outsider is a key pair of the signing key's kind, algorithm and kid
// that the endpoint never served: a token it signs names a key of the set
// but only a signature check can refuse it (JWT-JWKS-04).
func (e *Endpoint) Outsider() (*Key, error) {
	k, err := e.SigningKey()
	if err != nil {
		return nil, err
	}
	pair, err := e.keys.Key(k.Pair.Kind, "jwks outsider")
	if err != nil {
		return nil, err
	}
	return &Key{Name: "outsider", Alg: k.Alg, Pair: pair, KID: k.KID}, nil
}
