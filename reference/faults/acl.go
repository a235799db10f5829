package faults

// aclFaults are the faults of the acl area.
var aclFaults = []Def{}
