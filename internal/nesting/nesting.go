// Package nesting refuses input nested too deeply for the parsers planguard
// hands it to. hclsyntax, hcl/json, encoding/json walkers and the shell
// parser (mvdan.cc/sh) read nested constructs by recursion, and a Go stack
// overflow is a fatal error, not a panic: `a = [[[[…` 100000 levels deep
// kills the process (the runner's service with it) instead of failing. Each
// check here runs before a parser sees the input and counts, without
// recursion, an upper bound of the depth that parser would reach.
package nesting

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Max is the deepest nesting accepted: far beyond any configuration,
// lock file, plan snapshot or command line people write, and far below
// what overflows a parser's stack.
const Max = 512

// ErrTooDeep is what every error of this package wraps.
var ErrTooDeep = errors.New("nested too deeply")

// Error says where the input went past Max.
type Error struct {
	// What is nested: "brackets" (JSON), "brackets, operators or template
	// directives" (HCL), "brackets, parentheses or braces" (shell).
	What string
	// Line is the 1-based line where the depth went past Max.
	Line int
	// Max is the bound.
	Max int
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s nested more than %d levels deep (line %d); planguard does not parse input nested this deep", e.What, e.Max, e.Line)
}

// Unwrap makes errors.Is(err, ErrTooDeep) true.
func (e *Error) Unwrap() error { return ErrTooDeep }

// JSON checks the nesting of JSON arrays and objects in src, counting
// brackets and braces outside strings. It does not check that src is JSON.
func JSON(src []byte) error {
	depth, line := 0, 1
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\n' {
			line++
		}
		if inString {
			switch c {
			case '\\':
				i++ // the escaped byte is never a quote that ends the string
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if depth++; depth > Max {
				return &Error{What: "brackets", Line: line, Max: Max}
			}
		case ']', '}':
			// Outside strings a closer always closes: a JSON parser
			// returns from the level (or fails) there.
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

// HCLJSON checks a file in HCL's JSON syntax (.tf.json): its JSON nesting,
// and, since HCL reads JSON strings (keys too) as templates, the template
// nesting of every string. A file that is not JSON is refused too: its
// strings cannot be told apart.
func HCLJSON(src []byte) error {
	if err := JSON(src); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not valid JSON: %w", err)
		}
		s, ok := tok.(string)
		if !ok || !strings.Contains(s, "{") {
			continue
		}
		if err := HCLTemplate([]byte(s)); err != nil {
			return err
		}
	}
}

// HCL checks a file in HCL's native syntax (.tf, .tfvars, a lock file, a
// policy) with hclsyntax's own lexer, so that brackets inside strings,
// comments and heredocs count as the parser reads them.
func HCL(src []byte) error { return hclDepth(src, false) }

// HCLTemplate checks a template: the text of a string HCL reads as one.
func HCLTemplate(src []byte) error { return hclDepth(src, true) }

// cheapBytes are the bytes every level of HCL nesting consumes at least
// one of (an opening bracket, a quote, a heredoc, an operator): a source
// with fewer than Max/2 of them cannot nest Max levels deep, and is not
// lexed.
const cheapBytes = "{[(\"<?!-+*/%>=&|"

// hclFrame is one open bracket, parenthesis, brace, quote, heredoc or
// template sequence.
type hclFrame struct {
	open hclsyntax.TokenType
	// body: a block body or object (a newline ends an expression there).
	body bool
	// chain counts the operators and index brackets of the expression
	// being read at this level: hclsyntax parses `!!!!x`, `a ? b : c ? …`
	// and `-x` by recursion, and `1+1+…` and `a[i][i]…` into trees that
	// evaluating recurses over.
	chain int
	// dirs are the template if/for directives open in this template.
	dirs []byte
}

func hclDepth(src []byte, template bool) error {
	n := 0
	for _, c := range src {
		if strings.IndexByte(cheapBytes, c) >= 0 {
			n++
		}
	}
	if n < Max/2 {
		return nil
	}
	var toks hclsyntax.Tokens
	if template {
		toks, _ = hclsyntax.LexTemplate(src, "", hcl.InitialPos)
	} else {
		toks, _ = hclsyntax.LexConfig(src, "", hcl.InitialPos)
	}
	stack := []hclFrame{{body: !template}}
	depth := 0 // open frames + every frame's chain and dirs
	operand := false
	for i, t := range toks {
		top := &stack[len(stack)-1]
		switch t.Type {
		case hclsyntax.TokenOBrack, hclsyntax.TokenOBrace, hclsyntax.TokenOParen, hclsyntax.TokenOQuote,
			hclsyntax.TokenOHeredoc, hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			if t.Type == hclsyntax.TokenOBrack && operand {
				top.chain++ // an index
				depth++
			}
			if t.Type == hclsyntax.TokenTemplateControl {
				switch directive(toks[i+1:]) {
				case "if":
					top.dirs = append(top.dirs, 'i')
					depth++
				case "for":
					top.dirs = append(top.dirs, 'f')
					depth++
				case "endif", "endfor":
					want := byte('i')
					if directive(toks[i+1:]) == "endfor" {
						want = 'f'
					}
					if k := len(top.dirs); k > 0 && top.dirs[k-1] == want {
						top.dirs = top.dirs[:k-1]
						depth--
					}
				}
			}
			stack = append(stack, hclFrame{open: t.Type, body: t.Type == hclsyntax.TokenOBrace})
			depth++
		case hclsyntax.TokenCBrack, hclsyntax.TokenCBrace, hclsyntax.TokenCParen, hclsyntax.TokenCQuote,
			hclsyntax.TokenCHeredoc, hclsyntax.TokenTemplateSeqEnd:
			// Only a closer of the open kind closes: anything else is a
			// syntax error, where counting on is the safe side.
			if len(stack) > 1 && closes(top.open, t.Type) {
				depth -= 1 + top.chain + len(top.dirs)
				stack = stack[:len(stack)-1]
			}
		case hclsyntax.TokenQuestion, hclsyntax.TokenBang, hclsyntax.TokenMinus, hclsyntax.TokenPlus,
			hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent, hclsyntax.TokenEqualOp,
			hclsyntax.TokenNotEqual, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq,
			hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr:
			top.chain++
			depth++
		case hclsyntax.TokenComma:
			depth -= top.chain
			top.chain = 0
		case hclsyntax.TokenNewline:
			if top.body {
				depth -= top.chain
				top.chain = 0
			}
		}
		if depth > Max {
			return &Error{What: "brackets, operators or template directives", Line: t.Range.Start.Line, Max: Max}
		}
		switch t.Type {
		case hclsyntax.TokenIdent, hclsyntax.TokenNumberLit, hclsyntax.TokenCParen, hclsyntax.TokenCBrack,
			hclsyntax.TokenCBrace, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			operand = true
		case hclsyntax.TokenComment:
		default:
			operand = false
		}
	}
	return nil
}

// directive is the keyword after a template's %{ (if, for, endif, …).
func directive(rest hclsyntax.Tokens) string {
	for _, t := range rest {
		switch t.Type {
		case hclsyntax.TokenIdent:
			return string(t.Bytes)
		case hclsyntax.TokenNewline, hclsyntax.TokenComment:
			continue
		}
		return ""
	}
	return ""
}

func closes(open, c hclsyntax.TokenType) bool {
	switch open {
	case hclsyntax.TokenOBrack:
		return c == hclsyntax.TokenCBrack
	case hclsyntax.TokenOBrace:
		return c == hclsyntax.TokenCBrace
	case hclsyntax.TokenOParen:
		return c == hclsyntax.TokenCParen
	case hclsyntax.TokenOQuote:
		return c == hclsyntax.TokenCQuote
	case hclsyntax.TokenOHeredoc:
		return c == hclsyntax.TokenCHeredoc
	case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
		return c == hclsyntax.TokenTemplateSeqEnd
	}
	return false
}
