// Package remote holds what every target reached over the network shares,
// whoever configures its broker (a by-hand profile, EMQX's API, a container
// the suite started): dialing its MQTT listener (plain or TLS), the
// profile's claims (a scenario outside them is not applicable), and a
// reachability check that turns a broker that is down, or that accepts TCP
// and never answers, into "target unreachable" errors within the step
// timeout instead of one long wait per scenario.
package remote
