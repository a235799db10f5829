package scramhttp

import (
	"github.com/authspec/authspec/reference/authz"
)

// parseACL reads the answer's acl (SCRAM-16): a list of new-format rules,
// enforced as in JWT-ACL-05. An object (the token's old format) or an
// invalid rule is an error, on which the authenticator ignores the client.
// The rules expire with the authentication (SCRAM-07): they and ExpireAt
// are one authz.Grant, which authn.Identity embeds.
func parseACL(v any, f defects) (*authz.Rules, error) {
	return authz.Parser{Defects: f.acl}.RuleList(v)
}
