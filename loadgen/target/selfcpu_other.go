//go:build !unix

package target

import "time"

// SelfCPU is not measured on this system.
func SelfCPU() time.Duration { return 0 }
