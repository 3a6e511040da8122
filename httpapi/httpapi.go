// Package httpapi is newsbrief's one HTTP server: /healthz, /readyz and
// /metrics, plus whatever other packages mount on it (the ingest API, the
// Telegram webhook, Discord interactions) as plain http.Handlers, so this
// package imports no platform adapter.
package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DefaultReadyTimeout bounds all readiness checks of one /readyz request.
const DefaultReadyTimeout = 3 * time.Second

// Options configure a Server.
type Options struct {
	// Addr is the listen address (HTTP_ADDR); "127.0.0.1:0" picks a free port.
	Addr string
	// Logger receives one line per request (method, route, status, duration;
	// never bodies, query strings or raw paths, which may carry secrets).
	// Default: discard.
	Logger *slog.Logger
	// Gatherer is served on /metrics (normally the *prometheus.Registry
	// created in cmd/bot). Nil serves an empty registry.
	Gatherer prometheus.Gatherer
	// Registerer receives the server's own request metrics. Nil: not
	// recorded.
	Registerer prometheus.Registerer
	// ReadyTimeout bounds the checks of one /readyz. Default DefaultReadyTimeout.
	ReadyTimeout time.Duration
}

// Check is a named readiness check: nil when the part it checks is usable.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// Server is the HTTP server. Create it with New, mount handlers and checks,
// then Listen and Serve; Shutdown stops it. Handle and AddCheck may also be
// called while serving.
type Server struct {
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	srv     *http.Server
	ln      net.Listener
	metrics *metrics

	mu       sync.Mutex
	checks   []Check
	patterns map[string]bool

	stopping atomic.Bool
	// served is set once Serve took over the listener (it closes it).
	served atomic.Bool
}

// New returns a Server with /healthz, /readyz and /metrics mounted.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Gatherer == nil {
		opts.Gatherer = prometheus.NewRegistry()
	}
	if opts.ReadyTimeout <= 0 {
		opts.ReadyTimeout = DefaultReadyTimeout
	}
	s := &Server{
		opts:     opts,
		log:      opts.Logger,
		mux:      http.NewServeMux(),
		patterns: map[string]bool{},
	}
	if opts.Registerer != nil {
		s.metrics = newMetrics(opts.Registerer)
	}
	s.srv = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
	}
	s.handle("GET /healthz", http.HandlerFunc(s.healthz), slog.LevelDebug)
	s.handle("GET /readyz", http.HandlerFunc(s.readyz), slog.LevelDebug)
	s.handle("GET /metrics", promhttp.HandlerFor(opts.Gatherer, promhttp.HandlerOpts{
		ErrorLog:          slog.NewLogLogger(opts.Logger.Handler(), slog.LevelWarn),
		ErrorHandling:     promhttp.ContinueOnError,
		Registry:          opts.Registerer,
		EnableOpenMetrics: false,
	}), slog.LevelDebug)
	return s
}

// Handle mounts h at pattern (net/http.ServeMux syntax, e.g.
// "POST /v1/articles" or "/telegram/webhook"). It panics if the pattern is
// already mounted or conflicts with another, as ServeMux does: that is a
// wiring bug. Requests are logged at info level and counted in
// newsbrief_http_requests_total{route=pattern}.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.handle(pattern, h, slog.LevelInfo)
}

func (s *Server) handle(pattern string, h http.Handler, level slog.Level) {
	s.mu.Lock()
	if s.patterns[pattern] {
		s.mu.Unlock()
		panic(fmt.Sprintf("httpapi: pattern %q mounted twice", pattern))
	}
	s.patterns[pattern] = true
	s.mu.Unlock()
	s.mux.Handle(pattern, s.instrument(pattern, level, h))
}

// AddCheck registers a readiness check run by /readyz (e.g. "store" →
// Store.Ping, "telegram" → the adapter's connection state). Checks run
// concurrently; each gets a context bounded by Options.ReadyTimeout.
func (s *Server) AddCheck(name string, fn func(ctx context.Context) error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, Check{Name: name, Fn: fn})
}

// Handler returns the server's handler (for httptest in tests).
func (s *Server) Handler() http.Handler { return s.mux }

// Listen binds Options.Addr. It returns the bind error (address in use,
// permission) synchronously so start-up can fail cleanly.
func (s *Server) Listen() error {
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return fmt.Errorf("httpapi: listen on %s: %w", s.opts.Addr, err)
	}
	s.ln = ln
	return nil
}

// Addr returns the bound address after Listen ("127.0.0.1:43121"), else
// the configured one.
func (s *Server) Addr() string {
	if s.ln != nil {
		return s.ln.Addr().String()
	}
	return s.opts.Addr
}

// Serve serves on the listener bound by Listen until Shutdown. It returns
// nil after Shutdown and the error otherwise.
func (s *Server) Serve() error {
	if s.ln == nil {
		return errors.New("httpapi: Serve before Listen")
	}
	s.served.Store(true)
	if err := s.srv.Serve(s.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("httpapi: serve: %w", err)
	}
	return nil
}

// Shutdown stops accepting connections and waits for active requests until
// ctx ends, then closes what is left. /readyz answers 503 from the moment
// Shutdown is called.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopping.Store(true)
	if s.ln != nil && !s.served.Load() {
		// Listen without Serve (start-up failed in between): release the port.
		_ = s.ln.Close() // nothing was served on it
	}
	if err := s.srv.Shutdown(ctx); err != nil {
		_ = s.srv.Close() // deadline passed: drop the remaining connections
		return fmt.Errorf("httpapi: shutdown: %w", err)
	}
	return nil
}

// healthz answers 200 while the process is up.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz runs every check; 200 "ok" when all pass, else 503 with one
// "name: error" line per failing check.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.stopping.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("shutting down\n"))
		return
	}
	s.mu.Lock()
	checks := append([]Check(nil), s.checks...)
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(r.Context(), s.opts.ReadyTimeout)
	defer cancel()
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() { errs[i] = runCheck(ctx, c) })
	}
	wg.Wait()

	var failed []string
	for i, err := range errs {
		if err != nil {
			msg := oneLine(err.Error())
			// Errors often carry their package's prefix already.
			if !strings.HasPrefix(msg, checks[i].Name+": ") {
				msg = checks[i].Name + ": " + msg
			}
			failed = append(failed, msg)
		}
	}
	if len(failed) > 0 {
		sort.Strings(failed)
		s.log.LogAttrs(r.Context(), slog.LevelWarn, "not ready", slog.String("failing", strings.Join(failed, "; ")))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(strings.Join(failed, "\n") + "\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// runCheck runs one check, turning a panic into an error and a check that
// ignores its context into a timeout.
func runCheck(ctx context.Context, c Check) (err error) {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("check panicked: %v", p)
			}
		}()
		done <- c.Fn(ctx)
	}()
	select {
	case err = <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer: %w", ctx.Err())
	}
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// metrics are the server's request metrics.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newsbrief_http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "newsbrief_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// statusWriter records the status code and size written.
type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach Flush and deadlines.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument logs and counts each request under its route pattern. It logs
// the pattern, not r.URL: paths and query strings can carry secrets (a
// webhook path with a token in it).
func (s *Server) instrument(pattern string, level slog.Level, h http.Handler) http.Handler {
	route := pattern
	if _, p, ok := strings.Cut(pattern, " "); ok {
		route = p
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if sw.code == 0 {
				sw.code = http.StatusOK
			}
			d := time.Since(start)
			if s.metrics != nil {
				s.metrics.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.code)).Inc()
				s.metrics.duration.WithLabelValues(route).Observe(d.Seconds())
			}
			lvl := level
			if sw.code >= 500 && lvl < slog.LevelWarn {
				lvl = slog.LevelWarn
			}
			s.log.LogAttrs(r.Context(), lvl, "http request",
				slog.String("method", r.Method),
				slog.String("route", route),
				slog.Int("status", sw.code),
				slog.Int64("bytes", sw.bytes),
				slog.Duration("duration", d),
				slog.String("remote", r.RemoteAddr),
			)
		}()
		h.ServeHTTP(sw, r)
	})
}
