package scramhttp

import (
	"strings"

	"github.com/authspec/authspec/reference/clientinfo"
)

// template is a string with ${...} placeholders (SCRAM-10). Placeholders the
// authenticator does not know stay literal text, as in EMQX, which warns at
// configuration and renders them verbatim.
type template []segment

type segment struct {
	text     string // literal text, or the placeholder as written
	variable string // non-empty for a known placeholder
}

func parseTemplate(s string) template {
	var t template
	for {
		start := strings.Index(s, "${")
		if start < 0 {
			break
		}
		end := strings.IndexByte(s[start:], '}')
		if end < 0 {
			break
		}
		end += start
		if start > 0 {
			t = append(t, segment{text: s[:start]})
		}
		name := strings.TrimSpace(s[start+2 : end])
		seg := segment{text: s[start : end+1]}
		if knownVariable(name) {
			seg.variable = name
		}
		t = append(t, seg)
		s = s[end+1:]
	}
	if s != "" {
		t = append(t, segment{text: s})
	}
	return t
}

func knownVariable(name string) bool {
	switch name {
	case "username", "clientid", "password", "peerhost", "cert_common_name", "cert_subject":
		return true
	}
	attr, ok := strings.CutPrefix(name, "client_attrs.")
	return ok && attr != ""
}

// render fills the placeholders; escape (may be nil) encodes each filled
// value for where the template is used (path, query, raw header).
func (t template) render(v variables, escape func(string) string) string {
	var b strings.Builder
	for _, seg := range t {
		if seg.variable == "" {
			b.WriteString(seg.text)
			continue
		}
		val := v.lookup(seg.variable)
		if escape != nil {
			val = escape(val)
		}
		b.WriteString(val)
	}
	return b.String()
}

// variables are the values placeholders render to. A value the client did
// not send renders as empty.
type variables struct {
	username string // the SCRAM user name from n=, unescaped
	client   *clientinfo.Client
}

func (v variables) lookup(name string) string {
	switch name {
	case "username":
		return v.username
	case "password":
		// SCRAM never sends a password; EMQX renders it as empty.
		return ""
	case "clientid":
		return v.client.ClientID
	case "peerhost":
		return v.client.PeerHost
	case "cert_common_name":
		return v.client.CertCommonName
	case "cert_subject":
		return v.client.CertSubject
	}
	if attr, ok := strings.CutPrefix(name, "client_attrs."); ok {
		return v.client.ClientAttrs[attr]
	}
	return ""
}
