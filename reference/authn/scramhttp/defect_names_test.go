package scramhttp

import "github.com/authspec/authspec/reference/faults"

// defectOf turns the catalogue's names into this package's options, as the
// composition root (reference/defects.go) does, so that tests can switch a
// defect on by its fault name.
var defectOf = map[faults.Name]Defect{
	faults.ScramAcceptChannelBinding:     AcceptChannelBinding(),
	faults.ScramAcceptNon200:             AcceptNon200(),
	faults.ScramAnyScramMethod:           AnyScramMethod(),
	faults.ScramClientAttrsStringified:   ClientAttrsStringified(),
	faults.ScramClientIDOverrideHonoured: ClientIDOverrideHonoured(),
	faults.ScramDenyWithoutAuthMethod:    DenyWithoutAuthMethod(),
	faults.ScramExpireAtMillis:           ExpireAtMillis(),
	faults.ScramExpireAtNoDisconnect:     ExpireAtNoDisconnect(),
	faults.ScramHonourResultField:        HonourResultField(),
	faults.ScramIgnoreContentType:        IgnoreContentType(),
	faults.ScramInvalidACLDropped:        InvalidACLDropped(),
	faults.ScramIterationFromAnswer:      IterationFromAnswer(),
	faults.ScramNoDefaultHeaders:         NoDefaultHeaders(),
	faults.ScramNoRequestTimeout:         NoRequestTimeout(),
	faults.ScramPostFormAsJSON:           PostFormAsJSON(),
	faults.ScramReauthRefused:            ReauthRefused(),
	faults.ScramSaltAsText:               SaltAsText(),
	faults.ScramSkipFinalNonceCheck:      SkipFinalNonceCheck(),
	faults.ScramSkipProofCheck:           SkipProofCheck(),
	faults.ScramSuperuserIgnored:         SuperuserIgnored(),
	faults.ScramTwoBackendRequests:       TwoBackendRequests(),
	faults.ScramUsernameFromConnect:      UsernameFromConnect(),
	faults.ScramV311BadCredentials:       V311BadCredentials(),
	faults.ScramWrongPassword0x86:        WrongPassword0x86(),
	faults.ScramWrongServerSignature:     WrongServerSignature(),
}

// defectsNamed returns the options of the named faults; names of other
// packages' faults are skipped.
func defectsNamed(names ...string) []Defect {
	var ds []Defect
	for _, n := range names {
		if d, ok := defectOf[faults.Name(n)]; ok {
			ds = append(ds, d)
		}
	}
	return ds
}
