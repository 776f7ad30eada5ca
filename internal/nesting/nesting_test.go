package nesting

import (
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// deep is how deeply the refused inputs nest: far past Max, and past what
// hclsyntax survives (it overflows the stack on 100000 brackets).
const deep = 100000

func rep(s string, n int) string { return strings.Repeat(s, n) }

// ordinaryHCL is a configuration with everything an ordinary one has.
const ordinaryHCL = `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" } # ]]]] ))) in a comment
  }
}
locals {
  a = [for x in var.xs : upper(x) if x != "" && length(x) > 2]
  b = var.n > 3 ? -1 : (var.m * 2 + 1) % 4
  c = "${var.a}-%{ if var.b }yes%{ else }no%{ endif }"
  d = <<-EOT
    ${jsonencode({ k = [1, 2, 3] })}
  EOT
  e = local.m["k"][0].x[*].y
}
`

func TestHCLAccepts(t *testing.T) {
	// Many levels one after another never add up, and what closes inside
	// strings and comments is read as text.
	big := rep(ordinaryHCL, 2000)
	for name, src := range map[string]string{
		"ordinary":          ordinaryHCL,
		"long file":         big,
		"max brackets":      "a = " + rep("[", Max-1) + rep("]", Max-1) + "\n",
		"long list":         "a = [" + rep("-1 + 2 * 3, ", 5000) + "]\n",
		"many attributes":   rep("a = !b && c || d ? -e : f\n", 5000),
		"closers in string": "a = \"" + rep("]})", 5000) + "\"\n",
	} {
		if err := HCL([]byte(src)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestHCLRefuses(t *testing.T) {
	for name, src := range map[string]string{
		"brackets":   "a = " + rep("[", deep) + rep("]", deep) + "\n",
		"braces":     "a = " + rep("{a=", deep) + "1" + rep("}", deep) + "\n",
		"parens":     "a = " + rep("(", deep) + "1" + rep(")", deep) + "\n",
		"blocks":     rep("b {\n", deep) + rep("}\n", deep),
		"calls":      "a = " + rep("f(", deep) + rep(")", deep) + "\n",
		"just past":  "a = " + rep("[", Max+1) + rep("]", Max+1) + "\n",
		"not":        "a = " + rep("!", deep) + "true\n",
		"negation":   "a = " + rep("-", deep) + "1\n",
		"ternary":    "a = " + rep("a ? a : ", deep) + "a\n",
		"sum":        "a = 1" + rep("+1", deep) + "\n",
		"index":      "a = a" + rep("[b]", deep) + "\n",
		"quotes":     "a = " + rep(`"${`, deep) + "\n",
		"directives": "a = \"" + rep("%{if a}", deep) + "\"\n",
		"heredocs":   "a = " + rep("<<EOT\n${", deep) + "\n",
		// A byte count of brackets that subtracts the closers inside the
		// strings would see depth 1 here.
		"closers in strings": "a = " + rep(`["]", `, deep) + "\n",
	} {
		err := HCL([]byte(src))
		var ne *Error
		if !errors.As(err, &ne) || !errors.Is(err, ErrTooDeep) {
			t.Errorf("%s: %v, want a nesting error", name, err)
			continue
		}
		if !strings.Contains(err.Error(), "512 levels deep") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestHCLBoundIsSafe: what HCL accepts at the bound, hclsyntax parses and
// evaluates without trouble.
func TestHCLBoundIsSafe(t *testing.T) {
	for _, src := range []string{
		"a = " + rep("[", Max-1) + rep("]", Max-1) + "\n",
		"a = " + rep("!", Max-1) + "true\n",
		"a = " + rep(`"${`, Max/2-1) + "1" + rep(`}"`, Max/2-1) + "\n",
	} {
		if err := HCL([]byte(src)); err != nil {
			t.Fatalf("%.20q: %v", src, err)
		}
		f, diags := hclsyntax.ParseConfig([]byte(src), "x.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%.20q: %v", src, diags)
		}
		attrs, _ := f.Body.JustAttributes()
		_, _ = attrs["a"].Expr.Value(nil)
	}
}

func TestJSON(t *testing.T) {
	for name, c := range map[string]struct {
		src string
		ok  bool
	}{
		"ordinary":          {`{"a": [1, {"b": "]]]}}}"}], "c\"[[[": {}}`, true},
		"max":               {rep("[", Max) + rep("]", Max), true},
		"brackets":          {rep("[", deep) + rep("]", deep), false},
		"objects":           {rep(`{"a":`, deep) + "1" + rep("}", deep), false},
		"closers in string": {rep(`["]",`, deep), false},
		"escaped quote":     {rep(`["\"]",`, deep), false},
	} {
		if err := JSON([]byte(c.src)); (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok %v", name, err, c.ok)
		}
	}
}

func TestHCLJSON(t *testing.T) {
	ok := `{"resource": {"terraform_data": {"x": {"input": "${var.a}-%{ if var.b }y%{ endif }"}}}}`
	if err := HCLJSON([]byte(ok)); err != nil {
		t.Fatal(err)
	}
	for name, src := range map[string]string{
		"structure":         `{"a":` + rep("[", deep) + rep("]", deep) + "}",
		"template in value": `{"locals": {"a": "` + rep(`${\"`, deep) + `"}}`,
		"template in key":   `{"locals": {"` + rep(`${(`, deep) + `": 1}}`,
	} {
		if err := HCLJSON([]byte(src)); !errors.Is(err, ErrTooDeep) {
			t.Errorf("%s: %v, want a nesting error", name, err)
		}
	}
	if err := HCLJSON([]byte(`{"a" 1}`)); err == nil || errors.Is(err, ErrTooDeep) {
		t.Errorf("not JSON: %v", err)
	}
	// What it accepts, hcl/json parses.
	if _, diags := hcljson.Parse([]byte(`{"a":`+rep("[", Max-1)+rep("]", Max-1)+"}"), "x.tf.json"); diags.HasErrors() {
		t.Fatal(diags)
	}
}

func TestShell(t *testing.T) {
	heredoc := "cat > x.py <<'EOF'\n" + rep("print(\"a)\")  # don't\n", 3000) + "EOF\n"
	for name, c := range map[string]struct {
		cmd string
		ok  bool
	}{
		"ordinary":          {`terraform plan -out=tfplan && echo "$(date) (done)" | tee -a log; f() { ls; }; f`, true},
		"max":               {rep("(", Max) + "ls" + rep(")", Max), true},
		"many groups":       {rep("(echo \"a)\") ; ", 5000), true},
		"heredoc":           {heredoc, true},
		"parens":            {rep("(", deep) + "ls" + rep(")", deep), false},
		"just past":         {rep("(", Max+1) + "ls" + rep(")", Max+1), false},
		"substitutions":     {rep("$(", deep) + rep(")", deep), false},
		"in double quotes":  {"echo " + rep(`"$(`, deep), false},
		"parameters":        {"echo " + rep(`${a:-`, deep), false},
		"groups":            {rep("{ ", deep) + "ls;" + rep(" }", deep), false},
		"arithmetic":        {"echo $((" + rep("(", deep) + "1" + rep(")", deep) + "))", false},
		"closers in quotes": {rep(`$(echo ")" `, deep), false},
		"case patterns":     {rep(`$(case x in a) `, deep), false},
		"comment closers":   {rep("$( # )\n", deep), false},
		"ansi-c quote":      {rep(`$(echo $'\')' `, deep), false},
	} {
		err := Shell(c.cmd)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok %v", name, err, c.ok)
		}
		if err != nil && !errors.Is(err, ErrTooDeep) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestShellCoarseNotBelowDepth: the coarse count is never below the rough
// reading's, on the inputs above and on mixed ones.
func TestShellCoarseNotBelowDepth(t *testing.T) {
	for _, cmd := range []string{
		`echo "$(echo ")")"`, `a=$(case x in a) echo;; esac)`, `echo $'\'' ( ) '`,
		"cat <<EOF\n$(\nEOF\n)", "# (((\n)))", "`echo \\`(\\``",
	} {
		c, _ := shellCoarse(cmd)
		d, _ := shellDepth(cmd)
		if c < d {
			t.Errorf("%q: coarse %d < rough %d", cmd, c, d)
		}
	}
}
