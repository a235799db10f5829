package steps

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/attack"
	"github.com/authspec/authspec/steps/target"
)

// The abuse vocabulary: attacks on availability around authentication,
// and the CONNECT latency of other clients meanwhile, compared with a
// baseline measured just before in the same scenario. SEC-10: attackers on
// raw connections send what the MQTT 5.0 specification forbids (sections
// 3.1 and 4.13) while other clients keep connecting with valid tokens; each
// attack must end refused or closed. SEC-11: a JWKS endpoint that hangs,
// trickles or pads its answer must block no CONNECT of a client whose key
// is already known. The attacks and the bounds are steps/internal/attack's.
func registerAbuseSteps(sc *registry) {
	sc.After(attacksAfter)
	sc.Step(`^the JWKS endpoint (hangs|trickles its key set over (\d+) seconds|sends its key set padded to (\d+) MB)$`, endpointMisbehaves)
	sc.Step(`^the broker has started fetching the key set$`, brokerStartedFetching)
	sc.Step(`^the broker's fetch of the key set has ended within (\d+) seconds$`, brokerFetchEnded)
	sc.Step(`^a client whose token is signed by JWKS key "([^"]+)" is (accepted|accepted as fast as before|refused with BF)$`, jwksClientOutcome)
	sc.When(`^(\d+) attackers each send (.+) while other clients connect$`, attackersAbuse)
	sc.Then(`^every attacker's connection ends refused or closed within (\d+) seconds$`, attackersEnded)
	sc.Then(`^the other clients' CONNECT latency during the abuse stays within the bound$`, latencyWithinBound)
}

// attackState is what the security steps leave for later steps: the
// servers attackers run, SEC-10's attack under way and SEC-11's baseline.
type attackState struct {
	// attackers serve the keys a token's jku or x5u header points at (SEC-03)
	// and record any request to them (SEC-08).
	attackers []*jwksserver.Server
	// abuse is SEC-10's attack under way, which the When step leaves for
	// the Then steps.
	abuse *attack.Campaign
	// jwksBaseline are CONNECT latencies measured before the JWKS endpoint
	// misbehaved (SEC-11).
	jwksBaseline []time.Duration
}

// attacksOf returns the scenario's attackState, creating it on first use.
func (st *scenario) attacksOf() *attackState {
	if st.attacks == nil {
		st.attacks = &attackState{}
	}
	return st.attacks
}

// attacksAfter closes the attackers' servers.
func attacksAfter(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
	if st, ok := lookupScenario(ctx); ok && st.attacks != nil {
		for _, a := range st.attacks.attackers {
			_ = a.Close()
		}
	}
	return ctx, nil
}

var errNoAttackers = errors.New(`no attackers: start with "N attackers each send ..."`)

// attackersAbuse measures the baseline, starts the attackers and measures
// again while they attack. The attacks and the measuring clients speak
// MQTT 5 (AUTH exists only there).
func attackersAbuse(ctx context.Context, n int, kind string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	if err := attack.Check(kind, n); err != nil {
		return ctx, err
	}
	inst, ctx, err := st.mqtt5Instance(ctx)
	if err != nil {
		return ctx, err
	}
	a := attack.Attacker{Kind: kind, Dial: inst.Dial, Timeout: st.suite.timeout(), Trace: st.trace}
	c, err := attack.Run(ctx, a, n, st.measureConnects(inst), st.validConnect(ctx))
	st.attacksOf().abuse = c
	return abuseOutcome(ctx, err)
}

// mqtt5Instance is the scenario's broker for the steps whose clients speak
// MQTT 5 only; a target that does not speak it makes the step not
// applicable (the context and error the step returns).
func (st *scenario) mqtt5Instance(ctx context.Context) (target.Instance, context.Context, error) {
	inst, err := st.instance(ctx)
	if err != nil {
		ctx, err = stepError(ctx, err)
		return nil, ctx, err
	}
	if !target.Speaks(inst, target.MQTT5) {
		ctx, err = reports.NotApplicable(ctx, "the target does not speak MQTT 5")
		return nil, ctx, err
	}
	return inst, ctx, nil
}

// abuseOutcome turns a driver's SetupError into a harness error (or not
// applicable, when the target cannot make an attacker's valid CONNECT);
// other errors stay as they are.
func abuseOutcome(ctx context.Context, err error) (context.Context, error) {
	var setup *attack.SetupError
	if errors.As(err, &setup) {
		return stepError(ctx, setup.Err)
	}
	return ctx, err
}

// measureConnects measures the CONNECTs of attack.LatencySamples fresh
// clients with valid tokens, one after another.
func (st *scenario) measureConnects(inst target.Instance) attack.Measurer {
	connect := func(ctx context.Context) (client.Answer, time.Duration, error) {
		req, _, err := st.requestFor(newClientSpec(), newTokenSpec())
		if err != nil {
			return client.Answer{}, 0, err
		}
		return st.connectTimed(ctx, inst, req)
	}
	return func(ctx context.Context) ([]time.Duration, error) {
		return attack.Measure(ctx, attack.LatencySamples, connect)
	}
}

// validConnect makes the wire form of an MQTT 5 CONNECT with a valid token
// for the configured authenticator, of a client of its own at each call.
func (st *scenario) validConnect(ctx context.Context) func() ([]byte, error) {
	return func() ([]byte, error) {
		if _, err := st.instance(ctx); err != nil {
			return nil, err
		}
		req, _, err := st.requestFor(newClientSpec(), newTokenSpec())
		if err != nil {
			return nil, err
		}
		return attack.EncodeConnect(req)
	}
}

func attackersEnded(ctx context.Context, seconds int) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	c := st.attacksOf().abuse
	if c == nil {
		return ctx, errNoAttackers
	}
	return abuseOutcome(ctx, c.Ended(seconds, st.suite.timeout()))
}

func latencyWithinBound(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	c := st.attacksOf().abuse
	if c == nil {
		return errNoAttackers
	}
	st.trace.Note("SEC-10 %s: baseline median %s; during the abuse %v", c.Kind, attack.Median(c.Baseline), c.During)
	return c.WithinBound()
}

// endpointMisbehaves changes how the JWKS endpoint answers, each answer
// carrying the set as it is now, so only its delivery can refuse it.
func endpointMisbehaves(ctx context.Context, how, trickleSecs, padMB string) error {
	switch {
	case how == "hangs":
		return answerWith(ctx, (*jwksserver.Server).Hang)
	case trickleSecs != "":
		var secs int
		fmt.Sscan(trickleSecs, &secs)
		return answerWith(ctx, func(s *jwksserver.Server) { s.Trickle(time.Duration(secs) * time.Second) })
	default:
		var mb int
		fmt.Sscan(padMB, &mb)
		return answerWith(ctx, func(s *jwksserver.Server) { s.ServeOversizedSet(mb << 20) })
	}
}

// brokerStartedFetching waits for a request (or TLS ClientHello) at the
// endpoint after its last change, without waiting for it to end.
func brokerStartedFetching(ctx context.Context) (context.Context, error) {
	st, f, err := jwksOf(ctx)
	if err != nil {
		return ctx, err
	}
	if _, err := st.instance(ctx); err != nil {
		return stepError(ctx, err)
	}
	bound := st.suite.timeout() + st.refreshWait()
	wctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	if !f.Server().WaitFetchBegun(wctx) {
		return ctx, mismatch("the broker to start fetching the key set", fmt.Sprintf("no request at the endpoint within %s", bound))
	}
	return ctx, nil
}

// brokerFetchEnded waits until the fetch brokerStartedFetching saw has
// ended: the broker gave up, or took the whole answer. A broker that read
// the whole answer parses and applies it after the request ended: it gets
// a second more, so a set it should not have adopted shows in the next
// step.
func brokerFetchEnded(ctx context.Context, seconds int) error {
	st, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	bound := time.Duration(seconds)*time.Second + st.suite.timeout()
	wctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	if !f.Server().WaitFetchEnded(wctx) {
		return mismatch(fmt.Sprintf("the broker to end its fetch within %d s (EMQX's request timeout is 5 s)", seconds),
			fmt.Sprintf("a request still under way after %s", bound))
	}
	_ = sleep(ctx, time.Second)
	return nil
}

// jwksClientOutcome connects another client whose token is signed by a
// JWKS key and checks its answer. "accepted" connects
// attack.JWKSBaselineSamples clients and keeps their CONNECT latency as
// the baseline; "accepted as fast as before" bounds one CONNECT by it,
// which is what a hostile endpoint must not stretch (SEC-11).
func jwksClientOutcome(ctx context.Context, key, outcome string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	inst, ctx, err := st.mqtt5Instance(ctx)
	if err != nil {
		return ctx, err
	}
	switch outcome {
	case "refused with BF":
		return st.jwksClientRefusedWithBF(ctx, inst, key)
	case "accepted":
		return st.jwksBaselineClients(ctx, inst, key)
	}
	return st.jwksClientAsFast(ctx, inst, key)
}

// jwksClientRefusedWithBF checks one client's answer as "the connection
// is refused with BF" checks the scenario client's.
func (st *scenario) jwksClientRefusedWithBF(ctx context.Context, inst target.Instance, key string) (context.Context, error) {
	answer, _, err := st.connectSignedByJWKSKey(ctx, inst, key)
	if err != nil {
		return ctx, err
	}
	ctx = reports.AttachObserved(ctx, answer.Observed())
	saved := st.answer
	st.answer = &answer
	ctx, err = theConnectionIsRefusedWithBF(ctx)
	st.answer = saved
	return ctx, err
}

// jwksBaselineClients connects attack.JWKSBaselineSamples clients, each to
// be accepted, and adds their CONNECT latencies to the baseline.
func (st *scenario) jwksBaselineClients(ctx context.Context, inst target.Instance, key string) (context.Context, error) {
	x := st.attacksOf()
	for i := 0; i < attack.JWKSBaselineSamples; i++ {
		answer, took, err := st.connectSignedByJWKSKey(ctx, inst, key)
		if err != nil {
			return ctx, err
		}
		ctx = reports.AttachObserved(ctx, answer.Observed())
		if err := attack.KeyAccepted(key, answer); err != nil {
			return ctx, err
		}
		x.jwksBaseline = append(x.jwksBaseline, took)
	}
	return ctx, nil
}

// jwksClientAsFast connects one client, to be accepted within the bound
// of the baseline.
func (st *scenario) jwksClientAsFast(ctx context.Context, inst target.Instance, key string) (context.Context, error) {
	answer, took, err := st.connectSignedByJWKSKey(ctx, inst, key)
	if err != nil {
		return ctx, err
	}
	ctx = reports.AttachObserved(ctx, answer.Observed())
	if err := attack.KeyAccepted(key, answer); err != nil {
		return ctx, err
	}
	return ctx, attack.AnsweredAsFast(st.attacksOf().jwksBaseline, took)
}

// connectSignedByJWKSKey connects a fresh client whose token the named
// JWKS key signs, and returns the answer and how long it took.
func (st *scenario) connectSignedByJWKSKey(ctx context.Context, inst target.Instance, key string) (client.Answer, time.Duration, error) {
	tok := newTokenSpec()
	tok.Signer = func(m *mint, _ string) (string, any, error) { return m.SignedByJWKSKey(key) }
	req, _, err := st.requestFor(newClientSpec(), tok)
	if err != nil {
		_, err = stepError(ctx, err)
		return client.Answer{}, 0, err
	}
	return st.connectTimed(ctx, inst, req)
}

// connectTimed connects a fresh client with req within the step timeout,
// closes it, and returns the answer and how long the CONNECT took to it.
func (st *scenario) connectTimed(ctx context.Context, inst target.Instance, req client.Request) (client.Answer, time.Duration, error) {
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	start := time.Now()
	answer, session, err := connectOnce(cctx, inst, req, st)
	took := time.Since(start)
	if session != nil {
		_ = session.Close()
	}
	return answer, took, err
}

// connectOnce connects one client, classing dial errors as unreachable.
func connectOnce(ctx context.Context, inst target.Instance, req client.Request, st *scenario) (client.Answer, client.Session, error) {
	answer, session, err := client.Connect(ctx, inst.Dial, req, st.trace)
	var dialErr *client.DialError
	if errors.As(err, &dialErr) {
		return answer, session, reports.Unreachable(err)
	}
	if err != nil {
		return answer, session, reports.HarnessError(err)
	}
	return answer, session, nil
}
