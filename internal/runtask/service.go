package runtask

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"os"
	"time"
)

// ServiceOptions are the HTTP side of the service.
type ServiceOptions struct {
	// Listen is the address to listen on (host:port).
	Listen string
	// TLSCert and TLSKey, both or neither: serve HTTPS; else plain HTTP
	// (behind a proxy that terminates TLS).
	TLSCert, TLSKey string
	// ShutdownTimeout bounds the drain on SIGTERM: in-flight requests and
	// queued tasks get this long to finish before checks are cancelled
	// (each cancelled task still calls back "failed").
	ShutdownTimeout time.Duration
	// Reload is called on each signal from Hup (SIGHUP).
	Reload func()
}

// Serve runs the HTTP server for s until ctx ends (SIGTERM), then stops
// accepting, lets in-flight requests finish and drains queued and running
// tasks. Every server time-out is set.
func Serve(ctx context.Context, s *Server, o ServiceOptions, hup <-chan os.Signal) error {
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          s.log.StandardLogger(nil),
	}
	scheme := "http"
	if o.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(o.TLSCert, o.TLSKey)
		if err != nil {
			_ = ln.Close()
			return err
		}
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		scheme = "https"
	}
	errc := make(chan error, 1)
	go func() {
		if scheme == "https" {
			errc <- srv.ServeTLS(ln, "", "") // the certificate is in TLSConfig; HTTP/2 offered
			return
		}
		errc <- srv.Serve(ln)
	}()
	s.log.Info("listening", "addr", ln.Addr().String(), "scheme", scheme, "api", s.cfg.API.String(), "workers", s.cfg.Workers, "queue", s.cfg.Queue)
	for {
		select {
		case <-hup:
			if o.Reload != nil {
				o.Reload()
			}
			continue
		case err := <-errc:
			if !errors.Is(err, http.ErrServerClosed) {
				_ = s.Drain(context.Background())
				return err
			}
		case <-ctx.Done():
		}
		break
	}
	s.log.Info("shutting down: draining requests and tasks", "timeout", o.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), o.ShutdownTimeout)
	defer cancel()
	herr := srv.Shutdown(sctx)
	derr := s.Drain(sctx)
	if derr != nil {
		s.log.Warn("drain timed out: running checks were cancelled and called back as failed", "error", derr)
	}
	s.log.Info("stopped")
	return errors.Join(herr, derr)
}
