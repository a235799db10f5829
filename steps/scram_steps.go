package steps

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/scram"
)

// registerScramSteps binds the SCRAM steps (features/scram.feature and the
// SCRAM client of CHAIN-06). Every pattern names SCRAM, the backend or AUTH,
// so none overlaps another group's vocabulary.
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
	registerScramBackendChecks(sc)
}

func scramState(ctx context.Context) (*scenario, *scramScenario, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, err
	}
	return st, st.scramOf(), nil
}

// withScram runs change on the scenario's SCRAM state.
func withScram(ctx context.Context, change func(*scramScenario)) error {
	_, sc, err := scramState(ctx)
	if err != nil {
		return err
	}
	change(sc)
	return nil
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
func changeUser(ctx context.Context, name string, change func(*scramUser)) error {
	return withBackend(ctx, func(sc *scramScenario) error {
		change(sc.user(name))
		return nil
	})
}

func backendUser(ctx context.Context, name, password string) error {
	return changeUser(ctx, name, func(u *scramUser) { u.password = password })
}

func backendDocumentedUser(ctx context.Context, name string) error {
	return changeUser(ctx, name, func(u *scramUser) { u.password, u.documented = "public", true })
}

// backendAnswerField sets one field of the user's answer; the value is
// JSON (see answerValue) and is checked now, so a typo fails the step.
func backendAnswerField(ctx context.Context, name, field, value string) error {
	return withBackend(ctx, func(sc *scramScenario) error {
		if _, err := answerValue(value, time.Now()); err != nil {
			return fmt.Errorf("the answer's %q: %w", field, err)
		}
		sc.user(name).fields[field] = value
		return nil
	})
}

func backendAnswerLacks(ctx context.Context, name, field string) error {
	return changeUser(ctx, name, func(u *scramUser) { u.lacks = append(u.lacks, field) })
}

func backendAnswerCase(ctx context.Context, name, keys, salt string) error {
	return changeUser(ctx, name, func(u *scramUser) { u.keysCase, u.saltCase = keys, salt })
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

func scramClientMethod(ctx context.Context, method string) error {
	return withScram(ctx, func(sc *scramScenario) { sc.attempt.method = method })
}

func scramClientNoData(ctx context.Context) error {
	return withScram(ctx, func(sc *scramScenario) { sc.attempt.noData = true })
}

func scramClientGS2(ctx context.Context, header string) error {
	return withScram(ctx, func(sc *scramScenario) { sc.attempt.gs2Header = header })
}

// scramClientMalformed names a malformation of fixtures/scramclient; the
// message it names must be the one the malformation breaks.
func scramClientMalformed(ctx context.Context, message, kind string) error {
	_, sc, err := scramState(ctx)
	if err != nil {
		return err
	}
	m := scramclient.Malformation(kind)
	if !slices.Contains(scramclient.Malformations(), m) {
		return fmt.Errorf("unknown SCRAM malformation %q (known: %v)", kind, scramclient.Malformations())
	}
	_, notFirst := scramclient.MalformedClientFirst(m, "u", "nonce")
	switch {
	case message == "client-first" && notFirst == nil:
		sc.attempt.firstBroken = m
	case message == "client-final" && notFirst != nil:
		sc.attempt.finalBroken = m
	default:
		return fmt.Errorf("%q is not a %s malformation", kind, message)
	}
	return nil
}

func scramClientFinalAuth(ctx context.Context, how string) error {
	_, sc, err := scramState(ctx)
	if err != nil {
		return err
	}
	if hexCode, ok := strings.CutPrefix(how, "reason code 0x"); ok {
		code, err := strconv.ParseUint(hexCode, 16, 8)
		if err != nil {
			return err
		}
		c := byte(code)
		sc.attempt.finalCode = &c
		return nil
	}
	method := quotedMethod(how)
	sc.attempt.finalMethod = &method
	return nil
}

func scramClientPauses(ctx context.Context) error {
	return withScram(ctx, func(sc *scramScenario) { sc.attempt.pauseIdle = true })
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
	if err != nil || r.final == nil {
		return err // no server-first: the Then steps say what came instead
	}
	sc := st.scram
	if err := sc.conn.SendAuth(cctx, mqttwire.AuthContinue, sc.last.method, r.final); err != nil {
		return err
	}
	return r.next(cctx, sc.conn)
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
	if r.final == nil {
		return mismatch("AUTH 0x18 answering the re-authentication", r.describe())
	}
	return nil
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
	if sc.conn == nil || sc.last == nil {
		return fmt.Errorf("the scenario sends an AUTH before a SCRAM client was accepted")
	}
	code, err := strconv.ParseUint(hexCode[2:], 16, 8)
	if err != nil {
		return err
	}
	method := sc.last.method
	if how != "the connection's Authentication-Method" {
		method = quotedMethod(how)
	}
	var data []byte
	if r := sc.reauth; r != nil && r.final != nil {
		data = r.final
	} else {
		conv, err := scram.NewClient(sc.last.alg, sc.last.user, sc.last.password)
		if err != nil {
			return err
		}
		data = conv.First()
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	return sc.conn.SendAuth(cctx, byte(code), method, data)
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
