package steps

import (
	"context"
	"fmt"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/steps/internal/session"
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
// object of strings, asking again until they match or the step's deadline.
func theBrokerShowsTheAttributes(ctx context.Context, want string) (context.Context, error) {
	st, err := state(ctx)
	if err != nil {
		return ctx, err
	}
	attrs, err := session.ParseAttributes(want)
	if err != nil {
		return ctx, err
	}
	return st.checkClientView(ctx, st.client.clientID, attrs.Shown, attrs.Check)
}
