package discordtest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"newsbrief/bot/discord/discordtest"
)

type rewrite struct{ to *url.URL }

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host, req.Host = r.to.Scheme, r.to.Host, r.to.Host
	return http.DefaultTransport.RoundTrip(req)
}

func session(t *testing.T, fake *discordtest.Server) *discordgo.Session {
	t.Helper()
	s, err := discordgo.New("Bot " + discordtest.Token)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(fake.URL)
	s.Client = &http.Client{Transport: rewrite{u}, Timeout: 5 * time.Second}
	return s
}

func TestFakeRESTAndGateway(t *testing.T) {
	fake := discordtest.NewServer()
	defer fake.Close()
	s := session(t, fake)

	ready := make(chan *discordgo.Ready, 1)
	s.AddHandler(func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r })
	got := make(chan *discordgo.InteractionCreate, 1)
	s.AddHandler(func(_ *discordgo.Session, i *discordgo.InteractionCreate) { got <- i })
	if err := s.Open(); err != nil {
		t.Fatalf("open: %v", err)
	}
	defer func() { s.ShouldReconnectOnError = false; _ = s.Close() }()
	if r := <-ready; r.Application.ID != discordtest.AppID {
		t.Errorf("ready application id %q", r.Application.ID)
	}
	if _, err := fake.Interact(discordtest.Invoke{Name: "brief", Options: []map[string]any{discordtest.StringOption("text", "hi")}}); err != nil {
		t.Fatal(err)
	}
	select {
	case i := <-got:
		if v := i.ApplicationCommandData().Options[0].StringValue(); v != "hi" {
			t.Errorf("option %q", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no INTERACTION_CREATE")
	}

	m, err := s.ChannelMessageSend(discordtest.TextChannelID, "hello")
	if err != nil || m.ID == "" {
		t.Fatalf("send: %v", err)
	}
	if msgs := fake.Messages(discordtest.TextChannelID); len(msgs) != 1 || msgs[0].Content != "hello" {
		t.Errorf("messages %+v", msgs)
	}
	_, err = s.ChannelMessageSend("999", "x")
	if re, ok := err.(*discordgo.RESTError); !ok || re.Message == nil || re.Message.Code != 10003 {
		t.Errorf("unknown channel: %v", err)
	}
	fake.Fail(discordtest.Fault{Path: "/channels/", Status: 403, Code: 50013, Message: "Missing Permissions"})
	_, err = s.ChannelMessageSend(discordtest.TextChannelID, "x")
	if re, ok := err.(*discordgo.RESTError); !ok || re.Message == nil || re.Message.Code != 50013 {
		t.Errorf("injected 50013: %v", err)
	}
	_, err = s.ChannelMessageSendEmbed(discordtest.TextChannelID, &discordgo.MessageEmbed{Description: strings.Repeat("x", 4097)})
	if re, ok := err.(*discordgo.RESTError); !ok || re.Message == nil || re.Message.Code != 50035 {
		t.Errorf("oversized embed accepted: %v", err)
	}
	cmds, err := s.ApplicationCommandBulkOverwrite(discordtest.AppID, discordtest.GuildID, []*discordgo.ApplicationCommand{{Name: "brief", Description: "d"}})
	if err != nil || len(cmds) != 1 || cmds[0].ID == "" {
		t.Fatalf("overwrite: %v %+v", err, cmds)
	}
	if n := fake.CommandWrites(); n != 1 {
		t.Errorf("command writes %d", n)
	}
}
