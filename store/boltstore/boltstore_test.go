package boltstore_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"newsbrief/store"
	"newsbrief/store/boltstore"
	"newsbrief/store/storetest"
)

var _ storetest.TokenTaker = (*boltstore.Store)(nil)

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, o storetest.Options) storetest.Opener {
		path := filepath.Join(t.TempDir(), "state.db")
		return func() (store.Store, error) {
			return boltstore.Open(path, boltstore.Options{
				ArticleRetention:   o.ArticleRetention,
				DeliveredRetention: o.DeliveredRetention,
				NoSync:             true,
			})
		}
	})
}

// TestOpenLocked: a second Open of the same file fails after the timeout
// with an error that says why, instead of hanging.
func TestOpenLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = boltstore.Open(path, boltstore.Options{OpenTimeout: 100 * time.Millisecond})
	if err == nil {
		t.Fatal("second Open of a locked file succeeded")
	}
	if want := "locked by another process"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestOpenBadPath(t *testing.T) {
	if _, err := boltstore.Open("", boltstore.Options{}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty path: %v, want ErrInvalid", err)
	}
	dir := t.TempDir()
	if _, err := boltstore.Open(dir, boltstore.Options{}); err == nil {
		t.Error("opening a directory succeeded")
	}
}

// TestRetentionClock: expiry follows Options.Now, and expired articles are
// swept from the file (not only hidden).
func TestRetentionClock(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	path := filepath.Join(t.TempDir(), "state.db")
	open := func() *boltstore.Store {
		s, err := boltstore.Open(path, boltstore.Options{Now: func() time.Time { return now }, NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := open()
	id, _, err := s.PutArticle(ctx, store.Article{URL: "https://a.example/1", ContentHash: "h"})
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(boltstore.DefaultArticleRetention - time.Second)
	if _, err := s.GetArticle(ctx, id); err != nil {
		t.Fatalf("article gone before its retention: %v", err)
	}
	now = now.Add(2 * time.Second)
	if _, err := s.GetArticle(ctx, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("article after retention: %v, want ErrNotFound", err)
	}
	_ = s.Close()
	s = open() // Open sweeps
	defer s.Close()
	id2, created, err := s.PutArticle(ctx, store.Article{URL: "https://a.example/1", ContentHash: "h"})
	if err != nil || !created || id2 == id {
		t.Errorf("re-put after sweep: %q %v %v", id2, created, err)
	}
}
