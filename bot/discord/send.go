package discord

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbrief/bot"
	"newsbrief/store"
)

// channelTTL is how long a channel's type is cached.
const channelTTL = 10 * time.Minute

// Discord JSON error codes that mean the bot can no longer post there.
// Specs: https://discord.com/developers/docs/topics/opcodes-and-status-codes#json-json-error-codes
const (
	codeUnknownChannel     = 10003
	codeMissingAccess      = 50001
	codeMissingPermissions = 50013
)

type channelInfo struct {
	typ   discordgo.ChannelType
	guild string
	name  string
	at    time.Time
}

// channel returns a channel's type and guild, cached for channelTTL.
// Errors: *bot.ChatGoneError when the channel is unknown or inaccessible.
func (b *Bot) channel(ctx context.Context, id string) (channelInfo, error) {
	now := b.cfg.Now()
	b.mu.Lock()
	c, ok := b.channels[id]
	b.mu.Unlock()
	if ok && now.Sub(c.at) < channelTTL {
		return c, nil
	}
	ch, err := b.s.Channel(id, discordgo.WithContext(ctx))
	if err != nil {
		return channelInfo{}, classify(fmt.Errorf("get channel %s: %w", id, err))
	}
	c = channelInfo{typ: ch.Type, guild: ch.GuildID, name: ch.Name, at: now}
	b.mu.Lock()
	b.channels[id] = c
	b.mu.Unlock()
	return c, nil
}

// createMessage is the body of POST /channels/{id}/messages. It is ours
// rather than discordgo.MessageSend, which has no enforce_nonce.
// Specs: https://discord.com/developers/docs/resources/message#create-message
type createMessage struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds,omitempty"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Nonce           string                            `json:"nonce,omitempty"`
	EnforceNonce    bool                              `json:"enforce_nonce,omitempty"`
	Flags           discordgo.MessageFlags            `json:"flags,omitempty"`
}

// startThread is the body of POST /channels/{forum}/threads.
// Specs: https://discord.com/developers/docs/resources/channel#start-thread-in-forum-or-media-channel
type startThread struct {
	Name    string        `json:"name"`
	Message createMessage `json:"message"`
}

// nonce derives a message nonce (at most 25 characters, as Discord allows)
// from the delivery's identity: the same outbox item resent after a crash
// gets the same nonce, and with enforce_nonce Discord returns the message
// it already created instead of posting it twice.
func nonce(channelID, key string, part int) string {
	h := sha256.Sum256([]byte(channelID + "\x00" + key + "\x00" + strconv.Itoa(part)))
	return base64.RawURLEncoding.EncodeToString(h[:])[:25]
}

// Send posts m to a Discord channel (or thread) and implements
// delivery.Sender. A long message is split into several posts, each sent
// with a nonce derived from key and enforce_nonce, so a retry never posts
// twice. On a forum channel a digest becomes a new post titled with its
// date (an alert, a post titled with its headline); a post of that title by
// the bot already open in the forum counts as delivered.
//
// Errors: *bot.RetryAfterError on a 429 longer than Config.MaxInlineWait
// (shorter ones are waited out); *bot.ChatGoneError on unknown channel
// (10003), missing access (50001) or missing permissions (50013); other
// errors are transient.
func (b *Bot) Send(ctx context.Context, chat store.ChatRef, threadID, key string, m bot.Message) error {
	if chat.Platform != store.Discord || chat.ChatID == "" {
		return fmt.Errorf("discord: send to %s: not a Discord channel", chat)
	}
	if key == "" {
		return errors.New("discord: send: empty idempotency key")
	}
	target := chat.ChatID
	if threadID != "" {
		target = threadID // a thread is a channel of its own
	}
	msgs := render(m)
	if len(msgs) == 0 {
		return nil // nothing to say
	}
	info, err := b.channel(ctx, target)
	if err != nil {
		return fmt.Errorf("discord: send %s to %s: %w", key, target, err)
	}
	bodies := make([]createMessage, len(msgs))
	for i, om := range msgs {
		bodies[i] = createMessage{Content: om.Content, Embeds: om.Embeds, AllowedMentions: noMentions(),
			Nonce: nonce(target, key, i), EnforceNonce: true}
		if m.NoPreview && len(om.Embeds) == 0 {
			bodies[i].Flags = discordgo.MessageFlagsSuppressEmbeds
		}
	}
	if info.typ == discordgo.ChannelTypeGuildForum {
		thread, err := b.forumPost(ctx, target, info.guild, threadName(m), bodies[0])
		if err != nil {
			return fmt.Errorf("discord: send %s to forum %s: %w", key, target, err)
		}
		target, bodies = thread, bodies[1:]
	}
	for i, body := range bodies {
		if err := b.post(ctx, target, body); err != nil {
			return fmt.Errorf("discord: send %s part %d/%d to %s: %w", key, i+1, len(bodies), target, err)
		}
	}
	return nil
}

// threadName titles a forum post: the digest's date, or the headline.
func threadName(m bot.Message) string {
	switch {
	case m.Kind == bot.KindDigest && m.Digest != nil:
		return "Digest " + m.Digest.Date
	case m.Kind == bot.KindBriefing && m.Briefing != nil && plain(m.Briefing.Title) != "":
		return cut(plain(m.Briefing.Title), maxThreadName)
	}
	return "newsbrief"
}

// post creates one message, waiting out short rate limits.
func (b *Bot) post(ctx context.Context, channelID string, body createMessage) error {
	ep := discordgo.EndpointChannelMessages(channelID)
	return b.withRateLimit(ctx, func() error {
		_, err := b.s.RequestWithBucketID(http.MethodPost, ep, body, ep,
			discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
		return err
	})
}

// forumPost starts a post (thread) in a forum unless the bot already has an
// active post of that name there, and returns the thread id.
func (b *Bot) forumPost(ctx context.Context, forumID, guildID, name string, first createMessage) (string, error) {
	if guildID != "" {
		threads, err := b.s.GuildThreadsActive(guildID, discordgo.WithContext(ctx))
		if err != nil {
			return "", classify(fmt.Errorf("list active threads: %w", err))
		}
		b.mu.Lock()
		me := b.userID
		b.mu.Unlock()
		for _, t := range threads.Threads {
			if t.ParentID == forumID && t.Name == name && (me == "" || t.OwnerID == me) {
				return t.ID, nil // posted before a crash or a lost answer
			}
		}
	}
	first.Nonce, first.EnforceNonce = "", false // not part of a thread's first message
	ep := discordgo.EndpointChannelThreads(forumID)
	var id string
	err := b.withRateLimit(ctx, func() error {
		resp, err := b.s.RequestWithBucketID(http.MethodPost, ep, startThread{Name: name, Message: first}, ep,
			discordgo.WithContext(ctx), discordgo.WithRetryOnRatelimit(false))
		if err != nil {
			return err
		}
		var ch discordgo.Channel
		if err := discordgo.Unmarshal(resp, &ch); err != nil {
			return fmt.Errorf("decode thread: %w", err)
		}
		id = ch.ID
		return nil
	})
	return id, err
}

// withRateLimit runs call, retrying after 429s no longer than
// MaxInlineWait (ctx permitting), and classifies its error.
func (b *Bot) withRateLimit(ctx context.Context, call func() error) error {
	for {
		err := call()
		var rl *discordgo.RateLimitError
		if errors.As(err, &rl) && rl.RetryAfter <= b.cfg.MaxInlineWait {
			t := time.NewTimer(rl.RetryAfter)
			select {
			case <-t.C:
				continue
			case <-ctx.Done():
				t.Stop()
				return fmt.Errorf("wait for rate limit: %w", ctx.Err())
			}
		}
		return classify(err)
	}
}

// classify turns discordgo errors into the outcomes delivery acts on.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var rl *discordgo.RateLimitError
	if errors.As(err, &rl) {
		return &bot.RetryAfterError{Wait: rl.RetryAfter, Err: err}
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Message != nil {
		switch re.Message.Code {
		case codeUnknownChannel:
			return &bot.ChatGoneError{Reason: "unknown channel (10003)", Err: err}
		case codeMissingAccess:
			return &bot.ChatGoneError{Reason: "missing access (50001)", Err: err}
		case codeMissingPermissions:
			return &bot.ChatGoneError{Reason: "missing permissions (50013)", Err: err}
		}
	}
	return err
}
