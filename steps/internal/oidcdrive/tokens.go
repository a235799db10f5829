package oidcdrive

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/steps/internal/verify"
)

// Tokens is the client of the provider's token endpoint.
func (p *Provider) Tokens() *oidcprovider.TokenClient { return p.tokens }

// OtherTokens is the client of the token endpoint of a provider of another
// issuer, on a free port, started on first use with its own key of the
// main provider's active algorithm, for the same audience: the broker
// never fetched its keys.
func (p *Provider) OtherTokens() (*oidcprovider.TokenClient, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.other == nil {
		other, err := p.startOther()
		if err != nil {
			return nil, err
		}
		p.other = other
	}
	return oidcprovider.NewTokenClient(p.other.TokenURL(), p.o.Timeout), nil
}

func (p *Provider) startOther() (*oidcprovider.Provider, error) {
	alg := jose.RS256
	if k := p.main.ActiveKey(); k != nil {
		alg = k.Alg
	}
	k, err := p.keyFromRing(string(alg), "oidc other issuer", "other-issuer-key")
	if err != nil {
		return nil, err
	}
	other, err := oidcprovider.Start(oidcprovider.Options{Listen: p.o.OtherListen})
	if err != nil {
		return nil, err
	}
	other.AddClient(oidcprovider.Client{ID: ClientID, Secret: ClientSecret, Audience: []string{p.o.Audience}})
	other.Rotate(k)
	return other, nil
}

// Keep keeps tok as name.
func (p *Provider) Keep(name, tok string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.kept[name] = tok
}

// Kept is the token kept as name.
func (p *Provider) Kept(name string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	tok, ok := p.kept[name]
	if !ok {
		return "", fmt.Errorf("the client kept no token %q", name)
	}
	return tok, nil
}

// AwaitFetch waits for the broker's next fetch of jwks_uri after the last
// change (or wait), within bound, and returns how long it waited;
// interval is the configured refresh_interval, for the message.
func (p *Provider) AwaitFetch(ctx context.Context, bound time.Duration, interval string) (time.Duration, error) {
	wctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	started := time.Now()
	if !p.main.KeyFetches().WaitFetch(wctx) {
		return 0, verify.New(fmt.Sprintf("the broker to fetch the provider's key set from %s (refresh_interval %s)", p.discovery.JWKSURI, interval),
			fmt.Sprintf("no fetch there within %s", bound))
	}
	return time.Since(started).Round(time.Millisecond), nil
}

// HeaderField reads a string field of a compact JWS header ("" if none).
func HeaderField(tok, field string) string {
	head, _, _ := strings.Cut(tok, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return ""
	}
	var h map[string]any
	if json.Unmarshal(raw, &h) != nil {
		return ""
	}
	s, _ := h[field].(string)
	return s
}
