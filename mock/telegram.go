package mock

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func init() {
	registerParty(partyDef{name: "telegram", order: 40, start: startTelegram, prepare: prepareTelegram,
		sections:            func() []world.Section { return []world.Section{tgmock.NewSection()} },
		scenarioCredentials: telegramScenarioCredentials})
}

// Telegram is the sandbox's Telegram Bot API emulator. The embedded
// [tgmock.Server] provides the user-simulation and inspection helpers
// (PostAsUser, WriteToBot, Messages, SetAdmin, PendingUpdates, SetLimits,
// ...).
type Telegram struct {
	*tgmock.Server
	// URL is the base URL to use as the Bot API server
	// (URL + "/bot<token>/getMe").
	URL string
}

// TelegramCredentials are the Telegram credentials of the seeded world.
type TelegramCredentials struct {
	// BotToken is the token of the first production bot.
	BotToken string `json:"bot_token"`
	// BotID and BotUsername identify that bot.
	BotID       int64  `json:"bot_id"`
	BotUsername string `json:"bot_username"`
	// ChannelID and ChannelUsername ("@name") name the first channel where
	// the bot is an administrator.
	ChannelID       int64  `json:"channel_id"`
	ChannelUsername string `json:"channel_username"`
	// GroupID is the first supergroup (or group) the bot is in.
	GroupID int64 `json:"group_id"`
	// TestBotToken is the token of the first test-environment bot
	// (/bot<token>/test/...), if any.
	TestBotToken string `json:"test_bot_token,omitempty"`
}

// Credentials are the sandbox credentials of every party.
type Credentials struct {
	Telegram TelegramCredentials `json:"telegram"`
	ESIA     ESIACredentials     `json:"esia"`
	OK       OKCredentials       `json:"ok"`
	VK       VKCredentials       `json:"vk"`
	POS      POSCredentials      `json:"pos"`
}

func startTelegram(sb *Sandbox, t *Tenant) (*partyRuntime, error) {
	srv := tgmock.New(t.World, append(slices.Clone(sb.cfg.tgOpts), tgmock.WithTenant(t.Name))...)
	t.Telegram = &Telegram{Server: srv, URL: sb.URL("telegram")}
	return &partyRuntime{
		handler: srv,
		adapter: srv.Adapter(),
		credentials: func() any {
			if c := telegramCredentials(t.World, srv.Section()); c.BotToken != "" || c.TestBotToken != "" {
				return c
			}
			return nil
		},
		worldCredentials: func() []string {
			bots := srv.Section().Bots()
			out := make([]string, len(bots))
			for i, b := range bots {
				out[i] = b.Token
			}
			return out
		},
		credentialsVersion: func() uint64 { return srv.Section().Version() },
		control:            sync.OnceValue(func() http.Handler { return telegramControl(srv) }),
		close:              srv.Close,
	}, nil
}

// telegramScenarioCredentials lists the bot tokens of a scenario's
// Telegram section.
func telegramScenarioCredentials(sc world.Scenario) []string {
	st, err := tgmock.SettingsOf(sc)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(st.Bots))
	for _, b := range st.Bots {
		out = append(out, b.Token)
	}
	return out
}

// prepareTelegram gives a tenant's bots tokens of their own, derived from
// the tenant's name.
func prepareTelegram(sc *world.Scenario, tenant string) {
	st, err := tgmock.SettingsOf(*sc)
	if err != nil || len(st.Bots) == 0 {
		return
	}
	seed := tenantSeed(tenant)
	for i := range st.Bots {
		st.Bots[i].Token = tgmock.NewBotToken(st.Bots[i].ID, seed+int64(i))
	}
	_ = tgmock.PutSettings(sc, st)
}

func telegramCredentials(w *world.World, sec *tgmock.Section) TelegramCredentials {
	var c TelegramCredentials
	for _, b := range sec.Bots() {
		if b.TestEnv {
			if c.TestBotToken == "" {
				c.TestBotToken = b.Token
			}
			continue
		}
		if c.BotToken == "" {
			c.BotToken, c.BotID, c.BotUsername = b.Token, b.ID, b.Username
		}
	}
	st := sec.Settings()
	chats := make(map[int64]tgmock.ChatSettings, len(st.Chats))
	for _, ch := range st.Chats {
		chats[ch.ID] = ch
	}
	inChat := func(ch tgmock.ChatSettings, admin bool) bool {
		for _, a := range ch.Admins {
			if a.BotID == c.BotID && (!admin || a.Rights.CanPostMessages) {
				return true
			}
		}
		return !admin && containsID(ch.BotMembers, c.BotID)
	}
	var group int64
	for _, p := range w.Pages(world.NetworkTelegram) {
		ch := chats[p.ID]
		if p.TestEnv || ch.MigratedToID != 0 || c.BotID == 0 {
			continue
		}
		switch p.Kind {
		case world.PageChannel:
			if c.ChannelID == 0 && inChat(ch, true) {
				c.ChannelID = p.ID
				if p.Username != "" {
					c.ChannelUsername = "@" + strings.TrimPrefix(p.Username, "@")
				}
			}
		case world.PageSupergroup:
			if c.GroupID == 0 && inChat(ch, false) {
				c.GroupID = p.ID
			}
		case world.PageGroup:
			if group == 0 && inChat(ch, false) {
				group = p.ID
			}
		}
	}
	if c.GroupID == 0 {
		c.GroupID = group
	}
	return c
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// telegramUserRoutes adds the control routes that act as a Telegram user:
//
//	POST /_mock/telegram/kick  {"chat_id": -100…, "bot_id": …}   an administrator removes the bot
//	POST /_mock/telegram/block {"bot_id": …, "user_id": …}       the person blocks the bot
//	POST /_mock/telegram/start {"bot_id": …, "user_id": …}       the person (re)starts the bot ("/start")
//
// See [tgmock.Server.KickBot], [tgmock.Server.BlockBot] and
// [tgmock.Server.StartBot].
func telegramUserRoutes(mux *jsonMux, srv *tgmock.Server) {
	type userReq struct {
		ChatID int64 `json:"chat_id"`
		BotID  int64 `json:"bot_id"`
		UserID int64 `json:"user_id"`
	}
	decode := func(w http.ResponseWriter, r *http.Request, usage string) (userReq, bool) {
		var req userReq
		data, ok := readBody(w, r)
		if !ok {
			return req, false
		}
		if err := json.Unmarshal(data, &req); err != nil || req.BotID == 0 {
			fail(w, http.StatusBadRequest, "body must be %s", usage)
			return req, false
		}
		return req, true
	}
	mux.handle("POST", "/kick", func(w http.ResponseWriter, r *http.Request) {
		req, ok := decode(w, r, `{"chat_id": <channel or group id>, "bot_id": <bot id>}`)
		if !ok {
			return
		}
		if err := srv.KickBot(req.ChatID, req.BotID); err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"chat_id": req.ChatID, "bot_id": req.BotID, "status": "kicked"})
	})
	mux.handle("POST", "/block", func(w http.ResponseWriter, r *http.Request) {
		req, ok := decode(w, r, `{"bot_id": <bot id>, "user_id": <Telegram user id>}`)
		if !ok {
			return
		}
		if err := srv.BlockBot(req.BotID, req.UserID); err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"bot_id": req.BotID, "user_id": req.UserID, "status": "blocked"})
	})
	mux.handle("POST", "/start", func(w http.ResponseWriter, r *http.Request) {
		req, ok := decode(w, r, `{"bot_id": <bot id>, "user_id": <Telegram user id>}`)
		if !ok {
			return
		}
		msg, err := srv.StartBot(req.BotID, req.UserID)
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		writeJSON(w, http.StatusOK, msg)
	})
}
