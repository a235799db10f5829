package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/steps/internal/verify"
)

// The checks of what the broker asked the SCRAM backend (SCRAM-02,
// SCRAM-10..12). Expected values may name the connecting client:
//
//	<client ID>       the SCRAM client's CONNECT Client ID
//	<client address>  the client's IP address as the broker sees it
func registerScramBackendChecks(sc *registry) {
	sc.Then(`^the SCRAM backend received (no|\d+) requests?$`, backendReceived)
	sc.Then(`^the SCRAM backend had received (\d+) requests? when the server-first message arrived$`, backendReceivedAtServerFirst)
	sc.Then(`^the SCRAM backend's request is a (GET|POST) to "([^"]*)"$`, backendRequestMethodPath)
	sc.Then(`^the SCRAM backend's request query starts with "([^"]*)"$`, backendRequestQueryPrefix)
	sc.Then(`^the SCRAM backend's request has query parameter "([^"]*)" = "([^"]*)"$`, backendRequestQueryParam)
	sc.Then(`^the SCRAM backend's request body is the JSON object:$`, backendRequestJSONBody)
	sc.Then(`^the SCRAM backend's request body is "([^"]*)"$`, backendRequestBody)
	sc.Then(`^the SCRAM backend's request has header "([^"]*)" = "([^"]*)"$`, backendRequestHeader)
	sc.Then(`^the SCRAM backend's request has no header "([^"]*)"$`, backendRequestNoHeader)
}

// expand fills the client placeholders of an expected value.
func (st *scenario) expand(s string) string {
	host := ""
	if x := st.scramOf().last; x != nil {
		host = x.clientHost
	}
	return strings.NewReplacer("<client ID>", st.client.clientID, "<client address>", host).Replace(s)
}

func backendReceived(ctx context.Context, n string) error {
	return withBackend(ctx, func(sc *scramScenario) error {
		want := 0
		if n != "no" {
			want, _ = strconv.Atoi(n)
		}
		return verify.Count("request(s) to the SCRAM backend", want, sc.backend.RequestCount())
	})
}

func backendReceivedAtServerFirst(ctx context.Context, want int) error {
	_, x, err := lastExchange(ctx)
	if err != nil {
		return err
	}
	if x.serverFirst == nil {
		return mismatch("a server-first message", "no AUTH")
	}
	if x.requestsAtServerFirst != want {
		return mismatch(fmt.Sprintf("%d backend request(s) when the server-first message arrived", want),
			strconv.Itoa(x.requestsAtServerFirst))
	}
	return nil
}

// lastRequest is the backend's most recent request.
func lastRequest(ctx context.Context) (*scenario, scrambackend.Request, error) {
	st, sc, err := scramState(ctx)
	if err != nil {
		return nil, scrambackend.Request{}, err
	}
	if _, err := st.scramBackend(); err != nil {
		return nil, scrambackend.Request{}, err
	}
	reqs := sc.backend.Requests()
	if len(reqs) == 0 {
		return nil, scrambackend.Request{}, mismatch("a request to the SCRAM backend", "none")
	}
	return st, reqs[len(reqs)-1], nil
}

func backendRequestMethodPath(ctx context.Context, method, path string) error {
	_, r, err := lastRequest(ctx)
	if err != nil {
		return err
	}
	if r.Method != method || r.Path != path {
		return mismatch(fmt.Sprintf("%s %s", method, path), fmt.Sprintf("%s %s", r.Method, r.Path))
	}
	return nil
}

func backendRequestQueryPrefix(ctx context.Context, prefix string) error {
	st, r, err := lastRequest(ctx)
	if err != nil {
		return err
	}
	if want := st.expand(prefix); !strings.HasPrefix(r.RawQuery, want) {
		return mismatch(fmt.Sprintf("a query starting with %q", want), fmt.Sprintf("%q", r.RawQuery))
	}
	return nil
}

func backendRequestQueryParam(ctx context.Context, name, value string) error {
	st, r, err := lastRequest(ctx)
	if err != nil {
		return err
	}
	q, err := url.ParseQuery(r.RawQuery)
	if err != nil {
		return mismatch("a well-formed query", fmt.Sprintf("%q: %v", r.RawQuery, err))
	}
	want := st.expand(value)
	if got, ok := q[name]; !ok || len(got) != 1 || got[0] != want {
		return mismatch(fmt.Sprintf("query parameter %s=%q", name, want), fmt.Sprintf("the query %q", r.RawQuery))
	}
	return nil
}

func backendRequestJSONBody(ctx context.Context, doc *godog.DocString) error {
	st, r, err := lastRequest(ctx)
	if err != nil {
		return err
	}
	var want, got map[string]any
	if err := json.Unmarshal([]byte(st.expand(doc.Content)), &want); err != nil {
		return fmt.Errorf("the scenario's expected body: %w", err)
	}
	if err := json.Unmarshal(r.Body, &got); err != nil || !reflect.DeepEqual(want, got) {
		return mismatch(fmt.Sprintf("the JSON body %s", st.expand(doc.Content)), fmt.Sprintf("%q", r.Body))
	}
	return nil
}

func backendRequestBody(ctx context.Context, body string) error {
	st, r, err := lastRequest(ctx)
	if err != nil {
		return err
	}
	if want := st.expand(body); string(r.Body) != want {
		return mismatch(fmt.Sprintf("the body %q", want), fmt.Sprintf("%q", r.Body))
	}
	return nil
}

func backendRequestHeader(ctx context.Context, name, value string) error {
	st, r, err := lastRequest(ctx)
	if err != nil {
		return err
	}
	want := st.expand(value)
	if got := r.Header.Values(name); len(got) != 1 || got[0] != want {
		return mismatch(fmt.Sprintf("one header %s: %s", name, want), fmt.Sprintf("%s: %q", name, got))
	}
	return nil
}

func backendRequestNoHeader(ctx context.Context, name string) error {
	_, r, err := lastRequest(ctx)
	if err != nil {
		return err
	}
	if got := r.Header.Values(name); len(got) > 0 {
		return mismatch(fmt.Sprintf("no header %s", name), fmt.Sprintf("%s: %q", name, got))
	}
	return nil
}
