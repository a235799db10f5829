package jwks

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// ErrNotASet marks a document that is not a JWK Set: a failed refresh
// (JWT-JWKS-05, JWT-JWKS-07).
var ErrNotASet = errors.New("not a JWK Set")

// Key is one usable key of a fetched set. KeyID, Algorithm and Use are the
// JWK's members when they are strings ("" otherwise); the reference never
// uses them to pick a key (ambiguity A8).
type Key struct {
	Public    crypto.PublicKey // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
	Type      string           // kty
	KeyID     string
	Algorithm string
	Use       string
}

// SkippedKey is a member of "keys" that gives no usable key, and why.
type SkippedKey struct {
	Index  int // position in "keys", from 0
	Type   string
	KeyID  string
	Reason error
}

// ParseSet reads a JWK Set document as the fetcher does: an error (wrapping
// ErrNotASet) when the document is not a set, else the usable keys in
// document order and the members it skipped.
func ParseSet(doc []byte) ([]Key, []SkippedKey, error) {
	return parseSet(doc, policy{})
}

func parseSet(doc []byte, p policy) ([]Key, []SkippedKey, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrNotASet, err)
	}
	if top == nil { // the document "null"
		return nil, nil, fmt.Errorf("%w: document is null", ErrNotASet)
	}
	members, err := keyMembers(doc, top, p)
	if err != nil {
		return nil, nil, err
	}
	if len(members) == 0 && p.emptySetIsFailure {
		return nil, nil, fmt.Errorf("%w: no keys", ErrNotASet)
	}

	keys := []Key{}
	var skipped []SkippedKey
	for i, raw := range members {
		k, err := parseKey(raw, p)
		if err != nil {
			skipped = append(skipped, SkippedKey{Index: i, Type: k.Type, KeyID: k.KeyID, Reason: err})
			continue
		}
		keys = append(keys, k)
	}
	if p.firstKeyOnly && len(keys) > 1 {
		keys = keys[:1]
	}
	return keys, skipped, nil
}

// keyMembers returns the elements of the "keys" array.
func keyMembers(doc []byte, top map[string]json.RawMessage, p policy) ([]json.RawMessage, error) {
	raw, ok := top["keys"]
	if !ok {
		if _, isJWK := top["kty"]; isJWK && p.acceptSingleJWK {
			return []json.RawMessage{doc}, nil
		}
		return nil, fmt.Errorf(`%w: no "keys" member`, ErrNotASet)
	}
	var members []json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil || members == nil {
		return nil, fmt.Errorf(`%w: "keys" is not an array`, ErrNotASet)
	}
	return members, nil
}

// parseKey turns one member of "keys" into a Key. On error the returned Key
// still carries whatever Type and KeyID could be read, for the log line.
func parseKey(raw json.RawMessage, p policy) (Key, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return Key{}, errors.New("not a JSON object")
	}
	k := Key{
		Type:      stringMember(fields, "kty"),
		KeyID:     stringMember(fields, "kid"),
		Algorithm: stringMember(fields, "alg"),
		Use:       stringMember(fields, "use"),
	}
	if p.strictAlg && k.Algorithm != "" && !jwsAlgs[k.Algorithm] {
		return k, fmt.Errorf("alg %q is not a JWS algorithm", k.Algorithm)
	}

	// kid, alg and use select nothing (A8), so a value go-jose would refuse
	// (a number, say) must not cost the key: hand go-jose the key material
	// only.
	delete(fields, "kid")
	delete(fields, "alg")
	delete(fields, "use")
	material, err := json.Marshal(fields)
	if err != nil {
		return k, err
	}
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(material); err != nil {
		if errors.Is(err, jose.ErrUnsupportedKeyType) {
			return k, fmt.Errorf("unsupported key type %q", k.Type)
		}
		return k, err
	}
	if secret, ok := jwk.Key.([]byte); ok && p.keepOctKeys {
		k.Public = secret // the fault jwks-accepts-hmac
		return k, nil
	}
	pub, err := publicPart(jwk.Key)
	if err != nil {
		return k, err
	}
	k.Public = pub
	return k, nil
}

// publicPart returns the public key of a parsed JWK, refusing symmetric keys:
// JWKS mode verifies only public-key algorithms (JWT-JWKS-09).
func publicPart(key any) (crypto.PublicKey, error) {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return k, nil
	case *rsa.PrivateKey:
		return &k.PublicKey, nil
	case *ecdsa.PublicKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return &k.PublicKey, nil
	case ed25519.PublicKey:
		return k, nil
	case ed25519.PrivateKey:
		return k.Public(), nil
	case []byte:
		return nil, errors.New("symmetric (oct) key: JWKS mode verifies only public-key algorithms")
	default:
		return nil, fmt.Errorf("key type %T is not used for JWT verification", key)
	}
}

// stringMember returns fields[name] when it is a JSON string, else "".
func stringMember(fields map[string]json.RawMessage, name string) string {
	var s string
	if raw, ok := fields[name]; ok && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}
