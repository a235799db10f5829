package jwtauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/authspec/authspec/reference/config/schema"
)

// number is a numeric claim as EMQX sees it after try_convert_to_num: an
// Erlang integer or float. Integral reports the integer form (JSON number
// without fraction or exponent, or a string of digits): only an integer can
// set EMQX's disconnect timer (JWT-CLAIM-09).
type number struct {
	f        float64
	i        int64 // valid when integral
	integral bool
}

var (
	reErlangInt   = regexp.MustCompile(`^[+-]?[0-9]+$`)
	reErlangFloat = regexp.MustCompile(`^[+-]?[0-9]+\.[0-9]+([eE][+-]?[0-9]+)?$`)
)

// timeClaim reads exp or nbf (JWT-CLAIM-05): a JSON number, or a string
// holding an integer ("1719830400") or a decimal fraction ("17.5"), as
// Erlang's string:to_integer/to_float read them ("1e9" is not one). ok is
// false for anything else.
func timeClaim(raw json.RawMessage, allowStrings bool) (number, bool) {
	switch schema.Kind(raw) {
	case "a number":
		return parseNumber(string(raw))
	case "a string":
		if !allowStrings {
			return number{}, false
		}
		s, ok := unquote(raw)
		if !ok {
			return number{}, false
		}
		if reErlangInt.MatchString(s) || reErlangFloat.MatchString(s) {
			return parseNumber(s)
		}
	}
	return number{}, false
}

// parseNumber reads a JSON number (or an Erlang-style numeric string).
func parseNumber(text string) (number, bool) {
	if strings.ContainsAny(text, ".eE") {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return number{}, false
		}
		return number{f: f}, true
	}
	text = strings.TrimPrefix(text, "+")
	i, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		// Erlang integers are unbounded: clamp, the order is what matters.
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil {
			return number{}, false
		}
		i = math.MaxInt64
		if f < 0 {
			i = math.MinInt64
		}
		return number{f: f, i: i, integral: true}, true
	}
	return number{f: float64(i), i: i, integral: true}, true
}

// after reports now < n, with now in whole seconds (EMQX's
// erlang:system_time(seconds)).
func (n number) after(now int64) bool {
	if n.integral {
		return now < n.i
	}
	return float64(now) < n.f
}

// atMost reports n <= now.
func (n number) atMost(now int64) bool {
	if n.integral {
		return n.i <= now
	}
	return n.f <= float64(now)
}

// time converts the claim to an instant.
func (n number) time() time.Time {
	if n.integral {
		return time.Unix(n.i, 0)
	}
	sec, frac := math.Modf(n.f)
	return time.Unix(int64(sec), int64(frac*1e9))
}

func (n number) String() string {
	if n.integral {
		return strconv.FormatInt(n.i, 10)
	}
	return strconv.FormatFloat(n.f, 'f', -1, 64)
}

// isSuperuser is emqx_authn_utils:to_bool (JWT-CLAIM-07): true, "true", "1",
// an integer >= 1 or a string holding one; anything else is false.
func isSuperuser(raw json.RawMessage) bool {
	switch schema.Kind(raw) {
	case "a boolean":
		return string(raw) == "true"
	case "a number":
		n, ok := parseNumber(string(raw))
		return ok && n.integral && n.i >= 1
	case "a string":
		s, ok := unquote(raw)
		if !ok {
			return false
		}
		if s == "true" {
			return true
		}
		if !reErlangInt.MatchString(s) {
			return false
		}
		n, ok := parseNumber(s)
		return ok && n.i >= 1
	}
	return false
}

// validAttrKey is emqx_utils:is_restricted_str, the PCRE
// ^[A-Za-z0-9]+[A-Za-z0-9-_]*$ (whose $ also matches before a final
// newline), written as a loop: it runs for every attribute of every CONNECT,
// and a regexp match cost more than the rest of the attribute's handling.
func validAttrKey(k string) bool {
	k = strings.TrimSuffix(k, "\n")
	if k == "" || !isAlnum(k[0]) {
		return false
	}
	for i := 1; i < len(k); i++ {
		if c := k[i]; !isAlnum(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

var errAttrValue = errors.New("bad client_attrs value")

// attrRules are the faults that change how client_attrs is read; the zero
// value is the correct reading.
type attrRules struct {
	keepBadKeys bool // client-attrs-keep-invalid-keys
	// stringify (client-attrs-stringified): a value that is not a string
	// becomes its JSON text, and a claim that is not an object is ignored.
	stringify bool
}

// readClientAttrs reads the client_attrs claim (JWT-ATTR-01..03): keys that
// are not restricted strings are dropped; a kept key's value must be a
// string or an Erlang iolist (a list of strings, bytes and lists, joined);
// any other value, or a claim that is not an object, is an error (BF).
// rules, zero in every real run, switch on the area's faults.
func readClientAttrs(raw json.RawMessage, rules attrRules) (map[string]string, error) {
	if schema.Kind(raw) != "an object" && rules.stringify {
		return map[string]string{}, nil
	}
	if schema.Kind(raw) != "an object" {
		return nil, fmt.Errorf("%w: client_attrs is %s, not an object", errAttrValue, schema.Kind(raw))
	}
	// raw is a member of a validated payload (decodePayload): split, not
	// decoded again.
	m, ok := splitObject(raw)
	if !ok {
		return nil, fmt.Errorf("%w: client_attrs is not a JSON object", errAttrValue)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]string, len(m))
	for _, k := range keys {
		if !validAttrKey(k) && !rules.keepBadKeys {
			continue
		}
		if rules.stringify && schema.Kind(m[k]) != "a string" {
			out[k] = string(m[k])
			continue
		}
		var sb strings.Builder
		if err := appendIOList(&sb, m[k], 0); err != nil {
			return nil, fmt.Errorf("%w: attribute %q: %v", errAttrValue, k, err)
		}
		out[k] = sb.String()
	}
	return out, nil
}

// appendIOList is iolist_to_binary over decoded JSON.
func appendIOList(sb *strings.Builder, raw json.RawMessage, depth int) error {
	if depth > 64 {
		return errors.New("list nested too deeply")
	}
	switch schema.Kind(raw) {
	case "a string":
		s, ok := unquote(raw)
		if !ok {
			return errors.New("not a JSON string")
		}
		sb.WriteString(s)
		return nil
	case "a list":
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
		for _, item := range items {
			if schema.Kind(item) == "a number" {
				n, ok := parseNumber(string(item))
				if !ok || !n.integral || n.i < 0 || n.i > 255 {
					return fmt.Errorf("%s is not a byte", item)
				}
				sb.WriteByte(byte(n.i))
				continue
			}
			if err := appendIOList(sb, item, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("%s is not a string", schema.Kind(raw))
}

// clientIDOverride is a non-empty string claim (JWT-CLAIM-08).
func clientIDOverride(raw json.RawMessage) string {
	if schema.Kind(raw) != "a string" {
		return ""
	}
	s, _ := unquote(raw)
	return s
}
