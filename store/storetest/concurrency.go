package storetest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbrief/store"
)

const racers = 8

// race runs fn in racers goroutines released at the same moment.
func race(fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			fn(i)
		}()
	}
	close(start)
	wg.Wait()
}

func testConcurrentClaim(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	for round := range 5 {
		id := enqueue(t, s, item(tg("1"), fmt.Sprintf("round-%d", round)))
		var mu sync.Mutex
		var winners []string
		race(func(i int) {
			it, err := s.Claim(ctx, fmt.Sprintf("w%d", i), now, time.Minute)
			switch {
			case err == nil:
				mu.Lock()
				winners = append(winners, it.ClaimedBy)
				mu.Unlock()
				if it.ID != id {
					t.Errorf("claimed %q, want %q", it.ID, id)
				}
			case errors.Is(err, store.ErrEmpty):
			default:
				t.Errorf("claim: %v", err)
			}
		})
		if len(winners) != 1 {
			t.Fatalf("round %d: %d winners %v, want exactly 1", round, len(winners), winners)
		}
		// Only the winner can ack.
		for i := range racers {
			w := fmt.Sprintf("w%d", i)
			if w == winners[0] {
				continue
			}
			wantErr(t, "ack by loser "+w, s.Ack(ctx, id, w), store.ErrNotOwner)
		}
		must(t, "ack by winner", s.Ack(ctx, id, winners[0]))
	}

	// The same race over an expired claim: exactly one takes it over.
	id := enqueue(t, s, item(tg("1"), "expired"))
	claim(t, s, "dead", now, time.Second)
	var mu sync.Mutex
	n := 0
	race(func(i int) {
		it, err := s.Claim(ctx, fmt.Sprintf("w%d", i), now.Add(2*time.Second), time.Minute)
		if err == nil {
			mu.Lock()
			n++
			mu.Unlock()
			if it.ID != id {
				t.Errorf("took over %q, want %q", it.ID, id)
			}
		} else if !errors.Is(err, store.ErrEmpty) {
			t.Errorf("claim: %v", err)
		}
	})
	if n != 1 {
		t.Errorf("%d workers took over the expired claim, want 1", n)
	}
}

// testConcurrentDrain: workers drain an outbox; every item is acked exactly
// once and nothing is lost.
func testConcurrentDrain(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	const items = 60
	want := map[string]bool{}
	for i := range items {
		want[enqueue(t, s, item(tg(fmt.Sprint(i%7)), fmt.Sprintf("k%d", i)))] = true
	}
	var mu sync.Mutex
	acked := map[string]int{}
	race(func(i int) {
		w := fmt.Sprintf("w%d", i)
		for {
			it, err := s.Claim(ctx, w, now, time.Minute)
			if errors.Is(err, store.ErrEmpty) {
				return
			}
			if err != nil {
				t.Errorf("claim: %v", err)
				return
			}
			if err := s.Ack(ctx, it.ID, w); err != nil {
				t.Errorf("ack %s: %v", it.ID, err)
				return
			}
			mu.Lock()
			acked[it.ID]++
			mu.Unlock()
		}
	})
	if len(acked) != items {
		t.Errorf("acked %d distinct items, want %d", len(acked), items)
	}
	for id, n := range acked {
		if n != 1 || !want[id] {
			t.Errorf("item %s acked %d times (known: %v)", id, n, want[id])
		}
	}
}

// testConcurrentRelease: Release racing with claims. An owner releasing
// while others try to take the expired claim over: exactly one claimer
// ends up with the item, and the release succeeds only if it came first.
// Then workers that release every item the first time they see it drain
// the outbox: each item is acked once and no attempt is ever counted.
func testConcurrentRelease(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	for round := range 5 {
		id := enqueue(t, s, item(tg("1"), fmt.Sprintf("round-%d", round)))
		claim(t, s, "owner", now, time.Second)
		later := now.Add(2 * time.Second) // the owner's lease ran out
		var (
			mu         sync.Mutex
			winners    []string
			releaseErr error
		)
		race(func(i int) {
			if i == 0 {
				err := s.Release(ctx, id, "owner", later)
				mu.Lock()
				releaseErr = err
				mu.Unlock()
				return
			}
			w := fmt.Sprintf("w%d", i)
			it, err := s.Claim(ctx, w, later, time.Minute)
			switch {
			case err == nil:
				mu.Lock()
				winners = append(winners, w)
				mu.Unlock()
				if it.ID != id || it.Attempts != 0 {
					t.Errorf("claimed %+v, want %q with no attempts", it, id)
				}
			case errors.Is(err, store.ErrEmpty):
			default:
				t.Errorf("claim: %v", err)
			}
		})
		if releaseErr != nil && !errors.Is(releaseErr, store.ErrNotOwner) {
			t.Errorf("round %d: release: %v, want nil or ErrNotOwner", round, releaseErr)
		}
		// Released first, the item is due at once; taken over first, the
		// release is refused: either way exactly one claimer has it.
		if len(winners) != 1 {
			t.Fatalf("round %d: %d winners %v (release: %v), want exactly 1", round, len(winners), winners, releaseErr)
		}
		must(t, "ack by winner", s.Ack(ctx, id, winners[0]))
	}

	const items = 40
	for i := range items {
		enqueue(t, s, item(tg(fmt.Sprint(i%5)), fmt.Sprintf("k%d", i)))
	}
	var mu sync.Mutex
	seen := map[string]bool{}
	acked := map[string]int{}
	race(func(i int) {
		w := fmt.Sprintf("w%d", i)
		for {
			it, err := s.Claim(ctx, w, now, time.Minute)
			if errors.Is(err, store.ErrEmpty) {
				return
			}
			if err != nil {
				t.Errorf("claim: %v", err)
				return
			}
			if it.Attempts != 0 {
				t.Errorf("item %s has %d attempts after releases", it.ID, it.Attempts)
			}
			mu.Lock()
			first := !seen[it.ID]
			seen[it.ID] = true
			mu.Unlock()
			if first {
				if err := s.Release(ctx, it.ID, w, now); err != nil {
					t.Errorf("release %s: %v", it.ID, err)
					return
				}
				continue
			}
			if err := s.Ack(ctx, it.ID, w); err != nil {
				t.Errorf("ack %s: %v", it.ID, err)
				return
			}
			mu.Lock()
			acked[it.ID]++
			mu.Unlock()
		}
	})
	if len(acked) != items {
		t.Errorf("acked %d distinct items, want %d", len(acked), items)
	}
	for id, n := range acked {
		if n != 1 {
			t.Errorf("item %s acked %d times", id, n)
		}
	}
}

func testConcurrentEnqueue(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	var mu sync.Mutex
	ids := map[string]int{}
	enqueued := 0
	race(func(int) {
		id, ok, err := s.Enqueue(ctx, item(tg("1"), "digest:2026-11-25"))
		if err != nil {
			t.Errorf("enqueue: %v", err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		ids[id]++
		if ok {
			enqueued++
		}
	})
	if enqueued != 1 || len(ids) != 1 {
		t.Errorf("%d enqueued, ids %v: want 1 enqueued and one id for all", enqueued, ids)
	}
	out, err := s.Outbox(ctx, "")
	must(t, "outbox", err)
	if len(out) != 1 {
		t.Errorf("outbox holds %d items, want 1", len(out))
	}

	// Enqueue racing with the ack of the same (chat, key): whatever the
	// interleaving, the key is delivered once and never queued again.
	now := base()
	it := claim(t, s, "w", now, time.Minute)
	race(func(i int) {
		if i == 0 {
			if err := s.Ack(ctx, it.ID, "w"); err != nil {
				t.Errorf("ack: %v", err)
			}
			return
		}
		id, ok, err := s.Enqueue(ctx, item(tg("1"), "digest:2026-11-25"))
		if err != nil || ok || (id != "" && id != it.ID) {
			t.Errorf("enqueue during ack: %q %v %v", id, ok, err)
		}
	})
	wantEmpty(t, s, now.Add(time.Hour))
}

func testConcurrentPutArticle(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	var mu sync.Mutex
	ids := map[string]bool{}
	created := 0
	race(func(i int) {
		// Each racer shares one key with the original but varies the others.
		a := sampleArticle(1000 + i)
		switch i % 3 {
		case 0:
			a.URL = "https://news.example/shared"
		case 1:
			a.GUID = "shared-guid"
			a.URL = "https://news.example/shared"
		case 2:
			a.URL = "https://news.example/shared"
			a.ContentHash = "shared-hash"
		}
		id, ok, err := s.PutArticle(ctx, a)
		if err != nil {
			t.Errorf("put: %v", err)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		ids[id] = true
		if ok {
			created++
		}
	})
	if created != 1 || len(ids) != 1 {
		t.Errorf("%d created, ids %v: want one article", created, ids)
	}
}

func testConcurrentLease(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	var mu sync.Mutex
	var holders []string
	race(func(i int) {
		holder := fmt.Sprintf("replica-%d", i)
		ok, err := s.AcquireLease(ctx, "digest:telegram:1:2026-11-25", holder, time.Minute)
		if err != nil {
			t.Errorf("acquire: %v", err)
			return
		}
		if ok {
			mu.Lock()
			holders = append(holders, holder)
			mu.Unlock()
		}
	})
	if len(holders) != 1 {
		t.Errorf("lease holders %v, want exactly one", holders)
	}
}

func testConcurrentTakeToken(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	tt, ok := s.Store.(TokenTaker)
	if !ok {
		t.Fatalf("%T has no TakeToken", s.Store)
	}
	now := base()
	const burst = 5
	for _, step := range []struct {
		at   time.Time
		want int
	}{
		{now, burst},                  // a full bucket
		{now, 0},                      // nothing refilled
		{now.Add(2 * time.Second), 2}, // 1/s for 2 s
		{now.Add(time.Hour), burst},   // capped at burst
	} {
		var mu sync.Mutex
		got := 0
		race(func(int) {
			for range 3 {
				w, err := tt.TakeToken(ctx, "telegram:bot", 1, burst, step.at)
				if err != nil {
					t.Errorf("take: %v", err)
					return
				}
				if w == 0 {
					mu.Lock()
					got++
					mu.Unlock()
				}
			}
		})
		if got != step.want {
			t.Errorf("at +%v: %d tokens taken by %d racers, want %d", step.at.Sub(now), got, racers, step.want)
		}
	}
}

func testRestart(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()

	subs := []store.Subscription{sampleSub(tg("1")), sampleSub(dc("2"))}
	for _, sub := range subs {
		must(t, "put subscription", s.PutSubscription(ctx, sub))
	}
	must(t, "put feed", s.PutFeed(ctx, store.FeedCursor{URL: "https://a.example/rss", ETag: `"e"`}))
	must(t, "set checkpoint", s.SetCheckpoint(ctx, "telegram:update_id", 77))
	artID, _, err := s.PutArticle(ctx, sampleArticle(1))
	must(t, "put article", err)
	ok, err := s.AcquireLease(ctx, "digest:x", "replica-1", time.Hour)
	must(t, "lease", err)
	if !ok {
		t.Fatal("lease not acquired")
	}

	claimedID := enqueue(t, s, item(tg("1"), "claimed"))
	parkedID := enqueue(t, s, item(tg("1"), "parked"))
	pendingID := enqueue(t, s, item(tg("1"), "pending"))
	delayed := item(tg("1"), "delayed")
	delayed.NotBefore = now.Add(time.Hour)
	delayedID := enqueue(t, s, delayed)
	deliveredID := enqueue(t, s, item(tg("1"), "delivered"))
	if it := claim(t, s, "crashing", now, time.Minute); it.ID != claimedID {
		t.Fatalf("claimed %q, want %q", it.ID, claimedID)
	}
	must(t, "park", s.Park(ctx, claim(t, s, "w", now, time.Minute).ID, "w", "gone"))
	if it := claim(t, s, "w", now, time.Minute); it.ID != pendingID {
		t.Fatalf("claimed %q, want %q", it.ID, pendingID)
	}
	must(t, "retry", s.Retry(ctx, pendingID, "w", now, "x"))
	it := claim(t, s, "w", now, time.Minute)
	if it.ID != deliveredID {
		t.Fatalf("claimed %q, want %q", it.ID, deliveredID)
	}
	must(t, "ack", s.Ack(ctx, deliveredID, "w"))
	before, err := s.Outbox(ctx, "")
	must(t, "outbox before restart", err)

	s.restart(t)

	gotSubs, err := s.Subscriptions(ctx, "")
	must(t, "subscriptions after restart", err)
	if len(gotSubs) != 2 || gotSubs[0].ChatRef != dc("2") || gotSubs[1].ChatRef != tg("1") || gotSubs[1].DigestTime != "08:30" {
		t.Errorf("subscriptions after restart: %+v", gotSubs)
	}
	if f, err := s.GetFeed(ctx, "https://a.example/rss"); err != nil || f.ETag != `"e"` {
		t.Errorf("feed after restart: %+v %v", f, err)
	}
	if v, err := s.Checkpoint(ctx, "telegram:update_id"); err != nil || v != 77 {
		t.Errorf("checkpoint after restart: %d %v", v, err)
	}
	if _, err := s.GetArticle(ctx, artID); err != nil {
		t.Errorf("article after restart: %v", err)
	}
	if _, created, err := s.PutArticle(ctx, sampleArticle(1)); err != nil || created {
		t.Errorf("dedup after restart: created %v %v", created, err)
	}
	if ok, err := s.AcquireLease(ctx, "digest:x", "replica-2", time.Hour); err != nil || ok {
		t.Errorf("lease after restart: other holder got it (%v %v)", ok, err)
	}
	if d, err := s.Delivered(ctx, tg("1"), "delivered"); err != nil || !d {
		t.Errorf("delivery log after restart: %v %v", d, err)
	}
	if _, ok, err := s.Enqueue(ctx, item(tg("1"), "delivered")); err != nil || ok {
		t.Errorf("enqueue of a delivered key after restart: %v %v", ok, err)
	}

	after, err := s.Outbox(ctx, "")
	must(t, "outbox after restart", err)
	if d := cmp.Diff(before, after, timeEq); d != "" {
		t.Errorf("outbox changed across restart (-before +after):\n%s", d)
	}

	// The pending item is claimable; the crashed worker's item only once its
	// claim ran out; the delayed one when due; the parked one never.
	var got []string
	for _, at := range []time.Time{now, now.Add(2 * time.Minute)} {
		for {
			it, err := s.Claim(ctx, "after-restart", at, time.Minute)
			if errors.Is(err, store.ErrEmpty) {
				break
			}
			must(t, "claim after restart", err)
			got = append(got, it.ID)
			must(t, "ack after restart", s.Ack(ctx, it.ID, "after-restart"))
		}
	}
	sort.Strings(got)
	want := []string{pendingID, claimedID}
	sort.Strings(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("claimable after restart (-want +got):\n%s", d)
	}
	it = claim(t, s, "after-restart", now.Add(time.Hour), time.Minute)
	if it.ID != delayedID {
		t.Errorf("delayed item after restart: got %q, want %q", it.ID, delayedID)
	}
	must(t, "ack delayed", s.Ack(ctx, it.ID, "after-restart"))
	if p, err := s.Outbox(ctx, store.StateParked); err != nil || len(p) != 1 || p[0].ID != parkedID {
		t.Errorf("parked after restart: %+v %v", p, err)
	}
	wantEmpty(t, s, now.Add(1000*time.Hour+3*time.Minute))
}
