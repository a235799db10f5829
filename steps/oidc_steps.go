package steps

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/reports"
)

// registerOIDCSteps registers the OpenID Connect provider's steps
// (JWT-OIDC) and its hooks. Its After hook is registered after the
// scenario's, so the broker is closed before the provider it fetches from.
func registerOIDCSteps(sc *registry) {
	sc.After(oidcAfter)

	sc.Step(`^the OIDC provider (?:signs with|rotates to) an? (RS256|ES256) key "([^"]+)"$`, providerSignsWith)
	sc.Step(`^the OIDC provider stops publishing key "([^"]+)"$`, providerStopsPublishing)
	sc.Step(`^the broker (?:has fetched|fetches) the provider's key set(?: again)?$`, brokerFetchesProviderKeys)

	sc.Step(`^the client gets a token from the OIDC provider$`, clientGetsProviderToken)
	sc.Step(`^the client gets a token from the OIDC provider for another audience$`, clientGetsOtherAudienceToken)
	sc.Step(`^the client gets a token from another OIDC provider$`, clientGetsOtherIssuerToken)
	sc.Step(`^the client keeps its token as "([^"]+)"$`, clientKeepsToken)
	sc.Step(`^the client uses its token "([^"]+)"$`, clientUsesToken)
	sc.Step(`^the token is signed by the provider's key "([^"]+)"$`, tokenSignedByProviderKey, quotedAsDefect)
}

func oidcAfter(ctx context.Context, _ *godog.Scenario, scenarioErr error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.oidc == nil {
		return ctx, nil
	}
	if scenarioErr != nil {
		ctx = godog.Attach(ctx, godog.Attachment{FileName: "OIDC provider requests", MediaType: "text/plain",
			Body: []byte(st.oidc.requestLog())})
	}
	if err := st.oidc.close(); err != nil && !errors.Is(err, context.Canceled) {
		return ctx, reports.HarnessError(fmt.Errorf("closing the OIDC provider: %w", err))
	}
	return ctx, nil
}

func oidcOf(ctx context.Context) (*scenario, *oidcFixture, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, err
	}
	f, err := st.oidcProvider()
	if err != nil {
		return nil, nil, err
	}
	return st, f, nil
}

func providerSignsWith(ctx context.Context, alg, name string) error {
	_, f, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	k, err := f.key(alg, name)
	if err != nil {
		return reports.HarnessError(err)
	}
	f.rotate(k)
	return nil
}

func providerStopsPublishing(ctx context.Context, name string) error {
	_, f, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	return f.withdraw(name)
}

// brokerFetchesProviderKeys is brokerFetches for the provider's jwks_uri:
// the first fetch within the step timeout, a refresh within one effective
// refresh interval more.
func brokerFetchesProviderKeys(ctx context.Context) (context.Context, error) {
	st, f, err := oidcOf(ctx)
	if err != nil {
		return ctx, err
	}
	if _, err := st.instance(ctx); err != nil {
		return stepError(ctx, err)
	}
	// The provider is new in every scenario, but the broker's
	// authenticator may not be (a broker configured by hand fetches on its
	// own schedule): even the first fetch may be a refresh, so one
	// effective refresh interval is allowed on top of the step timeout.
	// A broker that fetches at once (the in-process reference) does not
	// make the step wait longer.
	bound := st.suite.timeout() + st.refreshWait()
	wctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	started := time.Now()
	if !f.waitFetch(wctx) {
		return ctx, mismatch(fmt.Sprintf("the broker to fetch the provider's key set from %s (refresh_interval %s)", f.discovery.JWKSURI, st.refreshInterval()),
			fmt.Sprintf("no fetch there within %s", bound))
	}
	st.trace.Note("the broker fetched the provider's key set (waited %s)", time.Since(started).Round(time.Millisecond))
	return ctx, nil
}

// useProviderToken makes tok the scenario's token, as the provider issued
// it: nothing of it is minted by the suite.
func useProviderToken(ctx context.Context, st *scenario, tok string) error {
	t := newTokenSpec()
	t.Replace = func(*mint) (string, error) { return tok, nil }
	st.token = t
	return nil
}

// fetchToken asks p's token endpoint for a token of client id. A provider
// that fails ends the step in error (the harness's problem, not the
// broker's) with the provider's answer attached.
func fetchToken(ctx context.Context, st *scenario, tc *oidcprovider.TokenClient, id string) (context.Context, string, error) {
	tok, err := tc.Token(ctx, id, oidcClientSecret)
	if err != nil {
		var te *oidcprovider.TokenError
		if errors.As(err, &te) {
			ctx = godog.Attach(ctx, godog.Attachment{FileName: "OIDC provider answer", MediaType: "text/plain",
				Body: []byte(fmt.Sprintf("POST %s (client credentials, client %s)\ncause: %s\nstatus: %d\n\n%s", te.URL, id, te.Cause, te.Status, te.Body))})
		}
		return ctx, "", reports.HarnessError(fmt.Errorf("getting a token from the OIDC provider: %w", err))
	}
	st.trace.Note("OIDC token for %s from %s in %s (kid %s)", id, tc.TokenURL, tok.Took.Round(time.Microsecond), headerField(tok.JWT, "kid"))
	return ctx, tok.JWT, nil
}

func clientGetsProviderToken(ctx context.Context) (context.Context, error) {
	return getTokenAs(ctx, oidcClientID)
}

func clientGetsOtherAudienceToken(ctx context.Context) (context.Context, error) {
	return getTokenAs(ctx, oidcOtherClientID)
}

func getTokenAs(ctx context.Context, id string) (context.Context, error) {
	st, f, err := oidcOf(ctx)
	if err != nil {
		return ctx, err
	}
	ctx, tok, err := fetchToken(ctx, st, f.tokens, id)
	if err != nil {
		return ctx, err
	}
	return ctx, useProviderToken(ctx, st, tok)
}

func clientGetsOtherIssuerToken(ctx context.Context) (context.Context, error) {
	st, f, err := oidcOf(ctx)
	if err != nil {
		return ctx, err
	}
	other, err := f.otherProvider()
	if err != nil {
		return ctx, reports.HarnessError(fmt.Errorf("starting another OIDC provider: %w", err))
	}
	ctx, tok, err := fetchToken(ctx, st, oidcprovider.NewTokenClient(other.TokenURL(), oidcTimeout), oidcClientID)
	if err != nil {
		return ctx, err
	}
	return ctx, useProviderToken(ctx, st, tok)
}

// currentProviderToken is the provider's token the scenario uses now.
func currentProviderToken(st *scenario) (string, error) {
	if st.token == nil || st.token.Replace == nil {
		return "", fmt.Errorf(`the client has no token from a provider: start with "the client gets a token from the OIDC provider"`)
	}
	return st.token.Replace(nil)
}

func clientKeepsToken(ctx context.Context, name string) error {
	st, f, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	tok, err := currentProviderToken(st)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.kept[name] = tok
	return nil
}

func clientUsesToken(ctx context.Context, name string) error {
	st, f, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	f.mu.Lock()
	tok, ok := f.kept[name]
	f.mu.Unlock()
	if !ok {
		return fmt.Errorf("the client kept no token %q", name)
	}
	return useProviderToken(ctx, st, tok)
}

// tokenSignedByProviderKey checks the provider's own work: the token names
// the key the scenario expects (a rotation took effect). A mismatch is the
// harness's problem, not the broker's.
func tokenSignedByProviderKey(ctx context.Context, name string) error {
	st, _, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	tok, err := currentProviderToken(st)
	if err != nil {
		return err
	}
	if kid := headerField(tok, "kid"); kid != name {
		return reports.HarnessError(fmt.Errorf("the provider signed the token with key %q, not %q", kid, name))
	}
	return nil
}

// headerField reads a string field of a compact JWS header ("" if none).
func headerField(tok, field string) string {
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
