package session

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

func TestBaseRequestDefaultsAndExplicitFields(t *testing.T) {
	req := BaseRequest(ClientSpec{Version: target.MQTT311, ClientID: "c1", AuthMethod: "SCRAM-SHA-256"})
	if req.Username != DefaultUsername || !req.HasUsername || req.HasPassword || req.Label != "c1" ||
		req.Version != target.MQTT311 || req.AuthMethod != "SCRAM-SHA-256" {
		t.Fatalf("expected the default CONNECT, got %+v", req)
	}
	req = BaseRequest(ClientSpec{ClientID: "c2",
		Username: Field{Set: true, Absent: true}, Password: Field{Set: true, Value: []byte{}}})
	if req.HasUsername || req.Username != "" || !req.HasPassword || len(req.Password) != 0 {
		t.Fatalf("expected no username and an empty password, got %+v", req)
	}
}

func TestTheTokenGoesWhereTheAuthenticatorReadsIt(t *testing.T) {
	cases := []struct {
		chosen, from, want string
	}{
		{"", "", "password"},
		{"", "username", "username"},
		{"password", "username", "password"},
		{"username", "password", "username"},
	}
	for _, c := range cases {
		cfg := map[string]any{}
		if c.from != "" {
			cfg["from"] = c.from
		}
		if got := TokenField(c.chosen, cfg); got != c.want {
			t.Errorf("TokenField(%q, from %q): expected %q, got %q", c.chosen, c.from, c.want, got)
		}
	}
	spec := ClientSpec{ClientID: "c", Username: Field{Set: true, Value: []byte("alice")}}
	req := BaseRequest(spec)
	if ClaimsUsername(req, "password") != "alice" || ClaimsUsername(req, "username") != "" {
		t.Error("expected the claims rendered for the CONNECT's username unless the token replaces it")
	}
	PlaceToken(&req, spec, "username", "TOKEN")
	if req.Username != "alice" || req.HasPassword {
		t.Errorf("expected an explicit username kept, got %+v", req)
	}
	PlaceToken(&req, spec, "password", "TOKEN")
	if string(req.Password) != "TOKEN" || !req.HasPassword {
		t.Errorf("expected the token as the password, got %+v", req)
	}
	req = BaseRequest(ClientSpec{})
	PlaceToken(&req, ClientSpec{}, "username", "TOKEN")
	if req.Username != "TOKEN" || !req.HasUsername {
		t.Errorf("expected the token as the username, got %+v", req)
	}
}

func TestPadding(t *testing.T) {
	for _, kb := range []int{1, 59, 60, 1024} {
		props, err := Padding(kb)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range props {
			if len(p.Val) > 65535 {
				t.Errorf("%d KB: a property of %d bytes is no MQTT string", kb, len(p.Val))
			}
			n += len(p.Val)
		}
		if n != kb*1024 {
			t.Errorf("%d KB: expected %d bytes of padding, got %d", kb, kb*1024, n)
		}
	}
	for _, kb := range []int{0, -1, MaxPaddingKB + 1} {
		if _, err := Padding(kb); err == nil {
			t.Errorf("expected %d KB refused", kb)
		}
	}
}

func TestMarks(t *testing.T) {
	a, b := NewMarks(), NewMarks()
	p1, p2 := a.Next("publish"), a.Next("will")
	if string(p1) == string(p2) || !a.Ours(p1) || !a.Ours(p2) {
		t.Fatalf("expected two distinct payloads of a, got %q %q", p1, p2)
	}
	if b.Ours(p1) || a.Ours(b.Next("publish")) || a.Ours([]byte("hello")) {
		t.Error("expected another scenario's payloads not to be ours")
	}
	id := WatcherClientID(a.UID(), "(probe) 2")
	if strings.ContainsAny(id, " ()") || !strings.Contains(id, a.UID()) {
		t.Errorf("got Client ID %q", id)
	}
	if c := WatcherClaims("rules"); c["rules"] == "" || c["acl"] != "" || c["is_superuser"] != "true" {
		t.Errorf("expected the acl under the configured claim name, got %v", c)
	}
}

func TestExpOf(t *testing.T) {
	want := time.Unix(1700000000, 500_000_000)
	for _, v := range []any{1700000000.5, json.Number("1700000000.5")} {
		got, err := ExpOf(map[string]any{"exp": v})
		if err != nil || !got.Equal(want) {
			t.Errorf("%T: expected %v, got %v (%v)", v, want, got, err)
		}
	}
	for _, v := range []any{int64(1700000000), 1700000000} {
		if got, err := ExpOf(map[string]any{"exp": v}); err != nil || got.Unix() != 1700000000 {
			t.Errorf("%T: got %v (%v)", v, got, err)
		}
	}
	for _, claims := range []map[string]any{{}, {"exp": "soon"}, {"exp": json.Number("x")}} {
		if _, err := ExpOf(claims); err == nil {
			t.Errorf("%v: expected no numeric exp", claims)
		}
	}
}

func TestExpiryWaits(t *testing.T) {
	if err := CheckWaitable(time.Now().Add(time.Minute)); err == nil {
		t.Error("expected a wait of a minute refused")
	}
	if err := CheckWaitable(time.Now().Add(2 * time.Second)); err != nil {
		t.Error(err)
	}
	exp := time.Unix(1700000000, 0)
	if got := PastExp(exp); !got.Equal(time.Unix(1700000001, 100_000_000)) {
		t.Errorf("got %v", got)
	}
}

func TestPublishResultReadsAsTheAnswer(t *testing.T) {
	disconnect := &mqttwire.DisconnectError{Packet: mqttwire.Packet{ReasonCode: 0x87}}
	cases := map[string]PublishResult{
		"PUBACK 0x87":                            {QoS: 1, Code: 0x87},
		"PUBREC 0x00":                            {QoS: 2},
		"no acknowledgement (QoS 0)":             {QoS: 0},
		"DISCONNECT 0x87":                        {QoS: 1, Err: fmt.Errorf("publish: %w", disconnect)},
		"the connection closed":                  {QoS: 1, Err: mqttwire.ErrConnectionClosed},
		"no acknowledgement before the deadline": {QoS: 1, Err: mqttwire.ErrTimeout},
		"boom":                                   {QoS: 1, Err: errors.New("boom")},
	}
	for want, r := range cases {
		if got := r.String(); got != want {
			t.Errorf("expected %q, got %q", want, got)
		}
	}
	lost := PublishResult{Topic: "t", QoS: 1, Err: mqttwire.ErrConnectionClosed}
	mismatch(t, judgeAck("a publish", lost, true), "denied with 0x87")
	mismatch(t, judgeAck("a publish", lost, false), "to be allowed")
	mismatch(t, CheckAnswer(lost, "PUBACK", 0), "PUBACK 0x00")
}

func TestCheckDisconnectWithoutDisconnect(t *testing.T) {
	cl := mqttwire.Closure{Err: mqttwire.ErrConnectionClosed}
	mismatch(t, CheckDisconnect(cl, 0x87), "DISCONNECT 0x87, then the connection closed")
	if ObservedClosure(cl) != "closed" {
		t.Errorf("got %q", ObservedClosure(cl))
	}
}

// A still-open connection is described with what arrived on it, what the
// caller saw first, then the unread packets, then a DISCONNECT.
func TestStillOpenSaysWhatArrived(t *testing.T) {
	if got := StillOpen(mqttwire.Closure{}, "at the deadline"); got != "the connection still open at the deadline" {
		t.Errorf("got %q", got)
	}
	publish := mqttwire.Packet{FixedHeader: mqttwire.FixedHeader{Type: mqttwire.TypePublish}, TopicName: "t"}
	disconnect := mqttwire.Packet{FixedHeader: mqttwire.FixedHeader{Type: mqttwire.TypeDisconnect}, ReasonCode: 0x87}
	got := StillOpen(mqttwire.Closure{Unread: []mqttwire.Packet{publish}, Disconnect: &disconnect}, "after 1s", "no AUTH")
	want := fmt.Sprintf("the connection still open after 1s (received: no AUTH, %s, %s)",
		mqttwire.Describe(publish), mqttwire.Describe(disconnect))
	if got != want {
		t.Errorf("expected %q, got %q", want, got)
	}
}

// A close is early only more than the lead before the bound, and never
// without a bound.
func TestClosingEarly(t *testing.T) {
	bound := time.Unix(1_800_000_000, 0)
	for _, c := range []struct {
		at    time.Time
		bound time.Time
		early bool
	}{
		{bound.Add(-time.Second), bound, true},
		{bound.Add(-50 * time.Millisecond), bound, false},
		{bound, bound, false},
		{bound.Add(-time.Hour), time.Time{}, false},
	} {
		if got := (Closing{At: c.at}).Early(c.bound, 100*time.Millisecond); got != c.early {
			t.Errorf("closed at %s, bound %s: expected early=%v", c.at, c.bound, c.early)
		}
	}
}

var _ client.Session = session{}
