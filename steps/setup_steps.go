package steps

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/fixtures/tokens"
	"github.com/authspec/authspec/reference/config/security"
	"github.com/authspec/authspec/steps/internal/forge"
	"github.com/authspec/authspec/steps/target"
)

func registerSetupSteps(sc *registry) {
	sc.Given(`^the authentication chain:$`, theAuthenticationChain)
	sc.Given(`^no authenticator is configured$`, noAuthenticator)
	sc.Given(`^the security profile is (legacy|hardened)$`, theSecurityProfile)
	sc.Given(`^authentication_settings\.ignore_backend_failures is (true|false)$`, ignoreBackendFailures)
	sc.Given(`^the built-in database has user "([^"]*)" with password "([^"]*)"$`, builtinUser)
	sc.Given(`^the built-in database has user "([^"]*)" with the seed token as password$`, builtinUserSeedToken)
}

// theAuthenticationChain takes EMQX's JSON: an array of authenticators, or
// an object with "authentication", "authorization" and
// "authentication_settings".
func theAuthenticationChain(ctx context.Context, doc *godog.DocString) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if st.chainGiven {
		return errChainTwice
	}
	chain, authz, settings, err := parseConfig([]byte(doc.Content))
	if err != nil {
		return fmt.Errorf("the scenario's configuration: %w", err)
	}
	st.giveConfig(chain, authz, settings)
	return nil
}

var errChainTwice = errors.New("the scenario gives the authentication chain twice")

// giveConfig records the scenario's configuration in its Setup; authz and
// settings are left as they are when absent.
func (st *scenario) giveConfig(chain []map[string]any, authz, settings map[string]any) {
	st.setup.Authentication = chain
	if authz != nil {
		st.setup.Authorization = authz
	}
	if v, ok := settings["ignore_backend_failures"].(bool); ok {
		st.setup.IgnoreBackendFailures = v
	}
	st.chainGiven = true
}

// parseConfig reads the two shapes the reference accepts.
func parseConfig(data []byte) (chain []map[string]any, authz, settings map[string]any, err error) {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		if err := decodeJSON(data, &chain); err != nil {
			return nil, nil, nil, err
		}
		return chain, nil, nil, nil
	}
	var obj struct {
		Authentication         []map[string]any `json:"authentication"`
		Authorization          map[string]any   `json:"authorization"`
		AuthenticationSettings map[string]any   `json:"authentication_settings"`
	}
	if err := decodeJSON(data, &obj); err != nil {
		return nil, nil, nil, err
	}
	return obj.Authentication, obj.Authorization, obj.AuthenticationSettings, nil
}

// decodeJSON is the forge's strict decoding (numbers stay as written, no
// trailing data), so what a step's argument says reaches the broker as
// written.
var decodeJSON = forge.DecodeJSON

func noAuthenticator(ctx context.Context) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	if st.chainGiven {
		return errChainTwice
	}
	st.giveConfig([]map[string]any{}, nil, nil)
	return nil
}

func theSecurityProfile(ctx context.Context, profile string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	st.setup.Profile = security.Profile(profile)
	return nil
}

func ignoreBackendFailures(ctx context.Context, value string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	st.setup.IgnoreBackendFailures = value == "true"
	return nil
}

func builtinUser(ctx context.Context, user, password string) error {
	st, err := state(ctx)
	if err != nil {
		return err
	}
	st.setup.Users = append(st.setup.Users, target.User{UserID: user, Password: password})
	return nil
}

func builtinUserSeedToken(ctx context.Context, user string) error {
	return builtinUser(ctx, user, tokens.SeedToken)
}
