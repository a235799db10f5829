package steps

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

func registerClientSteps(sc *registry) {
	sc.Given(`^the client speaks MQTT (5|3\.1\.1)$`, theClientSpeaks)
	// A fixed Client ID is shared state on a broker that runs scenarios
	// side by side (another client with it takes the session over); a
	// username or password is not.
	sc.Given(`^the client's (client ID) is "([^"]*)"$`, theClientsFieldIs, sharedBrokerState)
	sc.Given(`^the client's (username|password) is "([^"]*)"$`, theClientsFieldIs)
	sc.Given(`^the client sends no (username|password)$`, theClientSendsNo, quotedAsDefect)
	sc.Given(`^the client sends an empty password$`, theClientSendsEmptyPassword, quotedAsDefect)
	sc.Given(`^the client sends the token as its (password|username)$`, theClientSendsTheTokenAs, quotedAsDefect)
	sc.Given(`^the client's CONNECT carries Authentication-Method "([^"]+)"$`, theConnectCarriesAuthMethod, quotedAsDefect)
	sc.When(`^the client connects$`, theClientConnects)
}

// field is a CONNECT field a scenario may set, leave out, or leave at the
// default.
type field struct {
	set    bool // the scenario decided this field
	absent bool // ... to leave it out
	value  []byte
}

// clientSpec is the connecting client as the scenario describes it.
type clientSpec struct {
	version    target.Version
	clientID   string
	username   field
	password   field
	tokenField string // "password" or "username"; "" follows the authenticator's `from`
	authMethod string
}

// defaultUsername is sent unless the scenario says otherwise: most real
// clients send one, and JWT-SRC-01 says any Username is accepted.
const defaultUsername = "authspec"

func newClientSpec() clientSpec {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return clientSpec{version: target.MQTT5, clientID: "authspec-" + hex.EncodeToString(b)}
}

func theClientSpeaks(ctx context.Context, version string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if st.vpick.anyVersion {
		return fmt.Errorf("a scenario tagged %s runs on every version by itself: it must not choose MQTT %s", AnyVersionTag, version)
	}
	st.client.version = target.Version(version)
	return nil
}

func theClientsFieldIs(ctx context.Context, name, value string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	switch name {
	case "client ID":
		st.client.clientID = value
	case "username":
		st.client.username = field{set: true, value: []byte(value)}
	case "password":
		st.client.password = field{set: true, value: []byte(value)}
	}
	return nil
}

func theClientSendsNo(ctx context.Context, name string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if name == "username" {
		st.client.username = field{set: true, absent: true}
	} else {
		st.client.password = field{set: true, absent: true}
	}
	return nil
}

func theClientSendsEmptyPassword(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	st.client.password = field{set: true, value: []byte{}}
	return nil
}

func theClientSendsTheTokenAs(ctx context.Context, name string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	st.client.tokenField = name
	return nil
}

func theConnectCarriesAuthMethod(ctx context.Context, method string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if st.vpick.anyVersion {
		return fmt.Errorf("an Authentication-Method is MQTT 5 only: the scenario cannot be tagged %s", AnyVersionTag)
	}
	st.client.authMethod = method
	return nil
}

// theClientConnects provisions the broker, mints the token for it and
// connects; the answer is kept for the Then steps and its code attached to
// the report.
func theClientConnects(ctx context.Context) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	inst, err := st.instance(ctx)
	if err != nil {
		return stepError(ctx, err)
	}
	if !target.Speaks(inst, st.client.version) {
		return reports.NotApplicable(ctx, target.WhyNotSpoken(inst, st.client.version))
	}
	req, err := st.request()
	if err != nil {
		return stepError(ctx, err)
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	answer, session, err := client.Connect(cctx, inst.Dial, req, st.trace)
	var dialErr *client.DialError
	switch {
	case errors.As(err, &dialErr):
		return ctx, reports.Unreachable(err)
	case err != nil:
		return ctx, reports.HarnessError(err)
	}
	st.answer = &answer
	if session != nil {
		st.sessions = append(st.sessions, session)
	}
	return reports.AttachObserved(ctx, answer.Observed()), nil
}

// request builds the scenario client's CONNECT (requestFor), shaped by
// what the session steps need (a Will, the raw client; extState in session_steps.go).
func (st *scenario) request() (client.Request, error) {
	req, claims, err := st.requestFor(st.client, st.token)
	if err != nil {
		return req, err
	}
	st.extOf().shapeRequest(&req, claims)
	return req, nil
}

// requestFor builds the CONNECT of client c carrying token (nil: none):
// defaults, then the token in its field, then whatever the scenario set
// explicitly. claims are the minted token's (nil without a token).
func (st *scenario) requestFor(c clientSpec, token *tokenSpec) (client.Request, map[string]any, error) {
	req := client.Request{
		Version:     c.version,
		ClientID:    c.clientID,
		Username:    defaultUsername,
		HasUsername: true,
		AuthMethod:  c.authMethod,
		Label:       c.clientID,
	}
	apply := func(f field, value *[]byte, has *bool) {
		if f.set {
			*value, *has = f.value, !f.absent
		}
	}
	user := []byte(req.Username)
	apply(c.username, &user, &req.HasUsername)
	req.Username = string(user)
	apply(c.password, &req.Password, &req.HasPassword)

	if token == nil {
		return req, nil, nil
	}
	auth, _, err := st.jwtAuthenticator()
	if err != nil {
		return req, nil, err
	}
	if err := st.loopbackRules(token); err != nil {
		return req, nil, err
	}
	where := c.tokenField
	if where == "" {
		where, _ = auth.Config["from"].(string)
		if where == "" {
			where = "password"
		}
	}
	username := ""
	if req.HasUsername && where != "username" {
		username = req.Username
	}
	m := &mint{auth: auth, keys: st.keys, clientID: req.ClientID, username: username, spec: token, jwks: st.jwks,
		tokenClaims: target.TokenClaimsOf(st.suite.Target)}
	if token.usesClock() {
		waitForFreshSecond()
	}
	m.now = time.Now()
	tok, err := m.build()
	if err != nil {
		return req, nil, fmt.Errorf("minting the token: %w", err)
	}
	st.trace.Note("token (%d bytes) in the %s: %.120s", len(tok), where, tok)
	switch where {
	case "username":
		if !c.username.set {
			req.Username, req.HasUsername = tok, true
		}
	default:
		if !c.password.set {
			req.Password, req.HasPassword = []byte(tok), true
		}
	}
	return req, m.claims, nil
}

// waitForFreshSecond returns early in a second of the clock. Claims at the
// boundary (exp equal to now) are checked in whole seconds, so a token
// minted late in a second could be checked in the next one and test
// "exp < now" instead of "exp = now".
func waitForFreshSecond() {
	now := time.Now()
	if frac := time.Duration(now.Nanosecond()); frac > 600*time.Millisecond {
		time.Sleep(time.Second - frac + 5*time.Millisecond)
	}
}
