package steps

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/scram"
	"github.com/authspec/authspec/reports"
	"github.com/authspec/authspec/steps/client"
	"github.com/authspec/authspec/steps/target"
)

// The SCRAM client of the scenarios runs over the raw MQTT client
// (mqttwire) rather than paho: the scenarios need every packet of the
// exchange in hand (a pause between steps, an AUTH with another method,
// none, or another reason code, malformed messages, the data of the AUTH
// 0x00 that ends a re-authentication, which paho drops), and one driver for
// all of them keeps the correct exchange and the broken ones comparable.

// scramAttempt is how the next connection deviates from a correct
// exchange; the zero value is a correct one.
type scramAttempt struct {
	method      string // the CONNECT's Authentication-Method ("": the authenticator's)
	noData      bool   // no Authentication-Data in the CONNECT
	gs2Header   string // "": "n,,"
	firstBroken scramclient.Malformation
	finalBroken scramclient.Malformation
	finalMethod *string // the client-final AUTH's method (nil: the CONNECT's, "": none)
	finalCode   *byte   // the client-final AUTH's reason code (nil: 0x18)
	pauseIdle   bool    // pause longer than the broker's idle timeout before the client-final
}

// idlePauseMargin is how much longer than the broker's idle timeout a
// pausing client waits (SCRAM-24): enough to be clearly past it on any
// scheduler, short enough to keep the scenario quick.
const idlePauseMargin = 300 * time.Millisecond

// scramExchange is what one SCRAM CONNECT observed.
type scramExchange struct {
	user        string
	password    string
	alg         scram.Algorithm
	method      string
	conv        *scram.Client
	serverAuths []mqttwire.Auth // AUTH packets before the CONNACK
	serverFirst []byte          // nil when the broker sent no AUTH
	// requestsAtServerFirst is how many backend requests had arrived when
	// the server-first message did (SCRAM-02).
	requestsAtServerFirst int
	connack               *mqttwire.Connack
	// verifyErr is why the CONNACK's server-final message did not verify
	// (nil: verified, or no accepting CONNACK).
	verifyErr  error
	clientHost string // the client's address as the broker sees it (target.PeerHost)
	expireAt   time.Time
}

// resigned are the client-final malformations whose proof is recomputed
// over the message as sent: the defect they probe is a broker that skips
// the nonce or channel-binding check, and a proof that fails would get the
// client refused for another reason and hide it.
var resigned = map[scramclient.Malformation]bool{
	scramclient.FinalNonceMismatch:   true,
	scramclient.FinalClientNonceOnly: true,
	scramclient.FinalGS2Mismatch:     true,
	scramclient.FinalChannelBinding:  true,
}

// scramMethodAndAlg decides the CONNECT's method and the conversation's
// hash: the authenticator's unless the scenario names another method (a
// SCRAM-SHA-256/512 method brings its own hash; any other label is sent
// over a conversation in the authenticator's hash).
func scramMethodAndAlg(a scramAttempt, configured scram.Algorithm) (string, scram.Algorithm) {
	if a.method == "" {
		return configured.Method(), configured
	}
	if alg, ok := scram.AlgorithmForMethod(a.method); ok {
		return a.method, alg
	}
	return a.method, configured
}

// clientFirst builds the CONNECT's Authentication-Data.
func (a scramAttempt) clientFirst(conv *scram.Client, user string) ([]byte, error) {
	switch {
	case a.noData:
		return nil, nil
	case a.firstBroken == "" || a.firstBroken == scramclient.FirstChannelBinding:
		// A channel-binding client is a conversation with a p= header, so
		// that a broker that wrongly serves it can complete the exchange.
		return conv.First(), nil
	}
	return scramclient.MalformedClientFirst(a.firstBroken, user, conv.Nonce())
}

// clientFinal answers the server-first message.
func (a scramAttempt) clientFinal(x *scramExchange, serverFirst []byte) ([]byte, error) {
	m, err := x.conv.Respond(serverFirst)
	if err != nil {
		return nil, err
	}
	if a.finalBroken == "" {
		return []byte(m.String()), nil
	}
	broken, err := scramclient.MalformedClientFinal(a.finalBroken, m)
	if err != nil || !resigned[a.finalBroken] {
		return broken, err
	}
	return resign(x, serverFirst, broken)
}

// resign recomputes the proof of a client-final message over its own
// without-proof part.
func resign(x *scramExchange, serverFirst, final []byte) ([]byte, error) {
	m, err := scram.ParseClientFinal(final)
	if err != nil {
		return nil, fmt.Errorf("re-signing %q: %w", final, err)
	}
	sf, err := scram.ParseServerFirst(serverFirst)
	if err != nil {
		return nil, err
	}
	sp, err := scram.SaltedPassword(x.alg, x.password, sf.Salt, sf.Iterations)
	if err != nil {
		return nil, err
	}
	bare := strings.TrimPrefix(string(x.conv.First()), x.conv.GS2Header())
	auth := scram.AuthMessage(bare, string(serverFirst), m.WithoutProof)
	proof := scram.ClientProof(x.alg, scram.ClientKey(x.alg, sp), auth)
	return []byte(m.WithoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof)), nil
}

// scramConnect provisions the broker, gives the backend its users and runs
// one SCRAM CONNECT as the scenario describes it. The answer goes where the
// shared outcome steps read it (st.answer); the exchange is kept for the
// SCRAM observation steps. The attempt's deviations are used up.
func (st *scenario) scramConnect(ctx context.Context, user, password string) (context.Context, error) {
	sc := st.scramOf()
	attempt := sc.attempt
	sc.attempt = scramAttempt{}
	inst, err := st.instance(ctx)
	if err != nil {
		return stepError(ctx, err)
	}
	if !target.Speaks(inst, target.MQTT5) {
		return reports.NotApplicable(ctx, "SCRAM needs MQTT 5, which the target does not speak")
	}
	configured, _, err := scramAuthenticatorSettings(inst.Authenticators())
	if err != nil {
		return ctx, err
	}
	if err := sc.push(inst.Authenticators(), time.Now()); err != nil {
		return ctx, reports.HarnessError(err)
	}
	x := &scramExchange{user: user, password: password}
	x.method, x.alg = scramMethodAndAlg(attempt, configured)
	for _, u := range sc.users {
		if u.name == user {
			x.expireAt = u.expireAt
		}
	}
	opts := []scram.ClientOption{}
	switch {
	case attempt.firstBroken == scramclient.FirstChannelBinding:
		opts = append(opts, scram.WithGS2Header("p=tls-unique,,"))
	case attempt.gs2Header != "":
		opts = append(opts, scram.WithGS2Header(attempt.gs2Header))
	}
	if x.conv, err = scram.NewClient(x.alg, user, password, opts...); err != nil {
		return ctx, err
	}
	first, err := attempt.clientFirst(x.conv, user)
	if err != nil {
		return ctx, err
	}

	pause := time.Duration(0)
	if attempt.pauseIdle {
		pause = target.IdleTimeout(inst) + idlePauseMargin
	}
	cctx, cancel := context.WithTimeout(ctx, st.suite.timeout()+pause)
	defer cancel()
	nc, err := inst.Dial(cctx)
	if err != nil {
		return ctx, reports.Unreachable(&client.DialError{Err: err})
	}
	x.clientHost = target.PeerHost(inst, nc)
	conn := mqttwire.NewConn(st.trace.Wrap(st.client.clientID, nc), mqttwire.WithProtocolVersion(5))
	connect := mqttwire.Connect{
		ProtocolVersion: 5, ClientID: st.client.clientID, Clean: true, Keepalive: 60,
		Username: defaultUsername, HasUsername: true,
		AuthMethod: x.method, AuthData: first,
	}
	if f := st.client.username; f.set {
		connect.Username, connect.HasUsername = string(f.value), !f.absent
	}
	if f := st.client.password; f.set {
		connect.Password, connect.HasPassword = f.value, !f.absent
	}
	sc.last = x
	answer, err := x.run(cctx, conn, connect, attempt, sc, pause)
	sc.noteRequests(st.trace)
	if err != nil {
		_ = conn.Close()
		return ctx, err
	}
	st.answer = &answer
	if answer.Accepted() {
		sc.conn, sc.reauth = conn, nil
		st.sessions = append(st.sessions, scramSession{conn})
	} else {
		_ = conn.Close()
	}
	return reports.AttachObserved(ctx, answer.Observed()), nil
}

// run sends the CONNECT and answers the broker's AUTH packets until the
// CONNACK. A refusal, a closed connection or a timeout is an Answer; the
// error is for a server-first message the client cannot answer (a broker
// defect, reported as a mismatch) or a harness problem.
func (x *scramExchange) run(ctx context.Context, conn *mqttwire.Conn, connect mqttwire.Connect, a scramAttempt, sc *scramScenario, pause time.Duration) (client.Answer, error) {
	answer := client.Answer{Version: target.MQTT5}
	if err := conn.SendConnect(ctx, connect); err != nil {
		return answer, reports.HarnessError(err)
	}
	for {
		pk, err := conn.ReadPacket(ctx)
		switch {
		case errors.Is(err, mqttwire.ErrTimeout):
			answer.TimedOut = true
			return answer, nil
		case errors.Is(err, mqttwire.ErrConnectionClosed):
			answer.Closed = true
			return answer, nil
		case err != nil:
			return answer, reports.HarnessError(err)
		}
		switch pk.FixedHeader.Type {
		case mqttwire.TypeConnack:
			ack := mqttwire.ConnackFrom(pk)
			x.connack = &ack
			answer.Connack, answer.Code, answer.AuthMethod = true, ack.ReasonCode, ack.AuthMethod
			if ack.Accepted() {
				x.verifyErr = x.verifyServerFinal(ack.AuthData)
			}
			return answer, nil
		case mqttwire.TypeAuth:
			auth := mqttwire.AuthFrom(pk)
			x.serverAuths = append(x.serverAuths, auth)
			if len(x.serverAuths) > 1 {
				answer.Unexpected = "a second " + mqttwire.Describe(pk)
				return answer, nil
			}
			x.serverFirst = auth.Data
			if sc.backend != nil {
				x.requestsAtServerFirst = sc.backend.RequestCount()
			}
			final, err := a.clientFinal(x, auth.Data)
			if err != nil {
				return answer, mismatch("a server-first message the client can answer", fmt.Sprintf("%q (%v)", auth.Data, err))
			}
			if pause > 0 {
				select {
				case <-time.After(pause):
				case <-ctx.Done():
					return answer, reports.HarnessError(ctx.Err())
				}
			}
			reply := mqttwire.Auth{ReasonCode: mqttwire.AuthContinue, Method: x.method, Data: final}
			if a.finalMethod != nil {
				reply.Method = *a.finalMethod
			}
			if a.finalCode != nil {
				reply.ReasonCode = *a.finalCode
			}
			if err := conn.WriteAuth(ctx, reply); err != nil && !errors.Is(err, mqttwire.ErrConnectionClosed) {
				return answer, reports.HarnessError(err)
			}
		default:
			answer.Unexpected = mqttwire.Describe(pk)
			return answer, nil
		}
	}
}

// verifyServerFinal checks the v= of an accepting CONNACK (SCRAM-01).
func (x *scramExchange) verifyServerFinal(data []byte) error {
	if len(data) == 0 {
		return errors.New("no server-final message (no Authentication-Data)")
	}
	return x.conv.VerifyServerFinal(data)
}

// scramSession keeps an accepted SCRAM connection for later steps and for
// the scenario's clean-up.
type scramSession struct{ c *mqttwire.Conn }

func (s scramSession) Alive(ctx context.Context) error { return s.c.Ping(ctx) }

func (s scramSession) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = s.c.Disconnect(ctx, 0)
	return s.c.Close()
}

// scramReauth is what a re-authentication on the connected client observed.
type scramReauth struct {
	conv        *scram.Client
	password    string
	serverFirst []byte
	final       []byte          // the client-final computed for serverFirst
	serverAuths []mqttwire.Auth // AUTH packets received
	disconnect  *mqttwire.Packet
	closed      bool
	verifyErr   error // of the AUTH 0x00's server-final
}

// startReauth sends AUTH 0x19 with a new client-first message and waits for
// the broker's next packet.
func (st *scenario) startReauth(ctx context.Context, user, password string) (*scramReauth, error) {
	sc := st.scramOf()
	if sc.conn == nil || sc.last == nil {
		return nil, fmt.Errorf("the scenario re-authenticates before a SCRAM client was accepted")
	}
	conv, err := scram.NewClient(sc.last.alg, user, password)
	if err != nil {
		return nil, err
	}
	r := &scramReauth{conv: conv, password: password}
	sc.reauth = r
	if err := sc.conn.SendAuth(ctx, mqttwire.AuthReauthenticate, sc.last.method, conv.First()); err != nil {
		return r, reports.HarnessError(err)
	}
	err = r.next(ctx, sc.conn)
	sc.noteRequests(st.trace)
	if err != nil {
		return r, err
	}
	if len(r.serverAuths) == 1 && r.serverAuths[0].ReasonCode == mqttwire.AuthContinue {
		r.serverFirst = r.serverAuths[0].Data
		m, err := conv.Respond(r.serverFirst)
		if err != nil {
			return r, mismatch("a server-first message the client can answer", fmt.Sprintf("%q (%v)", r.serverFirst, err))
		}
		r.final = []byte(m.String())
	}
	return r, nil
}

// next reads one packet of the re-authentication: an AUTH, or the
// DISCONNECT (or close) that ends it. A timeout leaves nothing recorded.
func (r *scramReauth) next(ctx context.Context, conn *mqttwire.Conn) error {
	pk, err := conn.ReadPacket(ctx)
	switch {
	case errors.Is(err, mqttwire.ErrTimeout):
		return nil
	case errors.Is(err, mqttwire.ErrConnectionClosed):
		r.closed = true
		return nil
	case err != nil:
		return reports.HarnessError(err)
	}
	switch pk.FixedHeader.Type {
	case mqttwire.TypeAuth:
		auth := mqttwire.AuthFrom(pk)
		r.serverAuths = append(r.serverAuths, auth)
		if auth.ReasonCode == mqttwire.AuthSuccess {
			if len(auth.Data) == 0 {
				r.verifyErr = errors.New("no server-final message (no Authentication-Data)")
			} else {
				r.verifyErr = r.conv.VerifyServerFinal(auth.Data)
			}
		}
	case mqttwire.TypeDisconnect:
		r.disconnect = &pk
	default:
		return mismatch("an AUTH or DISCONNECT", mqttwire.Describe(pk))
	}
	return nil
}
