// Package loadgen is authspec's load generator: it connects many MQTT
// clients to a broker with per-client credentials (anonymous, a JWT, a
// SCRAM user) and measures what authentication costs.
//
// A run is a list of phases on one broker (e.g. anonymous then jwt-HS256,
// so the JWT figures sit beside a baseline measured the same way). Each
// phase is open loop by default (arrivals at a fixed rate whatever the
// broker does; latency measured from each arrival's scheduled time, so
// coordinated omission is corrected, and service time from its actual
// start) or closed loop (N clients connecting back to back), with ramp-up,
// bounded by duration and/or count. A hold phase connects N clients and
// keeps them, to read the broker's memory per connection.
//
// Results: HDR histograms, .hlog interval logs, counts by CONNACK reason
// code and by cause, the generator's own CPU time per connection, JSON, SVG
// charts and Prometheus text (see WriteFiles). A run can be split over
// several processes (schedule.Shard) and merged exactly (results.Merge).
package loadgen
