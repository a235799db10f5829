package authz

import (
	"strings"

	"github.com/authspec/authspec/reference/clientinfo"
)

// Placeholders in rule topics, as EMQX's emqx_template and
// emqx_authz_rule:compile_topic/1 handle them.
//
// A placeholder is "${name}" (an optional "." after "${" is dropped) with a
// name of letters, digits, "." and "_"; "${$}" is an escaped "$". Only
// ${username}, ${clientid}, ${cert_common_name}, ${zone} and
// ${client_attrs.NAME} are rendered (JWT-ACL-03, JWT-ACL-15; ambiguity A12);
// any other placeholder stays literal text. A topic with no rendered
// placeholder is used as written, escapes included, because EMQX then keeps
// the original text rather than the parsed template.

type varKind uint8

const (
	varUsername varKind = iota + 1
	varClientID
	varCertCommonName
	varZone
	varClientAttr
)

// tmplPart is a literal run of text (kind 0) or a placeholder.
type tmplPart struct {
	kind varKind
	text string // the literal text, or the attribute name for varClientAttr
	src  string // the placeholder as written, e.g. "${username}"
}

// topicFilter is one compiled rule topic.
type topicFilter struct {
	text string // as written in the rule, for logs
	// eq: the "eq " prefix asks for an exact comparison with literal, no
	// wildcards, no placeholders (JWT-ACL-04).
	eq      bool
	literal string
	// asWritten is the eq filter compiled without its prefix's meaning, for
	// the fault acl-eq-prefix-ignored.
	asWritten *topicFilter
	levels    []string   // the filter's levels when it has no placeholder
	parts     []tmplPart // non-nil when the filter has placeholders to render
}

// compileTopic compiles one rule topic: "eq " prefix, then placeholders.
func compileTopic(text string) topicFilter {
	if lit, ok := strings.CutPrefix(text, "eq "); ok {
		return compileEq(lit)
	}
	return compileTemplate(text)
}

// compileEq compiles an exact topic ("eq t", acl.conf's {eq, "t"}).
func compileEq(lit string) topicFilter {
	plain := compileTemplate(lit)
	return topicFilter{text: "eq " + lit, eq: true, literal: lit, asWritten: &plain}
}

func compileTemplate(text string) topicFilter {
	parts := parseTemplate(text)
	for _, p := range parts {
		if p.kind != 0 {
			return topicFilter{text: text, parts: parts}
		}
	}
	return topicFilter{text: text, levels: levels(text)}
}

// parseTemplate splits text into literal runs and placeholders.
func parseTemplate(text string) []tmplPart {
	var parts []tmplPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, tmplPart{text: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(text); {
		if strings.HasPrefix(text[i:], "${$}") {
			lit.WriteByte('$')
			i += 4
			continue
		}
		if name, n, ok := placeholderAt(text[i:]); ok {
			src := text[i : i+n]
			if kind, attr := classifyVar(name); kind != 0 {
				flush()
				parts = append(parts, tmplPart{kind: kind, text: attr, src: src})
			} else {
				// EMQX renders a disallowed placeholder back as its own text.
				lit.WriteString(src)
			}
			i += n
			continue
		}
		lit.WriteByte(text[i])
		i++
	}
	flush()
	return parts
}

// placeholderAt reads "${name}" or "${.name}" at the start of s and returns
// the name and the length consumed.
func placeholderAt(s string) (name string, n int, ok bool) {
	if !strings.HasPrefix(s, "${") {
		return "", 0, false
	}
	i := 2
	if i < len(s) && s[i] == '.' {
		i++
	}
	start := i
	for i < len(s) && isVarChar(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '}' {
		return "", 0, false
	}
	return s[start:i], i + 1, true
}

func isVarChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
}

// classifyVar maps a placeholder name to what it renders; 0 means the
// placeholder is not one authorization renders.
func classifyVar(name string) (varKind, string) {
	switch name {
	case "username":
		return varUsername, ""
	case "clientid":
		return varClientID, ""
	case "cert_common_name":
		return varCertCommonName, ""
	case "zone":
		return varZone, ""
	}
	if attr, ok := strings.CutPrefix(name, "client_attrs."); ok {
		return varClientAttr, attr
	}
	return 0, ""
}

// renderError tells the two ways rendering a placeholder fails apart,
// because EMQX treats them differently under the legacy profile (see
// Rule.matchTopics).
type renderError uint8

const (
	renderOK renderError = iota
	// renderUndefined: the client has no value for the placeholder.
	renderUndefined
	// renderBadValue: the value holds "/", "+" or "#", which would let a
	// client widen its own rule (topic injection).
	renderBadValue
)

// renderOptions are the rendering choices of one check.
type renderOptions struct {
	allow          TemplateAllow
	literalBasic   bool // fault acl-placeholders-not-rendered
	literalAttrs   bool // fault acl-client-attrs-not-rendered
	unsafeRenderer bool // fault acl-unsafe-placeholder-values
}

// render appends the filter rendered for client c to buf.
func (f *topicFilter) render(buf []byte, c *clientinfo.Client, o *renderOptions) ([]byte, renderError) {
	undefined := false
	for _, p := range f.parts {
		if p.kind == 0 {
			buf = append(buf, p.text...)
			continue
		}
		if p.kind == varClientAttr && o.literalAttrs || p.kind != varClientAttr && o.literalBasic {
			buf = append(buf, p.src...)
			continue
		}
		v, ok := lookup(c, p.kind, p.text)
		if o.unsafeRenderer {
			buf = append(buf, v...)
			continue
		}
		// EMQX renders every placeholder before it reports the undefined
		// ones, and a bad value aborts at once: a bad value wins.
		if !ok {
			undefined = true
			continue
		}
		if !o.allow.permits(v) {
			return buf, renderBadValue
		}
		buf = append(buf, v...)
	}
	if undefined {
		return buf, renderUndefined
	}
	return buf, renderOK
}

// lookup returns the client's value for a placeholder. An empty value counts
// as undefined: EMQX's clients have no empty Client ID, and it treats an
// empty Username as no Username (quick_deny_anonymous); Zone and Listener
// default to EMQX's "default" names when the broker leaves them unset.
func lookup(c *clientinfo.Client, kind varKind, attr string) (string, bool) {
	var v string
	switch kind {
	case varUsername:
		v = c.Username
	case varClientID:
		v = c.ClientID
	case varCertCommonName:
		v = c.CertCommonName
	case varZone:
		v = c.ZoneOrDefault()
	case varClientAttr:
		// A dotted name (client_attrs.a.b) looks inside a string value in
		// EMQX, which fails: undefined.
		if strings.Contains(attr, ".") {
			return "", false
		}
		var ok bool
		v, ok = c.ClientAttrs[attr]
		return v, ok
	}
	return v, v != ""
}

// TemplateAllow is EMQX's authorization.topic_template_allow: which
// characters a rendered placeholder value may hold. All false by default,
// so a Username "+" or "a/b" cannot widen rule "t/${username}" (JWT-ACL-16).
type TemplateAllow struct {
	Plus  bool `json:"plus"`
	Hash  bool `json:"hash"`
	Slash bool `json:"slash"`
}

func (a TemplateAllow) permits(v string) bool {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '+':
			if !a.Plus {
				return false
			}
		case '#':
			if !a.Hash {
				return false
			}
		case '/':
			if !a.Slash {
				return false
			}
		}
	}
	return true
}
