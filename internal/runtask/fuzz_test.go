package runtask

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FuzzRunTask sends arbitrary request bodies, signed or not, to the run
// task handler: an unsigned or badly signed request is 401 with no
// callback, a malformed one 400 with no callback, and no request at a
// stage the gate checks is ever called back passed (the stand-in serves
// only a blocked plan). "{API}" in the body stands for the stand-in's
// address, so seeds can be whole requests.
func FuzzRunTask(f *testing.F) {
	h := newHCP(f, testKey)
	h.fallback = readFixture(f, "testdata/blocked.json")
	origin, err := ParseOrigin(h.api.URL)
	if err != nil {
		f.Fatal(err)
	}
	g, err := NewPolicyGate("testdata/planguard.hcl")
	if err != nil {
		f.Fatal(err)
	}
	now, _ := time.Parse(time.RFC3339, fixtureNow)
	g.Now = func() time.Time { return now }

	valid := h.request("run-seed", "tok")
	for _, mut := range []func(r map[string]any){
		func(map[string]any) {},
		func(r map[string]any) { r["stage"] = "pre_plan" },
		func(r map[string]any) { r["stage"] = "pre_apply" },
		func(r map[string]any) { r["access_token"] = "test-token" },
		func(r map[string]any) { r["plan_json_api_url"] = "http://127.0.0.1:1/x" },
		func(r map[string]any) { r["payload_version"] = 2 },
		func(r map[string]any) { r["task_result_id"] = "" },
	} {
		b, _ := json.Marshal(valid)
		var m map[string]any
		json.Unmarshal(b, &m)
		mut(m)
		b, _ = json.Marshal(m)
		b = bytes.ReplaceAll(b, []byte(h.api.URL), []byte("{API}"))
		f.Add(b, uint8(0), "")
		f.Add(b, uint8(1), "")
		f.Add(b, uint8(2), "00")
	}
	f.Add([]byte(`{"payload_version":1,"access_token":"x"}`), uint8(0), "")
	f.Add([]byte(`[]`), uint8(0), "")

	f.Fuzz(func(t *testing.T, body []byte, mode uint8, sig string) {
		body = bytes.ReplaceAll(body, []byte("{API}"), []byte(h.api.URL))
		s, err := New(Config{Gate: g, HMACKey: testKey, API: origin, Workers: 2, Queue: 2, FetchTimeout: 5 * time.Second,
			Retry: Retry{Base: time.Millisecond, Max: 2 * time.Millisecond, Budget: 50 * time.Millisecond, AttemptTimeout: time.Second}})
		if err != nil {
			t.Fatal(err)
		}
		signed := false
		req := httptest.NewRequest(http.MethodPost, "/run-task", bytes.NewReader(body))
		switch mode % 3 {
		case 0: // signed
			req.Header.Set(SignatureHeader, Sign(testKey, body))
			signed = true
		case 1: // no signature
		case 2: // whatever the fuzzer says
			req.Header.Set(SignatureHeader, sig)
			signed = VerifySignature(testKey, body, sig) == nil
		}
		before := h.snapshot()
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := s.Drain(ctx); err != nil {
			t.Fatalf("drain: %v", err)
		}
		after := h.snapshot()
		added := after[len(before):]
		decoded, derr := DecodeRequest(body)
		switch {
		case !signed:
			if rec.Code != http.StatusUnauthorized || len(added) != 0 {
				t.Fatalf("unsigned: HTTP %d, %d callback(s)", rec.Code, len(added))
			}
		case derr != nil:
			if rec.Code != http.StatusBadRequest || len(added) != 0 {
				t.Fatalf("malformed (%v): HTTP %d, %d callback(s)", derr, rec.Code, len(added))
			}
		default:
			for _, cb := range added {
				if cb.Status == "passed" && (decoded.Checks() || decoded.Verification()) {
					t.Fatalf("passed for stage %q: %+v", decoded.Stage, cb)
				}
			}
			if decoded.Verification() && len(added) != 0 {
				t.Fatalf("verification request called back")
			}
		}
	})
}

// snapshot lists every delivered callback, in order of delivery.
func (h *hcp) snapshot() []callback {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]callback(nil), h.all...)
}
