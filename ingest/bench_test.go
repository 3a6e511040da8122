package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"newsbrief/fetch"
	"newsbrief/ingest"
	"newsbrief/store"
)

const benchItems = 50

// benchFeed serves an RSS feed whose items are all new on every request.
func benchFeed(b *testing.B) *httptest.Server {
	var round atomic.Int64
	paragraph := "Foreign Minister %[1]s met her counterpart in the port city of Larnholm on Tuesday, the ministry said, in talks on the grain corridor number %[2]d. " +
		"\"This corridor feeds millions of people, and it will stay open,\" %[1]s told reporters after the meeting in round %[2]d. " +
		"Overnight, the air force said it had shot down 41 of 53 drones launched at the southern regions; two people were injured in Dunmore, the governor said. "
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		r := round.Add(1)
		var sb strings.Builder
		sb.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>Bench Wire</title>`)
		for i := range benchItems {
			n := int(r)*benchItems + i
			fmt.Fprintf(&sb, "<item><title>Talks round %d</title><link>https://wire.example/news/%d</link><guid>bench-%d</guid><description><![CDATA[<p>%s</p><p>%s</p>]]></description></item>",
				n, n, n, fmt.Sprintf(paragraph, "Anna Reyes", n), fmt.Sprintf(paragraph, "Tomas Varga", n))
		}
		sb.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write([]byte(sb.String()))
	}))
	b.Cleanup(srv.Close)
	return srv
}

// countingStore counts store calls made per article.
type countingStore struct {
	store.Store
	calls atomic.Int64
}

func (c *countingStore) PutArticle(ctx context.Context, a store.Article) (string, bool, error) {
	c.calls.Add(1)
	return c.Store.PutArticle(ctx, a)
}
func (c *countingStore) GetArticle(ctx context.Context, id string) (store.Article, error) {
	c.calls.Add(1)
	return c.Store.GetArticle(ctx, id)
}
func (c *countingStore) PutFeed(ctx context.Context, f store.FeedCursor) error {
	c.calls.Add(1)
	return c.Store.PutFeed(ctx, f)
}
func (c *countingStore) GetFeed(ctx context.Context, u string) (store.FeedCursor, error) {
	c.calls.Add(1)
	return c.Store.GetFeed(ctx, u)
}
func (c *countingStore) Feeds(ctx context.Context) ([]store.FeedCursor, error) {
	c.calls.Add(1)
	return c.Store.Feeds(ctx)
}

// runIngestBench polls a feed of benchItems new items per iteration:
// fetch → parse → dedup → brief → store. It reports articles/s and store
// calls per article.
func runIngestBench(b *testing.B, st store.Store) {
	srv := benchFeed(b)
	cs := &countingStore{Store: st}
	var created atomic.Int64
	ing, err := ingest.NewIngester(ingest.IngesterConfig{Store: cs,
		OnArticle: func(_ context.Context, _ store.Article, isNew bool) error {
			if isNew {
				created.Add(1)
			}
			return nil
		}})
	if err != nil {
		b.Fatal(err)
	}
	p, err := ingest.NewPoller(ingest.PollerConfig{Store: cs, Ingester: ing, Jitter: -1,
		Fetcher: fetch.New(fetch.Options{AllowNets: loopback}), Feeds: []string{srv.URL + "/feed"}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		now = now.Add(ingest.DefaultInterval)
		if err := p.PollOnce(ctx, now); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if created.Load() != int64(b.N*benchItems) {
		b.Fatalf("created %d articles, want %d", created.Load(), b.N*benchItems)
	}
	b.ReportMetric(float64(created.Load())/b.Elapsed().Seconds(), "articles/s")
	b.ReportMetric(float64(cs.calls.Load())/float64(created.Load()), "storecalls/article")
}

func BenchmarkIngestBolt(b *testing.B) {
	runIngestBench(b, openStore(b))
}

func BenchmarkIngestRedis(b *testing.B) {
	runIngestBench(b, openRedis(b))
}

// unlinkPrefix deletes keys under prefix with SCAN/UNLINK over a bare RESP
// connection (go-redis belongs to store/redisstore only).
func unlinkPrefix(addr, prefix string) error {
	if u := os.Getenv("REDIS_TEST_URL"); u != "" {
		return nil // unknown address/auth: the store's retention TTLs apply
	}
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(c)
	send := func(args ...string) (any, error) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "*%d\r\n", len(args))
		for _, a := range args {
			fmt.Fprintf(&sb, "$%d\r\n%s\r\n", len(a), a)
		}
		if _, err := c.Write([]byte(sb.String())); err != nil {
			return nil, err
		}
		return readRESP(r)
	}
	cursor := "0"
	for {
		v, err := send("SCAN", cursor, "MATCH", prefix+"*", "COUNT", "1000")
		if err != nil {
			return err
		}
		arr, ok := v.([]any)
		if !ok || len(arr) != 2 {
			return fmt.Errorf("unexpected SCAN reply %v", v)
		}
		cursor, _ = arr[0].(string)
		keys, _ := arr[1].([]any)
		if len(keys) > 0 {
			args := []string{"UNLINK"}
			for _, k := range keys {
				args = append(args, k.(string))
			}
			if _, err := send(args...); err != nil {
				return err
			}
		}
		if cursor == "0" {
			return nil
		}
	}
}

func readRESP(r *bufio.Reader) (any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return nil, fmt.Errorf("empty RESP line")
	}
	switch line[0] {
	case '+', ':':
		return line[1:], nil
	case '-':
		return nil, fmt.Errorf("redis: %s", line[1:])
	case '$':
		n, _ := strconv.Atoi(line[1:])
		if n < 0 {
			return nil, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		return string(buf[:n]), nil
	case '*':
		n, _ := strconv.Atoi(line[1:])
		out := make([]any, 0, max(n, 0))
		for range n {
			v, err := readRESP(r)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unexpected RESP %q", line)
}
