package scram

import (
	"errors"
	"fmt"
)

// The causes a SCRAM message is refused for. Every error this package returns
// for a refused message wraps exactly one of them, so callers can name the
// cause (errors.Is) while Error() keeps the detail.
var (
	// ErrMalformed: the message does not have the RFC 5802 shape.
	ErrMalformed = errors.New("malformed message")
	// ErrChannelBinding: gs2 flag `p=` (the client requires channel binding,
	// which neither EMQX nor the reference supports).
	ErrChannelBinding = errors.New("channel binding not supported")
	// ErrExtension: a mandatory extension `m=`.
	ErrExtension = errors.New("mandatory extension not supported")
	// ErrEmptyUser: `n=` with no user name.
	ErrEmptyUser = errors.New("empty user name")
	// ErrEmptyNonce: `r=` with no nonce.
	ErrEmptyNonce = errors.New("empty nonce")
	// ErrEncoding: a base64 field that does not decode.
	ErrEncoding = errors.New("invalid base64 encoding")
	// ErrChannelBindingMismatch: client-final `c=` is not the base64 of the
	// client-first GS2 header.
	ErrChannelBindingMismatch = errors.New("channel binding differs from the first message's GS2 header")
	// ErrNonceMismatch: client-final `r=` is not the combined nonce.
	ErrNonceMismatch = errors.New("nonce differs from the combined nonce")
	// ErrProofLength: the decoded proof is not as long as the hash.
	ErrProofLength = errors.New("proof has the wrong length")
	// ErrProof: the proof does not verify (wrong password).
	ErrProof = errors.New("proof does not verify")
	// ErrServerSignature: the server's `v=` does not verify (client side).
	ErrServerSignature = errors.New("server signature does not verify")
	// ErrServerError: the server sent `e=` (client side).
	ErrServerError = errors.New("server reported an error")
	// ErrState: a step was called out of order.
	ErrState = errors.New("step out of order")
)

// msgError wraps a cause with the message it concerns and a detail.
func msgError(message string, cause error, detail string) error {
	if detail == "" {
		return fmt.Errorf("%s: %w", message, cause)
	}
	return fmt.Errorf("%s: %w: %s", message, cause, detail)
}
