// Package oidcdrive is the OpenID Connect provider a scenario serves
// (JWT-OIDC), in the scenario's words: fixtures/oidcprovider where the
// target's broker expects it, with the scenario's OAuth clients, keys
// named as the scenario names them and drawn from its keyring, the tokens
// the client kept, a second provider of another issuer on demand, and the
// wait for the broker's fetch of jwks_uri. It knows nothing of godog.
package oidcdrive

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// The OAuth clients the provider registers: the scenario's device, and one
// whose tokens are for another audience (JWT-OIDC-02).
const (
	ClientID      = "authspec-device"
	ClientSecret  = "authspec-device-secret"
	OtherAudience = "another-service"
	OtherClientID = "authspec-device-elsewhere"
	// Timeout bounds every request to a provider unless Options say
	// otherwise: a slow provider ends the step in error, it never hangs
	// the scenario.
	Timeout = 5 * time.Second
	// discoveryAttempts: the provider is the suite's own, in this process,
	// so a discovery that gets no answer in time says that the process had
	// no CPU to serve it, not that a provider cannot answer; it is asked
	// again, each attempt within the timeout. (A scheduled target starts
	// all its scenarios at once, and the first steps of ~950 scenarios
	// once kept the provider's goroutines waiting past 5 s.)
	discoveryAttempts = 3
)

// Options say where the provider serves and for whom.
type Options struct {
	Keys *tokens.Keyring // the scenario's keyring
	// Listen and Issuer are the provider's address and issuer
	// (target.OIDCListen, target.OIDCIssuer; "" a free port, and an
	// issuer from it); Audience is the tokens' aud (target.OIDCAudience).
	Listen, Issuer, Audience string
	// OtherListen is where a provider of another issuer serves
	// (target.OIDCOtherListen).
	OtherListen string
	// Timeout bounds each request to a provider: the scenario's step
	// timeout (0: Timeout).
	Timeout time.Duration
}

// Provider is the scenario's provider. Safe for concurrent use.
type Provider struct {
	o         Options
	main      *oidcprovider.Provider
	discovery oidcprovider.Discovery
	tokens    *oidcprovider.TokenClient

	mu    sync.Mutex
	other *oidcprovider.Provider
	named map[string]*oidcprovider.Key // every key the scenario named
	kept  map[string]string            // tokens the client kept, by name
}

// Start serves the provider and reads its discovery document as a client
// would: the broker's endpoint is the jwks_uri found there.
func Start(o Options) (*Provider, error) {
	if o.Keys == nil {
		return nil, errors.New("oidcdrive: no keyring")
	}
	if o.Timeout <= 0 {
		o.Timeout = Timeout
	}
	main, err := oidcprovider.Start(oidcprovider.Options{Listen: o.Listen, Issuer: o.Issuer})
	if err != nil {
		return nil, err
	}
	p := &Provider{o: o, main: main, named: map[string]*oidcprovider.Key{}, kept: map[string]string{}}
	main.AddClient(oidcprovider.Client{ID: ClientID, Secret: ClientSecret, Audience: []string{o.Audience}})
	main.AddClient(oidcprovider.Client{ID: OtherClientID, Secret: ClientSecret, Audience: []string{OtherAudience}})
	if p.discovery, err = discover(main.Issuer(), o.Timeout); err != nil {
		_ = main.Close()
		return nil, err
	}
	p.tokens = oidcprovider.NewTokenClient(p.discovery.TokenEndpoint, o.Timeout)
	return p, nil
}

// discover reads the discovery document at issuer, asking again (up to
// discoveryAttempts in all) while an attempt ends without an answer within
// timeout; any other failure ends it at once.
func discover(issuer string, timeout time.Duration) (oidcprovider.Discovery, error) {
	var err error
	for range discoveryAttempts {
		var d oidcprovider.Discovery
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		d, err = oidcprovider.Discover(ctx, issuer, timeout)
		cancel()
		if err == nil || !timedOut(err) {
			return d, err
		}
	}
	return oidcprovider.Discovery{}, fmt.Errorf("no answer in %d attempts of %s each: %w", discoveryAttempts, timeout, err)
}

// timedOut: err is a request's deadline or timeout, not an answer.
func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// Setup is the provider as the target's placeholders name it.
func (p *Provider) Setup() target.OIDCProvider {
	return target.OIDCProvider{Issuer: p.discovery.Issuer, JWKSURI: p.discovery.JWKSURI, Audience: p.o.Audience}
}

// Discovery is the provider's discovery document.
func (p *Provider) Discovery() oidcprovider.Discovery { return p.discovery }

// Close stops the provider and the other one, if started.
func (p *Provider) Close() error {
	p.mu.Lock()
	other := p.other
	p.mu.Unlock()
	errs := []error{p.main.Close()}
	if other != nil {
		errs = append(errs, other.Close())
	}
	return errors.Join(errs...)
}

// Key returns the key the scenario named, made on first use.
func (p *Provider) Key(alg, name string) (*oidcprovider.Key, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if k, ok := p.named[name]; ok {
		if string(k.Alg) != alg {
			return nil, fmt.Errorf("OIDC key %q is an %s key, not %s", name, k.Alg, alg)
		}
		return k, nil
	}
	k, err := p.keyFromRing(alg, "oidc "+name, name)
	if err != nil {
		return nil, err
	}
	p.named[name] = k
	return k, nil
}

// keyFromRing takes the key pair from the scenario's keyring, whose RSA
// keys come from a per-process cache: a scenario generates no RSA key,
// which under load would take the CPU the timing-sensitive scenarios run
// beside need.
func (p *Provider) keyFromRing(alg, ringName, kid string) (*oidcprovider.Key, error) {
	kind, err := tokens.KindForAlg(alg)
	if err != nil {
		return nil, err
	}
	tk, err := p.o.Keys.Key(kind, ringName)
	if err != nil {
		return nil, err
	}
	return oidcprovider.NewKey(jose.SignatureAlgorithm(alg), kid, tk.Private)
}

// SignWith makes the provider publish and sign with the key named name
// (made on first use); a fetch that began before does not count as the
// broker's next one.
func (p *Provider) SignWith(alg, name string) error {
	k, err := p.Key(alg, name)
	if err != nil {
		return err
	}
	p.main.Rotate(k)
	return nil
}

// Withdraw stops publishing the key named name.
func (p *Provider) Withdraw(name string) error { return p.main.Withdraw(name) }

// RequestLog lists what the provider received, for a failing scenario's
// report: which fetches of jwks_uri the broker made, and the token
// requests with their answers.
func (p *Provider) RequestLog() string {
	var b strings.Builder
	for _, r := range p.main.Requests() {
		fmt.Fprintf(&b, "%3d %s %s %s -> %d in %s", r.Seq, r.At.Format("15:04:05.000"), r.Method, r.Path, r.Status, r.Took.Round(time.Microsecond))
		if r.ClientID != "" {
			fmt.Fprintf(&b, " (client %s)", r.ClientID)
		}
		b.WriteByte('\n')
	}
	if b.Len() == 0 {
		return "the provider received no request"
	}
	return b.String()
}
