package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/steps/target"
)

// oidcFixture is the OpenID Connect provider the suite serves for one
// scenario (JWT-OIDC), where the target's broker expects it, and a second
// provider of another issuer started when a scenario asks for its token.
type oidcFixture struct {
	st        *scenario
	main      *oidcprovider.Provider
	audience  string
	discovery oidcprovider.Discovery
	tokens    *oidcprovider.TokenClient

	mu    sync.Mutex
	other *oidcprovider.Provider
	keys  map[string]*oidcprovider.Key // every key the scenario named
	kept  map[string]string            // tokens the client kept, by name
}

// The OAuth clients the fixture registers: the scenario's device, and one
// whose tokens are for another audience (JWT-OIDC-02).
const (
	oidcClientID      = "authspec-device"
	oidcClientSecret  = "authspec-device-secret"
	oidcOtherAudience = "another-service"
	oidcOtherClientID = "authspec-device-elsewhere"
	// oidcTimeout bounds every request to a provider: a slow provider
	// ends the step in error, it never hangs the scenario.
	oidcTimeout = 5 * time.Second
)

// startOIDCFixture starts the provider at target.OIDCListen with the
// target's issuer and audience, and reads its discovery document as a
// client would: the broker's endpoint is the jwks_uri found there.
func startOIDCFixture(st *scenario) (*oidcFixture, error) {
	t := st.suite.Target
	p, err := oidcprovider.Start(oidcprovider.Options{Listen: target.OIDCListen(t), Issuer: target.OIDCIssuer(t)})
	if err != nil {
		return nil, err
	}
	f := &oidcFixture{st: st, main: p, audience: target.OIDCAudience(t), keys: map[string]*oidcprovider.Key{}, kept: map[string]string{}}
	p.AddClient(oidcprovider.Client{ID: oidcClientID, Secret: oidcClientSecret, Audience: []string{f.audience}})
	p.AddClient(oidcprovider.Client{ID: oidcOtherClientID, Secret: oidcClientSecret, Audience: []string{oidcOtherAudience}})
	ctx, cancel := context.WithTimeout(context.Background(), oidcTimeout)
	defer cancel()
	if f.discovery, err = oidcprovider.Discover(ctx, p.Issuer(), oidcTimeout); err != nil {
		_ = p.Close()
		return nil, err
	}
	f.tokens = oidcprovider.NewTokenClient(f.discovery.TokenEndpoint, oidcTimeout)
	return f, nil
}

func (f *oidcFixture) provider() target.OIDCProvider {
	return target.OIDCProvider{Issuer: f.discovery.Issuer, JWKSURI: f.discovery.JWKSURI, Audience: f.audience}
}

func (f *oidcFixture) close() error {
	f.mu.Lock()
	other := f.other
	f.mu.Unlock()
	errs := []error{f.main.Close()}
	if other != nil {
		errs = append(errs, other.Close())
	}
	return errors.Join(errs...)
}

// key returns the key the scenario named, generating it on first use.
func (f *oidcFixture) key(alg, name string) (*oidcprovider.Key, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if k, ok := f.keys[name]; ok {
		if string(k.Alg) != alg {
			return nil, fmt.Errorf("OIDC key %q is an %s key, not %s", name, k.Alg, alg)
		}
		return k, nil
	}
	k, err := f.keyFromRing(alg, "oidc "+name, name)
	if err != nil {
		return nil, err
	}
	f.keys[name] = k
	return k, nil
}

// keyFromRing takes the key pair from the scenario's keyring, whose RSA
// keys come from a per-process cache: a scenario generates no RSA key,
// which under load would take the CPU the timing-sensitive scenarios run
// beside need.
func (f *oidcFixture) keyFromRing(alg, ringName, kid string) (*oidcprovider.Key, error) {
	kind, err := tokens.KindForAlg(alg)
	if err != nil {
		return nil, err
	}
	tk, err := f.st.keys.Key(kind, ringName)
	if err != nil {
		return nil, err
	}
	return oidcprovider.NewKey(jose.SignatureAlgorithm(alg), kid, tk.Private)
}

// rotate makes the provider publish and sign with k; a fetch that began
// before does not count as the broker's next one.
func (f *oidcFixture) rotate(k *oidcprovider.Key) { f.main.Rotate(k) }

func (f *oidcFixture) withdraw(name string) error { return f.main.Withdraw(name) }

// otherProvider is a provider of another issuer, on a free port, with its
// own key of the main provider's active algorithm, for the same audience:
// the broker never fetched its keys.
func (f *oidcFixture) otherProvider() (*oidcprovider.Provider, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.other != nil {
		return f.other, nil
	}
	alg := jose.RS256
	if k := f.main.ActiveKey(); k != nil {
		alg = k.Alg
	}
	k, err := f.keyFromRing(string(alg), "oidc other issuer", "other-issuer-key")
	if err != nil {
		return nil, err
	}
	p, err := oidcprovider.Start(oidcprovider.Options{Listen: target.OIDCOtherListen(f.st.suite.Target)})
	if err != nil {
		return nil, err
	}
	p.AddClient(oidcprovider.Client{ID: oidcClientID, Secret: oidcClientSecret, Audience: []string{f.audience}})
	p.Rotate(k)
	f.other = p
	return p, nil
}

// waitFetch waits for the broker's next fetch of jwks_uri after the last
// change (or wait): fixtures/fetchwatch, shared with the JWKS endpoint.
func (f *oidcFixture) waitFetch(ctx context.Context) bool { return f.main.KeyFetches().WaitFetch(ctx) }

// requestLog lists what the provider received, for a failing scenario's
// report: which fetches of jwks_uri the broker made, and the token
// requests with their answers.
func (f *oidcFixture) requestLog() string {
	var b strings.Builder
	for _, r := range f.main.Requests() {
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
