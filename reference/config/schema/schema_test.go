package schema

import (
	"errors"
	"strings"
	"testing"
)

func TestObject(t *testing.T) {
	o, err := Decode([]byte(` {"s":"x","b":"true","i":"12","n":null,"m":{"k":"v"},"e":"b","extra":1} `), "root")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := o.String("s", ""); s != "x" || err != nil {
		t.Fatal(s, err)
	}
	if b, err := o.Bool("b", false); !b || err != nil {
		t.Fatal(b, err)
	}
	if i, err := o.PositiveInt("i", 1); i != 12 || err != nil {
		t.Fatal(i, err)
	}
	if s, err := o.String("n", "default"); s != "default" || err != nil {
		t.Fatal("null is not the default:", s, err)
	}
	if m, err := o.StringMap("m"); m["k"] != "v" || err != nil {
		t.Fatal(m, err)
	}
	if e, err := o.Enum("e", "a", "a", "b"); e != "b" || err != nil {
		t.Fatal(e, err)
	}
	err = o.Done()
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Path != "root.extra" || fe.Msg != "unknown field" {
		t.Fatalf("%v", err)
	}
	if got := Prefix(err, "authentication[2]").Error(); got != "authentication[2].root.extra: unknown field" {
		t.Fatal(got)
	}
	if got := Prefix(errors.New("plain"), "authentication[2]").Error(); got != "authentication[2]: plain" {
		t.Fatal(got)
	}
	if Join("a", "[0]") != "a[0]" || Join("", "b") != "b" || Join("a", "") != "a" {
		t.Fatal("join")
	}
}

func TestTypeErrors(t *testing.T) {
	o, _ := Decode([]byte(`{"s":1,"b":2,"i":"x","p":0,"m":{"k":1},"o":[]}`), "")
	for name, read := range map[string]func() error{
		"s: must be a string, got a number":    func() error { _, err := o.String("s", ""); return err },
		"b: must be a boolean, got a number":   func() error { _, err := o.Bool("b", false); return err },
		"i: must be an integer, got a string":  func() error { _, err := o.Int("i", 0); return err },
		"p: must be a positive integer, got 0": func() error { _, err := o.PositiveInt("p", 1); return err },
		"m.k: must be a string, got a number":  func() error { _, err := o.StringMap("m"); return err },
		"o: must be an object, got a list":     func() error { _, err := o.Object("o"); return err },
		"r: is required":                       func() error { _, err := o.RequiredString("r"); return err },
	} {
		if err := read(); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("want %q, got %v", name, err)
		}
	}
	if _, err := Decode([]byte(`[1]`), "x"); err == nil || err.Error() != "x: must be an object, got a list" {
		t.Fatal(err)
	}
	if _, err := Decode([]byte(`{"a":`), ""); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatal(err)
	}
}
