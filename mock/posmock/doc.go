// Package posmock emulates POS, the feedback platform (Платформа обратной
// связи, pos.gosuslugi.ru), for one world.
//
// What a browser reaches:
//
//	GET  /form/?opaId=ID[&utm_*…]   the appeal form of the LKO's organisation (full name, OGRN)
//	POST /form/                     files the appeal (opaId, description, surname, name, email, phone, utm_*)
//	GET  /og/org-activities?reg_code=RR|mun_code=OKTMO8   polls of a region or a municipality
//	GET  /bin/script.min.js         the widget script: Widget(url, id) opens url/?opaId=id
//
// An unknown or malformed opaId answers 404 with the page «Организация не
// найдена»; an LKO not connected for appeals answers 200 with «Организация
// не подключена к Платформе обратной связи» and no form. POS's own wording
// of these two pages is not public: the texts are the emulator's
// ([TitleUnknownOrg], [TitleNotConnected]); the pages carry
// data-state="not-found|not-connected|form|sent|polls" on their main
// element for tests. reg_code takes two digits or POS's autonomous-okrug
// codes 111, 711 and 7114 ([RegionPrefixes]); mun_code eight OKTMO digits.
// utm_* parameters are accepted everywhere, journalled, and stored with a
// form appeal.
//
// The appeals API for external systems follows the shapes known from one
// public integration; they are INFERRED, not confirmed by POS's
// documentation:
//
//	POST /oauth/token (grant_type=password, username, password, scope) → {access_token, token_type, expires_in, …}
//	GET  /inbox-service/regions/all                             → [{id, name, okato}]
//	GET  /inbox-service/subjects/region/{r}/all                 → [{id, name}]
//	GET  /inbox-service/subsubjects/subject/{s}/region/{r}      → [{id, name}]
//	POST /inbox-service/filestorage (multipart "file")          → {id, name, size}
//	POST /inbox-service/external-appeal-system/appeals          → {posId, status, statusText, history}
//	GET  /appeal-service/external-appeal-system/appeals/{id}    → {posId, status, statusText, history}
//
// API calls carry "Authorization: Bearer <token>"; a token lives
// [TokenLifetime] on the world clock. An appeal to an organisation not
// connected for appeals goes to the LKO of its nearest superior body that
// is ([Server.AppealsLKO]).
//
// LKOs, API systems and appeals are the "pos" section of the world
// ([Section]). An appeal follows [Lifecycle] on the world clock (NEW,
// IN_WORK an hour later, ANSWERED a day later); the steps reached are
// derived from the world clock whenever an appeal is read. The steps after
// NEW name the cabinet's employee ([LKOEmployee], createdBy) and the
// ANSWERED step carries [StandardAnswer] (answer). When an appeal filed
// while the emulator runs reaches ANSWERED, the answer is recorded in the
// world's outbox ([world.Outbox], channel "pos", To the appeal id); a
// world reset cancels the answers still due.
//
// POS's own components read and answer an organisation's appeals inside
// POS, not through the appeals API: [Server.AppealsOfOrganization] lists
// them and [Server.Answer] answers one, moving it to ANSWERED at once with
// the given text (which replaces the standard answer and reaches the
// outbox at once; an answered appeal is [ErrAnswered]). The sandbox's
// Gospubliki cabinet uses them as its internal link to POS.
//
// [ExportCSV] writes the regional LKO export table from the world's
// organisations and LKOs, with [DefaultExportHeader] unless told
// otherwise.
package posmock
