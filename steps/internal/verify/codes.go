package verify

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseCode reads a reason code as the scenarios write it ("0x87"), the
// inverse of HexList for one code.
func ParseCode(s string) (byte, error) {
	code, err := parseCode(s)
	if err != nil {
		return 0, fmt.Errorf("reason code %q: %w", s, err)
	}
	return code, nil
}

// ParseCodes reads a list of reason codes ("0x00, 0x87"); what names the
// packet in an error ("SUBACK code").
func ParseCodes(what, list string) ([]byte, error) {
	var codes []byte
	for _, c := range strings.Split(list, ",") {
		code, err := parseCode(c)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", what, c, err)
		}
		codes = append(codes, code)
	}
	return codes, nil
}

func parseCode(s string) (byte, error) {
	code, err := strconv.ParseUint(strings.TrimPrefix(strings.TrimSpace(s), "0x"), 16, 8)
	return byte(code), err
}
