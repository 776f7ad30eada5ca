package runtask

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	tfe "github.com/hashicorp/go-tfe"
	"github.com/hashicorp/jsonapi"
)

// contentTypeJSONAPI is the media type of the callback body.
const contentTypeJSONAPI = "application/vnd.api+json"

// Retry shapes the callback's retries: on a network error, a time-out, 429
// or a 5xx answer, wait Base, then twice as long each time up to Max (with
// jitter), until Budget has passed since the first attempt.
type Retry struct {
	Base, Max, Budget time.Duration
	// AttemptTimeout bounds one PATCH.
	AttemptTimeout time.Duration
}

// DefaultRetry suits HCP Terraform, which waits for a callback for up to
// ten minutes after the request.
var DefaultRetry = Retry{Base: 500 * time.Millisecond, Max: 30 * time.Second, Budget: 5 * time.Minute, AttemptTimeout: 30 * time.Second}

// EncodeCallback is the callback body: go-tfe's own JSON:API serialisation
// of tfe.TaskResultCallbackRequestOptions (what its RunTasksIntegration
// client sends; the test checks the bytes are the same).
func EncodeCallback(opts *tfe.TaskResultCallbackRequestOptions) ([]byte, error) {
	var b bytes.Buffer
	if err := jsonapi.MarshalPayloadWithoutIncluded(&b, opts); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// permanentError is a callback failure that retrying will not fix.
type permanentError struct{ error }

// sendCallback PATCHes the task result, retrying as r says. It returns the
// number of attempts made. The callback URL must be on the API's origin:
// the access token goes nowhere else; redirects are not followed.
func sendCallback(ctx context.Context, c *http.Client, origin Origin, r Retry, callbackURL, token string, opts *tfe.TaskResultCallbackRequestOptions, onRetry func(attempt int, err error)) (int, error) {
	u, err := url.Parse(callbackURL)
	if err != nil || !origin.Owns(u) {
		return 0, fmt.Errorf("task_result_callback_url is not on the API address %s (--tfe-address); the access token is sent only there", origin)
	}
	body, err := EncodeCallback(opts)
	if err != nil {
		return 0, fmt.Errorf("encode the callback: %w", err)
	}
	// The callback never follows a redirect: a 3xx is an error.
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	start := time.Now()
	wait := r.Base
	for attempt := 1; ; attempt++ {
		err := patchOnce(ctx, &nc, r.AttemptTimeout, callbackURL, token, body)
		if err == nil {
			return attempt, nil
		}
		var perm permanentError
		if errors.As(err, &perm) || ctx.Err() != nil || time.Since(start)+wait > r.Budget {
			return attempt, err
		}
		if onRetry != nil {
			onRetry(attempt, err)
		}
		d := wait/2 + rand.N(wait/2+1) // jitter: between half and all of wait
		select {
		case <-ctx.Done():
			return attempt, fmt.Errorf("%w (after: %w)", ctx.Err(), err)
		case <-time.After(d):
		}
		wait = min(wait*2, r.Max)
	}
}

func patchOnce(ctx context.Context, c *http.Client, timeout time.Duration, callbackURL, token string, body []byte) error {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPatch, callbackURL, bytes.NewReader(body))
	if err != nil {
		return permanentError{err}
	}
	req.Header.Set("Content-Type", contentTypeJSONAPI)
	req.Header.Set("Accept", contentTypeJSONAPI)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("callback: %w", scrubURLError(err))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	_ = resp.Body.Close()
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return fmt.Errorf("callback: HTTP %d", resp.StatusCode)
	default:
		return permanentError{fmt.Errorf("callback: HTTP %d", resp.StatusCode)}
	}
}
