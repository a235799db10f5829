package faults

// jwksFaults are the faults of the jwks area.
var jwksFaults = []Def{}
