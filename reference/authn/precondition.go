package authn

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/authspec/authspec/reference/clientinfo"
)

// Precondition is an authenticator's `precondition` (CHAIN-04): an EMQX
// variform expression rendered against the connecting client. The
// authenticator runs only when it renders to exactly "true".
//
// The reference implements a documented subset of variform
// (emqx_variform / emqx_variform_bif): the same grammar (function calls,
// variables, 'single' or "double" quoted strings without escapes, integers,
// floats, true/false, [arrays] as arguments) and these functions:
//
//	str_eq(a, b)  str_neq(a, b)  regex_match(s, re)  concat(a, b) | concat([...])
//	lower(s)  upper(s)  trim(s)  rm_prefix(s, p)  strlen(s)  substr(s, start[, len])
//	nth(n, list)  not(b)  is_empty(x)  is_empty_val(x)  iif(cond, then, else)
//	coalesce(a, b, ...) | coalesce([...])
//
// over the variables clientid, username, password, listener, zone, peerhost,
// cert_common_name, cert_subject and client_attrs.NAME.
//
// Differences from EMQX, chosen so that mistakes surface when the
// configuration is loaded rather than on every CONNECT: an unknown function
// or variable, a wrong number of arguments, or a literal regex that does not
// compile is a configuration error (EMQX only fails when rendering). As in
// EMQX, a variable the client does not have (client_attrs.NAME not set,
// cert_common_name without a TLS certificate) is an error at render time,
// except inside coalesce, is_empty and the condition of iif, where it counts
// as "". Regexes are Go RE2, not PCRE.
type Precondition struct {
	expr string
	root node
}

// ParsePrecondition compiles expr. An empty expression means "no
// precondition" and gives nil.
func ParsePrecondition(expr string) (*Precondition, error) {
	if strings.TrimSpace(expr) == "" {
		return nil, nil
	}
	toks, err := scanVariform(expr)
	if err != nil {
		return nil, fmt.Errorf("bad precondition expression: %w", err)
	}
	p := &variformParser{toks: toks}
	root, err := p.expr()
	if err == nil && p.pos < len(p.toks) {
		err = fmt.Errorf("unexpected %s after the expression", p.toks[p.pos])
	}
	if err != nil {
		return nil, fmt.Errorf("bad precondition expression: %w", err)
	}
	return &Precondition{expr: expr, root: root}, nil
}

// String returns the expression as configured.
func (p *Precondition) String() string { return p.expr }

// Render evaluates the expression for c and returns its string form (EMQX's
// eval_as_string): booleans render as "true"/"false", numbers in decimal.
func (p *Precondition) Render(c *clientinfo.Client) (string, error) {
	v, err := p.root.eval(clientBindings{c})
	if err != nil {
		return "", err
	}
	return renderValue(v)
}

// Allows reports whether the precondition renders to "true" for c; an
// error means it could not be rendered (EMQX: a backend failure).
func (p *Precondition) Allows(c *clientinfo.Client) (bool, error) {
	s, err := p.Render(c)
	if err != nil {
		return false, err
	}
	return s == "true", nil
}

// errUnbound marks a variable the client does not have.
var errUnbound = errors.New("unbound variable")

// clientBindings resolves variform variables from a client.
type clientBindings struct{ c *clientinfo.Client }

func (b clientBindings) lookup(name string) (value, error) {
	c := b.c
	switch name {
	case "clientid":
		return c.ClientID, nil
	case "username":
		return c.Username, nil
	case "password":
		return string(c.Password), nil
	case "listener":
		return c.Listener, nil
	case "zone":
		return c.Zone, nil
	case "peerhost":
		return c.PeerHost, nil
	case "cert_common_name":
		// EMQX sets cn/dn only for TLS clients with a certificate.
		if c.CertCommonName == "" {
			return nil, fmt.Errorf("%w %s", errUnbound, name)
		}
		return c.CertCommonName, nil
	case "cert_subject":
		if c.CertSubject == "" {
			return nil, fmt.Errorf("%w %s", errUnbound, name)
		}
		return c.CertSubject, nil
	}
	if attr, ok := strings.CutPrefix(name, "client_attrs."); ok {
		if v, ok := c.ClientAttrs[attr]; ok {
			return v, nil
		}
	}
	return nil, fmt.Errorf("%w %s", errUnbound, name)
}

func knownVariable(name string) bool {
	switch name {
	case "clientid", "username", "password", "listener", "zone", "peerhost", "cert_common_name", "cert_subject":
		return true
	}
	attr, ok := strings.CutPrefix(name, "client_attrs.")
	return ok && attr != ""
}

// value is a variform value: string, bool, int64, float64 or []value.
type value any

// ---- scanner ----

type tokKind int

const (
	tokIdent tokKind = iota
	tokBool
	tokInt
	tokFloat
	tokString
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokComma
)

type token struct {
	kind tokKind
	text string
	pos  int
}

func (t token) String() string {
	if t.kind == tokString {
		return fmt.Sprintf("string %q at %d", t.text, t.pos)
	}
	return fmt.Sprintf("%q at %d", t.text, t.pos)
}

var (
	reIdent = regexp.MustCompile(`^[a-zA-Z][-a-zA-Z0-9_.]*`)
	reFloat = regexp.MustCompile(`^[+-]?[0-9]+\.[0-9]+(e[+-]?[0-9]+)?`)
	reInt   = regexp.MustCompile(`^[+-]?[0-9]+`)
)

// scanVariform follows emqx_variform_scan.xrl: longest match wins, and a
// keyword (true/false) beats an identifier of the same length.
func scanVariform(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		ch := s[i]
		switch ch {
		case ' ', '\t', '\n':
			i++
			continue
		case '(':
			toks = append(toks, token{tokLParen, "(", i})
			i++
			continue
		case ')':
			toks = append(toks, token{tokRParen, ")", i})
			i++
			continue
		case '[':
			toks = append(toks, token{tokLBracket, "[", i})
			i++
			continue
		case ']':
			toks = append(toks, token{tokRBracket, "]", i})
			i++
			continue
		case ',':
			toks = append(toks, token{tokComma, ",", i})
			i++
			continue
		case '\'', '"':
			end := strings.IndexByte(s[i+1:], ch)
			if end < 0 {
				return nil, fmt.Errorf("unterminated string at %d", i)
			}
			toks = append(toks, token{tokString, s[i+1 : i+1+end], i})
			i += end + 2
			continue
		}
		rest := s[i:]
		if m := reIdent.FindString(rest); m != "" {
			kind := tokIdent
			if m == "true" || m == "false" {
				kind = tokBool
			}
			toks = append(toks, token{kind, m, i})
			i += len(m)
			continue
		}
		if m := reFloat.FindString(rest); m != "" {
			toks = append(toks, token{tokFloat, m, i})
			i += len(m)
			continue
		}
		if m := reInt.FindString(rest); m != "" {
			toks = append(toks, token{tokInt, m, i})
			i += len(m)
			continue
		}
		r, _ := utf8.DecodeRuneInString(rest)
		return nil, fmt.Errorf("unexpected character %q at %d", r, i)
	}
	return toks, nil
}

// ---- parser ----

type variformParser struct {
	toks []token
	pos  int
}

func (p *variformParser) peek() (token, bool) {
	if p.pos >= len(p.toks) {
		return token{}, false
	}
	return p.toks[p.pos], true
}

func (p *variformParser) expr() (node, error) {
	t, ok := p.peek()
	if !ok {
		return nil, errors.New("unexpected end of expression")
	}
	p.pos++
	switch t.kind {
	case tokBool:
		return literal{t.text == "true"}, nil
	case tokInt:
		n, err := strconv.ParseInt(t.text, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("integer %s out of range", t)
		}
		return literal{n}, nil
	case tokFloat:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, fmt.Errorf("bad float %s", t)
		}
		return literal{f}, nil
	case tokString:
		return literal{t.text}, nil
	case tokIdent:
		if next, ok := p.peek(); ok && next.kind == tokLParen {
			p.pos++
			return p.call(t)
		}
		if !knownVariable(t.text) {
			return nil, fmt.Errorf("unknown variable %s (known: clientid, username, password, listener, zone, peerhost, cert_common_name, cert_subject, client_attrs.NAME)", t)
		}
		return variable{t.text}, nil
	}
	return nil, fmt.Errorf("unexpected %s", t)
}

func (p *variformParser) call(name token) (node, error) {
	var args []node
	if t, ok := p.peek(); ok && t.kind == tokRParen {
		p.pos++
	} else {
		var err error
		if args, err = p.args(tokRParen); err != nil {
			return nil, err
		}
	}
	return newCall(name, args)
}

// args reads arg {, arg} up to and including the closing token.
func (p *variformParser) args(closing tokKind) ([]node, error) {
	var out []node
	for {
		var (
			n   node
			err error
		)
		if t, ok := p.peek(); ok && t.kind == tokLBracket {
			p.pos++
			var elems []node
			if elems, err = p.args(tokRBracket); err != nil {
				return nil, err
			}
			n = array{elems}
		} else if n, err = p.expr(); err != nil {
			return nil, err
		}
		out = append(out, n)
		t, ok := p.peek()
		if !ok {
			return nil, errors.New("unexpected end of expression: missing closing bracket")
		}
		p.pos++
		switch {
		case t.kind == tokComma:
			continue
		case t.kind == closing:
			return out, nil
		}
		return nil, fmt.Errorf("unexpected %s in argument list", t)
	}
}

// ---- evaluation ----

type node interface {
	eval(b clientBindings) (value, error)
}

type literal struct{ v value }

func (l literal) eval(clientBindings) (value, error) { return l.v, nil }

type variable struct{ name string }

func (v variable) eval(b clientBindings) (value, error) { return b.lookup(v.name) }

type array struct{ elems []node }

func (a array) eval(b clientBindings) (value, error) {
	out := make([]value, 0, len(a.elems))
	for _, e := range a.elems {
		v, err := e.eval(b)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// call is a function call. Special forms (coalesce, is_empty, iif) see
// their arguments unevaluated, so that an unbound variable counts as "".
type call struct {
	name string
	args []node
	fn   func(b clientBindings, args []node) (value, error)
}

func (c call) eval(b clientBindings) (value, error) {
	v, err := c.fn(b, c.args)
	if err != nil && !errors.Is(err, errUnbound) {
		return nil, fmt.Errorf("%s: %w", c.name, err)
	}
	return v, err
}

// function describes one supported function: how many arguments it takes
// and either an ordinary implementation over evaluated arguments or a
// special form.
type function struct {
	minArgs, maxArgs int // maxArgs < 0: any number
	plain            func(args []value) (value, error)
	special          func(b clientBindings, args []node) (value, error)
}

var functions map[string]function

func init() {
	// Declared in init because the special forms refer back to evaluation.
	functions = map[string]function{
		"str_eq":       {2, 2, func(a []value) (value, error) { return strCompare(a, true) }, nil},
		"str_neq":      {2, 2, func(a []value) (value, error) { return strCompare(a, false) }, nil},
		"regex_match":  {2, 2, regexMatch, nil},
		"concat":       {1, 2, concat, nil},
		"lower":        {1, 1, stringFunc(strings.ToLower), nil},
		"upper":        {1, 1, stringFunc(strings.ToUpper), nil},
		"trim":         {1, 1, stringFunc(strings.TrimSpace), nil},
		"rm_prefix":    {2, 2, rmPrefix, nil},
		"strlen":       {1, 1, strlen, nil},
		"substr":       {2, 3, substr, nil},
		"nth":          {2, 2, nth, nil},
		"not":          {1, 1, not, nil},
		"is_empty_val": {1, 1, func(a []value) (value, error) { return isEmpty(a[0]), nil }, nil},
		"is_empty":     {1, 1, nil, specialIsEmpty},
		"iif":          {3, 3, nil, specialIIf},
		"coalesce":     {0, -1, nil, specialCoalesce},
	}
}

func newCall(name token, args []node) (node, error) {
	f, ok := functions[name.text]
	if !ok {
		return nil, fmt.Errorf("unknown function %s (the reference supports: %s)", name, supportedFunctions())
	}
	if len(args) < f.minArgs || (f.maxArgs >= 0 && len(args) > f.maxArgs) {
		return nil, fmt.Errorf("function %s takes %s arguments, got %d", name, arity(f), len(args))
	}
	if name.text == "regex_match" {
		// A literal pattern is compiled once, now, so a bad one is a
		// configuration error rather than a failure on every CONNECT.
		if lit, ok := args[1].(literal); ok {
			s, isStr := lit.v.(string)
			if !isStr {
				return nil, fmt.Errorf("regex_match: the pattern must be a string")
			}
			if _, err := compileRegex(s); err != nil {
				return nil, fmt.Errorf("regex_match: %v", err)
			}
		}
	}
	c := call{name: name.text, args: args}
	if f.special != nil {
		c.fn = f.special
	} else {
		plain := f.plain
		c.fn = func(b clientBindings, args []node) (value, error) {
			vals := make([]value, len(args))
			for i, a := range args {
				v, err := a.eval(b)
				if err != nil {
					return nil, err
				}
				vals[i] = v
			}
			return plain(vals)
		}
	}
	return c, nil
}

func supportedFunctions() string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	sortStrings(names)
	return strings.Join(names, ", ")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func arity(f function) string {
	switch {
	case f.maxArgs < 0:
		return fmt.Sprintf("at least %d", f.minArgs)
	case f.minArgs == f.maxArgs:
		return strconv.Itoa(f.minArgs)
	}
	return fmt.Sprintf("%d to %d", f.minArgs, f.maxArgs)
}

// evalLenient evaluates n, turning an unbound variable into "" (EMQX's
// try_eval, used by the special forms).
func evalLenient(b clientBindings, n node) (value, error) {
	v, err := n.eval(b)
	if errors.Is(err, errUnbound) {
		return "", nil
	}
	return v, err
}

func isEmpty(v value) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []value:
		return len(x) == 0
	}
	return false
}

func specialIsEmpty(b clientBindings, args []node) (value, error) {
	v, err := evalLenient(b, args[0])
	if err != nil {
		return nil, err
	}
	return isEmpty(v), nil
}

func specialIIf(b clientBindings, args []node) (value, error) {
	cond, err := evalLenient(b, args[0])
	if err != nil {
		return nil, err
	}
	met := !isEmpty(cond)
	if bv, ok := cond.(bool); ok {
		met = bv
	}
	if met {
		return args[1].eval(b)
	}
	return args[2].eval(b)
}

func specialCoalesce(b clientBindings, args []node) (value, error) {
	if len(args) == 1 {
		if arr, ok := args[0].(array); ok {
			args = arr.elems
		} else {
			v, err := evalLenient(b, args[0])
			if err != nil {
				return nil, err
			}
			list, ok := v.([]value)
			if !ok {
				if isEmpty(v) {
					return "", nil
				}
				return nil, errors.New("the argument did not yield an array")
			}
			for _, item := range list {
				if !isEmpty(item) {
					return item, nil
				}
			}
			return "", nil
		}
	}
	for _, a := range args {
		v, err := evalLenient(b, a)
		if err != nil {
			return nil, err
		}
		if !isEmpty(v) {
			return v, nil
		}
	}
	return "", nil
}

// anyToStr is emqx_utils_conv:bin: what str_eq and concat compare and join.
func anyToStr(v value) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case []value:
		var sb strings.Builder
		for _, item := range x {
			s, ok := item.(string)
			if !ok {
				return "", errors.New("cannot convert a list holding non-strings to a string")
			}
			sb.WriteString(s)
		}
		return sb.String(), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("cannot convert %T to a string", v)
}

// stringArg is the string form of the argument of a string function:
// strings, and booleans (atoms in EMQX); anything else is a badarg.
func stringArg(v value) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("bad argument: expected a string, got %s", describe(v))
}

func describe(v value) string {
	switch v.(type) {
	case int64, float64:
		return "a number"
	case []value:
		return "an array"
	case bool:
		return "a boolean"
	case nil:
		return "nothing"
	}
	return "a string"
}

func strCompare(a []value, wantEqual bool) (value, error) {
	x, err := anyToStr(a[0])
	if err != nil {
		return nil, err
	}
	y, err := anyToStr(a[1])
	if err != nil {
		return nil, err
	}
	return (x == y) == wantEqual, nil
}

func compileRegex(pattern string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("bad regex %q: %v", pattern, err)
	}
	return re, nil
}

func regexMatch(a []value) (value, error) {
	s, err := stringArg(a[0])
	if err != nil {
		return nil, err
	}
	pattern, ok := a[1].(string)
	if !ok {
		return nil, fmt.Errorf("bad argument: the pattern must be a string, got %s", describe(a[1]))
	}
	re, err := compileRegex(pattern)
	if err != nil {
		return nil, err
	}
	return re.MatchString(s), nil
}

func concat(a []value) (value, error) {
	items := a
	if len(a) == 1 {
		list, ok := a[0].([]value)
		if !ok {
			return nil, fmt.Errorf("bad argument: concat/1 takes an array, got %s", describe(a[0]))
		}
		items = list
	}
	var sb strings.Builder
	for _, item := range items {
		s, err := anyToStr(item)
		if err != nil {
			return nil, err
		}
		sb.WriteString(s)
	}
	return sb.String(), nil
}

func stringFunc(f func(string) string) func([]value) (value, error) {
	return func(a []value) (value, error) {
		s, err := stringArg(a[0])
		if err != nil {
			return nil, err
		}
		return f(s), nil
	}
}

func rmPrefix(a []value) (value, error) {
	s, err := stringArg(a[0])
	if err != nil {
		return nil, err
	}
	prefix, err := stringArg(a[1])
	if err != nil {
		return nil, err
	}
	return strings.TrimPrefix(s, prefix), nil
}

func strlen(a []value) (value, error) {
	s, err := stringArg(a[0])
	if err != nil {
		return nil, err
	}
	return int64(utf8.RuneCountInString(s)), nil
}

// substr is string:slice: a zero-based start and an optional length, in
// characters.
func substr(a []value) (value, error) {
	s, err := stringArg(a[0])
	if err != nil {
		return nil, err
	}
	runes := []rune(s)
	start, ok := a[1].(int64)
	if !ok || start < 0 {
		return nil, errors.New("bad argument: start must be a non-negative integer")
	}
	if start > int64(len(runes)) {
		return "", nil
	}
	end := int64(len(runes))
	if len(a) == 3 {
		n, ok := a[2].(int64)
		if !ok || n < 0 {
			return nil, errors.New("bad argument: length must be a non-negative integer")
		}
		if start+n < end {
			end = start + n
		}
	}
	return string(runes[start:end]), nil
}

// nth is one-based, and "" past the end of the list.
func nth(a []value) (value, error) {
	var n int64
	switch x := a[0].(type) {
	case int64:
		n = x
	case string:
		parsed, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("bad argument: index %q is not an integer", x)
		}
		n = parsed
	default:
		return nil, fmt.Errorf("bad argument: index must be an integer, got %s", describe(a[0]))
	}
	list, ok := a[1].([]value)
	if !ok {
		return nil, fmt.Errorf("bad argument: expected an array, got %s", describe(a[1]))
	}
	if n < 1 {
		return nil, fmt.Errorf("bad argument: index %d", n)
	}
	if n > int64(len(list)) {
		return "", nil
	}
	return list[n-1], nil
}

func not(a []value) (value, error) {
	switch x := a[0].(type) {
	case bool:
		return !x, nil
	case string:
		switch x {
		case "true":
			return "false", nil
		case "false":
			return "true", nil
		}
	}
	return nil, fmt.Errorf("bad argument: expected a boolean, got %s", describe(a[0]))
}

// renderValue is EMQX's return_str.
func renderValue(v value) (string, error) {
	if isEmpty(v) {
		return "", nil
	}
	switch x := v.(type) {
	case []value:
		return "", errors.New("the expression yielded an array, not a string")
	default:
		return anyToStr(x)
	}
}
