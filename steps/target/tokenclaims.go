package target

// TokenClaimer is implemented by targets whose profile gives token_claims:
// claims every token the suite mints carries, rendered for the connecting
// client (${username}, ${clientid} in string values). The broker is not
// assumed to check them (ejabberd binds the user to a "jid" claim, which
// EMQX's configuration cannot say), so they never make a scenario not
// applicable: the scenario's own claims and the configuration's
// verify_claims are written after them and win.
type TokenClaimer interface {
	TokenClaims() map[string]any
}

// TokenClaimsOf returns t's token claims (nil when it has none).
func TokenClaimsOf(t Target) map[string]any {
	if c, ok := t.(TokenClaimer); ok {
		return c.TokenClaims()
	}
	return nil
}
