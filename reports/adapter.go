package reports

// AdapterRun is how a configure: command run applied its configurations
// (summary.json "adapter", an addition to the contract; absent for other
// targets).
type AdapterRun struct {
	// Adapter is the adapter's command line as the profile gives it.
	Adapter string `json:"adapter"`
	// Groups is the number of distinct configurations the run needed.
	Groups int `json:"configurations"`
	// Applies counts the adapter's apply calls (a scenario that changes
	// the configuration while it runs applies again).
	Applies int `json:"applies"`
	// CannotExpress counts the applies answered exit 3 (not applicable),
	// Refused exit 4, FailedApplies the errors (another exit code, a
	// timeout, a broker that did not answer after exit 0).
	CannotExpress int     `json:"cannot_express"`
	Refused       int     `json:"refused"`
	FailedApplies int     `json:"failed_applies"`
	ApplySeconds  float64 `json:"apply_seconds"`
	// BrokerDown says why the broker was down at the end of the run (it
	// stopped answering after an apply and never came back): exit 3.
	BrokerDown string `json:"broker_down,omitempty"`
}
