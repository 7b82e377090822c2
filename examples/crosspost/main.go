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
//  2. the editor logs in through ESIA (Gosuslugi: here the ESIA emulator,
//     a headless login), after the ministry's ESIA administrator granted
//     him the access group «ПОС. Госпаблики. Кабинет редакции»;
//  3. he uploads a photo, creates an orange-urgency post with it for the
//     three pages, and submits it;
//  4. the moderator returns it with a comment; the editor fixes the text
//     and submits it again; the moderator approves it for 10:00;
//  5. the sandbox clock advances to 10:00 and the cabinet publishes it;
//     the publication report shows each page's outcome, link and parts;
//  6. the clock advances a day, residents comment on the VK post, the
//     cabinet reads the networks' statistics again, and the analytics of
//     the post and of the pages are printed.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/examples/internal/cabinet"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/esiamock"
	"github.com/gospubliki/gosdk/mock/gpmock"
	"github.com/gospubliki/gosdk/mock/world"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "crosspost:", err)
		os.Exit(1)
	}
}

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
	hc := sb.HTTPClient()
	client := func() (*gospubliki.Client, error) {
		return gospubliki.New(core.WithBaseURL(creds.URL), core.WithHTTPClient(hc))
	}
	login := func(who string, l mock.GospublikiLogin) (*gospubliki.Client, error) {
		c, err := client()
		if err != nil {
			return nil, err
		}
		s, err := c.Login(ctx, l.Phone, l.Password)
		if err != nil {
			return nil, fmt.Errorf("%s login: %w", who, err)
		}
		fmt.Fprintf(out, "%s logged in with phone and password: %s (%s)\n", who, s.User.Name, s.User.Role)
		return c, nil
	}
	admin, err := login("administrator", creds.LKOAdmin)
	if err != nil {
		return err
	}
	moderator, err := login("moderator", creds.Moderator)
	if err != nil {
		return err
	}

	// 1. Pages.
	cr := sb.Credentials
	reqs := cabinet.ConnectRequests(sb.Credentials)
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

	// 2. The editor logs in through ESIA: the cabinet lets a person in
	// only with its access group at ESIA («ПОС. Госпаблики. Кабинет
	// редакции» for the ministry's editorial cabinet), which the default
	// scenario's employee holds.
	editor, err := client()
	if err != nil {
		return err
	}
	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultEmployeeOID, OrgOID: world.DefaultMinistryOID})
	s, err := editor.LoginESIA(ctx, gospubliki.CabinetEditorial, gospubliki.FollowESIARedirects(hc))
	if err != nil {
		return fmt.Errorf("editor login through ESIA: %w", err)
	}
	cab, err := editor.Cabinet(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "editor logged in through ESIA: %s (%s, %s) to the %s cabinet of %s\n", s.User.Name, s.User.Role, s.User.Status, cab.Kind, cab.OrgName)

	// 3. The post.
	m, err := editor.UploadMedia(ctx, "schedule.png", "image/png", cabinet.Photo)
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

	// 4. Moderation.
	const comment = "Укажите новые часы приёма."
	if _, err := moderator.ReturnPost(ctx, p.ID, comment); err != nil {
		return err
	}
	fmt.Fprintf(out, "moderator returned it: «%s»\n", comment)
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

	// 5. The clock reaches 10:00: the cabinet publishes before Set
	// returns.
	sb.Clock.Set(ten)
	got, err := editor.Post(ctx, p.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "at %s the post is %s\n", ten.Format("15:04"), got.Status)
	rep, err := editor.PostReport(ctx, p.ID)
	if err != nil {
		return err
	}
	for _, x := range rep.Items {
		switch x.Outcome {
		case gospubliki.OutcomePublished:
			parts := make([]string, len(x.Parts))
			for i, pt := range x.Parts {
				parts[i] = pt.Kind + " " + pt.ID
			}
			fmt.Fprintf(out, "  %-24s published  id %s  %s  parts: %s\n", x.Target, x.NetworkPostID, x.URL, strings.Join(parts, ", "))
		default:
			fmt.Fprintf(out, "  %-24s %s  %s %s\n", x.Target, x.Outcome, x.Code, x.Error)
		}
	}

	// 6. A day later. The cabinet reads the networks' statistics (here
	// the administrator asks for it at 10:00 and the next morning);
	// residents comment on the VK post meanwhile.
	if _, err := admin.CollectAnalytics(ctx); err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	var vkPost int64
	for _, x := range rep.Items {
		if strings.HasPrefix(x.Target, gospubliki.NetworkVK+":") {
			vkPost, _ = strconv.ParseInt(x.NetworkPostID, 10, 64)
		}
	}
	comments := 0
	for h := 1; h <= 24; h++ {
		sb.Clock.Advance(time.Hour)
		if vkPost != 0 && h%6 == 0 {
			if _, err := sb.Act(ctx, mock.VKComment{GroupID: cr.VK.GroupID, PostID: vkPost, UserID: int64(910000000 + h),
				Text: "Спасибо за информацию"}); err != nil {
				return err
			}
			comments++
		}
	}
	fmt.Fprintf(out, "a day later (%s): %d resident(s) commented on VK; the sessions of yesterday expired\n",
		sb.Clock.Now().UTC().Format("2006-01-02 15:04"), comments)
	if admin, err = login("administrator", creds.LKOAdmin); err != nil {
		return err
	}
	if _, err := admin.CollectAnalytics(ctx); err != nil {
		return fmt.Errorf("collect: %w", err)
	}
	sb.ESIA.EnqueueLogin(esiamock.Login{PersonOID: world.DefaultEmployeeOID, OrgOID: world.DefaultMinistryOID})
	if _, err := editor.LoginESIA(ctx, gospubliki.CabinetEditorial, gospubliki.FollowESIARedirects(hc)); err != nil {
		return fmt.Errorf("editor login through ESIA: %w", err)
	}
	fmt.Fprintln(out, "editor logged in through ESIA again")
	q := gospubliki.AnalyticsQuery{Period: gospubliki.PeriodDay, From: nine.Truncate(24 * time.Hour), To: sb.Clock.Now().Add(time.Hour)}
	an, err := editor.PostAnalytics(ctx, p.ID, q)
	if err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	fmt.Fprintf(out, "analytics of post %d, per page and day:\n", p.ID)
	if printAnalytics(out, an) == 0 {
		fmt.Fprintln(out, "  no statistics of the post collected")
	}
	pages, err := editor.PageAnalytics(ctx, q)
	if err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	fmt.Fprintln(out, "analytics of the pages, per day:")
	if printAnalytics(out, pages) == 0 {
		return fmt.Errorf("no statistics of the pages collected")
	}
	return nil
}

// printAnalytics prints a report (see cabinet.AnalyticsLines) and
// returns its number of period lines.
func printAnalytics(out io.Writer, r *gospubliki.AnalyticsReport) int {
	lines, rows := cabinet.AnalyticsLines(r, true)
	for _, l := range lines {
		fmt.Fprintln(out, l)
	}
	return rows
}
