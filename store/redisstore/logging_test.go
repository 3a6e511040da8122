package redisstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"newsbrief/store/redisstore"
)

// syncBuffer is a bytes.Buffer safe for the client's goroutines.
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

// TestClientLogThroughSlog: what go-redis logs by itself (here: dials that
// fail) goes to Options.Logger as JSON warnings with component "redis",
// not as plain lines on stderr.
func TestClientLogThroughSlog(t *testing.T) {
	// A port nobody listens on: take a free one and close it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // only its port was needed

	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	st, err := redisstore.Open(ctx, "redis://"+addr+"/0", uniquePrefix(t), redisstore.Options{Logger: logger})
	if err == nil {
		_ = st.Close()
		t.Fatalf("Open on a closed port succeeded")
	}

	var found bool
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["level"] == "WARN" && rec["msg"] == "redis client" && rec["component"] == "redis" &&
			strings.Contains(fmt.Sprint(rec["detail"]), "failed to dial") {
			found = true
		}
	}
	if !found {
		t.Errorf("no go-redis dial failure in the slog output:\n%s", buf.String())
	}
}
