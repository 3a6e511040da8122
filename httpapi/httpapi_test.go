package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"newsbrief/httpapi"
)

// syncBuffer is a bytes.Buffer safe for a logger and a test reading it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs a Server on a free loopback port and stops it at cleanup.
func start(t *testing.T, setup func(s *httpapi.Server)) (*httpapi.Server, string, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	reg := prometheus.NewRegistry()
	s := httpapi.New(httpapi.Options{
		Addr:         "127.0.0.1:0",
		Logger:       slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Gatherer:     reg,
		Registerer:   reg,
		ReadyTimeout: 300 * time.Millisecond,
	})
	if setup != nil {
		setup(s)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, "http://" + s.Addr(), logs
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestHealthzReadyz(t *testing.T) {
	var mu sync.Mutex
	storeErr := error(nil)
	_, base, _ := start(t, func(s *httpapi.Server) {
		s.AddCheck("store", func(ctx context.Context) error {
			mu.Lock()
			defer mu.Unlock()
			return storeErr
		})
		s.AddCheck("telegram", func(ctx context.Context) error { return nil })
	})

	if code, body := get(t, base+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, base+"/readyz"); code != 200 || body != "ok\n" {
		t.Errorf("/readyz = %d %q", code, body)
	}
	mu.Lock()
	storeErr = errors.New("dial tcp 127.0.0.1:6379:\nconnection refused")
	mu.Unlock()
	if code, body := get(t, base+"/readyz"); code != 503 || body != "store: dial tcp 127.0.0.1:6379: connection refused\n" {
		t.Errorf("/readyz with failing store = %d %q", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("/healthz with failing store = %d, want 200 (process is up)", code)
	}
}

func TestReadyzSlowAndPanickingChecks(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	_, base, _ := start(t, func(s *httpapi.Server) {
		s.AddCheck("discord", func(ctx context.Context) error { <-block; return nil }) // ignores ctx
		s.AddCheck("broken", func(ctx context.Context) error { panic("boom") })
		s.AddCheck("telegram", func(ctx context.Context) error { return errors.New("telegram: getMe failed") })
	})
	code, body := get(t, base+"/readyz")
	want := "broken: check panicked: boom\ndiscord: no answer: context deadline exceeded\ntelegram: getMe failed\n"
	if code != 503 || body != want {
		t.Errorf("/readyz = %d %q, want 503 %q", code, body, want)
	}
}

func TestMetricsAndHandle(t *testing.T) {
	_, base, logs := start(t, func(s *httpapi.Server) {
		s.Handle("POST /v1/articles", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusAccepted)
		}))
		s.Handle("/hook/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "nope", http.StatusUnauthorized)
		}))
	})
	resp, err := http.Post(base+"/v1/articles", "text/plain", strings.NewReader("SECRET BODY"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 202 {
		t.Errorf("POST /v1/articles = %d", resp.StatusCode)
	}
	if code, _ := get(t, base+"/hook/123:TOKENINPATH?secret=QUERYSECRET"); code != 401 {
		t.Errorf("/hook = %d", code)
	}
	if code, _ := get(t, base+"/v1/articles"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /v1/articles = %d, want 405", code)
	}

	code, body := get(t, base+"/metrics")
	if code != 200 {
		t.Fatalf("/metrics = %d", code)
	}
	for _, want := range []string{
		"# TYPE newsbrief_http_requests_total counter",
		`newsbrief_http_requests_total{code="202",method="POST",route="/v1/articles"} 1`,
		`newsbrief_http_requests_total{code="401",method="GET",route="/hook/"} 1`,
		"# TYPE newsbrief_http_request_duration_seconds histogram",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	out := logs.String()
	for _, secret := range []string{"SECRET BODY", "TOKENINPATH", "QUERYSECRET"} {
		if strings.Contains(out, secret) {
			t.Errorf("request log contains %q:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "route=/v1/articles status=202") {
		t.Errorf("request log lacks the ingest request:\n%s", out)
	}
}

func TestHandleTwicePanics(t *testing.T) {
	s := httpapi.New(httpapi.Options{Addr: "127.0.0.1:0"})
	s.Handle("/x", http.NotFoundHandler())
	defer func() {
		if recover() == nil {
			t.Error("second Handle of the same pattern did not panic")
		}
	}()
	s.Handle("/x", http.NotFoundHandler())
}

func TestListenError(t *testing.T) {
	s1, _, _ := start(t, nil)
	s2 := httpapi.New(httpapi.Options{Addr: s1.Addr()})
	err := s2.Listen()
	if err == nil || !strings.Contains(err.Error(), "listen on "+s1.Addr()) {
		t.Errorf("Listen on a used port: err = %v", err)
	}
}

// TestShutdownWaitsForRequests: an in-flight request completes; readyz
// reports 503 while shutting down.
func TestShutdownWaitsForRequests(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	s := httpapi.New(httpapi.Options{Addr: "127.0.0.1:0"})
	s.Handle("/slow", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		_, _ = w.Write([]byte("done"))
	}))
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve() }()
	base := "http://" + s.Addr()

	got := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- string(b)
	}()
	<-entered
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		shut <- s.Shutdown(ctx)
	}()
	// readyz through the handler directly: the listener is closed already.
	code := 0
	for i := 0; i < 200 && code != 503; i++ {
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
		code = rec.Code
		if code != 503 {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if code != 503 {
		t.Errorf("/readyz during shutdown = %d, want 503", code)
	}
	close(release)
	if body := <-got; body != "done" {
		t.Errorf("in-flight request got %q, want done", body)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

func TestShutdownWithoutServeReleasesPort(t *testing.T) {
	s := httpapi.New(httpapi.Options{Addr: "127.0.0.1:0"})
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	addr := s.Addr()
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	s2 := httpapi.New(httpapi.Options{Addr: addr})
	if err := s2.Listen(); err != nil {
		t.Fatalf("port not released: %v", err)
	}
	_ = s2.Shutdown(context.Background())
}
