package steps

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// nowExpr matches NOW, NOW+N and NOW-N (N may have a fraction) in a claim
// value as scenarios write it: `NOW-60` is a number, `"NOW+3600"` a
// numeric string.
// A trailing +2^64 or -2^64 (after an integer offset) writes a number
// beyond 64 bits that wraps around to the offset one (JWT-CLAIM-05).
var nowExpr = regexp.MustCompile(`NOW(?:([+-])(\d+(?:\.\d+)?))?(?:([+-])2\^64)?`)

// usesNow reports whether a claim value is relative to the clock.
func usesNow(expr string) bool { return nowExpr.MatchString(expr) }

// renderNow replaces every NOW expression with Unix seconds of now (whole
// seconds, as JWT NumericDate usually is) plus or minus its offset.
func renderNow(expr string, now time.Time) (string, error) {
	var bad error
	out := nowExpr.ReplaceAllStringFunc(expr, func(m string) string {
		sub := nowExpr.FindStringSubmatch(m)
		base := now.Unix()
		if sub[3] != "" {
			n, err := strconv.ParseInt(sub[2], 10, 64)
			if sub[2] != "" && err != nil {
				bad = err
				return m
			}
			if sub[1] == "-" {
				n = -n
			}
			v := new(big.Int).Lsh(big.NewInt(1), 64)
			if sub[3] == "-" {
				v.Neg(v)
			}
			return v.Add(v, big.NewInt(base+n)).String()
		}
		if sub[1] == "" {
			return strconv.FormatInt(base, 10)
		}
		if !strings.Contains(sub[2], ".") {
			n, err := strconv.ParseInt(sub[2], 10, 64)
			if err != nil {
				bad = err
				return m
			}
			if sub[1] == "-" {
				n = -n
			}
			return strconv.FormatInt(base+n, 10)
		}
		f, err := strconv.ParseFloat(sub[2], 64)
		if err != nil {
			bad = err
			return m
		}
		if sub[1] == "-" {
			f = -f
		}
		return strconv.FormatFloat(float64(base)+f, 'f', -1, 64)
	})
	if bad != nil {
		return "", fmt.Errorf("bad time expression in %q: %w", expr, bad)
	}
	return out, nil
}
