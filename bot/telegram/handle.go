package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"newsbrief/bot"
	"newsbrief/store"
)

// handle processes one update. It never panics and never returns an
// error: users get a one-line answer, internals go to the log.
func (b *Bot) handle(ctx context.Context, u update) {
	defer func() {
		if p := recover(); p != nil {
			b.log.ErrorContext(ctx, "panic handling update", "update_id", u.UpdateID, "panic", fmt.Sprint(p))
		}
	}()
	switch {
	case u.Message != nil:
		b.handleMessage(ctx, u.Message, u.threadID, false)
	case u.ChannelPost != nil:
		b.handleMessage(ctx, u.ChannelPost, u.threadID, true)
	}
}

func (b *Bot) handleMessage(ctx context.Context, m *tgbotapi.Message, thread string, channelPost bool) {
	if m.Chat == nil {
		return
	}
	// Group → supergroup: Telegram sends a service message in both chats.
	if m.MigrateToChatID != 0 {
		b.migrate(ctx, m.Chat.ID, m.MigrateToChatID)
		return
	}
	if m.MigrateFromChatID != 0 {
		b.migrate(ctx, m.MigrateFromChatID, m.Chat.ID)
		return
	}
	text := m.Text
	if text == "" {
		text = m.Caption
	}
	if m.IsCommand() {
		at := m.CommandWithAt()
		if i := strings.IndexByte(at, '@'); i >= 0 && !strings.EqualFold(at[i+1:], b.Username()) {
			return // addressed to another bot
		}
		b.command(ctx, m, thread, strings.ToLower(m.Command()), m.CommandArguments(), channelPost)
		return
	}
	switch {
	case channelPost:
		// Posts in a channel are the channel's own content.
	case m.Chat.IsPrivate():
		// Pasted or forwarded articles are briefed without a command.
		if strings.TrimSpace(text) == "" {
			b.replyText(ctx, m, thread, "Send me an article's text or a link to it and I will brief it; /help lists the commands.")
			return
		}
		b.command(ctx, m, thread, bot.CmdBrief, text, false)
	case m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == b.api.Self.ID && strings.TrimSpace(text) != "":
		// In groups the bot answers only commands and replies to it.
		b.command(ctx, m, thread, bot.CmdBrief, text, false)
	}
}

func (b *Bot) migrate(ctx context.Context, from, to int64) {
	if err := b.svc.MoveChat(ctx, ref(from), ref(to)); err != nil {
		b.log.ErrorContext(ctx, "move subscription to supergroup", "chat_id", from, "new_chat_id", to, "error", err)
		return
	}
	b.log.InfoContext(ctx, "group migrated to supergroup", "chat_id", from, "new_chat_id", to)
}

// channelCommands may name a channel ("/subscribe @news drones") when sent
// in a private chat.
var channelCommands = map[string]bool{
	bot.CmdSubscribe: true, bot.CmdUnsubscribe: true, bot.CmdSubscriptions: true,
	bot.CmdMode: true, bot.CmdTime: true, bot.CmdDigest: true,
}

func (b *Bot) command(ctx context.Context, m *tgbotapi.Message, thread, name, args string, channelPost bool) {
	start := time.Now()
	req := bot.Request{Command: name, Args: args, Chat: chatOf(m, thread), Actor: b.actorOf(m, channelPost)}
	if name == bot.CmdBrief && strings.TrimSpace(args) == "" && m.ReplyToMessage != nil {
		req.Args = m.ReplyToMessage.Text
		if req.Args == "" {
			req.Args = m.ReplyToMessage.Caption
		}
	}
	if m.Chat.IsPrivate() && channelCommands[name] {
		if first, rest, _ := strings.Cut(strings.TrimSpace(args), " "); strings.HasPrefix(first, "@") && len(first) > 1 {
			target, err := b.resolveChannel(ctx, first, m.From)
			if err != nil {
				b.fail(ctx, m, thread, name, err)
				return
			}
			req.Chat, req.Args = target, rest
			req.Actor = bot.Actor{UserID: req.Actor.UserID, Admin: true}
		}
	}
	reply, err := b.svc.Execute(ctx, req)
	if err != nil {
		if errors.Is(err, bot.ErrUnknownCommand) && !m.Chat.IsPrivate() {
			return // another bot's command in a group
		}
		b.fail(ctx, m, thread, name, err)
		return
	}
	b.log.InfoContext(ctx, "command", "command", name, "chat_id", m.Chat.ID, "duration", time.Since(start))
	b.reply(ctx, m, thread, reply.Messages)
}

// fail answers a failed command with one sentence and logs it.
func (b *Bot) fail(ctx context.Context, m *tgbotapi.Message, thread, name string, err error) {
	level := b.log.InfoContext
	if bot.IsInternal(err) {
		level = b.log.ErrorContext
	}
	level(ctx, "command refused", "command", name, "chat_id", m.Chat.ID, "error", b.redact(err))
	b.replyText(ctx, m, thread, bot.UserMessage(err))
}

func chatOf(m *tgbotapi.Message, thread string) bot.Chat {
	c := bot.Chat{Ref: ref(m.Chat.ID), ThreadID: thread}
	switch {
	case m.Chat.IsPrivate():
		c.Type = bot.ChatPrivate
		c.Title = m.Chat.FirstName
		if m.Chat.UserName != "" {
			c.Title = "@" + m.Chat.UserName
		}
	case m.Chat.IsChannel():
		c.Type = bot.ChatChannel
		c.Title = m.Chat.Title
	default:
		c.Type = bot.ChatGroup
		c.Title = m.Chat.Title
	}
	return c
}

func (b *Bot) actorOf(m *tgbotapi.Message, channelPost bool) bot.Actor {
	a := bot.Actor{Platform: store.Telegram}
	switch {
	case channelPost:
		a.Admin = true // only administrators can post in a channel
	case m.SenderChat != nil && m.SenderChat.ID == m.Chat.ID:
		a.Admin = true // an anonymous administrator posting as the group
	}
	if m.From != nil {
		a.UserID = strconv.FormatInt(m.From.ID, 10)
		chatID, userID := m.Chat.ID, m.From.ID
		a.CheckAdmin = func(ctx context.Context) (bool, error) {
			return b.isAdmin(ctx, chatID, "", userID)
		}
	}
	return a
}

// isAdmin asks getChatMember whether user administers the chat (by id, or
// by @username when username is set).
//
// Specs: https://core.telegram.org/bots/api#getchatmember
func (b *Bot) isAdmin(ctx context.Context, chatID int64, username string, userID int64) (bool, error) {
	cm, err := b.member(ctx, chatID, username, userID)
	if err != nil {
		return false, err
	}
	return cm.IsCreator() || cm.IsAdministrator(), nil
}

func (b *Bot) member(ctx context.Context, chatID int64, username string, userID int64) (tgbotapi.ChatMember, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	cm, err := b.apiFor(ctx).GetChatMember(tgbotapi.GetChatMemberConfig{ChatConfigWithUser: tgbotapi.ChatConfigWithUser{
		ChatID: chatID, SuperGroupUsername: username, UserID: userID,
	}})
	if err != nil {
		return tgbotapi.ChatMember{}, fmt.Errorf("getChatMember %d in %d%s: %w", userID, chatID, username, b.redact(err))
	}
	return cm, nil
}

// resolveChannel finds the channel a private-chat command names and checks
// that the user and the bot administer it.
//
// Specs: https://core.telegram.org/bots/api#getchat
func (b *Bot) resolveChannel(ctx context.Context, username string, from *tgbotapi.User) (bot.Chat, error) {
	if from == nil {
		return bot.Chat{}, bot.ErrNotAdmin
	}
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	chat, err := b.apiFor(cctx).GetChat(tgbotapi.ChatInfoConfig{ChatConfig: tgbotapi.ChatConfig{SuperGroupUsername: username}})
	cancel()
	if err != nil {
		var te *tgbotapi.Error
		if errors.As(err, &te) && (te.Code == 400 || te.Code == 403) {
			return bot.Chat{}, fmt.Errorf("getChat %s: %w: %w", username, bot.ErrChannelNotFound, err)
		}
		return bot.Chat{}, fmt.Errorf("getChat %s: %w: %w", username, bot.ErrUnavailable, b.redact(err))
	}
	admin, err := b.isAdmin(ctx, chat.ID, "", from.ID)
	if err != nil {
		return bot.Chat{}, fmt.Errorf("%w: %w", bot.ErrUnavailable, err)
	}
	if !admin {
		return bot.Chat{}, fmt.Errorf("%s: user %d: %w", username, from.ID, bot.ErrNotAdmin)
	}
	self, err := b.member(ctx, chat.ID, "", b.api.Self.ID)
	if err != nil {
		var te *tgbotapi.Error
		if errors.As(err, &te) && (te.Code == 400 || te.Code == 403) {
			return bot.Chat{}, fmt.Errorf("%s: %w: %w", username, bot.ErrBotNotAdmin, err)
		}
		return bot.Chat{}, fmt.Errorf("%w: %w", bot.ErrUnavailable, err)
	}
	if !self.IsAdministrator() && !self.IsCreator() || chat.IsChannel() && self.IsAdministrator() && !self.CanPostMessages {
		return bot.Chat{}, fmt.Errorf("%s: %w", username, bot.ErrBotNotAdmin)
	}
	c := bot.Chat{Ref: ref(chat.ID), Type: bot.ChatChannel, Title: chat.Title}
	if !chat.IsChannel() {
		c.Type = bot.ChatGroup
	}
	if c.Title == "" {
		c.Title = username
	}
	return c, nil
}

func (b *Bot) replyText(ctx context.Context, m *tgbotapi.Message, thread, text string) {
	b.reply(ctx, m, thread, []bot.Message{{Kind: bot.KindText, Text: text}})
}

// maxReplyWait is the longest 429 retry_after a direct reply waits for.
const maxReplyWait = time.Minute

// reply sends messages to the chat m came from, into its topic; in groups
// the first part quotes the command.
func (b *Bot) reply(ctx context.Context, m *tgbotapi.Message, thread string, msgs []bot.Message) {
	replyTo := 0
	if !m.Chat.IsPrivate() && !m.Chat.IsChannel() {
		replyTo = m.MessageID
	}
	for _, msg := range msgs {
		for _, part := range Render(msg) {
			for attempt := 0; ; attempt++ {
				err := b.limitedSend(ctx, m.Chat.ID, thread, replyTo, part, msg.NoPreview)
				var ra *bot.RetryAfterError
				if errors.As(err, &ra) && ra.Wait <= maxReplyWait && attempt < 3 {
					sleep(ctx, ra.Wait)
					continue
				}
				if err != nil {
					b.log.WarnContext(ctx, "reply failed", "chat_id", m.Chat.ID, "error", err)
					return
				}
				break
			}
			replyTo = 0
		}
	}
}
