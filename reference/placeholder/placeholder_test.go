package placeholder

import (
	"errors"
	"net/url"
	"testing"

	"github.com/authspec/authspec/reference/clientinfo"
)

// render is one row of a context's table: text rendered for client under
// the context's options changed by opts.
type render struct {
	text   string
	client clientinfo.Client
	opts   func(*Options)
	want   string
	err    error
}

func runRenders(t *testing.T, x *Context, rows []render) {
	t.Helper()
	for _, r := range rows {
		tm := x.Parse(r.text)
		o := x.Options()
		if r.opts != nil {
			r.opts(&o)
		}
		got, err := tm.Render(&r.client, &o)
		if !errors.Is(err, r.err) || err == nil && got != r.want {
			t.Errorf("%s: %q for %+v: got %q, %v; want %q, %v", x.Name, r.text, r.client, got, err, r.want, r.err)
		}
	}
}

var (
	alice = clientinfo.Client{ClientID: "c1", Username: "alice", HasUsername: true, PeerHost: "10.0.0.1",
		CertCommonName: "cn1", CertSubject: "CN=cn1,O=x", Zone: "z1", Password: []byte("secret"),
		ClientAttrs: map[string]string{"tenant": "acme", "a.b": "dotted", "empty": ""}}
	anonymous = clientinfo.Client{ClientID: "c2"}
)

// Shared by the EMQX-syntax contexts: what is a placeholder, what is text.
func TestEMQXSyntax(t *testing.T) {
	for _, x := range []*Context{&ACLTopic, &VerifyClaims} {
		runRenders(t, x, []render{
			{text: "plain", client: alice, want: "plain"},
			{text: "${clientid}", client: alice, want: "c1"},
			{text: "${.clientid}/${username}", client: alice, want: "c1/alice"},
			{text: "a${username}b${clientid}c$", client: alice, want: "aalicebc1c$"},
			// ${$} is an escaped "$": "$${$}{clientid}" is "$${clientid}"
			// once unescaped, and nothing is rendered.
			{text: "$${$}{clientid}", client: alice, want: "$${clientid}"},
			{text: "${$}{clientid}", client: alice, want: "${clientid}"},
			// Not placeholders: spaces, other bytes, no closing brace.
			{text: "${ username }", client: alice, want: "${ username }"},
			{text: "${user-name}", client: alice, want: "${user-name}"},
			{text: "${unclosed", client: alice, want: "${unclosed"},
			{text: "${clientid", client: alice, want: "${clientid"},
			{text: "$${clientid}}", client: alice, want: "$c1}"},
			// Placeholders nobody knows stay as written, empty name too.
			{text: "${peerhost}/${}/${.}/${password}", client: alice, want: "${peerhost}/${}/${.}/${password}"},
		})
	}
}

// ACLTopic: JWT-ACL-03, JWT-ACL-15, JWT-ACL-16, ambiguity A12.
func TestACLTopic(t *testing.T) {
	forbid := func(s string) func(*Options) { return func(o *Options) { o.Forbid = s } }
	runRenders(t, &ACLTopic, []render{
		{text: "t/${username}/${clientid}/${cert_common_name}/${zone}", client: alice, want: "t/alice/c1/cn1/z1"},
		{text: "t/${client_attrs.tenant}", client: alice, want: "t/acme"},
		{text: "t/${zone}", client: anonymous, want: "t/default"},
		// Not rendered in rule topics.
		{text: "t/${peerhost}/${cert_subject}/${password}", client: alice, want: "t/${peerhost}/${cert_subject}/${password}"},
		// Undefined: no value, an empty value, a dotted attribute name.
		{text: "t/${username}", client: anonymous, err: ErrUndefined},
		{text: "t/${username}", client: clientinfo.Client{ClientID: "c", HasUsername: true}, err: ErrUndefined},
		{text: "t/${clientid}", client: clientinfo.Client{}, err: ErrUndefined},
		{text: "t/${cert_common_name}", client: anonymous, err: ErrUndefined},
		{text: "t/${client_attrs.nope}", client: alice, err: ErrUndefined},
		{text: "t/${client_attrs.a.b}", client: alice, err: ErrUndefined},
		{text: "t/${client_attrs.}", client: alice, err: ErrUndefined},
		// An attribute set to "" is defined.
		{text: "t/${client_attrs.empty}/x", client: alice, want: "t//x"},
		// topic_template_allow: a value with a forbidden byte fails at once,
		// even after an undefined placeholder.
		{text: "t/${username}", client: clientinfo.Client{Username: "a/b"}, opts: forbid("+#/"), err: ErrForbidden},
		{text: "t/${username}", client: clientinfo.Client{Username: "+"}, opts: forbid("#/"), want: "t/+"},
		{text: "t/${cert_common_name}/${username}", client: clientinfo.Client{Username: "#"}, opts: forbid("+#/"), err: ErrForbidden},
		{text: "t/${cert_common_name}/${username}", client: clientinfo.Client{Username: "ok"}, opts: forbid("+#/"), err: ErrUndefined},
		// Faults: placeholders left as written, by kind.
		{text: "t/${clientid}/${client_attrs.tenant}", client: alice,
			opts: func(o *Options) { o.Verbatim = func(n string) bool { return !IsAttribute(n) } }, want: "t/${clientid}/acme"},
		{text: "t/${clientid}/${client_attrs.tenant}", client: alice,
			opts: func(o *Options) { o.Verbatim = IsAttribute }, want: "t/c1/${client_attrs.tenant}"},
		// Fault: undefined renders as nothing.
		{text: "t/${username}/x", client: anonymous, opts: func(o *Options) { o.Undefined = UndefinedEmpty }, want: "t//x"},
	})
}

func TestACLTopicHasPlaceholders(t *testing.T) {
	for text, want := range map[string]bool{
		"t/${clientid}":          true,
		"t/${client_attrs.x}":    true,
		"t/${peerhost}":          false, // stays literal: the topic is used as written
		"t/${$}":                 false,
		"t/plain":                false,
		"t/${ clientid }":        false,
		"${zone}/${unknown.var}": true,
	} {
		tm := ACLTopic.Parse(text)
		if tm.HasPlaceholders() != want || tm.Text() != text {
			t.Errorf("%q: has placeholders %v, text %q", text, tm.HasPlaceholders(), tm.Text())
		}
	}
}

// VerifyClaims: JWT-VC-02, JWT-VC-05, JWT-VC-06.
func TestVerifyClaims(t *testing.T) {
	runRenders(t, &VerifyClaims, []render{
		{text: "${clientid}:${username}", client: alice, want: "c1:alice"},
		// An unsent Username renders as nothing; a sent empty one too.
		{text: "u-${username}-", client: anonymous, want: "u--"},
		{text: "u-${username}-", client: clientinfo.Client{HasUsername: true}, want: "u--"},
		{text: "${clientid}", client: clientinfo.Client{}, want: ""},
		// Only the two are known.
		{text: "${zone}/${client_attrs.tenant}/${cert_common_name}", client: alice, want: "${zone}/${client_attrs.tenant}/${cert_common_name}"},
		// Fault: unknown placeholders render as nothing; the escape stays.
		{text: "a${peerhost}b${}c${$}${clientid}", client: alice, opts: func(o *Options) { o.Unknown = UnknownEmpty }, want: "abc$c1"},
	})
}

// SCRAMRequest: SCRAM-10.
func TestSCRAMRequest(t *testing.T) {
	runRenders(t, &SCRAMRequest, []render{
		{text: "/u/${username}?c=${clientid}&h=${peerhost}&cn=${cert_common_name}&dn=${cert_subject}&t=${client_attrs.tenant}",
			client: alice, want: "/u/alice?c=c1&h=10.0.0.1&cn=cn1&dn=CN=cn1,O=x&t=acme"},
		// SCRAM sends no password; an attribute name may hold a dot.
		{text: "p=${password}&d=${client_attrs.a.b}", client: alice, want: "p=&d=dotted"},
		// What the client did not send renders as nothing.
		{text: "[${username}|${cert_common_name}|${client_attrs.tenant}]", client: anonymous, want: "[||]"},
		// Braces: spaces are trimmed, anything up to "}" is the name.
		{text: "${ username }", client: alice, want: "alice"},
		{text: "${a${clientid}", client: alice, want: "${a${clientid}"},
		{text: "${$}", client: alice, want: "${$}"},
		{text: "${.clientid}", client: alice, want: "${.clientid}"},
		{text: "x${unclosed ${clientid", client: alice, want: "x${unclosed ${clientid"},
		{text: "${zone}/${client_attrs.}/${}", client: alice, want: "${zone}/${client_attrs.}/${}"},
		// Escaping applies to values, not to the text around them.
		{text: "/a b/${username}", client: clientinfo.Client{Username: "x/y z"},
			opts: func(o *Options) { o.Escape = url.PathEscape }, want: "/a b/x%2Fy%20z"},
	})
}

func TestZeroTemplate(t *testing.T) {
	var tm Template
	o := ACLTopic.Options()
	if s, err := tm.Render(&alice, &o); s != "" || err != nil || tm.HasPlaceholders() {
		t.Errorf("zero template: %q, %v", s, err)
	}
}

func TestAppendKeepsBuffer(t *testing.T) {
	tm := ACLTopic.Parse("t/${clientid}")
	o := ACLTopic.Options()
	buf, err := tm.Append([]byte("prefix:"), &alice, &o)
	if err != nil || string(buf) != "prefix:t/c1" {
		t.Errorf("got %q, %v", buf, err)
	}
}

func TestKnows(t *testing.T) {
	for _, c := range []struct {
		x    *Context
		name string
		want bool
	}{
		{&ACLTopic, "zone", true}, {&ACLTopic, "peerhost", false}, {&ACLTopic, "client_attrs.x", true},
		{&VerifyClaims, "username", true}, {&VerifyClaims, "zone", false},
		{&SCRAMRequest, "cert_subject", true}, {&SCRAMRequest, "client_attrs.", false}, {&SCRAMRequest, "zone", false},
	} {
		if c.x.Knows(c.name) != c.want {
			t.Errorf("%s knows %q: want %v", c.x.Name, c.name, c.want)
		}
	}
}
