package authn

import (
	"context"
	"fmt"

	"github.com/authspec/authspec/reference/clientinfo"
)

// Entry is one configured authenticator of a chain.
type Entry struct {
	Authenticator Authenticator
	// Enable: a disabled authenticator is skipped as if it were not
	// configured (CHAIN-01); a chain of only disabled ones is empty (EMQX's
	// get_enabled).
	Enable bool
	// Precondition, when not nil, must render to "true" for the
	// authenticator to run (CHAIN-04).
	Precondition *Precondition
}

// ChainOption configures a Chain.
type ChainOption func(*Chain)

// WithIgnoreBackendFailures is EMQX's
// authentication_settings.ignore_backend_failures: under the hardened
// profile a backend failure then passes the client on, as under legacy.
func WithIgnoreBackendFailures(ignore bool) ChainOption {
	return func(c *Chain) { c.ignoreBackendFailures = ignore }
}

// Chain runs authenticators in order, as EMQX's emqx_authn_chains does. It
// is immutable once built, so it is safe for concurrent use; a
// configuration change builds a new Chain.
type Chain struct {
	env                   Env
	entries               []Entry
	ignoreBackendFailures bool
	defects               defects // deliberate defects (self-test only)
}

// NewChain builds a chain. The security profile comes from env.
func NewChain(env Env, entries []Entry, opts ...ChainOption) *Chain {
	c := &Chain{env: env, entries: append([]Entry(nil), entries...)}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Entries returns the chain's entries in order.
func (c *Chain) Entries() []Entry { return append([]Entry(nil), c.entries...) }

// Authenticator returns the authenticator with EMQX ID id, enabled or not.
func (c *Chain) Authenticator(id string) (Authenticator, bool) {
	for _, e := range c.entries {
		if e.Authenticator.ID() == id {
			return e.Authenticator, true
		}
	}
	return nil, false
}

// Check values the chain itself decides with.
const (
	CheckAllIgnored      = "chain: every authenticator ignored"
	CheckNoAuthenticator = "chain: no authenticator"
	CheckPrecondition    = "precondition"
	CheckPanic           = "panic"
)

// Authenticate asks the enabled authenticators in order (CHAIN-01..05). The
// answer is never Ignore: when every authenticator ignores the client the
// chain denies it with 0x87.
func (c *Chain) Authenticate(ctx context.Context, cl *clientinfo.Client) Result {
	enabled := c.enabled()
	if len(enabled) == 0 {
		return c.empty()
	}
	var last Result
	for _, e := range enabled {
		r := c.run(ctx, e, cl)
		if r.Outcome != Ignore {
			return r
		}
		if r.BackendFailure && c.backendFailureDenies() {
			r.Outcome = Deny
			r.Code = CodeNotAuthorized
			r.Detail = "backend failure, and the " + c.env.Profile.String() + " profile denies on backend failures: " + r.Detail
			return r
		}
		if c.defects.chainStopOnIgnore {
			r.Outcome = Deny
			r.Code = CodeNotAuthorized
			return r
		}
		last = r
	}
	if c.defects.chainAllIgnoredAccept {
		return Result{Outcome: Accept, Authenticator: last.Authenticator, Check: CheckAllIgnored,
			Detail: "every authenticator ignored the client, and the chain accepts it"}
	}
	return Result{
		Outcome:       Deny,
		Code:          CodeNotAuthorized,
		Authenticator: last.Authenticator,
		Check:         CheckAllIgnored,
		Detail:        fmt.Sprintf("every authenticator ignored the client (last: %s, %s: %s)", last.Authenticator, last.Check, last.Detail),
	}
}

func (c *Chain) enabled() []Entry {
	out := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		if e.Enable {
			out = append(out, e)
		}
	}
	return out
}

// empty answers for a chain with no enabled authenticator (CHAIN-03): EMQX's
// authn_not_configured policy allows under legacy and denies under hardened.
func (c *Chain) empty() Result {
	if c.env.Profile.IsHardened() || c.defects.emptyChainDeny {
		return Result{Outcome: Deny, Code: CodeNotAuthorized, Check: CheckNoAuthenticator,
			Detail: "no authenticator is configured and the " + c.env.Profile.String() + " profile refuses every client"}
	}
	return Result{Outcome: Accept, Check: CheckNoAuthenticator,
		Detail: "no authenticator is configured: the legacy profile accepts every client"}
}

// backendFailureDenies is EMQX's authn_backend_failure policy.
func (c *Chain) backendFailureDenies() bool {
	if c.defects.backendFailureDenies {
		return true
	}
	return c.env.Profile.IsHardened() && !c.ignoreBackendFailures
}

// run asks one authenticator, after its precondition. A panic is a backend
// failure, as an exception in an EMQX provider is.
func (c *Chain) run(ctx context.Context, e Entry, cl *clientinfo.Client) (r Result) {
	id := e.Authenticator.ID()
	defer func() {
		if p := recover(); p != nil {
			c.env.Logger().Error("authenticator panicked", "authenticator", id, "panic", p)
			r = Result{Outcome: Ignore, BackendFailure: true, Authenticator: id, Check: CheckPanic,
				Detail: fmt.Sprintf("the authenticator failed: %v", p)}
		}
	}()
	if e.Precondition != nil && !c.defects.ignorePrecondition {
		ok, err := e.Precondition.Allows(cl)
		if err != nil {
			return Result{Outcome: Ignore, BackendFailure: true, Authenticator: id, Check: CheckPrecondition,
				Detail: fmt.Sprintf("precondition %q could not be rendered: %v", e.Precondition, err)}
		}
		if !ok {
			return Result{Outcome: Ignore, Authenticator: id, Check: CheckPrecondition,
				Detail: fmt.Sprintf("precondition %q is not true for this client: authenticator skipped", e.Precondition)}
		}
	}
	r = e.Authenticator.Authenticate(ctx, cl)
	if r.Authenticator == "" {
		r.Authenticator = id
	}
	return r
}
