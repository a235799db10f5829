package reports

import (
	"strings"
	"testing"
)

func TestParseCucumberRejectsWhatIsNotGodogOutput(t *testing.T) {
	cases := map[string]string{
		"empty":        "",
		"blank":        " \n",
		"not JSON":     "Feature: x",
		"an object":    `{"uri": "x"}`,
		"wrong type":   `[{"elements": [{"line": "three"}]}]`,
		"truncated":    `[{"uri": "features/x.feature", "elements": [`,
		"status array": `[{"elements": [{"steps": [{"result": {"status": []}}]}]}]`,
	}
	for name, in := range cases {
		if _, err := ParseCucumber([]byte(in)); err == nil || !strings.Contains(err.Error(), "cucumber JSON") {
			t.Errorf("%s: error %v, want a cucumber JSON error", name, err)
		}
	}
}

func TestParseCucumberKeepsABadAttachment(t *testing.T) {
	data := []byte(`[{"uri":"f","elements":[{"name":"SCRAM-01 x","type":"scenario","tags":[{"name":"@SCRAM-01"}],
	  "steps":[{"keyword":"Then ","name":"y","result":{"status":"failed","error_message":"boom"},
	    "embeddings":[{"name":"packet trace","mime_type":"text/plain","data":"not base64!"}]}]}]}]`)
	scs, err := ParseCucumber(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) != 1 || !strings.Contains(scs[0].PacketTrace(), "not valid base64") || !strings.Contains(scs[0].PacketTrace(), "not base64!") {
		t.Errorf("scenarios %+v", scs)
	}
}

func TestEmptyRunIsNotConformant(t *testing.T) {
	s := mustBuild(t, []byte("[]"), nil)
	if code, reasons := s.Gate(); code != ExitFailures || len(reasons) != 1 || reasons[0] != "no scenario ran" {
		t.Errorf("exit %d reasons %q", code, reasons)
	}
}

func TestScenarioWithoutStepsIsAnError(t *testing.T) {
	s := mustBuild(t, []byte(`[{"uri":"f","elements":[{"name":"SCRAM-01 x","type":"scenario","tags":[{"name":"@SCRAM-01"}]}]}]`), nil)
	if r := s.IDs["SCRAM-01"]; r.Verdict != VerdictError || !strings.Contains(r.Message, "no steps") {
		t.Errorf("SCRAM-01 = %+v", r)
	}
}
