package bot

import (
	"fmt"
	"strings"
	"time"

	"newsbrief/store"
)

// Command describes one bot command for platform menus (Telegram
// setMyCommands, Discord application commands).
type Command struct {
	// Name without the slash, lower case.
	Name string
	// Description is one short line (Telegram allows 3–256 characters,
	// Discord 1–100).
	Description string
	// Args describes the arguments for help texts ("" when none).
	Args string
}

// Command names.
const (
	CmdStart         = "start"
	CmdHelp          = "help"
	CmdBrief         = "brief"
	CmdSubscribe     = "subscribe"
	CmdUnsubscribe   = "unsubscribe"
	CmdSubscriptions = "subscriptions"
	CmdMode          = "mode"
	CmdTime          = "time"
	CmdDigest        = "digest"
	CmdSources       = "sources"
)

// Commands lists every command in menu order.
var Commands = []Command{
	{CmdBrief, "Brief an article: paste its text or a link", "text or link"},
	{CmdSubscribe, "Get alerts on topics (words, -word, /regex/)", "[words…]"},
	{CmdUnsubscribe, "Stop this chat's subscription", ""},
	{CmdSubscriptions, "What this chat gets, mode, time and zone", ""},
	{CmdMode, "instant alerts or one daily digest", "instant|digest"},
	{CmdTime, "Set the digest time and time zone", "HH:MM [Area/City]"},
	{CmdDigest, "Send the digest of the last 24 hours now", ""},
	{CmdSources, "The feeds the bot reads and their health (operators: add URL, remove URL)", "[add URL|remove URL]"},
	{CmdHelp, "How to use the bot", ""},
	{CmdStart, "Welcome and what to do", ""},
}

// WelcomeText greets a new user and says what to do first.
func WelcomeText() string {
	return "Hello! I turn news articles into exact briefings: who met whom, who said what, and attack tallies.\n\n" +
		"Send me an article (paste its text, forward it, or send a link) and I will brief it.\n" +
		"Send /subscribe to get alerts as news arrives, or /subscribe drones Kyiv for just those topics.\n" +
		"/help lists everything I can do."
}

// HelpText lists the commands with their arguments. prefix is how the
// platform writes a command ("/" on both Telegram and Discord).
func HelpText(prefix string) string {
	var b strings.Builder
	b.WriteString("What I can do:\n")
	for _, c := range Commands {
		b.WriteString(prefix)
		b.WriteString(c.Name)
		if c.Args != "" {
			b.WriteString(" ")
			b.WriteString(c.Args)
		}
		b.WriteString(" — ")
		b.WriteString(c.Description)
		b.WriteString("\n")
	}
	b.WriteString("\nTopics: words match whole words in any case; -word excludes; /regex/ is a regular expression. ")
	b.WriteString("In a private chat, any article you send me is briefed without a command.")
	return b.String()
}

// DescribeSubscription says in a few lines what a chat gets.
func DescribeSubscription(sub store.Subscription) string {
	var b strings.Builder
	if sub.Title != "" {
		fmt.Fprintf(&b, "Subscription of %s\n", sub.Title)
	}
	if len(sub.Topics) == 0 {
		b.WriteString("Topics: everything\n")
	} else {
		fmt.Fprintf(&b, "Topics: %s\n", strings.Join(sub.Topics, " "))
	}
	switch sub.Mode {
	case store.ModeDigest:
		fmt.Fprintf(&b, "Mode: digest, daily at %s (%s)\n", sub.DigestTime, sub.TimeZone)
	default:
		fmt.Fprintf(&b, "Mode: instant alerts (digest time %s %s, used with /mode digest)\n", sub.DigestTime, sub.TimeZone)
	}
	if !sub.Active {
		reason := sub.InactiveReason
		if reason == "" {
			reason = "stopped"
		}
		fmt.Fprintf(&b, "Paused: %s. Send /subscribe to resume.\n", reason)
	}
	return strings.TrimRight(b.String(), "\n")
}

// SubscribedText confirms a /subscribe.
func SubscribedText(res SubscribeResult) string {
	var b strings.Builder
	if res.Created {
		b.WriteString("Subscribed. ")
	} else {
		b.WriteString("Subscription updated. ")
	}
	b.WriteString(DescribeSubscription(res.Subscription))
	if res.Latest != nil {
		b.WriteString("\n\nThe most recent matching briefing follows.")
	} else {
		b.WriteString("\n\nNothing matched in the last week yet; you will get the next article that does.")
	}
	return b.String()
}

// DescribeSources lists feeds with their health relative to now.
func DescribeSources(feeds []store.FeedCursor, now time.Time) string {
	if len(feeds) == 0 {
		return "I am not reading any feeds yet."
	}
	var b strings.Builder
	fmt.Fprintf(&b, "I read %d feeds:\n", len(feeds))
	for _, f := range feeds {
		name := f.Title
		if name == "" {
			name = f.URL
		}
		b.WriteString("• ")
		b.WriteString(name)
		if f.Title != "" {
			fmt.Fprintf(&b, " (%s)", f.URL)
		}
		switch {
		case !f.LastSuccess.IsZero():
			fmt.Fprintf(&b, " — last success %s", ago(now, f.LastSuccess))
		default:
			b.WriteString(" — no successful poll yet")
		}
		if f.LastError != "" && !f.LastErrorAt.Before(f.LastSuccess) {
			fmt.Fprintf(&b, "; last error %s: %s", ago(now, f.LastErrorAt), f.LastError)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// ago renders the time since t in words ("just now", "5 min ago").
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case t.IsZero():
		return "never"
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	default:
		return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
	}
}
