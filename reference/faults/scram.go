package faults

// scramFaults are the faults of the scram area.
var scramFaults = []Def{}
