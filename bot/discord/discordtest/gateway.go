package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  *int64          `json:"s,omitempty"`
	T  string          `json:"t,omitempty"`
}

func (c *conn) send(v any) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second)) // best effort
	return c.ws.WriteJSON(v)
}

// gateway serves the websocket: HELLO first, then READY after IDENTIFY,
// RESUMED after RESUME, and an ACK for every heartbeat.
// Specs: https://discord.com/developers/docs/events/gateway#connection-lifecycle
func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.up.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade already answered with an HTTP error
	}
	c := &conn{ws: ws}
	s.mu.Lock()
	interval := s.HeartbeatInterval
	s.conns = append(s.conns, c)
	s.mu.Unlock()
	defer s.drop(c)
	if err := c.send(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": interval}, "s": nil, "t": nil}); err != nil {
		return
	}
	for {
		var f frame
		if err := ws.ReadJSON(&f); err != nil {
			return
		}
		switch f.Op {
		case 1:
			if c.send(map[string]any{"op": 11}) != nil {
				return
			}
		case 2:
			var id struct {
				Shard *[2]int `json:"shard"`
			}
			_ = json.Unmarshal(f.D, &id) // a malformed shard means shard 0 of 1
			s.mu.Lock()
			s.identifies = append(s.identifies, f.D)
			if id.Shard != nil {
				c.shard = *id.Shard
			}
			s.mu.Unlock()
			ready := map[string]any{
				"v": 9, "session_id": "fake-session-" + strconv.Itoa(len(s.Identifies())),
				"user":        map[string]any{"id": BotUserID, "username": "newsbrief", "discriminator": "0", "bot": true},
				"application": map[string]any{"id": AppID, "flags": 0},
				"guilds":      []any{map[string]any{"id": GuildID, "unavailable": true}},
				"shard":       c.shard,
			}
			if s.dispatchTo(c, "READY", ready) != nil {
				return
			}
			s.mu.Lock()
			c.ready = true
			s.notify()
			s.mu.Unlock()
		case 6:
			s.mu.Lock()
			s.resumes++
			s.mu.Unlock()
			if s.dispatchTo(c, "RESUMED", map[string]any{}) != nil {
				return
			}
			s.mu.Lock()
			c.ready = true
			s.notify()
			s.mu.Unlock()
		}
	}
}

func (s *Server) drop(c *conn) {
	_ = c.ws.Close() // the reader already failed
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.conns {
		if x == c {
			s.conns = append(s.conns[:i], s.conns[i+1:]...)
			break
		}
	}
	s.notify()
}

func (s *Server) dispatchTo(c *conn, event string, d any) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("marshal %s: %w", event, err)
	}
	s.mu.Lock()
	s.seq++
	seq := s.seq
	s.mu.Unlock()
	return c.send(frame{Op: 0, T: event, S: &seq, D: b})
}

// Connected returns how many gateway sessions completed IDENTIFY or RESUME.
func (s *Server) Connected() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.conns {
		if c.ready {
			n++
		}
	}
	return n
}

// Resumes counts RESUME requests received.
func (s *Server) Resumes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.resumes
}

// Reconnect asks every connected session to reconnect (op 7).
func (s *Server) Reconnect() {
	s.mu.Lock()
	conns := append([]*conn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		_ = c.send(map[string]any{"op": 7, "d": nil}) // a dead conn is dropped by its reader
	}
}

// Dispatch sends an event to the ready session responsible for guildID
// (shard = (guild_id >> 22) % shard_count), or to every ready session when
// guildID is "". It fails when no session got it.
func (s *Server) Dispatch(event, guildID string, d any) error {
	s.mu.Lock()
	conns := append([]*conn(nil), s.conns...)
	s.mu.Unlock()
	sent := 0
	for _, c := range conns {
		if !c.ready || !owns(c.shard, guildID) {
			continue
		}
		if err := s.dispatchTo(c, event, d); err != nil {
			return fmt.Errorf("dispatch %s: %w", event, err)
		}
		sent++
	}
	if sent == 0 {
		return errors.New("dispatch " + event + ": no gateway session for guild " + guildID)
	}
	return nil
}

func owns(shard [2]int, guildID string) bool {
	if guildID == "" || shard[1] <= 1 {
		return true
	}
	id, err := strconv.ParseUint(guildID, 10, 64)
	if err != nil {
		return false
	}
	return int((id>>22)%uint64(shard[1])) == shard[0]
}

// Shards returns the [id, count] of every ready gateway session.
func (s *Server) Shards() [][2]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][2]int
	for _, c := range s.conns {
		if c.ready {
			out = append(out, c.shard)
		}
	}
	return out
}
