package scram

// Deliberate server defects. The reference broker switches them on only when
// started with the matching fault (reference/faults/scram.go), so that the
// suite can prove its scenarios catch a broker with that bug. Never use them
// for anything else.

type defects struct {
	acceptChannelBinding bool
	skipNonceCheck       bool
	skipProofCheck       bool
	signWithStoredKey    bool
}

// AcceptChannelBinding treats a `p=` client as if it had sent `y`.
func AcceptChannelBinding() ServerOption {
	return func(c *serverConfig) { c.acceptChannelBinding = true }
}

// SkipNonceCheck accepts any nonce in the client-final message.
func SkipNonceCheck() ServerOption {
	return func(c *serverConfig) { c.skipNonceCheck = true }
}

// SkipProofCheck accepts a proof of the right length without verifying it.
func SkipProofCheck() ServerOption {
	return func(c *serverConfig) { c.skipProofCheck = true }
}

// SignWithStoredKey computes `v=` with StoredKey instead of ServerKey, so
// clients that verify the server signature reject it.
func SignWithStoredKey() ServerOption {
	return func(c *serverConfig) { c.signWithStoredKey = true }
}
