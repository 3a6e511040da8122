package boltstore

import (
	"context"
	"fmt"
	"math"
	"time"
)

// tokenBucket is the state of one TakeToken bucket.
type tokenBucket struct {
	tokens float64
	last   time.Time
	full   time.Duration // time to refill from empty: idle longer, it is full
}

// pruneEvery is how many TakeToken calls pass between prunes of buckets
// that are full again (and so equal to a fresh one).
const pruneEvery = 4096

// TakeToken takes one token from the named token bucket, which refills at
// perSecond up to burst tokens (a full bucket at first use). It returns 0
// when a token was taken; otherwise how long until one is available, and
// no token is taken. Time comes from the now argument; a now earlier than
// the bucket's last update counts as no time passed.
//
// The buckets live in this process's memory: the process that owns the
// bbolt file is the only one sending, so it owns the whole budget. They are
// safe for concurrent use.
func (s *Store) TakeToken(ctx context.Context, bucket string, perSecond float64, burst int, now time.Time) (time.Duration, error) {
	if bucket == "" || !(perSecond > 0) || math.IsInf(perSecond, 1) || burst < 1 {
		return 0, invalid("take token", fmt.Sprintf("bucket %q, rate %v/s, burst %d", bucket, perSecond, burst))
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.takes++; s.takes%pruneEvery == 0 {
		for name, b := range s.buckets {
			if now.Sub(b.last) > b.full {
				delete(s.buckets, name)
			}
		}
	}
	b := s.buckets[bucket]
	if b == nil {
		b = &tokenBucket{tokens: float64(burst), last: now}
		s.buckets[bucket] = b
	}
	if el := now.Sub(b.last); el > 0 {
		b.tokens = math.Min(float64(burst), b.tokens+el.Seconds()*perSecond)
		b.last = now
	}
	b.full = time.Duration(float64(burst) / perSecond * float64(time.Second))
	if b.tokens > float64(burst) {
		b.tokens = float64(burst) // burst lowered since last call
	}
	if b.tokens >= 1 {
		b.tokens--
		return 0, nil
	}
	wait := time.Duration(math.Ceil((1 - b.tokens) / perSecond * float64(time.Second)))
	return max(wait, 1), nil
}
