package discord

import (
	"context"
	_ "embed"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Command and option names.
const (
	cmdBrief         = "brief"
	cmdBriefMessage  = "Brief this message"
	cmdSubscribe     = "subscribe"
	cmdUnsubscribe   = "unsubscribe"
	cmdSubscriptions = "subscriptions"
	cmdDigest        = "digest"
	cmdSources       = "sources"

	optText     = "text"
	optFile     = "file"
	optChannel  = "channel"
	optTopics   = "topics"
	optMode     = "mode"
	optTime     = "time"
	optTimezone = "timezone"
	optAdd      = "add"
	optRemove   = "remove"
)

// maxFeedURL is the longest feed URL option (bot.MaxFeedURL).
const maxFeedURL = 2048

// maxStringOption is the longest string option Discord accepts.
const maxStringOption = 6000

// permManage is who may change subscriptions: Manage Channels (Discord
// also lets Administrators through).
const permManage = int64(discordgo.PermissionManageChannels)

// postable are the channel types a subscription can post to.
var postable = []discordgo.ChannelType{
	discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews, discordgo.ChannelTypeGuildForum,
}

// commands returns the application commands newsbrief registers.
// Specs: https://discord.com/developers/docs/interactions/application-commands
func commands() []*discordgo.ApplicationCommand {
	manage := permManage
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	channelOpt := func(desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionChannel,
			Name: optChannel, Description: desc, ChannelTypes: postable}
	}
	return []*discordgo.ApplicationCommand{
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdBrief,
			Description: "Brief a news article: who met whom, who said what, attack tallies",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optText,
					Description: "The article's text, or a link to it", MaxLength: maxStringOption},
				{Type: discordgo.ApplicationCommandOptionAttachment, Name: optFile,
					Description: "The article as a .txt or .html file (for long articles)"},
			},
		},
		{Type: discordgo.MessageApplicationCommand, Name: cmdBriefMessage},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdSubscribe,
			Description:              "Post briefings of matching news to a channel, as alerts or a daily digest",
			DefaultMemberPermissions: &manage, Contexts: &guildOnly,
			Options: []*discordgo.ApplicationCommandOption{
				channelOpt("Channel to post to (default: this one)"),
				{Type: discordgo.ApplicationCommandOptionString, Name: optTopics,
					Description: "Words to match; -word excludes; /regex/ (default: everything)", MaxLength: 500},
				{Type: discordgo.ApplicationCommandOptionString, Name: optMode,
					Description: "instant: one post per article; digest: one post a day",
					Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "instant", Value: "instant"}, {Name: "digest", Value: "digest"}}},
				{Type: discordgo.ApplicationCommandOptionString, Name: optTime,
					Description: "Digest time, HH:MM in 24-hour form (sets digest mode)", MaxLength: 5},
				{Type: discordgo.ApplicationCommandOptionString, Name: optTimezone,
					Description: "Time zone of the digest time, e.g. Europe/Kyiv", Autocomplete: true, MaxLength: 64},
			},
		},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdUnsubscribe,
			Description:              "Stop posting to a channel",
			DefaultMemberPermissions: &manage, Contexts: &guildOnly,
			Options: []*discordgo.ApplicationCommandOption{channelOpt("Channel to stop (default: this one)")},
		},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdSubscriptions,
			Description: "List this server's subscribed channels", Contexts: &guildOnly,
		},
		{
			Type: discordgo.ChatApplicationCommand, Name: cmdDigest,
			Description: "Post the digest of the last 24 hours here now",
		},
		{
			// Anyone may list; add and remove are checked against the bot's
			// operators (BOT_ADMINS) on receipt, since Discord permissions
			// cannot express "runs the bot".
			Type: discordgo.ChatApplicationCommand, Name: cmdSources,
			Description: "The feeds the bot reads and their health; operators can add or remove one",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optAdd,
					Description: "Operators only: start reading this feed (http or https URL)", MaxLength: maxFeedURL},
				{Type: discordgo.ApplicationCommandOptionString, Name: optRemove,
					Description: "Operators only: stop reading this feed (its URL as /sources lists it)", MaxLength: maxFeedURL},
			},
		},
	}
}

// canonCmd is the part of a command definition newsbrief sets, with
// Discord's defaults made explicit, so a stored definition and a desired
// one compare equal exactly when an overwrite would change nothing.
type canonCmd struct {
	Type        discordgo.ApplicationCommandType
	Name, Desc  string
	Perms       string
	NSFW        bool
	Contexts    string
	Options     []canonOpt
	hasContexts bool
}

type canonOpt struct {
	Type         discordgo.ApplicationCommandOptionType
	Name, Desc   string
	Required     bool
	Autocomplete bool
	Choices      []string
	ChannelTypes []discordgo.ChannelType
	MinLength    int
	MaxLength    int
	MinValue     string
	MaxValue     float64
	Options      []canonOpt
}

func canon(c *discordgo.ApplicationCommand, withContexts bool) canonCmd {
	t := c.Type
	if t == 0 {
		t = discordgo.ChatApplicationCommand
	}
	out := canonCmd{Type: t, Name: c.Name, Desc: c.Description, Options: canonOpts(c.Options)}
	if c.DefaultMemberPermissions != nil {
		out.Perms = strconv.FormatInt(*c.DefaultMemberPermissions, 10)
	}
	if c.NSFW != nil {
		out.NSFW = *c.NSFW
	}
	if withContexts && c.Contexts != nil {
		cs := slices.Clone(*c.Contexts)
		slices.Sort(cs)
		out.Contexts = fmt.Sprint(cs)
	}
	return out
}

func canonOpts(opts []*discordgo.ApplicationCommandOption) []canonOpt {
	var out []canonOpt
	for _, o := range opts {
		co := canonOpt{Type: o.Type, Name: o.Name, Desc: o.Description, Required: o.Required,
			Autocomplete: o.Autocomplete, MaxLength: o.MaxLength, MaxValue: o.MaxValue, Options: canonOpts(o.Options)}
		for _, ch := range o.Choices {
			co.Choices = append(co.Choices, ch.Name+"="+fmt.Sprint(ch.Value))
		}
		if len(o.ChannelTypes) > 0 {
			co.ChannelTypes = slices.Clone(o.ChannelTypes)
			slices.Sort(co.ChannelTypes)
		}
		if o.MinLength != nil {
			co.MinLength = *o.MinLength
		}
		if o.MinValue != nil {
			co.MinValue = strconv.FormatFloat(*o.MinValue, 'g', -1, 64)
		}
		out = append(out, co)
	}
	return out
}

// sameCommands reports whether the registered commands have are exactly
// the desired want (order aside).
func sameCommands(have, want []*discordgo.ApplicationCommand) bool {
	if len(have) != len(want) {
		return false
	}
	key := func(c *discordgo.ApplicationCommand) string {
		t := c.Type
		if t == 0 {
			t = discordgo.ChatApplicationCommand
		}
		return fmt.Sprint(t) + "/" + c.Name
	}
	byKey := map[string]*discordgo.ApplicationCommand{}
	for _, c := range have {
		byKey[key(c)] = c
	}
	for _, w := range want {
		h, ok := byKey[key(w)]
		if !ok {
			return false
		}
		// Contexts are compared only when we set them: Discord fills in a
		// default for commands that do not.
		withCtx := w.Contexts != nil
		if !reflect.DeepEqual(canon(h, withCtx), canon(w, withCtx)) {
			return false
		}
	}
	return true
}

// syncCommands makes the registered commands of the scope (guildID, or
// global when "") equal to commands(), writing only when they differ: a
// bulk overwrite updates commands in place (same ids), so nothing is
// deleted and recreated. It reports whether it wrote.
// Specs: https://discord.com/developers/docs/interactions/application-commands#bulk-overwrite-global-application-commands
func syncCommands(ctx context.Context, s *discordgo.Session, appID, guildID string) (bool, error) {
	scope := "global"
	if guildID != "" {
		scope = "guild " + guildID
	}
	have, err := s.ApplicationCommands(appID, guildID, discordgo.WithContext(ctx))
	if err != nil {
		return false, fmt.Errorf("list %s commands: %w", scope, err)
	}
	want := commands()
	if sameCommands(have, want) {
		return false, nil
	}
	if _, err := s.ApplicationCommandBulkOverwrite(appID, guildID, want, discordgo.WithContext(ctx)); err != nil {
		return false, fmt.Errorf("register %s commands: %w", scope, err)
	}
	return true, nil
}

//go:embed timezones.txt
var timezonesTxt string

// timezones are the IANA zone names offered by autocompletion (canonical
// zones and their aliases, Area/City form, plus UTC).
var timezones = strings.Fields(timezonesTxt)

// zoneChoices returns up to 25 zone names matching what the user typed:
// prefix matches of the whole name or of the city first, then substring
// matches; spaces match underscores.
func zoneChoices(typed string) []*discordgo.ApplicationCommandOptionChoice {
	q := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(typed), " ", "_"))
	var first, second []string
	for _, z := range timezones {
		lz := strings.ToLower(z)
		city := lz[strings.LastIndexByte(lz, '/')+1:]
		switch {
		case q == "" || strings.HasPrefix(lz, q) || strings.HasPrefix(city, q):
			first = append(first, z)
		case strings.Contains(lz, q):
			second = append(second, z)
		}
	}
	names := append(first, second...)
	if len(names) > 25 {
		names = names[:25]
	}
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(names))
	for _, n := range names {
		out = append(out, &discordgo.ApplicationCommandOptionChoice{Name: n, Value: n})
	}
	return out
}
