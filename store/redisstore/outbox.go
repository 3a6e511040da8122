package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"newsbrief/store"
)

// The outbox on Redis Streams.
//
// Each item is a hash P ob:item:<id> (its fields, state and claim). Where
// the item waits depends on its state:
//
//   - pending, due: an entry {id} in the stream P ob:stream, read through
//     the consumer group "workers";
//   - pending, not yet due (NotBefore set by Enqueue or Retry): a member of
//     the sorted set P ob:delayed scored by NotBefore;
//   - claimed: in the group's pending-entries list (PEL) under the worker's
//     name, and in the sorted set P ob:claims scored by ClaimedUntil;
//   - parked: only the hash (and its Enqueue key), nowhere to be claimed.
//
// Claim is one Lua script, so it is atomic with respect to every other
// replica: it moves the delayed items that are due (NotBefore <= now) to the
// stream, then takes over the oldest claim that ran out (ClaimedUntil < now,
// XCLAIM to the new worker) or, if none, reads the next new entry with
// XREADGROUP, and records worker and ClaimedUntil in the hash and in
// ob:claims. Expiry of claims is decided by ClaimedUntil against the
// caller's now rather than by XAUTOCLAIM's idle time, because the contract
// gives each Claim its own lease and its own clock; the PEL still shows who
// holds what (XPENDING) for operators. Ack, Retry and Park are one script
// each, and so is Release (Retry without counting an attempt): they check
// state and owner in the hash, XACK and XDEL the entry, and Ack writes the
// delivery log and drops the item in the same script.
//
// Times: scores are milliseconds; NotBefore and ClaimedUntil are rounded up
// and now down, so an item is never handed out early. Exact instants are
// kept in the hash in nanoseconds.

var enqueueScript = redis.NewScript(`
-- KEYS: delivered, outbox key, seq, all, delayed, stream
-- ARGV: prefix.."ob:item:", not-before ms (-1: none), field/value pairs...
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, ''} end
local old = redis.call('GET', KEYS[2])
if old then return {0, old} end
local seq = redis.call('INCR', KEYS[3])
local id = string.format('%d', seq)
local ik = ARGV[1] .. id
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', ik, 'state', 'pending', 'dk', KEYS[1], 'ck', KEYS[2], 'att', 0, unpack(fields))
redis.call('SET', KEYS[2], id)
redis.call('ZADD', KEYS[4], seq, id)
local nb = tonumber(ARGV[2])
if nb >= 0 then
  redis.call('ZADD', KEYS[5], nb, id)
else
  local sid = redis.call('XADD', KEYS[6], '*', 'id', id)
  redis.call('HSET', ik, 'sid', sid)
end
return {1, id}
`)

var claimScript = redis.NewScript(`
-- KEYS: delayed, stream, claims
-- ARGV: item key prefix, group, worker, now ms, until ms, until ns
local delayed, stream, claims = KEYS[1], KEYS[2], KEYS[3]
local ip, grp, worker, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
-- 1. due delayed items join the stream, in due order
local due = redis.call('ZRANGEBYSCORE', delayed, '-inf', now, 'LIMIT', 0, 100)
for _, id in ipairs(due) do
  local sid = redis.call('XADD', stream, '*', 'id', id)
  redis.call('HSET', ip .. id, 'sid', sid)
  redis.call('ZREM', delayed, id)
end
local function take(id)
  local ik = ip .. id
  redis.call('HSET', ik, 'state', 'claimed', 'by', worker, 'until', ARGV[6])
  redis.call('ZADD', claims, ARGV[5], id)
  return redis.call('HGETALL', ik)
end
-- 2. the oldest claim that ran out (its worker died or is too slow)
local exp = redis.call('ZRANGEBYSCORE', claims, '-inf', '(' .. now, 'LIMIT', 0, 1)
if #exp > 0 then
  local id = exp[1]
  local sid = redis.call('HGET', ip .. id, 'sid')
  if sid then redis.call('XCLAIM', stream, grp, worker, 0, sid, 'JUSTID') end
  return {id, take(id)}
end
-- 3. the next new entry of the stream
for _ = 1, 100 do
  local r = redis.pcall('XREADGROUP', 'GROUP', grp, worker, 'COUNT', 1, 'STREAMS', stream, '>')
  if type(r) == 'table' and r.err then
    if string.find(r.err, 'NOGROUP') then
      -- the stream or group was lost (FLUSHALL, restart without persistence)
      redis.call('XGROUP', 'CREATE', stream, grp, '0', 'MKSTREAM')
      r = redis.call('XREADGROUP', 'GROUP', grp, worker, 'COUNT', 1, 'STREAMS', stream, '>')
    else
      return redis.error_reply(r.err)
    end
  end
  if not r then return false end
  local entry = r[1][2][1]
  local sid, id = entry[1], entry[2][2]
  local st = redis.call('HGET', ip .. id, 'state')
  if st == 'pending' and redis.call('HGET', ip .. id, 'sid') == sid then
    return {id, take(id)}
  end
  -- a stale entry (item gone or moved on): drop it and read on
  redis.call('XACK', stream, grp, sid)
  redis.call('XDEL', stream, sid)
end
return false
`)

// ownerCheck is the common head of the Ack, Retry, Release and Park
// scripts: it returns an error reply unless the item is claimed by ARGV[2].
const ownerCheck = `
local ik = ARGV[1]
local h = redis.call('HMGET', ik, 'state', 'by', 'sid', 'dk', 'ck')
if not h[1] then return 'GONE' end
if h[1] ~= 'claimed' or h[2] ~= ARGV[2] then return 'NOTOWNER ' .. h[1] .. ' ' .. (h[2] or '') end
local sid = h[3]
if sid then
  redis.call('XACK', KEYS[1], ARGV[3], sid)
  redis.call('XDEL', KEYS[1], sid)
end
redis.call('ZREM', KEYS[2], ARGV[4])
`

var ackScript = redis.NewScript(`
-- KEYS: stream, claims, all
-- ARGV: item key, worker, group, id, delivered retention ms
` + ownerCheck + `
redis.call('SET', h[4], '1', 'PX', ARGV[5])
redis.call('DEL', h[5])
redis.call('ZREM', KEYS[3], ARGV[4])
redis.call('DEL', ik)
return 'OK'
`)

var retryScript = redis.NewScript(`
-- KEYS: stream, claims, delayed
-- ARGV: item key, worker, group, id, not-before ms, not-before ns, last error
` + ownerCheck + `
redis.call('HDEL', ik, 'by', 'until', 'sid')
redis.call('HINCRBY', ik, 'att', 1)
redis.call('HSET', ik, 'state', 'pending', 'nb', ARGV[6], 'err', ARGV[7])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
return 'OK'
`)

var releaseScript = redis.NewScript(`
-- KEYS: stream, claims, delayed
-- ARGV: item key, worker, group, id, not-before ms, not-before ns
` + ownerCheck + `
redis.call('HDEL', ik, 'by', 'until', 'sid')
redis.call('HSET', ik, 'state', 'pending', 'nb', ARGV[6])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4])
return 'OK'
`)

var parkScript = redis.NewScript(`
-- KEYS: stream, claims
-- ARGV: item key, worker, group, id, reason
` + ownerCheck + `
redis.call('HDEL', ik, 'by', 'until', 'sid')
redis.call('HSET', ik, 'state', 'parked', 'err', ARGV[5])
return 'OK'
`)

// Delivered reports whether (chat, key) is in the delivery log.
func (s *Store) Delivered(ctx context.Context, chat store.ChatRef, key string) (bool, error) {
	if err := checkChat("delivered", chat); err != nil {
		return false, err
	}
	if key == "" {
		return false, invalid("delivered", "empty key")
	}
	n, err := s.rdb.Exists(ctx, s.k.delivered(chat, key)).Result()
	if err != nil {
		return false, fmt.Errorf("redisstore: delivered %s %s: %w", chat, key, err)
	}
	return n == 1, nil
}

// Enqueue adds it in state pending unless (Chat, Key) was delivered (then
// "", false) or is in the outbox in any state (then that id, false), in one
// script. Items without NotBefore go straight to the stream; delayed ones
// wait in ob:delayed until a Claim finds them due. A zero Created becomes
// the current time. One round trip.
func (s *Store) Enqueue(ctx context.Context, it store.OutboxItem) (id string, enqueued bool, err error) {
	if err := checkChat("enqueue", it.Chat); err != nil {
		return "", false, err
	}
	if it.Key == "" {
		return "", false, invalid("enqueue", "empty key")
	}
	if it.Created.IsZero() {
		it.Created = time.Now()
	}
	nb := int64(-1)
	if !it.NotBefore.IsZero() {
		nb = msCeil(it.NotBefore)
	}
	p := s.k.p
	res, err := enqueueScript.Run(ctx, s.rdb,
		[]string{s.k.delivered(it.Chat, it.Key), s.k.outboxKey(it.Chat, it.Key), p + kOutboxSeq, p + kOutboxAll, p + kOutboxDelay, p + kOutboxStream},
		p+kOutboxItem, nb,
		"key", it.Key, "plat", it.Chat.Platform, "chat", it.Chat.ChatID, "thread", it.ThreadID,
		"kind", it.Kind, "payload", it.Payload, "created", nanoStr(it.Created),
		"nb", nanoStr(it.NotBefore), "att", it.Attempts, "err", it.LastError,
	).Slice()
	if err != nil {
		return "", false, fmt.Errorf("redisstore: enqueue %s %s: %w", it.Chat, it.Key, err)
	}
	if len(res) != 2 {
		return "", false, fmt.Errorf("redisstore: enqueue %s %s: unexpected script reply %v", it.Chat, it.Key, res)
	}
	n, _ := res[0].(int64)
	id, _ = res[1].(string)
	return id, n == 1, nil
}

// Claim hands the oldest due item to worker until now+lease (see the
// outbox design above); store.ErrEmpty when none is due. One round trip.
func (s *Store) Claim(ctx context.Context, worker string, now time.Time, lease time.Duration) (store.OutboxItem, error) {
	if worker == "" {
		return store.OutboxItem{}, invalid("claim", "empty worker")
	}
	if lease <= 0 {
		return store.OutboxItem{}, invalid("claim", "lease must be positive")
	}
	until := now.Add(lease)
	p := s.k.p
	res, err := claimScript.Run(ctx, s.rdb,
		[]string{p + kOutboxDelay, p + kOutboxStream, p + kOutboxClaims},
		p+kOutboxItem, group, worker, msFloor(now), msCeil(until), nanoStr(until),
	).Slice()
	if errors.Is(err, redis.Nil) {
		return store.OutboxItem{}, store.ErrEmpty
	}
	if err != nil {
		return store.OutboxItem{}, fmt.Errorf("redisstore: claim: %w", err)
	}
	if len(res) != 2 {
		return store.OutboxItem{}, fmt.Errorf("redisstore: claim: unexpected script reply %v", res)
	}
	id, _ := res[0].(string)
	flat, _ := res[1].([]any)
	return itemFromFlat(id, flat), nil
}

// itemFromFlat builds an item from an HGETALL reply given as a flat list.
func itemFromFlat(id string, flat []any) store.OutboxItem {
	m := make(map[string]string, len(flat)/2)
	for i := 0; i+1 < len(flat); i += 2 {
		k, _ := flat[i].(string)
		v, _ := flat[i+1].(string)
		m[k] = v
	}
	return itemFromMap(id, m)
}

func itemFromMap(id string, m map[string]string) store.OutboxItem {
	att, _ := strconv.Atoi(m["att"])
	it := store.OutboxItem{
		ID:           id,
		Key:          m["key"],
		Chat:         store.ChatRef{Platform: m["plat"], ChatID: m["chat"]},
		ThreadID:     m["thread"],
		Kind:         m["kind"],
		Payload:      []byte(m["payload"]),
		NotBefore:    parseNano(m["nb"]),
		Attempts:     att,
		LastError:    m["err"],
		State:        m["state"],
		Created:      parseNano(m["created"]),
		ClaimedBy:    m["by"],
		ClaimedUntil: parseNano(m["until"]),
	}
	if len(it.Payload) == 0 {
		it.Payload = nil
	}
	return it
}

// scriptResult maps the reply of the Ack, Retry, Release and Park scripts to
// errors.
func scriptResult(id string, reply string) error {
	switch {
	case reply == "OK":
		return nil
	case reply == "GONE":
		return fmt.Errorf("item %s is not in the outbox: %w (%w)", id, store.ErrNotOwner, store.ErrNotFound)
	case strings.HasPrefix(reply, "NOTOWNER"):
		f := strings.Fields(reply)
		state, by := "", ""
		if len(f) > 1 {
			state = f[1]
		}
		if len(f) > 2 {
			by = f[2]
		}
		return fmt.Errorf("item %s is %s by %q: %w", id, state, by, store.ErrNotOwner)
	default:
		return fmt.Errorf("unexpected script reply %q", reply)
	}
}

func checkAck(op, id, worker string) error {
	if id == "" || worker == "" {
		return invalid(op, "empty id or worker")
	}
	return nil
}

// Ack writes (chat, key) to the delivery log (TTL DeliveredRetention) and
// removes the item, in one script; store.ErrNotOwner if worker no longer
// holds the claim. One round trip.
func (s *Store) Ack(ctx context.Context, id, worker string) error {
	if err := checkAck("ack", id, worker); err != nil {
		return err
	}
	p := s.k.p
	reply, err := ackScript.Run(ctx, s.rdb, []string{p + kOutboxStream, p + kOutboxClaims, p + kOutboxAll},
		s.k.item(id), worker, group, id, ms(s.opts.DeliveredRetention)).Text()
	if err == nil {
		err = scriptResult(id, reply)
	}
	if err != nil {
		return fmt.Errorf("redisstore: ack %s: %w", id, err)
	}
	return nil
}

// Retry returns a claimed item to pending, due at notBefore, with Attempts
// incremented and lastErr recorded; store.ErrNotOwner as for Ack.
func (s *Store) Retry(ctx context.Context, id, worker string, notBefore time.Time, lastErr string) error {
	if err := checkAck("retry", id, worker); err != nil {
		return err
	}
	p := s.k.p
	reply, err := retryScript.Run(ctx, s.rdb, []string{p + kOutboxStream, p + kOutboxClaims, p + kOutboxDelay},
		s.k.item(id), worker, group, id, msCeil(notBefore), nanoStr(notBefore), lastErr).Text()
	if err == nil {
		err = scriptResult(id, reply)
	}
	if err != nil {
		return fmt.Errorf("redisstore: retry %s: %w", id, err)
	}
	return nil
}

// Release returns a claimed item to pending, due at notBefore, leaving
// Attempts and LastError as they were; store.ErrNotOwner as for Ack. One
// round trip.
func (s *Store) Release(ctx context.Context, id, worker string, notBefore time.Time) error {
	if err := checkAck("release", id, worker); err != nil {
		return err
	}
	p := s.k.p
	reply, err := releaseScript.Run(ctx, s.rdb, []string{p + kOutboxStream, p + kOutboxClaims, p + kOutboxDelay},
		s.k.item(id), worker, group, id, msCeil(notBefore), nanoStr(notBefore)).Text()
	if err == nil {
		err = scriptResult(id, reply)
	}
	if err != nil {
		return fmt.Errorf("redisstore: release %s: %w", id, err)
	}
	return nil
}

// Park moves a claimed item to state parked with reason in LastError; it is
// never claimed again and keeps its (chat, key) so Enqueue stays idempotent.
// store.ErrNotOwner as for Ack.
func (s *Store) Park(ctx context.Context, id, worker, reason string) error {
	if err := checkAck("park", id, worker); err != nil {
		return err
	}
	p := s.k.p
	reply, err := parkScript.Run(ctx, s.rdb, []string{p + kOutboxStream, p + kOutboxClaims},
		s.k.item(id), worker, group, id, reason).Text()
	if err == nil {
		err = scriptResult(id, reply)
	}
	if err != nil {
		return fmt.Errorf("redisstore: park %s: %w", id, err)
	}
	return nil
}

// Outbox lists items in state ("" = all), in enqueue order. Two round trips
// (the index, then one pipeline of HGETALLs).
func (s *Store) Outbox(ctx context.Context, state string) ([]store.OutboxItem, error) {
	switch state {
	case "", store.StatePending, store.StateClaimed, store.StateParked:
	default:
		return nil, invalid("outbox", fmt.Sprintf("unknown state %q", state))
	}
	ids, err := s.rdb.ZRange(ctx, s.k.p+kOutboxAll, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: outbox: %w", err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGetAll(ctx, s.k.item(id))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("redisstore: outbox: %w", err)
	}
	var out []store.OutboxItem
	for i, c := range cmds {
		m := c.Val()
		if len(m) == 0 {
			continue // acked between the two reads
		}
		it := itemFromMap(ids[i], m)
		if state == "" || it.State == state {
			out = append(out, it)
		}
	}
	return out, nil
}
