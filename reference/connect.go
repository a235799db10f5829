package reference

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/authspec/authspec/reference/authn"
	"github.com/authspec/authspec/reference/clientinfo"
)

// errRefused is returned from OnConnect after the hook has written its own
// CONNACK: mochi then closes the connection without sending another.
var errRefused = errors.New("authentication refused")

// clientFromConnect turns a CONNECT into what the authentication chain sees.
func clientFromConnect(cl *mqtt.Client, pk packets.Packet) clientinfo.Client {
	c := clientinfo.Client{
		Protocol:    pk.ProtocolVersion,
		ClientID:    cl.ID,
		Username:    string(pk.Connect.Username),
		HasUsername: pk.Connect.UsernameFlag,
		Password:    pk.Connect.Password,
		HasPassword: pk.Connect.PasswordFlag,
		Listener:    clientinfo.DefaultListener,
		Zone:        clientinfo.DefaultZone,
	}
	if pk.ProtocolVersion == 5 {
		c.AuthMethod = pk.Properties.AuthenticationMethod
		c.AuthData = pk.Properties.AuthenticationData
	}
	c.PeerHost = peerHost(cl.Net.Remote)
	return c
}

// peerHost is the address part of a connection's remote address.
func peerHost(remote string) string {
	if host, _, err := net.SplitHostPort(remote); err == nil {
		return host
	}
	return remote
}

// keepEmptyPassword lets a CONNECT with the password flag set and a
// zero-length password through: MQTT allows it, and EMQX hands it to the
// authenticators as a present, empty password (JWT-SRC-06: a malformed
// token, not a missing one). mochi's validation refuses it as a protocol
// error, so the flag is lowered for validation and the fact carried on the
// packet itself, as a user property whose key holds a per-broker random
// marker a client cannot guess; nothing outlives the packet.
func (b *Broker) keepEmptyPassword(cl *mqtt.Client, pk packets.Packet) packets.Packet {
	if pk.Connect.PasswordFlag && len(pk.Connect.Password) == 0 {
		pk.Connect.PasswordFlag = false
		pk.Properties.User = append(slices.Clone(pk.Properties.User), packets.UserProperty{Key: b.emptyPasswordMark})
	}
	return pk
}

// hadEmptyPassword reports the mark of keepEmptyPassword and removes it
// from what the client keeps.
func (b *Broker) hadEmptyPassword(cl *mqtt.Client, pk packets.Packet) bool {
	mark := func(u packets.UserProperty) bool { return u.Key == b.emptyPasswordMark }
	if !slices.ContainsFunc(pk.Properties.User, mark) {
		return false
	}
	cl.Properties.Props.User = slices.DeleteFunc(slices.Clone(cl.Properties.Props.User), mark)
	return true
}

// authenticate runs the chain for a CONNECT, including an enhanced
// authentication exchange of AUTH packets before the CONNACK, and writes the
// CONNACK itself when it refuses. It returns the session on success.
func (b *Broker) authenticate(cl *mqtt.Client, pk packets.Packet) (*session, error) {
	c := clientFromConnect(cl, pk)
	if b.hadEmptyPassword(cl, pk) {
		c.HasPassword, c.Password = true, []byte{}
	}
	started := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), b.o.authTimeout)
	defer cancel()

	res := b.chain().Authenticate(ctx, &c)
	var final authn.Authenticator
	for res.Outcome == authn.Continue {
		data, code, why := b.exchangeStep(cl, c.AuthMethod, res.AuthData)
		if code != 0 {
			res = authn.Result{Outcome: authn.Deny, Code: code, Authenticator: res.Authenticator, Check: "auth-packet", Detail: why}
			break
		}
		if res.Next == nil {
			res = authn.Result{Outcome: authn.Deny, Code: authn.CodeNotAuthorized, Authenticator: res.Authenticator, Check: "exchange", Detail: "authenticator continued without a next step"}
			break
		}
		name := res.Authenticator
		res = res.Next.Step(ctx, data)
		if res.Authenticator == "" {
			res.Authenticator = name
		}
		if res.Outcome == authn.Accept {
			final = b.authenticatorByID(name)
		}
	}
	if res.Outcome == authn.Ignore {
		// The chain normally never answers Ignore; treat it as every
		// authenticator having ignored the client (CHAIN-02).
		res = authn.Result{Outcome: authn.Deny, Code: authn.CodeNotAuthorized, Check: "chain", Detail: "every authenticator ignored the client"}
	}
	b.logDecision(&c, res, time.Since(started))

	if res.Outcome != authn.Accept {
		code := res.Code
		if code == 0 {
			code = authn.CodeNotAuthorized
		}
		if err := b.writeConnack(cl, code, res.Detail); err != nil {
			return nil, fmt.Errorf("write refusal connack: %w", err)
		}
		return nil, errRefused
	}

	ss := &session{client: c, identity: res.Identity, enhanced: final}
	if c.AuthMethod != "" {
		// The CONNACK of a successful enhanced authentication carries the
		// method and the server's final data (SCRAM-01); a CONNECT with a
		// method that no authenticator handled but that was accepted (legacy,
		// no authenticator) gets its method echoed (CHAIN-03).
		ss.authMethod = c.AuthMethod
		ss.authData = res.AuthData
	}
	if id := res.Identity.ClientIDOverride; id != "" {
		cl.ID = id
		ss.client.ClientID = id
	}
	ss.client.ClientAttrs = res.Identity.ClientAttrs
	return ss, nil
}

// exchangeStep sends AUTH 0x18 with the server's data and reads the client's
// answer. A non-zero code is the CONNACK reason code that ends the exchange:
// 0x8C for another method (SCRAM-20), 0x82 for a missing method or an
// unexpected reason code or packet (SCRAM-21, SCRAM-22).
func (b *Broker) exchangeStep(cl *mqtt.Client, method string, data []byte) ([]byte, byte, string) {
	out := packets.Packet{
		FixedHeader: packets.FixedHeader{Type: packets.Auth},
		ReasonCode:  authn.CodeContinue,
		Properties:  packets.Properties{AuthenticationMethod: method, AuthenticationData: data},
	}
	if err := cl.WritePacket(out); err != nil {
		return nil, authn.CodeUnspecifiedError, "write AUTH: " + err.Error()
	}
	// SCRAM-24: the exchange has no timeout of its own in EMQX, but a
	// stalled client must not hold a connection forever: the step timeout
	// is far above EMQX's idle_timeout (15 s), so a client that merely
	// pauses still completes. This deadline replaces the connect idle
	// timeout the listener set at accept (idleListener).
	stepTimeout := b.o.authStepTimeout
	if b.defects.authStepIdleTimeout {
		stepTimeout = b.o.connectTimeout
	}
	_ = cl.Net.Conn.SetReadDeadline(time.Now().Add(stepTimeout))
	defer func() { _ = cl.Net.Conn.SetReadDeadline(time.Time{}) }()

	fh := new(packets.FixedHeader)
	if err := cl.ReadFixedHeader(fh); err != nil {
		return nil, authn.CodeUnspecifiedError, "read AUTH: " + err.Error()
	}
	in, err := cl.ReadPacket(fh)
	if err != nil {
		return nil, authn.CodeMalformedPacket, "read AUTH: " + err.Error()
	}
	got := in.Properties.AuthenticationMethod
	if got == "" && b.defects.acceptAuthWithoutMethod {
		got = method
	}
	switch {
	case in.FixedHeader.Type != packets.Auth:
		return nil, authn.CodeProtocolError, fmt.Sprintf("expected AUTH, got %s", packets.PacketNames[in.FixedHeader.Type])
	case got == "":
		return nil, authn.CodeProtocolError, "AUTH without Authentication-Method"
	case got != method && !b.defects.ignoreAuthMethodMismatch:
		return nil, authn.CodeBadAuthMethod, fmt.Sprintf("AUTH method %q differs from CONNECT's %q", got, method)
	case in.ReasonCode != authn.CodeContinue && !b.defects.ignoreAuthReasonCode:
		return nil, authn.CodeProtocolError, fmt.Sprintf("AUTH reason code 0x%02X while connecting (expected 0x18)", in.ReasonCode)
	}
	return in.Properties.AuthenticationData, 0, ""
}

// writeConnack writes a refusal CONNACK. MQTT 3.1.1 clients get the return
// code EMQX maps the reason code to (0x86 -> 4, 0x87 -> 5): mochi's own table
// maps 0x86 to 5, which is not EMQX's.
func (b *Broker) writeConnack(cl *mqtt.Client, code byte, reason string) error {
	ack := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Connack}, ReasonCode: code}
	if cl.Properties.ProtocolVersion < 5 {
		ack.ReasonCode = authn.V3Code(code)
		if b.defects.mochiV3ReturnCodes {
			ack.ReasonCode = mochiV3Code(code)
		}
	} else if reason != "" {
		ack.Properties.ReasonString = reason
	}
	return cl.WritePacket(ack)
}

// logDecision writes one line per authentication decision, naming the check
// that decided it (issue 2, item 4).
func (b *Broker) logDecision(c *clientinfo.Client, res authn.Result, took time.Duration) {
	code := res.Code
	if res.Outcome == authn.Accept {
		code = 0
	}
	b.log.Info("authentication",
		"clientid", c.ClientID,
		"username", c.Username,
		"proto", c.Protocol,
		"outcome", res.Outcome.String(),
		"code", fmt.Sprintf("0x%02X", code),
		"authenticator", res.Authenticator,
		"check", res.Check,
		"detail", res.Detail,
		"took", took.Round(time.Microsecond).String(),
	)
}

// mochiV3Code is mochi's own MQTT 5 to 3.1.1 mapping, kept as a fault: it
// maps 0x86 to 5 (not authorized) where EMQX sends 4.
func mochiV3Code(code byte) byte {
	if code == authn.CodeBadUserNameOrPass || code == authn.CodeNotAuthorized {
		return authn.CodeNotAuthorizedV3
	}
	return authn.V3Code(code)
}
