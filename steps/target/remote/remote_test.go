package remote

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/silentpeer"
	"github.com/authspec/authspec/reference"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/target"
)

func TestClaimsCheck(t *testing.T) {
	c := NewClaims([]string{"JWT-HMAC", "JWT-CLAIM-01"})
	for _, ids := range [][]string{{"JWT-HMAC-02"}, {"JWT-CLAIM-01"}, {"JWT-HMAC-01", "JWT-CLAIM-01"}} {
		if err := c.Check(ids); err != nil {
			t.Errorf("%v: %v", ids, err)
		}
	}
	err := c.Check([]string{"JWT-HMAC-01", "JWT-CLAIM-02", "CHAIN-05"})
	reason, ok := target.AsNotApplicable(err)
	if !ok || reason != "the profile does not claim CHAIN-05, JWT-CLAIM-02" {
		t.Errorf("got %v", err)
	}
	if err := NewClaims(nil).Check([]string{"SCRAM-01"}); err != nil {
		t.Errorf("no claims key claims everything: %v", err)
	}
}

func TestClaimsValidate(t *testing.T) {
	known := []string{"JWT-HMAC-01", "JWT-HMAC-02", "SCRAM-01"}
	if err := NewClaims([]string{"JWT-HMAC", "SCRAM-01"}).Validate(known); err != nil {
		t.Error(err)
	}
	err := NewClaims([]string{"JWT-HMAC-03", "JWT-HMAX", "SCRAM"}).Validate(known)
	if err == nil || !strings.Contains(err.Error(), "JWT-HMAC-03, JWT-HMAX: no such catalogue ID or group") {
		t.Errorf("got %v", err)
	}
}

// hangingListener accepts connections and never answers.
func hangingListener(t *testing.T) string {
	t.Helper()
	l, err := silentpeer.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l.Addr()
}

func TestReachabilityOfABrokerThatNeverAnswers(t *testing.T) {
	ep := Endpoint{Addr: hangingListener(t), Versions: []target.Version{target.MQTT5}}
	var r Reachability
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	started := time.Now()
	err := r.Check(ctx, ep)
	if took := time.Since(started); took > 2*time.Second {
		t.Errorf("the check took %s, past its 300ms bound", took)
	}
	if !reports.IsUnreachable(err) || !strings.Contains(err.Error(), "no CONNACK from "+ep.Addr) {
		t.Fatalf("got %v, want an unreachable error naming the address", err)
	}
	// Later scenarios learn it at once.
	started = time.Now()
	if err2 := r.Check(context.Background(), ep); err2 != err || time.Since(started) > 50*time.Millisecond {
		t.Errorf("second check: %v after %s, want the first error at once", err2, time.Since(started))
	}
}

func TestReachabilityOfNothingListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var r Reachability
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := r.Check(ctx, Endpoint{Addr: addr}); !reports.IsUnreachable(err) {
		t.Errorf("got %v, want unreachable", err)
	}
}

func TestReachabilityOfARealBroker(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b, err := reference.Start(ctx, reference.WithMQTTListen("127.0.0.1:0"), reference.WithAPIListen(""))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, versions := range [][]target.Version{{target.MQTT5}, {target.MQTT311}} {
		var r Reachability
		// The probe's refusal (its password is no token) is an answer.
		if err := r.Check(ctx, Endpoint{Addr: b.MQTTAddr(), Versions: versions}); err != nil {
			t.Errorf("%v: %v", versions, err)
		}
	}
}

func TestGroupOf(t *testing.T) {
	for id, want := range map[string]string{"JWT-CLAIM-01": "JWT-CLAIM", "SCRAM-24": "SCRAM", "SEC-01": "SEC"} {
		if got := GroupOf(id); got != want {
			t.Errorf("GroupOf(%s) = %s, want %s", id, got, want)
		}
	}
}
