package steps

import (
	"context"
	"errors"
	"fmt"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/jwksdrive"
	"github.com/authspec/authspec/steps/internal/oidcdrive"
	"github.com/authspec/authspec/steps/target"
)

// scenario is the state of one running scenario. It lives in the
// context.Context; steps change it through the pointer.
type scenario struct {
	suite *Suite
	name  string
	tags  []string
	// needs are what the definitions of the scenario's steps declared they
	// need before its first step (registry.go).
	needs need
	ids   []string
	// vpick: a protocol-independent scenario, or its 3.1.1 twin
	// (versions.go).
	vpick versionPick
	// readings: the catalogue ambiguities the scenario's outcome depends
	// on, with the reading it expects; otherReading says why the target's
	// declared reading is not it (variants.go).
	readings     readings
	otherReading string

	setup      target.Setup
	chainGiven bool
	inst       target.Instance
	keys       *tokens.Keyring
	trace      *mqttwire.Trace

	token  *tokenSpec
	client clientSpec
	// defects are the scenario's steps that make its CONNECT invalid ("the
	// token is signed with another secret"), quoted when a broker accepts
	// what it should have refused.
	defects []string

	answer   *client.Answer
	sessions []client.Session

	created    bool  // an authenticator creation was attempted
	createdErr error // its result

	scram   *scramScenario // the SCRAM backend and exchanges (scram_steps.go)
	sess    *sessionState  // the client's session, watchers (session_steps.go)
	attacks *attackState   // the security steps' attackers and measurements (abuse_steps.go)

	// The servers a broker fetches from, started on first use (resources.go).
	jwks *jwksdrive.Endpoint // the JWKS endpoint (jwks_steps.go)
	oidc *oidcdrive.Provider // the OpenID Connect provider (oidc_steps.go)
}

type scenarioKey struct{}

func withScenario(ctx context.Context, st *scenario) context.Context {
	return context.WithValue(ctx, scenarioKey{}, st)
}

func lookupScenario(ctx context.Context) (*scenario, bool) {
	st, ok := ctx.Value(scenarioKey{}).(*scenario)
	return st, ok
}

// state returns the scenario of a step's context. The Before hook always
// sets it, so its absence is a harness defect.
func state(ctx context.Context) (*scenario, error) {
	st, ok := lookupScenario(ctx)
	if !ok {
		return nil, reports.HarnessError(errors.New("no scenario state in the step's context"))
	}
	return st, nil
}

// withTimeout bounds one step's network waits.
func (st *scenario) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, st.suite.timeout())
}

// instance provisions the broker on first use: the configuration steps
// only record the Setup, so the order of Given steps does not matter.
// A Setup the target cannot meet ends the step as not applicable.
func (st *scenario) instance(ctx context.Context) (target.Instance, error) {
	if why := st.notApplicableBefore(); why != "" {
		return nil, target.NotApplicable("%s", why)
	}
	if st.inst == nil {
		inst, err := st.provision(ctx)
		if err != nil {
			return nil, err
		}
		st.inst = inst
	}
	if why := st.vpick.applicable(st.suite.Target, st.inst); why != "" {
		return nil, target.NotApplicable("%s", why)
	}
	return st.inst, nil
}

// notApplicableBefore says why the scenario cannot run on the target
// whatever its broker: another reading declared, or a protocol version the
// target does not speak.
func (st *scenario) notApplicableBefore() string {
	if st.otherReading != "" {
		return st.otherReading
	}
	return st.vpick.applicableBefore(st.suite.Target)
}

// provision asks the target for a broker with the scenario's Setup. The
// servers the configuration names start now, at the latest, so that the
// target resolves their placeholders.
func (st *scenario) provision(ctx context.Context) (target.Instance, error) {
	if err := st.startNamed(st.setup.Authentication, st.setup.Authorization); err != nil {
		return nil, err
	}
	if b, ok := st.suite.Target.(target.SelfTimed); !ok || !b.ProvisionBoundsItself() {
		var cancel context.CancelFunc
		ctx, cancel = st.withTimeout(ctx)
		defer cancel()
	}
	return st.suite.Target.Provision(ctx, st.setup)
}

// stepError turns a provisioning or harness error into what the step
// returns: not applicable (with its reason attached) or a harness error.
func stepError(ctx context.Context, err error) (context.Context, error) {
	if reason, ok := target.AsNotApplicable(err); ok {
		return reports.NotApplicable(ctx, reason)
	}
	return ctx, reports.HarnessError(err)
}

// jwtAuthenticator is the chain's JWT authenticator as the broker has it,
// with its position in the chain.
func (st *scenario) jwtAuthenticator() (target.Applied, int, error) {
	for i, a := range st.inst.Authenticators() {
		if target.Mechanism(a.Config) == "jwt" {
			return a, i, nil
		}
	}
	return target.Applied{}, -1, fmt.Errorf("the scenario describes a token, but the chain has no JWT authenticator")
}

func (st *scenario) close() error {
	var errs []error
	for _, s := range st.sessions {
		_ = s.Close() // the broker may have closed it already
	}
	st.sessions = nil
	if st.inst != nil {
		errs = append(errs, st.inst.Close())
		st.inst = nil
	}
	return errors.Join(errs...)
}
