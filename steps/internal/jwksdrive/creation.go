package jwksdrive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authspec/authspec/steps/internal/verify"
)

// Creator creates an authenticator at run time (a target's management
// API, target.AuthenticatorAdmin).
type Creator interface {
	CreateAuthenticator(ctx context.Context, config map[string]any) error
}

// CreationBound is how long a creation may take while the endpoint does
// not answer: a broker that fetches before it answers the management API
// waits for its 5 s request timeout instead.
const CreationBound = time.Second

// CreateWhileHanging creates the authenticator config while the endpoint
// does not answer (JWT-JWKS-11: the first fetch is asynchronous) and
// returns what the creation returned. When it did not end within
// CreationBound, waited is the Mismatch that says the broker waited for
// the endpoint, which then answers again so the creation ends; otherwise
// the endpoint goes on not answering.
func (e *Endpoint) CreateWhileHanging(ctx context.Context, c Creator, config map[string]any) (created, waited error) {
	e.srv.Hang()
	cctx, cancel := context.WithTimeout(ctx, CreationBound)
	defer cancel()
	created = c.CreateAuthenticator(cctx, config)
	if errors.Is(created, context.DeadlineExceeded) || errors.Is(cctx.Err(), context.DeadlineExceeded) {
		e.srv.ServeKeys()
		waited = verify.New("the authenticator created without waiting for the JWKS endpoint",
			fmt.Sprintf("no answer from the management API within %s while the endpoint did not answer", CreationBound))
	}
	return created, waited
}
