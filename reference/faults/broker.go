package faults

// Faults of the broker glue (package reference): the on-wire forms of
// authentication and authorization decisions.
const (
	IgnoreAuthMethodMismatch  Name = "ignore-auth-method-mismatch"
	IgnoreAuthReasonCode      Name = "ignore-auth-reason-code"
	NoExpiryDisconnect        Name = "no-expiry-disconnect"
	WillAuthorizedAfterExpiry Name = "will-authorized-after-expiry"
	MochiV3ReturnCodes        Name = "mochi-v3-return-codes"
	V311SubackKeepsV5Code     Name = "v311-suback-keeps-v5-code"
	DenyActionIgnored         Name = "deny-action-ignored"
	AcceptAuthWithoutMethod   Name = "accept-auth-without-method"
	AuthStepIdleTimeout       Name = "auth-step-idle-timeout"
	NoMaxPacketSize           Name = "no-max-packet-size"
	SubackDeniesAll           Name = "suback-denies-all"
	DenyAckedAsSuccess        Name = "deny-acked-as-success"
	QoS0DenyDelivered         Name = "qos0-deny-delivered"
	V311DenyDisconnects       Name = "v311-deny-disconnects"
	DeliveriesReauthorized    Name = "deliveries-reauthorized"
	DeniedWillDelivered       Name = "denied-will-delivered"
)

var brokerFaults = []Def{
	{Name: DenyAckedAsSuccess, IDs: []string{"JWT-ACL-19"},
		Doc: "acknowledges a denied MQTT 5 publish as a success (PUBACK/PUBREC 0x00) and drops it, instead of answering 0x87"},
	{Name: QoS0DenyDelivered, IDs: []string{"JWT-ACL-19"},
		Doc: "delivers a denied QoS 0 publish, whose refusal no acknowledgement would show"},
	{Name: V311DenyDisconnects, IDs: []string{"JWT-ACL-19"},
		Doc: "disconnects an MQTT 3.1.1 client whose publish is denied (mochi's default) instead of acknowledging it as usual"},
	{Name: DeliveriesReauthorized, IDs: []string{"JWT-ACL-19"},
		Doc: "re-checks each delivery against the subscriber's last SUBSCRIBE, so messages through wildcard subscriptions are not delivered"},
	{Name: DeniedWillDelivered, IDs: []string{"JWT-EXP-03"},
		Doc: "publishes a denied Will anyway (it is only kept from shared subscribers)"},
	{Name: SubackDeniesAll, IDs: []string{"JWT-ACL-18"},
		Doc: "answers every filter of a SUBSCRIBE with a refusal when one of them is denied"},
	{Name: NoMaxPacketSize, IDs: []string{"SEC-04"},
		Doc: "sets no maximum packet size, so a CONNECT of any size is read and authenticated"},
	{Name: MochiV3ReturnCodes, IDs: []string{"JWT-SRC-04"},
		Doc: "answers MQTT 3.1.1 clients with mochi's return-code table (0x86 becomes 5 instead of EMQX's 4)"},
	{Name: NoExpiryDisconnect, IDs: []string{"JWT-EXP-01"},
		Doc: "never disconnects a client whose authentication expired"},
	{Name: WillAuthorizedAfterExpiry, IDs: []string{"JWT-EXP-03"},
		Doc: "authorizes the Will of an expired client after the token's rules expired (in the second after exp) instead of as of the expiry instant, so a Will the rules allow is dropped"},
	{Name: V311SubackKeepsV5Code, IDs: []string{"JWT-ACL-18"},
		Doc: "sends MQTT 3.1.1 clients the MQTT 5 code 0x87 for a denied subscription instead of 0x80"},
	{Name: DenyActionIgnored, IDs: []string{"JWT-ACL-19"},
		Doc: "keeps a client connected after a denied publish even with deny_action: disconnect"},
	{Name: IgnoreAuthMethodMismatch, IDs: []string{"SCRAM-20"},
		Doc: "continues an AUTH exchange whose Authentication-Method differs from the CONNECT's"},
	{Name: IgnoreAuthReasonCode, IDs: []string{"SCRAM-22"},
		Doc: "accepts AUTH packets with a reason code the state does not expect"},
	{Name: AcceptAuthWithoutMethod, IDs: []string{"SCRAM-21"},
		Doc: "takes an AUTH without Authentication-Method as carrying the CONNECT's method instead of refusing it (0x82)"},
	{Name: AuthStepIdleTimeout, IDs: []string{"SCRAM-24"},
		Doc: "bounds each step of an AUTH exchange by the connect idle timeout (mqtt.idle_timeout), so a client that pauses longer between steps is dropped"},
}
