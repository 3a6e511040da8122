package bot

import (
	"context"
	"errors"
	"fmt"

	"newsbrief/store"
	"newsbrief/topic"
)

// Errors returned by the Service. Each is wrapped with the details of the
// failing input; test with errors.Is and show users UserMessage(err).
var (
	// ErrEmptyInput: /brief without text, URL or replied-to message.
	ErrEmptyInput = errors.New("nothing to brief")
	// ErrTooLarge: pasted text or a fetched page above MaxInputBytes.
	ErrTooLarge = errors.New("input too large")
	// ErrNotText: the input is binary, not valid UTF-8, or mostly symbols.
	ErrNotText = errors.New("input is not text")
	// ErrNotEnglish: the text does not look like English.
	ErrNotEnglish = errors.New("text is not in English")
	// ErrNotNews: the briefing engine found no people, meetings, quotes
	// or attacks in the text.
	ErrNotNews = errors.New("nothing news-like found")
	// ErrFetch: the URL could not be fetched or had no article text.
	ErrFetch = errors.New("could not fetch the article")
	// ErrBadTime: a digest time that is not HH:MM (00:00–23:59).
	ErrBadTime = errors.New("invalid time")
	// ErrBadZone: an unknown IANA time zone.
	ErrBadZone = errors.New("unknown time zone")
	// ErrBadTopics: a topic filter that does not parse (see topic.Parse).
	ErrBadTopics = errors.New("invalid topics")
	// ErrBadMode: a mode other than instant or digest.
	ErrBadMode = errors.New("invalid mode")
	// ErrNotAdmin: a non-administrator tried to change the subscription of
	// a group or channel.
	ErrNotAdmin = errors.New("only administrators may change this chat's subscription")
	// ErrBotNotAdmin: the bot must be an administrator of the channel it is
	// asked to post to.
	ErrBotNotAdmin = errors.New("the bot is not an administrator of the channel")
	// ErrChannelNotFound: "/subscribe @name" named a channel the platform
	// does not know or the bot cannot see.
	ErrChannelNotFound = errors.New("channel not found")
	// ErrNotSubscribed: the chat has no subscription.
	ErrNotSubscribed = errors.New("this chat has no subscription")
	// ErrUnknownCommand: Execute got a command it does not know.
	ErrUnknownCommand = errors.New("unknown command")
	// ErrNotBotAdmin: someone not in BOT_ADMINS tried to add or remove a
	// feed (the bot's operators, not a chat's administrators).
	ErrNotBotAdmin = errors.New("only the bot's operators may change its feeds")
	// ErrBadSource: a feed URL that is not an absolute http(s) URL, or a
	// /sources subcommand other than add or remove.
	ErrBadSource = errors.New("invalid feed")
	// ErrNoSuchSource: /sources remove named a feed the bot does not read.
	ErrNoSuchSource = errors.New("no such feed")
	// ErrUnavailable: the store (Redis, bbolt) or another backend failed;
	// the user should retry later.
	ErrUnavailable = errors.New("temporarily unavailable")
)

// unavailable wraps a backend failure so UserMessage says "try again" while
// the log keeps the cause. Context cancellation passes through unchanged.
func unavailable(op string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s: %w: %w", op, ErrUnavailable, err)
}

// userErrors are the errors caused by what the user sent, not by the bot.
var userErrors = []error{
	ErrEmptyInput, ErrTooLarge, ErrNotText, ErrNotEnglish, ErrNotNews, ErrFetch,
	ErrBadTime, ErrBadZone, ErrBadTopics, topic.ErrInvalid, ErrBadMode, ErrNotAdmin,
	ErrBotNotAdmin, ErrChannelNotFound, ErrNotSubscribed, ErrUnknownCommand,
	ErrNotBotAdmin, ErrBadSource, ErrNoSuchSource,
}

// IsInternal reports whether err is a backend failure or a bug (to be
// logged at error level) rather than a mistake in what the user sent.
func IsInternal(err error) bool {
	if err == nil {
		return false
	}
	for _, u := range userErrors {
		if errors.Is(err, u) {
			return false
		}
	}
	return true
}

// UserMessage maps any error the Service (or a platform adapter) returns to
// one sentence telling the user what to do instead. Internal details never
// appear; log the error itself separately. It returns "" for a nil error.
func UserMessage(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrEmptyInput):
		return "Send /brief followed by the article text or a link, or reply /brief to a message that contains the article."
	case errors.Is(err, ErrTooLarge):
		return fmt.Sprintf("That is too long to brief (the limit is %d KB); send a link or just the article's text.", MaxInputBytes/1024)
	case errors.Is(err, ErrNotText):
		return "That does not look like text; send the article's text or a link to it."
	case errors.Is(err, ErrNotEnglish):
		return "newsbrief only reads English articles for now; send an English article or a link to one."
	case errors.Is(err, ErrNotNews):
		return "I found no news in that (no people, meetings, quotes or attacks); send a news article or a link to one."
	case errors.Is(err, ErrFetch):
		return "I could not fetch that link; check it opens in a browser, or paste the article's text instead."
	case errors.Is(err, ErrBadTime):
		return "Give the digest time as HH:MM in 24-hour form, for example /time 07:30 Europe/Kyiv."
	case errors.Is(err, ErrBadZone):
		return "I do not know that time zone; use an IANA name such as Europe/London or America/New_York."
	case errors.Is(err, ErrBadTopics), errors.Is(err, topic.ErrInvalid):
		return "I could not read those topics; use words, -word to exclude, or /regex/, for example /subscribe drones -sport."
	case errors.Is(err, ErrBadMode):
		return "Choose /mode instant (an alert per article) or /mode digest (one digest a day)."
	case errors.Is(err, ErrNotAdmin):
		return "Sorry, only this chat's administrators can change its subscription."
	case errors.Is(err, ErrBotNotAdmin):
		return "Make the bot an administrator of that channel (allowed to post messages), then send the command again."
	case errors.Is(err, ErrChannelNotFound):
		return "I cannot find that channel; check the @name and add the bot to the channel as an administrator."
	case errors.Is(err, ErrNotSubscribed):
		return "This chat has no subscription yet; send /subscribe to start one."
	case errors.Is(err, ErrNotBotAdmin):
		return "Sorry, only the people who run this bot can add or remove feeds; /sources shows the feeds I read."
	case errors.Is(err, ErrBadSource):
		return "Use /sources to list the feeds, or /sources add URL and /sources remove URL with a full http(s) feed address such as https://example.org/rss.xml."
	case errors.Is(err, ErrNoSuchSource):
		return "I do not read that feed; /sources lists the feeds I read."
	case errors.Is(err, ErrUnknownCommand):
		return "I do not know that command; send /help to see what I can do."
	case errors.Is(err, store.ErrInvalid):
		return "Something in that request was missing; send /help to see how to use the commands."
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return "That took too long; please try again in a minute."
	default:
		// ErrUnavailable and anything unexpected: a Redis outage, a bug.
		return "newsbrief is temporarily unavailable; please try again in a minute."
	}
}
