package jwks

import "github.com/authspec/authspec/reference/faults"

// defectOf turns the catalogue's names into this package's options, as the
// composition root (reference/defects.go) does, so that tests can switch a
// defect on by its fault name.
var defectOf = map[faults.Name]Defect{
	faults.JWKSNoRefresh:           NoRefresh(),
	faults.JWKSMergeSets:           MergeSets(),
	faults.JWKSFirstKeyOnly:        FirstKeyOnly(),
	faults.JWKSStrictAlg:           StrictAlg(),
	faults.JWKSDropHeaders:         DropHeaders(),
	faults.JWKSDropOnFirstFailure:  DropOnFirstFailure(),
	faults.JWKSNeverDrop:           NeverDrop(),
	faults.JWKSFailCountNotReset:   FailCountNotReset(),
	faults.JWKSCheckStatus:         CheckStatus(),
	faults.JWKSAcceptSingleJWK:     AcceptSingleJWK(),
	faults.JWKSEmptySetIsFailure:   EmptySetIsFailure(),
	faults.JWKSSyncFirstFetch:      SyncFirstFetch(),
	faults.JWKSFetchOnMiss:         FetchOnMiss(),
	faults.JWKSNoIntervalClamp:     NoIntervalClamp(),
	faults.JWKSTLSSkipVerify:       TLSSkipVerify(),
	faults.JWKSTLSAlwaysVerify:     TLSAlwaysVerify(),
	faults.JWKSAcceptsHMAC:         AcceptsHMAC(),
	faults.JWKSConnectWaitsOnFetch: ConnectWaitsOnFetch(),
	faults.JWKSUnboundedBody:       UnboundedBody(),
	faults.JWKSNoRequestDeadline:   NoRequestDeadline(),
}

// defectsNamed returns the options of the named faults; names of other
// packages' faults are skipped.
func defectsNamed(names ...faults.Name) []Defect {
	var ds []Defect
	for _, n := range names {
		if d, ok := defectOf[n]; ok {
			ds = append(ds, d)
		}
	}
	return ds
}
