package mock_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/world"
	"github.com/gospubliki/gosdk/social"
	"github.com/gospubliki/gosdk/vk"
)

// TestVKClientAgainstTheEmulator runs the vk package's client against the
// sandbox's VK emulator: the requirement report, a post with its guid and
// a photo, and a wrong token kind refused before the network.
func TestVKClientAgainstTheEmulator(t *testing.T) {
	sb := mock.Start(t)
	ctx := context.Background()
	c := sb.Credentials.VK
	fast := vk.WithRateLimits(vk.Limits{User: core.PerSecond(1000), Community: core.PerSecond(1000), Service: core.PerSecond(1000)})
	user, err := vk.New(c.UserToken, vk.UserToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()), fast)
	require.NoError(t, err)

	rep, err := user.CheckCommunity(ctx, c.GroupID)
	require.NoError(t, err)
	byCode := map[social.RequirementCode]social.RequirementStatus{}
	for _, r := range rep.Requirements {
		byCode[r.Code] = r.Status
	}
	assert.Equal(t, social.RequirementMet, byCode[social.ReqOpen])
	assert.Equal(t, social.RequirementMet, byCode[social.ReqPhoto])
	assert.Equal(t, social.RequirementMet, byCode[social.ReqDescription])
	assert.Equal(t, social.RequirementMet, byCode[social.ReqCity])
	assert.NotEqual(t, social.RequirementMet, byCode[social.ReqCategoryGovernment], "the default community's category is not yet the government one")
	assert.NotEqual(t, social.RequirementMet, byCode[social.ReqGovMark])
	assert.NotZero(t, rep.GovCategoryID)
	assert.Len(t, rep.Managers, 2)

	photo, err := user.UploadGroupWallPhoto(ctx, c.GroupID, "p.png", pngImage(t), "")
	require.NoError(t, err)
	req := vk.WallPostRequest{OwnerID: -c.GroupID, FromGroup: true, Message: "Новость", Key: "news-1",
		Attachments: []string{photo.Attachment()}}
	id1, err := user.WallPost(ctx, req)
	require.NoError(t, err)
	id2, err := user.WallPost(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, id1, id2, "the same key, the same guid, one post")
	posts := sb.VK.Posts(world.DefaultVKGroupID)
	require.Len(t, posts, 1)
	assert.Len(t, posts[0].Attachments, 1)

	group, err := vk.New(c.CommunityToken, vk.CommunityToken, core.WithBaseURL(sb.VKURL), core.WithHTTPClient(sb.HTTPClient()), fast)
	require.NoError(t, err)
	_, err = group.WallPost(ctx, vk.WallPostRequest{OwnerID: -c.GroupID, Message: "x", Key: "k"})
	require.ErrorIs(t, err, vk.ErrWrongTokenKind)
	g, err := group.GetGroup(ctx, c.GroupID)
	require.NoError(t, err)
	assert.Equal(t, "minsvyaz29", g.ScreenName)
}

func pngImage(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 4, 4))))
	return b.Bytes()
}
