package main

import (
	"context"
	"fmt"

	"github.com/gospubliki/gosdk/core"
	"github.com/gospubliki/gosdk/examples/internal/cabinet"
	"github.com/gospubliki/gosdk/gospubliki"
	"github.com/gospubliki/gosdk/mock"
	"github.com/gospubliki/gosdk/mock/gpmock"
)

// login logs a cabinet user in with the sandbox's published phone and
// password.
func (f *flow) login(ctx context.Context, l mock.GospublikiLogin) (*gospubliki.Client, *gospubliki.Session, error) {
	c, err := gospubliki.New(core.WithBaseURL(f.sb.URL(gpmock.PartyName)), core.WithHTTPClient(f.sb.HTTPClient()))
	if err != nil {
		return nil, nil, err
	}
	s, err := c.Login(ctx, l.Phone, l.Password)
	if err != nil {
		return nil, nil, err
	}
	return c, s, nil
}

// connect connects the three pages to the cabinet and reads the
// cabinet's check of each.
func (f *flow) connect(ctx context.Context) error {
	f.n.Step("Gospubliki: the LKO administrator connects the pages to the cabinet")
	creds, ok := f.sb.DefaultTenant().PartyCredentials()[gpmock.PartyName].(mock.GospublikiCredentials)
	if !ok {
		return fmt.Errorf("the sandbox has no cabinet credentials")
	}
	f.creds = creds
	var err error
	var s *gospubliki.Session
	if f.admin, s, err = f.login(ctx, creds.LKOAdmin); err != nil {
		return fmt.Errorf("administrator login: %w", err)
	}
	cab, err := f.admin.Cabinet(ctx)
	if err != nil {
		return err
	}
	f.n.Say("logged in as %s (%s) to the %s cabinet of %s", s.User.Name, s.User.Role, cab.Kind, cab.OrgName)
	if f.editor, _, err = f.login(ctx, creds.Editor); err != nil {
		return fmt.Errorf("editor login: %w", err)
	}
	if f.moderator, _, err = f.login(ctx, creds.Moderator); err != nil {
		return fmt.Errorf("moderator login: %w", err)
	}
	reqs := cabinet.ConnectRequests(f.sb.Credentials)
	f.targets = f.targets[:0]
	for _, r := range reqs {
		cm, err := f.admin.ConnectCommunity(ctx, r)
		if err != nil {
			return fmt.Errorf("connect %s: %w", r.Network, err)
		}
		if cm, err = f.admin.CheckCommunity(ctx, cm.ID); err != nil {
			return fmt.Errorf("check %s: %w", cm.Ref, err)
		}
		ch := cm.Check
		if ch == nil {
			return fmt.Errorf("check %s: no result", cm.Ref)
		}
		if ch.Error != "" {
			return fmt.Errorf("check %s: %s (%s)", cm.Ref, ch.Error, ch.Code)
		}
		met := 0
		for _, q := range ch.Requirements {
			if q.Status == "met" {
				met++
			}
		}
		posStatus := "not applicable"
		if ch.POS != nil {
			posStatus = ch.POS.Status
			for _, r := range ch.POS.Reasons {
				posStatus += fmt.Sprintf(" (%s, item %d: %s)", r.Code, r.Item, r.Detail)
			}
		}
		f.n.Checked(cm.Ref, fmt.Sprintf("credentials stored encrypted, «Госорганизация» %s, %d of %d requirements met, POS forms %s",
			ch.GovMark, met, len(ch.Requirements), posStatus))
		if r.Network != gospubliki.NetworkTelegram && ch.GovMark != gospubliki.GovMarkPresent {
			return fmt.Errorf("%s: the cabinet sees no «Госорганизация» mark (%s)", cm.Ref, ch.GovMark)
		}
		if r.Network != gospubliki.NetworkTelegram && (ch.POS == nil || ch.POS.Status != "ok") {
			return fmt.Errorf("%s: the cabinet's POS audit disagrees: %s", cm.Ref, posStatus)
		}
		f.targets = append(f.targets, cm.Ref)
	}
	f.n.Result("%d pages connected: %v", len(f.targets), f.targets)
	return nil
}
