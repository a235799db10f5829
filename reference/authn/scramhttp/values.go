package scramhttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// isSuperuser: true, "true", an integer >= 1 or a string holding one
// ("1", "2", "+3"); anything else is an ordinary client (JWT-CLAIM-07, as
// emqx_authn_utils:is_superuser).
func isSuperuser(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case json.Number:
		return integerAtLeastOne(string(x))
	case string:
		return x == "true" || integerAtLeastOne(x)
	}
	return false
}

// integerAtLeastOne parses like Erlang's binary_to_integer: optional sign,
// decimal digits, any size.
func integerAtLeastOne(s string) bool {
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	if digits == "" || strings.Trim(digits, "0123456789") != "" || (len(s)-len(digits) > 1) {
		return false
	}
	n, ok := new(big.Int).SetString(s, 10)
	return ok && n.Cmp(big.NewInt(1)) >= 0
}

// attrKey is the key rule of JWT-ATTR-02 (emqx_utils:is_restricted_str).
var attrKey = regexp.MustCompile(`^[A-Za-z0-9]+[A-Za-z0-9-_]*$`)

// clientAttrs (SCRAM-17): an object whose entries with a valid key become the
// client's attributes; other keys are dropped. A kept value must be a string
// or a list of strings (joined, as Erlang's iolist_to_binary does); any other
// value, or a client_attrs that is not an object, fails the attempt.
func clientAttrs(v any, stringify bool) (map[string]string, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("client_attrs is %s, want an object", jsonType(v))
	}
	out := make(map[string]string, len(m))
	for k, val := range m {
		if !attrKey.MatchString(k) {
			continue
		}
		s, ok := joinStrings(val)
		if !ok {
			if !stringify {
				return nil, fmt.Errorf("client_attrs.%s is %s, want a string", k, jsonType(val))
			}
			s = fmt.Sprint(val)
		}
		out[k] = s
	}
	return out, nil
}

func joinStrings(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []any:
		var b strings.Builder
		for _, e := range x {
			s, ok := joinStrings(e)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	return "", false
}

// expireAt (SCRAM-14): an integer number of Unix seconds, not in the past
// and not so large that it looks like milliseconds (greater than half the
// current time in ms), as emqx_authn_http:expire_sec checks.
func expireAt(v any, now time.Time, asMillis bool) (time.Time, error) {
	n, ok := v.(json.Number)
	if !ok || strings.ContainsAny(string(n), ".eE") {
		return time.Time{}, fmt.Errorf("expire_at %v is not an integer", v)
	}
	sec, err := strconv.ParseInt(string(n), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("expire_at %s is out of range", n)
	}
	if asMillis {
		// The fault: a seconds value lands in 1970 and is refused as past,
		// a milliseconds value passes.
		at := time.UnixMilli(sec)
		if at.Before(now.Truncate(time.Second)) {
			return time.Time{}, errors.New("expire_at is in the past")
		}
		return at, nil
	}
	nowSec := now.Unix()
	if sec < nowSec {
		return time.Time{}, fmt.Errorf("expire_at %d is in the past (now %d)", sec, nowSec)
	}
	if sec > now.UnixMilli()/2 {
		return time.Time{}, fmt.Errorf("expire_at %d looks like milliseconds, want Unix seconds", sec)
	}
	return time.Unix(sec, 0), nil
}
