package jwtauth

import (
	"bytes"
	"encoding/json"
	"maps"
	"testing"
)

// splitObject reads every valid JSON object exactly as encoding/json's
// Unmarshal into map[string]json.RawMessage does (the decoder it
// replaced): same names, same raw values, last duplicate wins, and it
// refuses what is not an object.
func FuzzSplitObject(f *testing.F) {
	for _, s := range []string{
		`{}`, ` { } `, `{"a":1}`, `{"a":1,"a":"2"}`, `{"sub":"x","exp":1.5e3,"n":null,"t":true}`,
		`{"client_attrs":{"k":["a",[98,"c"]],"q":"\"}"}}`, `{"\u0061b":"c\\d","é":"\ud83d\ude00"}`,
		"{\"a\"\t:\n[ {\"b\" : [ ] } ] ,\r\"c\":{}}", `[1]`, `"s"`, `null`, `12`, "{\"\xff\":1}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		var want map[string]json.RawMessage
		werr := json.Unmarshal(data, &want)
		got, ok := splitObject(data)
		if wantOK := werr == nil && want != nil; ok != wantOK {
			t.Fatalf("%q: split ok=%v, encoding/json err=%v map=%v", data, ok, werr, want)
		}
		if !ok {
			return
		}
		if !maps.EqualFunc(got, want, func(a, b json.RawMessage) bool { return bytes.Equal(a, b) }) {
			t.Fatalf("%q:\n split %q\n json  %q", data, got, want)
		}
	})
}

// unquote reads strings as encoding/json does, escapes and bad UTF-8
// included.
func TestUnquote(t *testing.T) {
	for _, raw := range []string{`""`, `"plain"`, `"a\"b"`, `"\u00e9t\u00e9"`, `"été"`, "\"\xff\"", `"\ud83d"`} {
		var want string
		if err := json.Unmarshal([]byte(raw), &want); err != nil {
			t.Fatal(err)
		}
		if got, ok := unquote([]byte(raw)); !ok || got != want {
			t.Errorf("unquote(%q) = %q, %v; want %q", raw, got, ok, want)
		}
	}
	if _, ok := unquote([]byte(`12`)); ok {
		t.Error("a number unquoted")
	}
}
