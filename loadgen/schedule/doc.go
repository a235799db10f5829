// Package schedule is the arithmetic of a load run, with no I/O: when the
// j-th arrival of an open-loop run is due (fixed rate, optional linear
// ramp-up), when the w-th worker of a closed-loop run starts, and how a run
// is split over n shard processes (each takes every n-th arrival, its share
// of the concurrency and a contiguous block of the credential range) so that
// the shards together make exactly the run one process would have made.
package schedule
