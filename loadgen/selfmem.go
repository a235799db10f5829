package loadgen

import (
	"os"
	"runtime"
	"runtime/debug"

	"github.com/authspec/authspec/loadgen/target"
)

// selfMemory is this process's memory at one moment: its resident set
// (what the machine pays, Go's free heap and stacks included) and its live
// Go heap after a collection (what the generator's data structures hold).
type selfMemory struct {
	rss, heap int64
}

// readSelfMemory collects garbage first, so heap is live objects only, and
// gives the freed pages back to the system, so the resident set is not
// inflated by what earlier phases left behind. It stops the world briefly:
// call it outside timed work.
func readSelfMemory() selfMemory {
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := selfMemory{heap: int64(ms.HeapAlloc)}
	p := target.Process{PID: os.Getpid()}
	if s, err := p.Sample(); err == nil {
		m.rss = s.RSSBytes
	}
	return m
}
