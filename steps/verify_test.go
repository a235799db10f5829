package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cucumber/godog"

	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

func TestVerifyConnack(t *testing.T) {
	ctx := context.Background()
	v5 := func(code byte) *client.Answer {
		return &client.Answer{Version: target.MQTT5, Connack: true, Code: code}
	}
	v3 := func(code byte) *client.Answer {
		return &client.Answer{Version: target.MQTT311, Connack: true, Code: code}
	}
	cases := []struct {
		name    string
		ans     *client.Answer
		want    expectation
		policy  target.ReasonCodePolicy
		ok      bool
		harness bool
		strictN bool
	}{
		{"v5 match", v5(0x86), expectation{Code: 0x86, Version: target.MQTT5}, target.ExactCodes, true, false, false},
		{"v5 other code", v5(0x87), expectation{Code: 0x86, Version: target.MQTT5}, target.ExactCodes, false, false, false},
		{"v5 accepted when refusal expected", v5(0), expectation{Code: 0x87, Version: target.MQTT5}, target.RefusalOnly, false, false, false},
		{"v5 other code, refusal policy", v5(0x87), expectation{Code: 0x86, Version: target.MQTT5}, target.RefusalOnly, true, false, true},
		{"v3 maps 0x86 to 4", v3(4), expectation{Code: 0x86, Version: target.MQTT311}, target.ExactCodes, true, false, false},
		{"v3 maps 0x87 to 5", v3(5), expectation{Code: 0x87, Version: target.MQTT311}, target.ExactCodes, true, false, false},
		{"v3 5 is not 4", v3(5), expectation{Code: 0x86, Version: target.MQTT311}, target.ExactCodes, false, false, false},
		{"closed, refusal policy", &client.Answer{Version: target.MQTT5, Closed: true}, expectation{Code: 0x87, Version: target.MQTT5}, target.RefusalOnly, true, false, true},
		{"closed, exact", &client.Answer{Version: target.MQTT5, Closed: true}, expectation{Code: 0x87, Version: target.MQTT5}, target.ExactCodes, false, false, false},
		{"timeout is a harness error", &client.Answer{Version: target.MQTT5, TimedOut: true}, expectation{Code: 0, Version: target.MQTT5}, target.ExactCodes, false, true, false},
	}
	for _, c := range cases {
		got, err := verifyConnack(ctx, c.ans, c.want, c.policy)
		if (err == nil) != c.ok {
			t.Errorf("%s: expected ok=%v, got %v", c.name, c.ok, err)
			continue
		}
		if err != nil && !strings.HasPrefix(strings.TrimPrefix(err.Error(), reports.HarnessErrorPrefix), "expected ") {
			t.Errorf("%s: expected an 'expected X, got Y' message, got %q", c.name, err)
		}
		if c.harness != (err != nil && strings.Contains(err.Error(), reports.HarnessErrorPrefix)) {
			t.Errorf("%s: harness marker: expected %v, got %v", c.name, c.harness, err)
		}
		nonStrict := false
		for _, a := range godog.Attachments(got) {
			if a.MediaType == reports.MediaNonStrict {
				nonStrict = true
			}
		}
		if nonStrict != c.strictN {
			t.Errorf("%s: non-strict attachment: expected %v, got %v", c.name, c.strictN, nonStrict)
		}
	}
}

func TestHarnessUnlessMismatch(t *testing.T) {
	if harnessUnlessMismatch(nil) != nil {
		t.Error("expected nil to stay nil")
	}
	verdict := fmt.Errorf("watcher: %w", mismatch("x", "y"))
	if got := harnessUnlessMismatch(verdict); got != verdict {
		t.Errorf("expected a Mismatch kept as the verdict, got %v", got)
	}
	got := harnessUnlessMismatch(errors.New("dial: refused"))
	if got == nil || !strings.HasPrefix(got.Error(), reports.HarnessErrorPrefix) {
		t.Errorf("expected any other error marked as the harness's, got %v", got)
	}
}
