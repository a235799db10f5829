package scram

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/subtle"
	"errors"
	"fmt"
)

// SaltedPassword is Hi(password, salt, i) of RFC 5802: PBKDF2 with HMAC-H,
// whose output is as long as the hash. The password is used as given: like
// EMQX, no SASLprep normalisation is applied.
func SaltedPassword(alg Algorithm, password string, salt []byte, iterations int) ([]byte, error) {
	if err := alg.check(); err != nil {
		return nil, err
	}
	if iterations < 1 {
		return nil, fmt.Errorf("scram: iteration count %d, want >= 1", iterations)
	}
	return pbkdf2.Key(alg.newHash(), password, salt, iterations, alg.Size())
}

// ClientKey is HMAC(SaltedPassword, "Client Key").
func ClientKey(alg Algorithm, saltedPassword []byte) []byte {
	return mac(alg, saltedPassword, []byte("Client Key"))
}

// ServerKey is HMAC(SaltedPassword, "Server Key").
func ServerKey(alg Algorithm, saltedPassword []byte) []byte {
	return mac(alg, saltedPassword, []byte("Server Key"))
}

// StoredKey is H(ClientKey).
func StoredKey(alg Algorithm, clientKey []byte) []byte {
	h := alg.newHash()()
	h.Write(clientKey)
	return h.Sum(nil)
}

// ClientProof is ClientKey XOR HMAC(StoredKey, AuthMessage).
func ClientProof(alg Algorithm, clientKey, authMessage []byte) []byte {
	sig := mac(alg, StoredKey(alg, clientKey), authMessage)
	return xor(clientKey, sig)
}

// ServerSignature is HMAC(ServerKey, AuthMessage), the `v=` of the
// server-final message.
func ServerSignature(alg Algorithm, serverKey, authMessage []byte) []byte {
	return mac(alg, serverKey, authMessage)
}

// VerifyProof checks a client proof against the stored key: it recovers
// ClientKey = proof XOR HMAC(StoredKey, AuthMessage) and compares H(ClientKey)
// with StoredKey in constant time.
func VerifyProof(alg Algorithm, storedKey, authMessage, proof []byte) bool {
	if len(proof) != alg.Size() {
		return false
	}
	clientKey := xor(proof, mac(alg, storedKey, authMessage))
	return subtle.ConstantTimeCompare(StoredKey(alg, clientKey), storedKey) == 1
}

// AuthMessage is client-first-message-bare + "," + server-first-message + ","
// + client-final-message-without-proof.
func AuthMessage(clientFirstBare, serverFirst, clientFinalWithoutProof string) []byte {
	b := make([]byte, 0, len(clientFirstBare)+len(serverFirst)+len(clientFinalWithoutProof)+2)
	b = append(b, clientFirstBare...)
	b = append(b, ',')
	b = append(b, serverFirst...)
	b = append(b, ',')
	b = append(b, clientFinalWithoutProof...)
	return b
}

// Credentials are what a server needs to authenticate one user: EMQX's
// backend answer (`salt`, `stored_key`, `server_key`) plus the iteration
// count, which comes from the authenticator's configuration.
type Credentials struct {
	Salt       []byte
	Iterations int
	StoredKey  []byte
	ServerKey  []byte
}

// NewCredentials derives a user's credentials from a password, as a
// credential backend does when the user is created.
func NewCredentials(alg Algorithm, password string, salt []byte, iterations int) (Credentials, error) {
	sp, err := SaltedPassword(alg, password, salt, iterations)
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{
		Salt:       append([]byte(nil), salt...),
		Iterations: iterations,
		StoredKey:  StoredKey(alg, ClientKey(alg, sp)),
		ServerKey:  ServerKey(alg, sp),
	}, nil
}

func (c Credentials) check() error {
	if c.Iterations < 1 {
		return fmt.Errorf("scram: iteration count %d, want >= 1", c.Iterations)
	}
	if len(c.StoredKey) == 0 || len(c.ServerKey) == 0 {
		return errors.New("scram: credentials lack stored_key or server_key")
	}
	return nil
}

func mac(alg Algorithm, key, data []byte) []byte {
	m := hmac.New(alg.newHash(), key)
	m.Write(data)
	return m.Sum(nil)
}

// xor returns a XOR b; callers pass slices of equal length.
func xor(a, b []byte) []byte {
	out := make([]byte, len(a))
	subtle.XORBytes(out, a, b)
	return out
}
