package byhand

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// normalize turns an EMQX configuration, as a profile's YAML (int64,
// float64) or a scenario's JSON (json.Number) gives it, into one shape:
// generic JSON values with json.Number numbers, so that equal values compare
// equal whichever side they came from.
func normalize(cfg map[string]any) (map[string]any, error) {
	data, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out map[string]any
	if err := dec.Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// canonical is v as compact JSON with sorted keys (json.Marshal sorts map
// keys), the form values are compared in.
func canonical(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(data)
}

func same(a, b any) bool { return canonical(a) == canonical(b) }

// show renders a value for a message: strings as they are, the rest as
// JSON.
func show(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return canonical(v)
}

// setting renders "field: value" for a message, saying when the value is
// a default or nothing at all.
func setting(field string, v any, set, hasDefault bool) string {
	switch {
	case set:
		return field + ": " + show(v)
	case hasDefault:
		return field + ": " + show(v) + " (the default)"
	}
	return "no " + field
}

func sortedKeys(maps ...map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// claimsOf reads verify_claims in either shape EMQX takes (a map, or a list
// of {name, value}) as name -> expected template.
func claimsOf(v any) (map[string]string, error) {
	out := map[string]string{}
	switch vc := v.(type) {
	case nil:
	case map[string]any:
		for k, val := range vc {
			out[k] = show(val)
		}
	case []any:
		for i, item := range vc {
			entry, ok := item.(map[string]any)
			name, okName := entry["name"].(string)
			if !ok || !okName {
				return nil, fmt.Errorf("verify_claims[%d]: want {name, value}", i)
			}
			out[name] = show(entry["value"])
		}
	default:
		return nil, fmt.Errorf("verify_claims: want a mapping or a list, got %T", v)
	}
	return out, nil
}

func showClaims(c map[string]string) string {
	if len(c) == 0 {
		return "{}"
	}
	names := make([]string, 0, len(c))
	for k := range c {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + ": " + c[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

var idSuffix = regexp.MustCompile(`-\d\d$`)

func groupOf(id string) string { return idSuffix.ReplaceAllString(id, "") }
