package steps

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/jwksserver"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/internal/jwksdrive"
	"github.com/authspec/authspec/steps/target"
)

// The JWKS endpoint's vocabulary (JWT-JWKS): what the suite's endpoint
// serves and how it answers, the broker's fetches as the endpoint sees
// them, and tokens signed by the endpoint's keys. The endpoint is
// steps/internal/jwksdrive, started on first use (resources.go).

func registerJWKSSteps(sc *registry) {
	sc.Before(jwksBefore)
	sc.After(jwksAfter)

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

// jwksRefreshFloorTag marks the scenario that observes EMQX's 10 s floor of
// refresh_interval (JWT-JWKS-10): the target must not lower it.
const jwksRefreshFloorTag = "@jwks-refresh-floor"

// jwksBefore applies the tag that changes the Setup. The endpoint itself
// starts on first use (resources.go).
func jwksBefore(ctx context.Context, sc *godog.Scenario) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok {
		return ctx, nil
	}
	for _, t := range sc.Tags {
		if t.Name == jwksRefreshFloorTag {
			st.setup.KeepJWKSRefreshFloor = true
		}
	}
	return ctx, nil
}

// jwksAfter closes the endpoint. It runs after the broker is closed
// (godog runs After hooks in registration order).
func jwksAfter(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
	st, ok := lookupScenario(ctx)
	if !ok || st.jwks == nil {
		return ctx, nil
	}
	if err := st.jwks.Close(); err != nil && !errors.Is(err, context.Canceled) {
		return ctx, reports.HarnessError(fmt.Errorf("closing the JWKS endpoint: %w", err))
	}
	return ctx, nil
}

// jwksOf returns the scenario's JWKS endpoint, starting it on first use
// (resources.go).
func jwksOf(ctx context.Context) (*scenario, *jwksdrive.Endpoint, error) {
	st, err := state(ctx)
	if err != nil {
		return nil, nil, err
	}
	e, err := st.jwksEndpoint()
	if err != nil {
		return nil, nil, err
	}
	return st, e, nil
}

func endpointServesKey(ctx context.Context, alg, name string) error {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	return e.Serve(name, alg)
}

// endpointServesKeys takes a table | kid | alg | jwk alg | use |: the JWK's
// own "alg" and "use" members may differ from what the key signs with
// (JWT-JWKS-01: the broker does not use them).
func endpointServesKeys(ctx context.Context, table *godog.Table) error {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	rows, err := tableRows(table, "kid", "alg")
	if err != nil {
		return err
	}
	specs := make([]jwksdrive.KeySpec, 0, len(rows))
	for _, r := range rows {
		specs = append(specs, jwksdrive.KeySpec{KID: r["kid"], Alg: r["alg"], JWKAlg: r["jwk alg"], Use: r["use"]})
	}
	return e.ServeKeys(specs...)
}

// endpointServesRecipe serves the set the JWKS article's jwcrypto recipe
// produces (JWT-JWKS-06).
func endpointServesRecipe(ctx context.Context, n int) error {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	return e.ServeRecipe(n)
}

func endpointServesOct(ctx context.Context, name, secret string) error {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	e.ServeOct(name, secret)
	return nil
}

func endpointStopsServing(ctx context.Context, name string) error {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	return e.Unserve(name)
}

// answerWith sets how the endpoint answers every fetch from now on (a
// hanging answer in progress then ends with the new one).
func answerWith(ctx context.Context, set func(*jwksserver.Server)) error {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	set(e.Server())
	return nil
}

func endpointAnswersWithSet(ctx context.Context, status string) error {
	return answerWith(ctx, func(s *jwksserver.Server) { s.ServeKeysWithStatus(jwksdrive.StatusOr200(status)) })
}

func endpointAnswersEmpty(ctx context.Context) error {
	return answerWith(ctx, (*jwksserver.Server).ServeEmptySet)
}

func endpointAnswersSingleJWK(ctx context.Context) error {
	return answerWith(ctx, (*jwksserver.Server).ServeSingleJWK)
}

func endpointAnswersNotJSON(ctx context.Context, status string) error {
	return answerWith(ctx, func(s *jwksserver.Server) {
		s.ServeRaw(jwksdrive.StatusOr200(status), "application/json", jwksdrive.NotJSONBody)
	})
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

// jwtConfig is the configuration of the chain's JWT authenticator as the
// broker has it; false before the broker is provisioned or without one.
func (st *scenario) jwtConfig() (map[string]any, bool) {
	if st.inst == nil {
		return nil, false
	}
	a, _, err := st.jwtAuthenticator()
	return a.Config, err == nil
}

// refreshWait is the JWT authenticator's effective refresh interval: the
// configured refresh_interval (EMQX's default 300 s when absent) raised to
// the target's floor.
func (st *scenario) refreshWait() time.Duration {
	cfg, _ := st.jwtConfig()
	return jwksdrive.RefreshWait(cfg, target.JWKSRefreshFloor(st.suite.Target, st.setup))
}

// refreshInterval is the JWT authenticator's refresh_interval as
// configured, for messages.
func (st *scenario) refreshInterval() string {
	cfg, ok := st.jwtConfig()
	if !ok {
		return "?"
	}
	return jwksdrive.RefreshInterval(cfg)
}

// brokerFetches waits for the broker's next fetch of the key set after the
// endpoint last changed (its first one when nothing changed yet), until
// the broker has had the whole answer. A broker that does not fetch within
// the step's bound breaks the refresh schedule (JWT-JWKS-02, -11).
func brokerFetches(ctx context.Context) (context.Context, error) {
	st, e, err := jwksOf(ctx)
	if err != nil {
		return ctx, err
	}
	if _, err := st.instance(ctx); err != nil {
		return stepError(ctx, err)
	}
	took, err := e.AwaitFetch(ctx, st.suite.timeout(), st.refreshWait(), st.refreshInterval())
	if err != nil {
		return ctx, err
	}
	st.trace.Note("the broker fetched the key set (waited %s)", took)
	return ctx, nil
}

func brokerDoesNotFetchWithin(ctx context.Context, seconds string) error {
	st, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	d, err := time.ParseDuration(seconds + "s")
	if err != nil {
		return err
	}
	return harnessUnlessMismatch(e.CheckNoFetchWithin(ctx, d, st.refreshInterval()))
}

func brokerHasNotFetchedSinceChange(ctx context.Context) error {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	return e.CheckNoFetchSinceChange()
}

// everyJWKSRequestCarries checks the headers of every request the endpoint
// received; names compare case-insensitively, values exactly.
func everyJWKSRequestCarries(ctx context.Context, table *godog.Table) error {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return err
	}
	rows, err := tableRows(table, "name", "value")
	if err != nil {
		return err
	}
	want := make([]jwksdrive.Header, 0, len(rows))
	for _, r := range rows {
		want = append(want, jwksdrive.Header{Name: r["name"], Value: r["value"]})
	}
	return e.CheckHeaders(want...)
}

// jwksToken returns the scenario's JWKS endpoint and the token a step
// signs with one of its keys.
func jwksToken(ctx context.Context) (*jwksdrive.Endpoint, *tokenSpec, error) {
	_, e, err := jwksOf(ctx)
	if err != nil {
		return nil, nil, err
	}
	t, err := theToken(ctx)
	if err != nil {
		return nil, nil, err
	}
	return e, t, nil
}

func signedByJWKSKey(ctx context.Context, name string) error {
	e, t, err := jwksToken(ctx)
	if err != nil {
		return err
	}
	t.Signer = func(m *mint, alg string) (string, any, error) {
		k, err := forged(e.Key(name))
		if err != nil {
			return "", nil, err
		}
		return m.SignWithJWKSKey(k, alg)
	}
	return nil
}

// signedByKeyNotInSet signs with a key of the default key's kind and kid
// that the endpoint never served.
func signedByKeyNotInSet(ctx context.Context) error {
	e, t, err := jwksToken(ctx)
	if err != nil {
		return err
	}
	t.Signer = func(m *mint, alg string) (string, any, error) {
		outsider, err := forged(e.Outsider())
		if err != nil {
			return "", nil, err
		}
		return m.SignWithJWKSKey(outsider, alg)
	}
	return nil
}

func hmacWithOctKey(ctx context.Context, alg, name string) error {
	e, t, err := jwksToken(ctx)
	if err != nil {
		return err
	}
	t.Alg = alg
	if _, set := t.Header["kid"]; !set {
		t.Header["kid"] = name
	}
	t.Signer = func(m *mint, alg string) (string, any, error) {
		secret, err := e.OctSecret(name)
		return alg, secret, err
	}
	return nil
}

// createdWhileEndpointHangs creates the authenticator through the
// management API while the endpoint does not answer (JWT-JWKS-11: the
// first fetch is asynchronous; jwksdrive.CreateWhileHanging).
func createdWhileEndpointHangs(ctx context.Context, doc *godog.DocString) (context.Context, error) {
	cfg, e, err := hangingCreation(ctx, doc)
	if err != nil {
		return ctx, err
	}
	st, a, ctx, err := admin(ctx)
	if err != nil {
		return ctx, err
	}
	if r, ok := a.(target.Restarter); ok && r.ReconfiguresByRestart() {
		return reports.NotApplicable(ctx, "the target changes its chain by restarting or reloading the broker (an adapter), so the time a creation takes does not show whether it waits for the first fetch")
	}
	created, waited := e.CreateWhileHanging(ctx, a, cfg)
	return st.recordCreation(ctx, created, waited)
}

// hangingCreation reads the authenticator the scenario creates and starts
// the JWKS endpoint and whatever else it names.
func hangingCreation(ctx context.Context, doc *godog.DocString) (map[string]any, *jwksdrive.Endpoint, error) {
	var cfg map[string]any
	if err := decodeJSON([]byte(doc.Content), &cfg); err != nil {
		return nil, nil, fmt.Errorf("the scenario's authenticator: %w", err)
	}
	_, e, err := jwksOf(ctx)
	if err == nil {
		err = startNamedBeforeCreation(ctx, cfg)
	}
	return cfg, e, err
}

// recordCreation records a creation's outcome for "Then creating the
// authenticator ...". A creation that waited for the endpoint is the
// behaviour under test: recorded here, judged by "Then creating the
// authenticator succeeds" (the self-test counts a fault as caught only at
// a Then step).
func (st *scenario) recordCreation(ctx context.Context, created, waited error) (context.Context, error) {
	st.created, st.createdErr = true, created
	if reason, ok := target.AsNotApplicable(created); ok {
		return reports.NotApplicable(ctx, reason)
	}
	if waited != nil {
		st.createdErr = &creationOutcomeError{waited}
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
	cells := make([][]string, 0, len(t.Rows))
	for _, r := range t.Rows {
		row := make([]string, 0, len(r.Cells))
		for _, c := range r.Cells {
			row = append(row, strings.TrimSpace(c.Value))
		}
		cells = append(cells, row)
	}
	return rowMaps(cells, required)
}

// rowMaps maps each row after the header by the header's names.
func rowMaps(cells [][]string, required []string) ([]map[string]string, error) {
	header := cells[0]
	for _, want := range required {
		if !slices.Contains(header, want) {
			return nil, fmt.Errorf("the table needs a %q column (has %v)", want, header)
		}
	}
	rows := make([]map[string]string, 0, len(cells)-1)
	for _, r := range cells[1:] {
		row := map[string]string{}
		for i, c := range r {
			if i < len(header) {
				row[header[i]] = c
			}
		}
		rows = append(rows, row)
	}
	return rows, nil
}
