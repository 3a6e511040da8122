package main

import (
	"context"
	"fmt"
	"strings"
)

// helpCommand prints the list of commands or one command's usage.
type helpCommand struct {
	io *stdio
}

func (c *helpCommand) name() string     { return "help" }
func (c *helpCommand) synopsis() string { return "show help for bot or one of its commands" }

func (c *helpCommand) usage() string {
	return `Usage: bot help [COMMAND]

Shows the list of commands, or the usage and examples of one command.

Examples:
  bot help
  bot help brief
  bot brief -h
`
}

func (c *helpCommand) run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.name())
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cmds := commands(c.io, nil)
	switch fs.NArg() {
	case 0:
		fmt.Fprint(c.io.stdout, topUsage(cmds))
		return nil
	case 1:
		for _, cmd := range cmds {
			if cmd.name() == fs.Arg(0) {
				fmt.Fprint(c.io.stdout, cmd.usage())
				return nil
			}
		}
		return &usageError{msg: fmt.Sprintf("unknown command %q", fs.Arg(0))}
	default:
		return &usageError{msg: "help takes at most one command name"}
	}
}

func topUsage(cmds []command) string {
	var b strings.Builder
	b.WriteString(`bot turns news articles into exact briefings (who met whom, quotes with
speakers, attack tallies) and delivers them on Telegram and Discord.

Usage: bot COMMAND [FLAGS] [ARGS]

Commands:
`)
	for _, c := range cmds {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name(), c.synopsis())
	}
	b.WriteString(`
Examples:
  bot brief testdata/seed-article.txt      brief an article file
  bot brief --json a.txt b.txt > out.jsonl one JSON line per article
  bot run                                  run the bot (embedded state, no tokens needed)
  bot run --env-file config.env            run with settings from a file
  bot version

Configuration is read from environment variables; see config.example.env.
Run 'bot COMMAND -h' for a command's flags and examples.
`)
	return b.String()
}
