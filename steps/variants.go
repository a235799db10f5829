package steps

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/authspec/authspec/fixtures/profile"
	"github.com/authspec/authspec/steps/target"
)

// Catalogue ambiguities in scenarios. A scenario whose outcome depends on
// how an ambiguity is read carries @ambiguity and the ambiguity's ID
// (@A1). Without more it expects the reference's reading; a scenario (or
// an Examples block) that expects another reading also carries
// @A1=exp-required. A target declares the reading it follows in its
// profile (`variants: {A1: exp-required}`, target.Varianted; otherwise the
// reference's), and each scenario runs only under the reading it expects:
// the others are not applicable, saying which reading was declared. The
// reading judged is attached to the scenario, so the reports show it.
//
// Nothing here knows any particular ambiguity: a new scenario plugs in
// with its tags and its expectation.

var (
	ambiguityTag = regexp.MustCompile(`^@(A\d+)$`)
	readingTag   = regexp.MustCompile(`^@(A\d+)=([a-z0-9.-]+)$`)
)

// readings are the ambiguities a scenario's outcome depends on, each with
// the reading it expects.
type readings map[string]string

// readingsOf reads a scenario's ambiguity tags. An unknown ambiguity, a
// resolved one, or a reading its ambiguity does not have is a defect of
// the scenario.
func readingsOf(tags []string) (readings, error) {
	out := readings{}
	for _, t := range tags {
		if err := out.addAmbiguity(t); err != nil {
			return nil, err
		}
	}
	for _, t := range tags {
		if err := out.addReading(t); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// addAmbiguity records @A1 with the reference's reading.
func (r readings) addAmbiguity(t string) error {
	m := ambiguityTag.FindStringSubmatch(t)
	if m == nil {
		return nil
	}
	a, ok := profile.AmbiguityByID(m[1])
	switch {
	case !ok:
		return fmt.Errorf("tag %s: no such ambiguity in the catalogue", t)
	case a.Resolved != "":
		return fmt.Errorf("tag %s: %s is %s, so no scenario depends on its reading", t, a.ID, a.Resolved)
	}
	if _, set := r[a.ID]; !set {
		r[a.ID] = a.Reference
	}
	return nil
}

// addReading records @A1=reading over the reference's, for an ambiguity
// the scenario also tags.
func (r readings) addReading(t string) error {
	m := readingTag.FindStringSubmatch(t)
	if m == nil {
		return nil
	}
	a, ok := profile.AmbiguityByID(m[1])
	if !ok || a.Resolved != "" || !contains(a.Readings(), m[2]) {
		return fmt.Errorf("tag %s: not a reading of an open ambiguity of the catalogue", t)
	}
	if _, tagged := r[a.ID]; !tagged {
		return fmt.Errorf("tag %s without @%s", t, a.ID)
	}
	r[a.ID] = m[2]
	return nil
}

// judgedUnder compares what the scenario expects with what the target
// declares: "" when the scenario runs, else why it is not applicable.
func (r readings) judgedUnder(t target.Target) string {
	declared := target.VariantsOf(t)
	for _, id := range r.ids() {
		a, _ := profile.AmbiguityByID(id)
		have, set := declared[id]
		if !set {
			have = a.Reference
		}
		if want := r[id]; want != have {
			how := "the target follows the reference's reading " + have
			if set {
				how = fmt.Sprintf("the profile declares variants: {%s: %s}", id, have)
			}
			return fmt.Sprintf("expects reading %s of ambiguity %s (%s); %s", want, id, a.Subject, how)
		}
	}
	return ""
}

// attachment is what the reports show: "A1=exp-required A8=kid-ignored".
func (r readings) attachment() string {
	var parts []string
	for _, id := range r.ids() {
		parts = append(parts, id+"="+r[id])
	}
	return strings.Join(parts, " ")
}

func (r readings) ids() []string {
	ids := make([]string, 0, len(r))
	for id := range r {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
