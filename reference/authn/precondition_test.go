package authn

import (
	"strings"
	"testing"

	"github.com/authspec/authspec/reference/clientinfo"
)

func preClient() *clientinfo.Client {
	return &clientinfo.Client{ClientID: "dev-42", Username: "Alice", HasUsername: true, Password: []byte("pw"), HasPassword: true,
		Listener: "tcp:default", Zone: "default", PeerHost: "10.0.0.7", ClientAttrs: map[string]string{"biz": "order", "my-attr": "x"}}
}

func TestPreconditionRender(t *testing.T) {
	c := preClient()
	for expr, want := range map[string]string{
		`true`:                                       "true",
		`false`:                                      "false",
		`"true"`:                                     "true",
		`listener`:                                   "tcp:default",
		`str_eq(listener, 'tcp:default')`:            "true",
		`str_eq(listener, "ssl:default")`:            "false",
		`str_neq(username, '')`:                      "true",
		`str_eq(client_attrs.biz, 'order')`:          "true",
		`str_eq(client_attrs.my-attr, 'x')`:          "true",
		`regex_match(clientid, '^dev-[0-9]+$')`:      "true",
		`regex_match(username, '^bob')`:              "false",
		`concat(username, '-', clientid)`:            "",
		`concat([username, '-', clientid])`:          "Alice-dev-42",
		`concat(username, clientid)`:                 "Alicedev-42",
		`lower(username)`:                            "alice",
		`upper(zone)`:                                "DEFAULT",
		`str_eq(lower(username), 'alice')`:           "true",
		`is_empty(client_attrs.nope)`:                "true",
		`is_empty(username)`:                         "false",
		`coalesce(client_attrs.nope, username)`:      "Alice",
		`coalesce([client_attrs.nope, 'dflt'])`:      "dflt",
		`iif(is_empty(client_attrs.nope), 'a', 'b')`: "a",
		`iif(client_attrs.nope, 'a', 'b')`:           "b",
		`not(str_eq(peerhost, '10.0.0.7'))`:          "false",
		`not('false')`:                               "true",
		`rm_prefix(clientid, 'dev-')`:                "42",
		`strlen(clientid)`:                           "6",
		`substr(clientid, 4)`:                        "42",
		`substr(clientid, 0, 3)`:                     "dev",
		`nth(2, [zone, listener])`:                   "tcp:default",
		`str_eq(nth(1, ['a']), 'a')`:                 "true",
		`trim('  x ')`:                               "x",
		`str_eq(password, 'pw')`:                     "true",
		`str_eq(1, '1')`:                             "true",
		`str_eq(1.5, '1.5')`:                         "true",
		"str_eq(\n\tzone ,\t'default' )":             "true",
		`is_empty_val('')`:                           "true",
		`coalesce()`:                                 "",
		`concat([username, [zone]])`:                 "Alicedefault",
	} {
		if expr == `concat(username, '-', clientid)` {
			continue // three arguments is an arity error, checked below
		}
		p, err := ParsePrecondition(expr)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		got, err := p.Render(c)
		if err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", expr, got, err, want)
		}
	}
}

func TestPreconditionParseErrors(t *testing.T) {
	if p, err := ParsePrecondition("  "); p != nil || err != nil {
		t.Fatalf("empty precondition: %v %v", p, err)
	}
	for expr, want := range map[string]string{
		`not a valid precondition`:          "unknown variable",
		`str_eq(username`:                   "missing closing bracket",
		`str_eq(username,)`:                 "unexpected",
		`str_eq(username, 'x'`:              "missing closing bracket",
		`'unterminated`:                     "unterminated string",
		`username == 'x'`:                   "unexpected character",
		`foo`:                               "unknown variable",
		`str_eq(peersni, 'x')`:              "unknown variable",
		`client_attrs.`:                     "unknown variable",
		`bogus(username)`:                   "unknown function",
		`lists.nth(1, [zone])`:              "unknown function",
		`str_eq(username)`:                  "takes 2 arguments",
		`concat(username, '-', clientid)`:   "takes 1 to 2 arguments",
		`iif(true, 'a')`:                    "takes 3 arguments",
		`regex_match(username, '(')`:        "bad regex",
		`regex_match(username, 5)`:          "pattern must be a string",
		`str_eq(username, 'a') extra`:       "after the expression",
		`[username]`:                        "unexpected",
		`str_eq(99999999999999999999, 'x')`: "out of range",
	} {
		_, err := ParsePrecondition(expr)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad precondition expression") {
			t.Errorf("%s: want error containing %q, got %v", expr, want, err)
		}
	}
}

func TestPreconditionRenderErrors(t *testing.T) {
	c := preClient()
	for _, expr := range []string{
		`str_eq(client_attrs.nope, 'x')`, // unbound attribute: EMQX's render error
		`cert_common_name`,               // no TLS certificate
		`lower(strlen(username))`,        // badarg
		`[a]`,
		`nth(1, username)`,
		`not(username)`,
		`regex_match(username, concat(['(', '']))`, // a runtime pattern that does not compile
		`nth(0, [zone])`,
		`coalesce(concat(username, zone))`,
	} {
		p, err := ParsePrecondition(expr)
		if err != nil {
			if expr == `[a]` {
				continue
			}
			t.Errorf("%s: parse: %v", expr, err)
			continue
		}
		if got, err := p.Render(c); err == nil {
			t.Errorf("%s: rendered %q, want an error", expr, got)
		}
	}
	cert := preClient()
	cert.CertCommonName, cert.CertSubject = "cn1", "CN=cn1"
	p, _ := ParsePrecondition(`concat(cert_common_name, cert_subject)`)
	if got, err := p.Render(cert); err != nil || got != "cn1CN=cn1" {
		t.Fatalf("%q %v", got, err)
	}
	p, _ = ParsePrecondition(`str_eq(listener, 'tcp:default')`)
	if ok, err := p.Allows(c); !ok || err != nil {
		t.Fatalf("Allows = %v, %v", ok, err)
	}
	p, _ = ParsePrecondition(`username`)
	if ok, err := p.Allows(c); ok || err != nil {
		t.Fatalf("a non-\"true\" rendering allows: %v, %v", ok, err)
	}
	if p.String() != "username" {
		t.Fatal(p.String())
	}
}
