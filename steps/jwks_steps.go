package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
)

func registerJWKSSteps(sc *registry) {
	// What the endpoint serves.
	sc.Step(`^the JWKS endpoint serves an? (\S+) key "([^"]+)"$`, endpointServesKey)
	sc.Step(`^the JWKS endpoint serves these keys:$`, endpointServesKeys)
	sc.Step(`^the JWKS endpoint serves the jwcrypto recipe's key set of (\d+) keys$`, endpointServesRecipe)
	sc.Step(`^the JWKS endpoint also serves an oct key "([^"]+)" holding the secret "([^"]+)"$`, endpointServesOct)
	sc.Step(`^the JWKS endpoint stops serving key "([^"]+)"$`, endpointStopsServing)

	// How it answers.
	sc.Step(`^the JWKS endpoint answers with its key set(?: and status (\d{3}))?$`, endpointAnswersWithSet)
	sc.Step(`^the JWKS endpoint answers with an empty key set$`, endpointAnswersEmpty)
	sc.Step(`^the JWKS endpoint answers with its first key alone, not in a set$`, endpointAnswersSingleJWK)
	sc.Step(`^the JWKS endpoint answers with (?:status (\d{3}) and )?a body that is not JSON$`, endpointAnswersNotJSON)
	sc.Step(`^the JWKS endpoint answers with the document (.+)$`, endpointAnswersDocument)
	sc.Step(`^the JWKS endpoint resets every connection$`, endpointResets)
	sc.Step(`^the JWKS endpoint does not answer$`, endpointHangs)

	// The broker's fetches, as the endpoint sees them.
	sc.Step(`^the broker (?:has fetched|fetches|has tried to fetch) the key set(?: again)?$`, brokerFetches)
	sc.Then(`^the broker does not fetch the key set again within (\d+(?:\.\d+)?) seconds?$`, brokerDoesNotFetchWithin)
	sc.Then(`^the broker has not fetched the key set since the endpoint changed$`, brokerHasNotFetchedSinceChange)
	sc.Then(`^every JWKS request carries these headers:$`, everyJWKSRequestCarries)

	// Tokens.
	sc.Step(`^the token is signed by JWKS key "([^"]+)"$`, signedByJWKSKey, quotedAsDefect)
	sc.Given(`^the token is signed by a key that is not in the JWKS set$`, signedByKeyNotInSet, quotedAsDefect)
	sc.Given(`^the token is an (HS256|HS384|HS512) token keyed with the secret of oct key "([^"]+)"$`, hmacWithOctKey, quotedAsDefect)

	// Creating an authenticator against an endpoint that does not answer.
	sc.When(`^the authenticator is created while the JWKS endpoint does not answer:$`, createdWhileEndpointHangs, reconfiguresBroker)
}

// jwksOf returns the scenario's JWKS endpoint, starting it on first use
// (resources.go).
func jwksOf(ctx context.Context) (*scenario, *jwksFixture, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, err
	}
	f, err := st.jwksEndpoint()
	if err != nil {
		return nil, nil, err
	}
	return st, f, nil
}

func endpointServesKey(ctx context.Context, alg, name string) error {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	k, err := f.define(name, alg)
	if err != nil {
		return err
	}
	return f.publish(k)
}

// endpointServesKeys takes a table | kid | alg | jwk alg | use |: the JWK's
// own "alg" and "use" members may differ from what the key signs with
// (JWT-JWKS-01: the broker does not use them).
func endpointServesKeys(ctx context.Context, table *godog.Table) error {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	rows, err := tableRows(table, "kid", "alg")
	if err != nil {
		return err
	}
	for _, row := range rows {
		k, err := f.define(row["kid"], row["alg"])
		if err != nil {
			return err
		}
		k.jwkAlg, k.use = row["jwk alg"], row["use"]
		if err := f.publish(k); err != nil {
			return err
		}
	}
	return nil
}

// endpointServesRecipe serves the set the JWKS article's jwcrypto recipe
// produces: RSA keys with "alg": "RSA256" (not a JWS name), "use": "sig"
// and string kids "1".."n" (JWT-JWKS-06).
func endpointServesRecipe(ctx context.Context, n int) error {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	if n < 1 || n > 8 {
		return fmt.Errorf("the recipe's key set takes 1 to 8 keys here, not %d", n)
	}
	for i := 1; i <= n; i++ {
		k, err := f.define(strconv.Itoa(i), "RS256")
		if err != nil {
			return err
		}
		k.jwkAlg, k.use = "RSA256", "sig"
		if err := f.publish(k); err != nil {
			return err
		}
	}
	return nil
}

func endpointServesOct(ctx context.Context, name, secret string) error {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	f.serveOct(name, secret)
	return nil
}

func endpointStopsServing(ctx context.Context, name string) error {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	return f.unserve(name)
}

// answerWith sets how the endpoint answers every fetch from now on (a
// hanging answer in progress then ends with the new one).
func answerWith(ctx context.Context, set func(*jwksserver.Server)) error {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	set(f.srv)
	return nil
}

// statusOr200 reads an optional status code: 200 when the scenario names
// none.
func statusOr200(status string) int {
	if status == "" {
		return http.StatusOK
	}
	code, _ := strconv.Atoi(status)
	return code
}

func endpointAnswersWithSet(ctx context.Context, status string) error {
	return answerWith(ctx, func(s *jwksserver.Server) { s.ServeKeysWithStatus(statusOr200(status)) })
}

func endpointAnswersEmpty(ctx context.Context) error {
	return answerWith(ctx, (*jwksserver.Server).ServeEmptySet)
}

func endpointAnswersSingleJWK(ctx context.Context) error {
	return answerWith(ctx, (*jwksserver.Server).ServeSingleJWK)
}

// notJSONBody is what a misconfigured proxy answers.
var notJSONBody = []byte("<html><body>502 Bad Gateway</body></html>")

func endpointAnswersNotJSON(ctx context.Context, status string) error {
	return answerWith(ctx, func(s *jwksserver.Server) { s.ServeRaw(statusOr200(status), "application/json", notJSONBody) })
}

func endpointAnswersDocument(ctx context.Context, doc string) error {
	return answerWith(ctx, func(s *jwksserver.Server) {
		s.ServeRaw(http.StatusOK, "application/json", []byte(strings.TrimSpace(doc)))
	})
}

func endpointResets(ctx context.Context) error {
	return answerWith(ctx, (*jwksserver.Server).ResetConnections)
}

func endpointHangs(ctx context.Context) error {
	return answerWith(ctx, (*jwksserver.Server).Hang)
}

// refreshWait is the JWT authenticator's effective refresh interval: the
// configured refresh_interval (EMQX's default 300 s when absent) raised to
// the target's floor.
func (st *scenario) refreshWait() time.Duration {
	interval := 300 * time.Second
	if a, _, err := st.jwtAuthenticator(); err == nil {
		if v, ok := a.Config["refresh_interval"]; ok {
			if secs, err := strconv.ParseFloat(fmt.Sprint(v), 64); err == nil && secs > 0 {
				interval = time.Duration(secs * float64(time.Second))
			}
		}
	}
	return max(interval, target.JWKSRefreshFloor(st.suite.Target, st.setup))
}

// refreshInterval is the JWT authenticator's refresh_interval as
// configured, for messages.
func (st *scenario) refreshInterval() string {
	if st.inst == nil {
		return "?"
	}
	a, _, err := st.jwtAuthenticator()
	if err != nil {
		return "?"
	}
	if v, ok := a.Config["refresh_interval"]; ok {
		return fmt.Sprint(v)
	}
	return "300 (default)"
}

// brokerFetches waits for the broker's next fetch of the key set after the
// endpoint last changed: its first one when nothing changed yet. A broker
// that does not fetch within the step's bound breaks the refresh schedule
// (JWT-JWKS-02, -11).
func brokerFetches(ctx context.Context) (context.Context, error) {
	st, f, err := jwksOf(ctx)
	if err != nil {
		return ctx, err
	}
	if _, err := st.instance(ctx); err != nil {
		return stepError(ctx, err)
	}
	// The first fetch follows the authenticator's creation, within the
	// step timeout. A refresh comes on the broker's own schedule: wait one
	// effective refresh interval (the configured one, raised to the
	// target's floor) on top of the step timeout, so a broker that keeps
	// EMQX's 10 s floor is judged fairly without a larger --step-timeout.
	bound := st.suite.timeout()
	if f.srv.EverFetched() {
		bound += st.refreshWait()
	}
	wctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	started := time.Now()
	if !f.srv.WaitFetch(wctx) {
		return ctx, mismatch(fmt.Sprintf("the broker to fetch the key set (refresh_interval %s)", st.refreshInterval()),
			fmt.Sprintf("no fetch at the endpoint within %s", bound))
	}
	st.trace.Note("the broker fetched the key set (waited %s)", time.Since(started).Round(time.Millisecond))
	return ctx, nil
}

func brokerDoesNotFetchWithin(ctx context.Context, seconds string) error {
	st, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	d, err := time.ParseDuration(seconds + "s")
	if err != nil {
		return err
	}
	quiet, err := f.srv.QuietFor(ctx, d)
	if err != nil {
		return reports.HarnessError(err)
	}
	if !quiet {
		return mismatch(fmt.Sprintf("no new fetch within %s (refresh_interval %s, raised to 10 s)", d, st.refreshInterval()),
			"another fetch at the endpoint")
	}
	return nil
}

func brokerHasNotFetchedSinceChange(ctx context.Context) error {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	if f.srv.FetchedSinceMark() {
		return mismatch("no fetch since the endpoint changed (a CONNECT never triggers one)", "a fetch at the endpoint")
	}
	return nil
}

// everyJWKSRequestCarries checks the headers of every request the endpoint
// received; names compare case-insensitively, values exactly.
func everyJWKSRequestCarries(ctx context.Context, table *godog.Table) error {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	rows, err := tableRows(table, "name", "value")
	if err != nil {
		return err
	}
	reqs := f.srv.Requests()
	if len(reqs) == 0 {
		return fmt.Errorf(`the endpoint has received no request: wait for one first ("the broker has fetched the key set")`)
	}
	for _, r := range reqs {
		for _, row := range rows {
			got := r.Header.Values(row["name"])
			if len(got) != 1 || got[0] != row["value"] {
				return mismatch(fmt.Sprintf("request %d to carry %s: %s", r.Seq, row["name"], row["value"]),
					fmt.Sprintf("%s: %q (headers %v)", row["name"], got, r.Header))
			}
		}
	}
	return nil
}

// jwksToken returns the scenario's JWKS endpoint and the token a step
// signs with one of its keys.
func jwksToken(ctx context.Context) (*jwksFixture, *tokenSpec, error) {
	_, f, err := jwksOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	t, err := theToken(ctx)
	if err != nil {
		return nil, nil, err
	}
	return f, t, nil
}

func signedByJWKSKey(ctx context.Context, name string) error {
	f, t, err := jwksToken(ctx)
	if err != nil {
		return err
	}
	t.Signer = func(m *mint, alg string) (string, any, error) {
		k, err := f.key(name)
		if err != nil {
			return "", nil, err
		}
		return m.SignWithJWKSKey(k.forged(), alg)
	}
	return nil
}

// signedByKeyNotInSet signs with a key of the default key's kind that the
// endpoint never served.
func signedByKeyNotInSet(ctx context.Context) error {
	f, t, err := jwksToken(ctx)
	if err != nil {
		return err
	}
	t.Signer = func(m *mint, alg string) (string, any, error) {
		k, err := f.signingKey()
		if err != nil {
			return "", nil, err
		}
		other, err := m.Keys.Key(k.key.Kind, "jwks outsider")
		if err != nil {
			return "", nil, err
		}
		outsider := &jwksKey{name: "outsider", alg: k.alg, key: other, kid: k.kid}
		return m.SignWithJWKSKey(outsider.forged(), alg)
	}
	return nil
}

func hmacWithOctKey(ctx context.Context, alg, name string) error {
	f, t, err := jwksToken(ctx)
	if err != nil {
		return err
	}
	t.Alg = alg
	if _, set := t.Header["kid"]; !set {
		t.Header["kid"] = name
	}
	t.Signer = func(m *mint, alg string) (string, any, error) {
		secret, err := f.octSecret(name)
		if err != nil {
			return "", nil, err
		}
		return alg, secret, nil
	}
	return nil
}

// createdWhileEndpointHangs creates the authenticator through the
// management API while the endpoint does not answer (JWT-JWKS-11: the first
// fetch is asynchronous). A broker that waits for the fetch does not answer
// within a second; the endpoint is then released so the creation ends.
func createdWhileEndpointHangs(ctx context.Context, doc *godog.DocString) (context.Context, error) {
	var cfg map[string]any
	if err := decodeJSON([]byte(doc.Content), &cfg); err != nil {
		return ctx, fmt.Errorf("the scenario's authenticator: %w", err)
	}
	_, f, err := jwksOf(ctx)
	if err != nil {
		return ctx, err
	}
	if err := startNamedBeforeCreation(ctx, cfg); err != nil {
		return ctx, err
	}
	st, a, ctx, err := admin(ctx)
	if err != nil {
		return ctx, err
	}
	if r, ok := a.(target.Restarter); ok && r.ReconfiguresByRestart() {
		return reports.NotApplicable(ctx, "the target changes its chain by restarting or reloading the broker (an adapter), so the time a creation takes does not show whether it waits for the first fetch")
	}
	f.srv.Hang()
	const bound = time.Second
	cctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	st.created, st.createdErr = true, a.CreateAuthenticator(cctx, cfg)
	if reason, ok := target.AsNotApplicable(st.createdErr); ok {
		return reports.NotApplicable(ctx, reason)
	}
	if errors.Is(st.createdErr, context.DeadlineExceeded) || errors.Is(cctx.Err(), context.DeadlineExceeded) {
		f.srv.ServeKeys()
		// The wait is the behaviour under test: recorded here, judged by
		// "Then creating the authenticator succeeds" (the self-test counts
		// a fault as caught only at a Then step).
		st.createdErr = &creationOutcomeError{mismatch("the authenticator created without waiting for the JWKS endpoint",
			fmt.Sprintf("no answer from the management API within %s while the endpoint did not answer", bound))}
	}
	return ctx, nil
}

// creationOutcomeError is a creation's observed outcome that the scenario's
// Then step reports as the behaviour's failure (not a harness error).
type creationOutcomeError struct{ err error }

func (e *creationOutcomeError) Error() string { return e.err.Error() }

// tableRows reads a table with a header row into maps, requiring columns.
func tableRows(t *godog.Table, required ...string) ([]map[string]string, error) {
	if t == nil || len(t.Rows) < 2 {
		return nil, fmt.Errorf("the table needs a header row and at least one row")
	}
	var header []string
	for _, c := range t.Rows[0].Cells {
		header = append(header, strings.TrimSpace(c.Value))
	}
	for _, want := range required {
		found := false
		for _, h := range header {
			found = found || h == want
		}
		if !found {
			return nil, fmt.Errorf("the table needs a %q column (has %v)", want, header)
		}
	}
	var rows []map[string]string
	for _, r := range t.Rows[1:] {
		row := map[string]string{}
		for i, c := range r.Cells {
			if i < len(header) {
				row[header[i]] = strings.TrimSpace(c.Value)
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
