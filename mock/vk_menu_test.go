package mock_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/vkmock"
)

func TestSandboxVKAdminEditsMenu(t *testing.T) {
	sb := mock.Start(t)
	c := sb.Credentials.VK
	gid := strconv.FormatInt(c.GroupID, 10)
	put := func(body string) int {
		req, err := http.NewRequest(http.MethodPut, sb.ControlURL+"/_mock/vk/menu", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	items := `[{"title":"Решаем вместе","url":"https://pos.gosuslugi.ru/form/?opaId=1","cover":"Сообщить о проблеме"},` +
		`{"title":"Решаем вместе","url":"https://pos.gosuslugi.ru/og/org-activities?reg_code=29","cover":"Высказать мнение"}]`
	// A non-admin (a commenter of the world) is refused; the menu stays.
	assert.Equal(t, http.StatusForbidden, put(`{"group_id":`+gid+`,"user_id":800000002,"items":`+items+`}`))
	assert.Len(t, sb.VK.Menu(c.GroupID), 3)
	// The administrator replaces it; a bad item is refused.
	assert.Equal(t, http.StatusBadRequest, put(`{"group_id":`+gid+`,"user_id":`+strconv.FormatInt(c.UserID, 10)+`,"items":[{"title":"x","url":"ftp://x"}]}`))
	require.Equal(t, http.StatusOK, put(`{"group_id":`+gid+`,"user_id":`+strconv.FormatInt(c.UserID, 10)+`,"items":`+items+`}`))
	// groups.getById fields=menu reads it back, covers included.
	m := vkCall(t, sb.VKURL, "groups.getById", c.ServiceToken, "group_id", gid, "fields", "menu")
	var resp struct {
		Groups []struct {
			Menu struct {
				Items []struct {
					ID    int64  `json:"id"`
					Title string `json:"title"`
					URL   string `json:"url"`
					Cover string `json:"cover"`
				} `json:"items"`
			} `json:"menu"`
		} `json:"groups"`
	}
	require.NoError(t, json.Unmarshal(m["response"], &resp), string(m["response"]))
	require.Len(t, resp.Groups, 1)
	got := resp.Groups[0].Menu.Items
	require.Len(t, got, 2)
	assert.Equal(t, int64(1), got[0].ID)
	assert.Equal(t, "Решаем вместе", got[1].Title)
	assert.Equal(t, "Высказать мнение", got[1].Cover)
	assert.Contains(t, got[0].URL, "opaId=1")
	// The Go method refuses a stranger too.
	assert.ErrorIs(t, sb.VK.SetMenu(c.GroupID, 1, nil), vkmock.ErrNotAdmin)
}
