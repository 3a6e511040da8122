package boltstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"newsbrief/store"
)

// The outbox in bbolt: items live in bucket outbox under a zero-padded
// sequence id (so key order is enqueue order), (chat, key) -> id in
// outbox_key for idempotency, and every claimable item (pending or claimed)
// has one entry in outbox_due keyed by the time it becomes claimable:
// NotBefore for pending items, ClaimedUntil+1ns for claimed ones (a claim is
// taken over only once ClaimedUntil < now). Claim takes the first entry of
// outbox_due, so "oldest due" means earliest due time, then enqueue order.
// Parked items have no due entry and are never claimed again.

// dueOf returns the outbox_due time of an item in state pending or claimed.
func dueOf(it store.OutboxItem) int64 {
	if it.State == store.StateClaimed {
		return nanos(it.ClaimedUntil) + 1
	}
	return nanos(it.NotBefore)
}

// Delivered reports whether (chat, key) is in the delivery log.
func (s *Store) Delivered(ctx context.Context, chat store.ChatRef, key string) (bool, error) {
	if err := checkChat("delivered", chat); err != nil {
		return false, err
	}
	if key == "" {
		return false, invalid("delivered", "empty key")
	}
	if err := ctx.Err(); err != nil {
		return false, err
	}
	now := s.now().UnixNano()
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		ok = delivered(tx, deliveryKey(chat, key), now)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("boltstore: delivered %s %s: %w", chat, key, err)
	}
	return ok, nil
}

func delivered(tx *bolt.Tx, dk []byte, now int64) bool {
	raw := tx.Bucket(bDelivered).Get(dk)
	return len(raw) == 8 && int64(binary.BigEndian.Uint64(raw)) > now
}

// sweepDelivered removes up to sweepBatch expired delivery-log entries and
// returns how many index entries it visited.
func sweepDelivered(tx *bolt.Tx, now time.Time) (int, error) {
	idx := tx.Bucket(bDlvExp)
	log := tx.Bucket(bDelivered)
	var dead [][]byte
	c := idx.Cursor()
	for k, _ := c.First(); k != nil && len(dead) < sweepBatch; k, _ = c.Next() {
		if int64(binary.BigEndian.Uint64(k[:8])) > now.UnixNano() {
			break
		}
		dead = append(dead, append([]byte(nil), k...))
	}
	for _, k := range dead {
		if err := idx.Delete(k); err != nil {
			return 0, err
		}
		dk := k[8:]
		if raw := log.Get(dk); len(raw) == 8 && int64(binary.BigEndian.Uint64(raw)) > now.UnixNano() {
			continue // delivered again since: a newer index entry exists
		}
		if err := log.Delete(dk); err != nil {
			return 0, err
		}
	}
	return len(dead), nil
}

// Enqueue adds it in state pending unless (Chat, Key) was delivered (then
// "", false) or is in the outbox in any state (then that id, false). ID,
// State and claim fields are set by the store; a zero Created becomes now.
func (s *Store) Enqueue(ctx context.Context, it store.OutboxItem) (id string, enqueued bool, err error) {
	if err := checkChat("enqueue", it.Chat); err != nil {
		return "", false, err
	}
	if it.Key == "" {
		return "", false, invalid("enqueue", "empty key")
	}
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	now := s.now()
	dk := deliveryKey(it.Chat, it.Key)
	err = s.db.Update(func(tx *bolt.Tx) error {
		if delivered(tx, dk, now.UnixNano()) {
			return nil
		}
		keys := tx.Bucket(bOutboxKey)
		if old := keys.Get(dk); old != nil {
			id = string(old)
			return nil
		}
		ob := tx.Bucket(bOutbox)
		seq, err := ob.NextSequence()
		if err != nil {
			return err
		}
		it.ID = fmt.Sprintf("%020d", seq)
		it.State = store.StatePending
		it.ClaimedBy, it.ClaimedUntil = "", time.Time{}
		if it.Created.IsZero() {
			it.Created = now
		}
		if err := putJSON(ob, []byte(it.ID), it); err != nil {
			return err
		}
		if err := keys.Put(dk, []byte(it.ID)); err != nil {
			return err
		}
		id, enqueued = it.ID, true
		return tx.Bucket(bOutboxDue).Put(timeKey(dueOf(it), it.ID), nil)
	})
	if err != nil {
		return "", false, fmt.Errorf("boltstore: enqueue %s %s: %w", it.Chat, it.Key, err)
	}
	return id, enqueued, nil
}

// Claim hands the first due item to worker until now+lease; store.ErrEmpty
// when none is due. bbolt runs one write transaction at a time, so exactly
// one concurrent caller gets a given item.
func (s *Store) Claim(ctx context.Context, worker string, now time.Time, lease time.Duration) (store.OutboxItem, error) {
	if worker == "" {
		return store.OutboxItem{}, invalid("claim", "empty worker")
	}
	if lease <= 0 {
		return store.OutboxItem{}, invalid("claim", "lease must be positive")
	}
	if err := ctx.Err(); err != nil {
		return store.OutboxItem{}, err
	}
	var it store.OutboxItem
	err := s.db.Update(func(tx *bolt.Tx) error {
		due := tx.Bucket(bOutboxDue)
		ob := tx.Bucket(bOutbox)
		for {
			k, _ := due.Cursor().First()
			if k == nil || int64(binary.BigEndian.Uint64(k[:8])) > nanos(now) {
				return store.ErrEmpty
			}
			k = append([]byte(nil), k...)
			if err := due.Delete(k); err != nil {
				return err
			}
			ok, err := getJSON(ob, k[8:], &it)
			if err != nil {
				return err
			}
			if !ok || it.State == store.StateParked {
				continue // stale index entry: dropped above
			}
			break
		}
		it.State = store.StateClaimed
		it.ClaimedBy = worker
		it.ClaimedUntil = now.Add(lease)
		if err := putJSON(ob, []byte(it.ID), it); err != nil {
			return err
		}
		return due.Put(timeKey(dueOf(it), it.ID), nil)
	})
	if err != nil {
		if err == store.ErrEmpty {
			return store.OutboxItem{}, store.ErrEmpty
		}
		return store.OutboxItem{}, fmt.Errorf("boltstore: claim: %w", err)
	}
	return it, nil
}

// owned loads item id and checks worker holds its claim. An item that is no
// longer in the outbox yields an error matching both store.ErrNotOwner and
// store.ErrNotFound.
func owned(tx *bolt.Tx, id, worker string) (store.OutboxItem, error) {
	var it store.OutboxItem
	ok, err := getJSON(tx.Bucket(bOutbox), []byte(id), &it)
	if err != nil {
		return it, err
	}
	if !ok {
		return it, fmt.Errorf("item %s is not in the outbox: %w (%w)", id, store.ErrNotOwner, store.ErrNotFound)
	}
	if it.State != store.StateClaimed || it.ClaimedBy != worker {
		return it, fmt.Errorf("item %s is %s by %q: %w", id, it.State, it.ClaimedBy, store.ErrNotOwner)
	}
	return it, nil
}

func checkAck(op, id, worker string) error {
	if id == "" || worker == "" {
		return invalid(op, "empty id or worker")
	}
	return nil
}

// Ack writes (chat, key) to the delivery log and removes the item, in one
// transaction; store.ErrNotOwner if worker no longer holds the claim.
func (s *Store) Ack(ctx context.Context, id, worker string) error {
	if err := checkAck("ack", id, worker); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now()
	err := s.db.Update(func(tx *bolt.Tx) error {
		it, err := owned(tx, id, worker)
		if err != nil {
			return err
		}
		if _, err := sweepDelivered(tx, now); err != nil {
			return err
		}
		dk := deliveryKey(it.Chat, it.Key)
		exp := now.Add(s.opts.DeliveredRetention).UnixNano()
		if err := tx.Bucket(bDelivered).Put(dk, be(exp)); err != nil {
			return err
		}
		if err := tx.Bucket(bDlvExp).Put(append(be(exp), dk...), nil); err != nil {
			return err
		}
		if err := tx.Bucket(bOutboxKey).Delete(dk); err != nil {
			return err
		}
		if err := tx.Bucket(bOutboxDue).Delete(timeKey(dueOf(it), id)); err != nil {
			return err
		}
		return tx.Bucket(bOutbox).Delete([]byte(id))
	})
	if err != nil {
		return fmt.Errorf("boltstore: ack %s: %w", id, err)
	}
	return nil
}

// Retry returns a claimed item to pending, due at notBefore, with Attempts
// incremented and lastErr recorded; store.ErrNotOwner as for Ack.
func (s *Store) Retry(ctx context.Context, id, worker string, notBefore time.Time, lastErr string) error {
	if err := checkAck("retry", id, worker); err != nil {
		return err
	}
	if err := s.unclaim(ctx, id, worker, notBefore, func(it *store.OutboxItem) {
		it.Attempts++
		it.LastError = lastErr
	}); err != nil {
		return fmt.Errorf("boltstore: retry %s: %w", id, err)
	}
	return nil
}

// Release returns a claimed item to pending, due at notBefore, leaving
// Attempts and LastError as they were; store.ErrNotOwner as for Ack.
func (s *Store) Release(ctx context.Context, id, worker string, notBefore time.Time) error {
	if err := checkAck("release", id, worker); err != nil {
		return err
	}
	if err := s.unclaim(ctx, id, worker, notBefore, nil); err != nil {
		return fmt.Errorf("boltstore: release %s: %w", id, err)
	}
	return nil
}

// unclaim moves an item worker holds back to pending, due at notBefore,
// after applying edit (nil: none), in one transaction.
func (s *Store) unclaim(ctx context.Context, id, worker string, notBefore time.Time, edit func(*store.OutboxItem)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		it, err := owned(tx, id, worker)
		if err != nil {
			return err
		}
		due := tx.Bucket(bOutboxDue)
		if err := due.Delete(timeKey(dueOf(it), id)); err != nil {
			return err
		}
		it.State = store.StatePending
		it.NotBefore = notBefore
		if edit != nil {
			edit(&it)
		}
		it.ClaimedBy, it.ClaimedUntil = "", time.Time{}
		if err := putJSON(tx.Bucket(bOutbox), []byte(id), it); err != nil {
			return err
		}
		return due.Put(timeKey(dueOf(it), id), nil)
	})
}

// Park moves a claimed item to state parked with reason in LastError; it is
// never claimed again and keeps its (chat, key) so Enqueue stays idempotent.
// store.ErrNotOwner as for Ack.
func (s *Store) Park(ctx context.Context, id, worker, reason string) error {
	if err := checkAck("park", id, worker); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		it, err := owned(tx, id, worker)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bOutboxDue).Delete(timeKey(dueOf(it), id)); err != nil {
			return err
		}
		it.State = store.StateParked
		it.LastError = reason
		it.ClaimedBy, it.ClaimedUntil = "", time.Time{}
		return putJSON(tx.Bucket(bOutbox), []byte(id), it)
	})
	if err != nil {
		return fmt.Errorf("boltstore: park %s: %w", id, err)
	}
	return nil
}

// Outbox lists items in state ("" = all), oldest (first enqueued) first.
func (s *Store) Outbox(ctx context.Context, state string) ([]store.OutboxItem, error) {
	switch state {
	case "", store.StatePending, store.StateClaimed, store.StateParked:
	default:
		return nil, invalid("outbox", fmt.Sprintf("unknown state %q", state))
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []store.OutboxItem
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bOutbox).ForEach(func(k, v []byte) error {
			var it store.OutboxItem
			if _, err := getJSON(tx.Bucket(bOutbox), k, &it); err != nil {
				return err
			}
			if state == "" || it.State == state {
				out = append(out, it)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: outbox: %w", err)
	}
	return out, nil
}
