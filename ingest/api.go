package ingest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"newsbrief/fetch"
	"newsbrief/store"
)

// DefaultAPIMaxBytes caps a POST /v1/articles body.
const DefaultAPIMaxBytes = 1 << 20

// ArticleGetter reads stored articles (store.Store).
type ArticleGetter interface {
	GetArticle(ctx context.Context, id string) (store.Article, error)
}

// APIConfig configures NewAPI.
type APIConfig struct {
	// Token is INGEST_TOKEN; when empty the API answers 503 to everything.
	Token string
	// Ingester stores posted articles; Store reads briefings back.
	Ingester *Ingester
	Store    ArticleGetter
	// MaxBytes caps request bodies (default 1 MB).
	MaxBytes int64
	Logger   *slog.Logger
}

// API is the ingest HTTP API, an http.Handler to mount on the server:
//
//	POST /v1/articles               Authorization: Bearer <INGEST_TOKEN>
//	  Content-Type: application/json  {"title","url","body","published","source","guid"}
//	  Content-Type: text/plain        the article text; ?title=&url=&source= optional
//	  → 202 {"id": "…", "duplicate": false}  stored, briefed and handed on for delivery
//	  → 200 {"id": "…", "duplicate": true}   the same story (GUID, URL or text) was
//	                                          already stored: its id, nothing delivered
//	                                          again (a hand-over a crash cut short resumes)
//	  → 400 malformed JSON, unknown field, bad published time, empty body,
//	        invalid UTF-8, neither body nor url; 401 token missing or wrong;
//	        413 body above the cap; 415 other content types; 422 url given
//	        without body and its page could not be fetched (the reason says why)
//	GET /v1/articles/{id}/briefing   same token
//	  → 200 the briefing JSON (briefing.Briefing); 404 unknown id
//
// With no token configured every request gets 503 and a message saying so.
// Errors are JSON {"error": "…"}.
type API struct {
	cfg   APIConfig
	log   *slog.Logger
	token [32]byte
	mux   *http.ServeMux
}

// NewAPI returns the API handler.
func NewAPI(cfg APIConfig) *API {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultAPIMaxBytes
	}
	a := &API{cfg: cfg, log: orDiscard(cfg.Logger).With("component", "ingest_api"), mux: http.NewServeMux()}
	a.token = sha256.Sum256([]byte(cfg.Token))
	a.mux.HandleFunc("POST /v1/articles", a.postArticle)
	a.mux.HandleFunc("GET /v1/articles/{id}/briefing", a.getBriefing)
	return a
}

// ServeHTTP implements http.Handler.
func (a *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.cfg.Token == "" || a.cfg.Ingester == nil || a.cfg.Store == nil {
		writeError(w, http.StatusServiceUnavailable, "the ingest API is disabled: set INGEST_TOKEN to enable it")
		return
	}
	if !a.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="newsbrief"`)
		writeError(w, http.StatusUnauthorized, "missing or wrong bearer token (send Authorization: Bearer <INGEST_TOKEN>)")
		return
	}
	a.mux.ServeHTTP(w, r)
}

func (a *API) authorized(r *http.Request) bool {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	// Hashing first makes the comparison constant-time in the length too.
	got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	return subtle.ConstantTimeCompare(got[:], a.token[:]) == 1
}

type postRequest struct {
	Title     string `json:"title"`
	URL       string `json:"url"`
	Body      string `json:"body"`
	Published string `json:"published"`
	Source    string `json:"source"`
	GUID      string `json:"guid"`
}

type postResponse struct {
	ID        string `json:"id"`
	Duplicate bool   `json:"duplicate"`
}

func (a *API) postArticle(w http.ResponseWriter, r *http.Request) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && mt != "text/plain") {
		writeError(w, http.StatusUnsupportedMediaType, "send Content-Type: application/json or text/plain")
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.cfg.MaxBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", a.cfg.MaxBytes))
			return
		}
		writeError(w, http.StatusBadRequest, "could not read the request body")
		return
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		writeError(w, http.StatusBadRequest, "empty body")
		return
	}
	if !utf8.Valid(raw) {
		writeError(w, http.StatusBadRequest, "body is not valid UTF-8")
		return
	}
	var req postRequest
	if mt == "application/json" {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, "malformed JSON: "+jsonProblem(err))
			return
		}
		if dec.More() {
			writeError(w, http.StatusBadRequest, "malformed JSON: data after the object")
			return
		}
	} else {
		q := r.URL.Query()
		req = postRequest{Body: string(raw), Title: q.Get("title"), URL: q.Get("url"), Source: q.Get("source"), Published: q.Get("published")}
	}
	in := Input{Title: req.Title, URL: strings.TrimSpace(req.URL), Body: req.Body, Source: req.Source, GUID: req.GUID}
	if req.Published != "" {
		t, err := time.Parse(time.RFC3339, req.Published)
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("published %q is not an RFC 3339 time such as 2026-11-25T07:30:00Z", req.Published))
			return
		}
		in.Published = t.UTC()
	}
	if strings.TrimSpace(in.Body) == "" && in.URL == "" {
		writeError(w, http.StatusBadRequest, "body or url is required")
		return
	}
	if in.Source == "" {
		in.Source = "api"
	}
	art, created, err := a.cfg.Ingester.Ingest(r.Context(), in)
	var fe *fetch.Error
	switch {
	case errors.Is(err, ErrInvalid):
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case errors.Is(err, ErrNoText) && errors.As(err, &fe):
		writeError(w, http.StatusUnprocessableEntity, "no text in the body and the url could not be used: "+fe.Error())
		return
	case errors.Is(err, ErrNoText):
		writeError(w, http.StatusUnprocessableEntity, "no article text found in the body or at the url")
		return
	case err != nil:
		if r.Context().Err() == nil {
			a.log.Error("ingest article", "error", err)
		}
		writeError(w, http.StatusInternalServerError, "internal error while storing the article; try again later")
		return
	}
	w.Header().Set("Location", "/v1/articles/"+art.ID+"/briefing")
	status := http.StatusAccepted
	if !created {
		status = http.StatusOK
	}
	writeJSON(w, status, postResponse{ID: art.ID, Duplicate: !created})
}

func (a *API) getBriefing(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	art, err := a.cfg.Store.GetArticle(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusNotFound, fmt.Sprintf("no article with id %q", id))
		return
	case err != nil:
		if r.Context().Err() == nil {
			a.log.Error("get article", "article_id", id, "error", err)
		}
		writeError(w, http.StatusInternalServerError, "internal error while reading the article; try again later")
		return
	}
	writeJSON(w, http.StatusOK, art.Briefing)
}

// jsonProblem describes a decoding error without echoing request data
// beyond field names and offsets.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %q must be a %s", te.Field, te.Type)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ") + " (allowed: title, url, body, published, source, guid)"
	}
	return err.Error()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away: nothing to do
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
