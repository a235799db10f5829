// Package session drives what the session vocabulary of the scenarios does
// on the wire, with explicit inputs and outputs and no knowledge of godog or
// of the scenario state: building the scenario client's CONNECT, publishing
// and subscribing on its raw connection, watchers (other clients that
// observe deliveries), the broker closing the connection (at the token's
// expiry; scramdrive waits for a SCRAM client's end with AwaitClose too),
// and the broker's own view of a client.
//
// Its checks return verify.Mismatch (a behaviour's verdict, "expected X, got
// Y"); any other error it returns is the harness's or the target's problem
// or a scenario that cannot run, which the caller marks as it sees fit.
package session
