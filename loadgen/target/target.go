package target

import (
	"context"
	"encoding/json"
)

// Kinds of target.
const (
	KindReference        = "reference"         // in-process
	KindReferenceProcess = "reference-process" // `authspec serve` child
	KindAddress          = "address"           // any broker, configured by hand
)

// Target is a running broker for a load run.
type Target interface {
	Kind() string
	// Addr is the MQTT TCP address, host:port.
	Addr() string
	// Provisioner configures the broker's authentication chain; nil when
	// the chain is fixed (configured by hand).
	Provisioner() Provisioner
	// Process is the broker's local process, nil when it is not one this
	// machine can read (remote, or in-process with the generator).
	Process() *Process
	// Close stops what the target started (and restores a provisioned
	// chain).
	Close() error
}

// Provisioner sets the authentication chain.
type Provisioner interface {
	// Apply leaves exactly the given authenticators (EMQX JSON objects)
	// enabled, creating or updating them; every other one is disabled,
	// not deleted. An empty chain lets every client in (EMQX's
	// authn_not_configured policy, the reference's legacy profile).
	Apply(ctx context.Context, chain []json.RawMessage) error
	// Restore puts back the chain found at the first Apply.
	Restore(ctx context.Context) error
}
