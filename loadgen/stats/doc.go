// Package stats records what a load run observed: the outcome of every
// connection attempt (CONNACK reason code, or the cause of a failure), HDR
// histograms of latency (from the scheduled start, so coordinated omission
// is corrected) and of service time (from the actual start), per-interval
// counts for the charts, and HdrHistogram interval logs (.hlog) that shards
// can be merged from exactly.
//
// Values are recorded in nanoseconds, the unit HdrHistogram's log tools
// assume (the interval log's max column is written in milliseconds).
package stats
