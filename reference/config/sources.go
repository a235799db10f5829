package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
)

// SplitSources reads the sources of an authorization list as EMQX shapes
// them (each with its "type"): the file sources the authorization engine
// runs (engine), and every source as the management API shows it (shown,
// with "enable" filled in as EMQX fills its default). built_in_database
// sources are accepted and checked but not handed to the engine: the
// reference does not serve their rule tables, so they stay empty and match
// nothing, as an empty one does in EMQX. Any other type is refused. Errors
// name the source as prefix+"sources[i]".
func SplitSources(list []json.RawMessage, prefix string) (engine, shown []json.RawMessage, err error) {
	shown = slices.Clone(list)
	engine = []json.RawMessage{}
	for i, raw := range shown {
		path := fmt.Sprintf("%ssources[%d]", prefix, i)
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
			return nil, nil, fmt.Errorf("%s: must be an object", path)
		}
		var typ string
		if t, ok := obj["type"]; !ok || json.Unmarshal(t, &typ) != nil || typ == "" {
			return nil, nil, fmt.Errorf("%s: missing field \"type\"", path)
		}
		if _, ok := obj["enable"]; !ok {
			obj["enable"] = json.RawMessage("true")
			if raw, err = json.Marshal(obj); err != nil {
				return nil, nil, err
			}
			shown[i] = raw
		}
		switch typ {
		case "file":
			engine = append(engine, raw)
		case "built_in_database":
			if err := checkBuiltinSource(obj, path); err != nil {
				return nil, nil, err
			}
		default:
			return nil, nil, fmt.Errorf("%s.type: source type %q is not supported by the reference (supported: file, built_in_database)", path, typ)
		}
	}
	return engine, shown, nil
}

// checkBuiltinSource checks a built_in_database source's fields (EMQX's
// emqx_authz_mnesia_schema: type, enable, max_rules).
func checkBuiltinSource(fields map[string]json.RawMessage, path string) error {
	for k, v := range fields {
		var err error
		switch k {
		case "type":
		case "enable":
			var b bool
			err = json.Unmarshal(v, &b)
		case "max_rules":
			var n uint64
			if err = json.Unmarshal(v, &n); err == nil && n == 0 {
				err = fmt.Errorf("must be positive")
			}
		default:
			return fmt.Errorf("%s: unknown field %q (known: enable, max_rules, type)", path, k)
		}
		if err != nil {
			return fmt.Errorf("%s.%s: invalid value %s", path, k, v)
		}
	}
	return nil
}

// SplitAuthorization takes the sources out of an authorization block (raw
// JSON, possibly empty): the block without them, and them (nil when none).
func SplitAuthorization(raw json.RawMessage) (json.RawMessage, []json.RawMessage, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return raw, nil, nil
	}
	var block map[string]json.RawMessage
	if err := json.Unmarshal(raw, &block); err != nil || block == nil {
		return nil, nil, fmt.Errorf("authorization: must be an object")
	}
	list, ok := block["sources"]
	if !ok {
		return raw, nil, nil
	}
	var sources []json.RawMessage
	if err := json.Unmarshal(list, &sources); err != nil {
		return nil, nil, fmt.Errorf("authorization.sources: must be a list, got %s", abbreviateJSON(list))
	}
	delete(block, "sources")
	rest, err := json.Marshal(block)
	return rest, sources, err
}

func abbreviateJSON(raw json.RawMessage) string {
	if len(raw) > 64 {
		return string(raw[:64]) + "..."
	}
	return string(raw)
}

// withSources is block (an authorization block without sources) with the
// engine's sources put back, for authz.ParseSettings.
func withSources(block json.RawMessage, engine []json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if t := bytes.TrimSpace(block); len(t) > 0 && string(t) != "null" {
		if err := json.Unmarshal(block, &m); err != nil {
			return nil, err
		}
	}
	if m == nil {
		m = map[string]json.RawMessage{}
	}
	list, err := json.Marshal(engine)
	if err != nil {
		return nil, err
	}
	m["sources"] = list
	return json.Marshal(m)
}
