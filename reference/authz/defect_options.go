package authz

// The deliberate defects of the authorization engine, one option each. They
// exist for the suite's self-test only: the composition root
// (reference/defects.go) switches one on when the broker starts with the
// matching fault of the catalogue (reference/faults), so that the self-test
// can prove the scenarios of the fault's IDs catch a broker with that bug.
// The zero value of Defects is the correct behaviour; never set one for
// anything else.

// Defect switches on one deliberate defect (self-test only).
type Defect func(*Defects)

// Defects are the deliberate defects switched on, read as plain fields. The
// zero value has every defect off; build one with NewDefects once, when the
// broker starts, and hand it to Parser and Request.
type Defects struct {
	actionAliasesUnknown     bool // acl-action-aliases-unknown
	clientAttrsNotRendered   bool // acl-client-attrs-not-rendered
	dollarTopicsUnguarded    bool // acl-dollar-topics-unguarded
	eqPrefixIgnored          bool // acl-eq-prefix-ignored
	expiryIgnored            bool // acl-expiry-ignored
	hardenedPlaceholdersOK   bool // acl-hardened-placeholders-lenient
	invalidRulesSkipped      bool // acl-invalid-rules-skipped
	lastMatchWins            bool // acl-last-match-wins
	newFormatDenyOnNoMatch   bool // acl-new-format-deny-on-no-match
	noRulesDeny              bool // acl-no-rules-deny
	oldFormatFallThrough     bool // acl-old-format-fall-through
	placeholdersNotRendered  bool // acl-placeholders-not-rendered
	plusMultiLevel           bool // acl-plus-multi-level
	plusRejectsWildcardLevel bool // acl-plus-rejects-wildcard-level
	qoSRetainIgnored         bool // acl-qos-retain-ignored
	sharePrefixKept          bool // acl-share-prefix-kept
	superuserIgnored         bool // acl-superuser-ignored
	unsafePlaceholderValues  bool // acl-unsafe-placeholder-values
	whoFiltersIgnored        bool // acl-who-filters-ignored
	wrongTypeIgnored         bool // acl-wrong-type-ignored
}

// NewDefects switches on ds.
func NewDefects(ds ...Defect) Defects {
	var d Defects
	for _, set := range ds {
		set(&d)
	}
	return d
}

// ActionAliasesUnknown is the fault acl-action-aliases-unknown (self-test
// only): knows only the actions publish, subscribe and all, so a rule with
// pub or sub refuses the CONNECT.
func ActionAliasesUnknown() Defect { return func(d *Defects) { d.actionAliasesUnknown = true } }

// ClientAttrsNotRendered is the fault acl-client-attrs-not-rendered
// (self-test only): leaves ${client_attrs.NAME} in rule topics as literal
// text.
func ClientAttrsNotRendered() Defect { return func(d *Defects) { d.clientAttrsNotRendered = true } }

// DollarTopicsUnguarded is the fault acl-dollar-topics-unguarded (self-test
// only): lets rule filters starting with # or + match $-topics such as
// $SYS/x.
func DollarTopicsUnguarded() Defect { return func(d *Defects) { d.dollarTopicsUnguarded = true } }

// EqPrefixIgnored is the fault acl-eq-prefix-ignored (self-test only):
// drops the eq prefix but still expands wildcards and placeholders, so eq
// t/# allows t/x.
func EqPrefixIgnored() Defect { return func(d *Defects) { d.eqPrefixIgnored = true } }

// ExpiryIgnored is the fault acl-expiry-ignored (self-test only): keeps
// applying a token's acl after its exp.
func ExpiryIgnored() Defect { return func(d *Defects) { d.expiryIgnored = true } }

// HardenedPlaceholdersOK is the fault acl-hardened-placeholders-lenient
// (self-test only): under the hardened profile a rule whose placeholder is
// undefined or unsafe does not match, as under legacy, instead of denying.
func HardenedPlaceholdersOK() Defect { return func(d *Defects) { d.hardenedPlaceholdersOK = true } }

// InvalidRulesSkipped is the fault acl-invalid-rules-skipped (self-test
// only): drops invalid new-format acl rules and accepts the token instead
// of refusing the CONNECT.
func InvalidRulesSkipped() Defect { return func(d *Defects) { d.invalidRulesSkipped = true } }

// LastMatchWins is the fault acl-last-match-wins (self-test only): lets the
// last matching new-format rule decide instead of the first.
func LastMatchWins() Defect { return func(d *Defects) { d.lastMatchWins = true } }

// NewFormatDenyOnNoMatch is the fault acl-new-format-deny-on-no-match
// (self-test only): denies when no new-format token rule matches, instead
// of asking the sources and no_match.
func NewFormatDenyOnNoMatch() Defect { return func(d *Defects) { d.newFormatDenyOnNoMatch = true } }

// NoRulesDeny is the fault acl-no-rules-deny (self-test only): denies every
// action of a client whose token carried no acl claim, ignoring sources and
// no_match.
func NoRulesDeny() Defect { return func(d *Defects) { d.noRulesDeny = true } }

// OldFormatFallThrough is the fault acl-old-format-fall-through (self-test
// only): lets an old-format (pub/sub/all) token acl fall through to the
// sources and no_match when no entry matches, instead of denying.
func OldFormatFallThrough() Defect { return func(d *Defects) { d.oldFormatFallThrough = true } }

// PlaceholdersNotRendered is the fault acl-placeholders-not-rendered
// (self-test only): leaves ${clientid}, ${username}, ${cert_common_name}
// and ${zone} in rule topics as literal text.
func PlaceholdersNotRendered() Defect { return func(d *Defects) { d.placeholdersNotRendered = true } }

// PlusMultiLevel is the fault acl-plus-multi-level (self-test only): lets a
// rule's + match several topic levels, so rule a/+ allows a/b/c.
func PlusMultiLevel() Defect { return func(d *Defects) { d.plusMultiLevel = true } }

// PlusRejectsWildcardLevel is the fault acl-plus-rejects-wildcard-level
// (self-test only): does not let a rule's + cover a + or # level of a
// subscription filter, so rule a/+ denies subscribing to a/#.
func PlusRejectsWildcardLevel() Defect { return func(d *Defects) { d.plusRejectsWildcardLevel = true } }

// QoSRetainIgnored is the fault acl-qos-retain-ignored (self-test only):
// ignores the qos and retain conditions of acl rules.
func QoSRetainIgnored() Defect { return func(d *Defects) { d.qoSRetainIgnored = true } }

// SharePrefixKept is the fault acl-share-prefix-kept (self-test only):
// checks a shared subscription $share/g/t against the rules as written
// instead of its real filter t.
func SharePrefixKept() Defect { return func(d *Defects) { d.sharePrefixKept = true } }

// SuperuserIgnored is the fault acl-superuser-ignored (self-test only):
// ignores is_superuser, so a superuser is held to its acl, the sources and
// no_match.
func SuperuserIgnored() Defect { return func(d *Defects) { d.superuserIgnored = true } }

// UnsafePlaceholderValues is the fault acl-unsafe-placeholder-values
// (self-test only): renders undefined placeholders as empty text and
// substitutes values containing /, + or #, so a client can widen its own
// rules.
func UnsafePlaceholderValues() Defect { return func(d *Defects) { d.unsafePlaceholderValues = true } }

// WhoFiltersIgnored is the fault acl-who-filters-ignored (self-test only):
// ignores username_re, clientid_re, ipaddr, zone(_re) and listener(_re), so
// a narrowed rule applies to every client.
func WhoFiltersIgnored() Defect { return func(d *Defects) { d.whoFiltersIgnored = true } }

// WrongTypeIgnored is the fault acl-wrong-type-ignored (self-test only):
// ignores a token acl claim that is neither an object nor a list and
// accepts the client without rules, instead of a backend failure.
func WrongTypeIgnored() Defect { return func(d *Defects) { d.wrongTypeIgnored = true } }
