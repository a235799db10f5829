package jwtauth

import (
	"encoding/json"
	"strings"

	"github.com/authspec/authspec/reference/config/schema"
	"github.com/authspec/authspec/reference/faults"
)

// Fault-only readings of claims and signatures: each is a defect a real
// broker could ship, switched on for the suite's self-test.

// superuserUnder reads is_superuser as isSuperuser does, unless a fault
// changes the reading: superuser-bool-only counts only a JSON true,
// superuser-truthy counts every value but the obvious false ones.
func superuserUnder(raw json.RawMessage, fs *faults.Set) bool {
	switch {
	case fs.On(faults.SuperuserBoolOnly):
		return string(raw) == "true"
	case fs.On(faults.SuperuserTruthy):
		if schema.Kind(raw) == "a string" {
			var s string
			_ = json.Unmarshal(raw, &s)
			return s != "" && s != "0" && s != "false"
		}
		switch strings.TrimSpace(string(raw)) {
		case "false", "0", "null":
			return false
		}
		return true
	}
	return isSuperuser(raw)
}

// psychicSignature is CVE-2022-21449's forgery: an ECDSA signature whose r
// and s are both 0, which Java's verifier accepted for any message and key
// (fault ecdsa-psychic-signatures).
func psychicSignature(t *compactToken) bool {
	if !strings.HasPrefix(t.alg, "ES") || len(t.sig) == 0 {
		return false
	}
	for _, b := range t.sig {
		if b != 0 {
			return false
		}
	}
	return true
}
