package scramhttp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/scram"
)

// ID is EMQX's authenticator ID for this mechanism and backend.
const ID = "scram:http"

// Authenticator is the SCRAM authenticator with an HTTP backend. It is safe
// for concurrent use by every connection of the broker.
type Authenticator struct {
	cfg       Config
	env       authn.Env
	defects   defects // deliberate defects (self-test only)
	request   requestTemplate
	client    *http.Client
	transport *http.Transport
}

var (
	_ authn.Authenticator   = (*Authenticator)(nil)
	_ authn.Reauthenticator = (*Authenticator)(nil)
)

// New builds the authenticator from EMQX's JSON configuration.
func New(raw json.RawMessage, env authn.Env, opts ...Option) (authn.Authenticator, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := ParseConfig(raw)
	if err != nil {
		return nil, err
	}
	rt, err := parseRequestTemplate(cfg, o.defects)
	if err != nil {
		return nil, fmt.Errorf("scram/http config: %w", err)
	}
	tlsConf, err := cfg.SSL.tlsConfig(env.Profile)
	if err != nil {
		return nil, fmt.Errorf("scram/http config: %w", err)
	}
	transport := &http.Transport{
		Proxy:               nil, // the backend is reached directly, never through $HTTP_PROXY
		DialContext:         (&net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     tlsConf,
		TLSHandshakeTimeout: cfg.ConnectTimeout,
		// EMQX keeps pool_size connections to the backend.
		MaxIdleConns:        cfg.PoolSize,
		MaxIdleConnsPerHost: cfg.PoolSize,
		IdleConnTimeout:     30 * time.Second,
		// EMQX sends no accept-encoding; Go would add gzip.
		DisableCompression: true,
	}
	client := &http.Client{
		Transport: transport,
		// A 3xx is an answer other than 200 (SCRAM-05), not a hop to follow.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Authenticator{cfg: cfg, env: env, defects: o.defects, request: rt, client: client, transport: transport}, nil
}

// ID returns "scram:http".
func (a *Authenticator) ID() string { return ID }

// Enabled is the configuration's `enable` (default true); the chain skips a
// disabled authenticator.
func (a *Authenticator) Enabled() bool { return a.cfg.Enable }

// Precondition is the configuration's `precondition` expression ("" when
// none), which the chain evaluates (CHAIN-04).
func (a *Authenticator) Precondition() string { return a.cfg.Precondition }

// Config returns the parsed configuration.
func (a *Authenticator) Config() Config { return a.cfg }

// Close releases the idle backend connections.
func (a *Authenticator) Close() error {
	a.transport.CloseIdleConnections()
	return nil
}

// Authenticate handles a CONNECT. It ignores clients that are not SCRAM
// clients of this authenticator's hash (SCRAM-08, -19, CHAIN-06), refuses a
// malformed client-first message with 0x87 (SCRAM-09), asks the backend for
// the user's credentials (SCRAM-02, -10..-13) and answers Continue with the
// server-first message.
func (a *Authenticator) Authenticate(ctx context.Context, c *clientinfo.Client) authn.Result {
	f := a.defects
	if c.Protocol < 5 {
		if f.v311BadCredentials {
			return a.deny(authn.CodeBadUserNameOrPass, "protocol", "MQTT 3.1.1 client refused")
		}
		return a.ignore("protocol", "SCRAM serves MQTT 5 clients only")
	}
	if c.AuthMethod == "" {
		if f.denyWithoutAuthMethod {
			return a.deny(authn.CodeNotAuthorized, "auth-method", "no Authentication-Method")
		}
		return a.ignore("auth-method", "no Authentication-Method")
	}
	if c.AuthMethod != a.cfg.Algorithm.Method() &&
		!(f.anyScramMethod && strings.HasPrefix(c.AuthMethod, "SCRAM-")) {
		return a.ignore("auth-method", fmt.Sprintf("Authentication-Method %q is not %s", c.AuthMethod, a.cfg.Algorithm.Method()))
	}
	// A zero-length Authentication-Data is treated as absent: the Client
	// model cannot tell them apart, and EMQX refuses both with 0x87 when
	// SCRAM is alone.
	if len(c.AuthData) == 0 {
		return a.ignore("auth-data", "no Authentication-Data")
	}
	return a.start(ctx, c)
}

// Reauthenticate handles the client-first message of an AUTH 0x19 from a
// connected client (SCRAM-23): the same flow as a CONNECT. The broker checks
// that the method matches the connection's (SCRAM-20).
func (a *Authenticator) Reauthenticate(ctx context.Context, c *clientinfo.Client) authn.Result {
	if a.defects.reauthRefused {
		return a.deny(authn.CodeNotAuthorized, "reauth", "re-authentication not supported")
	}
	return a.Authenticate(ctx, c)
}

// start runs the client-first step.
func (a *Authenticator) start(ctx context.Context, c *clientinfo.Client) authn.Result {
	srv, err := scram.NewServer(a.cfg.Algorithm, a.serverOptions()...)
	if err != nil {
		return a.deny(authn.CodeNotAuthorized, "internal", err.Error())
	}
	first, err := srv.ReadClientFirst(c.AuthData)
	if err != nil {
		return a.deny(authn.CodeNotAuthorized, "malformed-client-first", err.Error())
	}
	ans, bad := a.fetch(ctx, c, first.User)
	if bad != nil {
		return a.ignore(bad.check, bad.detail)
	}
	switch ans.result { // set only under ScramHonourResultField
	case "deny":
		return a.deny(authn.CodeNotAuthorized, "backend-result", `answer says "deny"`)
	case "ignore":
		return a.ignore("backend-result", `answer says "ignore"`)
	}
	creds := scram.Credentials{
		Salt:       ans.salt,
		Iterations: a.cfg.IterationCount, // SCRAM-03: the answer cannot change it
		StoredKey:  ans.storedKey,
		ServerKey:  ans.serverKey,
	}
	if ans.iterationCount > 0 {
		creds.Iterations = ans.iterationCount // ScramIterationFromAnswer
	}
	if a.defects.saltAsText {
		creds.Salt = []byte(ans.saltText)
	}
	serverFirst, err := srv.ServerFirst(creds)
	if err != nil {
		return a.ignore("backend-keys", err.Error())
	}
	ex := &exchange{auth: a, server: srv, identity: ans.identity, client: *c, user: first.User}
	return a.log(authn.Result{
		Outcome:       authn.Continue,
		Authenticator: ID,
		Check:         "client-first",
		Detail:        "user " + first.User,
		AuthData:      serverFirst,
		Next:          ex,
	})
}

// fetch does the one HTTP request of an attempt and reads the answer.
func (a *Authenticator) fetch(ctx context.Context, c *clientinfo.Client, user string) (answer, *failure) {
	reqCtx := ctx
	if !a.defects.noRequestTimeout {
		var cancel context.CancelFunc
		reqCtx, cancel = context.WithTimeout(ctx, a.cfg.RequestTimeout)
		defer cancel()
	}
	if a.defects.usernameFromConnect {
		user = c.Username
	}
	vars := requestVariables(c, user)
	req, err := a.request.build(reqCtx, vars, a.defects)
	if err != nil {
		return answer{}, fail("backend-request", "building the request: %v", err)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return answer{}, fail("backend-timeout", "no answer within request_timeout %s", a.cfg.RequestTimeout)
		}
		return answer{}, fail("backend-request", "%v", err)
	}
	defer resp.Body.Close()
	ans, bad := readAnswer(resp, a.env.Clock(), a.defects)
	if bad != nil && bad.check == "backend-read" && errors.Is(reqCtx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
		bad.check = "backend-timeout"
	}
	return ans, bad
}

func (a *Authenticator) serverOptions() []scram.ServerOption {
	var opts []scram.ServerOption
	f := a.defects
	if f.acceptChannelBinding {
		opts = append(opts, scram.AcceptChannelBinding())
	}
	if f.skipFinalNonceCheck {
		opts = append(opts, scram.SkipNonceCheck())
	}
	if f.skipProofCheck {
		opts = append(opts, scram.SkipProofCheck())
	}
	if f.wrongServerSignature {
		opts = append(opts, scram.SignWithStoredKey())
	}
	return opts
}

// ignore passes the client on. It is never a backend failure in the sense
// of the hardened profile: SCRAM-05 says ignore under both profiles.
func (a *Authenticator) ignore(check, detail string) authn.Result {
	return a.log(authn.Result{Outcome: authn.Ignore, Authenticator: ID, Check: check, Detail: detail})
}

func (a *Authenticator) deny(code byte, check, detail string) authn.Result {
	return a.log(authn.Result{Outcome: authn.Deny, Code: code, Authenticator: ID, Check: check, Detail: detail})
}

// log records a decision at debug level; the broker logs the chain's
// decision itself.
func (a *Authenticator) log(r authn.Result) authn.Result {
	a.env.Logger().Debug("scram step", "authenticator", ID, "outcome", r.Outcome.String(),
		"code", fmt.Sprintf("0x%02X", r.Code), "check", r.Check, "detail", r.Detail)
	return r
}
