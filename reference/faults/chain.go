package faults

// Faults of the authentication chain (reference/authn/chain.go).
const (
	ChainStopOnIgnore     Name = "chain-stop-on-ignore"
	ChainAllIgnoredAccept Name = "chain-all-ignored-accept"
	EmptyChainDeny        Name = "empty-chain-deny"
	IgnorePrecondition    Name = "ignore-precondition"
	BackendFailureDenies  Name = "backend-failure-denies"
)

// chainFaults are the faults of the chain area.
var chainFaults = []Def{
	{ChainStopOnIgnore, []string{"CHAIN-01"},
		"An authenticator that ignores the client ends the chain with 0x87 instead of passing the client on."},
	{ChainAllIgnoredAccept, []string{"CHAIN-02"},
		"When every authenticator ignores the client, it is accepted."},
	{EmptyChainDeny, []string{"CHAIN-03"},
		"With no authenticator configured every client is refused with 0x87, even under the legacy profile."},
	{IgnorePrecondition, []string{"CHAIN-04"},
		"Authenticator preconditions are not evaluated: every enabled authenticator runs."},
	{BackendFailureDenies, []string{"CHAIN-05"},
		"A backend failure (e.g. a JWT with a bad signature) ends the chain with 0x87 even under the legacy profile."},
}
