package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// Shard is this process's part of a run split over Count processes, as
// "--shard Index/Count" (a Kubernetes Indexed Job's JOB_COMPLETION_INDEX is
// the Index). The zero value is not valid; use Whole for an unsplit run.
type Shard struct {
	Index int
	Count int
}

// Whole is the shard of a run that is not split.
var Whole = Shard{Index: 0, Count: 1}

// ParseShard reads "i/n" with 0 <= i < n.
func ParseShard(s string) (Shard, error) {
	is, ns, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: want INDEX/COUNT, e.g. 0/4", s)
	}
	i, err1 := strconv.Atoi(strings.TrimSpace(is))
	n, err2 := strconv.Atoi(strings.TrimSpace(ns))
	if err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("shard %q: INDEX and COUNT must be integers, e.g. 0/4", s)
	}
	sh := Shard{Index: i, Count: n}
	return sh, sh.Validate()
}

// Validate checks 0 <= Index < Count.
func (s Shard) Validate() error {
	switch {
	case s.Count < 1:
		return fmt.Errorf("shard %d/%d: the shard count must be at least 1", s.Index, s.Count)
	case s.Index < 0 || s.Index >= s.Count:
		return fmt.Errorf("shard %d/%d: the index must be between 0 and %d (indexes count from 0)", s.Index, s.Count, s.Count-1)
	}
	return nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Split reports whether the run is shared with other processes.
func (s Shard) Split() bool { return s.Count > 1 }

// Rate is this shard's share of a total arrival rate. Shards interleave
// (see Global), so each gets exactly total/Count.
func (s Shard) Rate(total float64) float64 { return total / float64(s.Count) }

// Global is the run-wide index of this shard's local-th arrival: shard i
// takes arrivals i, i+n, i+2n, ... of the whole run's schedule, so the
// union of the shards' arrivals is the unsplit schedule, to the arrival.
func (s Shard) Global(local int64) int64 { return int64(s.Index) + local*int64(s.Count) }

// Share is how many of a run's first total arrivals are this shard's:
// those j < total with j mod Count == Index.
func (s Shard) Share(total int64) int64 {
	if total <= int64(s.Index) {
		return 0
	}
	return (total-int64(s.Index)-1)/int64(s.Count) + 1
}

// Concurrency is this shard's number of closed-loop workers: total split as
// evenly as possible, the first total mod Count shards taking one more.
func (s Shard) Concurrency(total int) int { return int(s.Share(int64(total))) }

// Range is this shard's contiguous block [first, first+n) of a credential
// range of total clients: blocks differ in size by at most one, in order,
// and cover the range exactly.
func (s Shard) Range(total int) (first, n int) {
	base, extra := total/s.Count, total%s.Count
	first = s.Index*base + min(s.Index, extra)
	n = base
	if s.Index < extra {
		n++
	}
	return first, n
}
