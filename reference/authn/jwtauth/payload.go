package jwtauth

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// The claims path decodes the payload once. encoding/json's Unmarshal into
// map[string]json.RawMessage was half of the HS256 verify path: it
// validates, then walks the object through reflection, copying every value
// into a RawMessage of its own, and client_attrs was decoded a second time
// the same way. Here the payload is validated once (json.Valid, a scan
// that builds nothing), then split into its members with each value a
// slice of the decoded payload; nested objects (client_attrs) are split the
// same way, and strings without escapes are read without a decoder. What
// the claims mean is unchanged: duplicate names keep the last value, as
// encoding/json does, and names or strings with escapes or non-ASCII bytes
// go through encoding/json so they read exactly as before.

// splitObject returns the members of the JSON object data, each value as
// raw JSON. data must be valid JSON (json.Valid): it is not validated
// again. ok is false when data is not an object.
func splitObject(data []byte) (members map[string]json.RawMessage, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	members = make(map[string]json.RawMessage, 8)
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return members, true
	}
	for i < len(data) {
		end := stringEnd(data, i)
		name, ok := unquote(data[i:end])
		if !ok {
			return nil, false
		}
		i = skipSpace(data, end)
		i = skipSpace(data, i+1) // the colon
		start := i
		i = valueEnd(data, i)
		members[name] = json.RawMessage(data[start:i:i])
		i = skipSpace(data, i)
		if i >= len(data) || data[i] == '}' {
			break
		}
		i = skipSpace(data, i+1) // the comma
	}
	return members, true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\r', '\n':
			i++
		default:
			return i
		}
	}
	return i
}

// stringEnd returns the index after the string starting at data[i] ('"').
func stringEnd(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// valueEnd returns the index after the value starting at data[i].
func valueEnd(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return stringEnd(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = stringEnd(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
		i++
	}
	return i
}

// unquote reads a JSON string. Plain ASCII without escapes is taken as it
// is; anything else goes through encoding/json (escapes, and invalid UTF-8
// replaced as encoding/json replaces it).
func unquote(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	plain := bytes.IndexByte(body, '\\') < 0
	for _, c := range body {
		if c < 0x20 || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return string(body), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}
