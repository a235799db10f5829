package scramdrive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scrambackend"
	"github.com/authspec/authspec/reference/scram"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/internal/verify"
	"github.com/authspec/authspec/steps/target"
)

// Params is one SCRAM CONNECT as a scenario describes it.
type Params struct {
	User, Password string
	// Algorithm is the authenticator's hash (Settings.Algorithm).
	Algorithm scram.Algorithm
	Attempt   Attempt
	// Connect carries the CONNECT's client ID, user name and password; the
	// exchange sets the rest (MQTT 5, clean start, the authentication).
	Connect mqttwire.Connect
	// Timeout bounds the exchange; a pausing attempt adds its pause.
	Timeout time.Duration
	// Backend is the suite's credential backend, whose request count is
	// taken when the server-first message arrives (nil: none runs).
	Backend *scrambackend.Server
	// Trace records the packets (nil: none).
	Trace *mqttwire.Trace
	// ExpireAt is the expire_at of the backend's answer for User (zero:
	// none), kept with the exchange for the checks of its expiry.
	ExpireAt time.Time
}

// Exchange is what one SCRAM CONNECT observed.
type Exchange struct {
	Method    string          // the CONNECT's Authentication-Method
	Algorithm scram.Algorithm // the conversation's hash
	ExpireAt  time.Time       // Params.ExpireAt
	// ClientHost is the client's address as the broker sees it
	// (target.PeerHost).
	ClientHost string
	// Conn is the connection, open when the CONNECT was accepted.
	Conn *mqttwire.Conn

	user, password string
	conv           *scram.Client
	serverAuths    []mqttwire.Auth // AUTH packets before the CONNACK
	serverFirst    []byte          // nil when the broker sent no AUTH
	// requestsAtServerFirst is how many backend requests had arrived when
	// the server-first message did (SCRAM-02).
	requestsAtServerFirst int
	connack               *mqttwire.Connack
	// verifyErr is why the CONNACK's server-final message did not verify
	// (nil: verified, or no accepting CONNACK).
	verifyErr error
}

// Connect runs one SCRAM CONNECT on inst's broker. A refusal, a closed
// connection or a timeout is an Answer. The Exchange is nil when no
// connection was opened (the attempt cannot be built: a plain error; the
// broker cannot be reached: a *client.DialError); otherwise the error is a
// verify.Mismatch for a server-first message the client cannot answer, or
// a *HarnessError. The connection stays open only when accepted.
func Connect(ctx context.Context, inst target.Instance, p Params) (*Exchange, client.Answer, error) {
	x := &Exchange{user: p.User, password: p.Password, ExpireAt: p.ExpireAt}
	x.Method, x.Algorithm = MethodAndAlg(p.Attempt, p.Algorithm)
	var err error
	if x.conv, err = scram.NewClient(x.Algorithm, p.User, p.Password, p.Attempt.clientOptions()...); err != nil {
		return nil, client.Answer{}, err
	}
	first, err := p.Attempt.clientFirst(x.conv, p.User)
	if err != nil {
		return nil, client.Answer{}, err
	}
	pause := p.Attempt.pause(target.IdleTimeout(inst))
	ctx, cancel := context.WithTimeout(ctx, p.Timeout+pause)
	defer cancel()
	nc, err := inst.Dial(ctx)
	if err != nil {
		return nil, client.Answer{}, &client.DialError{Err: err}
	}
	x.ClientHost = target.PeerHost(inst, nc)
	x.Conn = mqttwire.NewConn(p.Trace.Wrap(p.Connect.ClientID, nc), mqttwire.WithProtocolVersion(5))
	connect := p.Connect
	connect.ProtocolVersion, connect.Clean, connect.Keepalive = 5, true, 60
	connect.AuthMethod, connect.AuthData = x.Method, first
	answer, err := x.run(ctx, connect, exchangeRun{p.Attempt, pause, p.Backend})
	if err != nil || !answer.Accepted() {
		_ = x.Conn.Close()
	}
	return x, answer, err
}

// exchangeRun is how the client answers the broker's AUTH packets.
type exchangeRun struct {
	attempt Attempt
	pause   time.Duration // before the client-final message
	backend *scrambackend.Server
}

// run sends the CONNECT and answers the broker's AUTH packets until the
// CONNACK.
func (x *Exchange) run(ctx context.Context, connect mqttwire.Connect, how exchangeRun) (client.Answer, error) {
	answer := client.Answer{Version: target.MQTT5}
	if err := x.Conn.SendConnect(ctx, connect); err != nil {
		return answer, harness(err)
	}
	for {
		pk, err := x.Conn.ReadPacket(ctx)
		switch {
		case errors.Is(err, mqttwire.ErrTimeout):
			answer.TimedOut = true
			return answer, nil
		case errors.Is(err, mqttwire.ErrConnectionClosed):
			answer.Closed = true
			return answer, nil
		case err != nil:
			return answer, harness(err)
		}
		switch pk.FixedHeader.Type {
		case mqttwire.TypeConnack:
			x.takeConnack(pk, &answer)
			return answer, nil
		case mqttwire.TypeAuth:
			if done, err := x.answerAuth(ctx, pk, how, &answer); done || err != nil {
				return answer, err
			}
		default:
			answer.Unexpected = mqttwire.Describe(pk)
			return answer, nil
		}
	}
}

// takeConnack records the CONNACK and verifies the server-final message of
// an accepting one (SCRAM-01).
func (x *Exchange) takeConnack(pk mqttwire.Packet, answer *client.Answer) {
	ack := mqttwire.ConnackFrom(pk)
	x.connack = &ack
	answer.Connack, answer.Code, answer.AuthMethod = true, ack.ReasonCode, ack.AuthMethod
	if ack.Accepted() {
		x.verifyErr = verifyServerFinal(x.conv, ack.AuthData)
	}
}

// answerAuth answers the broker's server-first message with the
// client-final one; a second AUTH ends the exchange (done).
func (x *Exchange) answerAuth(ctx context.Context, pk mqttwire.Packet, how exchangeRun, answer *client.Answer) (done bool, err error) {
	auth := mqttwire.AuthFrom(pk)
	x.serverAuths = append(x.serverAuths, auth)
	if len(x.serverAuths) > 1 {
		answer.Unexpected = "a second " + mqttwire.Describe(pk)
		return true, nil
	}
	x.serverFirst = auth.Data
	if how.backend != nil {
		x.requestsAtServerFirst = how.backend.RequestCount()
	}
	final, err := how.attempt.clientFinal(x, auth.Data)
	if err != nil {
		return true, verify.New("a server-first message the client can answer", fmt.Sprintf("%q (%v)", auth.Data, err))
	}
	if how.pause > 0 {
		select {
		case <-time.After(how.pause):
		case <-ctx.Done():
			return true, harness(ctx.Err())
		}
	}
	err = x.Conn.WriteAuth(ctx, how.attempt.finalAuth(x.Method, final))
	if err != nil && !errors.Is(err, mqttwire.ErrConnectionClosed) {
		return true, harness(err)
	}
	return false, nil
}

// verifyServerFinal checks the v= of an accepting CONNACK or AUTH 0x00.
func verifyServerFinal(conv *scram.Client, data []byte) error {
	if len(data) == 0 {
		return errors.New("no server-final message (no Authentication-Data)")
	}
	return conv.VerifyServerFinal(data)
}

// NextAuthData is the data of an AUTH a scenario sends on the accepted
// connection: the pending re-authentication's client-final message once
// its server-first came, else a new client-first message for the
// connection's user.
func (x *Exchange) NextAuthData(r *Reauth) ([]byte, error) {
	if r != nil && r.final != nil {
		return r.final, nil
	}
	conv, err := scram.NewClient(x.Algorithm, x.user, x.password)
	if err != nil {
		return nil, err
	}
	return conv.First(), nil
}
