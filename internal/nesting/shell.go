package nesting

import "strings"

// MaxShellBound is the bound on Shell's coarse count (see Shell): the depth
// mvdan.cc/sh parses in well under a second.
const MaxShellBound = 8 * Max

// Shell checks a shell command line for brackets, parentheses and braces
// (subshells, $(…), ${…}, groups, arithmetic, backquotes) nested more than
// Max deep, before mvdan.cc/sh parses it by recursion.
//
// Two counts are kept. The first reads quotes, escapes and comments as bash
// does, roughly, and is held to Max: it is what a person means by nesting,
// and refuses no ordinary command. A rough reading can be fooled (a
// closing parenthesis it takes for code may be a case pattern's, or text
// in a here-document), so the second count can not: every opening byte
// counts, and a closing byte closes only when nothing between it and its
// opener could make it text (no quote, backslash, comment, '<' or the word
// "case"). It is never below the depth the parser reaches, but a quoted
// string inside brackets keeps them counted, so it is held to the looser
// MaxShellBound.
func Shell(cmd string) error {
	if d, line := shellCoarse(cmd); d > MaxShellBound {
		return &Error{What: "brackets, parentheses or braces", Line: line, Max: MaxShellBound}
	}
	if d, line := shellDepth(cmd); d > Max {
		return &Error{What: "brackets, parentheses or braces", Line: line, Max: Max}
	}
	return nil
}

// shellCoarse returns the coarse count's maximum and its line. Frames are
// numbered from 1 (0 is the line itself); frames from cleanFrom on are
// clean: since each opened, the parser's reading of quotes is known. In a
// clean frame a quoted string with nothing special inside ("…" without
// \ $ ` ' or a newline, '…' without " $ ` or a newline) is skipped as the
// parser reads it; anything else that can make text of what follows (a
// quote elsewhere, a backslash, '#', '<' of a here-document, the word
// "case" before a pattern's ')') marks every open frame unclean.
func shellCoarse(s string) (maxDepth, maxLine int) {
	var stack []byte
	cleanFrom := 0
	line := 1
	dirty := func() { cleanFrom = len(stack) + 1 }
	const code, single, double = 0, 1, 2
	mode := code
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' {
			line++
		}
		switch mode {
		case single:
			switch c {
			case '\'':
				mode = code
			case '"', '$', '`', '\n':
				dirty()
				mode = code
			}
			continue
		case double:
			switch c {
			case '"':
				mode = code
			case '\\', '$', '`', '\'', '\n':
				dirty()
				mode = code
			}
			continue
		}
		topClean := len(stack) >= cleanFrom
		switch c {
		case '\'':
			if topClean && (i == 0 || s[i-1] != '$') {
				mode = single
			} else {
				dirty()
			}
		case '"':
			if topClean {
				mode = double
			} else {
				dirty()
			}
		case '\\', '#', '<':
			dirty()
		case 'e':
			if i >= 3 && s[i-3:i+1] == "case" {
				dirty()
			}
		case '(', '{', '[':
			stack = append(stack, c)
		case '`':
			if k := len(stack); k > 0 && stack[k-1] == '`' && topClean {
				stack = stack[:k-1]
			} else {
				stack = append(stack, c)
			}
		case ')', '}', ']':
			if k := len(stack); k > 0 && stack[k-1] == opener(c) && topClean {
				stack = stack[:k-1]
			}
		}
		if cleanFrom > len(stack)+1 {
			cleanFrom = len(stack) + 1
		}
		if len(stack) > maxDepth {
			maxDepth, maxLine = len(stack), line
		}
	}
	return maxDepth, maxLine
}

func opener(c byte) byte {
	switch c {
	case ')':
		return '('
	case '}':
		return '{'
	}
	return '['
}

// shellDepth returns the maximum nesting as a rough reading of bash's
// quoting finds it, and its line.
func shellDepth(s string) (maxDepth, maxLine int) {
	var stack []byte // '(', '{', '[', '`' and '"' (a double-quoted string: not counted)
	depth, line := 0, 1
	push := func(c byte) {
		stack = append(stack, c)
		if c != '"' {
			if depth++; depth > maxDepth {
				maxDepth, maxLine = depth, line
			}
		}
	}
	pop := func() {
		if stack[len(stack)-1] != '"' {
			depth--
		}
		stack = stack[:len(stack)-1]
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\n' {
			line++
		}
		top := byte(0)
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top == '"' {
			switch {
			case c == '\\':
				if i++; i < len(s) && s[i] == '\n' {
					line++
				}
			case c == '"':
				pop()
			case c == '`':
				push('`')
			case c == '$' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '{'):
				i++
				push(s[i])
			}
			continue
		}
		switch c {
		case '\\':
			if i++; i < len(s) && s[i] == '\n' {
				line++
			}
		case '\'':
			// $'…' reads backslash escapes; '…' none.
			ansi := i > 0 && s[i-1] == '$'
			for i++; i < len(s) && s[i] != '\''; i++ {
				if s[i] == '\n' {
					line++
				}
				if ansi && s[i] == '\\' {
					i++
				}
			}
		case '"':
			push('"')
		case '`':
			if top == '`' {
				pop()
			} else {
				push('`')
			}
		case '#':
			if i == 0 || strings.IndexByte(" \t\n;&|()<>", s[i-1]) >= 0 {
				if j := strings.IndexByte(s[i:], '\n'); j >= 0 {
					i += j - 1
				} else {
					i = len(s)
				}
			}
		case '(', '{', '[':
			push(c)
		case ')', '}', ']':
			if top == opener(c) {
				pop()
			}
		}
	}
	return maxDepth, maxLine
}
