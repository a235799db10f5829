package steps

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/scramdrive"
	"github.com/authspec/authspec/steps/internal/session"
	"github.com/authspec/authspec/steps/internal/verify"
)

// registerScramOutcomeSteps binds the SCRAM checks: what the broker sent
// in the exchange and after it, and what it asked the SCRAM backend
// (SCRAM-02, SCRAM-10..12). Expected values of the backend checks may name
// the connecting client: <client ID> (its CONNECT Client ID) and <client
// address> (its IP address as the broker sees it).
func registerScramOutcomeSteps(sc *registry) {
	sc.Then(`^the broker sent AUTH 0x18 with Authentication-Method "([^"]*)"$`, brokerSentAuth)
	sc.Then(`^the broker sent no AUTH packet$`, brokerSentNoAuth)
	sc.Then(`^the server-first message extends the client nonce$`, serverFirstExtendsNonce)
	sc.Then(`^the server-first message carries i=(\d+)$`, serverFirstIterations)
	sc.Then(`^the server-first message carries the salt "([^"]*)"$`, serverFirstSalt)
	sc.Then(`^the CONNACK's server signature verifies$`, connackSignatureVerifies)
	sc.Then(`^the CONNACK carries no server-final message$`, connackNoServerFinal)
	sc.Then(`^the SCRAM client is disconnected with (0x[0-9A-Fa-f]{2})(?: within (\d+(?:\.\d+)?) seconds?)?$`, scramDisconnectedWith)
	sc.Then(`^the SCRAM client is disconnected with (0x[0-9A-Fa-f]{2}) once the answer's expire_at has passed$`, scramDisconnectedAtExpiry)
	sc.Then(`^the re-authentication ends in AUTH 0x00 with a server signature that verifies$`, reauthSucceeds)
	sc.Then(`^the SCRAM client's subscription to "([^"]*)" is (granted|refused with 0x87)$`, scramSubscription)
	sc.Then(`^the broker shows the SCRAM client with attribute "([^"]*)" = "([^"]*)"$`, scramClientAttribute, sharedBrokerState)
	sc.Then(`^the broker shows the SCRAM client without attribute "([^"]*)"$`, scramClientWithoutAttribute, sharedBrokerState)
	sc.Then(`^the broker then accepts a SCRAM client connecting as "([^"]*)" with password "([^"]*)"$`, brokerThenAccepts)

	sc.Then(`^the SCRAM backend received (no|\d+) requests?$`, backendReceived)
	sc.Then(`^the SCRAM backend had received (\d+) requests? when the server-first message arrived$`, backendReceivedAtServerFirst)
	sc.Then(`^the SCRAM backend's request is a (GET|POST) to "([^"]*)"$`, backendRequestMethodPath)
	sc.Then(`^the SCRAM backend's request query starts with "([^"]*)"$`, backendRequestQueryPrefix)
	sc.Then(`^the SCRAM backend's request has query parameter "([^"]*)" = "([^"]*)"$`, backendRequestQueryParam)
	sc.Then(`^the SCRAM backend's request body is the JSON object:$`, backendRequestJSONBody)
	sc.Then(`^the SCRAM backend's request body is "([^"]*)"$`, backendRequestBody)
	sc.Then(`^the SCRAM backend's request has header "([^"]*)" = "([^"]*)"$`, backendRequestHeader)
	sc.Then(`^the SCRAM backend's request has no header "([^"]*)"$`, backendRequestNoHeader)
}

// lastExchange is the last SCRAM CONNECT's exchange.
func lastExchange(ctx context.Context) (*scramdrive.Exchange, error) {
	_, sc, err := scramState(ctx)
	if err != nil {
		return nil, err
	}
	if sc.last == nil {
		return nil, fmt.Errorf(`the scenario checks a SCRAM exchange before "the SCRAM client connects"`)
	}
	return sc.last, nil
}

// checkExchange runs check on the last SCRAM CONNECT's exchange.
func checkExchange(ctx context.Context, check func(*scramdrive.Exchange) error) error {
	x, err := lastExchange(ctx)
	if err != nil {
		return err
	}
	return check(x)
}

func brokerSentAuth(ctx context.Context, method string) error {
	return checkExchange(ctx, func(x *scramdrive.Exchange) error { return x.SentAuth(method) })
}

func brokerSentNoAuth(ctx context.Context) error {
	return checkExchange(ctx, (*scramdrive.Exchange).SentNoAuth)
}

func serverFirstExtendsNonce(ctx context.Context) error {
	return checkExchange(ctx, (*scramdrive.Exchange).ExtendsNonce)
}

func serverFirstIterations(ctx context.Context, n int) error {
	return checkExchange(ctx, func(x *scramdrive.Exchange) error { return x.Iterations(n) })
}

func serverFirstSalt(ctx context.Context, text string) error {
	return checkExchange(ctx, func(x *scramdrive.Exchange) error { return x.Salt(text) })
}

func connackSignatureVerifies(ctx context.Context) error {
	return checkExchange(ctx, (*scramdrive.Exchange).SignatureVerifies)
}

func connackNoServerFinal(ctx context.Context) error {
	return checkExchange(ctx, (*scramdrive.Exchange).NoServerFinal)
}

func backendReceivedAtServerFirst(ctx context.Context, want int) error {
	return checkExchange(ctx, func(x *scramdrive.Exchange) error { return x.RequestsAtServerFirst(want) })
}

func scramDisconnectedWith(ctx context.Context, hex, seconds string) (context.Context, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return ctx, err
	}
	code, err := verify.ParseCode(hex)
	if err != nil {
		return ctx, err
	}
	wait := st.suite.timeout()
	if seconds != "" {
		if wait, err = time.ParseDuration(seconds + "s"); err != nil {
			return ctx, err
		}
	}
	return sc.checkEnding(ctx, scramdrive.Ending{Code: code, Wait: wait})
}

// scramDisconnectedAtExpiry waits past the answer's expire_at (SCRAM-07)
// and checks the DISCONNECT came then, not before.
func scramDisconnectedAtExpiry(ctx context.Context, hex string) (context.Context, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return ctx, err
	}
	code, err := verify.ParseCode(hex)
	if err != nil {
		return ctx, err
	}
	if sc.last == nil || sc.last.ExpireAt.IsZero() {
		return ctx, fmt.Errorf("the scenario waits for expire_at, but the connecting user's answer has none")
	}
	return sc.checkEnding(ctx, scramdrive.AtExpiry(code, sc.last.ExpireAt, st.suite.timeout()))
}

// checkEnding checks how the accepted connection ends and puts what was
// seen in the report.
func (sc *scramScenario) checkEnding(ctx context.Context, want scramdrive.Ending) (context.Context, error) {
	observed, err := scramdrive.Disconnected(ctx, sc.conn, sc.reauth, want)
	if observed != "" {
		ctx = reports.AttachObserved(ctx, observed)
	}
	return ctx, scramStepErr(err)
}

func reauthSucceeds(ctx context.Context) error {
	_, sc, err := scramState(ctx)
	if err != nil {
		return err
	}
	if sc.reauth == nil {
		return fmt.Errorf(`the scenario checks a re-authentication before "the SCRAM client re-authenticates"`)
	}
	return sc.reauth.Succeeded()
}

func scramSubscription(ctx context.Context, topic, outcome string) (context.Context, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return ctx, err
	}
	if sc.conn == nil {
		return ctx, fmt.Errorf("the scenario subscribes without an accepted SCRAM client")
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	observed, err := scramdrive.Subscription(cctx, sc.conn, topic, outcome == "granted")
	if observed != "" {
		ctx = reports.AttachObserved(ctx, observed)
	}
	return ctx, err
}

func scramClientAttribute(ctx context.Context, name, value string) (context.Context, error) {
	return checkScramClientAttrs(ctx, func(attrs map[string]string) error {
		return scramdrive.Attribute(attrs, name, value)
	})
}

func scramClientWithoutAttribute(ctx context.Context, name string) (context.Context, error) {
	return checkScramClientAttrs(ctx, func(attrs map[string]string) error {
		return scramdrive.NoAttribute(attrs, name)
	})
}

// checkScramClientAttrs asks the broker for the SCRAM client until it
// shows it connected or the step's deadline (st.checkClientView), then
// checks its attributes.
func checkScramClientAttrs(ctx context.Context, check func(map[string]string) error) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	if st.inst == nil {
		return ctx, fmt.Errorf(`the scenario asks about a client before "the SCRAM client connects"`)
	}
	return st.checkClientView(ctx, st.client.clientID, session.Connected, func(clientID string, v session.View) error {
		if err := session.CheckConnected(clientID, v); err != nil {
			return err
		}
		return check(v.Info.ClientAttrs)
	})
}

// brokerThenAccepts shows that the broker survived what came before: a
// correct exchange, with a backend back to normal answers, still succeeds
// (SCRAM-06, SCRAM-09).
func brokerThenAccepts(ctx context.Context, user, password string) (context.Context, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return ctx, err
	}
	if sc.force != nil {
		sc.force = nil
		sc.backend.ClearForce()
	}
	ctx, err = st.scramConnect(ctx, user, password)
	if err != nil {
		return ctx, err
	}
	if ctx, err = theConnectionIsAccepted(ctx); err != nil {
		return ctx, err
	}
	return ctx, connackSignatureVerifies(ctx)
}

func backendReceived(ctx context.Context, n string) error {
	return withBackend(ctx, func(sc *scramScenario) error {
		want := 0
		if n != "no" {
			want, _ = strconv.Atoi(n)
		}
		return verify.Count("request(s) to the SCRAM backend", want, sc.backend.RequestCount())
	})
}

// lastRequest checks the backend's most recent request (the backend
// started on first use, so that a scenario that never reached it says so).
func lastRequest(ctx context.Context) (scramdrive.RequestCheck, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return scramdrive.RequestCheck{}, err
	}
	if _, err := st.scramBackend(); err != nil {
		return scramdrive.RequestCheck{}, err
	}
	p := scramdrive.Placeholders{ClientID: st.client.clientID}
	if sc.last != nil {
		p.ClientAddress = sc.last.ClientHost
	}
	return scramdrive.LastRequest(sc.backend.Requests(), p)
}

// checkRequest runs check on the backend's most recent request.
func checkRequest(ctx context.Context, check func(scramdrive.RequestCheck) error) error {
	c, err := lastRequest(ctx)
	if err != nil {
		return err
	}
	return check(c)
}

func backendRequestMethodPath(ctx context.Context, method, path string) error {
	return checkRequest(ctx, func(c scramdrive.RequestCheck) error { return c.MethodPath(method, path) })
}

func backendRequestQueryPrefix(ctx context.Context, prefix string) error {
	return checkRequest(ctx, func(c scramdrive.RequestCheck) error { return c.QueryPrefix(prefix) })
}

func backendRequestQueryParam(ctx context.Context, name, value string) error {
	return checkRequest(ctx, func(c scramdrive.RequestCheck) error { return c.QueryParam(name, value) })
}

func backendRequestJSONBody(ctx context.Context, doc *godog.DocString) error {
	return checkRequest(ctx, func(c scramdrive.RequestCheck) error { return c.JSONBody(doc.Content) })
}

func backendRequestBody(ctx context.Context, body string) error {
	return checkRequest(ctx, func(c scramdrive.RequestCheck) error { return c.Body(body) })
}

func backendRequestHeader(ctx context.Context, name, value string) error {
	return checkRequest(ctx, func(c scramdrive.RequestCheck) error { return c.Header(name, value) })
}

func backendRequestNoHeader(ctx context.Context, name string) error {
	return checkRequest(ctx, func(c scramdrive.RequestCheck) error { return c.NoHeader(name) })
}
