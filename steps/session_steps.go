package steps

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/session"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// The session steps act on the scenario client after its CONNECT: what it
// may publish and subscribe (the token's acl, is_superuser, the
// authorization settings), what the broker does when the token expires, and
// what watchers (other clients) receive. The client then connects with the
// raw client (their definitions declare needRawSession), so every packet
// is visible. What they do on the wire is package session's.

func registerSessionSteps(sc *registry) {
	sc.After(sessionAfter)
	// Before the CONNECT.
	sc.Given(`^the client has a Will on "([^"]+)"$`, theClientHasAWill, sharedBrokerState)
	sc.Given(`^the client's CONNECT carries (\d+) KB of user properties$`, theConnectCarriesUserProperties, quotedAsDefect)
	registerPubSubSteps(sc)
	registerConnectionEndSteps(sc)
	registerWatcherSteps(sc)
}

// registerPubSubSteps: authorization as the client sees it.
func registerPubSubSteps(sc *registry) {
	sc.Then(`^the client may( not)? publish( a retained message)? to "([^"]*)"(?: with QoS ([012]))?$`, theClientMayPublish, needRawSession, sharedBrokerState)
	sc.Then(`^the client may( not)? subscribe to "([^"]*)"(?: with QoS ([012]))?$`, theClientMaySubscribe, needRawSession, sharedBrokerState)
	sc.When(`^the client subscribes to these filters in one SUBSCRIBE:$`, theClientSubscribesInOne, needRawSession, sharedBrokerState)
	sc.Then(`^the SUBACK carries (0x[0-9A-Fa-f]{2}(?:, 0x[0-9A-Fa-f]{2})*)$`, theSubackCarries)
	sc.When(`^the client publishes to "([^"]*)" with QoS ([012])$`, theClientPublishes, needRawSession, sharedBrokerState)
	sc.Then(`^the broker answers the publish with (PUBACK|PUBREC) (0x[0-9A-Fa-f]{2})$`, theBrokerAnswersThePublish, sharedBrokerState)
	sc.Then(`^the broker acknowledges the publish as usual$`, theBrokerAcknowledgesAsUsual, sharedBrokerState)
}

// registerConnectionEndSteps: the connection's end.
func registerConnectionEndSteps(sc *registry) {
	sc.Then(`^the broker disconnects the client with (0x[0-9A-Fa-f]{2})( at the token's expiry)?$`, theBrokerDisconnectsTheClient, needRawSession)
	sc.Then(`^the broker closes the client's connection( at the token's expiry)?$`, theBrokerClosesTheConnection, needRawSession)
	sc.Then(`^the client is still connected$`, theClientIsStillConnected, needRawSession, sharedBrokerState)
	sc.When(`^the token's exp has passed$`, theTokensExpHasPassed)
	sc.Then(`^the broker refuses the CONNECT before authentication$`, theBrokerRefusesTheConnectAsTooLarge)
}

// registerWatcherSteps: other clients that observe deliveries.
func registerWatcherSteps(sc *registry) {
	sc.Step(`^client "([^"]+)" subscribes to "([^"]+)"$`, watcherSubscribes, sharedBrokerState)
	sc.Then(`^client "([^"]+)" receives the message published to "([^"]+)"$`, watcherReceivesPublished, sharedBrokerState)
	sc.Then(`^client "([^"]+)" receives the client's Will$`, watcherReceivesWill, sharedBrokerState)
	sc.Then(`^client "([^"]+)" receives no message within (\d+(?:\.\d+)?) seconds?$`, watcherReceivesNothing)
}

// sessionState is what the session steps keep between steps.
type sessionState struct {
	// marks number the scenario's payloads, so a watcher on a broker
	// shared with other runs counts only its own messages.
	marks     *session.Marks
	will      *mqttwire.Will
	userProps []mqttwire.UserProperty
	// minted are the claims of the scenario client's last token.
	minted   map[string]any
	watchers map[string]*session.Watcher
	probe    *session.Watcher // the implicit observer of publishes whose ack says nothing

	lastPublish *session.PublishResult
	lastSuback  []byte
}

// sessionOf returns the scenario's sessionState, creating it on first use.
func (st *scenario) sessionOf() *sessionState {
	if st.sess == nil {
		st.sess = &sessionState{marks: session.NewMarks(), watchers: map[string]*session.Watcher{}}
	}
	return st.sess
}

// sessionAfter closes the watchers.
func sessionAfter(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.sess == nil {
		return ctx, nil
	}
	for _, w := range st.sess.watchers {
		w.Close()
	}
	if st.sess.probe != nil {
		st.sess.probe.Close()
	}
	return ctx, nil
}

// --- before the CONNECT ---

func theClientHasAWill(ctx context.Context, topic string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	s := st.sessionOf()
	s.will = &mqttwire.Will{Topic: topic, Payload: s.marks.Next("will")}
	return nil
}

// theConnectCarriesUserProperties pads the CONNECT with MQTT 5 user
// properties (SEC-04: a CONNECT past the maximum packet size).
func theConnectCarriesUserProperties(ctx context.Context, kb int) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	props, err := session.Padding(kb)
	if err != nil {
		return err
	}
	st.sessionOf().userProps = props
	return nil
}

// --- the client's session ---

// clientConn is the raw connection of the scenario client's accepted
// CONNECT. The steps that reach it declare needRawSession (a test reads
// the call graph for it).
func (st *scenario) clientConn() (*mqttwire.Conn, error) {
	if st.answer == nil {
		return nil, fmt.Errorf(`the scenario acts on the client before "the client connects"`)
	}
	if err := verify.Accepted(*st.answer); err != nil {
		return nil, err
	}
	var ws client.WireSession
	if n := len(st.sessions); n > 0 {
		ws, _ = st.sessions[n-1].(client.WireSession)
	}
	if ws == nil {
		// A definition that drives the session must declare needRawSession
		// where it is registered; say so rather than run on paho.
		return nil, reports.HarnessError(errors.New("the client's session is not a raw-client session: the step's definition must declare needRawSession"))
	}
	return ws.Wire(), nil
}

// publish publishes a marked payload as the scenario client and keeps the
// result for the Then steps.
func (st *scenario) publish(ctx context.Context, topic string, qos byte, retain bool) (session.PublishResult, error) {
	conn, err := st.clientConn()
	if err != nil {
		return session.PublishResult{}, err
	}
	s := st.sessionOf()
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	r := session.Publish(cctx, conn, topic, s.marks.Next("publish"), qos, retain)
	s.lastPublish = &r
	return r, nil
}

// theClientMayPublish publishes and judges the answer (session.JudgePublish):
// by the acknowledgement, or by the delivery to an observer subscribed
// before the publish where the acknowledgement says nothing.
func theClientMayPublish(ctx context.Context, not, retained, topic, qosText string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	qos := session.ParseQoS(qosText, 1)
	probe, err := st.deliveryProbe(ctx, topic, qos)
	if err != nil {
		return ctx, err
	}
	r, err := st.publish(ctx, topic, qos, retained != "")
	if err != nil {
		return ctx, err
	}
	ctx = reports.AttachObserved(ctx, r.String())
	return ctx, session.JudgePublish(ctx, r, not != "", probe, st.suite.timeout())
}

// deliveryProbe is the observer, subscribed to topic, of a publish whose
// acknowledgement says nothing (session.ObservedByDelivery); nil for the
// others.
func (st *scenario) deliveryProbe(ctx context.Context, topic string, qos byte) (*session.Watcher, error) {
	if !session.ObservedByDelivery(qos, st.client.version) {
		return nil, nil
	}
	return st.probeOn(ctx, topic)
}

// subscribe sends one SUBSCRIBE as the scenario client and keeps the
// SUBACK's codes for the Then steps.
func (st *scenario) subscribe(ctx context.Context, filters ...mqttwire.Filter) ([]byte, error) {
	conn, err := st.clientConn()
	if err != nil {
		return nil, err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	codes, err := session.Subscribe(cctx, conn, filters...)
	if err != nil {
		return nil, err
	}
	st.sessionOf().lastSuback = codes
	return codes, nil
}

func theClientMaySubscribe(ctx context.Context, not, filter, qosText string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	f := mqttwire.Filter{Topic: filter, QoS: session.ParseQoS(qosText, 1)}
	codes, err := st.subscribe(ctx, f)
	if err != nil {
		return ctx, err
	}
	ctx = reports.AttachObserved(ctx, fmt.Sprintf("SUBACK 0x%02X", codes[0]))
	return ctx, session.JudgeSubscription(f, codes[0], not != "", st.client.version)
}

func theClientSubscribesInOne(ctx context.Context, table *godog.Table) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	rows, err := tableRows(table, "filter", "qos")
	if err != nil {
		return err
	}
	filters := make([]mqttwire.Filter, 0, len(rows))
	for _, r := range rows {
		filters = append(filters, mqttwire.Filter{Topic: r["filter"], QoS: session.ParseQoS(r["qos"], 0)})
	}
	_, err = st.subscribe(ctx, filters...)
	return err
}

func theSubackCarries(ctx context.Context, list string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	got := st.sessionOf().lastSuback
	if got == nil {
		return ctx, fmt.Errorf(`the scenario checks a SUBACK before "the client subscribes"`)
	}
	want, err := verify.ParseCodes("SUBACK code", list)
	if err != nil {
		return ctx, err
	}
	ctx = reports.AttachObserved(ctx, "SUBACK "+verify.HexList(got))
	return ctx, verify.Codes("SUBACK", want, got)
}

func theClientPublishes(ctx context.Context, topic, qosText string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	r, err := st.publish(ctx, topic, session.ParseQoS(qosText, 0), false)
	if err != nil {
		return ctx, err
	}
	return reports.AttachObserved(ctx, r.String()), nil
}

// lastPublish is the result of the scenario client's last publish.
func lastPublish(ctx context.Context) (session.PublishResult, error) {
	st, err := state(ctx)
	if err != nil {
		return session.PublishResult{}, err
	}
	if st.sess == nil || st.sess.lastPublish == nil {
		return session.PublishResult{}, fmt.Errorf(`the scenario checks a publish before "the client publishes"`)
	}
	return *st.sess.lastPublish, nil
}

func theBrokerAnswersThePublish(ctx context.Context, kind, hex string) error {
	p, err := lastPublish(ctx)
	if err != nil {
		return err
	}
	code, err := verify.ParseCode(hex)
	if err != nil {
		return err
	}
	return session.CheckAnswer(p, kind, code)
}

func theBrokerAcknowledgesAsUsual(ctx context.Context) error {
	p, err := lastPublish(ctx)
	if err != nil {
		return err
	}
	return session.CheckAckedAsUsual(p)
}

// --- the connection's end ---

// tokenExp is the exp of the scenario client's last token.
func (st *scenario) tokenExp() (time.Time, error) {
	if st.sess == nil || st.sess.minted == nil {
		return time.Time{}, fmt.Errorf(`the scenario waits for the token's expiry before "the client connects" with a token`)
	}
	return session.ExpOf(st.sess.minted)
}

// closure waits until the broker closes the client's connection: for the
// step's timeout, or with atExpiry until the token's exp and the step's
// timeout after it, checking that the close came once exp passed
// (session.AwaitClosure).
func (st *scenario) closure(ctx context.Context, atExpiry bool) (mqttwire.Closure, error) {
	conn, err := st.clientConn()
	if err != nil {
		return mqttwire.Closure{}, err
	}
	exp, err := st.closureExp(atExpiry)
	if err != nil {
		return mqttwire.Closure{}, err
	}
	from := time.Now()
	if atExpiry {
		from = exp
	}
	cctx, cancel := context.WithDeadline(ctx, from.Add(st.suite.timeout()))
	defer cancel()
	return session.AwaitClosure(cctx, conn, exp)
}

// closureExp is the token's exp a closure at the expiry waits for (the
// zero time when the closure may come at any time).
func (st *scenario) closureExp(atExpiry bool) (time.Time, error) {
	if !atExpiry {
		return time.Time{}, nil
	}
	exp, err := st.tokenExp()
	if err != nil {
		return exp, err
	}
	return exp, session.CheckWaitable(exp)
}

func theBrokerDisconnectsTheClient(ctx context.Context, hex, atExpiry string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	code, err := verify.ParseCode(hex)
	if err != nil {
		return ctx, err
	}
	cl, err := st.closure(ctx, atExpiry != "")
	if err != nil {
		return ctx, err
	}
	return reports.AttachObserved(ctx, session.ObservedClosure(cl)), session.CheckDisconnect(cl, code)
}

// theBrokerClosesTheConnection is the MQTT 3.1.1 form: the connection
// closes (3.1.1 has no server DISCONNECT).
func theBrokerClosesTheConnection(ctx context.Context, atExpiry string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	_, err = st.closure(ctx, atExpiry != "")
	return err
}

func theClientIsStillConnected(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	conn, err := st.clientConn()
	if err != nil {
		return err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return session.StillConnected(cctx, conn)
}

// theTokensExpHasPassed waits until the token's rules no longer apply
// under either reading of the boundary (session.PastExp).
func theTokensExpHasPassed(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	exp, err := st.tokenExp()
	if err != nil {
		return err
	}
	until := session.PastExp(exp)
	if err := session.CheckWaitable(until); err != nil {
		return err
	}
	return reports.HarnessError(session.SleepUntil(ctx, until))
}

// theBrokerRefusesTheConnectAsTooLarge: a CONNECT over the maximum packet
// size is refused before authentication (SEC-04).
func theBrokerRefusesTheConnectAsTooLarge(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if st.answer == nil {
		return fmt.Errorf(`the scenario checks a CONNECT's answer before "the client connects"`)
	}
	return verify.RefusedAsTooLarge(*st.answer)
}

// --- watchers ---

// watcherToken is a valid token for the configured JWT authenticator that
// makes its holder a superuser with an acl allowing everything.
func watcherToken(auth target.Applied) *tokenSpec {
	t := newTokenSpec()
	claim, _ := auth.Config["acl_claim_name"].(string)
	maps.Copy(t.Claims, session.WatcherClaims(claim))
	return t
}

// connectWatcher connects a watcher (MQTT 5, the raw client).
func (st *scenario) connectWatcher(ctx context.Context, name string) (*session.Watcher, error) {
	inst, err := st.instance(ctx)
	if err != nil {
		return nil, err
	}
	req, err := st.watcherRequest(name)
	if err != nil {
		return nil, err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	w, err := session.DialWatcher(cctx, inst.Dial, st.trace, name, req, st.sessionOf().marks)
	return w, harnessUnlessMismatch(err)
}

// watcherRequest is the CONNECT of the watcher name: its own Client ID and
// a superuser's token (watcherToken).
func (st *scenario) watcherRequest(name string) (client.Request, error) {
	auth, _, err := st.jwtAuthenticator()
	if err != nil {
		return client.Request{}, err
	}
	spec := newClientSpec()
	spec.clientID = session.WatcherClientID(st.sessionOf().marks.UID(), name)
	req, _, err := st.requestFor(spec, watcherToken(auth))
	return req, err
}

// probeOn returns the implicit observer, subscribed to topic.
func (st *scenario) probeOn(ctx context.Context, topic string) (*session.Watcher, error) {
	s := st.sessionOf()
	if s.probe == nil {
		p, err := st.connectWatcher(ctx, "(probe)")
		if err != nil {
			return nil, err
		}
		s.probe = p
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return s.probe, s.probe.Subscribe(cctx, topic)
}

func watcherSubscribes(ctx context.Context, name, filter string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	w, err := st.watcher(ctx, name)
	if _, ok := target.AsNotApplicable(err); ok {
		return stepError(ctx, err)
	}
	if err != nil {
		return ctx, err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return ctx, w.Subscribe(cctx, filter)
}

// watcher returns the scenario's watcher called name, connecting it on
// first use.
func (st *scenario) watcher(ctx context.Context, name string) (*session.Watcher, error) {
	s := st.sessionOf()
	if s.watchers[name] == nil {
		w, err := st.connectWatcher(ctx, name)
		if err != nil {
			return nil, err
		}
		s.watchers[name] = w
	}
	return s.watchers[name], nil
}

// watcherOf returns the scenario and its watcher called name.
func watcherOf(ctx context.Context, name string) (*scenario, *session.Watcher, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, err
	}
	if w := st.sessionOf().watchers[name]; w != nil {
		return st, w, nil
	}
	return nil, nil, fmt.Errorf(`the scenario has no watcher %q: start with 'client %q subscribes to "..."'`, name, name)
}

func watcherReceivesPublished(ctx context.Context, name, topic string) error {
	st, w, err := watcherOf(ctx, name)
	if err != nil {
		return err
	}
	p, err := lastPublish(ctx)
	if err != nil {
		return err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return w.ExpectDelivery(cctx, topic, p.Payload, fmt.Sprintf("the message published to %q", topic))
}

func watcherReceivesWill(ctx context.Context, name string) error {
	st, w, err := watcherOf(ctx, name)
	if err != nil {
		return err
	}
	will := st.sessionOf().will
	if will == nil {
		return fmt.Errorf(`the client has no Will: give it one ('the client has a Will on "..."')`)
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return w.ExpectDelivery(cctx, will.Topic, will.Payload, fmt.Sprintf("the client's Will on %q", will.Topic))
}

func watcherReceivesNothing(ctx context.Context, name, seconds string) error {
	_, w, err := watcherOf(ctx, name)
	if err != nil {
		return err
	}
	d, err := time.ParseDuration(seconds + "s")
	if err != nil {
		return err
	}
	return w.ExpectNothing(ctx, d)
}
