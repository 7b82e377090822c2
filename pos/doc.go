// Package pos builds and checks what official pages carry of POS
// (Платформа обратной связи, pos.gosuslugi.ru): the appeal form link, the
// polls form link, the placement plan of a VK community menu and the widget
// snippet of a website, and it audits the placement of many pages. Apart
// from the appeals client ([AppealsClient]) and the audit ([Auditor]),
// nothing here touches the network.
//
// # Links
//
// A page carries two links, built by [Forms.AppealLink] and
// [Forms.PollsLink] exactly as the POS placement instruction writes them;
// only the parameters change:
//
//	https://pos.gosuslugi.ru/form/?opaId=ID&utm_source=vk&utm_medium=REG&utm_campaign=OGRN
//	https://pos.gosuslugi.ru/og/org-activities?reg_code=REG&utm_source=vk1&utm_medium=REG&utm_campaign=OGRN
//	https://pos.gosuslugi.ru/og/org-activities?mun_code=OKTMO8&utm_source=vk2&utm_medium=REG&utm_campaign=OGRN
//
// ID is the LKO (the organisation's cabinet in POS) that receives the
// appeals, REG the region code of the page owner's OKATO (two digits, or
// "111", "711", "7114" for the autonomous okrugs inside a region), OGRN the
// page owner's registration number, OKTMO8 the municipality's OKTMO.
// [Forms.Parse] reads a link back and lists every problem it has as a
// [*LinkError].
//
// # Organisations and LKOs
//
// A [Directory] holds organisation records ([Org]) with their parent chain
// and LKOs ([LKO]); [Directory.Resolve] applies the placement rules: an
// organisation not connected to POS for appeals carries the appeal form of
// the nearest body above it that is, and the polls form is always that of
// the municipality (of the region for a regional executive body).
// [LoadExport] reads the regional LKO export table.
//
// Bodies are classified ([Classify]) from ESIA's agency type
// ([esia.AgencyType]) and the parent chain: a regional body (РОИВ), a
// local self-government body (ОМСУ) or a subordinate organisation.
//
// # Placement
//
// VK has no public method that writes a community menu, so [Directory.Plan]
// produces what an administrator applies: the two first menu items, both
// titled «Решаем вместе», with the covers «Сообщить о проблеме» and
// «Высказать мнение» of the official set, and the LKO settings that must be
// on. [WidgetSnippet] returns the website widget markup.
//
// # Appeals API
//
// [AppealsClient] files appeals through POS's API for external systems
// and reads them back. POS publishes no specification of this API: every
// path, field and status the client uses is inferred from one public
// integration and may differ from what POS serves to a given system. The
// shapes as inferred: a token from the OAuth2 password grant
// (username, password, scope; [Credentials]) at /oauth/token; the
// catalogues GET /inbox-service/regions/all ([Region]),
// /inbox-service/subjects/region/{region}/all and
// /inbox-service/subsubjects/subject/{subject}/region/{region}
// ([Subject]); a multipart upload to /inbox-service/filestorage ([File]);
// POST /inbox-service/external-appeal-system/appeals
// ([CreateAppealRequest]) and GET
// /appeal-service/external-appeal-system/appeals/{id} ([AppealStatus]:
// posId, status, statusText and the history of [AppealStep]s). None of
// these lists pages, so they are returned whole.
//
// The token is asked for when first needed and replaced
// [TokenRefreshMargin] before it expires on the client's clock; reads are
// retried on transient failures, while [AppealsClient.CreateAppeal] is
// never repeated once it may have reached POS (a *core.UnknownOutcomeError).
// The password and the tokens never appear in logs or errors.
//
// # Audit
//
// [Auditor.Audit] checks pages in bulk: it reads the menus through a
// [MenuReader] per network — [VKMenus] (groups.getById fields=menu, 500
// communities a call, paced by the vk client's limiter) and [OKLinks] (OK
// has no community menu and no API for one; a group shows the forms in its
// description or its links block, and the audit reads the description
// through group.getInfo, taking its POS links in order and checking no
// titles) — compares the first two items with the
// page owner's plan ([Forms.Check]), follows each link to POS once per form
// and checks that it opens the form of the right organisation, and checks
// that the LKO lists the page as a widget site. Each page gets a status
// (ok, failed, unverifiable) and its reasons ([ReasonCode]). A cancelled
// audit returns the pages it finished; pass that result back to resume.
// [WriteCSV] and [WriteHTML] write the reports. Menu covers are not
// audited: what groups.getById returns for an item's cover is not
// documented, and an image cannot be matched to the official set by name;
// the plan lists the covers for the administrator who places the items.
package pos
