package faults

// Faults of the authorization engine (package reference/authz). Each is a
// defect a real broker could ship; the IDs are those whose scenarios observe
// it. The on-wire forms of a denial (SUBACK/PUBACK codes, deny_action) are
// the broker glue's (broker.go).
const (
	ACLOldFormatFallThrough     Name = "acl-old-format-fall-through"
	ACLNewFormatDenyOnNoMatch   Name = "acl-new-format-deny-on-no-match"
	ACLPlusMultiLevel           Name = "acl-plus-multi-level"
	ACLPlaceholdersNotRendered  Name = "acl-placeholders-not-rendered"
	ACLEqPrefixIgnored          Name = "acl-eq-prefix-ignored"
	ACLLastMatchWins            Name = "acl-last-match-wins"
	ACLNoRulesDeny              Name = "acl-no-rules-deny"
	ACLExpiryIgnored            Name = "acl-expiry-ignored"
	ACLInvalidRulesSkipped      Name = "acl-invalid-rules-skipped"
	ACLActionAliasesUnknown     Name = "acl-action-aliases-unknown"
	ACLQoSRetainIgnored         Name = "acl-qos-retain-ignored"
	ACLWhoFiltersIgnored        Name = "acl-who-filters-ignored"
	ACLPlusRejectsWildcardLevel Name = "acl-plus-rejects-wildcard-level"
	ACLDollarTopicsUnguarded    Name = "acl-dollar-topics-unguarded"
	ACLClientAttrsNotRendered   Name = "acl-client-attrs-not-rendered"
	ACLUnsafePlaceholderValues  Name = "acl-unsafe-placeholder-values"
	ACLSharePrefixKept          Name = "acl-share-prefix-kept"
	ACLSuperuserIgnored         Name = "acl-superuser-ignored"
	ACLWrongTypeIgnored         Name = "acl-wrong-type-ignored"
	ACLClaimNameIgnored         Name = "acl-claim-name-ignored"
	ACLHardenedPlaceholdersOK   Name = "acl-hardened-placeholders-lenient"
)

// aclFaults are the faults of the acl area.
var aclFaults = []Def{
	{Name: ACLOldFormatFallThrough, IDs: []string{"JWT-ACL-01", "JWT-ACL-06"},
		Doc: "lets an old-format (pub/sub/all) token acl fall through to the sources and no_match when no entry matches, instead of denying"},
	{Name: ACLNewFormatDenyOnNoMatch, IDs: []string{"JWT-ACL-06"},
		Doc: "denies when no new-format token rule matches, instead of asking the sources and no_match"},
	{Name: ACLPlusMultiLevel, IDs: []string{"JWT-ACL-02"},
		Doc: "lets a rule's + match several topic levels, so rule a/+ allows a/b/c"},
	{Name: ACLPlaceholdersNotRendered, IDs: []string{"JWT-ACL-03"},
		Doc: "leaves ${clientid}, ${username}, ${cert_common_name} and ${zone} in rule topics as literal text"},
	{Name: ACLEqPrefixIgnored, IDs: []string{"JWT-ACL-04"},
		Doc: "drops the eq prefix but still expands wildcards and placeholders, so eq t/# allows t/x"},
	{Name: ACLLastMatchWins, IDs: []string{"JWT-ACL-05"},
		Doc: "lets the last matching new-format rule decide instead of the first"},
	{Name: ACLNoRulesDeny, IDs: []string{"JWT-ACL-07"},
		Doc: "denies every action of a client whose token carried no acl claim, ignoring sources and no_match"},
	{Name: ACLExpiryIgnored, IDs: []string{"JWT-ACL-08", "JWT-EXP-02"},
		Doc: "keeps applying a token's acl after its exp"},
	{Name: ACLInvalidRulesSkipped, IDs: []string{"JWT-ACL-09"},
		Doc: "drops invalid new-format acl rules and accepts the token instead of refusing the CONNECT"},
	{Name: ACLActionAliasesUnknown, IDs: []string{"JWT-ACL-10"},
		Doc: "knows only the actions publish, subscribe and all, so a rule with pub or sub refuses the CONNECT"},
	{Name: ACLQoSRetainIgnored, IDs: []string{"JWT-ACL-11"},
		Doc: "ignores the qos and retain conditions of acl rules"},
	{Name: ACLWhoFiltersIgnored, IDs: []string{"JWT-ACL-12"},
		Doc: "ignores username_re, clientid_re, ipaddr, zone(_re) and listener(_re), so a narrowed rule applies to every client"},
	{Name: ACLPlusRejectsWildcardLevel, IDs: []string{"JWT-ACL-13"},
		Doc: "does not let a rule's + cover a + or # level of a subscription filter, so rule a/+ denies subscribing to a/#"},
	{Name: ACLDollarTopicsUnguarded, IDs: []string{"JWT-ACL-14"},
		Doc: "lets rule filters starting with # or + match $-topics such as $SYS/x"},
	{Name: ACLClientAttrsNotRendered, IDs: []string{"JWT-ACL-15"},
		Doc: "leaves ${client_attrs.NAME} in rule topics as literal text"},
	{Name: ACLUnsafePlaceholderValues, IDs: []string{"JWT-ACL-16"},
		Doc: "renders undefined placeholders as empty text and substitutes values containing /, + or #, so a client can widen its own rules"},
	{Name: ACLSharePrefixKept, IDs: []string{"JWT-ACL-17"},
		Doc: "checks a shared subscription $share/g/t against the rules as written instead of its real filter t"},
	{Name: ACLSuperuserIgnored, IDs: []string{"JWT-HMAC-07", "SCRAM-15", "JWT-ACL-06", "JWT-CLAIM-07"},
		Doc: "ignores is_superuser, so a superuser is held to its acl, the sources and no_match"},
	{Name: ACLWrongTypeIgnored, IDs: []string{"JWT-ACL-09"},
		Doc: "ignores a token acl claim that is neither an object nor a list and accepts the client without rules, instead of a backend failure"},
	{Name: ACLHardenedPlaceholdersOK, IDs: []string{"JWT-ACL-16"},
		Doc: "under the hardened profile a rule whose placeholder is undefined or unsafe does not match, as under legacy, instead of denying"},
	{Name: ACLClaimNameIgnored, IDs: []string{"JWT-ACL-07"},
		Doc: "reads the token's rules from the acl claim whatever acl_claim_name says"},
}
