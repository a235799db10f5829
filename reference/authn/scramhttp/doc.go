// Package scramhttp is the reference's SCRAM authenticator with an HTTP
// credential backend (EMQX `mechanism: scram`, `backend: http`), catalogue
// SCRAM-01..19 and -23. It is pure logic over net/http: the broker glue turns
// its Results into AUTH and CONNACK packets and owns the packet-level checks
// (method changes 0x8C, unexpected reason codes 0x82, per-step timeouts).
//
// One attempt is: CONNECT with Authentication-Method and the client-first
// message -> Authenticate parses it and asks the backend for the user's
// stored_key, server_key and salt (exactly one HTTP request, SCRAM-02) ->
// Continue with the server-first message -> the client's AUTH 0x18 goes to
// the Exchange, which verifies the proof and answers Accept with `v=...` or
// Deny 0x87.
package scramhttp
