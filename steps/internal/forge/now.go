package forge

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

// UsesNow reports whether a claim value is relative to the clock.
func UsesNow(expr string) bool { return nowExpr.MatchString(expr) }

// RenderNow replaces every NOW expression with Unix seconds of now (whole
// seconds, as JWT NumericDate usually is) plus or minus its offset.
func RenderNow(expr string, now time.Time) (string, error) {
	var bad error
	out := nowExpr.ReplaceAllStringFunc(expr, func(m string) string {
		v, err := nowValue(nowExpr.FindStringSubmatch(m), now.Unix())
		if err != nil {
			bad = err
			return m
		}
		return v
	})
	if bad != nil {
		return "", fmt.Errorf("bad time expression in %q: %w", expr, bad)
	}
	return out, nil
}

// nowValue is the value of one NOW expression at base: sub holds its
// offset's sign and digits, and the sign of a ±2^64.
func nowValue(sub []string, base int64) (string, error) {
	sign, offset, wrap := sub[1], sub[2], sub[3]
	switch {
	case wrap != "":
		return beyond64Bits(sign, offset, wrap, base)
	case sign == "":
		return strconv.FormatInt(base, 10), nil
	case strings.Contains(offset, "."):
		f, err := strconv.ParseFloat(offset, 64)
		if err != nil {
			return "", err
		}
		if sign == "-" {
			f = -f
		}
		return strconv.FormatFloat(float64(base)+f, 'f', -1, 64), nil
	}
	n, err := strconv.ParseInt(offset, 10, 64)
	if err != nil {
		return "", err
	}
	if sign == "-" {
		n = -n
	}
	return strconv.FormatInt(base+n, 10), nil
}

// beyond64Bits is base plus the integer offset, plus or minus 2^64.
func beyond64Bits(sign, offset, wrap string, base int64) (string, error) {
	var n int64
	if offset != "" {
		var err error
		if n, err = strconv.ParseInt(offset, 10, 64); err != nil {
			return "", err
		}
	}
	if sign == "-" {
		n = -n
	}
	v := new(big.Int).Lsh(big.NewInt(1), 64)
	if wrap == "-" {
		v.Neg(v)
	}
	return v.Add(v, big.NewInt(base+n)).String(), nil
}
