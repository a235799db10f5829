package scramhttp

import (
	"context"
	"errors"
	"sync"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/scram"
)

// exchange is the second half of one attempt: it holds the conversation and
// what the backend's answer grants, and sends no HTTP request (SCRAM-02).
type exchange struct {
	auth     *Authenticator
	server   *scram.Server
	identity authn.Identity
	client   clientinfo.Client // for the ScramTwoBackendRequests fault only
	user     string

	mu   sync.Mutex
	used bool
}

// Step verifies the client-final message: Accept with the server-final
// `v=...` and the identity, or Deny 0x87 (SCRAM-04, -09).
func (e *exchange) Step(ctx context.Context, data []byte) authn.Result {
	e.mu.Lock()
	defer e.mu.Unlock()
	a := e.auth
	if e.used {
		return a.deny(authn.CodeNotAuthorized, "exchange-finished", "the exchange already ended")
	}
	e.used = true
	identity := e.identity
	if a.defects.twoBackendRequests {
		// The fault: "refresh" the user's record before answering.
		ans, bad := a.fetch(ctx, &e.client, e.user)
		if bad != nil {
			return a.ignore(bad.check, bad.detail)
		}
		identity = ans.identity
	}
	serverFinal, err := e.server.ReadClientFinal(data)
	switch {
	case errors.Is(err, scram.ErrProof):
		code := authn.CodeNotAuthorized
		if a.defects.wrongPassword0x86 {
			code = authn.CodeBadUserNameOrPass
		}
		return a.deny(code, "proof", "user "+e.user+": "+err.Error())
	case err != nil:
		return a.deny(authn.CodeNotAuthorized, "malformed-client-final", err.Error())
	}
	return a.log(authn.Result{
		Outcome:       authn.Accept,
		Authenticator: ID,
		Check:         "proof",
		Detail:        "user " + e.user,
		Identity:      identity,
		AuthData:      serverFinal,
	})
}
