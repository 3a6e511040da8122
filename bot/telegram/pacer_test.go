package telegram

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// The overall limit holds at the receiving end whatever the requests'
// delays: arrivals are taken at a random point inside each request, as a
// server would see them, and no n+1 of them fall within one period.
func TestPacerHoldsAtTheServer(t *testing.T) {
	const n, per = 5, 100 * time.Millisecond
	p := newPacer(n) // n a second
	if p.n != n || p.per != time.Second {
		t.Fatalf("pacer n=%d per=%v, want %d per second", p.n, p.per, n)
	}
	p.per = per // keep the test short
	var (
		mu       sync.Mutex
		arrivals []time.Time
		wg       sync.WaitGroup
	)
	for range 8 {
		wg.Go(func() {
			for range 5 {
				done, err := p.acquire(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				start := time.Now()
				latency := time.Duration(rand.N(20)) * time.Millisecond
				at := start.Add(time.Duration(rand.Float64() * float64(latency)))
				time.Sleep(latency)
				mu.Lock()
				arrivals = append(arrivals, at)
				mu.Unlock()
				done()
			}
		})
	}
	wg.Wait()
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	for i := n; i < len(arrivals); i++ {
		if gap := arrivals[i].Sub(arrivals[i-n]); gap < per {
			t.Errorf("arrivals %d and %d are %v apart: %d messages within %v", i-n, i, gap, n+1, per)
		}
	}
}

// A request that never answers holds its slot only for the in-flight cap,
// and a context ends the wait. Fractional rates stretch the period.
func TestPacerHungRequest(t *testing.T) {
	p := newPacer(1) // one message a second
	p.inflight = 50 * time.Millisecond
	p.per = 50 * time.Millisecond
	if _, err := p.acquire(context.Background()); err != nil { // never done
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.acquire(ctx); err == nil {
		t.Fatal("acquired a slot while the only one was in flight")
	}
	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done, err := p.acquire(ctx)
	if err != nil {
		t.Fatalf("blocked behind a hung request: %v", err)
	}
	done()
	if h := newPacer(0.5); h.n != 1 || h.per != 2*time.Second {
		t.Errorf("0.5/s: n=%d per=%v, want 1 per 2s", h.n, h.per)
	}
	var nilPacer *pacer
	if d, err := nilPacer.acquire(context.Background()); err != nil || d == nil {
		t.Errorf("nil pacer: %v", err)
	}
}

// A message that waited for the overall limit is spaced from the chat's
// next message by when it left, not by when its chat allowed it: two
// messages to one chat, behind a full overall budget, leave a second apart.
func TestChatSpacingCountsFromTheSend(t *testing.T) {
	l := newLimiter(Limits{Global: 2, PerChat: 1, Margin: time.Millisecond})
	for _, other := range []int64{1, 2} { // the overall budget for this second
		done, err := l.wait(context.Background(), other)
		if err != nil {
			t.Fatal(err)
		}
		done()
	}
	var (
		mu   sync.Mutex
		left []time.Time
		wg   sync.WaitGroup
	)
	for range 2 {
		wg.Go(func() {
			done, err := l.wait(context.Background(), 42)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			left = append(left, time.Now())
			mu.Unlock()
			done()
		})
	}
	wg.Wait()
	if len(left) != 2 {
		t.Fatalf("%d messages left", len(left))
	}
	slices.SortFunc(left, func(a, b time.Time) int { return a.Compare(b) })
	if gap := left[1].Sub(left[0]); gap < time.Second {
		t.Errorf("messages to one chat left %v apart, want at least 1s", gap)
	}
}
