package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/forge"
	"github.com/authspec/authspec/steps/internal/scramdrive"
	"github.com/authspec/authspec/steps/internal/session"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// registerScramSteps binds the SCRAM steps (features/scram.feature and the
// SCRAM client of CHAIN-06). Every pattern names SCRAM, the backend or AUTH,
// so none overlaps another group's vocabulary. The exchanges, the backend's
// users and the checks are steps/internal/scramdrive's.
func registerScramSteps(sc *registry) {
	sc.After(scramAfter)

	// The credential backend.
	sc.Given(`^the SCRAM backend has user "([^"]*)" with password "([^"]*)"$`, backendUser)
	sc.Given(`^the SCRAM backend has user "([^"]*)" with the catalogue's documented answer for password "public"$`, backendDocumentedUser)
	sc.Given(`^the SCRAM backend's answer for "([^"]*)" has "([^"]+)": (.+)$`, backendAnswerField)
	sc.Given(`^the SCRAM backend's answer for "([^"]*)" lacks "([^"]+)"$`, backendAnswerLacks)
	sc.Given(`^the SCRAM backend's answer for "([^"]*)" writes the keys in (upper|lower) case and the salt in (upper|lower) case$`, backendAnswerCase)
	sc.Given(`^the SCRAM backend answers with status (\d{3})$`, backendStatus)
	sc.Given(`^the SCRAM backend answers with Content-Type "([^"]*)"$`, backendContentType)
	sc.Given(`^the SCRAM backend answers without a Content-Type$`, backendNoContentType)
	sc.Given(`^the SCRAM backend answers form-encoded$`, backendForm)
	sc.Given(`^the SCRAM backend answers with the body:$`, backendBody)
	sc.Given(`^the SCRAM backend answers after (\d+(?:\.\d+)?) seconds?$`, backendDelay)

	// How the client's next connection deviates from a correct exchange.
	sc.Given(`^the SCRAM client's CONNECT carries Authentication-Method "([^"]*)"$`, scramClientMethod)
	sc.Given(`^the SCRAM client's CONNECT carries no Authentication-Data$`, scramClientNoData)
	sc.Given(`^the SCRAM client's GS2 header is "([^"]*)"$`, scramClientGS2)
	sc.Given(`^the SCRAM client's (client-first|client-final) message is malformed: (\S+)$`, scramClientMalformed)
	sc.Given(`^the SCRAM client sends its client-final message in an AUTH with (Authentication-Method "[^"]*"|no Authentication-Method|reason code 0x[0-9A-Fa-f]{2})$`, scramClientFinalAuth)
	sc.Given(`^the SCRAM client pauses longer than the broker's idle timeout before its client-final message$`, scramClientPauses)

	// Connecting, re-authenticating, odd AUTH packets.
	sc.When(`^the SCRAM client connects as "([^"]*)" with password "([^"]*)"$`, scramClientConnects)
	sc.When(`^the SCRAM client re-authenticates as "([^"]*)" with password "([^"]*)"$`, scramReauthenticates)
	sc.When(`^the SCRAM client starts a re-authentication as "([^"]*)"$`, scramStartsReauth)
	sc.When(`^the SCRAM client sends AUTH (0x[0-9A-Fa-f]{2}) with (the connection's Authentication-Method|Authentication-Method "[^"]*"|no Authentication-Method)$`, scramSendsAuth)

	registerScramOutcomeSteps(sc)
}

// scramScenario is the SCRAM side of a scenario: the credential backend
// the suite serves (started on first use, resources.go), the users and
// answer shapes the scenario gives it, how the client's next attempt
// deviates from a correct exchange, and what the exchanges observed.
type scramScenario struct {
	backend *scrambackend.Server
	users   scramdrive.Users
	force   *scrambackend.Reply // shapes every answer, whoever asks

	attempt scramdrive.Attempt   // deviations of the next connection only
	last    *scramdrive.Exchange // the last CONNECT's exchange
	conn    *mqttwire.Conn       // the last accepted SCRAM connection
	reauth  *scramdrive.Reauth   // the last re-authentication on conn
	noted   int                  // backend requests already written to the packet trace
}

// scramOf returns the scenario's SCRAM state, creating it on first use (a
// scenario may connect a SCRAM client without running a backend, e.g. to
// an unreachable url).
func (st *scenario) scramOf() *scramScenario {
	if st.scram == nil {
		st.scram = &scramScenario{}
	}
	return st.scram
}

// scramAfter stops the backend: hanging and delayed answers are abandoned.
// The accepted SCRAM connections are in st.sessions, which the suite's own
// After hook closes.
func scramAfter(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.scram == nil || st.scram.backend == nil {
		return ctx, nil
	}
	b := st.scram.backend
	st.scram.backend = nil
	if cerr := b.Close(); cerr != nil {
		return ctx, reports.HarnessError(fmt.Errorf("stopping the SCRAM backend: %w", cerr))
	}
	return ctx, nil
}

func scramState(ctx context.Context) (*scenario, *scramScenario, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, err
	}
	return st, st.scramOf(), nil
}

// withScram runs change on the scenario's SCRAM state.
func withScram(ctx context.Context, change func(*scramScenario) error) error {
	_, sc, err := scramState(ctx)
	if err != nil {
		return err
	}
	return change(sc)
}

// withBackend runs f on the SCRAM state of the scenario, its backend
// started on first use (resources.go).
func withBackend(ctx context.Context, f func(*scramScenario) error) error {
	st, sc, err := scramState(ctx)
	if err != nil {
		return err
	}
	if _, err := st.scramBackend(); err != nil {
		return err
	}
	return f(sc)
}

// changeUser changes how the backend describes the user called name.
func changeUser(ctx context.Context, name string, change func(*scramdrive.User)) error {
	return withBackend(ctx, func(sc *scramScenario) error {
		change(sc.users.Get(name))
		return nil
	})
}

func backendUser(ctx context.Context, name, password string) error {
	return changeUser(ctx, name, func(u *scramdrive.User) { u.Password = password })
}

func backendDocumentedUser(ctx context.Context, name string) error {
	return changeUser(ctx, name, func(u *scramdrive.User) { u.Password, u.Documented = "public", true })
}

// backendAnswerField sets one field of the user's answer; the value is
// JSON (see answerValue) and is checked now, so a typo fails the step.
func backendAnswerField(ctx context.Context, name, field, value string) error {
	return withBackend(ctx, func(sc *scramScenario) error {
		if _, err := answerValue(value, time.Now()); err != nil {
			return fmt.Errorf("the answer's %q: %w", field, err)
		}
		sc.users.Get(name).Fields[field] = value
		return nil
	})
}

func backendAnswerLacks(ctx context.Context, name, field string) error {
	return changeUser(ctx, name, func(u *scramdrive.User) { u.Lacks = append(u.Lacks, field) })
}

func backendAnswerCase(ctx context.Context, name, keys, salt string) error {
	return changeUser(ctx, name, func(u *scramdrive.User) { u.KeysCase, u.SaltCase = keys, salt })
}

// shapeReply changes the reply every answer follows.
func shapeReply(ctx context.Context, change func(*scrambackend.Reply)) error {
	return withBackend(ctx, func(sc *scramScenario) error {
		if sc.force == nil {
			sc.force = &scrambackend.Reply{}
		}
		change(sc.force)
		return nil
	})
}

func backendStatus(ctx context.Context, status int) error {
	return shapeReply(ctx, func(r *scrambackend.Reply) { r.Status = status })
}

func backendContentType(ctx context.Context, ct string) error {
	return shapeReply(ctx, func(r *scrambackend.Reply) { r.ContentType = ct })
}

func backendNoContentType(ctx context.Context) error {
	return shapeReply(ctx, func(r *scrambackend.Reply) { r.NoContentType = true })
}

func backendForm(ctx context.Context) error {
	return shapeReply(ctx, func(r *scrambackend.Reply) { r.Form = true })
}

func backendBody(ctx context.Context, doc *godog.DocString) error {
	return shapeReply(ctx, func(r *scrambackend.Reply) { r.Body = []byte(doc.Content) })
}

func backendDelay(ctx context.Context, seconds string) error {
	d, err := time.ParseDuration(seconds + "s")
	if err != nil {
		return err
	}
	return shapeReply(ctx, func(r *scrambackend.Reply) { r.Delay = d })
}

// answerValue reads an answer field's value as a scenario writes it: JSON,
// where NOW, NOW+N, NOW-N (Unix seconds) and NOW_MS+N (Unix milliseconds)
// are rendered first, so `NOW+60` is a number and `"NOW+60"` a string.
func answerValue(text string, now time.Time) (any, error) {
	text = scramdrive.RenderMillis(text, now)
	rendered, err := forge.RenderNow(text, now)
	if err != nil {
		return nil, err
	}
	var v any
	if err := decodeJSON([]byte(rendered), &v); err != nil {
		return nil, fmt.Errorf("%s: %w", text, err)
	}
	return v, nil
}

func scramClientMethod(ctx context.Context, method string) error {
	return withScram(ctx, func(sc *scramScenario) error { sc.attempt.Method = method; return nil })
}

func scramClientNoData(ctx context.Context) error {
	return withScram(ctx, func(sc *scramScenario) error { sc.attempt.NoData = true; return nil })
}

func scramClientGS2(ctx context.Context, header string) error {
	return withScram(ctx, func(sc *scramScenario) error { sc.attempt.GS2Header = header; return nil })
}

// scramClientMalformed names a malformation of fixtures/scramclient; the
// message it names must be the one the malformation breaks.
func scramClientMalformed(ctx context.Context, message, kind string) error {
	return withScram(ctx, func(sc *scramScenario) error { return sc.attempt.Malform(message, kind) })
}

func scramClientFinalAuth(ctx context.Context, how string) error {
	return withScram(ctx, func(sc *scramScenario) error {
		if hexCode, ok := strings.CutPrefix(how, "reason code "); ok {
			code, err := verify.ParseCode(hexCode)
			sc.attempt.FinalCode = &code
			return err
		}
		method := quotedMethod(how)
		sc.attempt.FinalMethod = &method
		return nil
	})
}

func scramClientPauses(ctx context.Context) error {
	return withScram(ctx, func(sc *scramScenario) error { sc.attempt.PauseIdle = true; return nil })
}

func scramClientConnects(ctx context.Context, user, password string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	return st.scramConnect(ctx, user, password)
}

// scramReauthenticates runs a whole re-authentication (SCRAM-23): AUTH
// 0x19, the broker's AUTH 0x18, the client-final in AUTH 0x18, and the
// broker's AUTH 0x00 or DISCONNECT.
func scramReauthenticates(ctx context.Context, user, password string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	r, err := st.startReauth(cctx, user, password)
	if err != nil || !r.Pending() {
		return err // no server-first: the Then steps say what came instead
	}
	return scramStepErr(r.Finish(cctx, st.scram.conn, st.scram.last.Method))
}

func scramStartsReauth(ctx context.Context, user string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	r, err := st.startReauth(cctx, user, "")
	if err != nil {
		return err
	}
	return r.Continued()
}

// scramSendsAuth sends one AUTH on the connected client. Its data is the
// pending re-authentication's client-final message when the broker's
// server-first came, else a new client-first message for the connection's
// user.
func scramSendsAuth(ctx context.Context, hexCode, how string) error {
	st, sc, err := scramState(ctx)
	if err != nil {
		return err
	}
	data, err := sc.nextAuthData()
	if err != nil {
		return err
	}
	code, err := verify.ParseCode(hexCode)
	if err != nil {
		return err
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return sc.conn.SendAuth(cctx, code, authMethod(how, sc.last.Method), data)
}

// nextAuthData is the data of the next AUTH on the accepted connection
// (scramdrive.Exchange.NextAuthData).
func (sc *scramScenario) nextAuthData() ([]byte, error) {
	if err := sc.accepted("sends an AUTH"); err != nil {
		return nil, err
	}
	return sc.last.NextAuthData(sc.reauth)
}

// authMethod is the method an AUTH step names: the connection's, another
// (`Authentication-Method "X"`) or none.
func authMethod(how, connection string) string {
	if how == "the connection's Authentication-Method" {
		return connection
	}
	return quotedMethod(how)
}

// quotedMethod reads `Authentication-Method "X"` as X and
// `no Authentication-Method` as "".
func quotedMethod(how string) string {
	method, ok := strings.CutPrefix(how, `Authentication-Method "`)
	if !ok {
		return ""
	}
	return strings.TrimSuffix(method, `"`)
}

// scramConnect provisions the broker, gives the backend its users and runs
// one SCRAM CONNECT as the scenario describes it. The answer goes where the
// shared outcome steps read it (st.answer); the exchange is kept for the
// SCRAM observation steps. The attempt's deviations are used up.
func (st *scenario) scramConnect(ctx context.Context, user, password string) (context.Context, error) {
	sc := st.scramOf()
	attempt := sc.attempt
	sc.attempt = scramdrive.Attempt{}
	ctx, inst, settings, err := st.scramTarget(ctx)
	if err != nil {
		return ctx, err
	}
	x, answer, err := scramdrive.Connect(ctx, inst, scramdrive.Params{
		User: user, Password: password, Algorithm: settings.Algorithm, Attempt: attempt,
		Connect: st.scramConnectFields(), Timeout: st.suite.timeout(),
		Backend: sc.backend, Trace: st.trace, ExpireAt: sc.users.ExpireAt(user),
	})
	return st.scramRecord(ctx, x, answer, err)
}

// scramTarget provisions the broker for a SCRAM CONNECT and gives the
// backend its users, whose keys the authenticator's settings decide.
func (st *scenario) scramTarget(ctx context.Context) (context.Context, target.Instance, scramdrive.Settings, error) {
	var none scramdrive.Settings
	inst, err := st.instance(ctx)
	if err != nil {
		ctx, err = stepError(ctx, err)
		return ctx, nil, none, err
	}
	if !target.Speaks(inst, target.MQTT5) {
		ctx, err = reports.NotApplicable(ctx, "SCRAM needs MQTT 5, which the target does not speak")
		return ctx, nil, none, err
	}
	settings, err := scramdrive.AuthenticatorSettings(inst.Authenticators())
	if err != nil {
		return ctx, nil, none, err
	}
	return ctx, inst, settings, reports.HarnessError(st.scramOf().push(settings))
}

// push gives the backend the scenario's users and answer shapes, their
// fields rendered now.
func (sc *scramScenario) push(settings scramdrive.Settings) error {
	now := time.Now()
	value := func(text string) (any, error) { return answerValue(text, now) }
	return scramdrive.Push(sc.backend, sc.users, sc.force, settings, value)
}

// scramConnectFields are the SCRAM CONNECT's client ID, user name and
// password as the scenario's client sets them (session.BaseRequest).
func (st *scenario) scramConnectFields() mqttwire.Connect {
	req := session.BaseRequest(st.client.driven())
	return mqttwire.Connect{ClientID: req.ClientID, Username: req.Username, HasUsername: req.HasUsername,
		Password: req.Password, HasPassword: req.HasPassword}
}

// scramRecord keeps what a SCRAM CONNECT observed: the exchange for the
// SCRAM steps, the answer for the shared outcome steps, an accepted
// connection for later steps and the clean-up.
func (st *scenario) scramRecord(ctx context.Context, x *scramdrive.Exchange, answer client.Answer, err error) (context.Context, error) {
	sc := st.scramOf()
	if x != nil {
		sc.last = x
		sc.noted = scramdrive.NoteRequests(st.trace, sc.backend, sc.noted)
	}
	if err != nil {
		return ctx, scramStepErr(err)
	}
	st.answer = &answer
	if answer.Accepted() {
		sc.conn, sc.reauth = x.Conn, nil
		st.sessions = append(st.sessions, client.NewWireSession(x.Conn))
	}
	return reports.AttachObserved(ctx, answer.Observed()), nil
}

// startReauth sends AUTH 0x19 with a new client-first message on the
// accepted connection and waits for the broker's next packet.
func (st *scenario) startReauth(ctx context.Context, user, password string) (*scramdrive.Reauth, error) {
	sc := st.scramOf()
	if err := sc.accepted("re-authenticates"); err != nil {
		return nil, err
	}
	r, err := scramdrive.NewReauth(sc.last.Algorithm, user, password)
	if err != nil {
		return nil, err
	}
	sc.reauth = r
	err = r.Start(ctx, sc.conn, sc.last.Method)
	sc.noted = scramdrive.NoteRequests(st.trace, sc.backend, sc.noted)
	return r, scramStepErr(err)
}

// accepted checks that a SCRAM client was accepted before the scenario
// does something on its connection.
func (sc *scramScenario) accepted(doing string) error {
	if sc.conn == nil || sc.last == nil {
		return fmt.Errorf("the scenario %s before a SCRAM client was accepted", doing)
	}
	return nil
}

// scramStepErr turns a driver error into a step's: an unreachable broker
// and a harness problem are marked as such; a Mismatch or a scenario
// defect stays as it is.
func scramStepErr(err error) error {
	var dial *client.DialError
	var h *scramdrive.HarnessError
	switch {
	case errors.As(err, &dial):
		return reports.Unreachable(err)
	case errors.As(err, &h):
		return reports.HarnessError(h.Err)
	}
	return err
}
