package policy

import (
	"reflect"
	"testing"
)

// addressGlobTests is the table of templates/guides/policy.md (rendered to docs/guides/policy.md) and more: keep the
// rows the guide shows here, so the guide stays true.
var addressGlobTests = []struct {
	pattern, address string
	want             bool
}{
	// A plain resource address: root module only, any instance key.
	{`aws_db_instance.main`, `aws_db_instance.main`, true},
	{`aws_db_instance.main`, `aws_db_instance.main[0]`, true},
	{`aws_db_instance.main`, `aws_db_instance.main["a"]`, true},
	{`aws_db_instance.main`, `aws_db_instance.main2`, false},
	{`aws_db_instance.main`, `aws_db_instance.mai`, false},
	{`aws_db_instance.main`, `module.x.aws_db_instance.main`, false},
	{`aws_db_instance.main`, `aws_rds_cluster.main`, false},
	{`aws_db_instance.main`, `AWS_DB_INSTANCE.main`, false},
	// '*' and '?' within one name.
	{`aws_db_instance.*`, `aws_db_instance.legacy`, true},
	{`aws_db_instance.*`, `aws_db_instance.legacy[3]`, true},
	{`aws_db_*.*`, `aws_db_instance.x`, true},
	{`aws_db_*.*`, `aws_dynamodb_table.x`, false},
	{`*.*`, `terraform_data.x`, true},
	{`*_data.prod_?`, `terraform_data.prod_1`, true},
	{`*_data.prod_?`, `terraform_data.prod_12`, false},
	{`*_data.prod_?`, `terraform_data.prod_`, false},
	{`aws_s3_bucket.*logs*`, `aws_s3_bucket.access_logs_eu`, true},
	// An index selects instances: exact number, string glob, or [*].
	{`aws_db_instance.main[0]`, `aws_db_instance.main[0]`, true},
	{`aws_db_instance.main[0]`, `aws_db_instance.main[1]`, false},
	{`aws_db_instance.main[0]`, `aws_db_instance.main`, false},
	{`aws_db_instance.main[0]`, `aws_db_instance.main["0"]`, false},
	{`aws_db_instance.main["0"]`, `aws_db_instance.main[0]`, false},
	{`aws_db_instance.main["prod-*"]`, `aws_db_instance.main["prod-eu"]`, true},
	{`aws_db_instance.main["prod-*"]`, `aws_db_instance.main["prod-eu.1"]`, true},
	{`aws_db_instance.main["prod-*"]`, `aws_db_instance.main["staging-eu"]`, false},
	{`aws_db_instance.main["prod-*"]`, `aws_db_instance.main`, false},
	{`aws_db_instance.main["prod-*"]`, `aws_db_instance.main[1]`, false},
	{`aws_db_instance.main[*]`, `aws_db_instance.main[7]`, true},
	{`aws_db_instance.main[*]`, `aws_db_instance.main["x"]`, true},
	{`aws_db_instance.main[*]`, `aws_db_instance.main`, false},
	{`aws_db_instance.main["*"]`, `aws_db_instance.main[7]`, false},
	{`aws_db_instance.main["?"]`, `aws_db_instance.main["é"]`, true},
	{`aws_db_instance.main["?"]`, `aws_db_instance.main["ab"]`, false},
	// Keys hold anything: dots, brackets, escaped quotes, module-like text.
	{`x.y["a.b"]`, `x.y["a.b"]`, true},
	{`x.y["a.b"]`, `x.y["a"]`, false},
	{`x.y["a]b[c"]`, `x.y["a]b[c"]`, true},
	{`x.y["say \"hi\""]`, `x.y["say \"hi\""]`, true},
	{`x.y["*\"*"]`, `x.y["a\"b"]`, true},
	{`x.y["*\"*"]`, `x.y["ab"]`, false},
	{`x.y["back\\slash"]`, `x.y["back\\slash"]`, true},
	{`x.y["line\nbreak"]`, "x.y[\"line\\nbreak\"]", true},
	{`x.y["$${a}"]`, `x.y["$${a}"]`, true},
	{`x.y["*.aws_db_instance.*"]`, `x.y["module.a.aws_db_instance.b"]`, true},
	{`*.*`, `module.a["x.y"].aws_db_instance.z`, false},
	// Module steps: module.NAME is one step; without an index it matches
	// every instance of the call.
	{`module.data.*`, `module.data.aws_db_instance.x`, true},
	{`module.data.*`, `module.data.terraform_data.y["k"]`, true},
	{`module.data.*`, `module.data[0].aws_db_instance.x`, true},
	{`module.data.*`, `module.data["eu.west"].aws_db_instance.x`, true},
	{`module.data.*`, `module.data.module.inner.aws_db_instance.x`, false},
	{`module.data.*`, `aws_db_instance.x`, false},
	{`module.data.*`, `module.database.aws_db_instance.x`, false},
	{`module.data[1].*`, `module.data[1].aws_db_instance.x`, true},
	{`module.data[1].*`, `module.data[0].aws_db_instance.x`, false},
	{`module.data[1].*`, `module.data.aws_db_instance.x`, false},
	{`module.data["eu.*"].*`, `module.data["eu.west"].aws_db_instance.x`, true},
	{`module.data*.*`, `module.database.aws_db_instance.x`, true},
	{`module.*.aws_db_instance.*`, `module.a.aws_db_instance.x`, true},
	{`module.*.aws_db_instance.*`, `aws_db_instance.x`, false},
	{`module.*.aws_db_instance.*`, `module.a.module.b.aws_db_instance.x`, false},
	{`module.*.*`, `module.a.aws_db_instance.x`, true},
	{`module.a.module.b.x.y`, `module.a[0].module.b["k"].x.y[2]`, true},
	{`module.a.module.b.x.y`, `module.b.module.a.x.y`, false},
	// "**" is any number of module steps, including none.
	{`**.aws_db_instance.main`, `aws_db_instance.main`, true},
	{`**.aws_db_instance.main`, `module.a.aws_db_instance.main`, true},
	{`**.aws_db_instance.main`, `module.a[0].module.b["x"].aws_db_instance.main[1]`, true},
	{`**.aws_db_instance.main`, `module.a.aws_db_instance.other`, false},
	{`**.*`, `module.a.module.b.x.y`, true},
	{`**`, `x.y`, true},
	{`**`, `module.a.module.b.x.y["z"]`, true},
	{`module.data.**`, `module.data.aws_db_instance.x`, true},
	{`module.data.**`, `module.data[2].module.inner.module.deeper.aws_db_instance.x`, true},
	{`module.data.**`, `module.other.aws_db_instance.x`, false},
	{`module.data.**`, `aws_db_instance.x`, false},
	{`**.module.data.*`, `module.data.x.y`, true},
	{`**.module.data.*`, `module.a.module.b.module.data.x.y`, true},
	{`**.module.data.*`, `module.data.module.a.x.y`, false},
	{`**.module.data.**`, `module.a.module.data.module.b.x.y`, true},
	{`**.module.data.**`, `module.a.module.b.x.y`, false},
	{`module.a.**.module.b.*`, `module.a.module.b.x.y`, true},
	{`module.a.**.module.b.*`, `module.a.module.z.module.q.module.b.x.y`, true},
	{`module.a.**.module.b.*`, `module.a.module.b.module.c.x.y`, false},
	{`module.**.x.y`, `module.a.x.y`, false}, // not a pattern; see TestAddressGlobInvalid
	// The resource step "*" stands for TYPE.NAME with any key.
	{`*`, `terraform_data.x`, true},
	{`*`, `terraform_data.x[0]`, true},
	{`*`, `module.a.terraform_data.x`, false},
	// Names may hold '-' and Unicode letters; matching is byte for byte.
	{`aws_db_instance.prod-*`, `aws_db_instance.prod-db`, true},
	{`aws_db_instance.dаta`, `aws_db_instance.data`, false}, // Cyrillic а
}

func TestAddressGlob(t *testing.T) {
	for _, tt := range addressGlobTests {
		pat, err := compileAddrPattern(tt.pattern)
		if tt.pattern == `module.**.x.y` {
			if err == nil {
				t.Errorf("compile %q: want an error", tt.pattern)
			}
			continue
		}
		if err != nil {
			t.Errorf("compile %q: %v", tt.pattern, err)
			continue
		}
		addr, err := parseAddress(tt.address)
		if err != nil {
			t.Errorf("parse %q: %v", tt.address, err)
			continue
		}
		if got := pat.match(&addr); got != tt.want {
			t.Errorf("%s matches %s = %v, want %v", tt.pattern, tt.address, got, tt.want)
		}
	}
}

// TestAddressGlobThroughPolicy runs the same table through Parse and Match,
// the way users reach it.
func TestAddressGlobThroughPolicy(t *testing.T) {
	for _, tt := range addressGlobTests {
		if tt.pattern == `module.**.x.y` {
			continue
		}
		src := head + "protect \"r\" {\n  addresses = [" + quoteHCL(tt.pattern) + "]\n}\n"
		p := mustParse(t, src)
		a, _ := parseAddress(tt.address)
		if got := len(p.Match(tt.address, a.typ, "delete")) == 1; got != tt.want {
			t.Errorf("policy %s: Match(%s) = %v, want %v", tt.pattern, tt.address, got, tt.want)
		}
	}
}

// quoteHCL quotes s as an HCL string (escaping only what the table needs).
func quoteHCL(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\\':
			out = append(out, '\\', s[i])
		case '$', '%':
			out = append(out, s[i])
			if i+1 < len(s) && s[i+1] == '{' {
				out = append(out, s[i])
			}
		default:
			out = append(out, s[i])
		}
	}
	return string(append(out, '"'))
}

func TestAddressGlobInvalid(t *testing.T) {
	for _, s := range []string{
		``, `.`, `x`, `x.`, `.x.y`, `x..y`, `x.y.z`, `module`, `module.a`, `module.*`, `module.a.module.b`,
		`module.**.x.y`, `module.a**.x.y`, `**x.y.z`, `x.y**`, `**[0].x.y`, `module[0].a.x.y`,
		`x[0].y`, `x.y[0][1]`, `x.y[`, `x.y[0`, `x.y]`, `x.y["a]`, `x.y[a]`, `x.y[]`, `x.y[01]`, `x.y[-1]`,
		`x.y[1.5]`, `x.y[0]z`, `x.y[0].`, `x.y["${a}"]`, `x.y["a"b"]`, `x.y[[0]]`, `[0]`,
		`data.x.y`, `data.*`, `ephemeral.x.y`, `x/y.z`, `x.y z`, `1x.y`, `-x.y`, `x.y"`, `*[0]`,
		`x.y[99999999999999999999999]`,
	} {
		if _, err := compileAddrPattern(s); err == nil {
			t.Errorf("compileAddrPattern(%q) succeeded, want an error", s)
		}
	}
}

func TestParseAddress(t *testing.T) {
	tests := []struct {
		in   string
		want address
	}{
		{`aws_db_instance.main`, address{typ: "aws_db_instance", name: "main"}},
		{`aws_db_instance.main[0]`, address{typ: "aws_db_instance", name: "main", key: instanceKey{kind: keyInt}}},
		{`x.y[1e2]`, address{typ: "x", name: "y", key: instanceKey{kind: keyInt, n: 100}}},
		{`module.a["x"].module.b[0].aws_db_instance.main["k.1"]`, address{
			modules: []moduleStep{{"a", instanceKey{kind: keyString, s: "x"}}, {"b", instanceKey{kind: keyInt}}},
			typ:     "aws_db_instance", name: "main", key: instanceKey{kind: keyString, s: "k.1"},
		}},
		{`x.y["a\"].b[\\"]`, address{typ: "x", name: "y", key: instanceKey{kind: keyString, s: `a"].b[\`}}},
		{`x.y["\u00e9\t"]`, address{typ: "x", name: "y", key: instanceKey{kind: keyString, s: "é\t"}}},
		{`x.y["$${a}%%{b}"]`, address{typ: "x", name: "y", key: instanceKey{kind: keyString, s: "${a}%{b}"}}},
		{`data.aws_ami.x`, address{mode: modeData, typ: "aws_ami", name: "x"}},
		{`module.m.data.aws_ami.x[0]`, address{modules: []moduleStep{{name: "m"}}, mode: modeData, typ: "aws_ami", name: "x", key: instanceKey{kind: keyInt}}},
		{`ephemeral.random_password.x`, address{mode: modeEphemeral, typ: "random_password", name: "x"}},
		{`module.module.x.y`, address{modules: []moduleStep{{name: "module"}}, typ: "x", name: "y"}},
	}
	for _, tt := range tests {
		got, err := parseAddress(tt.in)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseAddress(%s) = %+v, %v; want %+v", tt.in, got, err, tt.want)
		}
	}
	for _, s := range []string{
		``, `x`, `x.y.z`, `module.a`, `module`, `module[0].a.x.y`, `x[0].y`, `x.y[0][1]`, `x.y[1.5]`, `x.y[*]`,
		`x.y["${a}"]`, `x.y[a]`, `x.*`, `data.x`, `x.y ]`, `"x".y`, `x.y[99999999999999999999999]`, `module.a.x`,
	} {
		if a, err := parseAddress(s); err == nil {
			t.Errorf("parseAddress(%q) = %+v, want an error", s, a)
		}
	}
}

func TestGlob(t *testing.T) {
	tests := []struct {
		glob, s string
		want    bool
	}{
		{"", "", true},
		{"", "a", false},
		{"abc", "abc", true},
		{"abc", "abd", false},
		{"*", "", true},
		{"**", "anything", true},
		{"a*", "a", true},
		{"a*", "abc", true},
		{"a*", "ba", false},
		{"*c", "abc", true},
		{"*c", "abd", false},
		{"a*c", "ac", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbbd", false},
		{"a*b*c", "a-b-b-c", true},
		{"a*b*c", "a-c-b", false},
		{"?", "é", true},
		{"?", "ab", false},
		{"?", "", false},
		{"a?c", "abc", true},
		{"a?c", "a日c", true},
		{"*?", "", false},
		{"*?", "x", true},
		{"*日*", "a日b", true},
		{"*a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", false},
		{"*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
		{"ß", "SS", false},
		{"ab*ba", "aba", false},
		{"ab*ba", "abba", true},
		{"ab?ba", "ab日ba", true},
		{"a*?", "a", false},
		{"a*?", "ab", true},
		{"?*x", "日x", true},
		{"*-?-*", "a-b-c", true},
		{"*-?-*", "a--c", false},
	}
	for _, tt := range tests {
		if got := compileGlob(tt.glob).match(tt.s); got != tt.want {
			t.Errorf("glob %q matches %q = %v, want %v", tt.glob, tt.s, got, tt.want)
		}
	}
}
