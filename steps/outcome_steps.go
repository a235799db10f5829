package steps

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/authspec/authspec/reports"
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
	code, err := strconv.ParseUint(hex[2:], 16, 8)
	if err != nil || code < 0x80 {
		return ctx, fmt.Errorf("%s is not a refusal reason code (0x80-0xFF)", hex)
	}
	ctx, err = verifyConnack(ctx, st.answer, st.expect(byte(code)), target.PolicyOf(st.suite.Target))
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
	_, at, err := st.jwtAuthenticator()
	if err != nil {
		return ctx, err
	}
	for _, later := range st.inst.Authenticators()[at+1:] {
		if target.Enabled(later.Config) {
			return ctx, fmt.Errorf("BF with an enabled %s after the JWT authenticator depends on it: state the expected code", target.Mechanism(later.Config))
		}
	}
	ctx, err = verifyConnack(ctx, st.answer, st.expect(0x87), target.PolicyOf(st.suite.Target))
	return ctx, st.explainAccepted(err)
}

func theConnackCarriesAuthMethod(ctx context.Context, method string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if st.answer == nil || !st.answer.Connack {
		return fmt.Errorf(`the scenario checks a CONNACK it did not get`)
	}
	if st.answer.AuthMethod != method {
		return mismatch(fmt.Sprintf("a CONNACK with Authentication-Method %q", method),
			fmt.Sprintf("Authentication-Method %q", st.answer.AuthMethod))
	}
	return nil
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
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return reports.HarnessError(ctx.Err())
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	if err := st.sessions[len(st.sessions)-1].Alive(cctx); err != nil {
		return mismatch(fmt.Sprintf("the connection still open after %s", d), err.Error())
	}
	return nil
}

// theBrokerShowsTheClientUnder asks the broker for the client by ID
// (EMQX: GET /api/v5/clients/{clientid}). Registration may trail the
// CONNACK by a moment, so it asks again until the step's deadline.
func theBrokerShowsTheClientUnder(ctx context.Context, clientID string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	if st.inst == nil {
		return ctx, fmt.Errorf(`the scenario asks about a client before "the client connects"`)
	}
	inspector, ok := st.inst.(target.ClientInspector)
	if !ok {
		return reports.NotApplicable(ctx, "the target cannot show a client's attributes")
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	for {
		info, found, err := inspector.Client(cctx, clientID)
		switch {
		case err != nil:
			return ctx, reports.HarnessError(err)
		case found && info.Connected:
			return ctx, nil
		}
		select {
		case <-cctx.Done():
			what := "no client by that ID"
			if found {
				what = "a client by that ID that is not connected"
			}
			return ctx, mismatch(fmt.Sprintf("a connected client %q", clientID), what)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
