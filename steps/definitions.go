package steps

import (
	"reflect"
	"runtime"
	"sync"

	"github.com/cucumber/godog"
)

// Definition describes one step definition for tools that explain a
// scenario (`authspec explain`): its expression, the handler that runs it
// and where that handler is written.
type Definition struct {
	Keyword string // Given, When, Then, or "" for any
	Expr    string
	// Func is the handler's function as the runtime names it
	// ("github.com/authspec/authspec/steps.aValidToken"); File and Line
	// are where the binary was built from.
	Func string
	File string
	Line int
}

// DefinitionOf returns the definition godog runs for a compiled step; ok is
// false for an undefined step.
func DefinitionOf(step *godog.Step) (Definition, bool) {
	d, ok := everyStep().definitionOf(step)
	if !ok {
		return Definition{}, false
	}
	return d.describe(), true
}

// everyStep is the registry of every definition, built once: its regular
// expressions are compiled as it is built.
var everyStep = sync.OnceValue(allSteps)

func allSteps() *registry {
	r := newRegistry(nil)
	registerSteps(r)
	return r
}

var keywordNames = map[keyword]string{givenKeyword: "Given", whenKeyword: "When", thenKeyword: "Then"}

// describe names the handler from the compiled function: the binary knows
// its name and source file, so the answer cannot drift from the code as a
// hand-kept table would.
func (d definition) describe() Definition {
	out := Definition{Keyword: keywordNames[d.keyword], Expr: d.expr.String()}
	if fn := runtime.FuncForPC(reflect.ValueOf(d.handler).Pointer()); fn != nil {
		out.Func = fn.Name()
		out.File, out.Line = fn.FileLine(fn.Entry())
	}
	return out
}
