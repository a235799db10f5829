package steps

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
)

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
}

// lastExchange is the last SCRAM CONNECT's exchange.
func lastExchange(ctx context.Context) (*scenario, *scramExchange, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return nil, nil, err
	}
	if sc.last == nil {
		return nil, nil, fmt.Errorf(`the scenario checks a SCRAM exchange before "the SCRAM client connects"`)
	}
	return st, sc.last, nil
}

func describeAuths(auths []mqttwire.Auth) string {
	if len(auths) == 0 {
		return "no AUTH"
	}
	var parts []string
	for _, a := range auths {
		parts = append(parts, mqttwire.Describe(a.Packet))
	}
	return strings.Join(parts, ", then ")
}

func brokerSentAuth(ctx context.Context, method string) error {
	_, x, err := lastExchange(ctx)
	if err != nil {
		return err
	}
	want := fmt.Sprintf("AUTH 0x18 with Authentication-Method %q", method)
	if len(x.serverAuths) == 0 {
		return mismatch(want, "no AUTH")
	}
	if a := x.serverAuths[0]; a.ReasonCode != mqttwire.AuthContinue || a.Method != method {
		return mismatch(want, describeAuths(x.serverAuths))
	}
	return nil
}

func brokerSentNoAuth(ctx context.Context) error {
	_, x, err := lastExchange(ctx)
	if err != nil {
		return err
	}
	if len(x.serverAuths) > 0 {
		return mismatch("no AUTH (the authenticator ignores the client)", describeAuths(x.serverAuths))
	}
	return nil
}

// serverFirstAttr returns the last exchange and attribute name ("r", "s",
// "i") of its server-first message.
func serverFirstAttr(ctx context.Context, name string) (*scramExchange, string, error) {
	_, x, err := lastExchange(ctx)
	if err != nil {
		return nil, "", err
	}
	if x.serverFirst == nil {
		return nil, "", mismatch("a server-first message in AUTH 0x18", "no AUTH")
	}
	for _, attr := range strings.Split(string(x.serverFirst), ",") {
		if v, ok := strings.CutPrefix(attr, name+"="); ok {
			return x, v, nil
		}
	}
	return nil, "", mismatch(fmt.Sprintf("a server-first message with %s=", name), fmt.Sprintf("%q", x.serverFirst))
}

// serverFirstExtendsNonce: r= is the client nonce followed by a server
// nonce; ambiguity A16 leaves the server nonce's alphabet open, except for
// the comma, which would end the attribute.
func serverFirstExtendsNonce(ctx context.Context) error {
	x, r, err := serverFirstAttr(ctx, "r")
	if err != nil {
		return err
	}
	cnonce := x.conv.Nonce()
	if !strings.HasPrefix(r, cnonce) || len(r) == len(cnonce) {
		return mismatch(fmt.Sprintf("r= extending the client nonce %q", cnonce), fmt.Sprintf("r=%s", r))
	}
	if want := "r=" + r + ",s="; !strings.HasPrefix(string(x.serverFirst), want) {
		return mismatch("r= followed by s=", fmt.Sprintf("%q", x.serverFirst))
	}
	return nil
}

func serverFirstIterations(ctx context.Context, n int) error {
	_, i, err := serverFirstAttr(ctx, "i")
	if err != nil {
		return err
	}
	if i != strconv.Itoa(n) {
		return mismatch(fmt.Sprintf("i=%d", n), "i="+i)
	}
	return nil
}

func serverFirstSalt(ctx context.Context, text string) error {
	_, s, err := serverFirstAttr(ctx, "s")
	if err != nil {
		return err
	}
	salt, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return mismatch("s= in base64", "s="+s)
	}
	if string(salt) != text {
		return mismatch(fmt.Sprintf("s= decoding to the salt %q", text), fmt.Sprintf("%q", salt))
	}
	return nil
}

func connackSignatureVerifies(ctx context.Context) error {
	_, x, err := lastExchange(ctx)
	if err != nil {
		return err
	}
	switch {
	case x.connack == nil || !x.connack.Accepted():
		return fmt.Errorf("the scenario checks the server signature of a connection that was not accepted")
	case x.verifyErr != nil:
		return mismatch("a CONNACK whose v= the client verifies", fmt.Sprintf("%q: %v", x.connack.AuthData, x.verifyErr))
	}
	return nil
}

func connackNoServerFinal(ctx context.Context) error {
	_, x, err := lastExchange(ctx)
	if err != nil {
		return err
	}
	if x.connack == nil {
		return fmt.Errorf("the scenario checks a CONNACK it did not get")
	}
	if len(x.connack.AuthData) > 0 {
		return mismatch("a CONNACK without Authentication-Data", fmt.Sprintf("%q", x.connack.AuthData))
	}
	return nil
}

// closure waits up to d for the connected SCRAM client's connection to end,
// unless a re-authentication already saw it end. It returns the DISCONNECT
// (nil when the broker closed without one) and when it arrived.
func (sc *scramScenario) closure(ctx context.Context, d time.Duration) (*mqttwire.Packet, time.Time, error) {
	if r := sc.reauth; r != nil && (r.disconnect != nil || r.closed) {
		return r.disconnect, time.Now(), nil
	}
	if sc.conn == nil {
		return nil, time.Time{}, fmt.Errorf("the scenario waits for a disconnect without an accepted SCRAM client")
	}
	cctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	cl, err := sc.conn.Closed(cctx)
	at := time.Now()
	if errors.Is(err, mqttwire.ErrTimeout) {
		got := fmt.Sprintf("the connection still open after %s", d)
		var before []string
		if sc.reauth != nil {
			before = append(before, describeAuths(sc.reauth.serverAuths))
		}
		for _, pk := range cl.Unread {
			before = append(before, mqttwire.Describe(pk))
		}
		if cl.Disconnect != nil {
			before = append(before, mqttwire.Describe(*cl.Disconnect))
		}
		if len(before) > 0 {
			got += " (received: " + strings.Join(before, ", ") + ")"
		}
		return nil, at, errors.New(got)
	}
	if err != nil {
		return nil, at, reports.HarnessError(err)
	}
	return cl.Disconnect, at, nil
}

func disconnectCode(hex string) (byte, error) {
	code, err := strconv.ParseUint(hex[2:], 16, 8)
	if err != nil {
		return 0, err
	}
	return byte(code), nil
}

func scramDisconnectedWith(ctx context.Context, hex, seconds string) (context.Context, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return ctx, err
	}
	code, err := disconnectCode(hex)
	if err != nil {
		return ctx, err
	}
	wait := st.suite.timeout()
	if seconds != "" {
		if wait, err = time.ParseDuration(seconds + "s"); err != nil {
			return ctx, err
		}
	}
	return checkDisconnect(ctx, sc, code, wait, time.Time{})
}

// scramDisconnectedAtExpiry waits past the answer's expire_at (SCRAM-07)
// and checks the DISCONNECT came then, not before: half a second of slack
// allows for a broker clock a little ahead of the suite's.
func scramDisconnectedAtExpiry(ctx context.Context, hex string) (context.Context, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return ctx, err
	}
	code, err := disconnectCode(hex)
	if err != nil {
		return ctx, err
	}
	if sc.last == nil || sc.last.expireAt.IsZero() {
		return ctx, fmt.Errorf("the scenario waits for expire_at, but the connecting user's answer has none")
	}
	wait := time.Until(sc.last.expireAt) + st.suite.timeout()/2
	return checkDisconnect(ctx, sc, code, wait, sc.last.expireAt.Add(-500*time.Millisecond))
}

func checkDisconnect(ctx context.Context, sc *scramScenario, code byte, wait time.Duration, notBefore time.Time) (context.Context, error) {
	want := fmt.Sprintf("DISCONNECT 0x%02X", code)
	disconnect, at, err := sc.closure(ctx, wait)
	switch {
	case err != nil && strings.HasPrefix(err.Error(), reports.HarnessErrorPrefix):
		return ctx, err
	case err != nil:
		return reports.AttachObserved(ctx, "open"), mismatch(want, err.Error())
	case disconnect == nil:
		return reports.AttachObserved(ctx, "closed"), mismatch(want, "the connection closed without DISCONNECT")
	}
	ctx = reports.AttachObserved(ctx, reports.FormatCode(disconnect.ReasonCode))
	if disconnect.ReasonCode != code {
		return ctx, mismatch(want, mqttwire.Describe(*disconnect))
	}
	if !notBefore.IsZero() && at.Before(notBefore) {
		return ctx, mismatch(fmt.Sprintf("%s at expire_at %s", want, notBefore.Add(500*time.Millisecond).Format(time.RFC3339)),
			fmt.Sprintf("it at %s", at.Format(time.RFC3339Nano)))
	}
	return ctx, nil
}

func (r *scramReauth) describe() string {
	got := describeAuths(r.serverAuths)
	switch {
	case r.disconnect != nil:
		got += ", then " + mqttwire.Describe(*r.disconnect)
	case r.closed:
		got += ", then the connection closed"
	case len(r.serverAuths) == 0:
		got = "nothing before the deadline"
	}
	return got
}

func reauthSucceeds(ctx context.Context) error {
	_, sc, err := scramState(ctx)
	if err != nil {
		return err
	}
	r := sc.reauth
	if r == nil {
		return fmt.Errorf(`the scenario checks a re-authentication before "the SCRAM client re-authenticates"`)
	}
	const want = "AUTH 0x18, then AUTH 0x00 whose v= the client verifies"
	n := len(r.serverAuths)
	if n != 2 || r.serverAuths[0].ReasonCode != mqttwire.AuthContinue || r.serverAuths[1].ReasonCode != mqttwire.AuthSuccess {
		return mismatch(want, r.describe())
	}
	if r.verifyErr != nil {
		return mismatch(want, fmt.Sprintf("v= %q that does not verify: %v", r.serverAuths[1].Data, r.verifyErr))
	}
	return nil
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
	codes, err := sc.conn.Subscribe(cctx, mqttwire.Filter{Topic: topic, QoS: 1})
	if err != nil {
		return ctx, mismatch("a SUBACK", err.Error())
	}
	ctx = reports.AttachObserved(ctx, reports.FormatCode(codes[0]))
	granted := codes[0] < 0x80
	switch {
	case outcome == "granted" && !granted:
		return ctx, mismatch(fmt.Sprintf("SUBACK granting %q", topic), fmt.Sprintf("reason code 0x%02X", codes[0]))
	case outcome != "granted" && codes[0] != 0x87:
		return ctx, mismatch(fmt.Sprintf("SUBACK 0x87 for %q", topic), fmt.Sprintf("reason code 0x%02X", codes[0]))
	}
	return ctx, nil
}

// scramClientAttrs reads the connected SCRAM client's attributes from the
// broker (EMQX: GET /api/v5/clients/{clientid}).
func scramClientAttrs(ctx context.Context) (map[string]string, context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, ctx, err
	}
	if st.inst == nil {
		return nil, ctx, fmt.Errorf(`the scenario asks about a client before "the SCRAM client connects"`)
	}
	inspector, ok := st.inst.(target.ClientInspector)
	if !ok {
		ctx, err := reports.NotApplicable(ctx, "the target cannot show a client's attributes")
		return nil, ctx, err
	}
	// Registration may trail the CONNACK by a moment: ask again until the
	// step's deadline.
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	for {
		info, found, err := inspector.Client(cctx, st.client.clientID)
		switch {
		case err != nil:
			return nil, ctx, reports.HarnessError(err)
		case found && info.Connected:
			return info.ClientAttrs, ctx, nil
		}
		select {
		case <-cctx.Done():
			return nil, ctx, mismatch(fmt.Sprintf("a connected client %q", st.client.clientID), "none")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func scramClientAttribute(ctx context.Context, name, value string) (context.Context, error) {
	attrs, ctx, err := scramClientAttrs(ctx)
	if err != nil {
		return ctx, err
	}
	if got, ok := attrs[name]; !ok || got != value {
		return ctx, mismatch(fmt.Sprintf("attribute %s = %q", name, value), fmt.Sprintf("the attributes %v", attrs))
	}
	return ctx, nil
}

func scramClientWithoutAttribute(ctx context.Context, name string) (context.Context, error) {
	attrs, ctx, err := scramClientAttrs(ctx)
	if err != nil {
		return ctx, err
	}
	if _, ok := attrs[name]; ok {
		return ctx, mismatch(fmt.Sprintf("no attribute %s", name), fmt.Sprintf("the attributes %v", attrs))
	}
	return ctx, nil
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
