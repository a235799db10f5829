package placeholder

import (
	"strings"

	"github.com/authspec/authspec/reference/clientinfo"
)

const attrPrefix = "client_attrs."

// IsAttribute reports whether name is a client attribute placeholder,
// client_attrs.NAME.
func IsAttribute(name string) bool { return strings.HasPrefix(name, attrPrefix) }

// ACLTopic is the rules of authorization rule topics, as EMQX's
// emqx_authz_rule:compile_topic/1 renders them (JWT-ACL-03, JWT-ACL-15,
// JWT-ACL-16; ambiguity A12). Only ${username}, ${clientid},
// ${cert_common_name}, ${zone} and ${client_attrs.NAME} are rendered; any
// other placeholder stays as written. A placeholder the client has no value
// for fails the rendering (authorization then skips the filter or denies,
// by profile): an empty Username, Client ID or certificate CN counts as no
// value, since EMQX's clients have no empty Client ID and EMQX treats an
// empty Username as none; an unset zone is EMQX's "default"; an attribute
// name with a dot (client_attrs.a.b) looks inside a string in EMQX, which
// fails.
var ACLTopic = Context{
	Name:   "authorization rule topic",
	Syntax: EMQX,
	known: func(name string) bool {
		switch name {
		case "username", "clientid", "cert_common_name", "zone":
			return true
		}
		return IsAttribute(name)
	},
	value: func(c *clientinfo.Client, name string) (string, bool) {
		var v string
		switch name {
		case "username":
			v = c.Username
		case "clientid":
			v = c.ClientID
		case "cert_common_name":
			v = c.CertCommonName
		case "zone":
			v = c.ZoneOrDefault()
		default:
			attr, _ := strings.CutPrefix(name, attrPrefix)
			if strings.Contains(attr, ".") {
				return "", false
			}
			v, ok := c.ClientAttrs[attr]
			return v, ok
		}
		return v, v != ""
	},
	opts: Options{Unknown: UnknownVerbatim, Undefined: UndefinedFails},
}

// VerifyClaims is the rules of the JWT authenticator's verify_claims
// values, as emqx_auth_template renders them: ${clientid} and ${username}
// are rendered (JWT-VC-02), a Username the client did not send as nothing
// (JWT-VC-05), and any other placeholder stays as written (JWT-VC-06).
var VerifyClaims = Context{
	Name:   "verify_claims value",
	Syntax: EMQX,
	known:  func(name string) bool { return name == "clientid" || name == "username" },
	value: func(c *clientinfo.Client, name string) (string, bool) {
		if name == "clientid" {
			return c.ClientID, true
		}
		return c.Username, c.HasUsername
	},
	opts: Options{Unknown: UnknownVerbatim, Undefined: UndefinedEmpty},
}

// SCRAMRequest is the rules of the SCRAM HTTP backend's request: URL, query,
// headers and body (SCRAM-10). ${username}, ${clientid}, ${password},
// ${peerhost}, ${cert_common_name}, ${cert_subject} and
// ${client_attrs.NAME} are rendered, a value the client did not send as
// nothing; other placeholders stay as written, as in EMQX, which warns at
// configuration and renders them verbatim. ${username} is the client's
// Username: the authenticator passes a client whose Username is the SCRAM
// user name (n=), which is what it means in a SCRAM request. ${password} is
// always empty: SCRAM never sends a password. Placeholders are read with
// the Braces syntax.
var SCRAMRequest = Context{
	Name:   "SCRAM HTTP request",
	Syntax: Braces,
	known: func(name string) bool {
		switch name {
		case "username", "clientid", "password", "peerhost", "cert_common_name", "cert_subject":
			return true
		}
		attr, ok := strings.CutPrefix(name, attrPrefix)
		return ok && attr != ""
	},
	value: func(c *clientinfo.Client, name string) (string, bool) {
		var v string
		switch name {
		case "username":
			v = c.Username
		case "password":
		case "clientid":
			v = c.ClientID
		case "peerhost":
			v = c.PeerHost
		case "cert_common_name":
			v = c.CertCommonName
		case "cert_subject":
			v = c.CertSubject
		default:
			attr, _ := strings.CutPrefix(name, attrPrefix)
			v = c.ClientAttrs[attr]
		}
		return v, v != ""
	},
	opts: Options{Unknown: UnknownVerbatim, Undefined: UndefinedEmpty},
}
