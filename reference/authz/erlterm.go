package authz

import (
	"fmt"
	"strconv"
	"strings"
)

// A reader for the subset of Erlang terms that EMQX's acl.conf uses
// (file:consult/1): atoms (bare or 'quoted'), "strings" and <<"binaries">>,
// integers, [lists] and {tuples}, each top-level term ended by a ".", and
// "%" comments. Enough for every rule form EMQX documents; anything else is
// an error naming the line.

type termKind uint8

const (
	termAtom termKind = iota + 1
	termString
	termInt
	termList
	termTuple
)

type term struct {
	kind  termKind
	text  string // atom name or string contents
	n     int64
	elems []term
	line  int
}

func (t term) String() string {
	switch t.kind {
	case termAtom:
		return t.text
	case termString:
		return strconv.Quote(t.text)
	case termInt:
		return strconv.FormatInt(t.n, 10)
	}
	open, end := "[", "]"
	if t.kind == termTuple {
		open, end = "{", "}"
	}
	parts := make([]string, len(t.elems))
	for i, e := range t.elems {
		parts[i] = e.String()
	}
	return open + strings.Join(parts, ", ") + end
}

func (t term) isAtom(name string) bool { return t.kind == termAtom && t.text == name }

// maxTermDepth bounds nesting so a hostile configuration cannot exhaust the
// stack.
const maxTermDepth = 64

type termReader struct {
	src  string
	pos  int
	line int
}

// readTerms reads every "Term." of src.
func readTerms(src string) ([]term, error) {
	r := &termReader{src: src, line: 1}
	var out []term
	for {
		r.skipSpace()
		if r.pos >= len(r.src) {
			return out, nil
		}
		t, err := r.term(0)
		if err != nil {
			return nil, err
		}
		r.skipSpace()
		if r.pos >= len(r.src) || r.src[r.pos] != '.' {
			return nil, r.errorf("expected '.' after a term")
		}
		r.pos++
		out = append(out, t)
	}
}

func (r *termReader) errorf(format string, a ...any) error {
	return fmt.Errorf("line %d: %s", r.line, fmt.Sprintf(format, a...))
}

func (r *termReader) skipSpace() {
	for r.pos < len(r.src) {
		switch c := r.src[r.pos]; {
		case c == '\n':
			r.line++
			r.pos++
		case c == ' ' || c == '\t' || c == '\r':
			r.pos++
		case c == '%':
			for r.pos < len(r.src) && r.src[r.pos] != '\n' {
				r.pos++
			}
		default:
			return
		}
	}
}

func (r *termReader) term(depth int) (term, error) {
	if depth > maxTermDepth {
		return term{}, r.errorf("terms nested deeper than %d", maxTermDepth)
	}
	r.skipSpace()
	if r.pos >= len(r.src) {
		return term{}, r.errorf("unexpected end of rules")
	}
	line := r.line
	c := r.src[r.pos]
	switch {
	case c == '{' || c == '[':
		r.pos++
		closer := byte('}')
		kind := termTuple
		if c == '[' {
			closer, kind = ']', termList
		}
		elems, err := r.sequence(closer, depth)
		return term{kind: kind, elems: elems, line: line}, err
	case c == '"':
		s, err := r.quoted('"')
		return term{kind: termString, text: s, line: line}, err
	case c == '\'':
		s, err := r.quoted('\'')
		return term{kind: termAtom, text: s, line: line}, err
	case strings.HasPrefix(r.src[r.pos:], "<<\""):
		r.pos += 2
		s, err := r.quoted('"')
		if err != nil {
			return term{}, err
		}
		if !strings.HasPrefix(r.src[r.pos:], ">>") {
			return term{}, r.errorf("expected >> after a binary")
		}
		r.pos += 2
		return term{kind: termString, text: s, line: line}, nil
	case c == '-' || c >= '0' && c <= '9':
		start := r.pos
		r.pos++
		for r.pos < len(r.src) && r.src[r.pos] >= '0' && r.src[r.pos] <= '9' {
			r.pos++
		}
		n, err := strconv.ParseInt(r.src[start:r.pos], 10, 64)
		if err != nil {
			return term{}, r.errorf("bad integer %q", r.src[start:r.pos])
		}
		return term{kind: termInt, n: n, line: line}, nil
	case c >= 'a' && c <= 'z':
		start := r.pos
		for r.pos < len(r.src) && isAtomChar(r.src[r.pos]) {
			r.pos++
		}
		return term{kind: termAtom, text: r.src[start:r.pos], line: line}, nil
	}
	return term{}, r.errorf("unexpected %q", c)
}

func isAtomChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '@'
}

// sequence reads comma-separated terms up to closer.
func (r *termReader) sequence(closer byte, depth int) ([]term, error) {
	var elems []term
	r.skipSpace()
	if r.pos < len(r.src) && r.src[r.pos] == closer {
		r.pos++
		return elems, nil
	}
	for {
		t, err := r.term(depth + 1)
		if err != nil {
			return nil, err
		}
		elems = append(elems, t)
		r.skipSpace()
		if r.pos >= len(r.src) {
			return nil, r.errorf("unexpected end of rules, expected %q", closer)
		}
		switch r.src[r.pos] {
		case ',':
			r.pos++
		case closer:
			r.pos++
			return elems, nil
		default:
			return nil, r.errorf("expected ',' or %q, got %q", closer, r.src[r.pos])
		}
	}
}

// quoted reads a quoted string or atom with Erlang's common escapes.
func (r *termReader) quoted(q byte) (string, error) {
	r.pos++ // opening quote
	var b strings.Builder
	for r.pos < len(r.src) {
		c := r.src[r.pos]
		switch {
		case c == q:
			r.pos++
			return b.String(), nil
		case c == '\\':
			if r.pos+1 >= len(r.src) {
				return "", r.errorf("unterminated escape")
			}
			e := r.src[r.pos+1]
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 's':
				b.WriteByte(' ')
			case '\\', '"', '\'':
				b.WriteByte(e)
			default:
				return "", r.errorf("unsupported escape \\%c", e)
			}
			r.pos += 2
		default:
			if c == '\n' {
				r.line++
			}
			b.WriteByte(c)
			r.pos++
		}
	}
	return "", r.errorf("unterminated %c-quoted text", q)
}
