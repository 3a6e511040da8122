package ingest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbrief/ingest"
	"newsbrief/store"
)

// hookCall is one OnArticle call as the hook saw it.
type hookCall struct {
	id      string
	created bool
	// ctxErr is the hook context's error after the caller's context ended.
	ctxErr      error
	hasDeadline bool
}

var hookInput = ingest.Input{
	Title: "Reyes meets Varga",
	URL:   "https://news.example/world/reyes-varga-hook",
	Body:  strings.Repeat("Foreign Minister Anna Reyes met Tomas Varga in Larnholm on Tuesday. ", 10),
}

// TestHookOutlivesCaller: the caller's context ends while OnArticle runs
// (a client hanging up, a poll stopped by shutdown); the hook's context
// does not end with it, so what follows the stored article still happens.
func TestHookOutlivesCaller(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	calls := make(chan hookCall, 4)
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st, HookTimeout: time.Minute,
		OnArticle: func(hctx context.Context, a store.Article, created bool) error {
			cancel() // the caller goes away in the middle of the hand-over
			<-ctx.Done()
			_, ok := hctx.Deadline()
			calls <- hookCall{id: a.ID, created: created, ctxErr: hctx.Err(), hasDeadline: ok}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	a, created, err := ing.Ingest(ctx, hookInput)
	if err != nil || !created || a.ID == "" {
		t.Fatalf("Ingest = %q, %v, %v; want a new article", a.ID, created, err)
	}
	c := <-calls
	if c.id != a.ID || !c.created {
		t.Errorf("OnArticle got %q created=%v, want %q created=true", c.id, c.created, a.ID)
	}
	if c.ctxErr != nil {
		t.Errorf("hook context ended with the caller's: %v", c.ctxErr)
	}
	if !c.hasDeadline {
		t.Error("hook context has no deadline (HookTimeout)")
	}
}

// TestHookTimeout: the hook's context ends after HookTimeout.
func TestHookTimeout(t *testing.T) {
	st := openStore(t)
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st, HookTimeout: 20 * time.Millisecond,
		OnArticle: func(hctx context.Context, _ store.Article, _ bool) error {
			<-hctx.Done()
			return hctx.Err()
		}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, _, err = ing.Ingest(context.Background(), hookInput)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Ingest with a hook that outlives HookTimeout: err = %v, want DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Ingest took %s with a 20ms HookTimeout", took)
	}
}

// TestHookDuplicatesAndErrors: a duplicate is handed on again with
// created=false (so a retry resumes a hand-over a crash cut short), and a
// failed hand-over fails Ingest while the article stays stored.
func TestHookDuplicatesAndErrors(t *testing.T) { forEachStore(t, testHookDuplicatesAndErrors) }

func testHookDuplicatesAndErrors(t *testing.T, st store.Store) {
	var (
		mu    sync.Mutex
		calls []hookCall
		fail  = true
	)
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st,
		OnArticle: func(_ context.Context, a store.Article, created bool) error {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, hookCall{id: a.ID, created: created})
			if fail {
				fail = false
				return errors.New("outbox unreachable")
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, _, err := ing.Ingest(ctx, hookInput); err == nil || !strings.Contains(err.Error(), "outbox unreachable") {
		t.Fatalf("Ingest with a failing hook: err = %v, want the hook's error", err)
	}
	// The retry finds the stored article and hands it on again.
	a, created, err := ing.Ingest(ctx, hookInput)
	if err != nil || created {
		t.Fatalf("retry: Ingest = %q, created=%v, %v; want the stored duplicate", a.ID, created, err)
	}
	if _, err := st.GetArticle(ctx, a.ID); err != nil {
		t.Errorf("the article of the failed hand-over is not stored: %v", err)
	}
	// A third copy from another replica's point of view: a fresh Ingester
	// (no in-process memory) finds it through the store.
	ing2, err := ingest.NewIngester(ingest.IngesterConfig{Store: st,
		OnArticle: func(_ context.Context, a store.Article, created bool) error {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, hookCall{id: a.ID, created: created})
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if b, created, err := ing2.Ingest(ctx, hookInput); err != nil || created || b.ID != a.ID {
		t.Fatalf("other ingester: Ingest = %q, created=%v, %v; want duplicate %q", b.ID, created, err, a.ID)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []hookCall{{id: a.ID, created: true}, {id: a.ID, created: false}, {id: a.ID, created: false}}
	if len(calls) != len(want) {
		t.Fatalf("OnArticle calls = %+v, want %+v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("OnArticle call %d = %+v, want %+v", i, calls[i], want[i])
		}
	}
}

// TestAPIClientHangsUp: a client of POST /v1/articles gives up while the
// article is being handed on; the hand-over still completes, and the
// client's retry is answered as a duplicate with the same id.
func TestAPIClientHangsUp(t *testing.T) {
	st := openStore(t)
	clientGone := make(chan struct{})
	done := make(chan hookCall, 4)
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: st,
		OnArticle: func(hctx context.Context, a store.Article, created bool) error {
			if created {
				<-clientGone
				// Give the server time to notice the closed connection.
				time.Sleep(50 * time.Millisecond)
			}
			done <- hookCall{id: a.ID, created: created, ctxErr: hctx.Err()}
			return hctx.Err()
		}})
	if err != nil {
		t.Fatal(err)
	}
	srv := newAPIWith(t, st, ing)
	body := `{"title":"Reyes meets Varga","url":"https://news.example/hangup","body":"` +
		strings.Repeat("Foreign Minister Anna Reyes met Tomas Varga in Larnholm on Tuesday. ", 10) + `"}`
	req, _ := http.NewRequest("POST", srv.URL+"/v1/articles", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", jsonCT)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(100 * time.Millisecond)
		cancel()
	}()
	if resp, err := http.DefaultClient.Do(req.WithContext(ctx)); err == nil {
		resp.Body.Close()
		t.Fatalf("the client got an answer (%d) before hanging up", resp.StatusCode)
	}
	close(clientGone)
	var c hookCall
	select {
	case c = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("hand-over did not finish after the client hung up")
	}
	if !c.created || c.ctxErr != nil {
		t.Errorf("hand-over after hang-up: %+v, want created with a live context", c)
	}
	retry := call(t, "POST", srv.URL+"/v1/articles", testToken, jsonCT, body)
	if retry.status != http.StatusOK || retry.body["id"] != c.id || retry.body["duplicate"] != true {
		t.Errorf("retried POST: %d %s, want 200 duplicate of %s", retry.status, retry.raw, c.id)
	}
	if d := <-done; d.id != c.id || d.created {
		t.Errorf("retry handed on %+v, want duplicate %s", d, c.id)
	}
}

func newAPIWith(t *testing.T, st store.Store, ing *ingest.Ingester) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(ingest.NewAPI(ingest.APIConfig{Token: testToken, Ingester: ing, Store: st}))
	t.Cleanup(srv.Close)
	return srv
}
