package steps

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/session"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

func registerOutcomeSteps(sc *registry) {
	sc.Then(`^the connection is accepted$`, theConnectionIsAccepted)
	sc.Then(`^the connection is refused with (0x[0-9A-Fa-f]{2})$`, theConnectionIsRefusedWith)
	sc.Then(`^the connection is refused with BF$`, theConnectionIsRefusedWithBF)
	sc.Then(`^the CONNACK carries Authentication-Method "([^"]*)"$`, theConnackCarriesAuthMethod)
	sc.Then(`^the connection is still open after (\d+(?:\.\d+)?) seconds?$`, theConnectionIsStillOpen, sharedBrokerState)
	sc.Then(`^the broker shows the client under client ID "([^"]*)"$`, theBrokerShowsTheClientUnder, sharedBrokerState)
}

func (st *scenario) expect(code byte) expectation {
	return expectation{Code: code, Version: st.client.version}
}

func theConnectionIsAccepted(ctx context.Context) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	return verifyConnack(ctx, st.answer, st.expect(0x00), target.PolicyOf(st.suite.Target))
}

func theConnectionIsRefusedWith(ctx context.Context, hex string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	code, err := verify.ParseCode(hex)
	if err != nil || code < 0x80 {
		return ctx, fmt.Errorf("%s is not a refusal reason code (0x80-0xFF)", hex)
	}
	ctx, err = verifyConnack(ctx, st.answer, st.expect(code), target.PolicyOf(st.suite.Target))
	return ctx, st.explainAccepted(err)
}

// explainAccepted adds to a refusal check that failed because the broker
// accepted what the scenario spoilt, so a report says why it should not
// have: "...: the broker accepted the CONNECT although the token is signed
// with another secret".
func (st *scenario) explainAccepted(err error) error {
	if err == nil || st.answer == nil || !st.answer.Accepted() || len(st.defects) == 0 {
		return err
	}
	return fmt.Errorf("%w: the broker accepted the CONNECT although %s", err, strings.Join(st.defects, " and "))
}

// theConnectionIsRefusedWithBF checks EMQX's "backend failure" outcome. BF
// makes the JWT authenticator pass the client on (legacy) or refuse it
// (hardened); either way, with no enabled authenticator after it, the
// CONNACK is 0x87 (3.1.1: 5). With authenticators after it the outcome
// depends on them, so a scenario states the code itself (CHAIN-05).
func theConnectionIsRefusedWithBF(ctx context.Context) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	if st.inst == nil {
		return ctx, fmt.Errorf(`the scenario checks a CONNACK before "the client connects"`)
	}
	if err := st.nothingEnabledAfterJWT(); err != nil {
		return ctx, err
	}
	ctx, err = verifyConnack(ctx, st.answer, st.expect(0x87), target.PolicyOf(st.suite.Target))
	return ctx, st.explainAccepted(err)
}

// nothingEnabledAfterJWT refuses a BF check whose outcome an enabled
// authenticator after the JWT one decides.
func (st *scenario) nothingEnabledAfterJWT() error {
	_, at, err := st.jwtAuthenticator()
	if err != nil {
		return err
	}
	for _, later := range st.inst.Authenticators()[at+1:] {
		if target.Enabled(later.Config) {
			return fmt.Errorf("BF with an enabled %s after the JWT authenticator depends on it: state the expected code", target.Mechanism(later.Config))
		}
	}
	return nil
}

func theConnackCarriesAuthMethod(ctx context.Context, method string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if st.answer == nil || !st.answer.Connack {
		return fmt.Errorf(`the scenario checks a CONNACK it did not get`)
	}
	return verify.AuthMethod(*st.answer, method)
}

// theConnectionIsStillOpen waits, then makes a round trip on the accepted
// connection (a token without exp must not set a disconnect timer).
func theConnectionIsStillOpen(ctx context.Context, seconds string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	d, err := time.ParseDuration(seconds + "s")
	if err != nil {
		return err
	}
	if len(st.sessions) == 0 {
		return fmt.Errorf("the scenario has no accepted connection to watch")
	}
	return harnessUnlessMismatch(session.StillOpenAfter(ctx, st.sessions[len(st.sessions)-1], d, st.suite.timeout()))
}

// theBrokerShowsTheClientUnder asks the broker for the client by ID until
// it shows it connected or the step's deadline.
func theBrokerShowsTheClientUnder(ctx context.Context, clientID string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	return st.checkClientView(ctx, clientID, session.Connected, session.CheckConnected)
}

// checkClientView asks the broker for its view of clientID until done
// accepts it or the step's deadline (session.AwaitClient, since
// registration may trail the CONNACK by a moment), then judges the last
// view with check.
func (st *scenario) checkClientView(ctx context.Context, clientID string, done func(session.View) bool, check func(string, session.View) error) (context.Context, error) {
	inspector, ctx, err := st.inspector(ctx)
	if inspector == nil {
		return ctx, err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	v, err := session.AwaitClient(cctx, inspector, clientID, done)
	if err != nil {
		return ctx, reports.HarnessError(err)
	}
	return ctx, check(clientID, v)
}

// inspector is the instance's view of its clients. Without one, ctx says
// why the step is not applicable, or err why it cannot run.
func (st *scenario) inspector(ctx context.Context) (target.ClientInspector, context.Context, error) {
	if st.inst == nil {
		return nil, ctx, fmt.Errorf(`the scenario asks about a client before "the client connects"`)
	}
	inspector, ok := st.inst.(target.ClientInspector)
	if !ok {
		ctx, err := reports.NotApplicable(ctx, "the target cannot show a client's attributes")
		return nil, ctx, err
	}
	return inspector, ctx, nil
}
