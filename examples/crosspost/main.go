// Command crosspost runs the cabinet's cross-posting flow against the
// gosdk sandbox, in-process and offline:
//
//	go run ./examples/crosspost
//
// It starts the sandbox (mock.New) with its clock set to 09:00 (running:
// the networks' rate limits pass in real time), then
//
//  1. the LKO administrator connects the ministry's VK community, OK group
//     and Telegram channel with their credentials (stored encrypted) and
//     checks each page's «Госорганизация» status and requirements;
//  2. the editor uploads a photo and creates an orange-urgency post with it
//     for the three pages, and submits it;
//  3. the moderator returns it with a comment; the editor fixes the text
//     and submits it again; the moderator approves it for 10:00;
//  4. the sandbox clock advances to 10:00 and the cabinet publishes it;
//  5. it prints the publication report: each page's outcome, link and
//     network id.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "crosspost:", err)
		os.Exit(1)
	}
}

// photo is a 1×1 PNG.
var photo = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

func run(ctx context.Context, out io.Writer) error {
	nine := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	sb, err := mock.New()
	if err != nil {
		return err
	}
	defer sb.Close()
	sb.Clock.Set(nine)
	creds, ok := sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	if !ok {
		return fmt.Errorf("the sandbox has no cabinet credentials")
	}
	fmt.Fprintln(out, "sandbox: Gospubliki cabinet at", creds.URL)
	login := func(who string, l mock.GospublikiLogin) (*gospubliki.Client, error) {
		c, err := gospubliki.New(core.WithBaseURL(creds.URL), core.WithHTTPClient(sb.HTTPClient()))
		if err != nil {
			return nil, err
		}
		s, err := c.Login(ctx, l.Phone, l.Password)
		if err != nil {
			return nil, fmt.Errorf("%s login: %w", who, err)
		}
		fmt.Fprintf(out, "%s logged in: %s (%s)\n", who, s.User.Name, s.User.Role)
		return c, nil
	}
	admin, err := login("administrator", creds.LKOAdmin)
	if err != nil {
		return err
	}
	editor, err := login("editor", creds.Editor)
	if err != nil {
		return err
	}
	moderator, err := login("moderator", creds.Moderator)
	if err != nil {
		return err
	}

	// 1. Pages.
	cr := sb.Credentials
	reqs := []gospubliki.ConnectCommunityRequest{
		{Network: gospubliki.NetworkVK, PageID: fmt.Sprint(cr.VK.GroupID), Name: "ВКонтакте",
			Credentials: gospubliki.CommunityCredentials{VKToken: cr.VK.UserToken}},
		{Network: gospubliki.NetworkOK, PageID: fmt.Sprint(cr.OK.GroupID), Name: "Одноклассники",
			Credentials: gospubliki.CommunityCredentials{OKApplicationKey: cr.OK.ApplicationKey,
				OKApplicationSecretKey: cr.OK.ApplicationSecret, OKAccessToken: cr.OK.AccessToken, OKSessionSecretKey: cr.OK.SessionSecret}},
		{Network: gospubliki.NetworkTelegram, PageID: fmt.Sprint(cr.Telegram.ChannelID), Name: "Telegram",
			Credentials: gospubliki.CommunityCredentials{TelegramBotToken: cr.Telegram.BotToken}},
	}
	var targets []string
	for _, r := range reqs {
		cm, err := admin.ConnectCommunity(ctx, r)
		if err != nil {
			return fmt.Errorf("connect %s: %w", r.Network, err)
		}
		cm, err = admin.CheckCommunity(ctx, cm.ID)
		if err != nil {
			return fmt.Errorf("check %s: %w", cm.Ref, err)
		}
		met := 0
		for _, q := range cm.Check.Requirements {
			if q.Status == "met" {
				met++
			}
		}
		pos := "not applicable"
		if cm.Check.POS != nil {
			pos = cm.Check.POS.Status
		}
		fmt.Fprintf(out, "page %s: «Госорганизация» %s, %d of %d requirements met, POS forms %s\n",
			cm.Ref, cm.Check.GovMark, met, len(cm.Check.Requirements), pos)
		targets = append(targets, cm.Ref)
	}

	// 2. The post.
	m, err := editor.UploadMedia(ctx, "schedule.png", "image/png", photo)
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	p, err := editor.CreatePost(ctx, gospubliki.PostInput{
		Text:    gospubliki.Ptr("Изменён график приёма граждан."),
		Urgency: gospubliki.Ptr(gospubliki.UrgencyOrange), Targets: targets, Media: []int64{m.ID}})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if _, err := editor.SubmitPost(ctx, p.ID); err != nil {
		return err
	}
	fmt.Fprintf(out, "post %d: %s urgency, %d pages, photo %s (%d bytes), submitted\n", p.ID, p.Urgency, len(p.Targets), m.Filename, m.Size)

	// 3. Moderation.
	if _, err := moderator.ReturnPost(ctx, p.ID, "Укажите новые часы приёма."); err != nil {
		return err
	}
	fmt.Fprintln(out, "moderator returned it: «Укажите новые часы приёма.»")
	ten := nine.Add(time.Hour)
	if _, err := editor.UpdatePost(ctx, p.ID, gospubliki.PostInput{
		Text: gospubliki.Ptr("Изменён график приёма граждан: с 9:00 до 18:00, в четверг до 20:00."), PublishAt: &ten}); err != nil {
		return err
	}
	if _, err := editor.SubmitPost(ctx, p.ID); err != nil {
		return err
	}
	a, err := moderator.ApprovePost(ctx, p.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "editor fixed it; moderator approved it for %s: %s\n", a.PublishAt.Format("15:04"), a.Status)

	// 4. The clock reaches 10:00: the cabinet publishes before Set
	// returns.
	sb.Clock.Set(ten)
	got, err := editor.Post(ctx, p.ID)
	if err != nil {
		return err
	}

	// 5. The report.
	fmt.Fprintf(out, "at %s the post is %s\n", ten.Format("15:04"), got.Status)
	rep, err := editor.PostReport(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, x := range rep.Items {
		switch x.Outcome {
		case gospubliki.OutcomePublished:
			fmt.Fprintf(out, "  %-24s published  id %s  %s\n", x.Target, x.NetworkPostID, x.URL)
		default:
			fmt.Fprintf(out, "  %-24s %s  %s %s\n", x.Target, x.Outcome, x.Code, x.Error)
		}
	}
	return nil
}
