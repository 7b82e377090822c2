package pos

import (
	"encoding/json"
	"fmt"
	"html"
	"strconv"
	"strings"
)

// MenuTitle is the title («Название») of both POS menu items.
const MenuTitle = "Решаем вместе"

// CoverSetURL is the official set of cover images of the POS forms,
// published on POS's methodological portal; covers may only come from it.
const CoverSetURL = "https://pos.gosuslugi.ru/docs/docs/oblojki-electronnikh-form-pos.7z"

// Cover is a cover image of a POS menu item, from the official set.
type Cover string

// The covers of the two menu items.
const (
	// CoverReportProblem is the cover of the appeal form item.
	CoverReportProblem Cover = "Сообщить о проблеме"
	// CoverGiveOpinion is the cover of the polls form item.
	CoverGiveOpinion Cover = "Высказать мнение"
)

// MenuItem is one item of a community menu.
type MenuItem struct {
	// Position is the item's place from the left, from 1.
	Position int
	// Title is the «Название» field: [MenuTitle].
	Title string
	// Cover is the cover image to load, from [CoverSetURL].
	Cover Cover
	// URL is the «Ссылка» field.
	URL string
}

// Setting is an LKO setting that must be on before the forms are placed.
type Setting struct {
	// OpaID is the LKO whose setting it is.
	OpaID int64
	// OGRN is the organisation that owns the LKO.
	OGRN string
	// Tab and Section locate the setting in the LKO: «Функционирование
	// ЛКО», «Сайт/соцсети».
	Tab, Section string
	// Site is the page that must be listed.
	Site string
	// Checkbox is the check box that must be on: «Сайт размещения
	// виджета».
	Checkbox string
	// On reports whether the directory already has it on.
	On bool
}

// Plan is the POS placement of one official page: what its administrator
// (a role no lower than «Администратор») applies in the community's
// «Управление» → «Настройки» → «Меню», since no public API writes a menu.
type Plan struct {
	// Page is the page's address.
	Page string
	// Resolution is the placement rules' outcome for the page owner.
	Resolution Resolution
	// Items are the first two menu items, appeal form then polls form.
	Items [2]MenuItem
	// Settings are the LKO settings that must be on.
	Settings []Setting
}

// Plan returns the placement plan of page, the official page of the
// organisation with the OGRN.
func (d *Directory) Plan(ogrn, page string) (Plan, error) {
	r, err := d.Resolve(ogrn)
	if err != nil {
		return Plan{}, err
	}
	p := Plan{Page: page, Resolution: r}
	p.Items[0] = MenuItem{Position: 1, Title: MenuTitle, Cover: CoverReportProblem, URL: r.AppealURL}
	p.Items[1] = MenuItem{Position: 2, Title: MenuTitle, Cover: CoverGiveOpinion, URL: r.PollsURL}
	p.Settings = []Setting{{
		OpaID: r.AppealLKO.OpaID, OGRN: r.AppealLKO.OGRN,
		Tab: "Функционирование ЛКО", Section: "Сайт/соцсети",
		Site: page, Checkbox: "Сайт размещения виджета",
		On: HasWidgetSite(r.AppealLKO, page),
	}}
	return p, nil
}

// HasWidgetSite reports whether the LKO lists page among its widget sites,
// comparing without scheme, "www." and trailing slash, case-insensitively.
func HasWidgetSite(l LKO, page string) bool {
	want := normSite(page)
	for _, s := range l.WidgetSites {
		if normSite(s) == want {
			return true
		}
	}
	return false
}

func normSite(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if _, rest, ok := strings.Cut(s, "://"); ok {
		s = rest
	}
	s = strings.TrimPrefix(s, "www.")
	return strings.TrimRight(s, "/")
}

// String renders the plan as instructions for the page's administrator.
func (p Plan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Page %s (%s, OGRN %s, %s)\n", p.Page, p.Resolution.Org.Name, p.Resolution.Org.OGRN, p.Resolution.Kind)
	for _, s := range p.Settings {
		state := "ON"
		if !s.On {
			state = "MISSING"
		}
		fmt.Fprintf(&b, "LKO %d (OGRN %s): «%s» → «%s»: list %s with «%s» on [%s]\n",
			s.OpaID, s.OGRN, s.Tab, s.Section, s.Site, s.Checkbox, state)
	}
	for _, it := range p.Items {
		fmt.Fprintf(&b, "Menu item %d: title «%s», cover «%s», link %s\n", it.Position, it.Title, it.Cover, it.URL)
	}
	if !p.Resolution.PollsConnected {
		fmt.Fprintf(&b, "Note: %s (OGRN %s) is not connected to POS for polls\n", p.Resolution.PollsFrom.Name, p.Resolution.PollsFrom.OGRN)
	}
	fmt.Fprintf(&b, "Covers: %s\n", CoverSetURL)
	return b.String()
}

// WidgetSnippet returns the HTML of the POS widget for a website, as POS
// publishes it: the script from BASE/bin/script.min.js, the banner container
// (id js-show-iframe-wrapper, banner variant bf-N, the button of class
// pos-banner-btn_2 the script binds to) and the call Widget(BASE/form, id).
// The base URL is escaped for the HTML attribute and for the script.
func (f Forms) WidgetSnippet(id int64, banner int) string {
	base := f.base()
	form, _ := json.Marshal(base + "/form") // escapes <, > and & for a script element
	var b strings.Builder
	b.WriteString("<script src='")
	b.WriteString(html.EscapeString(base + "/bin/script.min.js"))
	b.WriteString("'></script>\n<div id='js-show-iframe-wrapper'><div class='pos-banner-fluid bf-")
	b.WriteString(strconv.Itoa(banner))
	b.WriteString("'><button class='pos-banner-btn_2' type='button'>Написать о проблеме</button></div></div>\n<script>Widget(")
	b.Write(form)
	b.WriteString(", ")
	b.WriteString(strconv.FormatInt(id, 10))
	b.WriteString(")</script>\n")
	return b.String()
}

// WidgetSnippet returns the widget HTML against [DefaultBaseURL] (see
// [Forms.WidgetSnippet]).
func WidgetSnippet(id int64, banner int) string { return Forms{}.WidgetSnippet(id, banner) }
