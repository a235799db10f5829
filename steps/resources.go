package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/jwksdrive"
	"github.com/authspec/authspec/steps/internal/oidcdrive"
	"github.com/authspec/authspec/steps/target"
)

// The servers a scenario runs beside the broker (its JWKS endpoint, SCRAM
// credential backend and OpenID provider) start on first use: when a step
// describes them, or when the broker is provisioned with, or asked to
// create, a configuration whose placeholders name them. Nothing reads the
// wording of the scenario's steps to decide, so a new step starts what it
// uses, and the order of the Given steps does not matter: every Given step
// runs before the broker is provisioned at the first When.

// jwksEndpoint returns the scenario's JWKS endpoint, starting it on first
// use: plain HTTP where the target's broker expects it
// (target.JWKSListen), HTTPS on a free port of the same host.
func (st *scenario) jwksEndpoint() (*jwksdrive.Endpoint, error) {
	if st.jwks != nil {
		return st.jwks, nil
	}
	t := st.suite.Target
	e, err := jwksdrive.Start(st.keys, target.JWKSListen(t), target.JWKSHTTPSListen(t))
	if err != nil {
		return nil, reports.HarnessError(fmt.Errorf("starting the JWKS endpoint: %w", err))
	}
	st.jwks = e
	st.setup.JWKS = e.Setup()
	st.noteLateStart("JWKS endpoint")
	return e, nil
}

// scramBackend returns the scenario's SCRAM credential backend, starting it
// on first use where the target's broker expects it
// (target.ScramBackendListen).
func (st *scenario) scramBackend() (*scrambackend.Server, error) {
	s := st.scramOf()
	if s.backend != nil {
		return s.backend, nil
	}
	b, err := scrambackend.Start(scrambackend.WithAddr(target.ScramBackendListen(st.suite.Target)))
	if err != nil {
		return nil, reports.HarnessError(fmt.Errorf("starting the SCRAM backend: %w", err))
	}
	s.backend = b
	st.setup.ScramBackendURL = b.URL()
	st.trace.Note("SCRAM backend at %s", b.URL())
	st.noteLateStart("SCRAM backend")
	return b, nil
}

// oidcProvider returns the scenario's OpenID provider, starting it on first
// use where the target's broker expects it, with the target's issuer and
// audience; its requests are bounded by the step timeout.
func (st *scenario) oidcProvider() (*oidcdrive.Provider, error) {
	if st.oidc != nil {
		return st.oidc, nil
	}
	t := st.suite.Target
	p, err := oidcdrive.Start(oidcdrive.Options{Keys: st.keys, Listen: target.OIDCListen(t), Issuer: target.OIDCIssuer(t),
		Audience: target.OIDCAudience(t), OtherListen: target.OIDCOtherListen(t), Timeout: st.suite.timeout()})
	if err != nil {
		return nil, reports.HarnessError(fmt.Errorf("starting the OIDC provider: %w", err))
	}
	st.oidc = p
	st.setup.OIDC = p.Setup()
	d := p.Discovery()
	st.trace.Note("OIDC provider %s: jwks_uri %s, token endpoint %s", d.Issuer, d.JWKSURI, d.TokenEndpoint)
	st.noteLateStart("OIDC provider")
	return p, nil
}

// noteLateStart records in the packet trace a server started after the
// broker was provisioned: a broker the suite configures was not told where
// it listens (a by-hand broker fetches from its fixed address anyway).
func (st *scenario) noteLateStart(what string) {
	if st.inst != nil {
		st.trace.Note("the %s started after the broker was provisioned", what)
	}
}

// startNamed starts the servers that placeholders in configuration values
// (authenticators as EMQX JSON objects) name, so that the target resolves
// them: "<jwks endpoint>", "<jwks https endpoint>", "<jwks ca file>",
// "<scram backend url>..." and "<oidc ...>".
func (st *scenario) startNamed(values ...any) error {
	var errs []error
	for _, v := range values {
		walkStrings(v, func(s string) {
			if target.IsPlaceholder(s) {
				errs = append(errs, st.startNamedBy(s))
			}
		})
	}
	return errors.Join(errs...)
}

// startNamedBy starts the server the placeholder p names, if any.
func (st *scenario) startNamedBy(p string) error {
	var err error
	switch {
	case strings.HasPrefix(p, target.ScramBackendPlaceholder):
		_, err = st.scramBackend()
	case strings.HasPrefix(p, "<jwks "):
		_, err = st.jwksEndpoint()
	case strings.HasPrefix(p, "<oidc "):
		_, err = st.oidcProvider()
	}
	return err
}

// walkStrings calls f with every string in a decoded JSON value.
func walkStrings(v any, f func(string)) {
	switch x := v.(type) {
	case string:
		f(x)
	case map[string]any:
		for _, item := range x {
			walkStrings(item, f)
		}
	case []any:
		for _, item := range x {
			walkStrings(item, f)
		}
	case []map[string]any:
		for _, item := range x {
			walkStrings(item, f)
		}
	}
}

// startNamedBeforeCreation starts what an authenticator the scenario
// creates at run time names, before the broker is provisioned.
func startNamedBeforeCreation(ctx context.Context, cfg map[string]any) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	return st.startNamed(cfg)
}
