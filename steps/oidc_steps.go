package steps

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/oidcprovider"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/oidcdrive"
)

// The OpenID Connect provider's vocabulary (JWT-OIDC): its keys, the
// broker's fetches of its jwks_uri, and the tokens the client gets from
// it. The provider is steps/internal/oidcdrive, started on first use
// (resources.go).

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

// oidcAfter closes the provider, with its request log attached to a
// failing scenario's report.
func oidcAfter(ctx context.Context, _ *godog.Scenario, scenarioErr error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.oidc == nil {
		return ctx, nil
	}
	if scenarioErr != nil {
		ctx = godog.Attach(ctx, godog.Attachment{FileName: "OIDC provider requests", MediaType: "text/plain",
			Body: []byte(st.oidc.RequestLog())})
	}
	if err := st.oidc.Close(); err != nil && !errors.Is(err, context.Canceled) {
		return ctx, reports.HarnessError(fmt.Errorf("closing the OIDC provider: %w", err))
	}
	return ctx, nil
}

func oidcOf(ctx context.Context) (*scenario, *oidcdrive.Provider, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, err
	}
	p, err := st.oidcProvider()
	if err != nil {
		return nil, nil, err
	}
	return st, p, nil
}

func providerSignsWith(ctx context.Context, alg, name string) error {
	_, p, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	if err := p.SignWith(alg, name); err != nil {
		return reports.HarnessError(err)
	}
	return nil
}

func providerStopsPublishing(ctx context.Context, name string) error {
	_, p, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	return p.Withdraw(name)
}

// brokerFetchesProviderKeys is brokerFetches for the provider's jwks_uri.
// The provider is new in every scenario, but the broker's authenticator
// may not be (a broker configured by hand fetches on its own schedule):
// even the first fetch may be a refresh, so one effective refresh interval
// is allowed on top of the step timeout. A broker that fetches at once
// (the in-process reference) does not make the step wait longer.
func brokerFetchesProviderKeys(ctx context.Context) (context.Context, error) {
	st, p, err := oidcOf(ctx)
	if err != nil {
		return ctx, err
	}
	if _, err := st.instance(ctx); err != nil {
		return stepError(ctx, err)
	}
	took, err := p.AwaitFetch(ctx, st.suite.timeout()+st.refreshWait(), st.refreshInterval())
	if err != nil {
		return ctx, err
	}
	st.trace.Note("the broker fetched the provider's key set (waited %s)", took)
	return ctx, nil
}

// useProviderToken makes tok the scenario's token, as the provider issued
// it: nothing of it is minted by the suite.
func useProviderToken(st *scenario, tok string) {
	t := newTokenSpec()
	t.Replace = func(*mint) (string, error) { return tok, nil }
	st.token = t
}

// fetchToken asks a token endpoint for a token of client id. A provider
// that fails ends the step in error (the harness's problem, not the
// broker's) with the provider's answer attached.
func fetchToken(ctx context.Context, st *scenario, tc *oidcprovider.TokenClient, id string) (context.Context, string, error) {
	tok, err := tc.Token(ctx, id, oidcdrive.ClientSecret)
	if err != nil {
		var te *oidcprovider.TokenError
		if errors.As(err, &te) {
			ctx = godog.Attach(ctx, godog.Attachment{FileName: "OIDC provider answer", MediaType: "text/plain",
				Body: []byte(fmt.Sprintf("POST %s (client credentials, client %s)\ncause: %s\nstatus: %d\n\n%s", te.URL, id, te.Cause, te.Status, te.Body))})
		}
		return ctx, "", reports.HarnessError(fmt.Errorf("getting a token from the OIDC provider: %w", err))
	}
	st.trace.Note("OIDC token for %s from %s in %s (kid %s)", id, tc.TokenURL, tok.Took.Round(time.Microsecond), oidcdrive.HeaderField(tok.JWT, "kid"))
	return ctx, tok.JWT, nil
}

func clientGetsProviderToken(ctx context.Context) (context.Context, error) {
	return getTokenAs(ctx, oidcdrive.ClientID)
}

func clientGetsOtherAudienceToken(ctx context.Context) (context.Context, error) {
	return getTokenAs(ctx, oidcdrive.OtherClientID)
}

func getTokenAs(ctx context.Context, id string) (context.Context, error) {
	st, p, err := oidcOf(ctx)
	if err != nil {
		return ctx, err
	}
	ctx, tok, err := fetchToken(ctx, st, p.Tokens(), id)
	if err == nil {
		useProviderToken(st, tok)
	}
	return ctx, err
}

func clientGetsOtherIssuerToken(ctx context.Context) (context.Context, error) {
	st, p, err := oidcOf(ctx)
	if err != nil {
		return ctx, err
	}
	tc, err := p.OtherTokens()
	if err != nil {
		return ctx, reports.HarnessError(fmt.Errorf("starting another OIDC provider: %w", err))
	}
	ctx, tok, err := fetchToken(ctx, st, tc, oidcdrive.ClientID)
	if err == nil {
		useProviderToken(st, tok)
	}
	return ctx, err
}

// currentProviderToken is the provider's token the scenario uses now.
func currentProviderToken(st *scenario) (string, error) {
	if st.token == nil || st.token.Replace == nil {
		return "", fmt.Errorf(`the client has no token from a provider: start with "the client gets a token from the OIDC provider"`)
	}
	return st.token.Replace(nil)
}

func clientKeepsToken(ctx context.Context, name string) error {
	st, p, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	tok, err := currentProviderToken(st)
	if err != nil {
		return err
	}
	p.Keep(name, tok)
	return nil
}

func clientUsesToken(ctx context.Context, name string) error {
	st, p, err := oidcOf(ctx)
	if err != nil {
		return err
	}
	tok, err := p.Kept(name)
	if err != nil {
		return err
	}
	useProviderToken(st, tok)
	return nil
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
	if kid := oidcdrive.HeaderField(tok, "kid"); kid != name {
		return reports.HarnessError(fmt.Errorf("the provider signed the token with key %q, not %q", kid, name))
	}
	return nil
}
