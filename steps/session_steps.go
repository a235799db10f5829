package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// The session steps act on the scenario client after its CONNECT: what it
// may publish and subscribe (the token's acl, is_superuser, the
// authorization settings), what the broker does when the token expires, and
// what watchers (other clients) receive. The client then connects with the
// raw client (their definitions declare needRawSession), so every packet
// is visible.

func registerSessionSteps(sc *registry) {
	sc.Before(extBefore)
	sc.After(extAfter)

	// Before the CONNECT.
	sc.Given(`^the client has a Will on "([^"]+)"$`, theClientHasAWill, sharedBrokerState)
	sc.Given(`^the client's CONNECT carries (\d+) KB of user properties$`, theConnectCarriesUserProperties, quotedAsDefect)

	// Authorization as the client sees it.
	sc.Then(`^the client may( not)? publish( a retained message)? to "([^"]*)"(?: with QoS ([012]))?$`, theClientMayPublish, needRawSession, sharedBrokerState)
	sc.Then(`^the client may( not)? subscribe to "([^"]*)"(?: with QoS ([012]))?$`, theClientMaySubscribe, needRawSession, sharedBrokerState)
	sc.When(`^the client subscribes to these filters in one SUBSCRIBE:$`, theClientSubscribesInOne, needRawSession, sharedBrokerState)
	sc.Then(`^the SUBACK carries (0x[0-9A-Fa-f]{2}(?:, 0x[0-9A-Fa-f]{2})*)$`, theSubackCarries)
	sc.When(`^the client publishes to "([^"]*)" with QoS ([012])$`, theClientPublishes, needRawSession, sharedBrokerState)
	sc.Then(`^the broker answers the publish with (PUBACK|PUBREC) (0x[0-9A-Fa-f]{2})$`, theBrokerAnswersThePublish, sharedBrokerState)
	sc.Then(`^the broker acknowledges the publish as usual$`, theBrokerAcknowledgesAsUsual, sharedBrokerState)

	// The connection's end.
	sc.Then(`^the broker disconnects the client with (0x[0-9A-Fa-f]{2})( at the token's expiry)?$`, theBrokerDisconnectsTheClient, needRawSession)
	sc.Then(`^the broker closes the client's connection( at the token's expiry)?$`, theBrokerClosesTheConnection, needRawSession)
	sc.Then(`^the client is still connected$`, theClientIsStillConnected, needRawSession, sharedBrokerState)
	sc.When(`^the token's exp has passed$`, theTokensExpHasPassed)
	sc.Then(`^the broker refuses the CONNECT before authentication$`, theBrokerRefusesTheConnectAsTooLarge)

	// Watchers: other clients that observe deliveries.
	sc.Step(`^client "([^"]+)" subscribes to "([^"]+)"$`, watcherSubscribes, sharedBrokerState)
	sc.Then(`^client "([^"]+)" receives the message published to "([^"]+)"$`, watcherReceivesPublished, sharedBrokerState)
	sc.Then(`^client "([^"]+)" receives the client's Will$`, watcherReceivesWill, sharedBrokerState)
	sc.Then(`^client "([^"]+)" receives no message within (\d+(?:\.\d+)?) seconds?$`, watcherReceivesNothing)
}

// absenceWait is how long a check that something is NOT delivered waits.
const absenceWait = 500 * time.Millisecond

// --- before the CONNECT ---

func theClientHasAWill(ctx context.Context, topic string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	x := st.extOf()
	x.will = &mqttwire.Will{Topic: topic, Payload: []byte(x.mark("will"))}
	return nil
}

// theConnectCarriesUserProperties pads the CONNECT with MQTT 5 user
// properties (SEC-04: a CONNECT past the maximum packet size).
func theConnectCarriesUserProperties(ctx context.Context, kb int) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if kb < 1 || kb > 4096 {
		return fmt.Errorf("between 1 and 4096 KB of user properties, not %d", kb)
	}
	const chunk = 60000 // under the 65535-byte limit of an MQTT string
	x := st.extOf()
	x.userProps = nil
	for left := kb * 1024; left > 0; left -= chunk {
		n := min(left, chunk)
		x.userProps = append(x.userProps, mqttwire.UserProperty{Key: "authspec-padding", Val: strings.Repeat("p", n)})
	}
	return nil
}

// mark is a payload this scenario can recognise.
func (x *extState) mark(what string) string {
	x.published++
	return fmt.Sprintf("authspec %s %s #%d", x.uid, what, x.published)
}

func (x *extState) isOurs(payload []byte) bool {
	return strings.HasPrefix(string(payload), "authspec "+x.uid+" ")
}

// --- the client's session ---

// clientConn is the raw connection of the scenario client's accepted
// CONNECT.
func (st *scenario) clientConn() (*mqttwire.Conn, error) {
	if st.answer == nil {
		return nil, fmt.Errorf(`the scenario acts on the client before "the client connects"`)
	}
	if !st.answer.Accepted() || len(st.sessions) == 0 {
		return nil, mismatch("a connected client", st.answer.String())
	}
	ws, ok := st.sessions[len(st.sessions)-1].(client.WireSession)
	if !ok {
		// A definition that drives the session must declare needRawSession
		// where it is registered; say so rather than run on paho.
		return nil, reports.HarnessError(errors.New("the client's session is not a raw-client session: the step's definition must declare needRawSession"))
	}
	return ws.Wire(), nil
}

func parseQoS(s string, def byte) byte {
	if s == "" {
		return def
	}
	n, _ := strconv.Atoi(s)
	return byte(n)
}

// publishResult is what one publish of the client got back.
type publishResult struct {
	topic   string
	qos     byte
	payload []byte
	code    byte  // PUBACK/PUBREC reason code (0 in 3.1.1)
	err     error // no acknowledgement: DISCONNECT, closed, timeout
}

func (p publishResult) String() string {
	var de *mqttwire.DisconnectError
	switch {
	case errors.As(p.err, &de):
		return fmt.Sprintf("DISCONNECT 0x%02X", de.ReasonCode())
	case errors.Is(p.err, mqttwire.ErrConnectionClosed):
		return "the connection closed"
	case errors.Is(p.err, mqttwire.ErrTimeout):
		return "no acknowledgement before the deadline"
	case p.err != nil:
		return p.err.Error()
	case p.qos == 0:
		return "no acknowledgement (QoS 0)"
	case p.qos == 2:
		return fmt.Sprintf("PUBREC 0x%02X", p.code)
	}
	return fmt.Sprintf("PUBACK 0x%02X", p.code)
}

func (st *scenario) publish(ctx context.Context, topic string, qos byte, retain bool) (publishResult, error) {
	conn, err := st.clientConn()
	if err != nil {
		return publishResult{}, err
	}
	x := st.extOf()
	r := publishResult{topic: topic, qos: qos, payload: []byte(x.mark("publish"))}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	r.code, r.err = conn.Publish(cctx, topic, r.payload, qos, retain)
	x.lastPublish = &r
	return r, nil
}

// theClientMayPublish publishes and judges the answer. An MQTT 5 publish at
// QoS 1 or 2 tells by its acknowledgement (0x87 denied, below 0x80
// allowed); at QoS 0, and for MQTT 3.1.1 clients whose acknowledgements
// carry no code, an observer subscribed to the topic tells by the delivery.
func theClientMayPublish(ctx context.Context, not, retained, topic, qosText string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	qos := parseQoS(qosText, 1)
	deny := not != ""
	observed := qos == 0 || st.client.version == target.MQTT311
	var probe *watcher
	if observed {
		if probe, err = st.probeOn(ctx, topic); err != nil {
			return ctx, err
		}
	}
	r, err := st.publish(ctx, topic, qos, retained != "")
	if err != nil {
		return ctx, err
	}
	ctx = reports.AttachObserved(ctx, r.String())
	what := fmt.Sprintf("a QoS %d publish to %q", qos, topic)
	if !observed {
		switch {
		case r.err != nil:
			return ctx, mismatch(fmt.Sprintf("%s to be %s", what, map[bool]string{true: "denied with 0x87", false: "allowed"}[deny]), r.String())
		case deny && r.code != 0x87:
			return ctx, mismatch(fmt.Sprintf("%s denied: %s", what, map[byte]string{1: "PUBACK 0x87", 2: "PUBREC 0x87"}[qos]), r.String())
		case !deny && r.code >= 0x80:
			return ctx, mismatch(fmt.Sprintf("%s allowed: an acknowledgement below 0x80", what), r.String())
		}
		return ctx, nil
	}
	if r.err != nil {
		return ctx, mismatch(fmt.Sprintf("%s acknowledged as usual (QoS 0: none) and the connection kept", what), r.String())
	}
	if deny {
		got, err := probe.receiveOurs(ctx, st.extOf(), absenceWait, func(m mqttwire.Message) bool { return string(m.Payload) == string(r.payload) })
		if err != nil {
			return ctx, err
		}
		if got != nil {
			return ctx, mismatch(fmt.Sprintf("%s denied: not delivered", what), "a subscriber received it")
		}
		return ctx, nil
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	got, err := probe.receiveOurs(cctx, st.extOf(), 0, func(m mqttwire.Message) bool { return string(m.Payload) == string(r.payload) })
	if err != nil {
		return ctx, err
	}
	if got == nil {
		return ctx, mismatch(fmt.Sprintf("%s allowed: delivered to a subscriber", what), "no delivery before the deadline")
	}
	return ctx, nil
}

// deniedSubscriptionCode is the SUBACK code of a denied filter: 0x87, or
// 0x80 for an MQTT 3.1.1 client (JWT-ACL-18).
func (st *scenario) deniedSubscriptionCode() byte {
	if st.client.version == target.MQTT311 {
		return 0x80
	}
	return 0x87
}

func (st *scenario) subscribe(ctx context.Context, filters ...mqttwire.Filter) ([]byte, error) {
	conn, err := st.clientConn()
	if err != nil {
		return nil, err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	codes, err := conn.Subscribe(cctx, filters...)
	if err != nil {
		var de *mqttwire.DisconnectError
		if errors.As(err, &de) {
			return nil, mismatch("a SUBACK", fmt.Sprintf("DISCONNECT 0x%02X", de.ReasonCode()))
		}
		return nil, mismatch("a SUBACK", err.Error())
	}
	st.extOf().lastSuback = codes
	return codes, nil
}

func theClientMaySubscribe(ctx context.Context, not, filter, qosText string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	qos := parseQoS(qosText, 1)
	codes, err := st.subscribe(ctx, mqttwire.Filter{Topic: filter, QoS: qos})
	if err != nil {
		return ctx, err
	}
	ctx = reports.AttachObserved(ctx, fmt.Sprintf("SUBACK 0x%02X", codes[0]))
	what := fmt.Sprintf("a QoS %d subscription to %q", qos, filter)
	switch {
	case not != "" && codes[0] != st.deniedSubscriptionCode():
		return ctx, mismatch(fmt.Sprintf("%s denied: SUBACK 0x%02X", what, st.deniedSubscriptionCode()), fmt.Sprintf("SUBACK 0x%02X", codes[0]))
	case not == "" && codes[0] >= 0x80:
		return ctx, mismatch(fmt.Sprintf("%s granted", what), fmt.Sprintf("SUBACK 0x%02X", codes[0]))
	}
	return ctx, nil
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
	var filters []mqttwire.Filter
	for _, r := range rows {
		filters = append(filters, mqttwire.Filter{Topic: r["filter"], QoS: parseQoS(r["qos"], 0)})
	}
	_, err = st.subscribe(ctx, filters...)
	return err
}

func theSubackCarries(ctx context.Context, list string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	got := st.extOf().lastSuback
	if got == nil {
		return ctx, fmt.Errorf(`the scenario checks a SUBACK before "the client subscribes"`)
	}
	var want []byte
	for _, c := range strings.Split(list, ",") {
		code, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(c), "0x"), 16, 8)
		if err != nil {
			return ctx, fmt.Errorf("SUBACK code %q: %w", c, err)
		}
		want = append(want, byte(code))
	}
	ctx = reports.AttachObserved(ctx, "SUBACK "+verify.HexList(got))
	return ctx, verify.Codes("SUBACK", want, got)
}

func theClientPublishes(ctx context.Context, topic, qosText string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	r, err := st.publish(ctx, topic, parseQoS(qosText, 0), false)
	if err != nil {
		return ctx, err
	}
	return reports.AttachObserved(ctx, r.String()), nil
}

// lastPublish is the result of the scenario client's last publish.
func lastPublish(ctx context.Context) (publishResult, error) {
	st, err := state(ctx)
	if err != nil {
		return publishResult{}, err
	}
	if st.ext == nil || st.ext.lastPublish == nil {
		return publishResult{}, fmt.Errorf(`the scenario checks a publish before "the client publishes"`)
	}
	return *st.ext.lastPublish, nil
}

func theBrokerAnswersThePublish(ctx context.Context, kind, hex string) error {
	p, err := lastPublish(ctx)
	if err != nil {
		return err
	}
	code, _ := strconv.ParseUint(hex[2:], 16, 8)
	want := fmt.Sprintf("%s 0x%02X", kind, code)
	if p.err != nil || p.code != byte(code) || (kind == "PUBREC") != (p.qos == 2) {
		return mismatch(want, p.String())
	}
	return nil
}

func theBrokerAcknowledgesAsUsual(ctx context.Context) error {
	p, err := lastPublish(ctx)
	if err != nil {
		return err
	}
	if p.err != nil || p.code >= 0x80 {
		return mismatch("the publish acknowledged as usual", p.String())
	}
	return nil
}

// tokenExp is the exp of the scenario client's last token.
func (st *scenario) tokenExp() (time.Time, error) {
	if st.ext == nil || st.ext.minted == nil {
		return time.Time{}, fmt.Errorf(`the scenario waits for the token's expiry before "the client connects" with a token`)
	}
	var secs float64
	switch v := st.ext.minted["exp"].(type) {
	case float64:
		secs = v
	case int64:
		secs = float64(v)
	case int:
		secs = float64(v)
	case json.Number:
		f, err := v.Float64()
		if err != nil {
			return time.Time{}, fmt.Errorf("the client's token has no numeric exp (%v)", v)
		}
		secs = f
	default:
		return time.Time{}, fmt.Errorf("the client's token has no numeric exp (%v)", v)
	}
	whole, frac := math.Modf(secs)
	return time.Unix(int64(whole), int64(frac*1e9)), nil
}

// closure waits until the broker closes the client's connection; with
// atExpiry, it also checks that this happened once the token's exp passed
// and not long after.
func (st *scenario) closure(ctx context.Context, atExpiry bool) (mqttwire.Closure, error) {
	conn, err := st.clientConn()
	if err != nil {
		return mqttwire.Closure{}, err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	var exp time.Time
	if atExpiry {
		if exp, err = st.tokenExp(); err != nil {
			return mqttwire.Closure{}, err
		}
		if time.Until(exp) > 10*time.Second {
			return mqttwire.Closure{}, fmt.Errorf("the token expires in %s: scenarios wait for exp of NOW+1 or NOW+2", time.Until(exp).Round(time.Second))
		}
		cancel()
		cctx, cancel = context.WithDeadline(ctx, exp.Add(st.suite.timeout()))
		defer cancel()
	}
	cl, err := conn.Closed(cctx)
	closedAt := time.Now()
	if err != nil {
		what := "the connection still open"
		if cl.Disconnect != nil {
			what = mqttwire.Describe(*cl.Disconnect) + ", and the connection still open"
		}
		return cl, mismatch("the broker to close the connection", what+" at the deadline")
	}
	if atExpiry {
		const early = 100 * time.Millisecond // the broker's clock may lead ours a little
		if closedAt.Before(exp.Add(-early)) {
			return cl, mismatch(fmt.Sprintf("the connection closed at the token's exp (%s)", exp.Format(time.TimeOnly)),
				fmt.Sprintf("closed %s before it", exp.Sub(closedAt).Round(time.Millisecond)))
		}
	}
	return cl, nil
}

func theBrokerDisconnectsTheClient(ctx context.Context, hex, atExpiry string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	code, _ := strconv.ParseUint(hex[2:], 16, 8)
	cl, err := st.closure(ctx, atExpiry != "")
	if err != nil {
		return ctx, err
	}
	got, ok := cl.ReasonCode()
	if !ok {
		return reports.AttachObserved(ctx, "closed"), mismatch(fmt.Sprintf("DISCONNECT 0x%02X, then the connection closed", code), cl.String())
	}
	ctx = reports.AttachObserved(ctx, fmt.Sprintf("DISCONNECT 0x%02X", got))
	if got != byte(code) {
		return ctx, mismatch(fmt.Sprintf("DISCONNECT 0x%02X", code), cl.String())
	}
	return ctx, nil
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
	if err := conn.Ping(cctx); err != nil {
		return mismatch("the client still connected (PINGRESP)", err.Error())
	}
	return nil
}

// theTokensExpHasPassed waits until the token's rules no longer apply
// under either reading of the boundary: 6.x still allows while exp >= now
// in whole seconds (A15), so the wait ends early in the second after exp.
func theTokensExpHasPassed(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	exp, err := st.tokenExp()
	if err != nil {
		return err
	}
	until := time.Unix(exp.Unix()+1, 0).Add(100 * time.Millisecond)
	if d := time.Until(until); d > 10*time.Second {
		return fmt.Errorf("the token expires in %s: scenarios wait for exp of NOW+1 or NOW+2", d.Round(time.Second))
	}
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return reports.HarnessError(ctx.Err())
	}
}

// theBrokerRefusesTheConnectAsTooLarge: a CONNECT over the maximum packet
// size is refused before authentication: the connection closes, for MQTT 5
// possibly after CONNACK 0x95 (SEC-04).
func theBrokerRefusesTheConnectAsTooLarge(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	a := st.answer
	if a == nil {
		return fmt.Errorf(`the scenario checks a CONNECT's answer before "the client connects"`)
	}
	if a.Closed || (a.Connack && a.Code == 0x95) {
		return nil
	}
	return mismatch("the connection closed (or CONNACK 0x95) before authentication", a.String())
}

// --- watchers ---

// watcher is another client that observes deliveries: a superuser whose
// token's acl also allows everything, so it may subscribe to any topic
// whatever the authorization settings.
type watcher struct {
	name string
	conn *mqttwire.Conn
	subs map[string]bool
}

func (w *watcher) close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = w.conn.Disconnect(ctx, 0)
}

// watcherToken is a valid token for the configured JWT authenticator that
// makes its holder a superuser with an acl allowing everything.
func watcherToken(auth target.Applied) *tokenSpec {
	t := newTokenSpec()
	t.claims["is_superuser"] = "true"
	claim, _ := auth.Config["acl_claim_name"].(string)
	if claim == "" {
		claim = "acl"
	}
	t.claims[claim] = `[{"permission": "allow", "action": "all", "topic": "#"}]`
	return t
}

// connectWatcher connects a watcher (MQTT 5, the raw client).
func (st *scenario) connectWatcher(ctx context.Context, name string) (*watcher, error) {
	x := st.extOf()
	inst, err := st.instance(ctx)
	if err != nil {
		return nil, err
	}
	auth, _, err := st.jwtAuthenticator()
	if err != nil {
		return nil, err
	}
	spec := newClientSpec()
	spec.clientID = fmt.Sprintf("authspec-%s-%s", x.uid, strings.Map(func(r rune) rune {
		if r == ' ' || r == '(' || r == ')' {
			return '-'
		}
		return r
	}, name))
	req, _, err := st.requestFor(spec, watcherToken(auth))
	if err != nil {
		return nil, err
	}
	req.Wire, req.Label = true, "watcher "+name
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	ans, session, err := client.Connect(cctx, inst.Dial, req, st.trace)
	if err != nil {
		return nil, reports.HarnessError(err)
	}
	if !ans.Accepted() {
		return nil, mismatch(fmt.Sprintf("watcher %q (a superuser with a valid token) connected", name), ans.String())
	}
	return &watcher{name: name, conn: session.(client.WireSession).Wire(), subs: map[string]bool{}}, nil
}

func (w *watcher) subscribe(ctx context.Context, filter string) error {
	if w.subs[filter] {
		return nil
	}
	codes, err := w.conn.Subscribe(ctx, mqttwire.Filter{Topic: filter, QoS: 2})
	if err != nil {
		return mismatch(fmt.Sprintf("watcher %q subscribed to %q", w.name, filter), err.Error())
	}
	if codes[0] >= 0x80 {
		return mismatch(fmt.Sprintf("watcher %q (a superuser) subscribed to %q", w.name, filter), fmt.Sprintf("SUBACK 0x%02X", codes[0]))
	}
	w.subs[filter] = true
	return nil
}

// receiveOurs waits for a PUBLISH of this scenario that match accepts,
// dropping the others. With within > 0 it waits that long and returns nil
// when nothing matched; otherwise until ctx ends.
func (w *watcher) receiveOurs(ctx context.Context, x *extState, within time.Duration, match func(mqttwire.Message) bool) (*mqttwire.Message, error) {
	if within > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, within)
		defer cancel()
	}
	for {
		m, err := w.conn.Receive(ctx)
		switch {
		case err == nil:
			if x.isOurs(m.Payload) && match(m) {
				return &m, nil
			}
		case errors.Is(err, mqttwire.ErrTimeout), ctx.Err() != nil:
			return nil, nil
		default:
			return nil, mismatch(fmt.Sprintf("watcher %q still connected", w.name), err.Error())
		}
	}
}

// probeOn returns the implicit observer, subscribed to topic.
func (st *scenario) probeOn(ctx context.Context, topic string) (*watcher, error) {
	x := st.extOf()
	if x.probe == nil {
		p, err := st.connectWatcher(ctx, "(probe)")
		if err != nil {
			return nil, err
		}
		x.probe = p
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return x.probe, x.probe.subscribe(cctx, topic)
}

func watcherSubscribes(ctx context.Context, name, filter string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	x := st.extOf()
	w := x.watchers[name]
	if w == nil {
		if w, err = st.connectWatcher(ctx, name); err != nil {
			if _, ok := target.AsNotApplicable(err); ok {
				return stepError(ctx, err)
			}
			return ctx, err
		}
		x.watchers[name] = w
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return ctx, w.subscribe(cctx, filter)
}

// watcherOf returns the scenario and its watcher called name.
func watcherOf(ctx context.Context, name string) (*scenario, *watcher, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, err
	}
	if st.ext != nil {
		if w := st.ext.watchers[name]; w != nil {
			return st, w, nil
		}
	}
	return nil, nil, fmt.Errorf(`the scenario has no watcher %q: start with 'client %q subscribes to "..."'`, name, name)
}

// receives waits until w receives payload on topic; want says which
// message in the mismatch.
func (st *scenario) receives(ctx context.Context, w *watcher, topic string, payload []byte, want string) error {
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	m, err := w.receiveOurs(cctx, st.ext, 0, func(m mqttwire.Message) bool {
		return m.Topic == topic && string(m.Payload) == string(payload)
	})
	if err != nil {
		return err
	}
	if m == nil {
		return mismatch(want, "no delivery before the deadline")
	}
	return nil
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
	return st.receives(ctx, w, topic, p.payload, fmt.Sprintf("watcher %q to receive the message published to %q", name, topic))
}

func watcherReceivesWill(ctx context.Context, name string) error {
	st, w, err := watcherOf(ctx, name)
	if err != nil {
		return err
	}
	will := st.extOf().will
	if will == nil {
		return fmt.Errorf(`the client has no Will: give it one ('the client has a Will on "..."')`)
	}
	return st.receives(ctx, w, will.Topic, will.Payload, fmt.Sprintf("watcher %q to receive the client's Will on %q", name, will.Topic))
}

func watcherReceivesNothing(ctx context.Context, name, seconds string) error {
	st, w, err := watcherOf(ctx, name)
	if err != nil {
		return err
	}
	d, err := time.ParseDuration(seconds + "s")
	if err != nil {
		return err
	}
	m, err := w.receiveOurs(ctx, st.ext, d, func(mqttwire.Message) bool { return true })
	if err != nil {
		return err
	}
	if m != nil {
		return mismatch(fmt.Sprintf("watcher %q to receive nothing within %s", name, d), fmt.Sprintf("a message on %q", m.Topic))
	}
	return nil
}

// extState is the state of the steps that go past one CONNECT: the
// scenario client's session once connected (publish, subscribe, its Will,
// its token's expiry), the watchers that observe deliveries, what the last
// publish and subscribe got back, and the security steps' attackers. (The
// JWKS endpoint is scenario.jwks.)
type extState struct {
	// uid marks this scenario's payloads, so a watcher on a broker shared
	// with other runs counts only its own messages.
	uid string

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

// extBefore makes the client connect with the raw client when a definition
// of the scenario's steps drives the client's session (needRawSession).
func extBefore(ctx context.Context, _ *godog.Scenario) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok {
		return ctx, nil
	}
	st.extOf().packetLevel = st.needs&needRawSession != 0
	return ctx, nil
}

// extAfter closes the watchers and the attackers. It runs after the broker
// is closed (godog runs After hooks in registration order).
func extAfter(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.ext == nil {
		return ctx, nil
	}
	for _, w := range st.ext.watchers {
		w.close()
	}
	if st.ext.probe != nil {
		st.ext.probe.close()
	}
	for _, a := range st.ext.attackers {
		_ = a.Close()
	}
	return ctx, nil
}
