package target

// VersionNoter is implemented by instances that found out why they do not
// speak a version they were declared to speak (a broker that hangs up on
// MQTT 5 CONNECTs but answers 3.1.1): a scenario on that version is not
// applicable with this reason rather than "does not speak".
type VersionNoter interface {
	VersionNote(v Version) string
}

// WhyNotSpoken is the reason a scenario on v cannot run on inst.
func WhyNotSpoken(inst Instance, v Version) string {
	if n, ok := inst.(VersionNoter); ok {
		if note := n.VersionNote(v); note != "" {
			return note
		}
	}
	return "the target does not speak MQTT " + string(v)
}

// Versioned is implemented by targets that know the versions their broker
// speaks before provisioning a scenario (a profile's mqtt.versions, less
// MQTT 5 once the broker turned it down), so a scenario on a version that
// will not run is not applicable without provisioning the broker for it.
type Versioned interface {
	Versions() []Version
}

// AllVersions is implemented by targets that run a protocol-independent
// scenario on every version they speak, not just on one (the in-process
// reference: its run is the suite's own proof, so it covers both).
type AllVersions interface {
	AllVersions() bool
}

// CoversAllVersions reports whether t runs protocol-independent scenarios
// on every version it speaks.
func CoversAllVersions(t Target) bool {
	a, ok := t.(AllVersions)
	return ok && a.AllVersions()
}
