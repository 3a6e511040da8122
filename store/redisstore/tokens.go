package redisstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/redis/go-redis/v9"
)

// takeTokenScript is a token bucket in one hash {t: tokens, ts: last update
// in µs}. Numbers are written with string.format so no precision is lost to
// Lua's default 14-digit conversion.
var takeTokenScript = redis.NewScript(`
-- KEYS: bucket; ARGV: rate per second, burst, now µs, ttl ms
local rate, burst, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens, ts = tonumber(v[1]), tonumber(v[2])
if not tokens or not ts then tokens, ts = burst, now end
if now > ts then
  tokens = math.min(burst, tokens + (now - ts) * rate / 1e6)
  ts = now
end
if tokens > burst then tokens = burst end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.max(1, math.ceil((1 - tokens) * 1e6 / rate))
end
redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), 'ts', string.format('%d', ts))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return wait
`)

// TakeToken takes one token from the named bucket, shared by every replica
// on this Redis, which refills at perSecond up to burst tokens (full at
// first use). It returns 0 when a token was taken; otherwise how long until
// one is available, and nothing is taken. One round trip.
//
// Time comes from the now argument, not from Redis TIME: callers pass their
// clock (tests pass a fixed one), replicas are expected to be NTP-synced,
// and a now earlier than the bucket's last update counts as no time passed,
// so a replica whose clock lags can only be stricter, never exceed the
// budget. The bucket key expires once it would be full again.
func (s *Store) TakeToken(ctx context.Context, bucket string, perSecond float64, burst int, now time.Time) (time.Duration, error) {
	if bucket == "" || !(perSecond > 0) || math.IsInf(perSecond, 1) || burst < 1 {
		return 0, invalid("take token", fmt.Sprintf("bucket %q, rate %v/s, burst %d", bucket, perSecond, burst))
	}
	ttl := ms(time.Duration(float64(burst)/perSecond*float64(time.Second))) + 1000
	us, err := takeTokenScript.Run(ctx, s.rdb, []string{s.k.tokens(bucket)},
		perSecond, burst, now.UnixMicro(), ttl).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstore: take token %s: %w", bucket, err)
	}
	return time.Duration(us) * time.Microsecond, nil
}
