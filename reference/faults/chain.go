package faults

// chainFaults are the faults of the chain area.
var chainFaults = []Def{}
