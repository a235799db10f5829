package scramdrive

import (
	"context"
	"errors"
	"fmt"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/reference/scram"
	"github.com/authspec/authspec/steps/internal/verify"
)

// Reauth is a re-authentication on an accepted connection (AUTH 0x19) and
// what it observed.
type Reauth struct {
	conv        *scram.Client
	final       []byte          // the client-final computed for the server-first message
	serverAuths []mqttwire.Auth // AUTH packets received
	disconnect  *mqttwire.Packet
	closed      bool
	verifyErr   error // of the AUTH 0x00's server-final
}

// NewReauth prepares a re-authentication as user in the connection's hash.
func NewReauth(alg scram.Algorithm, user, password string) (*Reauth, error) {
	conv, err := scram.NewClient(alg, user, password)
	if err != nil {
		return nil, err
	}
	return &Reauth{conv: conv}, nil
}

// Start sends AUTH 0x19 with the client-first message and waits for the
// broker's next packet; an AUTH 0x18 gets its client-final message ready
// (Pending). The error is a *HarnessError, or a verify.Mismatch for a
// packet that is neither AUTH nor DISCONNECT or a server-first message the
// client cannot answer.
func (r *Reauth) Start(ctx context.Context, conn *mqttwire.Conn, method string) error {
	if err := conn.SendAuth(ctx, mqttwire.AuthReauthenticate, method, r.conv.First()); err != nil {
		return harness(err)
	}
	if err := r.next(ctx, conn); err != nil {
		return err
	}
	if len(r.serverAuths) == 1 && r.serverAuths[0].ReasonCode == mqttwire.AuthContinue {
		serverFirst := r.serverAuths[0].Data
		m, err := r.conv.Respond(serverFirst)
		if err != nil {
			return verify.New("a server-first message the client can answer", fmt.Sprintf("%q (%v)", serverFirst, err))
		}
		r.final = []byte(m.String())
	}
	return nil
}

// Pending reports a client-final message ready to send: the broker
// answered the AUTH 0x19 with its server-first message.
func (r *Reauth) Pending() bool { return r.final != nil }

// Finish sends the client-final message in AUTH 0x18 and reads the
// broker's answer (AUTH 0x00, or a DISCONNECT or close). A failed send is
// returned as is: the broker may have dropped the connection.
func (r *Reauth) Finish(ctx context.Context, conn *mqttwire.Conn, method string) error {
	if err := conn.SendAuth(ctx, mqttwire.AuthContinue, method, r.final); err != nil {
		return err
	}
	return r.next(ctx, conn)
}

// Ended reports that the broker ended the connection during the
// re-authentication.
func (r *Reauth) Ended() bool { return r.disconnect != nil || r.closed }

// next reads one packet of the re-authentication: an AUTH, or the
// DISCONNECT (or close) that ends it. A timeout leaves nothing recorded.
func (r *Reauth) next(ctx context.Context, conn *mqttwire.Conn) error {
	pk, err := conn.ReadPacket(ctx)
	switch {
	case errors.Is(err, mqttwire.ErrTimeout):
		return nil
	case errors.Is(err, mqttwire.ErrConnectionClosed):
		r.closed = true
		return nil
	case err != nil:
		return harness(err)
	}
	switch pk.FixedHeader.Type {
	case mqttwire.TypeAuth:
		auth := mqttwire.AuthFrom(pk)
		r.serverAuths = append(r.serverAuths, auth)
		if auth.ReasonCode == mqttwire.AuthSuccess {
			r.verifyErr = verifyServerFinal(r.conv, auth.Data)
		}
	case mqttwire.TypeDisconnect:
		r.disconnect = &pk
	default:
		return verify.New("an AUTH or DISCONNECT", mqttwire.Describe(pk))
	}
	return nil
}

// Describe says what the re-authentication received.
func (r *Reauth) Describe() string {
	got := describeAuths(r.serverAuths)
	switch {
	case r.disconnect != nil:
		got += ", then " + mqttwire.Describe(*r.disconnect)
	case r.closed:
		got += ", then the connection closed"
	case len(r.serverAuths) == 0:
		got = "nothing before the deadline"
	}
	return got
}

// Continued checks that the broker answered the AUTH 0x19 with AUTH 0x18.
func (r *Reauth) Continued() error {
	if r.final == nil {
		return verify.New("AUTH 0x18 answering the re-authentication", r.Describe())
	}
	return nil
}

// Succeeded checks a whole re-authentication (SCRAM-23): AUTH 0x18, then
// AUTH 0x00 whose server-final message the client verifies.
func (r *Reauth) Succeeded() error {
	const want = "AUTH 0x18, then AUTH 0x00 whose v= the client verifies"
	n := len(r.serverAuths)
	if n != 2 || r.serverAuths[0].ReasonCode != mqttwire.AuthContinue || r.serverAuths[1].ReasonCode != mqttwire.AuthSuccess {
		return verify.New(want, r.Describe())
	}
	if r.verifyErr != nil {
		return verify.New(want, fmt.Sprintf("v= %q that does not verify: %v", r.serverAuths[1].Data, r.verifyErr))
	}
	return nil
}
