package steps

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
		got, err := renderNow(in, now)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got != want {
			t.Errorf("renderNow(%s): expected %s, got %s", in, want, got)
		}
	}
	if usesNow(`"tomorrow"`) || !usesNow(`NOW-1`) {
		t.Error("usesNow misjudges")
	}
}
