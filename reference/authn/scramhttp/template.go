package scramhttp

import (
	"github.com/authspec/authspec/reference/clientinfo"
	"github.com/authspec/authspec/reference/placeholder"
)

// template is a request text with ${...} placeholders (SCRAM-10), in the
// placeholder.SCRAMRequest context: placeholders the authenticator does not
// know stay literal text, as in EMQX, which warns at configuration and
// renders them verbatim.
type template struct{ t placeholder.Template }

func parseTemplate(s string) template { return template{placeholder.SCRAMRequest.Parse(s)} }

// render fills the placeholders; escape (may be nil) encodes each filled
// value for where the template is used (path, query, raw header).
func (t template) render(v variables, escape func(string) string) string {
	o := placeholder.SCRAMRequest.Options()
	o.Escape = escape
	// The context renders an undefined placeholder as "" and forbids no
	// value: rendering cannot fail.
	s, _ := t.t.Render(v.client, &o)
	return s
}

// variables are what placeholders render from: the client, its Username
// replaced by the user name ${username} means in a SCRAM request.
type variables struct {
	client *clientinfo.Client
}

// requestVariables are the variables of a request for c, whose SCRAM user
// name (from n=, unescaped) is user.
func requestVariables(c *clientinfo.Client, user string) variables {
	named := *c
	named.Username = user
	return variables{client: &named}
}
