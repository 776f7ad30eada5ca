package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

// Strings Terraform renders decoded (review runner35 L1). A string
// attribute whose text is JSON is shown by `terraform plan` and `terraform
// show` as jsonencode({…}) of the decoded value: a key given twice is
// shown once (the last), a number with more digits than a float64 holds
// is shown rounded. The API the apply calls reads the string as written,
// so the reviewer would sign text they did not see. Every plan reply and
// every show lists such strings of the resource changes' after values.

// jsonHidden is one such string: where, and what the rendering hides.
type jsonHidden struct {
	Address, Path, Why string
}

// hiddenJSON lists the after values of the plan's resource changes that
// are strings holding JSON whose decoded rendering hides part of the text.
func hiddenJSON(src []byte) ([]jsonHidden, error) {
	var p planJSON
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("read the plan's JSON: %w", err)
	}
	var out []jsonHidden
	for _, rc := range p.ResourceChanges {
		acts := strings.Join(rc.Change.Actions, ",")
		if acts == "no-op" || acts == "read" || acts == "delete" {
			continue
		}
		eachString(rc.Change.After, "", func(path, s string) {
			why := jsonLoss(s)
			if why == "" {
				why = spaceLoss(s)
			}
			if why != "" {
				out = append(out, jsonHidden{Address: rc.Address, Path: path, Why: why})
			}
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out, nil
}

// eachString calls f with every string in a value and its attribute path.
func eachString(v any, path string, f func(path, s string)) {
	switch v := v.(type) {
	case string:
		f(path, v)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			eachString(v[k], joinPath(path, k), f)
		}
	case []any:
		for i, e := range v {
			eachString(e, fmt.Sprintf("%s[%d]", path, i), f)
		}
	}
}

// jsonLoss says what the decoded rendering of s hides: a key given twice
// in one object, or a number a float64 does not hold; "" when s is not a
// JSON object or array, or nothing is hidden.
func jsonLoss(s string) string {
	t := strings.TrimSpace(s)
	if t == "" || t[0] != '{' && t[0] != '[' || !json.Valid([]byte(t)) {
		return ""
	}
	if e := loneSurrogate(t); e != "" {
		return fmt.Sprintf("the escape %s is shown as U+FFFD (review runner36 L3)", e)
	}
	dec := json.NewDecoder(strings.NewReader(t))
	dec.UseNumber()
	// keys holds, per open container, the keys an object has seen (nil
	// for an array); expectKey: the next string is an object's key.
	var keys []map[string]bool
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{':
				keys = append(keys, map[string]bool{})
				expectKey = true
				continue
			case '[':
				keys = append(keys, nil)
			default:
				keys = keys[:len(keys)-1]
				if len(keys) == 0 {
					return ""
				}
			}
		case string:
			if expectKey {
				top := keys[len(keys)-1]
				if top[tok] {
					return fmt.Sprintf("the key %q is given twice; the rendering shows one", tok)
				}
				top[tok] = true
				expectKey = false
				continue
			}
			// A string that is JSON itself is rendered decoded too
			// (review runner36 M1).
			if why := jsonLoss(tok); why != "" {
				return "in a JSON string inside it, " + why
			}
		case json.Number:
			if numberRounded(string(tok)) {
				return fmt.Sprintf("the number %s may be shown rounded (OpenTofu renders it as a float64)", tok)
			}
		}
		expectKey = len(keys) > 0 && keys[len(keys)-1] != nil
	}
}

// spaceLoss says what Terraform's rendering of a multi-line string (a
// heredoc) hides: its leading or trailing whitespace is dropped, and
// spaces or tabs at a line's end are dropped or invisible (review
// runner37 L1).
func spaceLoss(s string) string {
	if !strings.Contains(s, "\n") {
		return ""
	}
	if s != strings.TrimSpace(s) {
		return "a multi-line string with whitespace before or after its text, which the rendering drops"
	}
	for _, l := range strings.Split(s, "\n") {
		if strings.HasSuffix(l, " ") || strings.HasSuffix(l, "\t") || strings.HasSuffix(l, "\r") {
			return "a multi-line string with spaces or tabs at a line's end, which the rendering drops or hides"
		}
	}
	return ""
}

// loneSurrogate returns a \uD800–\uDFFF escape of JSON text that is not
// half of a pair, which a decoder replaces with U+FFFD, or "".
func loneSurrogate(t string) string {
	for i := 0; i+6 <= len(t); i++ {
		if t[i] != '\\' {
			continue
		}
		if t[i+1] != 'u' {
			i++ // an escaped character: \\ is not the start of \u
			continue
		}
		v, err := strconv.ParseUint(t[i+2:i+6], 16, 32)
		if err != nil || v < 0xD800 || v > 0xDFFF {
			i += 5
			continue
		}
		if v <= 0xDBFF && i+12 <= len(t) && t[i+6] == '\\' && t[i+7] == 'u' {
			if w, err := strconv.ParseUint(t[i+8:i+12], 16, 32); err == nil && w >= 0xDC00 && w <= 0xDFFF {
				i += 11
				continue
			}
		}
		return t[i : i+6]
	}
	return ""
}

// numberRounded reports whether a JSON number differs from the float64
// Terraform's rendering decodes it to, printed shortest.
func numberRounded(n string) bool {
	exact, ok := new(big.Rat).SetString(n)
	if !ok {
		return true
	}
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return true
	}
	shown, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	return !ok || exact.Cmp(shown) != 0
}

// printHiddenJSON writes the list.
func printHiddenJSON(w io.Writer, vals []jsonHidden, id string) {
	if len(vals) == 0 {
		return
	}
	fmt.Fprintf(w, "\nplanguard runner: WARNING: %d string value(s) are shown changed above (JSON decoded, a multi-line string's outer whitespace dropped), hiding part of the text the apply sends; read them as written before signing ('planguard runner show --config %s', or --reveal when masked):\n", len(vals), id)
	for _, v := range vals {
		fmt.Fprintf(w, "  %s: %s (%s)\n", v.Address, v.Path, v.Why)
	}
}
