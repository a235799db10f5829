package reference

import (
	"bytes"
	"context"
	"crypto/rand"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/authspec/authspec/reference/authn"
)

// hook connects mochi's hooks to the authentication chain and the
// authorization engine. mochi's own OnConnectAuthenticate can only refuse
// with 0x86, so the decision (and any AUTH exchange) is taken in OnConnect,
// which may write its own CONNACK with any reason code.
type hook struct {
	mqtt.HookBase
	b *Broker
}

func (h *hook) ID() string { return "authspec" }

func (h *hook) Provides(b byte) bool {
	return bytes.Contains([]byte{
		mqtt.OnConnect,
		mqtt.OnConnectAuthenticate,
		mqtt.OnSessionEstablished,
		mqtt.OnDisconnect,
		mqtt.OnACLCheck,
		mqtt.OnPacketRead,
		mqtt.OnPacketEncode,
		mqtt.OnPublish,
		mqtt.OnSubscribe,
		mqtt.OnAuthPacket,
		mqtt.OnWill,
	}, []byte{b})
}

// OnConnect authenticates. A refusal has already been answered with a
// CONNACK when it returns an error.
func (h *hook) OnConnect(cl *mqtt.Client, pk packets.Packet) error {
	ss, err := h.b.authenticate(cl, pk)
	if err != nil {
		return err
	}
	h.b.sessions.put(cl, ss)
	return nil
}

// OnConnectAuthenticate accepts what OnConnect accepted.
func (h *hook) OnConnectAuthenticate(cl *mqtt.Client, pk packets.Packet) bool {
	return h.b.sessions.get(cl) != nil
}

// OnSessionEstablished starts the expiry timer (JWT-EXP-01, SCRAM-07).
func (h *hook) OnSessionEstablished(cl *mqtt.Client, pk packets.Packet) {
	ss := h.b.sessions.get(cl)
	if ss == nil {
		return
	}
	h.b.armExpiry(cl, ss)
}

// OnDisconnect forgets the session and stops its timer.
func (h *hook) OnDisconnect(cl *mqtt.Client, err error, expire bool) {
	if ss := h.b.sessions.remove(cl); ss != nil {
		ss.mu.Lock()
		if ss.expiry != nil {
			ss.expiry.Stop()
		}
		ss.mu.Unlock()
	}
}

// OnPacketEncode adds the enhanced-authentication properties to a success
// CONNACK, and sets the SUBACK codes of refused filters (subackCodes,
// JWT-ACL-18).
func (h *hook) OnPacketEncode(cl *mqtt.Client, pk packets.Packet) packets.Packet {
	switch pk.FixedHeader.Type {
	case packets.Connack:
		if pk.ReasonCode != 0 || cl.Properties.ProtocolVersion < 5 {
			return pk
		}
		if ss := h.b.sessions.get(cl); ss != nil && ss.authMethod != "" {
			pk.Properties.AuthenticationMethod = ss.authMethod
			pk.Properties.AuthenticationData = ss.authData
		}
	case packets.Suback:
		// The SUBSCRIBE is answered: its decisions must not be read as
		// those of a later delivery whose topic spells one of its filters.
		if ss := h.b.sessions.get(cl); ss != nil {
			ss.mu.Lock()
			ss.subDecisions = nil
			ss.mu.Unlock()
		}
		pk.ReasonCodes = subackCodes(pk.ReasonCodes, cl.Properties.ProtocolVersion, h.b.defects)
	}
	return pk
}

// subackCodes gives an MQTT 3.1.1 client 0x80 for every refused filter
// (JWT-ACL-18). mochi 2.7.9 already maps them, so this holds the rule for
// whatever version is linked; the fault v311-suback-keeps-v5-code undoes
// it, and suback-denies-all refuses every filter of a SUBSCRIBE that has
// one refused.
func subackCodes(in []byte, protocol byte, fs brokerDefects) []byte {
	codes := append([]byte(nil), in...)
	refused := false
	for i, c := range codes {
		if c < 0x80 {
			continue
		}
		refused = true
		switch {
		case protocol < 5 && fs.v311SubackKeepsV5Code:
			codes[i] = 0x87
		case protocol < 5:
			codes[i] = 0x80
		}
	}
	if refused && fs.subackDeniesAll {
		for i := range codes {
			codes[i] = 0x87
			if protocol < 5 && !fs.v311SubackKeepsV5Code {
				codes[i] = 0x80
			}
		}
	}
	return codes
}

// OnPacketRead authorizes a PUBLISH where its QoS and retain flag are known;
// OnACLCheck and OnPublish, called next on the same goroutine, act on it.
func (h *hook) OnPacketRead(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if pk.FixedHeader.Type == packets.Connect {
		if h.b.defects.secondConnectIgnored && h.b.sessions.get(cl) != nil {
			return secondConnectAsPing(pk), nil
		}
		return h.b.keepEmptyPassword(cl, pk), nil
	}
	if pk.FixedHeader.Type != packets.Publish {
		return pk, nil
	}
	ss := h.b.sessions.get(cl)
	if ss == nil {
		return pk, nil
	}
	d := h.b.authorize(ss, actionPublish, pk.TopicName, pk.FixedHeader.Qos, pk.FixedHeader.Retain, h.b.now())
	if !d.allow && pk.FixedHeader.Qos == 0 && h.b.defects.qos0DenyDelivered {
		d.allow = true // the fault: a denial no acknowledgement would show is not enforced
	}
	ss.mu.Lock()
	ss.pubDecision = d
	ss.mu.Unlock()
	if !d.allow && h.b.denyDisconnect() && !h.b.defects.denyActionIgnored {
		// authorization.deny_action = disconnect (JWT-ACL-19).
		_ = h.b.server.DisconnectClient(cl, packets.ErrNotAuthorized)
		return pk, packets.ErrNotAuthorized
	}
	return pk, nil
}

// OnACLCheck answers mochi's check of a publish (with the decision taken in
// OnPacketRead) or of one subscription filter (taken in OnSubscribe).
// MQTT 3.1.1 publishes are let through here and dropped in OnPublish, because
// mochi disconnects a 3.1.1 client whose publish is denied, where EMQX
// acknowledges it as usual (JWT-ACL-19).
func (h *hook) OnACLCheck(cl *mqtt.Client, topic string, write bool) bool {
	ss := h.b.sessions.get(cl)
	if ss == nil {
		return false
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if write {
		if h.b.ackAndDrop(cl) {
			return true
		}
		return ss.pubDecision.allow
	}
	if d, ok := ss.subDecisions[topic]; ok {
		return d.allow // a filter of the SUBSCRIBE being processed
	}
	if h.b.defects.deliveriesReauthorized {
		return false // the fault: a delivery is judged by the last SUBSCRIBE's filters
	}
	// mochi also asks before it delivers a message to a subscriber. EMQX
	// authorizes a subscription when it is made, not at each delivery, so
	// a message matching a granted subscription is delivered.
	return true
}

// OnPublish drops a denied MQTT 3.1.1 publish after its usual acknowledgement.
func (h *hook) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	ss := h.b.sessions.get(cl)
	if ss == nil || !h.b.ackAndDrop(cl) {
		return pk, nil
	}
	ss.mu.Lock()
	allow := ss.pubDecision.allow
	ss.mu.Unlock()
	if !allow {
		return pk, packets.CodeSuccessIgnore
	}
	return pk, nil
}

// ackAndDrop reports whether a denied publish of cl is acknowledged as
// usual and dropped (MQTT 3.1.1, JWT-ACL-19) rather than refused by mochi
// (PUBACK/PUBREC 0x87 for MQTT 5; mochi would disconnect a 3.1.1 client).
// Two faults swap the versions' treatments.
func (b *Broker) ackAndDrop(cl *mqtt.Client) bool {
	if cl.Properties.ProtocolVersion < 5 {
		return !b.defects.v311DenyDisconnects
	}
	return b.defects.denyAckedAsSuccess
}

// OnSubscribe authorizes each filter with its requested QoS (JWT-ACL-11).
func (h *hook) OnSubscribe(cl *mqtt.Client, pk packets.Packet) packets.Packet {
	ss := h.b.sessions.get(cl)
	if ss == nil {
		return pk
	}
	now := h.b.now()
	decisions := make(map[string]decision, len(pk.Filters))
	for _, f := range pk.Filters {
		decisions[f.Filter] = h.b.authorize(ss, actionSubscribe, f.Filter, f.Qos, false, now)
	}
	ss.mu.Lock()
	ss.subDecisions = decisions
	ss.mu.Unlock()
	return pk
}

// OnAuthPacket handles AUTH packets on a connected client: re-authentication
// (SCRAM-23) and the protocol errors of SCRAM-20..22.
func (h *hook) OnAuthPacket(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	return pk, h.b.reauthenticate(cl, pk)
}

// OnWill authorizes the Will before mochi publishes it. After an expiry
// disconnect the Will is authorized as of the expiry instant (JWT-EXP-03).
//
// A denied Will must reach nobody. mochi cannot cancel a Will from here,
// and it calls OnSelectSubscribers only for topics with shared
// subscriptions, so a denied Will is also sent to a topic no client can
// subscribe to: "$"-topics are never matched by wildcard filters, and the
// random suffix cannot be guessed.
func (h *hook) OnWill(cl *mqtt.Client, will mqtt.Will) (mqtt.Will, error) {
	ss := h.b.sessions.get(cl)
	if ss == nil {
		return will, nil
	}
	at := h.b.now()
	ss.mu.Lock()
	expired := ss.expired
	ss.mu.Unlock()
	if expired && !ss.identity.ExpireAt.IsZero() {
		at = ss.identity.ExpireAt
		if h.b.defects.willAuthorizedAfterExpiry {
			// Judged once the rules have expired (they apply while exp >=
			// now in whole seconds, A15).
			at = ss.identity.ExpireAt.Add(time.Second)
		}
	}
	d := h.b.authorize(ss, actionPublish, will.TopicName, will.Qos, will.Retain, at)
	if !d.allow {
		will.Retain = false
		if !h.b.defects.deniedWillDelivered {
			will.TopicName = "$authspec-denied-will/" + rand.Text()
		}
	}
	return will, nil
}

// armExpiry schedules the disconnect at the end of the authentication's
// validity: DISCONNECT 0x87 for MQTT 5, a closed connection for 3.1.1.
func (b *Broker) armExpiry(cl *mqtt.Client, ss *session) {
	id := ss.identity
	if id.ExpireAt.IsZero() || !id.DisconnectOnExpire || b.defects.noExpiryDisconnect {
		return
	}
	fire := func() {
		ss.mu.Lock()
		ss.expired = true
		ss.mu.Unlock()
		b.log.Info("authentication expired", "clientid", cl.ID, "expire_at", id.ExpireAt.UTC().Format(time.RFC3339))
		if cl.Properties.ProtocolVersion >= 5 {
			_ = b.server.DisconnectClient(cl, packets.ErrNotAuthorized)
			return
		}
		cl.Stop(packets.ErrNotAuthorized)
	}
	ss.mu.Lock()
	ss.expiry = time.AfterFunc(time.Until(id.ExpireAt), fire)
	ss.mu.Unlock()
}

// reauthenticate runs the AUTH flow of a connected client.
func (b *Broker) reauthenticate(cl *mqtt.Client, pk packets.Packet) error {
	ss := b.sessions.get(cl)
	if ss == nil {
		return packets.ErrProtocolViolation
	}
	method := pk.Properties.AuthenticationMethod
	if method == "" && b.defects.acceptAuthWithoutMethod {
		method = ss.authMethod
	}
	switch {
	case method == "":
		return packets.Code{Code: authn.CodeProtocolError, Reason: "AUTH without Authentication-Method"}
	case method != ss.authMethod && !b.defects.ignoreAuthMethodMismatch:
		return packets.Code{Code: authn.CodeBadAuthMethod, Reason: "AUTH method differs from CONNECT's"}
	}
	ss.mu.Lock()
	pending := ss.reauth
	ss.mu.Unlock()

	ctx, cancel := context.WithTimeout(context.Background(), b.o.authTimeout)
	defer cancel()
	var res authn.Result
	switch {
	case pk.ReasonCode == authn.CodeReauthenticate && pending == nil:
		re, ok := ss.enhanced.(authn.Reauthenticator)
		if !ok {
			return packets.Code{Code: authn.CodeProtocolError, Reason: "re-authentication not supported for this client"}
		}
		c := ss.client
		c.AuthMethod, c.AuthData = method, pk.Properties.AuthenticationData
		res = re.Reauthenticate(ctx, &c)
	case pk.ReasonCode == authn.CodeContinue && pending != nil:
		res = pending.Step(ctx, pk.Properties.AuthenticationData)
	default:
		if !b.defects.ignoreAuthReasonCode {
			return packets.Code{Code: authn.CodeProtocolError, Reason: "unexpected AUTH reason code"}
		}
		return nil
	}
	b.logDecision(&ss.client, res, 0)
	switch res.Outcome {
	case authn.Continue:
		ss.mu.Lock()
		ss.reauth = res.Next
		ss.mu.Unlock()
		return cl.WritePacket(packets.Packet{
			FixedHeader: packets.FixedHeader{Type: packets.Auth},
			ReasonCode:  authn.CodeContinue,
			Properties:  packets.Properties{AuthenticationMethod: method, AuthenticationData: res.AuthData},
		})
	case authn.Accept:
		ss.mu.Lock()
		ss.reauth = nil
		ss.identity = res.Identity
		if ss.expiry != nil {
			ss.expiry.Stop()
		}
		ss.mu.Unlock()
		b.armExpiry(cl, ss)
		return cl.WritePacket(packets.Packet{
			FixedHeader: packets.FixedHeader{Type: packets.Auth},
			ReasonCode:  authn.CodeSuccess,
			Properties:  packets.Properties{AuthenticationMethod: method, AuthenticationData: res.AuthData},
		})
	default:
		ss.mu.Lock()
		ss.reauth = nil
		ss.mu.Unlock()
		return packets.Code{Code: authn.CodeNotAuthorized, Reason: "re-authentication failed"}
	}
}
