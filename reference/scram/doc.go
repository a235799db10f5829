// Package scram holds the SCRAM-SHA-256 and SCRAM-SHA-512 primitives
// (RFC 5802, RFC 7677) the reference broker and the suite's client share: key
// derivation, message parsing and formatting, the server-side and client-side
// conversations, and server nonces. It does no I/O: the authenticator in
// reference/authn/scramhttp fetches credentials over HTTP and feeds them in.
//
// Parsing follows what EMQX accepts (sasl_auth, catalogue SCRAM-09): the
// channel-binding flag `p=`, an `m=` extension, an empty user name or nonce,
// a client-final nonce other than the combined nonce, a `c=` whose GS2 header
// differs from the first message's, bad base64 and a proof of the wrong length
// are refused; flag `y`, an `a=` authorization identity and trailing
// extensions are accepted.
package scram
