package vk_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/vk"
)

// knownMethods are the methods of the package's token-kind table.
var knownMethods = []string{
	"groups.getById", "groups.getMembers", "utils.resolveScreenName", "groups.getSettings", "groups.edit",
	"groups.addLink", "groups.editLink", "groups.deleteLink", "groups.reorderLink", "groups.getLongPollServer",
	"groups.setLongPollSettings", "groups.addCallbackServer", "groups.getCallbackServers", "groups.setCallbackSettings",
	"groups.getCallbackConfirmationCode", "wall.post", "wall.edit", "wall.delete", "wall.get", "wall.getById",
	"photos.getWallUploadServer", "photos.saveWallPhoto", "video.save", "polls.create", "stats.get",
	"stats.getPostReach", "execute",
}

// TestTokenKindsAgreeWithTheEmulator: for every method of the table and
// every token kind, the client and the emulator agree. Where the client
// refuses a kind before the network, the emulator, sent the same call by
// hand, answers the code the client's TokenKindError names (27 community,
// 28 service, 5 user); where the client allows it, the emulator does not
// refuse the kind.
func TestTokenKindsAgreeWithTheEmulator(t *testing.T) {
	sb := mock.Start(t, mock.WithParties("vk"))
	cr := sb.Credentials.VK
	tokens := map[vk.TokenKind]string{vk.UserToken: cr.UserToken, vk.CommunityToken: cr.CommunityToken, vk.ServiceToken: cr.ServiceToken}
	raw := func(method, token string) (int, string) {
		form := url.Values{"v": {vk.DefaultVersion}, "access_token": {token}}
		resp, err := sb.HTTPClient().PostForm(sb.VKURL+"/method/"+method, form)
		require.NoError(t, err)
		defer resp.Body.Close()
		var env struct {
			Error *struct {
				Code int    `json:"error_code"`
				Msg  string `json:"error_msg"`
			} `json:"error"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
		if env.Error == nil {
			return 0, ""
		}
		return env.Error.Code, env.Error.Msg
	}
	kindRefusal := func(code int, msg string) bool {
		return code == vk.CodeGroupAuthFailed || code == vk.CodeAppAuthFailed ||
			(code == vk.CodeAuthFailed && strings.Contains(msg, "unavailable with"))
	}
	for _, m := range knownMethods {
		for kind, tok := range tokens {
			require.NotEmpty(t, tok, "%s token", kind)
			code, msg := raw(m, tok)
			if vk.Allows(m, kind) {
				assert.False(t, kindRefusal(code, msg), "%s with a %s token: the emulator refuses the kind (%d %s)", m, kind, code, msg)
				continue
			}
			c, err := vk.New(tok, kind, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()))
			require.NoError(t, err)
			err = c.Call(t.Context(), m, url.Values{}, nil)
			var ke *vk.TokenKindError
			require.True(t, errors.As(err, &ke), "%s with a %s token: %v", m, kind, err)
			assert.Equal(t, ke.Code, code, "%s with a %s token: the emulator answered %d %q", m, kind, code, msg)
		}
	}
	// The wording of the two authorization failures, as VK sends them.
	code, msg := raw("wall.post", cr.ServiceToken)
	assert.Equal(t, vk.CodeAppAuthFailed, code)
	assert.Equal(t, "Application authorization failed: method is unavailable with service token.", msg)
	code, msg = raw("photos.getWallUploadServer", cr.CommunityToken)
	assert.Equal(t, vk.CodeGroupAuthFailed, code)
	assert.Equal(t, "Group authorization failed: method is unavailable with group auth.", msg)
}
