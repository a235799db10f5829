package steps

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/reports"
)

// extState is the state of the steps that go past one CONNECT: the JWKS
// endpoint the suite serves (jwks_*.go) and the attackers of the security
// steps. The client's session is sessionState's (session_steps.go).
type extState struct {
	jwks *jwksFixture

	// attackers serve the keys a token's jku or x5u header points at (SEC-03)
	// and record any request to them (SEC-08).
	attackers []*jwksserver.Server
	// abuse is SEC-10's attack under way (abuse_steps.go).
	abuse *abuseState
	// jwksBaseline are CONNECT latencies measured before the JWKS endpoint
	// misbehaved (SEC-11).
	jwksBaseline []time.Duration
}

// extOf returns the scenario's extState, creating it on first use.
func (st *scenario) extOf() *extState {
	if st.ext == nil {
		st.ext = &extState{}
	}
	return st.ext
}

// jwksRefreshFloorTag marks the scenario that observes EMQX's 10 s floor of
// refresh_interval (JWT-JWKS-10): the target must not lower it.
const jwksRefreshFloorTag = "@jwks-refresh-floor"

// extBefore prepares the scenario before its first step: tags that change
// the Setup. The JWKS endpoint starts on first use (resources.go).
func extBefore(ctx context.Context, sc *godog.Scenario) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok {
		return ctx, nil
	}
	for _, t := range sc.Tags {
		if t.Name == jwksRefreshFloorTag {
			st.setup.KeepJWKSRefreshFloor = true
		}
	}
	return ctx, nil
}

// extAfter closes the attackers and the JWKS endpoint. It runs after the
// broker is closed (godog runs After hooks in registration order).
func extAfter(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.ext == nil {
		return ctx, nil
	}
	x := st.ext
	for _, a := range x.attackers {
		_ = a.Close()
	}
	if x.jwks != nil {
		if err := x.jwks.close(); err != nil && !errors.Is(err, context.Canceled) {
			return ctx, reports.HarnessError(fmt.Errorf("closing the JWKS endpoint: %w", err))
		}
	}
	return ctx, nil
}

// registerExtSteps registers the JWKS, session, authorization and security
// steps and their hooks.
func registerExtSteps(sc *registry) {
	sc.Before(extBefore)
	sc.After(extAfter)
	registerJWKSSteps(sc)
	registerSessionSteps(sc)
	registerAuthzSteps(sc)
	registerSecSteps(sc)
}
