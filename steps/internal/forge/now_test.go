package forge

import (
	"testing"
	"time"
)

func TestRenderNow(t *testing.T) {
	now := time.Unix(1719830400, 600_000_000)
	cases := map[string]string{
		`NOW`:          `1719830400`,
		`NOW-60`:       `1719830340`,
		`NOW+3600`:     `1719834000`,
		`NOW+3600.5`:   `1719834000.5`,
		`"NOW+3600"`:   `"1719834000"`,
		`"17.5"`:       `"17.5"`,
		`{"at": NOW}`:  `{"at": 1719830400}`,
		`["NOW", NOW]`: `["1719830400", 1719830400]`,
	}
	for in, want := range cases {
		got, err := RenderNow(in, now)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got != want {
			t.Errorf("RenderNow(%s): expected %s, got %s", in, want, got)
		}
	}
	if UsesNow(`"tomorrow"`) || !UsesNow(`NOW-1`) {
		t.Error("usesNow misjudges")
	}
}

// NOW+N-2^64 and NOW-N+2^64 render as integers beyond 64 bits that wrap
// to NOW+N and NOW-N (JWT-CLAIM-05).
func TestRenderNowBeyond64Bits(t *testing.T) {
	now := time.Unix(1700000000, 0)
	for expr, want := range map[string]string{
		"NOW+3600-2^64": "-18446744072009548016",
		"NOW-3600+2^64": "18446744075409548016",
	} {
		got, err := RenderNow(expr, now)
		if err != nil || got != want {
			t.Errorf("%s: %s %v, want %s", expr, got, err, want)
		}
	}
}
