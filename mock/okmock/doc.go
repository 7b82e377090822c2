// Package okmock is a faithful emulator of the OK (Одноклассники) REST API
// for tests and demos: an http.Handler serving OK's own URL space over a
// world.World, specified by OK's wire protocol.
//
// # Requests
//
// Every method is reachable at /fb.do?method=<name> and at
// /api/<group>/<method> (GET, or POST with an urlencoded or multipart body,
// or a body without Content-Type). Common parameters: application_key,
// format=json, access_token or session_key, sig. Checks come in this order:
// application key (101 PARAM_API_KEY), method (3 METHOD), token (103
// PARAM_SESSION_KEY; 453 SESSION_REQUIRED for methods that need a user),
// signature (104 PARAM_SIGNATURE), expiry on the world clock (102
// PARAM_SESSION_EXPIRED), permissions of the token (10 PERMISSION_DENIED),
// then the person's role in the group (200 PARAM_PERMISSION).
//
// The signature ([Signature]): the parameters except sig and access_token,
// sorted by key, joined as key=value with no separator (raw UTF-8 values),
// then lower(md5(joined + secret)). The secret is the token's
// session_secret_key or lower(md5(access_token + application secret)) —
// both are accepted — for a session call, and the application secret for
// a session-less one. session_key, when used, is signed like any other
// parameter.
//
// Errors are HTTP 200 with the header invocation-error: <code> and the
// body {"error_code":N,"error_msg":"NAME : detail","error_data":null}.
//
// # Methods
//
// users.getCallsLeft, users.getCurrentUser, auth.touchSession,
// group.getInfo (fields uid, name, description, shortname, pic_avatar,
// main_photo, photo_id, access_type, category, city, members_count,
// gos_org, admin_id, role, ...), group.getUserGroupsV2,
// group.getUserGroupsByIds ({"memberships":[...]}), group.getMembers,
// group.getCounters, group.getStatTopic, group.getStatOverview,
// url.getInfo, mediatopic.post (attachment JSON with text, photo, movie,
// link and poll blocks, onBehalfOfGroup, publishAt in Moscow time or
// publishAtMs; limits 600–604 and 607, see [MaxMediaBlocks] …; 605 and 606
// limit friends tagged in a user's own topic, which the emulator does not
// model: group topics tag no friends), mediatopic.getByIds,
// photosV2.getUploadUrl (→ POST multipart to the returned upload_url →
// {"photos":{"<photo id>":{"token":"…"}}}; tokens go straight into a photo
// block) and video.getUploadUrl (→ POST multipart → video_id for a movie
// block). Scheduled topics are published by the world clock.
// discussions.getList (category GROUP), discussions.getComments and
// discussions.addComment serve the comments of group topics
// ([Server.CommentTopic] simulates a citizen's comment; see the ok package
// for which parts of these methods' shapes are unconfirmed).
//
// # OAuth
//
// POST /oauth/token.do with grant_type=refresh_token, client_id (the
// application id), client_secret (the application secret) and
// refresh_token, in the body or the query, answers
// {"access_token","token_type","expires_in","refresh_token",
// "session_secret_key"}; golang.org/x/oauth2 works with it unchanged.
//
// # «Госорганизация»
//
// /group/<id>/settings?access_token=… is the group settings page: its
// «Государственный статус» and the «Подтвердить через Госуслуги» button,
// active only when the conditions of OK's help hold ([Server.GovConditions]:
// ADMIN or SUPER_MODERATOR, Двойная защита, open group, photo,
// description, city, the «Госорганизация» category). Pressing it (POST
// action=gosuslugi, or [Server.StartGovRequest]) redirects to ESIA through
// the esia client with OK's own registered system; ESIA's callback
// (/gosuslugi/callback, or [Server.FinishGovRequest]) checks the person's
// authority (chief or administrator) in the chosen organisation and sets
// «Рассматривается»; the decision comes on the world clock (see package
// mock/govmark). A confirmed mark is lost when the group's name or owner
// changes.
//
// # Sandbox credentials
//
// Every OK credential of a world starts with [SandboxPrefix]; the section
// refuses production-looking ones.
package okmock
