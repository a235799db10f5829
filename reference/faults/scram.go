package faults

// Faults of the SCRAM authenticator (reference/authn/scramhttp and the
// primitives in reference/scram). Each breaks its behaviour the way a real
// broker bug would. SCRAM-20, -21, -22 and -24 live in the broker's AUTH
// packet handling, not here.
const (
	ScramWrongServerSignature     Name = "scram-wrong-server-signature"
	ScramTwoBackendRequests       Name = "scram-two-backend-requests"
	ScramIterationFromAnswer      Name = "scram-iteration-from-answer"
	ScramSaltAsText               Name = "scram-salt-as-text"
	ScramSkipProofCheck           Name = "scram-skip-proof-check"
	ScramWrongPassword0x86        Name = "scram-wrong-password-0x86"
	ScramAcceptNon200             Name = "scram-accept-non-200"
	ScramNoRequestTimeout         Name = "scram-no-request-timeout"
	ScramHonourResultField        Name = "scram-honour-result-field"
	ScramExpireAtNoDisconnect     Name = "scram-expire-at-no-disconnect"
	ScramExpireAtMillis           Name = "scram-expire-at-ms"
	ScramAnyScramMethod           Name = "scram-any-scram-method"
	ScramDenyWithoutAuthMethod    Name = "scram-deny-without-auth-method"
	ScramAcceptChannelBinding     Name = "scram-accept-channel-binding"
	ScramSkipFinalNonceCheck      Name = "scram-skip-final-nonce-check"
	ScramUsernameFromConnect      Name = "scram-username-from-connect"
	ScramPostFormAsJSON           Name = "scram-post-form-as-json"
	ScramNoDefaultHeaders         Name = "scram-no-default-headers"
	ScramIgnoreContentType        Name = "scram-ignore-content-type"
	ScramSuperuserIgnored         Name = "scram-superuser-ignored"
	ScramInvalidACLDropped        Name = "scram-invalid-acl-dropped"
	ScramClientAttrsStringified   Name = "scram-client-attrs-stringified"
	ScramClientIDOverrideHonoured Name = "scram-clientid-override-honoured"
	ScramV311BadCredentials       Name = "scram-v311-bad-credentials"
	ScramReauthRefused            Name = "scram-reauth-refused"
)

// scramFaults are the faults of the scram area.
var scramFaults = []Def{
	{ScramWrongServerSignature, []string{"SCRAM-01"},
		"SCRAM: the server-final v= is signed with StoredKey instead of ServerKey, so clients that verify it reject the broker."},
	{ScramTwoBackendRequests, []string{"SCRAM-02"},
		"SCRAM: the credentials are fetched from the backend again when the client-final message arrives."},
	{ScramIterationFromAnswer, []string{"SCRAM-03"},
		"SCRAM: an iteration_count in the backend's answer replaces the configured one in i=."},
	{ScramSaltAsText, []string{"SCRAM-01", "SCRAM-03"},
		"SCRAM: the answer's hex salt is sent in s= as text instead of hex-decoded, so no client's proof verifies."},
	{ScramSkipProofCheck, []string{"SCRAM-04"},
		"SCRAM: the client proof is not verified; any password is accepted."},
	{ScramWrongPassword0x86, []string{"SCRAM-04"},
		"SCRAM: a proof that does not verify is refused with 0x86 instead of 0x87."},
	{ScramAcceptNon200, []string{"SCRAM-05"},
		"SCRAM: the backend's HTTP status is not checked; any answer whose body holds the keys is used."},
	{ScramNoRequestTimeout, []string{"SCRAM-05"},
		"SCRAM: request_timeout is not applied; the broker waits for a slow backend as long as it takes."},
	{ScramHonourResultField, []string{"SCRAM-06"},
		"SCRAM: a result field in the backend's answer is obeyed as by the HTTP password authenticator (deny refuses, ignore passes on)."},
	{ScramExpireAtNoDisconnect, []string{"SCRAM-07"},
		"SCRAM: expire_at is not enforced on the connection; the client stays connected past it."},
	{ScramExpireAtMillis, []string{"SCRAM-07", "SCRAM-14"},
		"SCRAM: expire_at is read as Unix milliseconds, so a seconds value is in the past and a milliseconds value is accepted."},
	{ScramAnyScramMethod, []string{"SCRAM-08"},
		"SCRAM: any Authentication-Method starting with SCRAM- is handled with the configured hash instead of ignored."},
	{ScramDenyWithoutAuthMethod, []string{"CHAIN-06"},
		"SCRAM: a CONNECT without Authentication-Method is refused (0x87) instead of passed on, so a later JWT authenticator never sees it."},
	{ScramAcceptChannelBinding, []string{"SCRAM-09"},
		"SCRAM: a client requiring channel binding (gs2 flag p=) is served as if it had sent y."},
	{ScramSkipFinalNonceCheck, []string{"SCRAM-09"},
		"SCRAM: the client-final nonce is not compared with the combined nonce."},
	{ScramUsernameFromConnect, []string{"SCRAM-10"},
		"SCRAM: ${username} in the backend request is the CONNECT Username instead of the SCRAM user name."},
	{ScramPostFormAsJSON, []string{"SCRAM-11"},
		"SCRAM: a POST body is always JSON, even with content-type application/x-www-form-urlencoded configured."},
	{ScramNoDefaultHeaders, []string{"SCRAM-12"},
		"SCRAM: backend requests carry only the configured headers, without EMQX's defaults."},
	{ScramIgnoreContentType, []string{"SCRAM-13"},
		"SCRAM: the backend's answer is parsed as JSON whatever its Content-Type."},
	{ScramSuperuserIgnored, []string{"SCRAM-15"},
		"SCRAM: is_superuser in the backend's answer is ignored."},
	{ScramInvalidACLDropped, []string{"SCRAM-16"},
		"SCRAM: an acl in the backend's answer that is not a valid rule list is dropped and the client accepted without rules."},
	{ScramClientAttrsStringified, []string{"SCRAM-17"},
		"SCRAM: client_attrs values that are not strings are converted to text instead of failing the attempt."},
	{ScramClientIDOverrideHonoured, []string{"SCRAM-18"},
		"SCRAM: clientid_override in the backend's answer renames the client."},
	{ScramV311BadCredentials, []string{"SCRAM-19"},
		"SCRAM: MQTT 3.1.1 clients are refused as bad user name or password (return code 4) instead of passed on."},
	{ScramReauthRefused, []string{"SCRAM-23"},
		"SCRAM: re-authentication (AUTH 0x19) is always refused with DISCONNECT 0x87."},
}
