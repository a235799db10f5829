package authn

// The deliberate defects of the authentication chain, one option each. They
// exist for the suite's self-test only: the composition root
// (reference/defects.go) switches one on when the broker starts with the
// matching fault of the catalogue (reference/faults), so that the self-test
// can prove the scenarios of the fault's IDs catch a broker with that bug.
// The zero value of defects is the correct behaviour; never set one for
// anything else.

// Defect switches on one deliberate defect (self-test only).
type Defect func(*defects)

// defects are the deliberate defects switched on, read as plain fields.
type defects struct {
	backendFailureDenies  bool // backend-failure-denies
	chainAllIgnoredAccept bool // chain-all-ignored-accept
	chainStopOnIgnore     bool // chain-stop-on-ignore
	emptyChainDeny        bool // empty-chain-deny
	ignorePrecondition    bool // ignore-precondition
}

// WithDefects switches deliberate defects of the chain on (self-test only).
func WithDefects(ds ...Defect) ChainOption {
	return func(c *Chain) { c.defects.apply(ds) }
}

// apply switches on ds.
func (d *defects) apply(ds []Defect) {
	for _, set := range ds {
		set(d)
	}
}

// BackendFailureDenies is the fault backend-failure-denies (self-test
// only): A backend failure (e.g. a JWT with a bad signature) ends the chain
// with 0x87 even under the legacy profile.
func BackendFailureDenies() Defect { return func(d *defects) { d.backendFailureDenies = true } }

// ChainAllIgnoredAccept is the fault chain-all-ignored-accept (self-test
// only): When every authenticator ignores the client, it is accepted.
func ChainAllIgnoredAccept() Defect { return func(d *defects) { d.chainAllIgnoredAccept = true } }

// ChainStopOnIgnore is the fault chain-stop-on-ignore (self-test only): An
// authenticator that ignores the client ends the chain with 0x87 instead of
// passing the client on.
func ChainStopOnIgnore() Defect { return func(d *defects) { d.chainStopOnIgnore = true } }

// EmptyChainDeny is the fault empty-chain-deny (self-test only): With no
// authenticator configured every client is refused with 0x87, even under
// the legacy profile.
func EmptyChainDeny() Defect { return func(d *defects) { d.emptyChainDeny = true } }

// IgnorePrecondition is the fault ignore-precondition (self-test only):
// Authenticator preconditions are not evaluated: every enabled
// authenticator runs.
func IgnorePrecondition() Defect { return func(d *defects) { d.ignorePrecondition = true } }
