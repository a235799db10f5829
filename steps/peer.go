package steps

import (
	"strings"

	"github.com/authspec/authspec/steps/target"
)

// loopbackRules: the scenarios write ipaddr conditions of token rules for a
// client the broker sees on loopback (127.0.0.0/8). A broker that sees the
// suite's connections come from elsewhere (a container behind Docker's port
// mapping) cannot show what such a rule is about.
func (st *scenario) loopbackRules(token *tokenSpec) error {
	if st.inst == nil || target.SeesLoopback(st.inst) {
		return nil
	}
	for name, expr := range token.Claims {
		if strings.Contains(expr, `"ipaddr"`) {
			peer := st.inst.(target.PeerHoster).PeerHost()
			return target.NotApplicable("the token's %q claim has a rule narrowed by ipaddr, written for a client the broker sees on loopback; this broker sees the suite's clients at %s", name, peer)
		}
	}
	return nil
}
