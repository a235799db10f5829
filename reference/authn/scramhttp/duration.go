package scramhttp

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// parseDuration reads an EMQX duration: a string such as "5s", "500ms",
// "1m", "1h", "1d" (combinations like "1m30s" too), a string of digits, or a
// JSON number; bare numbers are milliseconds, as in EMQX's
// timeout_duration_ms.
func parseDuration(field string, raw json.RawMessage) (time.Duration, error) {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return msDuration(field, string(n))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return 0, fmt.Errorf("%s: want a duration such as \"5s\"", field)
	}
	s = strings.TrimSpace(s)
	if s != "" && strings.Trim(s, "0123456789") == "" {
		return msDuration(field, s)
	}
	d, err := parseUnits(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a duration such as \"5s\"", field, s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("%s: %q must be positive", field, s)
	}
	return d, nil
}

func msDuration(field, digits string) (time.Duration, error) {
	ms, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || ms <= 0 || ms > int64(24*time.Hour/time.Millisecond)*365 {
		return 0, fmt.Errorf("%s: %s is not a positive number of milliseconds", field, digits)
	}
	return time.Duration(ms) * time.Millisecond, nil
}

// parseUnits is time.ParseDuration plus EMQX's "d" (day) unit.
func parseUnits(s string) (time.Duration, error) {
	if days, rest, ok := strings.Cut(s, "d"); ok && days != "" && strings.Trim(days, "0123456789") == "" {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, err
		}
		d := time.Duration(n) * 24 * time.Hour
		if rest == "" {
			return d, nil
		}
		r, err := time.ParseDuration(rest)
		return d + r, err
	}
	return time.ParseDuration(s)
}
