package attack

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

func answers(list ...client.Answer) Connect {
	i := 0
	return func(context.Context) (client.Answer, time.Duration, error) {
		a := list[i%len(list)]
		i++
		return a, time.Duration(i) * time.Millisecond, nil
	}
}

var (
	accepted = client.Answer{Version: target.MQTT5, Connack: true}
	refused  = client.Answer{Version: target.MQTT5, Connack: true, Code: 0x87}
	noAnswer = client.Answer{Version: target.MQTT5, TimedOut: true}
)

func TestMeasure(t *testing.T) {
	got, err := Measure(context.Background(), 3, answers(accepted))
	if err != nil || len(got) != 3 || got[2] != 3*time.Millisecond {
		t.Errorf("expected three latencies, got %v %v", got, err)
	}
	got, err = Measure(context.Background(), 3, answers(accepted, noAnswer))
	var stall *StalledError
	if !errors.As(err, &stall) || len(got) != 1 || !strings.Contains(err.Error(), "got no answer within 2ms") {
		t.Errorf("expected a stall after one latency, got %v %v", got, err)
	}
	_, err = Measure(context.Background(), 3, answers(refused))
	var setup *SetupError
	if !errors.As(err, &setup) || !strings.Contains(err.Error(), "not accepted: ") {
		t.Errorf("expected a SetupError, got %v", err)
	}
	boom := errors.New("boom")
	_, err = Measure(context.Background(), 3, func(context.Context) (client.Answer, time.Duration, error) { return client.Answer{}, 0, boom })
	if err != boom {
		t.Errorf("expected connect's error as it is, got %v", err)
	}
}

func campaignWith(n int, results ...error) *Campaign {
	c := &Campaign{Kind: AuthBeforeConnect, n: n, results: make(chan error, n)}
	for _, r := range results {
		c.results <- r
	}
	return c
}

func TestEnded(t *testing.T) {
	if err := campaignWith(2, nil, nil).Ended(1, 0); err != nil {
		t.Errorf("all closed: %v", err)
	}
	err := campaignWith(2, nil, errors.New("after x the broker answered CONNACK 0x00")).Ended(1, 0)
	if m, ok := verify.As(err); !ok || m.Actual != "1 of 2 not: after x the broker answered CONNACK 0x00" {
		t.Errorf("expected a Mismatch naming the failure, got %v", err)
	}
	setup := &SetupError{errors.New("attacker dial: refused")}
	if err := campaignWith(2, nil, setup).Ended(1, 0); err != setup {
		t.Errorf("expected the SetupError, got %v", err)
	}
	err = campaignWith(2, nil).Ended(0, 10*time.Millisecond)
	if m, ok := verify.As(err); !ok || m.Actual != "1 of 2 attackers still connected" || m.Expected != "every attacker refused or closed within 0 s" {
		t.Errorf("expected a Mismatch at the deadline, got %v", err)
	}
}

// Run against the reference: the attackers run while the other clients
// are measured, and all end refused or closed. (The latencies are not
// judged here: a unit test does not time.)
func TestRunAgainstTheReference(t *testing.T) {
	b := startReference(t)
	connect := func(ctx context.Context) (client.Answer, time.Duration, error) {
		start := time.Now()
		ans, s, err := client.Connect(ctx, dialer(b.MQTTAddr()), validRequest(t), nil)
		took := time.Since(start)
		if s != nil {
			_ = s.Close()
		}
		return ans, took, err
	}
	measure := func(ctx context.Context) ([]time.Duration, error) { return Measure(ctx, 3, connect) }
	prepare := func() ([]byte, error) { return EncodeConnect(validRequest(t)) }
	a := Attacker{Kind: SecondConnect, Dial: dialer(b.MQTTAddr()), Timeout: 5 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := Run(ctx, a, 3, measure, prepare)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Baseline) != 3 || len(c.During) != 3 || c.Stalled != nil {
		t.Errorf("expected 3 + 3 latencies and no stall, got %v %v %v", c.Baseline, c.During, c.Stalled)
	}
	if err := c.Ended(5, time.Second); err != nil {
		t.Error(err)
	}
	_, err = Run(ctx, a, 2, measure, func() ([]byte, error) { return nil, errors.New("no token") })
	var setup *SetupError
	if !errors.As(err, &setup) {
		t.Errorf("a prepare error: expected a SetupError, got %v", err)
	}
}
