package authz

import (
	"strings"

	"github.com/authspec/authspec/reference/placeholder"
)

// Placeholders in rule topics are rendered by reference/placeholder in its
// ACLTopic context (JWT-ACL-03, JWT-ACL-15, JWT-ACL-16; ambiguity A12). A
// topic with no placeholder that context renders is used as written,
// escapes included, because EMQX then keeps the original text rather than
// the parsed template.

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
	levels    []string // the filter's levels when it has no placeholder
	// tmpl is non-nil when the filter has placeholders to render.
	tmpl *placeholder.Template
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
	if t := placeholder.ACLTopic.Parse(text); t.HasPlaceholders() {
		return topicFilter{text: text, tmpl: &t}
	}
	return topicFilter{text: text, levels: levels(text)}
}

// renderError tells the two ways rendering a placeholder fails apart,
// because EMQX treats them differently under the legacy profile (see
// Rule.match).
type renderError uint8

const (
	renderOK renderError = iota
	// renderUndefined: the client has no value for the placeholder.
	renderUndefined
	// renderBadValue: the value holds "/", "+" or "#", which would let a
	// client widen its own rule (topic injection).
	renderBadValue
)

// renderOptions are the placeholder options of one check: the ACLTopic
// context's, with authorization.topic_template_allow and the faults.
func renderOptions(allow TemplateAllow, fs Defects) placeholder.Options {
	o := placeholder.ACLTopic.Options()
	o.Forbid = allow.forbidden()
	o.Verbatim = verbatim(fs.placeholdersNotRendered, fs.clientAttrsNotRendered)
	if fs.unsafePlaceholderValues {
		// Every value goes in, an undefined one as nothing.
		o.Undefined = placeholder.UndefinedEmpty
		o.Forbid = ""
	}
	return o
}

// verbatim picks the placeholders the faults acl-placeholders-not-rendered
// (all but attributes) and acl-client-attrs-not-rendered (attributes) leave
// as written. The functions capture nothing, so a check allocates none.
func verbatim(basic, attrs bool) func(string) bool {
	switch {
	case basic && attrs:
		return func(string) bool { return true }
	case basic:
		return func(name string) bool { return !placeholder.IsAttribute(name) }
	case attrs:
		return placeholder.IsAttribute
	}
	return nil
}

// TemplateAllow is EMQX's authorization.topic_template_allow: which
// characters a rendered placeholder value may hold. All false by default,
// so a Username "+" or "a/b" cannot widen rule "t/${username}" (JWT-ACL-16).
type TemplateAllow struct {
	Plus  bool `json:"plus"`
	Hash  bool `json:"hash"`
	Slash bool `json:"slash"`
}

// forbidden lists the characters a value may not hold, from a table so
// that a check allocates nothing.
func (a TemplateAllow) forbidden() string {
	i := 0
	if a.Plus {
		i |= 1
	}
	if a.Hash {
		i |= 2
	}
	if a.Slash {
		i |= 4
	}
	return forbiddenBy[i]
}

var forbiddenBy = [8]string{"+#/", "#/", "+/", "/", "+#", "#", "+", ""}
