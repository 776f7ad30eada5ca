package runtask

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// DefaultMaxPlanBytes bounds the plan JSON the service reads (--max-plan-bytes).
const DefaultMaxPlanBytes = 512 << 20

// maxRedirects bounds the redirects of a plan download (HCP Terraform
// answers the plan URL with one redirect to its archive store).
const maxRedirects = 3

// newHTTPClient is the client for the plan and the callback: every
// time-out set, a redirect policy that never carries the access token off
// the API's origin, and no redirect to plain HTTP from HTTPS.
func newHTTPClient(origin Origin) *http.Client {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   20,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{Transport: t, CheckRedirect: redirectPolicy(origin)}
}

// redirectPolicy follows at most maxRedirects redirects, never from https
// to http, and strips the Authorization header from any request that leaves
// the API's origin (scheme, host and port: stricter than net/http's own
// rule, which keeps it for a subdomain or another port of the same host).
func redirectPolicy(origin Origin) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
			return fmt.Errorf("redirect from https to %s refused", req.URL.Scheme)
		}
		if !origin.Owns(req.URL) {
			req.Header.Del("Authorization")
		}
		return nil
	}
}

// ErrPlanTooLarge is the error of a plan larger than the limit.
var ErrPlanTooLarge = errors.New("the plan JSON is larger than the limit (--max-plan-bytes)")

// openPlan starts the download of the plan JSON: GET planURL with the
// access token (planURL must be on the API's origin), following the
// redirect to the archive without it. The body is cut at limit bytes, with
// ErrPlanTooLarge past it.
func openPlan(ctx context.Context, c *http.Client, origin Origin, planURL, token string, limit int64) (io.ReadCloser, error) {
	u, err := url.Parse(planURL)
	if err != nil {
		return nil, fmt.Errorf("plan_json_api_url: %w", err)
	}
	if !origin.Owns(u) {
		return nil, fmt.Errorf("plan_json_api_url is on %s://%s, not on the API address %s (--tfe-address); the access token is sent only there", u.Scheme, u.Host, origin)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, planURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download the plan JSON: %w", scrubURLError(err))
	}
	if resp.StatusCode != http.StatusOK {
		_ = resp.Body.Close()
		return nil, fmt.Errorf("download the plan JSON: HTTP %d from %s", resp.StatusCode, resp.Request.URL.Host)
	}
	if resp.ContentLength > limit {
		_ = resp.Body.Close()
		return nil, fmt.Errorf("%w: %d bytes announced, the limit is %d", ErrPlanTooLarge, resp.ContentLength, limit)
	}
	return &limitedBody{rc: resp.Body, left: limit, limit: limit}, nil
}

// scrubURLError drops the URL from a *url.Error: an archive URL carries a
// signed query string, which has no place in a callback message or a log.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		host := ""
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
		return fmt.Errorf("%s %s: %w", ue.Op, host, ue.Err)
	}
	return err
}

// limitedBody reads at most limit bytes and fails past them, instead of
// silently stopping (io.LimitReader would make a cut plan look complete).
type limitedBody struct {
	rc          io.ReadCloser
	left, limit int64
}

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells a plan of exactly limit bytes from a longer one.
		var b [1]byte
		n, err := l.rc.Read(b[:])
		if n > 0 {
			return 0, fmt.Errorf("%w (%d bytes)", ErrPlanTooLarge, l.limit)
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		err = fmt.Errorf("read the plan JSON: %w", scrubURLError(err))
	}
	return n, err
}

func (l *limitedBody) Close() error { return l.rc.Close() }
