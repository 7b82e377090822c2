package gospubliki_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

// An editor drafts an orange-urgency post for a VK page and a Telegram
// channel, a moderator returns it with a comment, the editor fixes it and
// submits it again, and the moderator approves it.
func Example() {
	srv := gpmock.New()
	cb, _ := srv.AddCabinet(gpmock.KindInstitution, 1000001, "Администрация")
	_, _ = srv.AddUser(cb.ID, gpmock.User{Phone: "+79990000001", Email: "editor@example.org", Role: gpmock.RoleEditor}, "editor-password")
	_, _ = srv.AddUser(cb.ID, gpmock.User{Phone: "+79990000002", Email: "moderator@example.org", Role: gpmock.RoleModerator}, "moderator-password")
	hs := httptest.NewServer(srv)
	defer hs.Close()
	ctx := context.Background()

	editor, _ := gospubliki.New(core.WithBaseURL(hs.URL))
	moderator, _ := gospubliki.New(core.WithBaseURL(hs.URL))
	if _, err := editor.Login(ctx, "+79990000001", "editor-password"); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := moderator.Login(ctx, "+79990000002", "moderator-password"); err != nil {
		fmt.Println(err)
		return
	}

	p, _ := editor.CreatePost(ctx, gospubliki.PostInput{
		Text:    gospubliki.Ptr("Отключение воды 12 мая"),
		Urgency: gospubliki.Ptr(gospubliki.UrgencyOrange),
		Targets: []string{"vk:-100", "telegram:-1001234"},
	})
	_, _ = editor.SubmitPost(ctx, p.ID)
	r, _ := moderator.ReturnPost(ctx, p.ID, "Укажите улицы")
	fmt.Println(r.Status, r.Comments[0].Text)

	_, err := moderator.ApprovePost(ctx, p.ID)
	fmt.Println(core.ErrorCode(err))

	_, _ = editor.UpdatePost(ctx, p.ID, gospubliki.PostInput{Text: gospubliki.Ptr("Отключение воды 12 мая: ул. Ленина, ул. Мира")})
	_, _ = editor.SubmitPost(ctx, p.ID)
	a, _ := moderator.ApprovePost(ctx, p.ID)
	fmt.Println(a.Status, a.Urgency)

	for post, err := range moderator.Posts(ctx, gospubliki.PostFilter{Status: gospubliki.PostApproved}) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(post.Text)
	}
	// Output:
	// returned Укажите улицы
	// invalid_transition
	// approved orange
	// Отключение воды 12 мая: ул. Ленина, ул. Мира
}
