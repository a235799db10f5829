package workload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"sort"
	"sync"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/loadgen/stats"
)

// TokenSourceOIDC is the --token-source that gets every client's token
// from an OpenID Connect provider's token endpoint (JWT-OIDC-01's flow)
// instead of minting it.
const TokenSourceOIDC = "oidc"

// OIDCOptions configure the OIDC workload.
type OIDCOptions struct {
	// Alg is the provider's signing algorithm: RS256 or ES256.
	Alg string
	// Tokens is TokensPool (every token fetched before the phase: the
	// CONNECTs are timed without the provider) or TokensFresh (one token
	// request per connection, before its CONNECT: the attempt's latency
	// includes the provider, its service time does not).
	Tokens string
	// Listen is where the provider serves ("" a free loopback port). A
	// broker configured by hand must point at http://Listen/keys.
	Listen string
	// Audience is the tokens' aud (default "mqtt-broker").
	Audience string
	// TokenTimeout bounds each token request (default 5 s).
	TokenTimeout time.Duration
	// FetchWait bounds the wait for the broker's first fetch of jwks_uri
	// before the phase (default 15 s, above EMQX's 10 s refresh floor).
	FetchWait time.Duration
	// Concurrency is how many token requests a pool fills at once
	// (default 8).
	Concurrency int
	Names       Names
}

// OIDC presents a token the provider issued to each client with the
// client credentials grant: client i is OAuth client Identity(i).Username,
// registered at the provider before the phase. The broker verifies the
// tokens with the keys at the provider's jwks_uri.
//
// Token issuance is measured apart from the CONNECT: Info reports its
// latency percentiles and its failures by cause (refused, timeout,
// status, malformed, transport), since the last Info. A token request that
// fails makes the attempt fail with cause "client", its message naming
// the provider's answer.
type OIDC struct {
	o        OIDCOptions
	provider *oidcprovider.Provider
	client   *oidcprovider.TokenClient

	mu       sync.Mutex
	pool     map[int]string
	latency  *hdr.Histogram
	requests int64
	failures map[string]int64
	examples map[string]string
}

// NewOIDC starts the provider with one signing key of o.Alg.
func NewOIDC(o OIDCOptions) (*OIDC, error) {
	switch o.Tokens {
	case "":
		o.Tokens = TokensPool
	case TokensPool, TokensFresh:
	default:
		return nil, fmt.Errorf("unknown token mode %q (known: pool, fresh)", o.Tokens)
	}
	if o.Audience == "" {
		o.Audience = "mqtt-broker"
	}
	if o.TokenTimeout <= 0 {
		o.TokenTimeout = 5 * time.Second
	}
	if o.FetchWait <= 0 {
		o.FetchWait = 15 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 8
	}
	k, err := oidcprovider.GenerateKey(jose.SignatureAlgorithm(o.Alg), "load-"+o.Alg)
	if err != nil {
		return nil, fmt.Errorf("token source oidc: %w", err)
	}
	p, err := oidcprovider.Start(oidcprovider.Options{Listen: o.Listen})
	if err != nil {
		return nil, fmt.Errorf("token source oidc: %w", err)
	}
	p.Rotate(k)
	return &OIDC{o: o, provider: p, client: oidcprovider.NewTokenClient(p.TokenURL(), o.TokenTimeout),
		latency: stats.NewHistogram(), failures: map[string]int64{}, examples: map[string]string{}}, nil
}

func (w *OIDC) Name() string { return KindJWT + "-oidc-" + w.o.Alg }
func (w *OIDC) Kind() string { return KindJWT }
func (w *OIDC) Close() error { return w.provider.Close() }

// Provider is the provider the tokens come from (tests misbehave it).
func (w *OIDC) Provider() *oidcprovider.Provider { return w.provider }

// Authenticators is a JWKS authenticator on the provider's jwks_uri,
// bound to its issuer and the audience (JWT-OIDC-01).
func (w *OIDC) Authenticators() []json.RawMessage {
	raw, _ := json.Marshal(map[string]any{
		"mechanism": "jwt", "from": "password", "use_jwks": true, "enable": true,
		"endpoint": w.provider.JWKSURI(), "refresh_interval": 300,
		"verify_claims": map[string]string{"iss": w.provider.Issuer(), "aud": w.o.Audience},
	})
	return []json.RawMessage{raw}
}

func secretOf(username string) string { return username + "-secret" }

// Prepare registers the clients of r at the provider, waits for the
// broker's first fetch of jwks_uri (its keys are new), and in pool mode
// fetches every client's token.
func (w *OIDC) Prepare(ctx context.Context, r Range) error {
	for i := r.First; i < r.First+r.N; i++ {
		u := w.o.Names.Identity(i).Username
		w.provider.AddClient(oidcprovider.Client{ID: u, Secret: secretOf(u), Audience: []string{w.o.Audience}})
	}
	if err := w.waitKeysFetched(ctx); err != nil {
		return err
	}
	if w.o.Tokens != TokensPool {
		return ctx.Err()
	}
	pool := make(map[int]string, r.N)
	var mu sync.Mutex
	sem := make(chan struct{}, w.o.Concurrency)
	var wg sync.WaitGroup
	for i := r.First; i < r.First+r.N && ctx.Err() == nil; i++ {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if tok, err := w.fetch(ctx, i); err == nil {
				mu.Lock()
				pool[i] = tok
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(pool) == 0 && r.N > 0 {
		return fmt.Errorf("token source oidc: no token from %s for any of %d clients: %s", w.provider.TokenURL(), r.N, w.failureText())
	}
	w.mu.Lock()
	w.pool = pool
	w.mu.Unlock()
	return ctx.Err()
}

// waitKeysFetched waits until the broker has fetched jwks_uri once.
func (w *OIDC) waitKeysFetched(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, w.o.FetchWait)
	defer cancel()
	if !w.provider.KeyFetches().WaitFetched(ctx) {
		return fmt.Errorf("token source oidc: the broker did not fetch the provider's keys from %s within %s (is its JWT authenticator's endpoint that jwks_uri?)",
			w.provider.JWKSURI(), w.o.FetchWait)
	}
	return nil
}

// fetch asks for client i's token, recording its latency or its failure.
func (w *OIDC) fetch(ctx context.Context, i int) (string, error) {
	u := w.o.Names.Identity(i).Username
	tok, err := w.client.Token(ctx, u, secretOf(u))
	w.mu.Lock()
	defer w.mu.Unlock()
	w.requests++
	if err != nil {
		cause := oidcprovider.CauseTransport
		var te *oidcprovider.TokenError
		if errors.As(err, &te) {
			cause = te.Cause
		}
		w.failures[cause]++
		if _, ok := w.examples[cause]; !ok {
			w.examples[cause] = err.Error()
		}
		return "", err
	}
	_ = w.latency.RecordValue(max(int64(tok.Took), stats.LowestNS))
	return tok.JWT, nil
}

// Login presents client i's token: from the pool, or fetched now.
func (w *OIDC) Login(i int) (Login, error) {
	id := w.o.Names.Identity(i)
	w.mu.Lock()
	tok := w.pool[i]
	w.mu.Unlock()
	if tok == "" {
		var err error
		if tok, err = w.fetch(context.Background(), i); err != nil {
			return Login{}, err
		}
	}
	return Login{ClientID: id.ClientID, Username: id.Username, Password: []byte(tok), HasPassword: true}, nil
}

// Info reports the token source and what its token requests did since the
// last Info (a phase's results read it once, at the phase's end).
func (w *OIDC) Info() map[string]any {
	w.mu.Lock()
	defer w.mu.Unlock()
	info := map[string]any{
		"alg": w.o.Alg, "tokens": w.o.Tokens, "token_source": TokenSourceOIDC,
		"issuer": w.provider.Issuer(), "token_endpoint": w.provider.TokenURL(), "jwks_uri": w.provider.JWKSURI(),
		"token_requests":         w.requests,
		"token_latency":          stats.Summarize(w.latency),
		"token_failures":         maps.Clone(w.failures),
		"token_failure_examples": maps.Clone(w.examples),
	}
	w.latency.Reset()
	w.requests = 0
	w.failures, w.examples = map[string]int64{}, map[string]string{}
	return info
}

func (w *OIDC) failureText() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	causes := make([]string, 0, len(w.failures))
	for c := range w.failures {
		causes = append(causes, c)
	}
	sort.Strings(causes)
	out := ""
	for _, c := range causes {
		out += fmt.Sprintf("%s: %d (e.g. %s); ", c, w.failures[c], w.examples[c])
	}
	return out
}
