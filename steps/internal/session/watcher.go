package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/verify"
)

// Watcher is another client that observes deliveries: a superuser whose
// token's acl also allows everything (WatcherClaims), so it may subscribe
// to any topic whatever the authorization settings. It sees only the
// messages of its scenario (Marks).
type Watcher struct {
	name  string
	conn  *mqttwire.Conn
	marks *Marks
	subs  map[string]bool
}

// WatcherClaims are the claims (as JSON text) of a watcher's token, beside
// the valid ones: a superuser, with an acl allowing everything under
// aclClaim, the authenticator's acl_claim_name ("" for the default, acl).
func WatcherClaims(aclClaim string) map[string]string {
	if aclClaim == "" {
		aclClaim = "acl"
	}
	return map[string]string{
		"is_superuser": "true",
		aclClaim:       `[{"permission": "allow", "action": "all", "topic": "#"}]`,
	}
}

// WatcherClientID is the Client ID of the scenario's watcher name (uid is
// the scenario's Marks.UID), free of the characters a scenario's names
// have and a Client ID should not.
func WatcherClientID(uid, name string) string {
	return fmt.Sprintf("authspec-%s-%s", uid, strings.Map(func(r rune) rune {
		if r == ' ' || r == '(' || r == ')' {
			return '-'
		}
		return r
	}, name))
}

// DialWatcher connects the watcher name with req (a CONNECT carrying a
// token with WatcherClaims) over the raw client, MQTT 5. A refusal is a
// Mismatch; any other error means the broker was not reached.
func DialWatcher(ctx context.Context, dial client.Dialer, trace *mqttwire.Trace, name string, req client.Request, marks *Marks) (*Watcher, error) {
	req.Wire, req.Label = true, "watcher "+name
	ans, s, err := client.Connect(ctx, dial, req, trace)
	if err != nil {
		return nil, err
	}
	if !ans.Accepted() {
		return nil, verify.New(fmt.Sprintf("watcher %q (a superuser with a valid token) connected", name), ans.String())
	}
	ws, ok := s.(client.WireSession)
	if !ok {
		_ = s.Close()
		return nil, errors.New("the watcher's session is not a raw-client session")
	}
	return &Watcher{name: name, conn: ws.Wire(), marks: marks, subs: map[string]bool{}}, nil
}

// Close disconnects the watcher.
func (w *Watcher) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = w.conn.Disconnect(ctx, 0)
}

// Subscribe subscribes the watcher to filter at QoS 2, once.
func (w *Watcher) Subscribe(ctx context.Context, filter string) error {
	if w.subs[filter] {
		return nil
	}
	codes, err := w.conn.Subscribe(ctx, mqttwire.Filter{Topic: filter, QoS: 2})
	if err != nil {
		return verify.New(fmt.Sprintf("watcher %q subscribed to %q", w.name, filter), err.Error())
	}
	if codes[0] >= 0x80 {
		return verify.New(fmt.Sprintf("watcher %q (a superuser) subscribed to %q", w.name, filter), fmt.Sprintf("SUBACK 0x%02X", codes[0]))
	}
	w.subs[filter] = true
	return nil
}

// Receive waits for a PUBLISH of the scenario that match accepts, dropping
// the others. With within > 0 it waits that long and returns nil when
// nothing matched; otherwise until ctx ends. A watcher that loses its
// connection is a Mismatch.
func (w *Watcher) Receive(ctx context.Context, within time.Duration, match func(mqttwire.Message) bool) (*mqttwire.Message, error) {
	if within > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, within)
		defer cancel()
	}
	for {
		m, err := w.conn.Receive(ctx)
		switch {
		case err == nil:
			if w.marks.Ours(m.Payload) && match(m) {
				return &m, nil
			}
		case errors.Is(err, mqttwire.ErrTimeout), ctx.Err() != nil:
			return nil, nil
		default:
			return nil, verify.New(fmt.Sprintf("watcher %q still connected", w.name), err.Error())
		}
	}
}

// Expect waits until ctx ends for a message match accepts; expected says
// which in the Mismatch.
func (w *Watcher) Expect(ctx context.Context, match func(mqttwire.Message) bool, expected string) error {
	m, err := w.Receive(ctx, 0, match)
	if err == nil && m == nil {
		err = verify.New(expected, "no delivery before the deadline")
	}
	return err
}

// ExpectDelivery waits until ctx ends for payload on topic; what says which
// message it is ("the client's Will on \"t\"").
func (w *Watcher) ExpectDelivery(ctx context.Context, topic string, payload []byte, what string) error {
	return w.Expect(ctx, func(m mqttwire.Message) bool {
		return m.Topic == topic && bytes.Equal(m.Payload, payload)
	}, fmt.Sprintf("watcher %q to receive %s", w.name, what))
}

// ExpectNothing checks that no message of the scenario reaches the watcher
// within d.
func (w *Watcher) ExpectNothing(ctx context.Context, d time.Duration) error {
	m, err := w.Receive(ctx, d, func(mqttwire.Message) bool { return true })
	if err == nil && m != nil {
		err = verify.New(fmt.Sprintf("watcher %q to receive nothing within %s", w.name, d), fmt.Sprintf("a message on %q", m.Topic))
	}
	return err
}
