package authz

import "errors"

// ErrInvalidRule: the claim is a list of new-format rules and one is invalid
// (JWT-ACL-09: the JWT authenticator refuses the CONNECT with 0x86).
var ErrInvalidRule = errors.New("invalid acl rule")

// ErrWrongType: the claim is neither an object (old format) nor a list (new
// format) (JWT-ACL-09: BF).
var ErrWrongType = errors.New("acl claim is neither an object nor a list")

// ParseTokenACL parses the value of a token's acl claim (as decoded by
// encoding/json: map[string]any, []any, ...). Errors wrap ErrInvalidRule or
// ErrWrongType.
func ParseTokenACL(claim any) (*Rules, error) {
	return nil, errors.New("not implemented yet")
}
