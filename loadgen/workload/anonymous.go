package workload

import (
	"context"
	"encoding/json"
)

// Anonymous connects with a username and no password against a broker
// with no authenticator: the baseline a JWT or SCRAM phase is compared to.
type Anonymous struct{ names Names }

// NewAnonymous returns the anonymous workload.
func NewAnonymous(names Names) *Anonymous { return &Anonymous{names: names} }

func (a *Anonymous) Name() string                               { return KindAnonymous }
func (a *Anonymous) Kind() string                               { return KindAnonymous }
func (a *Anonymous) Authenticators() []json.RawMessage          { return nil }
func (a *Anonymous) Prepare(ctx context.Context, _ Range) error { return ctx.Err() }
func (a *Anonymous) Info() map[string]any                       { return map[string]any{} }
func (a *Anonymous) Close() error                               { return nil }

func (a *Anonymous) Login(i int) (Login, error) {
	id := a.names.Identity(i)
	return Login{ClientID: id.ClientID, Username: id.Username}, nil
}
