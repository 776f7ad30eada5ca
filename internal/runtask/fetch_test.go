package runtask

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestRedirectPolicy(t *testing.T) {
	origin, _ := ParseOrigin("https://app.terraform.io")
	policy := redirectPolicy(origin)
	first, _ := http.NewRequest(http.MethodGet, "https://app.terraform.io/api/v2/plans/plan-1/json-output", nil)
	next := func(u string) *http.Request {
		r, _ := http.NewRequest(http.MethodGet, u, nil)
		r.Header.Set("Authorization", "Bearer tok")
		return r
	}
	r := next("https://archivist.terraform.io/v1/object/x")
	if err := policy(r, []*http.Request{first}); err != nil || r.Header.Get("Authorization") != "" {
		t.Errorf("another host: %v, Authorization %q", err, r.Header.Get("Authorization"))
	}
	r = next("https://app.terraform.io:8443/x")
	if err := policy(r, []*http.Request{first}); err != nil || r.Header.Get("Authorization") != "" {
		t.Errorf("another port: %v, Authorization %q", err, r.Header.Get("Authorization"))
	}
	r = next("https://app.terraform.io/x")
	if err := policy(r, []*http.Request{first}); err != nil || r.Header.Get("Authorization") == "" {
		t.Errorf("same origin: %v, Authorization dropped", err)
	}
	if err := policy(next("http://archivist.terraform.io/x"), []*http.Request{first}); err == nil {
		t.Error("https to http followed")
	}
	if err := policy(next("https://app.terraform.io/x"), []*http.Request{first, first, first, first}); err == nil {
		t.Error("a fifth redirect followed")
	}
}

type nopCloser struct{ io.Reader }

func (nopCloser) Close() error { return nil }

func TestLimitedBody(t *testing.T) {
	read := func(body string, limit int64) (string, error) {
		b, err := io.ReadAll(&limitedBody{rc: nopCloser{strings.NewReader(body)}, left: limit, limit: limit})
		return string(b), err
	}
	if got, err := read("0123456789", 10); err != nil || got != "0123456789" {
		t.Errorf("exactly the limit: %q %v", got, err)
	}
	if _, err := read("0123456789x", 10); !errors.Is(err, ErrPlanTooLarge) {
		t.Errorf("one byte over: %v", err)
	}
}
