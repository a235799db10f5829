package target

// What targets that judge one long-lived broker (a profile's by-hand or
// emqx-api broker, a container) tell the runner beyond Target.

// Serializer is implemented by targets whose scenarios all share one
// broker: its chain, its fixed fixture addresses and its client IDs are
// one scenario's at a time, so the runner runs their scenarios one by one.
type Serializer interface {
	Serial() bool
}

// IsSerial reports whether t's scenarios must run one at a time.
func IsSerial(t Target) bool {
	s, ok := t.(Serializer)
	return ok && s.Serial()
}
