package faults

// jwtFaults are the faults of the jwt area.
var jwtFaults = []Def{}
