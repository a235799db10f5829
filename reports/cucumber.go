package reports

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// The types below mirror what godog v0.15.1's "cucumber" formatter writes
// (internal/formatters/fmt_cucumber.go); only the fields the reports use are read.

type cukeFeature struct {
	URI      string        `json:"uri"`
	Name     string        `json:"name"`
	Elements []cukeElement `json:"elements"`
}

type cukeElement struct {
	ID      string     `json:"id"`
	Keyword string     `json:"keyword"`
	Name    string     `json:"name"`
	Line    int        `json:"line"`
	Type    string     `json:"type"`
	Tags    []cukeTag  `json:"tags"`
	Steps   []cukeStep `json:"steps"`
}

type cukeTag struct {
	Name string `json:"name"`
}

type cukeStep struct {
	Keyword    string          `json:"keyword"`
	Name       string          `json:"name"`
	Line       int             `json:"line"`
	Result     cukeResult      `json:"result"`
	Embeddings []cukeEmbedding `json:"embeddings"`
}

type cukeResult struct {
	Status   string `json:"status"`
	Error    string `json:"error_message"`
	Duration *int64 `json:"duration"` // nanoseconds
}

type cukeEmbedding struct {
	Name     string `json:"name"`
	MimeType string `json:"mime_type"`
	Data     string `json:"data"` // base64
}

// Step statuses as godog writes them.
const (
	statusPassed    = "passed"
	statusFailed    = "failed"
	statusSkipped   = "skipped"
	statusUndefined = "undefined"
	statusPending   = "pending"
	statusAmbiguous = "ambiguous"
)

// Attachment is one piece of evidence attached to a scenario.
type Attachment struct {
	Name      string
	MediaType string
	Data      []byte
}

// Step is one executed step of a scenario.
type Step struct {
	Text    string // keyword and text: "Then the broker refuses with 0x86"
	Line    int
	Status  string // godog's: passed, failed, skipped, undefined, pending, ambiguous
	Message string // the error text of a failed step
}

// Scenario is one executed scenario (one Examples row of an outline) with its verdict.
type Scenario struct {
	IDs         []string // catalogue IDs it covers; IDs[0] is its own (see scenarioIDs)
	Group       string
	Name        string
	Feature     string
	URI         string
	Line        int
	Tags        []string
	Steps       []Step
	Attachments []Attachment
	Duration    time.Duration

	Verdict     Verdict
	Message     string   // failure or error text, n/a reason, non-strict note
	FailingStep string   // the step that failed or skipped, "" otherwise
	Observed    string   // last observed reason code, "" if none
	Readings    []string // ambiguity readings judged under ("A1=exp-required")
	Unreachable bool     // error because the target could not be reached
}

// ID is the scenario's own catalogue ID ("" when it has none).
func (s *Scenario) ID() string {
	if len(s.IDs) == 0 {
		return ""
	}
	return s.IDs[0]
}

// PacketTrace returns the scenario's packet trace, "" if none was attached.
func (s *Scenario) PacketTrace() string {
	var parts []string
	for _, a := range s.Attachments {
		if a.Name == PacketTraceName {
			parts = append(parts, string(a.Data))
		}
	}
	return strings.Join(parts, "\n")
}

var (
	idTagPattern    = regexp.MustCompile(`^[A-Z]+(-[A-Z]+)*-\d\d$`)
	groupTagPattern = regexp.MustCompile(`^[A-Z]+(-[A-Z]+)*$`)
)

// IsCatalogueID reports whether s has the shape of a catalogue ID (JWT-CLAIM-02).
func IsCatalogueID(s string) bool { return idTagPattern.MatchString(s) }

// GroupOf returns the group an ID belongs to by its shape: JWT-CLAIM-02 -> JWT-CLAIM.
func GroupOf(id string) string {
	if i := strings.LastIndexByte(id, '-'); i > 0 {
		return id[:i]
	}
	return id
}

// ParseCucumber reads godog's cucumber JSON and returns its scenarios with verdicts.
func ParseCucumber(data []byte) ([]Scenario, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("cucumber JSON is empty")
	}
	var features []cukeFeature
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&features); err != nil {
		return nil, fmt.Errorf("cucumber JSON: %w", err)
	}
	var scenarios []Scenario
	for _, f := range features {
		for _, e := range f.Elements {
			if e.Type != "" && e.Type != "scenario" {
				continue // godog writes only scenarios; other tools may write backgrounds
			}
			sc := parseElement(f, e)
			judge(&sc)
			scenarios = append(scenarios, sc)
		}
	}
	return scenarios, nil
}

func parseElement(f cukeFeature, e cukeElement) Scenario {
	sc := Scenario{Name: e.Name, Feature: f.Name, URI: f.URI, Line: e.Line}
	seen := map[string]bool{}
	for _, t := range e.Tags {
		name := strings.TrimPrefix(t.Name, "@")
		if !seen[name] { // godog repeats the feature's tags on every element
			seen[name] = true
			sc.Tags = append(sc.Tags, name)
		}
	}
	sc.IDs = scenarioIDs(sc.Name, sc.Tags)
	sc.Group = scenarioGroup(sc.ID(), sc.Tags)
	for _, st := range e.Steps {
		sc.Steps = append(sc.Steps, Step{
			Text:    strings.TrimSpace(st.Keyword) + " " + st.Name,
			Line:    st.Line,
			Status:  st.Result.Status,
			Message: st.Result.Error,
		})
		if st.Result.Duration != nil && *st.Result.Duration > 0 {
			sc.Duration += time.Duration(*st.Result.Duration)
		}
		for _, em := range st.Embeddings {
			sc.Attachments = append(sc.Attachments, decodeEmbedding(em))
		}
	}
	return sc
}

// scenarioIDs returns the catalogue IDs a scenario is tagged with. Its own ID comes
// first: the tagged ID its name starts with, else the first ID tag. A scenario with no
// ID tag falls back to an ID its name starts with (scenario names start with the ID).
func scenarioIDs(name string, tags []string) []string {
	var ids []string
	for _, t := range tags {
		if IsCatalogueID(t) {
			ids = append(ids, t)
		}
	}
	first, _, _ := strings.Cut(strings.TrimSpace(name), " ")
	first = strings.TrimRight(first, ":")
	for i, id := range ids {
		if id == first {
			ids[0], ids[i] = ids[i], ids[0]
			return ids
		}
	}
	if len(ids) == 0 && IsCatalogueID(first) {
		ids = []string{first}
	}
	return ids
}

// scenarioGroup prefers the group tag the ID belongs to, then any group tag, then the
// group the ID's shape names.
func scenarioGroup(id string, tags []string) string {
	var other string
	for _, t := range tags {
		if !groupTagPattern.MatchString(t) {
			continue
		}
		if id != "" && t == GroupOf(id) {
			return t
		}
		if other == "" {
			other = t
		}
	}
	switch {
	case other != "":
		return other
	case id != "":
		return GroupOf(id)
	default:
		return unidentifiedGroup
	}
}

// unidentifiedGroup holds scenarios with no catalogue ID (a suite defect, reported).
const unidentifiedGroup = "UNIDENTIFIED"

func decodeEmbedding(em cukeEmbedding) Attachment {
	data, err := base64.StdEncoding.DecodeString(em.Data)
	if err != nil {
		// Keep the evidence rather than drop the whole report over one attachment.
		data = []byte(fmt.Sprintf("(attachment is not valid base64: %v)\n%s", err, em.Data))
	}
	return Attachment{Name: em.Name, MediaType: em.MimeType, Data: data}
}
