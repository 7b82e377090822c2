package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/okmock"
	"github.com/gospubliki/gosdk/mock/posmock"
	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/vkmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// Action is something a person does in a tenant's world, as a user of one
// party: a Telegram user writing to a bot, a VK user joining a community,
// a citizen filing a POS appeal, a cabinet moderator returning a post.
// Run one with [Tenant.Act] (or [Sandbox.Act] for the default tenant), or
// over HTTP with POST /_mock/act/{party}/{name} and the action's JSON as
// the body; both run the same code. The actions are the types of this
// package whose names start with the party: [TelegramMessage],
// [TelegramCommand], [TelegramButton], [TelegramPost], [VKComment],
// [VKMessage], [VKJoin], [VKTwoFactor], [VKMenu], [VKDescription],
// [OKJoin], [OKTwoFactor], [OKDescription], [OKComment], [ESIALogin], [POSAppeal],
// [GospublikiInvite], [GospublikiApprove] and [GospublikiReturn].
type Action interface {
	// ActionName returns the party and the action's name, as in the
	// action's URL.
	ActionName() (party, name string)
	act(ctx context.Context, t *Tenant) (any, error)
}

// Errors of actions (wrapped, with details). Over HTTP they answer 400,
// 404, 403 and 404 with {"error": "..."}.
var (
	// ErrBadAction: the action's fields are missing or invalid.
	ErrBadAction = errors.New("mock: invalid action")
	// ErrActNotFound: the action names something the world lacks (a bot,
	// a post, a community, a cabinet user).
	ErrActNotFound = errors.New("mock: not found")
	// ErrActForbidden: the acting person may not do that (not an
	// administrator of the page).
	ErrActForbidden = errors.New("mock: not allowed")
	// ErrPartyNotStarted: the action's party does not run in the sandbox.
	ErrPartyNotStarted = errors.New("mock: party not started")
)

func badAction(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadAction, fmt.Sprintf(format, args...))
}

// actions builds an empty action by "party/name", for the HTTP route.
var actions = map[string]func() Action{}

func registerAction(newAction func() Action) {
	p, n := newAction().ActionName()
	actions[p+"/"+n] = newAction
}

func init() {
	for _, f := range []func() Action{
		func() Action { return &TelegramMessage{} }, func() Action { return &TelegramCommand{} },
		func() Action { return &TelegramButton{} }, func() Action { return &TelegramPost{} },
		func() Action { return &VKComment{} }, func() Action { return &VKMessage{} },
		func() Action { return &VKJoin{} }, func() Action { return &VKTwoFactor{} },
		func() Action { return &VKMenu{} }, func() Action { return &VKDescription{} },
		func() Action { return &OKJoin{} }, func() Action { return &OKTwoFactor{} },
		func() Action { return &OKDescription{} }, func() Action { return &OKComment{} },
		func() Action { return &ESIALogin{} },
		func() Action { return &POSAppeal{} },
		func() Action { return &GospublikiInvite{} }, func() Action { return &GospublikiApprove{} },
		func() Action { return &GospublikiReturn{} },
	} {
		registerAction(f)
	}
}

// ActionNames returns the "party/name" of every action, sorted.
func ActionNames() []string {
	out := make([]string, 0, len(actions))
	for k := range actions {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Act runs an action in the tenant's world and returns its result (the
// result type is named in each action's documentation). Errors wrap
// [ErrBadAction], [ErrActNotFound], [ErrActForbidden],
// [ErrPartyNotStarted] or the emulator's own error.
func (t *Tenant) Act(ctx context.Context, a Action) (any, error) {
	if a == nil {
		return nil, badAction("no action")
	}
	if t.deleted.Load() {
		return nil, fmt.Errorf("%w: %q", ErrNoTenant, t.Name)
	}
	return a.act(ctx, t)
}

// Act runs an action in the default tenant (see [Tenant.Act]).
func (sb *Sandbox) Act(ctx context.Context, a Action) (any, error) { return sb.def.Act(ctx, a) }

// actStatus is the HTTP status of an action's error.
func actStatus(err error) int {
	switch {
	case errors.Is(err, ErrActForbidden), errors.Is(err, vkmock.ErrNotAdmin), errors.Is(err, okmock.ErrNotAdmin):
		return http.StatusForbidden
	case errors.Is(err, ErrActNotFound), errors.Is(err, ErrPartyNotStarted), errors.Is(err, ErrNoTenant),
		errors.Is(err, world.ErrNotFound), errors.Is(err, posmock.ErrNoLKO), errors.Is(err, gpmock.ErrNoActor):
		return http.StatusNotFound
	}
	var ce *cabinetError
	if errors.As(err, &ce) {
		return ce.status
	}
	return http.StatusBadRequest
}

// serveAct serves POST /_mock/act/{party}/{name}: the body is the action
// (unknown fields refused), the answer its result.
func serveAct(w http.ResponseWriter, r *http.Request, t *Tenant) {
	key := r.PathValue("party") + "/" + r.PathValue("name")
	newAction, ok := actions[key]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": fmt.Sprintf("unknown action %q", key), "known": ActionNames()})
		return
	}
	data, ok := readBody(w, r)
	if !ok {
		return
	}
	a := newAction()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(a); err != nil {
		fail(w, http.StatusBadRequest, "body of %s must be its JSON object: %v", key, err)
		return
	}
	if dec.More() {
		fail(w, http.StatusBadRequest, "body of %s must be one JSON object", key)
		return
	}
	res, err := t.Act(r.Context(), a)
	if err != nil {
		fail(w, actStatus(err), "%s: %v", key, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// ---- Telegram ----

func (t *Tenant) telegram() (*Telegram, error) {
	if t.Telegram == nil {
		return nil, fmt.Errorf("%w: telegram", ErrPartyNotStarted)
	}
	return t.Telegram, nil
}

// tgErr classifies a tgmock simulation error.
func tgErr(err error) error {
	if errors.Is(err, tgmock.ErrSim) && strings.Contains(err.Error(), "not found") {
		return fmt.Errorf("%w: %v", ErrActNotFound, err)
	}
	return err
}

func checkText(field, text string, maxRunes int) error {
	if strings.TrimSpace(text) == "" {
		return badAction("%s is empty", field)
	}
	if utf8.RuneCountInString(text) > maxRunes {
		return badAction("%s is longer than %d characters", field, maxRunes)
	}
	return nil
}

func checkIDs(ids ...any) error {
	for i := 0; i+1 < len(ids); i += 2 {
		if v, _ := ids[i+1].(int64); v <= 0 {
			return badAction("%s must be a positive id", ids[i])
		}
	}
	return nil
}

// TelegramMessage: a Telegram user writes text to a bot in their private
// chat; the bot receives a "message" update by long poll or webhook. The
// result is the [tgmock.Message].
type TelegramMessage struct {
	BotID  int64  `json:"bot_id"`
	UserID int64  `json:"user_id"`
	Text   string `json:"text"`
}

// ActionName implements [Action].
func (TelegramMessage) ActionName() (string, string) { return "telegram", "message" }

func (a TelegramMessage) act(_ context.Context, t *Tenant) (any, error) {
	tg, err := t.telegram()
	if err != nil {
		return nil, err
	}
	if err := checkIDs("bot_id", a.BotID, "user_id", a.UserID); err != nil {
		return nil, err
	}
	if err := checkText("text", a.Text, 4096); err != nil {
		return nil, err
	}
	msg, err := tg.WriteToBot(a.BotID, a.UserID, a.Text)
	return msg, tgErr(err)
}

// TelegramCommand: a Telegram user sends a bot a command ("/start",
// "/help args"), a message with a bot_command entity. The result is the
// [tgmock.Message].
type TelegramCommand struct {
	BotID  int64 `json:"bot_id"`
	UserID int64 `json:"user_id"`
	// Command is the command's name, with or without the leading "/"
	// (1-32 characters of a-z, 0-9 and "_").
	Command string `json:"command"`
	// Args follow the command after a space (optional).
	Args string `json:"args,omitempty"`
}

// ActionName implements [Action].
func (TelegramCommand) ActionName() (string, string) { return "telegram", "command" }

func (a TelegramCommand) act(ctx context.Context, t *Tenant) (any, error) {
	cmd := strings.TrimPrefix(a.Command, "/")
	if cmd == "" || len(cmd) > 32 || strings.Trim(cmd, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return nil, badAction("command must be 1-32 characters of a-z, 0-9 and _")
	}
	text := "/" + cmd
	if strings.TrimSpace(a.Args) != "" {
		text += " " + a.Args
	}
	return TelegramMessage{BotID: a.BotID, UserID: a.UserID, Text: text}.act(ctx, t)
}

// TelegramButton: a Telegram user presses an inline keyboard button
// (callback_data Data) under message MessageID that bot BotID sent in chat
// ChatID (0: the user's private chat with the bot); the bot receives a
// "callback_query" update. The result is the [tgmock.CallbackQuery].
type TelegramButton struct {
	BotID     int64  `json:"bot_id"`
	UserID    int64  `json:"user_id"`
	ChatID    int64  `json:"chat_id,omitempty"`
	MessageID int64  `json:"message_id"`
	Data      string `json:"data"`
}

// ActionName implements [Action].
func (TelegramButton) ActionName() (string, string) { return "telegram", "button" }

func (a TelegramButton) act(_ context.Context, t *Tenant) (any, error) {
	tg, err := t.telegram()
	if err != nil {
		return nil, err
	}
	if err := checkIDs("bot_id", a.BotID, "user_id", a.UserID, "message_id", a.MessageID); err != nil {
		return nil, err
	}
	if a.Data == "" || len(a.Data) > 64 {
		return nil, badAction("data must be 1-64 bytes (Telegram's callback_data)")
	}
	q, err := tg.PressButton(a.BotID, a.UserID, a.ChatID, a.MessageID, a.Data)
	return q, tgErr(err)
}

// TelegramPost: a Telegram user writes in a group, or an administrator
// posts in a channel; the bots of the chat receive it as Telegram delivers
// it (see [tgmock.Server.PostAsUser]). The result is the [tgmock.Message].
type TelegramPost struct {
	ChatID int64  `json:"chat_id"`
	UserID int64  `json:"user_id"`
	Text   string `json:"text"`
}

// ActionName implements [Action].
func (TelegramPost) ActionName() (string, string) { return "telegram", "post" }

func (a TelegramPost) act(_ context.Context, t *Tenant) (any, error) {
	tg, err := t.telegram()
	if err != nil {
		return nil, err
	}
	if a.ChatID >= 0 {
		return nil, badAction("chat_id must be a group or channel id (negative)")
	}
	if err := checkIDs("user_id", a.UserID); err != nil {
		return nil, err
	}
	if err := checkText("text", a.Text, 4096); err != nil {
		return nil, err
	}
	msg, err := tg.PostAsUser(a.ChatID, a.UserID, a.Text)
	if err != nil && strings.Contains(err.Error(), "may not post") {
		return nil, fmt.Errorf("%w: %v", ErrActForbidden, err)
	}
	return msg, tgErr(err)
}
