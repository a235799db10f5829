package faults

// Faults that only a negative twin, or a stand-in that keeps the scenario's
// meaning, can see: a scenario where the other
// CONNECT field, or a look-alike claim, carries what would pass. Without
// the twins a broker with these defects passes every scenario that puts
// the token, or the claim, where it belongs.
const (
	// TokenFromOtherFieldWhenMissing: with the configured field absent,
	// the token is read from the other one.
	TokenFromOtherFieldWhenMissing Name = "jwt-token-from-other-field-when-missing"
	// TokenFromEitherField: a token that does not verify in the configured
	// field is tried again from the other one.
	TokenFromEitherField Name = "jwt-token-from-either-field"
	// ClaimNamesCaseInsensitive: claim names are matched without regard to
	// case, and a look-alike ("Exp", "AUD", "Tenant") wins over the claim.
	ClaimNamesCaseInsensitive Name = "claim-names-case-insensitive"
	// VerifyClaimsScalarText: a number or boolean claim matches the
	// expected string that is its text (123 matches "123").
	VerifyClaimsScalarText Name = "verify-claims-scalar-text"
	// VerifyClaimsCaseInsensitive: verify_claims values are compared
	// without regard to case.
	VerifyClaimsCaseInsensitive Name = "verify-claims-case-insensitive"
)

var twinFaults = []Def{
	{TokenFromOtherFieldWhenMissing, []string{"JWT-SRC-03"},
		"With the configured field absent, the JWT is read from the other CONNECT field instead of following on_missing_jwt."},
	{TokenFromEitherField, []string{"JWT-SRC-01", "JWT-SRC-02"},
		"A token that does not verify in the configured field is tried again from the other CONNECT field."},
	{ClaimNamesCaseInsensitive, []string{"JWT-CLAIM-01", "JWT-CLAIM-02", "JWT-VC-03", "JWT-VC-04"},
		"Claim names are matched case-insensitively, and a look-alike claim (\"Exp\", \"Aud\", \"Tenant\") wins over the claim itself."},
	{VerifyClaimsScalarText, []string{"JWT-VC-07"},
		"A number or boolean claim matches the expected string that is its text (\"uid\": 123 matches \"123\")."},
	{VerifyClaimsCaseInsensitive, []string{"JWT-VC-01"},
		"verify_claims values are compared without regard to case (\"ACME\" matches \"acme\")."},
}
