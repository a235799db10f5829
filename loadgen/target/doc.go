// Package target is the broker a load run connects to: the reference
// in-process (the default), the reference as a child process (`authspec
// serve`, so its memory and CPU can be read apart from the generator's), or
// any broker at an address. A target may have a Provisioner (an
// EMQX-compatible management API) through which each phase enables exactly
// the authenticators its workload needs, and a local Process whose memory
// and CPU are sampled. Target profiles (YAML) plug in here: a profile is
// an address, an optional API and an optional process.
package target
