package ingest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"newsbrief/briefing"
	"newsbrief/fetch"
	"newsbrief/ingest"
	"newsbrief/store"
)

const testToken = "s3cret-ingest-token"

func newAPI(t *testing.T, st store.Store, token string) (*httptest.Server, *[]store.Article) {
	t.Helper()
	var alerts []store.Article
	ing, err := ingest.NewIngester(ingest.IngesterConfig{
		Store: st,
		Pages: ingest.NewPages(fetch.New(fetch.Options{AllowNets: loopback})),
		OnArticle: func(_ context.Context, a store.Article, created bool) error {
			if created {
				alerts = append(alerts, a)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(ingest.NewAPI(ingest.APIConfig{Token: token, Ingester: ing, Store: st, MaxBytes: 64 << 10}))
	t.Cleanup(srv.Close)
	return srv, &alerts
}

type apiResult struct {
	status int
	body   map[string]any
	raw    string
	header http.Header
}

func call(t *testing.T, method, url, token, ctype, body string) apiResult {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case strings.Contains(token, " "): // a whole Authorization value
		req.Header.Set("Authorization", token)
	case token != "":
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	res := apiResult{status: resp.StatusCode, raw: string(raw), header: resp.Header}
	_ = json.Unmarshal(raw, &res.body)
	return res
}

const jsonCT = "application/json"

func TestAPIPost(t *testing.T) { forEachStore(t, testAPIPost) }

func testAPIPost(t *testing.T, st store.Store) {
	seed, err := os.ReadFile("../testdata/seed-article.txt")
	if err != nil {
		seed = []byte(strings.Repeat("Foreign Minister Anna Reyes met Tomas Varga in Larnholm on Tuesday. ", 10))
	}
	story := map[string]any{
		"title":     "Reyes meets Varga",
		"url":       "https://news.example/world/reyes-varga?utm_source=x",
		"body":      string(seed),
		"published": "2026-11-24T09:30:00Z",
		"source":    "Example News",
	}
	storyJSON, _ := json.Marshal(story)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		b, _ := os.ReadFile("testdata/article.html")
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write(b)
	}))
	defer page.Close()

	srv, alerts := newAPI(t, st, testToken)
	u := srv.URL + "/v1/articles"

	first := call(t, "POST", u, testToken, jsonCT, string(storyJSON))
	if first.status != http.StatusAccepted || first.body["id"] == "" || first.body["duplicate"] != false {
		t.Fatalf("first POST: %d %s", first.status, first.raw)
	}
	id := first.body["id"].(string)
	if loc := first.header.Get("Location"); loc != "/v1/articles/"+id+"/briefing" {
		t.Errorf("Location %q", loc)
	}
	if len(*alerts) != 1 || (*alerts)[0].ID != id || (*alerts)[0].Source != "Example News" {
		t.Errorf("OnArticle calls %+v", *alerts)
	}

	// The same story again: 200 with the existing id, no second alert.
	dup := call(t, "POST", u, testToken, jsonCT, string(storyJSON))
	if dup.status != http.StatusOK || dup.body["id"] != id || dup.body["duplicate"] != true {
		t.Errorf("duplicate POST: %d %s", dup.status, dup.raw)
	}
	if len(*alerts) != 1 {
		t.Errorf("duplicate delivered again")
	}

	// The briefing reads back.
	got := call(t, "GET", srv.URL+"/v1/articles/"+id+"/briefing", testToken, "", "")
	if got.status != http.StatusOK {
		t.Fatalf("GET briefing: %d %s", got.status, got.raw)
	}
	var b briefing.Briefing
	if err := json.Unmarshal([]byte(got.raw), &b); err != nil {
		t.Fatal(err)
	}
	if b.Title != "Reyes meets Varga" || b.URL != "https://news.example/world/reyes-varga" || b.Source != "Example News" {
		t.Errorf("briefing %+v", b)
	}
	if ct := got.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}

	// text/plain with metadata in the query.
	plain := call(t, "POST", u+"?title=Strike+ends&source=Wire", testToken, "text/plain; charset=utf-8",
		"Dock workers returned to work on Tuesday after a pay deal.\n\"We accepted the offer,\" union leader Jonas Berg said.")
	if plain.status != http.StatusAccepted {
		t.Fatalf("text/plain POST: %d %s", plain.status, plain.raw)
	}
	pb := call(t, "GET", srv.URL+"/v1/articles/"+plain.body["id"].(string)+"/briefing", testToken, "", "")
	if !strings.Contains(pb.raw, `"title":"Strike ends"`) || !strings.Contains(pb.raw, `"source":"Wire"`) {
		t.Errorf("text/plain briefing %s", pb.raw)
	}

	// URL only: fetched through the safe fetcher and extracted.
	byURL := call(t, "POST", u, testToken, jsonCT, `{"url":"`+page.URL+`/talks"}`)
	if byURL.status != http.StatusAccepted {
		t.Fatalf("url-only POST: %d %s", byURL.status, byURL.raw)
	}
	if last := (*alerts)[len(*alerts)-1]; !strings.Contains(last.Body, "grain corridor") || last.Title == "" {
		t.Errorf("url-only article not extracted: %q / %q", last.Title, last.Body)
	}
}

func TestAPIErrors(t *testing.T) {
	srv, alerts := newAPI(t, openStore(t), testToken)
	off, _ := newAPI(t, openStore(t), "")
	u := srv.URL + "/v1/articles"
	tests := []struct {
		name   string
		method string
		url    string
		token  string
		ctype  string
		body   string
		status int
		reason string
	}{
		{"no token", "POST", u, "", jsonCT, `{"body":"x"}`, 401, "bearer token"},
		{"wrong token", "POST", u, "s3cret-ingest-tokeN", jsonCT, `{"body":"x"}`, 401, "bearer token"},
		{"wrong scheme", "POST", u, "Basic " + testToken, jsonCT, `{"body":"x"}`, 401, "bearer token"},
		{"api off", "POST", off.URL + "/v1/articles", testToken, jsonCT, `{"body":"x"}`, 503, "set INGEST_TOKEN"},
		{"api off get", "GET", off.URL + "/v1/articles/x/briefing", testToken, "", "", 503, "disabled"},
		{"too large", "POST", u, testToken, jsonCT, `{"body":"` + strings.Repeat("a", 70<<10) + `"}`, 413, "larger than"},
		{"malformed json", "POST", u, testToken, jsonCT, `{"body": "x",}`, 400, "malformed JSON: syntax error at byte"},
		{"truncated json", "POST", u, testToken, jsonCT, `{"body": "x"`, 400, "malformed JSON"},
		{"wrong type", "POST", u, testToken, jsonCT, `{"body": 12}`, 400, `field "body" must be a string`},
		{"unknown field", "POST", u, testToken, jsonCT, `{"text": "x"}`, 400, `unknown field "text"`},
		{"two objects", "POST", u, testToken, jsonCT, `{"body":"a"} {"body":"b"}`, 400, "data after the object"},
		{"empty body", "POST", u, testToken, jsonCT, "", 400, "empty body"},
		{"blank body", "POST", u, testToken, "text/plain", " \n ", 400, "empty body"},
		{"invalid utf8", "POST", u, testToken, "text/plain", "caf\xe9 story", 400, "not valid UTF-8"},
		{"no body no url", "POST", u, testToken, jsonCT, `{"title":"only a title"}`, 400, "body or url is required"},
		{"bad published", "POST", u, testToken, jsonCT, `{"body":"x","published":"yesterday"}`, 400, "RFC 3339"},
		{"bad url", "POST", u, testToken, jsonCT, `{"body":"x","url":"javascript:alert(1)"}`, 400, "http or https"},
		{"blocked url", "POST", u, testToken, jsonCT, `{"url":"http://10.0.0.1/admin"}`, 422, "refusing to fetch 10.0.0.1"},
		{"content type", "POST", u, testToken, "application/xml", `<a/>`, 415, "application/json or text/plain"},
		{"unknown id", "GET", srv.URL + "/v1/articles/nope/briefing", testToken, "", "", 404, `no article with id "nope"`},
		{"get without token", "GET", srv.URL + "/v1/articles/nope/briefing", "", "", "", 401, "bearer token"},
		{"wrong method", "DELETE", u, testToken, "", "", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(t, tt.method, tt.url, tt.token, tt.ctype, tt.body)
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.raw)
			}
			msg, _ := res.body["error"].(string)
			if tt.reason != "" && !strings.Contains(msg, tt.reason) {
				t.Errorf("body %s lacks %q", res.raw, tt.reason)
			}
			if tt.status == 401 && res.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
	if len(*alerts) != 0 {
		t.Errorf("rejected requests produced %d articles", len(*alerts))
	}
}
