package redisstore

import (
	"strings"
	"time"

	"newsbrief/store"
)

// Key layout. Every key starts with the store's prefix (REDIS_PREFIX, for
// example "newsbrief:"); P below stands for it. TTLs are given per key.
//
//	P article:<id>              string, Article JSON            TTL ArticleRetention
//	P art:url:<url>             string, article id (dedup)      TTL ArticleRetention
//	P art:guid:<guid>           string, article id (dedup)      TTL ArticleRetention
//	P art:hash:<content hash>   string, article id (dedup)      TTL ArticleRetention
//	P articles                  zset, id by Ingested (ms)       TTL ArticleRetention, renewed by each put;
//	                                                             members whose article expired are
//	                                                             removed when RecentArticles meets them
//	P sub:<platform>:<chat>     string, Subscription JSON       none
//	P subs                      zset (score 0), "<platform>\x00<chat>", lexicographic listing
//	P feed:<url>                string, FeedCursor JSON         none
//	P feeds                     zset (score 0), feed URLs, lexicographic listing
//	P dlv:<platform>:<chat>:<key>  string "1": the delivery log TTL DeliveredRetention
//	P ob:seq                    string, counter for outbox ids  none
//	P ob:item:<id>              hash, one outbox item           none (removed by Ack)
//	P ob:key:<platform>:<chat>:<key>  string, outbox id (Enqueue idempotency)  none (removed by Ack)
//	P ob:all                    zset, id by enqueue sequence (listing)         none
//	P ob:delayed                zset, id by NotBefore (ms): items not yet in the stream
//	P ob:stream                 stream of ready items (field "id"), consumer group "workers"
//	P ob:claims                 zset, id by ClaimedUntil (ms): claimed items
//	P lease:<name>              string, holder                  TTL the lease ttl
//	P cp:<name>                 string, int64 checkpoint        none
//	P tb:<bucket>               hash {t: tokens, ts: µs}        TTL time to refill the bucket + 1 s
//
// In <chat>, "%" and ":" are escaped as %25 and %3A so that the key parts
// cannot run into each other (platforms never contain ":", keys may).
const (
	kArticle      = "article:"
	kArtURL       = "art:url:"
	kArtGUID      = "art:guid:"
	kArtHash      = "art:hash:"
	kArticles     = "articles"
	kSub          = "sub:"
	kSubs         = "subs"
	kFeed         = "feed:"
	kFeeds        = "feeds"
	kDelivered    = "dlv:"
	kOutboxSeq    = "ob:seq"
	kOutboxItem   = "ob:item:"
	kOutboxKey    = "ob:key:"
	kOutboxAll    = "ob:all"
	kOutboxDelay  = "ob:delayed"
	kOutboxStream = "ob:stream"
	kOutboxClaims = "ob:claims"
	kLease        = "lease:"
	kCheckpoint   = "cp:"
	kTokens       = "tb:"

	// group is the outbox stream's consumer group.
	group = "workers"
)

// Defaults for Options fields left zero.
const (
	DefaultArticleRetention   = 30 * 24 * time.Hour
	DefaultDeliveredRetention = 60 * 24 * time.Hour
)

// maxSeenIDs caps FeedCursor.SeenIDs (the contract asks for at least 500).
const maxSeenIDs = 1000

var chatEscaper = strings.NewReplacer("%", "%25", ":", "%3A")

// keys builds key names under one prefix.
type keys struct{ p string }

func (k keys) article(id string) string { return k.p + kArticle + id }
func (k keys) sub(c store.ChatRef) string {
	return k.p + kSub + c.Platform + ":" + chatEscaper.Replace(c.ChatID)
}
func subMember(c store.ChatRef) string   { return c.Platform + "\x00" + c.ChatID }
func (k keys) feed(url string) string    { return k.p + kFeed + url }
func (k keys) lease(name string) string  { return k.p + kLease + name }
func (k keys) cp(name string) string     { return k.p + kCheckpoint + name }
func (k keys) tokens(name string) string { return k.p + kTokens + name }
func (k keys) delivered(c store.ChatRef, key string) string {
	return k.p + kDelivered + c.Platform + ":" + chatEscaper.Replace(c.ChatID) + ":" + key
}
func (k keys) outboxKey(c store.ChatRef, key string) string {
	return k.p + kOutboxKey + c.Platform + ":" + chatEscaper.Replace(c.ChatID) + ":" + key
}
func (k keys) item(id string) string { return k.p + kOutboxItem + id }
