package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// pubACL lets a client publish and subscribe under t/ok/ only.
var pubACL = []any{map[string]any{"permission": "allow", "action": "all", "topic": "t/ok/#"}}

// mismatch fails the test unless err is a Mismatch whose Expected holds
// want.
func mismatch(t *testing.T, err error, want string) {
	t.Helper()
	m, ok := verify.As(err)
	if !ok {
		t.Fatalf("expected a Mismatch about %q, got %v", want, err)
	}
	if !strings.Contains(m.Expected, want) {
		t.Errorf("expected a Mismatch about %q, got %v", want, err)
	}
}

func TestPublishIsJudgedByItsAcknowledgement(t *testing.T) {
	inst := startBroker(t, nil)
	conn := connect(t, inst, request(target.MQTT5, NewClientID(), token(t, map[string]any{"acl": pubACL})))
	marks := NewMarks()
	for _, qos := range []byte{1, 2} {
		ok := Publish(testContext(t), conn, "t/ok/1", marks.Next("publish"), qos, false)
		if err := JudgePublish(testContext(t), ok, false, nil, time.Second); err != nil {
			t.Errorf("QoS %d allowed: %v", qos, err)
		}
		mismatch(t, JudgePublish(testContext(t), ok, true, nil, time.Second), "denied")
		if err := CheckAckedAsUsual(ok); err != nil {
			t.Error(err)
		}
		denied := Publish(testContext(t), conn, "t/no", marks.Next("publish"), qos, false)
		if denied.Code != 0x87 || denied.Err != nil {
			t.Fatalf("QoS %d: expected the reference to deny with 0x87, got %s", qos, denied)
		}
		if err := JudgePublish(testContext(t), denied, true, nil, time.Second); err != nil {
			t.Errorf("QoS %d denied: %v", qos, err)
		}
		mismatch(t, JudgePublish(testContext(t), denied, false, nil, time.Second), "allowed")
		if err := CheckAnswer(denied, ackName(qos), 0x87); err != nil {
			t.Error(err)
		}
		mismatch(t, CheckAnswer(denied, ackName(3-qos), 0x87), "0x87")
		mismatch(t, CheckAckedAsUsual(denied), "as usual")
	}
}

func TestPublishIsJudgedByItsDeliveryWhereTheAcknowledgementSaysNothing(t *testing.T) {
	inst := startBroker(t, nil)
	conn := connect(t, inst, request(target.MQTT311, NewClientID(), token(t, map[string]any{"acl": pubACL})))
	if !ObservedByDelivery(1, target.MQTT311) || !ObservedByDelivery(0, target.MQTT5) || ObservedByDelivery(1, target.MQTT5) {
		t.Fatal("expected QoS 0 and MQTT 3.1.1 publishes to be observed by delivery, and only them")
	}
	marks := NewMarks()
	probe := watcher(t, inst, "(probe)", marks)
	for _, topic := range []string{"t/ok/1", "t/no"} {
		if err := probe.Subscribe(testContext(t), topic); err != nil {
			t.Fatal(err)
		}
	}
	ok := Publish(testContext(t), conn, "t/ok/1", marks.Next("publish"), 1, false)
	if err := JudgePublish(testContext(t), ok, false, probe, 2*time.Second); err != nil {
		t.Errorf("allowed: %v", err)
	}
	denied := Publish(testContext(t), conn, "t/no", marks.Next("publish"), 1, false)
	if err := JudgePublish(testContext(t), denied, true, probe, 2*time.Second); err != nil {
		t.Errorf("denied: %v", err)
	}
	// Judged the other way, the same deliveries are mismatches.
	again := Publish(testContext(t), conn, "t/ok/1", marks.Next("publish"), 0, false)
	mismatch(t, JudgePublish(testContext(t), again, true, probe, 2*time.Second), "not delivered")
	none := Publish(testContext(t), conn, "t/no", marks.Next("publish"), 0, false)
	mismatch(t, JudgePublish(testContext(t), none, false, probe, 300*time.Millisecond), "delivered to a subscriber")
}

func TestWatcherSeesOnlyItsScenariosMessages(t *testing.T) {
	inst := startBroker(t, nil)
	ours, theirs := NewMarks(), NewMarks()
	w := watcher(t, inst, "observer 1", ours)
	if err := w.Subscribe(testContext(t), "w/#"); err != nil {
		t.Fatal(err)
	}
	other := watcher(t, inst, "other", theirs)
	if err := other.Subscribe(testContext(t), "w/#"); err != nil {
		t.Fatal(err)
	}
	conn := connect(t, inst, request(target.MQTT5, NewClientID(), token(t, map[string]any{"acl": []any{
		map[string]any{"permission": "allow", "action": "all", "topic": "w/#"}}})))

	foreign := theirs.Next("publish")
	if r := Publish(testContext(t), conn, "w/1", foreign, 1, false); r.Err != nil || r.Code != 0 {
		t.Fatalf("expected the publish allowed, got %s", r)
	}
	if err := w.ExpectNothing(testContext(t), 300*time.Millisecond); err != nil {
		t.Errorf("another scenario's message: %v", err)
	}
	if err := other.ExpectDelivery(testContext(t), "w/1", foreign, "its own message"); err != nil {
		t.Error(err)
	}
	mine := ours.Next("publish")
	Publish(testContext(t), conn, "w/2", mine, 1, false)
	mismatch(t, w.ExpectNothing(testContext(t), 2*time.Second), "receive nothing")
	Publish(testContext(t), conn, "w/3", ours.Next("publish"), 1, false)
	short, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	mismatch(t, w.ExpectDelivery(short, "w/3", []byte("not this one"), "a message never published"),
		`watcher "observer 1" to receive a message never published`)
}

func TestWatcherRefusedIsAMismatch(t *testing.T) {
	inst := startBroker(t, nil)
	req := request(target.MQTT5, NewClientID(), "not a token")
	_, err := DialWatcher(testContext(t), inst.Dial, mqttwire.NewTrace(), "w", req, NewMarks())
	mismatch(t, err, `watcher "w" (a superuser with a valid token) connected`)
}

func TestSubscriptionsAreJudgedByTheirSubackCode(t *testing.T) {
	inst := startBroker(t, nil)
	for _, v := range []target.Version{target.MQTT5, target.MQTT311} {
		conn := connect(t, inst, request(v, NewClientID(), token(t, map[string]any{"acl": pubACL})))
		ok, no := mqttwire.Filter{Topic: "t/ok/#", QoS: 1}, mqttwire.Filter{Topic: "t/no", QoS: 1}
		codes, err := Subscribe(testContext(t), conn, ok, no)
		if err != nil {
			t.Fatal(err)
		}
		if codes[1] != DeniedSubscriptionCode(v) {
			t.Fatalf("MQTT %s: expected the denied filter answered 0x%02X, got %v", v, DeniedSubscriptionCode(v), codes)
		}
		if err := JudgeSubscription(ok, codes[0], false, v); err != nil {
			t.Error(err)
		}
		if err := JudgeSubscription(no, codes[1], true, v); err != nil {
			t.Error(err)
		}
		mismatch(t, JudgeSubscription(ok, codes[0], true, v), "denied")
		mismatch(t, JudgeSubscription(no, codes[1], false, v), "granted")
	}
	// A denied code of the other protocol version is not the denial.
	mismatch(t, JudgeSubscription(mqttwire.Filter{Topic: "t"}, 0x87, true, target.MQTT311), "SUBACK 0x80")
}

func TestTheBrokerClosesTheConnectionAtTheTokensExpiry(t *testing.T) {
	inst := startBroker(t, nil)
	expSecs := time.Now().Unix() + 1
	conn := connect(t, inst, request(target.MQTT5, NewClientID(), token(t, map[string]any{"exp": expSecs})))
	if err := StillConnected(testContext(t), conn); err != nil {
		t.Fatal(err)
	}
	exp, err := ExpOf(map[string]any{"exp": float64(expSecs)})
	if err != nil || CheckWaitable(exp) != nil {
		t.Fatalf("expected exp %d, got %v (%v)", expSecs, exp, err)
	}
	ctx, cancel := context.WithDeadline(context.Background(), exp.Add(5*time.Second))
	defer cancel()
	cl, err := AwaitClosure(ctx, conn, exp)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckDisconnect(cl, 0x87); err != nil {
		t.Error(err)
	}
	if ObservedClosure(cl) != "DISCONNECT 0x87" {
		t.Errorf("got %q", ObservedClosure(cl))
	}
	mismatch(t, CheckDisconnect(cl, 0x8C), "DISCONNECT 0x8C")
	mismatch(t, StillConnected(testContext(t), conn), "still connected")
}

func TestAConnectionThatStaysOpenIsNoClosure(t *testing.T) {
	inst := startBroker(t, nil)
	conn := connect(t, inst, request(target.MQTT5, NewClientID(), token(t, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := AwaitClosure(ctx, conn, time.Time{})
	mismatch(t, err, "the broker to close the connection")
	// A close before exp is too early.
	_ = conn.Close()
	exp := time.Now().Add(5 * time.Second)
	_, err = AwaitClosure(testContext(t), conn, exp)
	mismatch(t, err, "at the token's exp")
}

func TestStillOpenAfter(t *testing.T) {
	inst := startBroker(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req := request(target.MQTT5, NewClientID(), token(t, nil))
	conn := connect(t, inst, req)
	s := session{conn}
	if err := StillOpenAfter(ctx, s, 10*time.Millisecond, time.Second); err != nil {
		t.Fatal(err)
	}
	_ = conn.Close()
	mismatch(t, StillOpenAfter(ctx, s, 0, time.Second), "still open")
	ended, stop := context.WithCancel(context.Background())
	stop()
	if err := StillOpenAfter(ended, s, time.Hour, time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("expected the context's error, got %v", err)
	}
}

// session is a client.Session over a raw connection.
type session struct{ c *mqttwire.Conn }

func (s session) Alive(ctx context.Context) error { return s.c.Ping(ctx) }
func (s session) Close() error                    { return s.c.Close() }

func TestTheBrokersViewOfAClient(t *testing.T) {
	inst := startBroker(t, nil)
	insp, ok := inst.(target.ClientInspector)
	if !ok {
		t.Fatal("expected the reference to show its clients")
	}
	id := NewClientID()
	connect(t, inst, request(target.MQTT5, id, token(t, map[string]any{"client_attrs": map[string]any{"role": "sensor"}})))
	v, err := AwaitClient(testContext(t), insp, id, Connected)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckConnected(id, v); err != nil {
		t.Error(err)
	}
	attrs, err := ParseAttributes(`{"role": "sensor"}`)
	if err != nil {
		t.Fatal(err)
	}
	if err := attrs.Check(id, v); err != nil {
		t.Error(err)
	}
	other, _ := ParseAttributes(`{"role": "actuator"}`)
	mismatch(t, other.Check(id, v), `attributes {"role": "actuator"}`)

	short, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	v, err = AwaitClient(short, insp, "nobody", Connected)
	if err != nil || v.Found {
		t.Fatalf("expected no client, got %+v (%v)", v, err)
	}
	mismatch(t, CheckConnected("nobody", v), `a connected client "nobody"`)
	if _, err := ParseAttributes(`{"n": 1}`); err == nil {
		t.Error("expected attributes that are not strings refused")
	}
}
