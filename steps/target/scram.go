package target

import "time"

// What SCRAM scenarios need to know about a target beyond the Setup.

// DefaultScramBackendListen is where the suite's SCRAM credential backend
// listens unless the target says otherwise: a free loopback port, which a
// broker on the same host reaches through "<scram backend url>".
const DefaultScramBackendListen = "127.0.0.1:0"

// ScramBackendHost is implemented by targets whose broker reaches the
// suite's SCRAM credential backend at a fixed address, such as a by-hand
// profile's serve.scram_backend_listen (the broker was configured with that
// URL once, so the suite must serve exactly there).
type ScramBackendHost interface {
	ScramBackendListen() string
}

// ScramBackendListen is the address the suite's SCRAM backend should listen
// on for t.
func ScramBackendListen(t Target) string {
	if h, ok := t.(ScramBackendHost); ok && h.ScramBackendListen() != "" {
		return h.ScramBackendListen()
	}
	return DefaultScramBackendListen
}

// DefaultIdleTimeout is EMQX's mqtt.idle_timeout (15 s): how long a broker
// waits for the CONNECT after a TCP connection opens.
const DefaultIdleTimeout = 15 * time.Second

// IdleTimeouter is implemented by instances that know their broker's idle
// timeout (SCRAM-24: an AUTH exchange must outlive it).
type IdleTimeouter interface {
	IdleTimeout() time.Duration
}

// IdleTimeout is inst's idle timeout: its own word, or EMQX's default.
func IdleTimeout(inst Instance) time.Duration {
	if it, ok := inst.(IdleTimeouter); ok && it.IdleTimeout() > 0 {
		return it.IdleTimeout()
	}
	return DefaultIdleTimeout
}
