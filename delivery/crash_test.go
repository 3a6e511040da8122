package delivery_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"newsbrief/bot"
	"newsbrief/delivery"
	"newsbrief/store"
	"newsbrief/store/boltstore"
)

// The crash tests run the worker in a child process (this test binary
// re-executed with NB_DELIVERY_CHILD set) that sends over HTTP to a fake
// platform in the parent, so the parent can SIGKILL or SIGTERM it in the
// middle of a fan-out and count what the platform received.

const childWorkers = 4

func TestMain(m *testing.M) {
	if os.Getenv("NB_DELIVERY_CHILD") == "1" {
		os.Exit(childMain())
	}
	os.Exit(m.Run())
}

// httpSender posts each message to the fake platform.
type httpSender struct{ url string }

func (h httpSender) Send(ctx context.Context, chat store.ChatRef, threadID, key string, m bot.Message) error {
	body, _ := json.Marshal(map[string]string{"chat": chat.String(), "key": key}) // strings always marshal
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	_ = resp.Body.Close() // status is all we need
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("platform answered %s", resp.Status)
	}
	return nil
}

func childMain() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	// NoSync: a killed process loses nothing the kernel already has; only
	// a machine crash would, and that is not what this test is about.
	s, err := boltstore.Open(os.Getenv("NB_DB"), boltstore.Options{NoSync: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: open:", err)
		return 2
	}
	w := delivery.New(delivery.Config{
		Store:         s,
		Senders:       map[string]delivery.Sender{store.Telegram: httpSender{url: os.Getenv("NB_PLATFORM")}},
		Limits:        map[string][]delivery.Limit{},
		Workers:       childWorkers,
		Lease:         time.Second, // a killed worker's claims return quickly
		PollInterval:  5 * time.Millisecond,
		DepthInterval: -1,
		Grace:         5 * time.Second,
		Logger:        quiet(),
	})
	if err := w.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "child: run:", err)
		return 1
	}
	if err := s.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "child: close:", err)
		return 1
	}
	return 0
}

// fakePlatform counts deliveries per (chat, key).
type fakePlatform struct {
	mu     sync.Mutex
	counts map[string]int
	total  int
}

func (f *fakePlatform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var m map[string]string
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	time.Sleep(time.Millisecond) // a platform takes a moment: the kill lands mid-fan-out
	f.mu.Lock()
	f.counts[m["chat"]+" "+m["key"]]++
	f.total++
	f.mu.Unlock()
}

func (f *fakePlatform) stats() (distinct, total, dups int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.counts {
		dups += n - 1
	}
	return len(f.counts), f.total, dups
}

func startChild(t *testing.T, db, url string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "NB_DELIVERY_CHILD=1", "NB_DB="+db, "NB_PLATFORM="+url)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill() // leftover child of a failed test
			_ = cmd.Wait()
		}
	})
	return cmd
}

func fanOut(t *testing.T, db string, chats int) {
	t.Helper()
	s, err := boltstore.Open(db, boltstore.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range chats {
		enqueue(t, s, textItem(t, tg(strconv.Itoa(i+1)), "digest:2026-11-25"))
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func waitCount(t *testing.T, f *fakePlatform, what string, cond func(distinct, total int) bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		d, n, _ := f.stats()
		if cond(d, n) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s (distinct %d, total %d)", what, d, n)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// waitQuiet waits until the platform has received nothing for d.
func waitQuiet(t *testing.T, f *fakePlatform, d time.Duration) {
	t.Helper()
	_, last, _ := f.stats()
	since := time.Now()
	for time.Since(since) < d {
		time.Sleep(50 * time.Millisecond)
		if _, n, _ := f.stats(); n != last {
			last, since = n, time.Now()
		}
	}
}

func checkOutboxEmpty(t *testing.T, db string) {
	t.Helper()
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Close() }() // read-only use
	its, err := s.Outbox(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(its) != 0 {
		t.Errorf("%d items left in the outbox, first %+v", len(its), its[0])
	}
}

func TestCrashMidFanOut(t *testing.T) {
	if testing.Short() {
		t.Skip("runs child processes")
	}
	const chats = 1000
	tests := []struct {
		name    string
		sig     syscall.Signal
		maxDups int
	}{
		// A hard kill may repeat only what was in flight: at most one
		// message per sending goroutine.
		{name: "SIGKILL", sig: syscall.SIGKILL, maxDups: childWorkers},
		// A graceful stop finishes and records in-flight sends: nothing
		// repeats.
		{name: "SIGTERM", sig: syscall.SIGTERM, maxDups: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "bolt.db")
			fanOut(t, db, chats)
			f := &fakePlatform{counts: map[string]int{}}
			srv := httptest.NewServer(f)
			defer srv.Close()

			first := startChild(t, db, srv.URL)
			waitCount(t, f, "a third of the fan-out", func(d, _ int) bool { return d >= chats/3 })
			if err := first.Process.Signal(tt.sig); err != nil {
				t.Fatal(err)
			}
			err := first.Wait()
			if tt.sig == syscall.SIGTERM && err != nil {
				t.Fatalf("child after SIGTERM: %v (want a clean exit)", err)
			}
			d, _, _ := f.stats()
			if d >= chats {
				t.Fatalf("fan-out finished before the signal; nothing was tested")
			}

			second := startChild(t, db, srv.URL)
			waitCount(t, f, "every chat", func(d, _ int) bool { return d == chats })
			// Items the killed child had claimed come back when their lease
			// (1 s) lapses and may be sent again: wait for quiet before
			// stopping, so every repeat is counted.
			waitQuiet(t, f, 2500*time.Millisecond)
			if err := second.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := second.Wait(); err != nil {
				t.Fatalf("second child: %v", err)
			}
			distinct, total, dups := f.stats()
			t.Logf("%s after %d of %d: %d sends, %d repeated", tt.name, d, chats, total, dups)
			if distinct != chats {
				t.Errorf("%d chats reached, want %d (a message was lost)", distinct, chats)
			}
			if dups > tt.maxDups {
				t.Errorf("%d messages repeated, want at most %d", dups, tt.maxDups)
			}
			checkOutboxEmpty(t, db)
		})
	}
}
