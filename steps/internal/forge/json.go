package forge

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// DecodeJSON decodes strictly: numbers stay json.Number so they reach the
// broker as written (1.0 stays 1.0, JWT-CLAIM-07), and trailing data is an
// error.
func DecodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	if dec.More() {
		return fmt.Errorf("not valid JSON: data after the value")
	}
	return nil
}
