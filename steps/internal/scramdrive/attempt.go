package scramdrive

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/authspec/authspec/fixtures/mqttwire"
	"github.com/authspec/authspec/fixtures/scramclient"
	"github.com/authspec/authspec/reference/scram"
)

// Attempt is how a connection deviates from a correct exchange; the zero
// value is a correct one.
type Attempt struct {
	Method      string // the CONNECT's Authentication-Method ("": the authenticator's)
	NoData      bool   // no Authentication-Data in the CONNECT
	GS2Header   string // "": "n,,"
	FirstBroken scramclient.Malformation
	FinalBroken scramclient.Malformation
	FinalMethod *string // the client-final AUTH's method (nil: the CONNECT's, "": none)
	FinalCode   *byte   // the client-final AUTH's reason code (nil: 0x18)
	PauseIdle   bool    // pause longer than the broker's idle timeout before the client-final
}

// IdlePauseMargin is how much longer than the broker's idle timeout a
// pausing client waits (SCRAM-24): enough to be clearly past it on any
// scheduler, short enough to keep the scenario quick.
const IdlePauseMargin = 300 * time.Millisecond

// pause is how long the attempt waits before its client-final message on
// a broker with that idle timeout.
func (a Attempt) pause(idle time.Duration) time.Duration {
	if !a.PauseIdle {
		return 0
	}
	return idle + IdlePauseMargin
}

// Malform breaks the attempt's message ("client-first" or "client-final")
// with the malformation of fixtures/scramclient called kind; the message
// must be the one the malformation breaks.
func (a *Attempt) Malform(message, kind string) error {
	m := scramclient.Malformation(kind)
	if !slices.Contains(scramclient.Malformations(), m) {
		return fmt.Errorf("unknown SCRAM malformation %q (known: %v)", kind, scramclient.Malformations())
	}
	_, notFirst := scramclient.MalformedClientFirst(m, "u", "nonce")
	switch {
	case message == "client-first" && notFirst == nil:
		a.FirstBroken = m
	case message == "client-final" && notFirst != nil:
		a.FinalBroken = m
	default:
		return fmt.Errorf("%q is not a %s malformation", kind, message)
	}
	return nil
}

// MethodAndAlg decides the CONNECT's method and the conversation's hash:
// the authenticator's (configured) unless the attempt names another method
// (a SCRAM-SHA-256/512 method brings its own hash; any other label is sent
// over a conversation in the authenticator's hash).
func MethodAndAlg(a Attempt, configured scram.Algorithm) (string, scram.Algorithm) {
	if a.Method == "" {
		return configured.Method(), configured
	}
	if alg, ok := scram.AlgorithmForMethod(a.Method); ok {
		return a.Method, alg
	}
	return a.Method, configured
}

// clientOptions are the conversation's options: a channel-binding client
// is a conversation with a p= header, so that a broker that wrongly serves
// it can complete the exchange.
func (a Attempt) clientOptions() []scram.ClientOption {
	switch {
	case a.FirstBroken == scramclient.FirstChannelBinding:
		return []scram.ClientOption{scram.WithGS2Header("p=tls-unique,,")}
	case a.GS2Header != "":
		return []scram.ClientOption{scram.WithGS2Header(a.GS2Header)}
	}
	return nil
}

// clientFirst builds the CONNECT's Authentication-Data.
func (a Attempt) clientFirst(conv *scram.Client, user string) ([]byte, error) {
	switch {
	case a.NoData:
		return nil, nil
	case a.FirstBroken == "" || a.FirstBroken == scramclient.FirstChannelBinding:
		return conv.First(), nil
	}
	return scramclient.MalformedClientFirst(a.FirstBroken, user, conv.Nonce())
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

// clientFinal answers the server-first message.
func (a Attempt) clientFinal(x *Exchange, serverFirst []byte) ([]byte, error) {
	m, err := x.conv.Respond(serverFirst)
	if err != nil {
		return nil, err
	}
	if a.FinalBroken == "" {
		return []byte(m.String()), nil
	}
	broken, err := scramclient.MalformedClientFinal(a.FinalBroken, m)
	if err != nil || !resigned[a.FinalBroken] {
		return broken, err
	}
	return resign(x, serverFirst, broken)
}

// finalAuth is the AUTH that carries the client-final message.
func (a Attempt) finalAuth(method string, final []byte) mqttwire.Auth {
	reply := mqttwire.Auth{ReasonCode: mqttwire.AuthContinue, Method: method, Data: final}
	if a.FinalMethod != nil {
		reply.Method = *a.FinalMethod
	}
	if a.FinalCode != nil {
		reply.ReasonCode = *a.FinalCode
	}
	return reply
}

// resign recomputes the proof of a client-final message over its own
// without-proof part.
func resign(x *Exchange, serverFirst, final []byte) ([]byte, error) {
	m, err := scram.ParseClientFinal(final)
	if err != nil {
		return nil, fmt.Errorf("re-signing %q: %w", final, err)
	}
	sf, err := scram.ParseServerFirst(serverFirst)
	if err != nil {
		return nil, err
	}
	sp, err := scram.SaltedPassword(x.Algorithm, x.password, sf.Salt, sf.Iterations)
	if err != nil {
		return nil, err
	}
	bare := strings.TrimPrefix(string(x.conv.First()), x.conv.GS2Header())
	auth := scram.AuthMessage(bare, string(serverFirst), m.WithoutProof)
	proof := scram.ClientProof(x.Algorithm, scram.ClientKey(x.Algorithm, sp), auth)
	return []byte(m.WithoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof)), nil
}
