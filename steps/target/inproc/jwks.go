package inproc

import (
	"time"

	"github.com/authspec/authspec/steps/target"
)

// JWKSMinRefresh replaces EMQX's 10 s floor of the JWKS refresh_interval
// in the in-process reference, so that a scenario configuring
// refresh_interval 1 sees a refresh every second instead of every ten. Any
// floor under a second has that effect, since refresh_interval is whole
// seconds. A scenario that observes the floor itself (JWT-JWKS-10) sets
// target.Setup.KeepJWKSRefreshFloor, and the broker keeps EMQX's.
const JWKSMinRefresh = 200 * time.Millisecond

// JWKSRefreshFloor is the floor this target's brokers apply to the JWKS
// refresh_interval for s.
func (r Reference) JWKSRefreshFloor(s target.Setup) time.Duration {
	if s.KeepJWKSRefreshFloor {
		return target.EMQXJWKSRefreshFloor
	}
	return JWKSMinRefresh
}
