package workload

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/authspec/authspec/fixtures/tokens"
)

// Token modes.
const (
	// TokensPool mints every client's token before the phase, so the
	// generator spends nothing on signing while it is timed.
	TokensPool = "pool"
	// TokensFresh mints a token per connection, as a device that signs at
	// every connect would; signing then shows in the generator's CPU.
	TokensFresh = "fresh"
)

// JWTOptions configure the JWT workload.
type JWTOptions struct {
	// Alg is one of tokens.AllAlgs (HS256/384/512, RS*, PS*, ES*, EdDSA).
	Alg string
	// Tokens is TokensPool (default) or TokensFresh.
	Tokens string
	// Secret is the HMAC secret (HS* algorithms).
	Secret string
	// Key signs public-key algorithms; nil generates one for the run (a
	// broker the run does not configure needs the key it was given:
	// tokens.ParsePrivatePEM).
	Key *tokens.Key
	// Lifetime is how long tokens stay valid (exp = minting time +
	// Lifetime; default 1 h).
	Lifetime time.Duration
	Names    Names
}

// JWT presents a per-client token in the CONNECT password (EMQX's
// `from: password`), its `sub` the client's username.
type JWT struct {
	o      JWTOptions
	key    any // []byte for HS*, *tokens.Key otherwise
	mu     sync.RWMutex
	pool   []string
	poolAt Range
	now    func() time.Time
}

// NewJWT checks the options and, for a public-key algorithm with no key,
// generates one.
func NewJWT(o JWTOptions) (*JWT, error) {
	if !slices.Contains(tokens.AllAlgs, o.Alg) {
		return nil, fmt.Errorf("unknown JWT algorithm %q (known: %s)", o.Alg, strings.Join(tokens.AllAlgs, ", "))
	}
	switch o.Tokens {
	case "":
		o.Tokens = TokensPool
	case TokensPool, TokensFresh:
	default:
		return nil, fmt.Errorf("unknown token mode %q (known: pool, fresh)", o.Tokens)
	}
	if o.Lifetime <= 0 {
		o.Lifetime = time.Hour
	}
	j := &JWT{o: o, now: time.Now}
	if tokens.IsHMAC(o.Alg) {
		if o.Secret == "" {
			return nil, fmt.Errorf("%s needs an HMAC secret", o.Alg)
		}
		j.key = []byte(o.Secret)
		return j, nil
	}
	kind, err := tokens.KindForAlg(o.Alg)
	if err != nil {
		return nil, err
	}
	if o.Key == nil {
		if o.Key, err = tokens.NewKey(kind); err != nil {
			return nil, err
		}
	} else if o.Key.Kind != kind {
		return nil, fmt.Errorf("%s signs with a %s key, the key given is %s", o.Alg, kind, o.Key.Kind)
	}
	j.o.Key, j.key = o.Key, o.Key
	return j, nil
}

func (j *JWT) Name() string { return KindJWT + "-" + j.o.Alg }
func (j *JWT) Kind() string { return KindJWT }
func (j *JWT) Close() error { return nil }

// Authenticators is EMQX's JWT authenticator reading the password: HMAC
// with the secret, or public-key with the signing key's public half.
func (j *JWT) Authenticators() []json.RawMessage {
	cfg := map[string]any{"mechanism": "jwt", "from": "password", "use_jwks": false, "enable": true}
	if tokens.IsHMAC(j.o.Alg) {
		cfg["algorithm"] = "hmac-based"
		cfg["secret"] = j.o.Secret
		cfg["secret_base64_encoded"] = false
	} else {
		cfg["algorithm"] = "public-key"
		cfg["public_key"] = j.o.Key.PublicPEM()
	}
	raw, _ := json.Marshal(cfg)
	return []json.RawMessage{raw}
}

func (j *JWT) Info() map[string]any {
	return map[string]any{"alg": j.o.Alg, "tokens": j.o.Tokens}
}

// Prepare mints the pool (TokensPool), on every core.
func (j *JWT) Prepare(ctx context.Context, r Range) error {
	if j.o.Tokens != TokensPool {
		return ctx.Err()
	}
	pool := make([]string, r.N)
	err := parallel(ctx, r.N, func(i int) error {
		tok, err := j.mint(r.First + i)
		pool[i] = tok
		return err
	})
	if err != nil {
		return fmt.Errorf("minting %d %s tokens: %w", r.N, j.o.Alg, err)
	}
	j.mu.Lock()
	j.pool, j.poolAt = pool, r
	j.mu.Unlock()
	return nil
}

func (j *JWT) mint(i int) (string, error) {
	id := j.o.Names.Identity(i)
	now := j.now()
	claims := map[string]any{"sub": id.Username, "iat": now.Unix(), "exp": now.Add(j.o.Lifetime).Unix()}
	return tokens.Mint(j.o.Alg, j.key, claims, nil)
}

// Login presents client i's token: from the pool, or freshly minted.
func (j *JWT) Login(i int) (Login, error) {
	id := j.o.Names.Identity(i)
	var tok string
	j.mu.RLock()
	if k := i - j.poolAt.First; j.pool != nil && k >= 0 && k < len(j.pool) {
		tok = j.pool[k]
	}
	j.mu.RUnlock()
	if tok == "" {
		var err error
		if tok, err = j.mint(i); err != nil {
			return Login{}, err
		}
	}
	return Login{ClientID: id.ClientID, Username: id.Username, Password: []byte(tok), HasPassword: true}, nil
}
