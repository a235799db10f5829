// Package results is the record of a load run: the JSON document (load.json)
// with its counts, percentiles and per-interval series, the files written
// beside it (.hlog, SVG charts, Prometheus text), and the exact merge of the
// results of several shard processes.
package results
