// Package scramdrive drives the SCRAM scenarios' side of an exchange: one
// SCRAM CONNECT over the suite's wire client (fixtures/mqttwire) with the
// deviations a scenario asks for, re-authentication on the accepted
// connection, the users and answer shapes the suite's credential backend
// (fixtures/scrambackend) serves, and the checks of what the broker sent
// and what it asked the backend. It knows nothing of godog or of the
// scenario state: callers pass what an exchange needs and get back what it
// observed. Behaviour violations are verify.Mismatch values; harness
// problems are *HarnessError; anything else is a defect of the scenario.
//
// The exchange runs over the raw MQTT client rather than paho: the
// scenarios need every packet of the exchange in hand (a pause between
// steps, an AUTH with another method, none, or another reason code,
// malformed messages, the data of the AUTH 0x00 that ends a
// re-authentication, which paho drops), and one driver for all of them
// keeps the correct exchange and the broken ones comparable.
package scramdrive

// HarnessError marks a harness or target problem (a write that failed, a
// read error other than a timeout or a close): the step layer reports it
// as an error, not as a verdict on the broker.
type HarnessError struct{ Err error }

func (e *HarnessError) Error() string { return e.Err.Error() }
func (e *HarnessError) Unwrap() error { return e.Err }

func harness(err error) error {
	if err == nil {
		return nil
	}
	return &HarnessError{Err: err}
}
