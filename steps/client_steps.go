package steps

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/session"
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

func newClientSpec() clientSpec {
	return clientSpec{version: target.MQTT5, clientID: session.NewClientID()}
}

// driven is c as the session driver takes it.
func (c clientSpec) driven() session.ClientSpec {
	return session.ClientSpec{
		Version:    c.version,
		ClientID:   c.clientID,
		Username:   session.Field{Set: c.username.set, Absent: c.username.absent, Value: c.username.value},
		Password:   session.Field{Set: c.password.set, Absent: c.password.absent, Value: c.password.value},
		TokenField: c.tokenField,
		AuthMethod: c.authMethod,
	}
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
	inst, err := st.speakingInstance(ctx)
	if err != nil {
		return stepError(ctx, err)
	}
	req, err := st.request()
	if err != nil {
		return stepError(ctx, err)
	}
	if err := st.connect(ctx, inst, req); err != nil {
		return ctx, err
	}
	return reports.AttachObserved(ctx, st.answer.Observed()), nil
}

// speakingInstance provisions the broker (scenario.instance); one that does
// not speak the client's protocol version makes the scenario not
// applicable.
func (st *scenario) speakingInstance(ctx context.Context) (target.Instance, error) {
	inst, err := st.instance(ctx)
	if err == nil && !target.Speaks(inst, st.client.version) {
		return nil, target.NotApplicable("%s", target.WhyNotSpoken(inst, st.client.version))
	}
	return inst, err
}

// connect sends the scenario client's CONNECT and keeps the answer and the
// session it opened.
func (st *scenario) connect(ctx context.Context, inst target.Instance, req client.Request) error {
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	answer, opened, err := client.Connect(cctx, inst.Dial, req, st.trace)
	var dialErr *client.DialError
	switch {
	case errors.As(err, &dialErr):
		return reports.Unreachable(err)
	case err != nil:
		return reports.HarnessError(err)
	}
	st.answer = &answer
	if opened != nil {
		st.sessions = append(st.sessions, opened)
	}
	return nil
}

// request builds the scenario client's CONNECT (requestFor), shaped by
// what the session steps need: the raw client when a definition of the
// scenario's steps drives the session (needRawSession), a Will, padding;
// the minted claims are kept for the expiry steps.
func (st *scenario) request() (client.Request, error) {
	req, claims, err := st.requestFor(st.client, st.token)
	if err != nil {
		return req, err
	}
	s := st.sessionOf()
	req.Wire = req.Wire || st.needs&needRawSession != 0
	req.Will, req.UserProperties, s.minted = s.will, s.userProps, claims
	return req, nil
}

// requestFor builds the CONNECT of client c carrying token (nil: none):
// defaults, then the token in its field, then whatever the scenario set
// explicitly. claims are the minted token's (nil without a token).
func (st *scenario) requestFor(c clientSpec, token *tokenSpec) (client.Request, map[string]any, error) {
	spec := c.driven()
	req := session.BaseRequest(spec)
	if token == nil {
		return req, nil, nil
	}
	auth, where, err := st.tokenAuthenticator(c, token)
	if err != nil {
		return req, nil, err
	}
	tok, claims, err := st.mintFor(auth, token, req.ClientID, session.ClaimsUsername(req, where))
	if err != nil {
		return req, nil, err
	}
	st.trace.Note("token (%d bytes) in the %s: %.120s", len(tok), where, tok)
	session.PlaceToken(&req, spec, where, tok)
	return req, claims, nil
}

// tokenAuthenticator is the JWT authenticator that verifies token, and the
// CONNECT field of c that carries it.
func (st *scenario) tokenAuthenticator(c clientSpec, token *tokenSpec) (target.Applied, string, error) {
	auth, _, err := st.jwtAuthenticator()
	if err == nil {
		err = st.loopbackRules(token)
	}
	if err != nil {
		return auth, "", err
	}
	return auth, session.TokenField(c.tokenField, auth.Config), nil
}

// mintFor mints token as auth verifies it, for the client clientID with
// username (rendered into the claims' placeholders).
func (st *scenario) mintFor(auth target.Applied, token *tokenSpec, clientID, username string) (string, map[string]any, error) {
	m := &mint{Auth: auth, Keys: st.keys, ClientID: clientID, Username: username, Spec: token, JWKS: mintingJWKS(st.jwks),
		TokenClaims: target.TokenClaimsOf(st.suite.Target)}
	if token.UsesClock() {
		session.WaitForFreshSecond()
	}
	m.Now = time.Now()
	tok, err := m.Build()
	if err != nil {
		return "", nil, fmt.Errorf("minting the token: %w", err)
	}
	return tok, m.Claims, nil
}
