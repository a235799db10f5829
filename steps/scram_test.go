package steps

import (
	"encoding/json"
	"testing"
	"time"
)

func TestAnswerValue(t *testing.T) {
	now := time.Unix(1_800_000_000, 250_000_000)
	cases := map[string]any{
		`true`:               true,
		`"1"`:                "1",
		`NOW+60`:             json.Number("1800000060"),
		`NOW-60`:             json.Number("1799999940"),
		`NOW+3600.5`:         json.Number("1800003600.5"),
		`"NOW+60"`:           "1800000060",
		`NOW_MS+1000`:        json.Number("1800000001250"),
		`{"tenant": "acme"}`: map[string]any{"tenant": "acme"},
	}
	for text, want := range cases {
		got, err := answerValue(text, now)
		if err != nil {
			t.Errorf("%s: %v", text, err)
			continue
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		if string(gb) != string(wb) {
			t.Errorf("%s: expected %s, got %s", text, wb, gb)
		}
	}
	if _, err := answerValue(`{"open": `, now); err == nil {
		t.Error("expected an error for text that is not JSON")
	}
}

func TestAuthMethod(t *testing.T) {
	cases := map[string]string{
		`Authentication-Method "SCRAM-SHA-512"`:  "SCRAM-SHA-512",
		"no Authentication-Method":               "",
		"the connection's Authentication-Method": "SCRAM-SHA-256",
	}
	for how, want := range cases {
		if got := authMethod(how, "SCRAM-SHA-256"); got != want {
			t.Errorf("%s: expected %q, got %q", how, want, got)
		}
	}
}
