package target

// Varianted is implemented by targets whose profile declares readings of
// the catalogue's ambiguities (`variants: {A1: exp-required}`): the
// scenarios tagged with an ambiguity's ID expect the declared reading
// (steps/variants.go). An ambiguity a target does not list follows the
// reference's reading.
type Varianted interface {
	Variants() map[string]string
}

// VariantsOf is what t declares (nil when nothing).
func VariantsOf(t Target) map[string]string {
	if v, ok := t.(Varianted); ok {
		return v.Variants()
	}
	return nil
}
