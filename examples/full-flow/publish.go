package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gospubliki/gosdk/examples/internal/cabinet"
	"github.com/gospubliki/gosdk/gospubliki"
)

// postText is the post; the networks' walls are searched for it.
const postText = "Министерство подтвердило официальные страницы через Госуслуги. Вопросы и предложения — через кнопку «Решаем вместе» в меню сообщества."

// publish takes a post through moderation to every connected page at a
// time on the sandbox clock, and prints the publication report.
func (f *flow) publish(ctx context.Context) error {
	f.n.Step("Gospubliki: a moderated post goes to all three networks")
	m, err := f.editor.UploadMedia(ctx, "pages.png", "image/png", cabinet.Photo)
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	at := f.sb.Clock.Now().Truncate(time.Hour).Add(time.Hour)
	p, err := f.editor.CreatePost(ctx, gospubliki.PostInput{Text: gospubliki.Ptr(postText),
		Urgency: gospubliki.Ptr(gospubliki.UrgencyGreen), Targets: f.targets, Media: []int64{m.ID}, PublishAt: &at})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	f.postID = p.ID
	if p, err = f.editor.SubmitPost(ctx, p.ID); err != nil {
		return fmt.Errorf("submit: %w", err)
	}
	f.n.Say("the editor created post %d with a photo (%s, %d bytes) for %d pages, to go out at %s; status %s",
		p.ID, m.Filename, m.Size, len(p.Targets), at.UTC().Format("15:04"), p.Status)
	if p, err = f.moderator.ApprovePost(ctx, p.ID); err != nil {
		return fmt.Errorf("approve: %w", err)
	}
	f.n.Say("the moderator approved it: status %s", p.Status)
	f.n.Checked("the networks before its time", f.onNetworks())

	// The cabinet's scheduler runs on the sandbox clock: it publishes
	// before the clock's move returns.
	f.sb.Clock.Set(at)
	if p, err = f.editor.Post(ctx, p.ID); err != nil {
		return err
	}
	f.n.Say("sandbox clock: %s, post %s", f.sb.Clock.Now().UTC().Format(clockLayout), p.Status)
	rep, err := f.editor.PostReport(ctx, p.ID)
	if err != nil {
		return err
	}
	f.n.Say("publication report:")
	published := 0
	for _, x := range rep.Items {
		switch x.Outcome {
		case gospubliki.OutcomePublished:
			published++
			if strings.HasPrefix(x.Target, gospubliki.NetworkVK+":") {
				f.vkPost, _ = strconv.ParseInt(x.NetworkPostID, 10, 64)
			}
			parts := make([]string, len(x.Parts))
			for i, pt := range x.Parts {
				parts[i] = pt.Kind + " " + pt.ID
			}
			f.n.Say("  %-24s published  %s  parts: %s", x.Target, x.URL, strings.Join(parts, ", "))
		default:
			f.n.Say("  %-24s %s  %s %s", x.Target, x.Outcome, x.Code, x.Error)
		}
	}
	f.n.Checked("the networks after it", f.onNetworks())
	if f.copies != [3]int{1, 1, 1} {
		return fmt.Errorf("the networks hold %v copies of the post, want one each", f.copies)
	}
	if rep.Status != gospubliki.PostPublished || published != len(f.targets) {
		return fmt.Errorf("post %s, %d of %d pages published", rep.Status, published, len(f.targets))
	}
	f.n.Result("post %d published on %d of %d pages, each once", p.ID, published, len(f.targets))
	return nil
}

// onNetworks counts the post's copies on each network, as the sandbox
// sees them: the VK wall's posts, the OK group's published topics and
// the Telegram channel's messages that carry its text.
func (f *flow) onNetworks() string {
	cr := f.sb.Credentials
	vkN := 0
	for _, p := range f.sb.VK.Posts(cr.VK.GroupID) {
		if strings.Contains(p.Text, postText) && !p.Postponed {
			vkN++
		}
	}
	okN := 0
	for _, t := range f.sb.OK.Topics(cr.OK.GroupID) {
		for _, m := range t.Media {
			if t.Published && strings.Contains(m.Text, postText) {
				okN++
			}
		}
	}
	tgN := 0
	for _, m := range f.sb.Telegram.Messages(cr.Telegram.ChannelID) {
		if strings.Contains(m.Text, postText) || strings.Contains(m.Caption, postText) {
			tgN++
		}
	}
	f.copies = [3]int{vkN, okN, tgN}
	return fmt.Sprintf("VK wall %d, OK group %d, Telegram channel %d cop(y/ies) of the post", vkN, okN, tgN)
}
