// Package placeholder is the reference's one engine for EMQX's "${...}"
// templates, with the rules of each place the reference renders them.
//
// EMQX renders templates in several places, and they do not agree: which
// placeholders a place knows, what a placeholder it does not know renders
// to, what a known one renders to when the client has no value for it, even
// how a placeholder is spelled. A Context holds one place's rules:
//
//   - ACLTopic: authorization rule topics (emqx_authz_rule:compile_topic/1;
//     JWT-ACL-03, JWT-ACL-15, JWT-ACL-16, ambiguity A12);
//   - VerifyClaims: the values of the JWT authenticator's verify_claims
//     (emqx_auth_template; JWT-VC-02, JWT-VC-05, JWT-VC-06);
//   - SCRAMRequest: the URL, headers and body of the SCRAM HTTP backend's
//     request (SCRAM-10).
//
// A Context parses a text once (Parse) into a Template, which renders for a
// client (clientinfo.Client) as the Context's Options say. Options are
// also how a caller bends the rules for its deliberate defects (self-test
// faults) and for where the text goes (escaping, forbidden characters).
//
// The conformance suite renders templates with a renderer of its own, on
// purpose: an oracle must not share the code of the broker it judges.
package placeholder

import (
	"errors"
	"strings"

	"github.com/authspec/authspec/reference/clientinfo"
)

// Syntax is how a place spells a placeholder.
type Syntax uint8

const (
	// EMQX is emqx_template's syntax: "${name}" or "${.name}" (the "." is
	// dropped), where name is letters, digits, "." and "_", possibly none;
	// "${$}" is an escaped "$". Anything else is literal text.
	EMQX Syntax = iota
	// Braces reads "${" up to the next "}" as a placeholder whose name is
	// the text between, spaces trimmed; there is no escape. A "${" with no
	// "}" after it starts literal text to the end.
	Braces
)

// Unknown is what a placeholder its Context does not know renders to.
type Unknown uint8

const (
	// UnknownVerbatim renders it as written: "${peerhost}" stays
	// "${peerhost}".
	UnknownVerbatim Unknown = iota
	// UnknownEmpty renders it as nothing.
	UnknownEmpty
)

// Undefined is what a known placeholder renders to when the client has no
// value for it.
type Undefined uint8

const (
	// UndefinedEmpty renders it as nothing.
	UndefinedEmpty Undefined = iota
	// UndefinedFails renders the rest of the text, then fails with
	// ErrUndefined; a forbidden value (ErrForbidden) fails at once, so it
	// wins, as in EMQX, which renders every placeholder before it reports
	// the undefined ones.
	UndefinedFails
)

var (
	// ErrUndefined: a known placeholder had no value for the client, under
	// UndefinedFails.
	ErrUndefined = errors.New("placeholder undefined for this client")
	// ErrForbidden: a placeholder's value held a byte of Options.Forbid.
	ErrForbidden = errors.New("placeholder value holds a forbidden character")
)

// Options say how a Template renders. A Context's Options are its rules;
// a caller changes a copy for where the text goes or for a fault.
type Options struct {
	Unknown   Unknown
	Undefined Undefined
	// Forbid lists bytes a value may not hold (authorization's
	// topic_template_allow): rendering fails with ErrForbidden at the first
	// value holding one.
	Forbid string
	// Escape, when set, encodes each value for where the text goes (a URL
	// path); literal text is not escaped.
	Escape func(value string) string
	// Verbatim, when set, renders the known placeholders it reports as
	// written instead of their values (the faults that leave placeholders
	// unrendered).
	Verbatim func(name string) bool
}

// Context is one place that renders templates, with its rules.
type Context struct {
	// Name says where the templates are, for messages.
	Name   string
	Syntax Syntax
	// known reports whether the place renders placeholder name.
	known func(name string) bool
	// value is the client's value for a known placeholder, false when it
	// has none.
	value func(c *clientinfo.Client, name string) (string, bool)
	opts  Options
}

// Knows reports whether the context renders placeholder name (the text
// between "${" and "}", "." prefix dropped).
func (x *Context) Knows(name string) bool { return x.known(name) }

// Options returns the context's rules, to render with or to change.
func (x *Context) Options() Options { return x.opts }

// Template is a text parsed in one Context. The zero Template is the empty
// text.
type Template struct {
	ctx   *Context
	text  string
	parts []part
	known int // how many parts are known placeholders
}

type partKind uint8

const (
	literal partKind = iota
	knownVar
	unknownVar
)

// part is a run of literal text or one placeholder.
type part struct {
	kind partKind
	text string // the literal text, or the placeholder as written
	name string // the placeholder's name
}

// Parse splits text into literal runs and placeholders, once.
func (x *Context) Parse(text string) Template {
	t := Template{ctx: x, text: text}
	add := func(p part) {
		if p.kind == literal {
			if p.text == "" {
				return
			}
			if n := len(t.parts); n > 0 && t.parts[n-1].kind == literal {
				t.parts[n-1].text += p.text
				return
			}
		}
		if p.kind == knownVar {
			t.known++
		}
		t.parts = append(t.parts, p)
	}
	placeholder := func(src, name string) part {
		if x.known(name) {
			return part{kind: knownVar, text: src, name: name}
		}
		return part{kind: unknownVar, text: src, name: name}
	}
	switch x.Syntax {
	case Braces:
		parseBraces(text, add, placeholder)
	default:
		parseEMQX(text, add, placeholder)
	}
	return t
}

// parseEMQX scans emqx_template's syntax (see EMQX).
func parseEMQX(text string, add func(part), placeholder func(src, name string) part) {
	start := 0 // of the literal run under way
	for i := 0; i < len(text); {
		if strings.HasPrefix(text[i:], "${$}") {
			add(part{text: text[start:i] + "$"})
			i += len("${$}")
			start = i
			continue
		}
		if name, n, ok := emqxPlaceholderAt(text[i:]); ok {
			add(part{text: text[start:i]})
			add(placeholder(text[i:i+n], name))
			i += n
			start = i
			continue
		}
		i++
	}
	add(part{text: text[start:]})
}

// emqxPlaceholderAt reads "${name}" or "${.name}" at the start of s and
// returns the name and the length read.
func emqxPlaceholderAt(s string) (name string, n int, ok bool) {
	if !strings.HasPrefix(s, "${") {
		return "", 0, false
	}
	i := 2
	if i < len(s) && s[i] == '.' {
		i++
	}
	from := i
	for i < len(s) && isNameByte(s[i]) {
		i++
	}
	if i >= len(s) || s[i] != '}' {
		return "", 0, false
	}
	return s[from:i], i + 1, true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
}

// parseBraces scans the Braces syntax.
func parseBraces(text string, add func(part), placeholder func(src, name string) part) {
	for {
		start := strings.Index(text, "${")
		if start < 0 {
			break
		}
		end := strings.IndexByte(text[start:], '}')
		if end < 0 {
			break
		}
		end += start
		add(part{text: text[:start]})
		add(placeholder(text[start:end+1], strings.TrimSpace(text[start+2:end])))
		text = text[end+1:]
	}
	add(part{text: text})
}

// Text is the text as written.
func (t *Template) Text() string { return t.text }

// HasPlaceholders reports whether the text holds a placeholder its context
// knows, that is whether rendering can differ from client to client.
func (t *Template) HasPlaceholders() bool { return t.known > 0 }

// Render returns the text rendered for c; see Append.
func (t *Template) Render(c *clientinfo.Client, o *Options) (string, error) {
	if len(t.parts) == 1 && t.parts[0].kind == literal {
		return t.parts[0].text, nil
	}
	b, err := t.Append(nil, c, o)
	return string(b), err
}

// Append appends the text rendered for c to buf. The error is
// ErrForbidden or ErrUndefined (see Options); buf then holds what was
// rendered so far.
func (t *Template) Append(buf []byte, c *clientinfo.Client, o *Options) ([]byte, error) {
	undefined := false
	for i := range t.parts {
		p := &t.parts[i]
		switch p.kind {
		case literal:
			buf = append(buf, p.text...)
			continue
		case unknownVar:
			if o.Unknown == UnknownVerbatim {
				buf = append(buf, p.text...)
			}
			continue
		}
		if o.Verbatim != nil && o.Verbatim(p.name) {
			buf = append(buf, p.text...)
			continue
		}
		v, ok := t.ctx.value(c, p.name)
		if !ok {
			undefined = undefined || o.Undefined == UndefinedFails
			continue
		}
		if o.Forbid != "" && strings.ContainsAny(v, o.Forbid) {
			return buf, ErrForbidden
		}
		if o.Escape != nil {
			v = o.Escape(v)
		}
		buf = append(buf, v...)
	}
	if undefined {
		return buf, ErrUndefined
	}
	return buf, nil
}
