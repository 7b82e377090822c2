package tgmock_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock/tgmock"
	"github.com/gospubliki/gosdk/mock/world"
)

// bot returns a Telegram bot numbered i with username seed<i>_bot.
func bot(i int) tgmock.Bot {
	id := 8000000000 + int64(i)
	return tgmock.Bot{ID: id, Token: tgmock.NewBotToken(id, 1), Username: fmt.Sprintf("seed%d_bot", i), FirstName: "Bot"}
}

// TestBotsStayUniqueAtScale seeds 5 000 bots and checks that a taken token,
// id or username (in any case, per environment) is refused and that a
// removed bot's values are free again.
func TestBotsStayUniqueAtScale(t *testing.T) {
	t.Parallel()
	const n = 5000
	w, err := world.New()
	require.NoError(t, err)
	sec := tgmock.SectionOf(w)
	for i := range n {
		require.NoError(t, sec.AddBot(bot(i), w))
	}
	require.Len(t, sec.Bots(), n+len(tgmock.DefaultSettings().Bots))

	assert.ErrorIs(t, sec.AddBot(bot(77), w), world.ErrDuplicate, "a taken token")
	sameID := bot(77)
	sameID.Token, sameID.Username = tgmock.NewBotToken(sameID.ID, 2), "fresh77_bot"
	assert.ErrorIs(t, sec.AddBot(sameID, w), world.ErrDuplicate, "a taken id")
	sameName := bot(n)
	sameName.Username = "SEED77_Bot"
	assert.ErrorIs(t, sec.AddBot(sameName, w), world.ErrDuplicate, "a taken username in another case")
	seededName := bot(n)
	seededName.Username = tgmock.DefaultSettings().Bots[0].Username
	assert.ErrorIs(t, sec.AddBot(seededName, w), world.ErrDuplicate, "the seeded bot's username")
	testEnv := sameName
	testEnv.TestEnv, testEnv.Token = true, tgmock.NewBotToken(testEnv.ID, 3)
	assert.NoError(t, sec.AddBot(testEnv, w), "the test environment has its own ids and usernames")

	require.NoError(t, sec.RemoveBot(bot(77).Token))
	assert.NoError(t, sec.AddBot(sameName, w), "a removed bot's username is free")
	assert.NoError(t, sec.AddBot(sameID, w), "a removed bot's id is free")
	assert.ErrorIs(t, sec.AddBot(bot(77), w), world.ErrDuplicate, "the id is taken again")

	w.Reset()
	require.NoError(t, sec.AddBot(bot(77), w), "reset frees the added bots")
	sc := world.DefaultScenario()
	var st tgmock.Settings
	for i := range n {
		st.Bots = append(st.Bots, bot(i))
	}
	require.NoError(t, tgmock.PutSettings(&sc, st))
	require.NoError(t, w.Import(sc))
	assert.NoError(t, sec.AddBot(seededName, w), "import drops the seeded bots")
	assert.ErrorIs(t, sec.AddBot(sameName, w), world.ErrDuplicate)
	st.Bots = append(st.Bots, sameName)
	require.NoError(t, tgmock.PutSettings(&sc, st))
	err = w.Import(sc)
	assert.ErrorIs(t, err, world.ErrDuplicate, "an imported scenario with a duplicate username is refused")
	assert.ErrorContains(t, err, fmt.Sprintf("telegram.bots[%d].username: @SEED77_Bot already used in its environment", n))
}

func TestSectionValidationNamesTheField(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	sec := tgmock.SectionOf(w)
	for name, tc := range map[string]struct {
		mutate func(*tgmock.Settings)
		want   string
	}{
		"production token": {func(st *tgmock.Settings) { st.Bots[0].Token = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw3" },
			"bots[0].token: refusing a production-looking token"},
		"token prefix": {func(st *tgmock.Settings) { st.Bots[0].Token = tgmock.NewBotToken(5, 1) }, "bots[0].token: the numeric prefix must equal the bot id"},
		"username":     {func(st *tgmock.Settings) { st.Bots[1].Username = "minsvyaz" }, `bots[1].username: must end in "bot"`},
		"owner":        {func(st *tgmock.Settings) { st.Bots[0].OwnerOrgOID = 42 }, "bots[0].owner_org_oid: no organization 42"},
		"chat":         {func(st *tgmock.Settings) { st.Chats[0].ID = -77 }, "chats[0].id: no telegram page -77"},
		"unknown bot": {func(st *tgmock.Settings) { st.Chats[0].Admins[0].BotID = 99 },
			"chats[0].admins[0].bot_id: no bot 99 in this section"},
		"person without role": {func(st *tgmock.Settings) {
			st.Chats[0].Admins = append(st.Chats[0].Admins, tgmock.ChatAdmin{PersonOID: world.DefaultEmployeeOID})
		}, "chats[0].admins[1].person_oid: person 1000000102 holds no creator or administrator role on telegram page -1001000000002"},
		"both": {func(st *tgmock.Settings) { st.Chats[0].Admins[0].PersonOID = world.DefaultChiefOID },
			"chats[0].admins[0]: an administrator is either a person (person_oid) or a bot (bot_id)"},
		"upgrade of a supergroup": {func(st *tgmock.Settings) { st.Chats[0].MigratedToID = world.DefaultChannelID },
			"chats[0].migrated_to_id: only a basic group is upgraded"},
		"upgrade to a channel": {func(st *tgmock.Settings) { st.Chats[2].MigratedToID = world.DefaultChannelID },
			"chats[2].migrated_to_id: page -1001000000001 is not a supergroup"},
	} {
		t.Run(name, func(t *testing.T) {
			st := tgmock.DefaultSettings()
			tc.mutate(&st)
			raw, err := json.Marshal(st)
			require.NoError(t, err)
			err = sec.Validate(raw, w)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "AAHdqTc", "errors never contain tokens")
			sc := w.Export()
			sc.Sections[tgmock.SectionName] = raw
			err = w.Import(sc)
			assert.ErrorContains(t, err, "telegram."+tc.want, "the world prefixes the section name")
		})
	}
	err = sec.Validate(json.RawMessage(`{"bots":[],"admin_rights":{}}`), w)
	assert.ErrorContains(t, err, `unknown field "admin_rights"`)
}

func TestExportWithoutSecretsLeavesTokensOut(t *testing.T) {
	w, err := world.New()
	require.NoError(t, err)
	tgmock.New(w).Close()
	data, err := json.Marshal(w.Export(world.WithoutSecrets()))
	require.NoError(t, err)
	for _, b := range tgmock.DefaultSettings().Bots {
		assert.NotContains(t, string(data), b.Token)
	}
	assert.Contains(t, string(data), `"username":"minsvyaz29_bot"`)
	full, _ := json.Marshal(w.Export())
	assert.Contains(t, string(full), tgmock.DefaultSettings().Bots[0].Token)
}

func TestSetAdminOfAPersonKeepsRoleAndRightsApart(t *testing.T) {
	e := newEnv(t)
	require.NoError(t, e.srv.SetAdmin(groupID, world.DefaultEmployeeTGID, tgmock.AdminRights{CanPinMessages: true}))
	p, err := e.w.Page(world.NetworkTelegram, groupID)
	require.NoError(t, err)
	assert.Equal(t, world.RoleAdministrator, p.RoleOf(world.DefaultEmployeeOID), "the role is the world's")
	assert.NotContains(t, p.Members, world.DefaultEmployeeOID)
	ca := e.srv.Section().Chat(groupID)
	require.Len(t, ca.Admins, 2)
	assert.Equal(t, tgmock.ChatAdmin{PersonOID: world.DefaultEmployeeOID, Rights: tgmock.AdminRights{CanPinMessages: true}}, ca.Admins[1],
		"the rights are Telegram's")
	var m tgmock.ChatMember
	e.call("getChatMember", map[string]any{"chat_id": groupID, "user_id": world.DefaultEmployeeTGID}).decode(t, &m)
	assert.Equal(t, "administrator", m.Status)

	require.NoError(t, e.srv.RemoveAdmin(groupID, world.DefaultEmployeeTGID))
	p, _ = e.w.Page(world.NetworkTelegram, groupID)
	assert.Empty(t, p.RoleOf(world.DefaultEmployeeOID))
	assert.Contains(t, p.Members, world.DefaultEmployeeOID)
	assert.Len(t, e.srv.Section().Chat(groupID).Admins, 1)
	assert.Error(t, e.srv.SetAdmin(groupID, world.DefaultChiefTelegramID, tgmock.AdminRights{}), "the creator's rights are fixed")
}

func FuzzSection(f *testing.F) {
	def, _ := json.Marshal(tgmock.DefaultSettings())
	f.Add(def)
	f.Add([]byte(`{"bots":[{"id":1,"token":"1:MOCKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","username":"a_bot","first_name":"A"}],"chats":[{"id":-1000000003,"bot_members":[1]}]}`))
	w, err := world.New()
	if err != nil {
		f.Fatal(err)
	}
	sec := tgmock.SectionOf(w)
	f.Fuzz(func(t *testing.T, raw []byte) {
		if err := sec.Validate(raw, w); err != nil {
			return
		}
		fresh := tgmock.NewSection()
		if err := fresh.Import(raw); err != nil {
			t.Fatalf("validated content does not import: %v", err)
		}
		out, err := fresh.Export(true)
		if err != nil {
			t.Fatal(err)
		}
		if len(out) > 0 {
			if err := sec.Validate(out, w); err != nil {
				t.Fatalf("exported content does not validate: %v\n%s", err, out)
			}
		}
	})
}
