package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
)

// extState is the state of the steps that go past one CONNECT: the JWKS
// endpoint the suite serves (jwks_*.go), the scenario client's session once
// connected (publish, subscribe, its Will, its token's expiry;
// session_steps.go), the watchers that observe deliveries, and what the
// last publish and subscribe got back.
type extState struct {
	// uid marks this scenario's payloads, so a watcher on a broker shared
	// with other runs counts only its own messages.
	uid string

	jwks *jwksFixture

	// packetLevel: the scenario drives its client's session packet by
	// packet, so the client connects with the raw client (client.Request.Wire).
	packetLevel bool
	will        *mqttwire.Will
	userProps   []mqttwire.UserProperty
	// minted are the claims of the scenario client's last token.
	minted map[string]any

	watchers map[string]*watcher
	probe    *watcher // the implicit observer of publishes whose ack says nothing

	// attackers serve the keys a token's jku or x5u header points at (SEC-03)
	// and record any request to them (SEC-08).
	attackers []*jwksserver.Server
	// abuse is SEC-10's attack under way (abuse_steps.go).
	abuse *abuseState
	// jwksBaseline are CONNECT latencies measured before the JWKS endpoint
	// misbehaved (SEC-11).
	jwksBaseline []time.Duration

	lastPublish *publishResult
	lastSuback  []byte
	published   int // numbers the payloads
}

// extOf returns the scenario's extState, creating it on first use.
func (st *scenario) extOf() *extState {
	if st.ext == nil {
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		st.ext = &extState{uid: hex.EncodeToString(b), watchers: map[string]*watcher{}}
	}
	return st.ext
}

// shapeRequest applies what the session steps need to the scenario
// client's CONNECT and remembers the minted claims (the expiry steps read
// exp from them).
func (x *extState) shapeRequest(req *client.Request, claims map[string]any) {
	req.Wire = req.Wire || x.packetLevel
	req.Will = x.will
	req.UserProperties = x.userProps
	x.minted = claims
}

// jwksRefreshFloorTag marks the scenario that observes EMQX's 10 s floor of
// refresh_interval (JWT-JWKS-10): the target must not lower it.
const jwksRefreshFloorTag = "@jwks-refresh-floor"

// extBefore prepares the scenario before its first step: tags that change
// the Setup, and the raw client when a definition of its steps drives the
// client's session (needRawSession). The JWKS endpoint starts on first use
// (resources.go).
func extBefore(ctx context.Context, sc *godog.Scenario) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok {
		return ctx, nil
	}
	x := st.extOf()
	for _, t := range sc.Tags {
		if t.Name == jwksRefreshFloorTag {
			st.setup.KeepJWKSRefreshFloor = true
		}
	}
	x.packetLevel = st.needs&needRawSession != 0
	return ctx, nil
}

// extAfter closes the watchers and the JWKS endpoint. It runs after the
// broker is closed (godog runs After hooks in registration order).
func extAfter(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.ext == nil {
		return ctx, nil
	}
	x := st.ext
	for _, w := range x.watchers {
		w.close()
	}
	if x.probe != nil {
		x.probe.close()
	}
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
