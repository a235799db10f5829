package reference

// The deliberate defects of the broker glue (the on-wire forms of
// authentication and authorization decisions), one option each. They exist
// for the suite's self-test only: defects.go switches one on when the
// broker starts with the matching fault of the catalogue (reference/faults),
// so that the self-test can prove the scenarios of the fault's IDs catch a
// broker with that bug. The zero value of brokerDefects is the correct
// behaviour; never set one for anything else.

// brokerDefect switches on one of the glue's deliberate defects (self-test only).
type brokerDefect func(*brokerDefects)

// brokerDefects are the glue's deliberate defects switched on, read as plain fields.
type brokerDefects struct {
	acceptAuthWithoutMethod   bool // accept-auth-without-method
	authStepIdleTimeout       bool // auth-step-idle-timeout
	connectReadInAcceptLoop   bool // connect-read-in-accept-loop
	deliveriesReauthorized    bool // deliveries-reauthorized
	deniedWillDelivered       bool // denied-will-delivered
	denyAckedAsSuccess        bool // deny-acked-as-success
	denyActionIgnored         bool // deny-action-ignored
	firstPacketHeld           bool // first-packet-held
	ignoreAuthMethodMismatch  bool // ignore-auth-method-mismatch
	ignoreAuthReasonCode      bool // ignore-auth-reason-code
	mochiV3ReturnCodes        bool // mochi-v3-return-codes
	noExpiryDisconnect        bool // no-expiry-disconnect
	noMaxPacketSize           bool // no-max-packet-size
	qos0DenyDelivered         bool // qos0-deny-delivered
	secondConnectIgnored      bool // second-connect-ignored
	subackDeniesAll           bool // suback-denies-all
	v311DenyDisconnects       bool // v311-deny-disconnects
	v311SubackKeepsV5Code     bool // v311-suback-keeps-v5-code
	willAuthorizedAfterExpiry bool // will-authorized-after-expiry
}

// apply switches on ds.
func (d *brokerDefects) apply(ds []brokerDefect) {
	for _, set := range ds {
		set(d)
	}
}

// defectAcceptAuthWithoutMethod is the fault accept-auth-without-method
// (self-test only): takes an AUTH without Authentication-Method as carrying
// the CONNECT's method instead of refusing it (0x82).
func defectAcceptAuthWithoutMethod() brokerDefect {
	return func(d *brokerDefects) { d.acceptAuthWithoutMethod = true }
}

// defectAuthStepIdleTimeout is the fault auth-step-idle-timeout (self-test
// only): bounds each step of an AUTH exchange by the connect idle timeout
// (mqtt.idle_timeout), so a client that pauses longer between steps is
// dropped.
func defectAuthStepIdleTimeout() brokerDefect {
	return func(d *brokerDefects) { d.authStepIdleTimeout = true }
}

// defectConnectReadInAcceptLoop is the fault connect-read-in-accept-loop
// (self-test only): each new connection's CONNECT is read in the accept
// loop, so a client sending it slowly stalls every other client.
func defectConnectReadInAcceptLoop() brokerDefect {
	return func(d *brokerDefects) { d.connectReadInAcceptLoop = true }
}

// defectDeliveriesReauthorized is the fault deliveries-reauthorized
// (self-test only): re-checks each delivery against the subscriber's last
// SUBSCRIBE, so messages through wildcard subscriptions are not delivered.
func defectDeliveriesReauthorized() brokerDefect {
	return func(d *brokerDefects) { d.deliveriesReauthorized = true }
}

// defectDeniedWillDelivered is the fault denied-will-delivered (self-test
// only): publishes a denied Will anyway (it is only kept from shared
// subscribers).
func defectDeniedWillDelivered() brokerDefect {
	return func(d *brokerDefects) { d.deniedWillDelivered = true }
}

// defectDenyAckedAsSuccess is the fault deny-acked-as-success (self-test
// only): acknowledges a denied MQTT 5 publish as a success (PUBACK/PUBREC
// 0x00) and drops it, instead of answering 0x87.
func defectDenyAckedAsSuccess() brokerDefect {
	return func(d *brokerDefects) { d.denyAckedAsSuccess = true }
}

// defectDenyActionIgnored is the fault deny-action-ignored (self-test
// only): keeps a client connected after a denied publish even with
// deny_action: disconnect.
func defectDenyActionIgnored() brokerDefect {
	return func(d *brokerDefects) { d.denyActionIgnored = true }
}

// defectFirstPacketHeld is the fault first-packet-held (self-test only): a
// first packet that is an AUTH, a CONNECT whose Password flag has no
// Password, or a CONNECT over 64 KB (a fixed 64 KB read buffer) is held
// unanswered for up to a minute instead of refused or closed.
func defectFirstPacketHeld() brokerDefect { return func(d *brokerDefects) { d.firstPacketHeld = true } }

// defectIgnoreAuthMethodMismatch is the fault ignore-auth-method-mismatch
// (self-test only): continues an AUTH exchange whose Authentication-Method
// differs from the CONNECT's.
func defectIgnoreAuthMethodMismatch() brokerDefect {
	return func(d *brokerDefects) { d.ignoreAuthMethodMismatch = true }
}

// defectIgnoreAuthReasonCode is the fault ignore-auth-reason-code
// (self-test only): accepts AUTH packets with a reason code the state does
// not expect.
func defectIgnoreAuthReasonCode() brokerDefect {
	return func(d *brokerDefects) { d.ignoreAuthReasonCode = true }
}

// defectMochiV3ReturnCodes is the fault mochi-v3-return-codes (self-test
// only): answers MQTT 3.1.1 clients with mochi's return-code table (0x86
// becomes 5 instead of EMQX's 4).
func defectMochiV3ReturnCodes() brokerDefect {
	return func(d *brokerDefects) { d.mochiV3ReturnCodes = true }
}

// defectNoExpiryDisconnect is the fault no-expiry-disconnect (self-test
// only): never disconnects a client whose authentication expired.
func defectNoExpiryDisconnect() brokerDefect {
	return func(d *brokerDefects) { d.noExpiryDisconnect = true }
}

// defectNoMaxPacketSize is the fault no-max-packet-size (self-test only):
// sets no maximum packet size, so a CONNECT of any size is read and
// authenticated.
func defectNoMaxPacketSize() brokerDefect { return func(d *brokerDefects) { d.noMaxPacketSize = true } }

// defectQoS0DenyDelivered is the fault qos0-deny-delivered (self-test
// only): delivers a denied QoS 0 publish, whose refusal no acknowledgement
// would show.
func defectQoS0DenyDelivered() brokerDefect {
	return func(d *brokerDefects) { d.qos0DenyDelivered = true }
}

// defectSecondConnectIgnored is the fault second-connect-ignored (self-test
// only): a second CONNECT on an authenticated connection is dropped
// silently instead of closing the connection (MQTT 5.0 section 3.1).
func defectSecondConnectIgnored() brokerDefect {
	return func(d *brokerDefects) { d.secondConnectIgnored = true }
}

// defectSubackDeniesAll is the fault suback-denies-all (self-test only):
// answers every filter of a SUBSCRIBE with a refusal when one of them is
// denied.
func defectSubackDeniesAll() brokerDefect { return func(d *brokerDefects) { d.subackDeniesAll = true } }

// defectV311DenyDisconnects is the fault v311-deny-disconnects (self-test
// only): disconnects an MQTT 3.1.1 client whose publish is denied (mochi's
// default) instead of acknowledging it as usual.
func defectV311DenyDisconnects() brokerDefect {
	return func(d *brokerDefects) { d.v311DenyDisconnects = true }
}

// defectV311SubackKeepsV5Code is the fault v311-suback-keeps-v5-code
// (self-test only): sends MQTT 3.1.1 clients the MQTT 5 code 0x87 for a
// denied subscription instead of 0x80.
func defectV311SubackKeepsV5Code() brokerDefect {
	return func(d *brokerDefects) { d.v311SubackKeepsV5Code = true }
}

// defectWillAuthorizedAfterExpiry is the fault will-authorized-after-expiry
// (self-test only): authorizes the Will of an expired client after the
// token's rules expired (in the second after exp) instead of as of the
// expiry instant, so a Will the rules allow is dropped.
func defectWillAuthorizedAfterExpiry() brokerDefect {
	return func(d *brokerDefects) { d.willAuthorizedAfterExpiry = true }
}
