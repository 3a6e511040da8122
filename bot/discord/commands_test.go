package discord

import (
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// TestCommandDefinitionsValid checks the definitions against Discord's
// rules, which the fake does not enforce.
// Specs: https://discord.com/developers/docs/interactions/application-commands#application-command-object
func TestCommandDefinitionsValid(t *testing.T) {
	chatName := regexp.MustCompile(`^[-_\p{Ll}\p{N}]{1,32}$`)
	var checkOpts func(t *testing.T, opts []*discordgo.ApplicationCommandOption)
	checkOpts = func(t *testing.T, opts []*discordgo.ApplicationCommandOption) {
		if len(opts) > 25 {
			t.Errorf("%d options", len(opts))
		}
		required := true
		for _, o := range opts {
			if !chatName.MatchString(o.Name) {
				t.Errorf("option name %q", o.Name)
			}
			if n := utf8.RuneCountInString(o.Description); n < 1 || n > 100 {
				t.Errorf("option %s: description of %d characters", o.Name, n)
			}
			if o.Required && !required {
				t.Errorf("option %s: required after an optional one", o.Name)
			}
			required = o.Required
			if o.Autocomplete && len(o.Choices) > 0 {
				t.Errorf("option %s: autocomplete and choices", o.Name)
			}
			if o.MaxLength > maxStringOption {
				t.Errorf("option %s: max_length %d", o.Name, o.MaxLength)
			}
			checkOpts(t, o.Options)
		}
	}
	seen := map[string]bool{}
	for _, c := range commands() {
		t.Run(c.Name, func(t *testing.T) {
			key := string(rune('0'+c.Type)) + c.Name
			if seen[key] {
				t.Error("defined twice")
			}
			seen[key] = true
			switch c.Type {
			case discordgo.ChatApplicationCommand:
				if !chatName.MatchString(c.Name) {
					t.Errorf("name %q", c.Name)
				}
				if n := utf8.RuneCountInString(c.Description); n < 1 || n > 100 {
					t.Errorf("description of %d characters", n)
				}
				checkOpts(t, c.Options)
			case discordgo.MessageApplicationCommand:
				if n := utf8.RuneCountInString(c.Name); n < 1 || n > 32 || c.Description != "" || len(c.Options) > 0 {
					t.Errorf("message command %q: name length %d, description %q, %d options", c.Name, n, c.Description, len(c.Options))
				}
			default:
				t.Errorf("type %d", c.Type)
			}
		})
	}
}
