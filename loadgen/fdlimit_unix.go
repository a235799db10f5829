//go:build unix

package loadgen

import (
	"fmt"
	"slices"
	"syscall"

	"github.com/authspec/authspec/loadgen/target"
)

// fdMargin is what the process keeps for itself besides the clients'
// sockets (listeners, the API, the credential backend, files).
const fdMargin = 200

// checkOpenFiles refuses a hold this process cannot open files for, before
// it starts, rather than fail thousands of connections with EMFILE: the
// generator holds one socket per client, and an in-process broker the
// other end too.
func checkOpenFiles(c Config, tgt target.Target) error {
	if !slices.Contains(c.Workloads, WorkloadHold) {
		return nil
	}
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return nil // unknown: let the run say what happens
	}
	_, n := c.Shard.Range(c.Clients)
	need := uint64(n) + fdMargin
	if tgt.Kind() == target.KindReference {
		need += uint64(n)
	}
	if need <= lim.Cur {
		return nil
	}
	if tgt.Kind() == target.KindReference {
		return fmt.Errorf("holding %d connections against the in-process reference needs about %d open files (both ends in this process); this process may open %d: use --reference-process", n, need, lim.Cur)
	}
	return fmt.Errorf("holding %d connections needs about %d open files; this process may open %d: split the clients over shards (--shard)", n, need, lim.Cur)
}
