package verify

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

func TestMismatchReadsExpectedGot(t *testing.T) {
	err := fmt.Errorf("step: %w", New("CONNACK 0x86", "CONNACK 0x00"))
	m, ok := As(err)
	if !ok || m.Expected != "CONNACK 0x86" || m.Actual != "CONNACK 0x00" {
		t.Fatalf("expected the Mismatch in the chain, got %v %v", m, ok)
	}
	if got := err.Error(); got != "step: expected CONNACK 0x86, got CONNACK 0x00" {
		t.Errorf("got %q", got)
	}
	if _, ok := As(errors.New("expected x, got y")); ok {
		t.Error("a plain error is no Mismatch")
	}
}

func TestConnackAnswer(t *testing.T) {
	v5 := func(code byte) client.Answer { return client.Answer{Version: target.MQTT5, Connack: true, Code: code} }
	v3 := func(code byte) client.Answer {
		return client.Answer{Version: target.MQTT311, Connack: true, Code: code}
	}
	want5 := func(code byte) Connack { return Connack{code, target.MQTT5} }
	want3 := func(code byte) Connack { return Connack{code, target.MQTT311} }
	closed := client.Answer{Version: target.MQTT5, Closed: true}
	cases := []struct {
		name       string
		ans        client.Answer
		want       Connack
		policy     target.ReasonCodePolicy
		ok         bool
		unanswered bool
		nonStrict  bool
	}{
		{"v5 match", v5(0x86), want5(0x86), target.ExactCodes, true, false, false},
		{"v5 other code", v5(0x87), want5(0x86), target.ExactCodes, false, false, false},
		{"v5 accepted when refusal expected", v5(0), want5(0x87), target.RefusalOnly, false, false, false},
		{"v5 refusal expected to be accepted", v5(0x87), want5(0), target.RefusalOnly, false, false, false},
		{"v5 other code, refusal policy", v5(0x87), want5(0x86), target.RefusalOnly, true, false, true},
		{"v3 maps 0x86 to 4", v3(4), want3(0x86), target.ExactCodes, true, false, false},
		{"v3 maps 0x87 to 5", v3(5), want3(0x87), target.ExactCodes, true, false, false},
		{"v3 5 is not 4", v3(5), want3(0x86), target.ExactCodes, false, false, false},
		{"closed, refusal policy", closed, want5(0x87), target.RefusalOnly, true, false, true},
		{"closed, exact", closed, want5(0x87), target.ExactCodes, false, false, false},
		{"timeout", client.Answer{Version: target.MQTT5, TimedOut: true}, want5(0), target.ExactCodes, false, true, false},
	}
	for _, c := range cases {
		nonStrict, err := ConnackAnswer(c.ans, c.want, c.policy)
		if (err == nil) != c.ok || nonStrict != c.nonStrict {
			t.Errorf("%s: expected ok=%v non-strict=%v, got %v %v", c.name, c.ok, c.nonStrict, nonStrict, err)
			continue
		}
		if err == nil {
			continue
		}
		m, isMismatch := As(err)
		if !isMismatch || m.Expected != c.want.String() || m.Actual != c.ans.String() {
			t.Errorf("%s: expected a Mismatch of %q and %q, got %v", c.name, c.want, c.ans.String(), err)
		}
		if errors.Is(err, ErrUnanswered) != c.unanswered {
			t.Errorf("%s: unanswered: expected %v, got %v", c.name, c.unanswered, err)
		}
	}
}

func TestV311Codes(t *testing.T) {
	for v5, v3 := range map[byte]byte{0x00: 0, 0x86: 4, 0x87: 5, 0x8C: 5, 0x80: 1, 0x84: 1, 0x85: 2, 0x88: 3} {
		if got := V311Code(v5); got != v3 {
			t.Errorf("V311Code(0x%02X): expected %d, got %d", v5, v3, got)
		}
	}
	if s := (Connack{0x86, target.MQTT311}).String(); s != "CONNACK return code 4 (0x86 in MQTT 5)" {
		t.Errorf("got %q", s)
	}
}

func TestRefused(t *testing.T) {
	for _, a := range []client.Answer{
		{Version: target.MQTT5, Closed: true},
		{Version: target.MQTT5, Connack: true, Code: 0x87},
		{Version: target.MQTT311, Connack: true, Code: 5},
	} {
		if err := Refused(a); err != nil {
			t.Errorf("%s: expected a refusal, got %v", a.String(), err)
		}
	}
	for _, a := range []client.Answer{
		{Version: target.MQTT5, Connack: true, Code: 0},
		{Version: target.MQTT5, Connack: true, Code: 0x18}, // not a refusal code
		{Version: target.MQTT311, Connack: true, Code: 0},
		{Version: target.MQTT5, TimedOut: true},
	} {
		if _, ok := As(Refused(a)); !ok {
			t.Errorf("%s: expected a Mismatch", a.String())
		}
	}
}

func TestCodesAndCount(t *testing.T) {
	if err := Codes("SUBACK", []byte{0, 0x87}, []byte{0, 0x87}); err != nil {
		t.Error(err)
	}
	err := Codes("SUBACK", []byte{0, 0x87}, []byte{0, 0})
	if err == nil || err.Error() != "expected SUBACK 0x00, 0x87, got SUBACK 0x00, 0x00" {
		t.Errorf("got %v", err)
	}
	if err := Codes("SUBACK", []byte{0}, []byte{0, 0}); err == nil || !strings.Contains(err.Error(), "got SUBACK 0x00, 0x00") {
		t.Errorf("expected a length mismatch, got %v", err)
	}
	if err := Count("request(s)", 2, 2); err != nil {
		t.Error(err)
	}
	if err := Count("request(s)", 1, 3); err == nil || err.Error() != "expected 1 request(s), got 3" {
		t.Errorf("got %v", err)
	}
}
