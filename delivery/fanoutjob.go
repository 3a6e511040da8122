package delivery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"newsbrief/store"
)

// An instant fan-out (OnArticle: one outbox item per matching chat) is
// itself an outbox item, so that nothing can cut it short for good: the
// ingester enqueues one job item per new article (EnqueueFanOut, in the
// same breath as storing the article) and a worker claims it like any
// other, runs OnArticle for the article and acknowledges it. A worker that
// dies in the middle leaves the job claimed; when the claim lapses another
// worker, or the restarted process, runs it again, and since enqueueing per
// (chat, key) is idempotent the second run adds only what the first did
// not. The job's own (chat, key) makes it run once per article: enqueued
// again while it waits or after it ran, it is refused.

// FanOutChat is the outbox "chat" of fan-out jobs.
var FanOutChat = store.ChatRef{Platform: store.Internal, ChatID: "fanout"}

// KindFanOut is the Kind of a fan-out job; its Payload is the article id.
const KindFanOut = "fanout"

// FanOutResumeWindow: OnIngested re-ensures the fan-out job of a duplicate
// only for an article ingested at most this long ago. A later alert is no
// longer news (digests still cover it), and an article stored before fan-out
// jobs existed must not alert every chat that subscribed since.
const FanOutResumeWindow = 6 * time.Hour

// FanOutKey is the outbox idempotency key of the fan-out job of article id.
func FanOutKey(articleID string) string { return "fanout:" + articleID }

// EnqueueFanOut enqueues the fan-out job of article a (FanOutChat,
// FanOutKey(a.ID)) and wakes the workers when it did. It reports whether
// it enqueued: false when the job is already waiting or has run. Call it
// with a context that a client hanging up does not cancel.
func (w *Worker) EnqueueFanOut(ctx context.Context, a store.Article) (bool, error) {
	if a.ID == "" {
		return false, fmt.Errorf("enqueue fan-out: %w: empty article id", store.ErrInvalid)
	}
	_, enqueued, err := w.cfg.Store.Enqueue(ctx, store.OutboxItem{
		Key:     FanOutKey(a.ID),
		Chat:    FanOutChat,
		Kind:    KindFanOut,
		Payload: []byte(a.ID),
		Created: w.cfg.Now(),
	})
	if err != nil {
		return false, fmt.Errorf("enqueue fan-out of article %s: %w", a.ID, err)
	}
	if enqueued {
		w.Wake()
	}
	return enqueued, nil
}

// OnIngested is the ingester's hook (ingest.IngesterConfig.OnArticle): a
// new article gets its fan-out job; so does a duplicate of one ingested
// within FanOutResumeWindow, which is a no-op unless a crash between
// storing the article and enqueueing its job lost the job (the retried POST
// or the re-poll that brings the duplicate then resumes it).
func (w *Worker) OnIngested(ctx context.Context, a store.Article, created bool) error {
	if !created && (a.Ingested.IsZero() || w.cfg.Now().Sub(a.Ingested) > FanOutResumeWindow) {
		return nil
	}
	_, err := w.EnqueueFanOut(ctx, a)
	return err
}

// runFanOut runs a fan-out job claimed at c: OnArticle for its article,
// inside the same two thirds of the lease a send gets, then Ack. A job cut
// short by shutdown goes back to the outbox without an attempt counted;
// other failures are retried with backoff like a failed send.
func (w *Worker) runFanOut(sendCtx context.Context, log *slog.Logger, name string, it store.OutboxItem, c claim) {
	if it.Kind != KindFanOut || len(it.Payload) == 0 {
		w.park(sendCtx, log, it, name, fmt.Sprintf("internal item of kind %q with %d payload bytes: not a fan-out job", it.Kind, len(it.Payload)), "bad_payload")
		return
	}
	id := string(it.Payload)
	log = log.With("article_id", id)
	ctx, cancel := context.WithDeadline(sendCtx, c.real.Add(w.cfg.Lease*2/3))
	defer cancel()

	n, err := w.fanOutStored(ctx, id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Expired or deleted: nothing left to announce. Ack so the job is
		// not enqueued again.
		log.Warn("fan-out job for an article no longer stored; dropped")
	case err != nil && sendCtx.Err() != nil:
		w.release(sendCtx, log, it, name, w.cfg.Now(), "shutdown")
		log.Info("fan-out interrupted by shutdown; it resumes on the next start", "enqueued", n)
		return
	case err != nil:
		log.Error("instant fan-out", "enqueued", n, "error", err)
		if it.Attempts+1 >= w.cfg.MaxAttempts {
			w.park(sendCtx, log, it, name, fmt.Sprintf("gave up after %d attempts: %v", it.Attempts+1, err), "failed")
			return
		}
		w.retry(sendCtx, log, it, name, w.cfg.Now().Add(w.backoff(it.Attempts)), err.Error(), "error")
		return
	default:
		log.Debug("instant fan-out", "enqueued", n)
	}
	octx, cancelOp := opCtx(sendCtx)
	defer cancelOp()
	if err := w.cfg.Store.Ack(octx, it.ID, name); err != nil {
		// The claim lapsed and another worker runs the job again: harmless.
		log.Error("ack fan-out job", "error", err)
	}
}

// fanOutStored runs OnArticle for the stored article id.
func (w *Worker) fanOutStored(ctx context.Context, id string) (int, error) {
	a, err := w.cfg.Store.GetArticle(ctx, id)
	if err != nil {
		return 0, fmt.Errorf("fan out article %s: load: %w", id, err)
	}
	return w.OnArticle(ctx, a)
}
