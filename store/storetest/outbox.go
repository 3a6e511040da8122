package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"newsbrief/store"
)

func item(chat store.ChatRef, key string) store.OutboxItem {
	return store.OutboxItem{
		Key:      key,
		Chat:     chat,
		ThreadID: "12",
		Kind:     "briefing",
		Payload:  []byte(`{"text":"Zelensky met Macron","binary":"` + "\x00\xff" + `"}`),
	}
}

func enqueue(t *testing.T, s store.Store, it store.OutboxItem) string {
	t.Helper()
	id, ok, err := s.Enqueue(context.Background(), it)
	must(t, "enqueue", err)
	if !ok || id == "" {
		t.Fatalf("enqueue %s %s: id %q enqueued %v, want a new item", it.Chat, it.Key, id, ok)
	}
	return id
}

func claim(t *testing.T, s store.Store, worker string, now time.Time, lease time.Duration) store.OutboxItem {
	t.Helper()
	it, err := s.Claim(context.Background(), worker, now, lease)
	must(t, "claim by "+worker, err)
	return it
}

func wantEmpty(t *testing.T, s store.Store, now time.Time) {
	t.Helper()
	it, err := s.Claim(context.Background(), "probe", now, time.Minute)
	if !errors.Is(err, store.ErrEmpty) {
		t.Errorf("claim at %v: got item %q (%v), want ErrEmpty", now.Format(time.StampMilli), it.ID, err)
	}
}

func testEnqueueClaimAck(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	in := item(tg("100"), "brief:a1")
	in.Created = now.Add(-time.Second)
	in.Attempts = 0
	id := enqueue(t, s, in)

	delivered, err := s.Delivered(ctx, tg("100"), "brief:a1")
	must(t, "delivered", err)
	if delivered {
		t.Error("Delivered before ack")
	}

	got := claim(t, s, "w1", now, 30*time.Second)
	want := in
	want.ID, want.State, want.ClaimedBy, want.ClaimedUntil = id, store.StateClaimed, "w1", now.Add(30*time.Second)
	if d := cmp.Diff(want, got, timeEq); d != "" {
		t.Errorf("claimed item (-want +got):\n%s", d)
	}
	wantEmpty(t, s, now) // the only item is claimed and its lease runs

	must(t, "ack", s.Ack(ctx, id, "w1"))
	delivered, err = s.Delivered(ctx, tg("100"), "brief:a1")
	must(t, "delivered", err)
	if !delivered {
		t.Error("not Delivered after ack")
	}
	if d, _ := s.Delivered(ctx, dc("100"), "brief:a1"); d {
		t.Error("delivery log mixes platforms")
	}
	if d, _ := s.Delivered(ctx, tg("100"), "brief:a2"); d {
		t.Error("delivery log mixes keys")
	}
	all, err := s.Outbox(ctx, "")
	must(t, "outbox", err)
	if len(all) != 0 {
		t.Errorf("outbox after ack has %d items", len(all))
	}
	wantEmpty(t, s, now.Add(time.Hour))

	// Store-owned fields passed to Enqueue are ignored.
	forged := item(tg("100"), "brief:forged")
	forged.ID, forged.State, forged.ClaimedBy, forged.ClaimedUntil = "forged-id", store.StateParked, "someone", now.Add(time.Hour)
	fid := enqueue(t, s, forged)
	if fid == "forged-id" {
		t.Error("Enqueue kept the caller's ID")
	}
	fit := claim(t, s, "w2", now, time.Minute)
	if fit.ID != fid || fit.State != store.StateClaimed || fit.ClaimedBy != "w2" {
		t.Errorf("forged item: %+v", fit)
	}
	must(t, "ack forged", s.Ack(ctx, fid, "w2"))

	// Acking twice: the item is gone.
	err = s.Ack(ctx, id, "w1")
	wantErr(t, "second ack", err, store.ErrNotOwner)
	wantErr(t, "second ack", err, store.ErrNotFound)
}

func testEnqueueIdempotent(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	again := func(what string, it store.OutboxItem, wantID string) {
		t.Helper()
		id, ok, err := s.Enqueue(ctx, it)
		must(t, what, err)
		if ok || id != wantID {
			t.Errorf("%s: id %q enqueued %v, want %q false", what, id, ok, wantID)
		}
	}
	id := enqueue(t, s, item(tg("1"), "digest:2026-11-25"))
	again("while pending", item(tg("1"), "digest:2026-11-25"), id)
	it := claim(t, s, "w", now, time.Minute)
	if it.ID != id {
		t.Fatalf("claimed %q, want %q", it.ID, id)
	}
	again("while claimed", item(tg("1"), "digest:2026-11-25"), id)
	must(t, "retry", s.Retry(ctx, id, "w", now, "boom"))
	again("after retry", item(tg("1"), "digest:2026-11-25"), id)
	it = claim(t, s, "w", now, time.Minute)
	must(t, "ack", s.Ack(ctx, it.ID, "w"))
	again("after delivery", item(tg("1"), "digest:2026-11-25"), "")

	// Same key, other chat (and other platform): separate deliveries.
	id2 := enqueue(t, s, item(tg("2"), "digest:2026-11-25"))
	id3 := enqueue(t, s, item(dc("1"), "digest:2026-11-25"))
	if id2 == id || id3 == id || id2 == id3 {
		t.Errorf("ids not distinct: %q %q %q", id, id2, id3)
	}
	it = claim(t, s, "w", now, time.Minute)
	if it.ID != id2 {
		t.Fatalf("claimed %q, want the oldest %q", it.ID, id2)
	}
	must(t, "park", s.Park(ctx, it.ID, "w", "chat gone"))
	again("while parked", item(it.Chat, it.Key), it.ID)

	out, err := s.Outbox(ctx, "")
	must(t, "outbox", err)
	if len(out) != 2 {
		t.Errorf("outbox has %d items, want 2 (one pending, one parked)", len(out))
	}
}

func testClaimOrder(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()

	var ids []string
	for i := range 3 {
		ids = append(ids, enqueue(t, s, item(tg("1"), fmt.Sprintf("k%d", i))))
	}
	later := item(tg("1"), "later")
	later.NotBefore = now.Add(10 * time.Minute)
	laterID := enqueue(t, s, later)
	exact := item(tg("1"), "exact")
	exact.NotBefore = now
	exactID := enqueue(t, s, exact)

	var got []string
	for range 4 {
		got = append(got, claim(t, s, "w", now, time.Hour).ID)
	}
	if d := cmp.Diff([]string{ids[0], ids[1], ids[2], exactID}, got); d != "" {
		t.Errorf("claim order (-want +got):\n%s", d)
	}
	wantEmpty(t, s, now)
	wantEmpty(t, s, now.Add(10*time.Minute-time.Millisecond))
	it := claim(t, s, "w", now.Add(10*time.Minute), time.Hour)
	if it.ID != laterID {
		t.Errorf("claimed %q when the delayed item became due, want %q", it.ID, laterID)
	}
	if !it.NotBefore.Equal(later.NotBefore) {
		t.Errorf("NotBefore = %v, want %v", it.NotBefore, later.NotBefore)
	}
	_ = ctx
}

func testClaimTakeover(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	lease := 30 * time.Second
	id := enqueue(t, s, item(tg("1"), "k"))

	claim(t, s, "dead", now, lease)
	wantEmpty(t, s, now.Add(lease-time.Millisecond))
	wantEmpty(t, s, now.Add(lease)) // ClaimedUntil < now is required
	it := claim(t, s, "alive", now.Add(lease+time.Millisecond), lease)
	if it.ID != id || it.ClaimedBy != "alive" || !it.ClaimedUntil.Equal(now.Add(2*lease+time.Millisecond)) {
		t.Errorf("takeover: %+v", it)
	}

	// The first worker lost the item: none of its calls may touch it.
	for name, err := range map[string]error{
		"ack":     s.Ack(ctx, id, "dead"),
		"retry":   s.Retry(ctx, id, "dead", now, "x"),
		"release": s.Release(ctx, id, "dead", now),
		"park":    s.Park(ctx, id, "dead", "x"),
	} {
		wantErr(t, name+" by the old owner", err, store.ErrNotOwner)
	}
	out, err := s.Outbox(ctx, store.StateClaimed)
	must(t, "outbox", err)
	if len(out) != 1 || out[0].ClaimedBy != "alive" || out[0].Attempts != 0 {
		t.Errorf("claimed items after refused calls: %+v", out)
	}
	if d, _ := s.Delivered(ctx, tg("1"), "k"); d {
		t.Error("old owner's ack was recorded")
	}
	// A worker that never claimed it is not the owner either.
	wantErr(t, "ack by stranger", s.Ack(ctx, id, "stranger"), store.ErrNotOwner)
	must(t, "ack by new owner", s.Ack(ctx, id, "alive"))
}

func testRetryAndPark(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	id := enqueue(t, s, item(tg("1"), "k"))

	claim(t, s, "w", now, time.Minute)
	must(t, "retry", s.Retry(ctx, id, "w", now.Add(3*time.Second), "429 retry after 3"))
	out, err := s.Outbox(ctx, store.StatePending)
	must(t, "outbox", err)
	if len(out) != 1 {
		t.Fatalf("pending after retry: %d items", len(out))
	}
	p := out[0]
	if p.Attempts != 1 || p.LastError != "429 retry after 3" || !p.NotBefore.Equal(now.Add(3*time.Second)) || p.ClaimedBy != "" || !p.ClaimedUntil.IsZero() {
		t.Errorf("after retry: %+v", p)
	}
	wantEmpty(t, s, now.Add(2*time.Second))
	it := claim(t, s, "w2", now.Add(3*time.Second), time.Minute)
	if it.ID != id || it.Attempts != 1 {
		t.Errorf("reclaimed after retry: %+v", it)
	}
	wantErr(t, "retry by the old worker", s.Retry(ctx, id, "w", now, "x"), store.ErrNotOwner)
	must(t, "retry 2", s.Retry(ctx, id, "w2", now, "500"))
	it = claim(t, s, "w3", now, time.Minute)
	if it.Attempts != 2 || it.LastError != "500" {
		t.Errorf("second retry: attempts %d last error %q", it.Attempts, it.LastError)
	}

	must(t, "park", s.Park(ctx, id, "w3", "403 bot was blocked"))
	parked, err := s.Outbox(ctx, store.StateParked)
	must(t, "outbox parked", err)
	if len(parked) != 1 || parked[0].ID != id || parked[0].LastError != "403 bot was blocked" || parked[0].ClaimedBy != "" {
		t.Errorf("parked: %+v", parked)
	}
	wantEmpty(t, s, now.Add(1000*time.Hour)) // parked items are never claimed again
	wantErr(t, "ack parked", s.Ack(ctx, id, "w3"), store.ErrNotOwner)
	wantErr(t, "retry parked", s.Retry(ctx, id, "w3", now, "x"), store.ErrNotOwner)
	wantErr(t, "release parked", s.Release(ctx, id, "w3", now), store.ErrNotOwner)
	wantErr(t, "park parked", s.Park(ctx, id, "w3", "x"), store.ErrNotOwner)
	wantEmpty(t, s, now.Add(1000*time.Hour))

	// Ack, Retry and Park of a pending (unclaimed) item are refused.
	id2 := enqueue(t, s, item(tg("2"), "k"))
	wantErr(t, "ack pending", s.Ack(ctx, id2, "w"), store.ErrNotOwner)
	wantErr(t, "retry pending", s.Retry(ctx, id2, "w", now, "x"), store.ErrNotOwner)
	wantErr(t, "release pending", s.Release(ctx, id2, "w", now), store.ErrNotOwner)
	wantErr(t, "park pending", s.Park(ctx, id2, "w", "x"), store.ErrNotOwner)
	for name, err := range map[string]error{
		"ack":     s.Ack(ctx, "no-such-item", "w"),
		"retry":   s.Retry(ctx, "no-such-item", "w", now, "x"),
		"release": s.Release(ctx, "no-such-item", "w", now),
		"park":    s.Park(ctx, "no-such-item", "w", "x"),
	} {
		wantErr(t, name+" unknown item", err, store.ErrNotOwner)
		wantErr(t, name+" unknown item", err, store.ErrNotFound)
	}
}

// testRelease: Release puts a claimed item back, due at notBefore, without
// counting an attempt or touching LastError, and only for its owner.
func testRelease(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	id := enqueue(t, s, item(tg("1"), "k"))

	// An earlier failure leaves Attempts 1 and LastError "500".
	claim(t, s, "w", now, time.Minute)
	must(t, "retry", s.Retry(ctx, id, "w", now, "500"))
	claim(t, s, "w", now, time.Minute)
	must(t, "release", s.Release(ctx, id, "w", now.Add(3*time.Second)))
	out, err := s.Outbox(ctx, store.StatePending)
	must(t, "outbox", err)
	if len(out) != 1 {
		t.Fatalf("pending after release: %d items", len(out))
	}
	p := out[0]
	if p.ID != id || p.Attempts != 1 || p.LastError != "500" || !p.NotBefore.Equal(now.Add(3*time.Second)) ||
		p.ClaimedBy != "" || !p.ClaimedUntil.IsZero() {
		t.Errorf("after release: %+v, want attempts 1, last error 500, due +3s, no claim", p)
	}
	// A restart keeps the released item as it was put back.
	s.restart(t)
	out, err = s.Outbox(ctx, store.StatePending)
	must(t, "outbox after restart", err)
	if len(out) != 1 || out[0].Attempts != 1 || !out[0].NotBefore.Equal(now.Add(3*time.Second)) || out[0].ClaimedBy != "" {
		t.Errorf("released item after restart: %+v", out)
	}
	again, enq, err := s.Enqueue(ctx, item(tg("1"), "k"))
	must(t, "enqueue after release", err)
	if enq || again != id {
		t.Errorf("enqueue after release: %q %v, want %q false", again, enq, id)
	}
	wantErr(t, "second release", s.Release(ctx, id, "w", now), store.ErrNotOwner)
	wantEmpty(t, s, now.Add(3*time.Second-time.Millisecond))
	it := claim(t, s, "w2", now.Add(3*time.Second), time.Minute)
	if it.ID != id || it.Attempts != 1 || it.LastError != "500" || it.ClaimedBy != "w2" {
		t.Errorf("reclaimed after release: %+v", it)
	}

	// Released with a time in the past (or zero): due at once, and still
	// no attempt counted however often it goes back.
	for i := range 3 {
		must(t, "release now", s.Release(ctx, id, "w2", time.Time{}))
		it = claim(t, s, "w2", now.Add(3*time.Second), time.Minute)
		if it.ID != id || it.Attempts != 1 {
			t.Fatalf("round %d: claimed %+v", i, it)
		}
	}

	// A released item rejoins behind items already due.
	id2 := enqueue(t, s, item(tg("2"), "k"))
	must(t, "release behind", s.Release(ctx, id, "w2", now.Add(3*time.Second)))
	if got := claim(t, s, "w", now.Add(4*time.Second), time.Minute).ID; got != id2 {
		t.Errorf("claimed %q first, want the item that was already due (%q)", got, id2)
	}
	if got := claim(t, s, "w", now.Add(4*time.Second), time.Minute).ID; got != id {
		t.Errorf("claimed %q second, want the released item %q", got, id)
	}
	must(t, "ack", s.Ack(ctx, id, "w"))
	if d, _ := s.Delivered(ctx, tg("1"), "k"); !d {
		t.Error("released item not delivered after ack")
	}
	wantErr(t, "release acked", s.Release(ctx, id, "w", now), store.ErrNotFound)
}

func testOutboxListing(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	var ids []string
	for i := range 4 {
		ids = append(ids, enqueue(t, s, item(tg(fmt.Sprint(i)), "k")))
	}
	claim(t, s, "w", now, time.Minute)                                            // ids[0]
	must(t, "park", s.Park(ctx, claim(t, s, "w", now, time.Minute).ID, "w", "x")) // ids[1]
	list := func(state string) []string {
		t.Helper()
		out, err := s.Outbox(ctx, state)
		must(t, "outbox "+state, err)
		var got []string
		for _, it := range out {
			if state != "" && it.State != state {
				t.Errorf("Outbox(%q) returned an item in state %q", state, it.State)
			}
			got = append(got, it.ID)
		}
		return got
	}
	for _, tc := range []struct {
		state string
		want  []string
	}{
		{"", ids},
		{store.StatePending, []string{ids[2], ids[3]}},
		{store.StateClaimed, []string{ids[0]}},
		{store.StateParked, []string{ids[1]}},
	} {
		if d := cmp.Diff(tc.want, list(tc.state)); d != "" {
			t.Errorf("Outbox(%q) (-want +got):\n%s", tc.state, d)
		}
	}
}

func testOutboxBadInput(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{})
	now := base()
	for _, tc := range []struct {
		name string
		it   store.OutboxItem
	}{
		{"empty key", item(tg("1"), "")},
		{"empty chat id", item(tg(""), "k")},
		{"empty platform", item(store.ChatRef{ChatID: "1"}, "k")},
		{"unknown platform", item(store.ChatRef{Platform: "icq", ChatID: "1"}, "k")},
	} {
		_, _, err := s.Enqueue(ctx, tc.it)
		wantErr(t, "enqueue "+tc.name, err, store.ErrInvalid)
	}
	_, err := s.Claim(ctx, "", now, time.Minute)
	wantErr(t, "claim without worker", err, store.ErrInvalid)
	_, err = s.Claim(ctx, "w", now, 0)
	wantErr(t, "claim with zero lease", err, store.ErrInvalid)
	wantErr(t, "ack empty id", s.Ack(ctx, "", "w"), store.ErrInvalid)
	wantErr(t, "ack empty worker", s.Ack(ctx, "x", ""), store.ErrInvalid)
	wantErr(t, "retry empty id", s.Retry(ctx, "", "w", now, ""), store.ErrInvalid)
	wantErr(t, "park empty id", s.Park(ctx, "", "w", ""), store.ErrInvalid)
	wantErr(t, "release empty id", s.Release(ctx, "", "w", now), store.ErrInvalid)
	wantErr(t, "release empty worker", s.Release(ctx, "x", "", now), store.ErrInvalid)
	_, err = s.Delivered(ctx, tg("1"), "")
	wantErr(t, "delivered empty key", err, store.ErrInvalid)
	_, err = s.Delivered(ctx, store.ChatRef{}, "k")
	wantErr(t, "delivered empty chat", err, store.ErrInvalid)
	_, err = s.Outbox(ctx, "exploded")
	wantErr(t, "outbox unknown state", err, store.ErrInvalid)
	out, err := s.Outbox(ctx, "")
	must(t, "outbox", err)
	if len(out) != 0 {
		t.Errorf("bad input enqueued %d items", len(out))
	}
}

func testDeliveredRetention(t *testing.T, h *harness) {
	ctx := context.Background()
	s := h.open(t, Options{DeliveredRetention: time.Second})
	now := base()
	enqueue(t, s, item(tg("1"), "k"))
	must(t, "ack", s.Ack(ctx, claim(t, s, "w", now, time.Minute).ID, "w"))
	if d, _ := s.Delivered(ctx, tg("1"), "k"); !d {
		t.Fatal("not delivered right after ack")
	}
	time.Sleep(1500 * time.Millisecond)
	d, err := s.Delivered(ctx, tg("1"), "k")
	must(t, "delivered", err)
	if d {
		t.Error("delivery-log entry outlived its retention")
	}
	enqueue(t, s, item(tg("1"), "k"))
}
