// Package schema decodes EMQX-shaped JSON configuration objects strictly:
// unknown fields and wrong types are refused with an error naming the field
// path (authentication[0].secret), as EMQX's HOCON schema checks do, so the
// management API can answer 400 with a message a user can act on.
//
// It is shared by the configuration parser (reference/config) and the
// authenticators that parse their own fields (jwtauth, builtin, scram).
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// FieldError is a configuration error tied to one field. Path is relative to
// whatever decoded the object ("secret", "ssl.verify") until a caller
// prefixes it ("authentication[0].secret").
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Errorf builds a FieldError for path.
func Errorf(path, format string, args ...any) *FieldError {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// Prefix puts prefix in front of the path of err, which becomes a
// FieldError if it was not one (so every configuration error names where
// it comes from).
func Prefix(err error, prefix string) error {
	if err == nil {
		return nil
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Path: Join(prefix, fe.Path), Msg: fe.Msg}
	}
	return &FieldError{Path: prefix, Msg: err.Error()}
}

// Join joins two path parts with a dot, leaving out empty parts; an index
// part ("[0]") is appended without a dot.
func Join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.HasPrefix(b, "["):
		return a + b
	}
	return a + "." + b
}

// Object is one decoded JSON object whose fields are read one by one; what
// was never read is reported by Done as unknown.
type Object struct {
	path   string
	fields map[string]json.RawMessage
	used   map[string]bool
}

// Decode reads raw as a JSON object. path names the object in errors.
func Decode(raw json.RawMessage, path string) (*Object, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, Errorf(path, "must be an object, got %s", Kind(raw))
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, Errorf(path, "not valid JSON: %v", err)
	}
	return &Object{path: path, fields: fields, used: map[string]bool{}}, nil
}

// Path is the path of the object itself.
func (o *Object) Path() string { return o.path }

// Field returns the path of one of its fields.
func (o *Object) Field(name string) string { return Join(o.path, name) }

// Has reports whether the field is present (even as null).
func (o *Object) Has(name string) bool {
	_, ok := o.fields[name]
	return ok
}

// Raw returns a field's raw JSON and marks it known; ok is false when the
// field is absent or null (EMQX treats null as "use the default").
func (o *Object) Raw(name string) (json.RawMessage, bool) {
	o.used[name] = true
	raw, ok := o.fields[name]
	if !ok || isNull(raw) {
		return nil, false
	}
	return raw, true
}

// Skip marks fields as known without reading them (fields another layer
// handles, such as precondition for the chain).
func (o *Object) Skip(names ...string) {
	for _, n := range names {
		o.used[n] = true
	}
}

// String reads a string field; def when absent.
func (o *Object) String(name, def string) (string, error) {
	raw, ok := o.Raw(name)
	if !ok {
		return def, nil
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", Errorf(o.Field(name), "must be a string, got %s", Kind(raw))
	}
	return s, nil
}

// RequiredString reads a string field that must be present.
func (o *Object) RequiredString(name string) (string, error) {
	if _, ok := o.Raw(name); !ok {
		return "", Errorf(o.Field(name), "is required")
	}
	return o.String(name, "")
}

// Bool reads a boolean field; HOCON also casts the strings "true" and
// "false", so they are accepted too.
func (o *Object) Bool(name string, def bool) (bool, error) {
	raw, ok := o.Raw(name)
	if !ok {
		return def, nil
	}
	switch string(raw) {
	case "true", `"true"`:
		return true, nil
	case "false", `"false"`:
		return false, nil
	}
	return false, Errorf(o.Field(name), "must be a boolean, got %s", Kind(raw))
}

// Int reads an integer field (HOCON also casts numeric strings).
func (o *Object) Int(name string, def int64) (int64, error) {
	raw, ok := o.Raw(name)
	if !ok {
		return def, nil
	}
	text := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &text) != nil {
			return 0, Errorf(o.Field(name), "must be an integer, got %s", Kind(raw))
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		return 0, Errorf(o.Field(name), "must be an integer, got %s", Kind(raw))
	}
	return n, nil
}

// PositiveInt reads an integer field that must be >= 1.
func (o *Object) PositiveInt(name string, def int64) (int64, error) {
	n, err := o.Int(name, def)
	if err != nil {
		return 0, err
	}
	if n < 1 {
		return 0, Errorf(o.Field(name), "must be a positive integer, got %d", n)
	}
	return n, nil
}

// Enum reads a string field that must be one of allowed.
func (o *Object) Enum(name, def string, allowed ...string) (string, error) {
	s, err := o.String(name, def)
	if err != nil {
		return "", err
	}
	for _, a := range allowed {
		if s == a {
			return s, nil
		}
	}
	return "", Errorf(o.Field(name), "must be one of %s, got %q", strings.Join(allowed, ", "), s)
}

// Object reads a nested object field; nil when absent.
func (o *Object) Object(name string) (*Object, error) {
	raw, ok := o.Raw(name)
	if !ok {
		return nil, nil
	}
	return Decode(raw, o.Field(name))
}

// StringMap reads an object field whose values are all strings, with the
// keys in sorted order; nil when absent.
func (o *Object) StringMap(name string) (map[string]string, error) {
	raw, ok := o.Raw(name)
	if !ok {
		return nil, nil
	}
	sub, err := Decode(raw, o.Field(name))
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(sub.fields))
	for _, k := range sub.Keys() {
		v, err := sub.String(k, "")
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// Keys lists the object's field names, sorted.
func (o *Object) Keys() []string {
	keys := make([]string, 0, len(o.fields))
	for k := range o.fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Done reports the first field (in sorted order) that nothing read.
func (o *Object) Done() error {
	for _, k := range o.Keys() {
		if !o.used[k] {
			return Errorf(o.Field(k), "unknown field")
		}
	}
	return nil
}

// Kind names the JSON type of raw for error messages.
func Kind(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}
