package main

import (
	"encoding/json"
	"errors"
	"strings"
)

// patchKey is the key patchInput stores a patch tool's text under.
const patchKey = "\x00patch"

// patchInput is a patch tool's input as Copilot CLI reads it (cli-main.js
// kvr): the arguments themselves when they are not a JSON object, else
// their "input" or "patch" string. Every string the object holds is kept:
// the hook judges the files any of them names.
func patchInput(a []byte) map[string]json.RawMessage {
	var texts []string
	var obj map[string]json.RawMessage
	if json.Unmarshal(a, &obj) == nil && obj != nil {
		for _, v := range obj {
			var s string
			if json.Unmarshal(v, &s) == nil {
				texts = append(texts, s)
			}
		}
	} else {
		texts = append(texts, string(a))
	}
	raw, _ := json.Marshal(strings.Join(texts, "\n"))
	return map[string]json.RawMessage{patchKey: raw}
}

// patchMarkers start the lines of the patch format (Codex's and Copilot
// CLI's apply_patch) that name a file the patch adds, updates, deletes or
// moves a file to.
var patchMarkers = []string{"*** Add File:", "*** Update File:", "*** Delete File:", "*** Move to:"}

// patchFiles returns every file a patch names, each judged as a write. A
// patch naming none is refused: the hook cannot tell what it writes.
func patchFiles(input map[string]json.RawMessage) ([]string, error) {
	var text string
	if err := json.Unmarshal(input[patchKey], &text); err != nil {
		return nil, errors.New("the patch is not a string")
	}
	var files []string
	for _, line := range strings.Split(text, "\n") {
		// The parser trims lines (a patch inside a here-document, CRLF).
		line = strings.TrimSpace(line)
		for _, m := range patchMarkers {
			if len(line) >= len(m) && strings.EqualFold(line[:len(m)], m) {
				f := strings.TrimSpace(line[len(m):])
				if f == "" {
					return nil, errors.New("a patch line names no file: " + line)
				}
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		return nil, errors.New("the patch names no file the hook can read (*** Add File:, *** Update File:, *** Delete File:, *** Move to:), so the hook cannot tell what it writes")
	}
	return files, nil
}
