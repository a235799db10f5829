package authz

import "github.com/authspec/authspec/reference/faults"

// defectOf turns the catalogue's names into this package's options, as the
// composition root (reference/defects.go) does, so that tests can switch a
// defect on by its fault name.
var defectOf = map[faults.Name]Defect{
	faults.ACLActionAliasesUnknown:     ActionAliasesUnknown(),
	faults.ACLClientAttrsNotRendered:   ClientAttrsNotRendered(),
	faults.ACLDollarTopicsUnguarded:    DollarTopicsUnguarded(),
	faults.ACLEqPrefixIgnored:          EqPrefixIgnored(),
	faults.ACLExpiryIgnored:            ExpiryIgnored(),
	faults.ACLHardenedPlaceholdersOK:   HardenedPlaceholdersOK(),
	faults.ACLInvalidRulesSkipped:      InvalidRulesSkipped(),
	faults.ACLLastMatchWins:            LastMatchWins(),
	faults.ACLNewFormatDenyOnNoMatch:   NewFormatDenyOnNoMatch(),
	faults.ACLNoRulesDeny:              NoRulesDeny(),
	faults.ACLOldFormatFallThrough:     OldFormatFallThrough(),
	faults.ACLPlaceholdersNotRendered:  PlaceholdersNotRendered(),
	faults.ACLPlusMultiLevel:           PlusMultiLevel(),
	faults.ACLPlusRejectsWildcardLevel: PlusRejectsWildcardLevel(),
	faults.ACLQoSRetainIgnored:         QoSRetainIgnored(),
	faults.ACLSharePrefixKept:          SharePrefixKept(),
	faults.ACLSuperuserIgnored:         SuperuserIgnored(),
	faults.ACLUnsafePlaceholderValues:  UnsafePlaceholderValues(),
	faults.ACLWhoFiltersIgnored:        WhoFiltersIgnored(),
	faults.ACLWrongTypeIgnored:         WrongTypeIgnored(),
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

// defectsOn builds the Defects of the named faults.
func defectsOn(names ...string) Defects { return NewDefects(defectsNamed(names...)...) }
