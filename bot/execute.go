package bot

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"newsbrief/store"
)

// Request is one command as a platform received it.
type Request struct {
	// Command is the name without the slash or bot suffix ("brief").
	Command string
	// Args is the text after the command (for /brief, the article, or the
	// replied-to message's text when the command had none).
	Args  string
	Chat  Chat
	Actor Actor
}

// Reply is what the bot answers: messages to send in order to the chat the
// command came from (into its thread, if any).
type Reply struct {
	Messages []Message
}

func textReply(s string) Reply { return Reply{Messages: []Message{{Kind: KindText, Text: s}}} }

// Execute runs a command and returns the reply. Errors are those of the
// operation behind the command plus ErrUnknownCommand; the platform shows
// UserMessage(err) and logs err when it is ErrUnavailable.
func (s *Service) Execute(ctx context.Context, req Request) (Reply, error) {
	if req.Actor.Platform == "" {
		req.Actor.Platform = req.Chat.Ref.Platform
	}
	switch strings.ToLower(req.Command) {
	case CmdStart:
		return textReply(WelcomeText()), nil
	case CmdHelp:
		return textReply(HelpText("/")), nil
	case CmdBrief:
		b, err := s.Brief(ctx, req.Args)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Messages: []Message{{Kind: KindBriefing, Briefing: &b}}}, nil
	case CmdSubscribe:
		res, err := s.Subscribe(ctx, req.Chat, req.Actor, SplitTerms(req.Args))
		if err != nil {
			return Reply{}, err
		}
		r := textReply(SubscribedText(res))
		if res.Latest != nil {
			b := res.Latest.Briefing
			r.Messages = append(r.Messages, Message{Kind: KindBriefing, Briefing: &b})
		}
		return r, nil
	case CmdUnsubscribe:
		if err := s.Unsubscribe(ctx, req.Chat, req.Actor); err != nil {
			return Reply{}, err
		}
		return textReply("Unsubscribed. This chat will get no more alerts or digests; /subscribe starts again."), nil
	case CmdSubscriptions:
		sub, err := s.Subscription(ctx, req.Chat.Ref)
		if err != nil {
			return Reply{}, err
		}
		return textReply(DescribeSubscription(sub)), nil
	case CmdMode:
		sub, err := s.SetMode(ctx, req.Chat, req.Actor, req.Args)
		if err != nil {
			return Reply{}, err
		}
		return textReply("Done. " + DescribeSubscription(sub)), nil
	case CmdTime:
		f := strings.Fields(req.Args)
		if len(f) == 0 || len(f) > 2 {
			return Reply{}, fmt.Errorf("time %q: %w", req.Args, ErrBadTime)
		}
		zone := ""
		if len(f) == 2 {
			zone = f[1]
		}
		sub, err := s.SetTime(ctx, req.Chat, req.Actor, f[0], zone)
		if err != nil {
			return Reply{}, err
		}
		return textReply(fmt.Sprintf("Done: one digest a day at %s (%s).", sub.DigestTime, sub.TimeZone)), nil
	case CmdDigest:
		m, err := s.DigestNow(ctx, req.Chat.Ref)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Messages: []Message{m}}, nil
	case CmdSources:
		return s.sources(ctx, req)
	default:
		return Reply{}, fmt.Errorf("command %q: %w", req.Command, ErrUnknownCommand)
	}
}

// SplitTerms splits /subscribe arguments into filter terms: on white space,
// except inside "quoted phrases" and /regular expressions/ (a term that
// starts with / or -/ runs to the next / that is followed by white space or
// the end). An unclosed quote or regex runs to the end.
func SplitTerms(args string) []string {
	var terms []string
	s := strings.TrimSpace(args)
	for s != "" {
		neg := ""
		body := s
		if strings.HasPrefix(s, "-") {
			neg, body = "-", s[1:]
		}
		var term string
		switch {
		case strings.HasPrefix(body, `"`):
			end := strings.Index(body[1:], `"`)
			if end < 0 {
				term, s = neg+body[1:], ""
			} else {
				term, s = neg+body[1:1+end], body[2+end:]
			}
		case strings.HasPrefix(body, "/"):
			end := -1
			for k := 1; k < len(body); k++ {
				if body[k] == '/' && (k+1 == len(body) || body[k+1] == ' ' || body[k+1] == '\t' || body[k+1] == '\n') {
					end = k
					break
				}
			}
			if end < 0 {
				term, s = neg+body, ""
			} else {
				term, s = neg+body[:end+1], body[end+1:]
			}
		default:
			k := strings.IndexFunc(s, unicode.IsSpace)
			if k < 0 {
				k = len(s)
			}
			term, s = s[:k], s[k:]
		}
		if strings.TrimSpace(term) != "" && term != "-" {
			terms = append(terms, strings.TrimSpace(term))
		}
		s = strings.TrimSpace(s)
	}
	return terms
}

// ChatRef is a shorthand for a store.ChatRef.
func ChatRef(platform, id string) store.ChatRef { return store.ChatRef{Platform: platform, ChatID: id} }
