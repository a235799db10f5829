// Package byhand is the target for a broker whose authentication was
// configured by hand (a profile's configure: by-hand): the suite cannot
// change its chain, so each scenario is compared with what the profile
// declares, and either runs against it or is not applicable with the
// difference named.
//
// A scenario runs whenever the declared configuration lets it show its
// behaviour. Values the suite adapts to are taken from the declaration: the
// HMAC secret's text, the public key (the profile's private_key_file signs),
// the JWKS endpoint and SCRAM backend URL (the suite serves its fixtures at
// the profile's serve addresses), verify_claims the broker checks beyond the
// scenario's (every token carries them rendered for the connecting client),
// and settings the scenario leaves at their default without observing them
// (fields.go says which behaviours observe which default). Every other
// difference is a different configuration kind ("needs from: username; the
// broker declares from: password"), and the scenario is not applicable.
// Scenarios tagged @exact-config (a published test vector) need the exact
// values too.
package byhand
