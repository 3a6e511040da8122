package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"newsbrief/store"
	"newsbrief/store/redisstore"
)

// redisServer is a redis-server process this test owns.
type redisServer struct {
	t    *testing.T
	port int
	dir  string
	cmd  *exec.Cmd
}

func (r *redisServer) url() string { return fmt.Sprintf("redis://127.0.0.1:%d/0", r.port) }

// startOwnRedis starts redis-server on a free loopback port with an
// append-only file fsynced on every write in a temp dir.
func startOwnRedis(t *testing.T) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redis-server not installed: %v", err)
		}
		t.Skipf("redis-server not installed: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close() // free the port for redis-server
	r := &redisServer{t: t, port: port, dir: t.TempDir()}
	r.start(bin)
	t.Cleanup(r.kill)
	return r
}

func (r *redisServer) start(bin string) {
	r.t.Helper()
	r.cmd = exec.Command(bin,
		"--port", fmt.Sprint(r.port), "--bind", "127.0.0.1",
		"--dir", r.dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "",
		"--daemonize", "no", "--logfile", filepath.Join(r.dir, "redis.log"))
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := r.cmd.Start(); err != nil {
		r.t.Fatalf("start redis-server: %v", err)
	}
	c := redis.NewClient(&redis.Options{Addr: fmt.Sprintf("127.0.0.1:%d", r.port), MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(r.dir, "redis.log"))
			r.t.Fatalf("redis-server on port %d did not answer: %v\n%s", r.port, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill SIGKILLs the server (no shutdown save: only the AOF survives).
func (r *redisServer) kill() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	_ = r.cmd.Process.Kill() // already dead is fine
	_ = r.cmd.Wait()         // reap; the exit status of a killed process is expected
	r.cmd = nil
}

// TestRedisRestart: a redis-server killed with SIGKILL and started again
// (append-only file) keeps the outbox, and the same *Store keeps working
// without being reopened: go-redis reconnects and the scripts are reloaded.
func TestRedisRestart(t *testing.T) {
	srv := startOwnRedis(t)
	bin, _ := exec.LookPath("redis-server")
	ctx := context.Background()
	s, err := redisstore.Open(ctx, srv.url(), "nb", redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	now := time.Now().Truncate(time.Millisecond)
	chat := store.ChatRef{Platform: store.Telegram, ChatID: "1001"}
	if err := s.PutSubscription(ctx, store.Subscription{ChatRef: chat, Mode: store.ModeInstant, Active: true}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 5 {
		id, ok, err := s.Enqueue(ctx, store.OutboxItem{Key: fmt.Sprintf("brief:%d", i), Chat: chat, Kind: "text", Payload: []byte("hello")})
		if err != nil || !ok {
			t.Fatalf("enqueue %d: %v %v", i, ok, err)
		}
		ids = append(ids, id)
	}
	// One item is in flight when Redis dies, one was delivered before.
	inflight, err := s.Claim(ctx, "w-dead", now, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	done, err := s.Claim(ctx, "w", now, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(ctx, done.ID, "w"); err != nil {
		t.Fatal(err)
	}

	srv.kill()
	down, cancel := context.WithTimeout(ctx, 2*time.Second)
	if err := s.Ping(down); err == nil {
		t.Error("Ping succeeded while redis-server was down")
	}
	if _, err := s.Claim(down, "w", now, time.Minute); err == nil || errors.Is(err, store.ErrEmpty) {
		t.Errorf("Claim while redis-server was down: %v, want a connection error", err)
	}
	cancel()
	srv.start(bin)

	// Same *Store, no reopen.
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping after restart: %v", err)
	}
	if _, err := s.GetSubscription(ctx, chat); err != nil {
		t.Errorf("subscription after restart: %v", err)
	}
	if d, err := s.Delivered(ctx, chat, done.Key); err != nil || !d {
		t.Errorf("delivery log after restart: %v %v", d, err)
	}
	pending, err := s.Outbox(ctx, store.StatePending)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 3 {
		t.Errorf("%d pending items after restart, want 3", len(pending))
	}
	// Drain: the three pending items now, the in-flight one once its claim
	// ran out; each exactly once, the delivered one never.
	got := map[string]int{}
	for _, at := range []time.Time{now, now.Add(2 * time.Minute)} {
		for {
			it, err := s.Claim(ctx, "w-new", at, time.Minute)
			if errors.Is(err, store.ErrEmpty) {
				break
			}
			if err != nil {
				t.Fatalf("claim after restart: %v", err)
			}
			got[it.ID]++
			if err := s.Ack(ctx, it.ID, "w-new"); err != nil {
				t.Fatalf("ack after restart: %v", err)
			}
		}
	}
	if len(got) != 4 || got[inflight.ID] != 1 || got[done.ID] != 0 {
		t.Errorf("claimed after restart %v (in flight %s, delivered %s), want each of the 4 undelivered once", got, inflight.ID, done.ID)
	}
	if _, ok, err := s.Enqueue(ctx, store.OutboxItem{Key: "brief:0", Chat: chat}); err != nil || ok {
		t.Errorf("re-enqueue of a delivered key after restart: %v %v", ok, err)
	}
}
