package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbrief/bot"
	"newsbrief/store"
)

// maxSignatureAge is how old (or how far in the future) a signed HTTP
// interaction may be: older ones are replays.
const maxSignatureAge = 5 * time.Minute

// maxInteractionBody caps an HTTP interaction request body.
const maxInteractionBody = 1 << 20

// maxAttachmentSize caps a /brief file: (HTML pages carry markup besides
// the article; the extracted text is capped again by the bot core).
const maxAttachmentSize = 2 << 20

// errTooLate: the HTTP interaction was already answered with a deferred
// response because the work took longer than ackBudget.
var errTooLate = errors.New("interaction already acknowledged with a deferred response")

// noMentions allows no mention of any kind: article text must never ping
// @everyone, a role or a user.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// syntax rewrites the command hints in the bot core's sentences (written
// for typed commands) into Discord's options and menus. A sentence it does
// not know passes unchanged.
var syntax = strings.NewReplacer(
	"or reply /brief to a message that contains the article", "or use Apps › Brief this message on a message",
	"/time 07:30 Europe/Kyiv", "/subscribe time:07:30 timezone:Europe/Kyiv",
	"/mode instant", "/subscribe mode:instant",
	"/mode digest", "/subscribe mode:digest",
	"send /help to see what I can do", "type / to see the commands",
	"send /help to see how to use the commands", "type / to see the commands and their options",
	"only this chat's administrators", "only members with the Manage Channels permission",
	"/sources add URL and /sources remove URL", "/sources add:URL or /sources remove:URL",
)

var linkRE = regexp.MustCompile(`https?://[^\s()<>]+`)

// noPreviews wraps the links of text in <…> so Discord shows no preview
// of each feed.
func noPreviews(text string) string {
	return linkRE.ReplaceAllStringFunc(text, func(u string) string {
		trimmed := strings.TrimRight(u, ".,;:!?")
		return "<" + trimmed + ">" + u[len(trimmed):]
	})
}

// userMessage is bot.UserMessage in Discord's command syntax.
func userMessage(err error) string { return syntax.Replace(bot.UserMessage(err)) }

// responder sends the initial response to an interaction: a REST callback
// (gateway) or the HTTP response body (HTTP interactions).
type responder func(ctx context.Context, r *discordgo.InteractionResponse) error

// track registers background work with Close; false once closed.
func (b *Bot) track() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	b.wg.Add(1)
	return true
}

// onInteraction handles INTERACTION_CREATE from the gateway; discordgo
// runs each event handler in its own goroutine.
func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	if !b.track() {
		return
	}
	defer b.wg.Done()
	i := ic.Interaction
	b.handle(b.ctx, i, func(ctx context.Context, r *discordgo.InteractionResponse) error {
		return s.InteractionRespond(i, r, discordgo.WithContext(ctx))
	})
}

// exchange is one interaction being answered.
type exchange struct {
	b        *Bot
	i        *discordgo.Interaction
	respond  responder
	deferred bool
}

// handle dispatches an interaction to its command.
// Specs: https://discord.com/developers/docs/interactions/receiving-and-responding
func (b *Bot) handle(ctx context.Context, i *discordgo.Interaction, respond responder) {
	x := &exchange{b: b, i: i, respond: respond}
	defer func() {
		// One bad interaction must not take the bot down.
		if r := recover(); r != nil {
			b.log.ErrorContext(ctx, "interaction handler panicked", "interaction_id", i.ID, "panic", fmt.Sprint(r))
			x.fail(ctx, fmt.Errorf("panic: %v: %w", r, bot.ErrUnavailable))
		}
	}()
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		data := i.ApplicationCommandData()
		ctx, cancel := context.WithTimeout(ctx, workTimeout)
		defer cancel()
		switch data.Name {
		case cmdBrief:
			x.brief(ctx, data)
		case cmdBriefMessage:
			x.briefMessage(ctx, data)
		case cmdSubscribe:
			x.subscribe(ctx, data)
		case cmdUnsubscribe:
			x.unsubscribe(ctx, data)
		case cmdSubscriptions:
			x.subscriptions(ctx)
		case cmdDigest:
			x.digest(ctx)
		case cmdSources:
			x.sources(ctx, data)
		default:
			x.fail(ctx, fmt.Errorf("command %q: %w", data.Name, bot.ErrUnknownCommand))
		}
	case discordgo.InteractionApplicationCommandAutocomplete:
		x.autocomplete(ctx, i.ApplicationCommandData())
	default:
		b.log.DebugContext(ctx, "ignored interaction", "type", int(i.Type))
	}
}

func options(data discordgo.ApplicationCommandInteractionData) map[string]*discordgo.ApplicationCommandInteractionDataOption {
	m := map[string]*discordgo.ApplicationCommandInteractionDataOption{}
	for _, o := range data.Options {
		m[o.Name] = o
	}
	return m
}

func str(opts map[string]*discordgo.ApplicationCommandInteractionDataOption, name string) string {
	if o := opts[name]; o != nil {
		if s, ok := o.Value.(string); ok {
			return strings.TrimSpace(s)
		}
	}
	return ""
}

// userID returns the invoking user's id.
func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

// canManage re-checks on receipt what default_member_permissions asked
// Discord to enforce: server owners can override command permissions.
func canManage(i *discordgo.Interaction) bool {
	if i.Member == nil {
		return false
	}
	p := i.Member.Permissions
	return p&discordgo.PermissionAdministrator != 0 || p&discordgo.PermissionManageChannels != 0
}

func (x *exchange) deferReply(ctx context.Context, ephemeral bool) bool {
	r := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	if ephemeral {
		r.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	err := x.respond(ctx, r)
	if errors.Is(err, errTooLate) {
		err = nil
	}
	if err != nil {
		x.b.log.WarnContext(ctx, "defer interaction", "interaction_id", x.i.ID, "error", err)
		return false
	}
	x.deferred = true
	return true
}

// reply sends msgs: the first as the response (or the edit of the deferred
// one), the rest as follow-ups.
func (x *exchange) reply(ctx context.Context, msgs []outMessage, ephemeral bool) {
	if len(msgs) == 0 {
		msgs = []outMessage{{Content: "Done."}}
	}
	var flags discordgo.MessageFlags
	if ephemeral {
		flags = discordgo.MessageFlagsEphemeral
	}
	first := msgs[0]
	if !x.deferred {
		err := x.respond(ctx, &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: &discordgo.InteractionResponseData{Content: first.Content, Embeds: first.Embeds,
				AllowedMentions: noMentions(), Flags: flags},
		})
		switch {
		case errors.Is(err, errTooLate):
			x.deferred = true
		case err != nil:
			x.b.log.WarnContext(ctx, "respond to interaction", "interaction_id", x.i.ID, "error", err)
			return
		}
	}
	if x.deferred {
		content, embeds := first.Content, first.Embeds
		if embeds == nil {
			embeds = []*discordgo.MessageEmbed{}
		}
		if _, err := x.b.s.InteractionResponseEdit(x.i, &discordgo.WebhookEdit{
			Content: &content, Embeds: &embeds, AllowedMentions: noMentions(),
		}, discordgo.WithContext(ctx)); err != nil {
			x.b.log.WarnContext(ctx, "edit interaction response", "interaction_id", x.i.ID, "error", err)
			return
		}
	}
	for _, m := range msgs[1:] {
		if _, err := x.b.s.FollowupMessageCreate(x.i, true, &discordgo.WebhookParams{
			Content: m.Content, Embeds: m.Embeds, AllowedMentions: noMentions(), Flags: flags,
		}, discordgo.WithContext(ctx)); err != nil {
			x.b.log.WarnContext(ctx, "interaction follow-up", "interaction_id", x.i.ID, "error", err)
			return
		}
	}
}

func (x *exchange) replyText(ctx context.Context, text string, ephemeral bool) {
	x.reply(ctx, renderText(text), ephemeral)
}

// fail tells the user, privately, what went wrong and what to do. After a
// public deferred response it deletes the "thinking…" message and sends
// the sentence as an ephemeral follow-up.
func (x *exchange) fail(ctx context.Context, err error) {
	// Backend failures and surprises are for operators; refusals of bad
	// input only for the curious.
	if errors.Is(err, bot.ErrUnavailable) || bot.UserMessage(err) == bot.UserMessage(bot.ErrUnavailable) {
		x.b.log.WarnContext(ctx, "interaction failed", "interaction_id", x.i.ID, "error", err)
	} else {
		x.b.log.InfoContext(ctx, "interaction refused", "interaction_id", x.i.ID, "error", err)
	}
	// A context that ran out still leaves time to say so.
	if ctx.Err() != nil {
		c, cancel := context.WithTimeout(context.WithoutCancel(ctx), restTimeout)
		defer cancel()
		ctx = c
	}
	text := userMessage(err)
	if !x.deferred {
		x.replyText(ctx, text, true)
		return
	}
	if err := x.b.s.InteractionResponseDelete(x.i, discordgo.WithContext(ctx)); err != nil {
		x.b.log.WarnContext(ctx, "delete deferred response", "interaction_id", x.i.ID, "error", err)
	}
	if _, err := x.b.s.FollowupMessageCreate(x.i, true, &discordgo.WebhookParams{
		Content: text, AllowedMentions: noMentions(), Flags: discordgo.MessageFlagsEphemeral,
	}, discordgo.WithContext(ctx)); err != nil {
		x.b.log.WarnContext(ctx, "error follow-up", "interaction_id", x.i.ID, "error", err)
	}
}

// checkAttachment accepts .txt and .html files of reasonable size.
func checkAttachment(a *discordgo.MessageAttachment) error {
	ext := strings.ToLower(path.Ext(a.Filename))
	ct := strings.ToLower(a.ContentType)
	okType := ext == ".txt" || ext == ".html" || ext == ".htm" ||
		strings.HasPrefix(ct, "text/plain") || strings.HasPrefix(ct, "text/html")
	if !okType {
		return fmt.Errorf("attachment %q (%s): %w", a.Filename, a.ContentType, bot.ErrNotText)
	}
	if a.Size > maxAttachmentSize {
		return fmt.Errorf("attachment %q: %d bytes: %w", a.Filename, a.Size, bot.ErrTooLarge)
	}
	return nil
}

// brief answers /brief text:… file:…: deferred at once (fetching a link
// or a file may take longer than Discord's 3 s), then the briefing.
func (x *exchange) brief(ctx context.Context, data discordgo.ApplicationCommandInteractionData) {
	opts := options(data)
	input := str(opts, optText)
	var att *discordgo.MessageAttachment
	if o := opts[optFile]; o != nil && data.Resolved != nil {
		id, _ := o.Value.(string)
		att = data.Resolved.Attachments[id]
	}
	if att != nil {
		if err := checkAttachment(att); err != nil {
			x.fail(ctx, err)
			return
		}
	}
	if input == "" && att == nil {
		x.fail(ctx, bot.ErrEmptyInput)
		return
	}
	x.run(ctx, input, att)
}

// briefMessage answers the "Brief this message" context menu command.
func (x *exchange) briefMessage(ctx context.Context, data discordgo.ApplicationCommandInteractionData) {
	var m *discordgo.Message
	if data.Resolved != nil {
		m = data.Resolved.Messages[data.TargetID]
	}
	if m == nil {
		x.fail(ctx, bot.ErrEmptyInput)
		return
	}
	input := strings.TrimSpace(m.Content)
	var att *discordgo.MessageAttachment
	for _, a := range m.Attachments {
		if checkAttachment(a) == nil {
			att = a
			break
		}
	}
	if input == "" && att == nil {
		// A message that is only an embed (another bot's post).
		var parts []string
		for _, e := range m.Embeds {
			parts = append(parts, e.Title, e.Description)
			for _, f := range e.Fields {
				parts = append(parts, f.Value)
			}
		}
		input = strings.TrimSpace(strings.Join(parts, "\n"))
	}
	if input == "" && att == nil {
		x.fail(ctx, bot.ErrEmptyInput)
		return
	}
	x.run(ctx, input, att)
}

// run defers, briefs and posts the result. An attachment is fetched by the
// bot core's fetcher (safe fetch, size and type caps) through its URL.
func (x *exchange) run(ctx context.Context, input string, att *discordgo.MessageAttachment) {
	if !x.deferReply(ctx, false) {
		return
	}
	if att != nil {
		input = att.URL
	}
	b, err := x.b.core.Brief(ctx, input)
	if err != nil {
		x.fail(ctx, err)
		return
	}
	if att != nil {
		b.URL, b.Source = "", att.Filename
	}
	x.reply(ctx, render(bot.Message{Kind: bot.KindBriefing, Briefing: &b}), false)
}

// target returns the channel a subscription command is about: the channel
// option, or the channel the command was used in.
func (x *exchange) target(ctx context.Context, data discordgo.ApplicationCommandInteractionData) (bot.Chat, error) {
	id := x.i.ChannelID
	var ch *discordgo.Channel
	if o := options(data)[optChannel]; o != nil {
		if v, ok := o.Value.(string); ok && v != "" {
			id = v
		}
		if data.Resolved != nil {
			ch = data.Resolved.Channels[id]
		}
	}
	chat := bot.Chat{Ref: store.ChatRef{Platform: store.Discord, ChatID: id}, Type: bot.ChatGroup, Guild: x.i.GuildID}
	if x.i.GuildID == "" {
		chat.Type = bot.ChatPrivate
	}
	if ch == nil && x.i.GuildID != "" {
		info, err := x.b.channel(ctx, id)
		if err == nil {
			ch = &discordgo.Channel{ID: id, Name: info.name, Type: info.typ}
		} else {
			var gone *bot.ChatGoneError
			if errors.As(err, &gone) {
				return bot.Chat{}, fmt.Errorf("channel %s: %w: %w", id, bot.ErrChannelNotFound, err)
			}
			x.b.log.WarnContext(ctx, "look up channel", "channel_id", id, "error", err)
		}
	}
	if ch != nil {
		chat.Forum = ch.Type == discordgo.ChannelTypeGuildForum
		if ch.Name != "" {
			chat.Title = "#" + ch.Name
		}
	}
	if ch != nil && ch.Type != discordgo.ChannelTypeGuildText && ch.Type != discordgo.ChannelTypeGuildNews &&
		ch.Type != discordgo.ChannelTypeGuildForum && x.i.GuildID != "" {
		return bot.Chat{}, fmt.Errorf("channel %s type %d: %w", id, ch.Type, bot.ErrChannelNotFound)
	}
	return chat, nil
}

func (x *exchange) actor() bot.Actor {
	return bot.Actor{Platform: store.Discord, UserID: userID(x.i), Admin: canManage(x.i)}
}

// subscribe answers /subscribe: only members with Manage Channels (checked
// again here), options validated before anything is stored.
func (x *exchange) subscribe(ctx context.Context, data discordgo.ApplicationCommandInteractionData) {
	opts := options(data)
	mode, hhmm, zone := strings.ToLower(str(opts, optMode)), str(opts, optTime), str(opts, optTimezone)
	if mode != "" && mode != store.ModeInstant && mode != store.ModeDigest {
		x.fail(ctx, fmt.Errorf("mode %q: %w", mode, bot.ErrBadMode))
		return
	}
	if hhmm != "" {
		if _, err := bot.ParseClock(hhmm); err != nil {
			x.fail(ctx, err)
			return
		}
	}
	if zone != "" {
		if _, err := bot.LoadZone(zone); err != nil {
			x.fail(ctx, err)
			return
		}
	}
	actor := x.actor()
	if x.i.GuildID != "" && !actor.Admin {
		x.fail(ctx, fmt.Errorf("subscribe by %s: %w", actor.UserID, bot.ErrNotAdmin))
		return
	}
	chat, err := x.target(ctx, data)
	if err != nil {
		x.fail(ctx, err)
		return
	}
	res, err := x.b.core.Subscribe(ctx, chat, actor, bot.SplitTerms(str(opts, optTopics)))
	if err != nil {
		x.fail(ctx, err)
		return
	}
	if hhmm != "" || zone != "" {
		if hhmm == "" {
			hhmm = res.Subscription.DigestTime
		}
		sub, err := x.b.core.SetTime(ctx, chat, actor, hhmm, zone)
		if err != nil {
			x.fail(ctx, err)
			return
		}
		res.Subscription = sub
	}
	if mode != "" {
		sub, err := x.b.core.SetMode(ctx, chat, actor, mode)
		if err != nil {
			x.fail(ctx, err)
			return
		}
		res.Subscription = sub
	}
	msgs := renderText(fmt.Sprintf("<#%s>: %s", chat.Ref.ChatID, syntax.Replace(bot.SubscribedText(res))))
	if res.Latest != nil {
		b := res.Latest.Briefing
		msgs = append(msgs, render(bot.Message{Kind: bot.KindBriefing, Briefing: &b})...)
	}
	x.reply(ctx, msgs, true)
}

func (x *exchange) unsubscribe(ctx context.Context, data discordgo.ApplicationCommandInteractionData) {
	actor := x.actor()
	if x.i.GuildID != "" && !actor.Admin {
		x.fail(ctx, fmt.Errorf("unsubscribe by %s: %w", actor.UserID, bot.ErrNotAdmin))
		return
	}
	chat, err := x.target(ctx, data)
	if err != nil {
		x.fail(ctx, err)
		return
	}
	if err := x.b.core.Unsubscribe(ctx, chat, actor); err != nil {
		x.fail(ctx, err)
		return
	}
	x.replyText(ctx, fmt.Sprintf("Unsubscribed: <#%s> will get no more alerts or digests; /subscribe starts again.", chat.Ref.ChatID), true)
}

// subscriptions lists this server's subscribed channels, privately.
func (x *exchange) subscriptions(ctx context.Context) {
	var subs []store.Subscription
	if x.b.cfg.Subscriptions != nil && x.i.GuildID != "" {
		all, err := x.b.cfg.Subscriptions.Subscriptions(ctx, store.Discord)
		if err != nil {
			x.fail(ctx, fmt.Errorf("list subscriptions: %w: %w", bot.ErrUnavailable, err))
			return
		}
		for _, s := range all {
			if s.Guild == x.i.GuildID {
				subs = append(subs, s)
			}
		}
	} else {
		sub, err := x.b.core.Subscription(ctx, store.ChatRef{Platform: store.Discord, ChatID: x.i.ChannelID})
		if err != nil {
			x.fail(ctx, err)
			return
		}
		subs = append(subs, sub)
	}
	if len(subs) == 0 {
		x.replyText(ctx, "No channel of this server is subscribed; /subscribe starts one.", true)
		return
	}
	var b strings.Builder
	for _, s := range subs {
		s.Title = "" // the channel mention names it
		fmt.Fprintf(&b, "<#%s>\n%s\n\n", s.ChatID, syntax.Replace(bot.DescribeSubscription(s)))
	}
	x.replyText(ctx, b.String(), true)
}

// digest posts the digest of the last 24 hours in this channel.
func (x *exchange) digest(ctx context.Context) {
	if !x.deferReply(ctx, false) {
		return
	}
	m, err := x.b.core.DigestNow(ctx, store.ChatRef{Platform: store.Discord, ChatID: x.i.ChannelID})
	if err != nil {
		x.fail(ctx, err)
		return
	}
	x.reply(ctx, render(m), false)
}

// sources answers /sources: the feed list for anyone; add: and remove:
// for the bot's operators only (the core refuses everyone else). Replies
// are ephemeral: they concern the bot, not the channel.
func (x *exchange) sources(ctx context.Context, data discordgo.ApplicationCommandInteractionData) {
	opts := options(data)
	add, remove := str(opts, optAdd), str(opts, optRemove)
	actor := x.actor()
	var text string
	switch {
	case add != "" && remove != "":
		x.fail(ctx, fmt.Errorf("sources add and remove at once: %w", bot.ErrBadSource))
		return
	case add != "":
		res, err := x.b.core.AddSource(ctx, actor, add)
		if err != nil {
			x.fail(ctx, err)
			return
		}
		text = bot.SourceAddedText(res)
	case remove != "":
		res, err := x.b.core.RemoveSource(ctx, actor, remove)
		if err != nil {
			x.fail(ctx, err)
			return
		}
		text = bot.SourceRemovedText(res)
	default:
		feeds, err := x.b.core.Sources(ctx)
		if err != nil {
			x.fail(ctx, err)
			return
		}
		text = bot.DescribeSources(feeds, time.Now())
	}
	x.replyText(ctx, noPreviews(syntax.Replace(text)), true)
}

// autocomplete offers IANA time zones for /subscribe timezone:.
func (x *exchange) autocomplete(ctx context.Context, data discordgo.ApplicationCommandInteractionData) {
	var choices []*discordgo.ApplicationCommandOptionChoice
	for _, o := range data.Options {
		if o.Focused && o.Name == optTimezone {
			s, _ := o.Value.(string)
			choices = zoneChoices(s)
		}
	}
	if choices == nil {
		choices = []*discordgo.ApplicationCommandOptionChoice{}
	}
	if err := x.respond(ctx, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}); err != nil && !errors.Is(err, errTooLate) {
		x.b.log.WarnContext(ctx, "autocomplete", "interaction_id", x.i.ID, "error", err)
	}
}

// InteractionsHandler serves Discord's HTTP interactions endpoint (mount it
// on the process's HTTP server; its URL goes in the Developer Portal). Every
// request's Ed25519 signature and timestamp are checked: 401 when either is
// bad or the timestamp is more than 5 minutes off. PING is answered with
// PONG; a command is answered in the HTTP response (deferred when the work
// may take longer) and completed over REST. It answers 404 when the Bot
// has no public key.
// Specs: https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint
func (b *Bot) InteractionsHandler() http.Handler {
	return http.HandlerFunc(b.serveInteraction)
}

func (b *Bot) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if !b.httpMode() {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInteractionBody))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err := b.verify(r.Header, body); err != nil {
		b.log.InfoContext(r.Context(), "rejected interaction request", "error", err, "remote", r.RemoteAddr)
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	var i discordgo.Interaction
	if err := json.Unmarshal(body, &i); err != nil {
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	}
	if !b.track() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	h := &httpAck{answered: make(chan struct{}), written: make(chan struct{})}
	defer close(h.written)
	go func() {
		defer b.wg.Done()
		b.handle(b.ctx, &i, h.respond)
	}()
	t := time.NewTimer(ackBudget)
	defer t.Stop()
	select {
	case <-h.answered:
	case <-t.C:
	case <-r.Context().Done():
	}
	writeJSON(w, h.final())
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// httpAck carries the first response of an HTTP interaction from the
// worker to the HTTP handler, or makes it a deferred one when the worker
// is too slow.
type httpAck struct {
	mu       sync.Mutex
	resp     *discordgo.InteractionResponse
	late     bool
	answered chan struct{} // closed when the worker responded
	written  chan struct{} // closed when the HTTP response was sent
}

func (h *httpAck) respond(_ context.Context, r *discordgo.InteractionResponse) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.late {
		return errTooLate
	}
	if h.resp != nil {
		return errors.New("interaction already answered")
	}
	h.resp = r
	close(h.answered)
	h.mu.Unlock()
	// REST edits must not overtake the HTTP response they edit.
	<-h.written
	h.mu.Lock()
	return nil
}

// final returns the response to write: the worker's, or an ephemeral
// deferred one, after which the worker's respond calls get errTooLate.
func (h *httpAck) final() *discordgo.InteractionResponse {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.resp != nil {
		return h.resp
	}
	h.late = true
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral},
	}
}

// verify checks the Ed25519 signature over timestamp+body and the
// timestamp's age.
func (b *Bot) verify(h http.Header, body []byte) error {
	sig, err := hex.DecodeString(h.Get("X-Signature-Ed25519"))
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("missing or malformed X-Signature-Ed25519")
	}
	ts := h.Get("X-Signature-Timestamp")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("missing or malformed X-Signature-Timestamp")
	}
	if age := b.cfg.Now().Sub(time.Unix(sec, 0)); age > maxSignatureAge || age < -maxSignatureAge {
		return fmt.Errorf("stale signature timestamp (%s off)", age.Round(time.Second))
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(b.cfg.PublicKey, msg, sig) {
		return errors.New("bad signature")
	}
	return nil
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b) // the peer hung up; nothing to do
}
