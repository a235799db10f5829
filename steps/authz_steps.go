package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"time"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
)

func registerAuthzSteps(sc *registry) {
	sc.Given(`^the authorization settings are:$`, theAuthorizationSettings)
	sc.Then(`^the broker shows the client's attributes as (.+)$`, theBrokerShowsTheAttributes, sharedBrokerState)
}

// theAuthorizationSettings takes EMQX's "authorization" object (no_match,
// deny_action, cache, sources). The ACL scenarios turn EMQX's
// authorization cache off, as JWT-ACL-08 explains.
func theAuthorizationSettings(ctx context.Context, doc *godog.DocString) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if st.setup.Authorization != nil {
		return fmt.Errorf("the scenario gives the authorization settings twice")
	}
	var authz map[string]any
	if err := decodeJSON([]byte(doc.Content), &authz); err != nil {
		return fmt.Errorf("the scenario's authorization settings: %w", err)
	}
	st.setup.Authorization = authz
	return nil
}

// theBrokerShowsTheAttributes compares the client's attributes as the
// broker shows them (EMQX: GET /api/v5/clients/{clientid}) with a JSON
// object of strings. Registration may trail the CONNACK by a moment, so it
// asks again until the attributes match or the step's deadline.
func theBrokerShowsTheAttributes(ctx context.Context, want string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	var attrs map[string]string
	if err := json.Unmarshal([]byte(want), &attrs); err != nil {
		return ctx, fmt.Errorf("the expected attributes must be a JSON object of strings: %w", err)
	}
	if st.inst == nil {
		return ctx, fmt.Errorf(`the scenario asks about a client before "the client connects"`)
	}
	inspector, ok := st.inst.(target.ClientInspector)
	if !ok {
		return reports.NotApplicable(ctx, "the target cannot show a client's attributes")
	}
	cctx, cancel := st.withTimeout(ctx)
	defer cancel()
	got := "no client by that ID"
	for {
		info, found, err := inspector.Client(cctx, st.client.clientID)
		switch {
		case err != nil:
			return ctx, reports.HarnessError(err)
		case found && maps.Equal(info.ClientAttrs, attrs):
			return ctx, nil
		case found:
			b, _ := json.Marshal(info.ClientAttrs)
			got = "attributes " + string(b)
		}
		select {
		case <-cctx.Done():
			return ctx, mismatch(fmt.Sprintf("client %q with attributes %s", st.client.clientID, want), got)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
