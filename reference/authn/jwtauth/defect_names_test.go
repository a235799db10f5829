package jwtauth

import "github.com/authspec/authspec/reference/faults"

// defectOf turns the catalogue's names into this package's options, as the
// composition root (reference/defects.go) does, so that tests can switch a
// defect on by its fault name.
var defectOf = map[faults.Name]Defect{
	faults.ACLClaimNameIgnored:            ACLClaimNameIgnored(),
	faults.AcceptAlgNone:                  AcceptAlgNone(),
	faults.AlgCaseInsensitive:             AlgCaseInsensitive(),
	faults.AllowEmptyClaimName:            AllowEmptyClaimName(),
	faults.AudStringOnly:                  AudStringOnly(),
	faults.CheckIat:                       IatChecked(),
	faults.ClaimNamesCaseInsensitive:      ClaimNamesCaseInsensitive(),
	faults.ClaimsBeforeSignature:          ClaimsBeforeSignature(),
	faults.ClientAttrsIgnored:             ClientAttrsIgnored(),
	faults.ClientAttrsKeepBadKeys:         ClientAttrsKeepBadKeys(),
	faults.ClientAttrsStringified:         ClientAttrsStringified(),
	faults.DisconnectSettingIgnored:       DisconnectSettingIgnored(),
	faults.ECDSAPsychicSignatures:         ECDSAPsychicSignatures(),
	faults.EmptyPasswordIsMissing:         EmptyPasswordIsMissing(),
	faults.ExpInclusive:                   ExpInclusive(),
	faults.FetchHeaderURLs:                FetchHeaderURLs(),
	faults.FractionalExpTruncated:         FractionalExpTruncated(),
	faults.HMACAcceptInvalidBase64:        HMACAcceptInvalidBase64(),
	faults.HMACIgnoreSecretBase64:         HMACIgnoreSecretBase64(),
	faults.HMACKeyConfusion:               HMACKeyConfusion(),
	faults.HMACOnlyHS256:                  HMACOnlyHS256(),
	faults.IgnoreB64:                      IgnoreB64(),
	faults.IgnoreClientIDOverride:         IgnoreClientIDOverride(),
	faults.IgnoreCrit:                     IgnoreCrit(),
	faults.IgnoreVerifyClaims:             IgnoreVerifyClaims(),
	faults.JSONFirstDuplicateWins:         JSONFirstDuplicateWins(),
	faults.JWKSAcceptsHMAC:                JWKSAcceptsHMAC(),
	faults.JWKSHeaderNamesUnchecked:       JWKSHeaderNamesUnchecked(),
	faults.JWKSUseKid:                     JWKSUseKid(),
	faults.JWKSZeroIntervalDefault:        JWKSZeroIntervalDefault(),
	faults.JWTHandlesAuthMethod:           JWTHandlesAuthMethod(),
	faults.JWTIgnoresMQTT3:                JWTIgnoresMQTT3(),
	faults.LenientJSONText:                LenientJSONText(),
	faults.LenientTokenFormat:             LenientTokenFormat(),
	faults.MissingJWTAccept:               MissingJWTAccept(),
	faults.OIDCKeysFromTokenIssuer:        OIDCKeysFromTokenIssuer(),
	faults.OIDCLastKeyOnly:                OIDCLastKeyOnly(),
	faults.OIDCRSAKeysOnly:                OIDCRSAKeysOnly(),
	faults.PKAcceptsHMAC:                  PKAcceptsHMAC(),
	faults.PKDocsAlgsOnly:                 PKDocsAlgsOnly(),
	faults.PKLazyKeyParse:                 PKLazyKeyParse(),
	faults.PSSSaltLengthAuto:              PSSSaltLengthAuto(),
	faults.RequireExp:                     RequireExp(),
	faults.SkipExp:                        SkipExp(),
	faults.SkipNbf:                        SkipNbf(),
	faults.SkipSignature:                  SkipSignature(),
	faults.StrictKidTyp:                   StrictKidTyp(),
	faults.SuperuserBoolOnly:              SuperuserBoolOnly(),
	faults.SuperuserTruthy:                SuperuserTruthy(),
	faults.TimeClaimsLenient:              TimeClaimsLenient(),
	faults.TimeClaimsNumbersOnly:          TimeClaimsNumbersOnly(),
	faults.TokenAlwaysFromPassword:        TokenAlwaysFromPassword(),
	faults.TokenAlwaysFromUsername:        TokenAlwaysFromUsername(),
	faults.TokenFromEitherField:           TokenFromEitherField(),
	faults.TokenFromOtherFieldWhenMissing: TokenFromOtherFieldWhenMissing(),
	faults.TrustHeaderJWK:                 TrustHeaderJWK(),
	faults.TrustHeaderKeys:                TrustHeaderKeys(),
	faults.UnknownPlaceholdersEmpty:       UnknownPlaceholdersEmpty(),
	faults.VerifyClaimsCaseInsensitive:    VerifyClaimsCaseInsensitive(),
	faults.VerifyClaimsNoTemplates:        VerifyClaimsNoTemplates(),
	faults.VerifyClaimsScalarText:         VerifyClaimsScalarText(),
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
