//! Pagina (page): renders a page inside the layout, with the CSRF token and the flash message.

use std::cell::OnceCell;
use std::future::{Ready, ready};
use std::sync::OnceLock;

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::{Value, json};

use crate::auth::csrf;
use crate::db::evaluation::Evaluation;
use crate::db::user::User;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::state::AppState;
use crate::templates;

const FLASH_COOKIE: &str = "aanbesteding_melding";

/// What every page needs from the request: the CSRF token and a message left by the last action.
pub struct Ctx {
    /// The token from the browser's cookie.
    csrf: Option<String>,
    /// A token made for this response, only when a page needs one and the browser had none.
    fresh_csrf: OnceCell<String>,
    flash: Option<String>,
    secure: bool,
}

impl FromRequest for Ctx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Ctx, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let csrf = csrf::existing(req);
        let flash =
            req.cookie(FLASH_COOKIE).and_then(|c| hex::decode(c.value()).ok()).and_then(|b| String::from_utf8(b).ok());
        let secure = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.cookie_secure);
        ready(Ok(Ctx { csrf, fresh_csrf: OnceCell::new(), flash, secure }))
    }
}

impl Ctx {
    /// The CSRF token for a form rendered outside `render` (a section added to a shared page).
    pub fn form_token(&self) -> String {
        self.csrf().to_owned()
    }

    fn csrf(&self) -> &str {
        self.csrf.as_deref().unwrap_or_else(|| self.fresh_csrf.get_or_init(csrf::generate))
    }

    /// A page with status 200.
    pub fn render(&self, user: Option<&User>, title: &str, template: &str, data: impl Serialize) -> HttpResponse {
        self.render_status(StatusCode::OK, user, title, template, data)
    }

    /// A page with another status, such as 422 for a form with errors.
    pub fn render_status(
        &self,
        status: StatusCode,
        user: Option<&User>,
        title: &str,
        template: &str,
        data: impl Serialize,
    ) -> HttpResponse {
        let mut data = serde_json::to_value(data).unwrap_or_else(|_| json!({}));
        if let Value::Object(map) = &mut data {
            map.insert("csrf".into(), Value::String(self.csrf().to_owned()));
        }
        match templates::render(template, &data) {
            Ok(content) => self.page(status, user, title, &content),
            Err(e) => render_failure(&e),
        }
    }

    /// A page whose content is the same for many requests, kept in `cache` (an evaluation,
    /// per version) under `key`: the content made once by `content`, and without a message to
    /// show also the whole page per user. Only this visitor's CSRF token is filled in per request.
    pub fn cached_page(
        &self,
        user: &User,
        title: &str,
        cache: &Evaluation,
        key: &str,
        content: impl FnOnce() -> Result<Vec<u8>, Error>,
    ) -> Result<HttpResponse, Error> {
        let content = cache.rendered(format!("{key}:content"), content)?;
        // Bytes we made ourselves: the marker is found without checking them as text again.
        let fill = |html: &[u8]| {
            let mut out = Vec::with_capacity(html.len() + 64);
            let mut at = 0;
            for found in memchr::memmem::find_iter(html, csrf_marker().as_bytes()) {
                out.extend_from_slice(&html[at..found]);
                out.extend_from_slice(self.csrf().as_bytes());
                at = found + csrf_marker().len();
            }
            out.extend_from_slice(&html[at..]);
            out
        };
        if self.flash.is_some() {
            let content = String::from_utf8_lossy(&fill(&content)).into_owned();
            return Ok(self.page(StatusCode::OK, Some(user), title, &content));
        }
        let whole = cache.rendered(format!("{key}:page:{}", user.id), || {
            let content = String::from_utf8_lossy(&content);
            let layout = json!({ "title": title, "user": user_json(Some(user)), "csrf": csrf_marker(), "flash": null, "content": content });
            Ok(templates::render("layout", &layout)?.into_bytes())
        })?;
        let mut response = HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(fill(&whole));
        if let Some(fresh) = self.fresh_csrf.get() {
            let _ = response.add_cookie(&csrf::cookie(fresh.clone(), self.secure));
        }
        Ok(response)
    }

    /// Asks before something is removed; confirming posts to `action`, cancelling goes to `cancel`.
    pub fn confirm(&self, user: &User, heading: &str, message: &str, action: &str, cancel: &str) -> HttpResponse {
        self.ask(user, heading, message, action, cancel, "Verwijderen")
    }

    /// Asks before a step that cannot be undone; `button` says what confirming does.
    pub fn ask(
        &self,
        user: &User,
        heading: &str,
        message: &str,
        action: &str,
        cancel: &str,
        button: &str,
    ) -> HttpResponse {
        let data =
            json!({ "heading": heading, "message": message, "action": action, "button": button, "cancel": cancel });
        self.render(Some(user), heading, "pages/confirm", data)
    }

    /// A page around content that was rendered before (and may be shared between visitors,
    /// so it never holds a CSRF token).
    pub fn page(&self, status: StatusCode, user: Option<&User>, title: &str, content: &str) -> HttpResponse {
        // The layout holds a form (logging out) only for someone logged in.
        let layout_csrf = if user.is_some() { self.csrf() } else { "" };
        let mut response = render_layout(status, user, title, content, layout_csrf, self.flash.as_deref());
        if let Some(fresh) = self.fresh_csrf.get() {
            let _ = response.add_cookie(&csrf::cookie(fresh.clone(), self.secure));
        }
        if self.flash.is_some() {
            // Shown once: the next page no longer carries it.
            let _ = response.add_removal_cookie(&Cookie::build(FLASH_COOKIE, "").path("/").finish());
        }
        response
    }
}

fn user_json(user: Option<&User>) -> Value {
    match user {
        None => Value::Null,
        Some(u) => {
            let role = u.role();
            json!({
                "name": u.name,
                "email": u.email,
                "role": role.map(|r| r.label()).unwrap_or("onbekend"),
                "is_staff": role.is_some_and(|r| r.sees_concepts()),
                "is_inkoper": role == Some(Role::Inkoper),
                "is_beheerder": role == Some(Role::Beheerder),
                "is_aanbieder": role == Some(Role::Aanbieder),
                "is_beoordelaar": role == Some(Role::Beoordelaar),
                "follows_capacity": matches!(role, Some(Role::Management | Role::Klantmanager)),
            })
        }
    }
}

/// Stands for the CSRF token in content rendered once for many visitors: random per process,
/// so that no text a bidder wrote can pass for it.
fn csrf_marker() -> &'static str {
    static MARKER: OnceLock<String> = OnceLock::new();
    MARKER.get_or_init(|| format!("csrf-{}", csrf::generate()))
}

/// A page's content rendered for many visitors: where a form carries the CSRF token there is a
/// marker, which [`Ctx::shared_page`] replaces by each visitor's own token.
pub fn render_shared(template: &str, data: impl Serialize) -> Result<Vec<u8>, Error> {
    let mut data = serde_json::to_value(data).map_err(|e| Error::Internal(e.to_string()))?;
    if let Value::Object(map) = &mut data {
        map.insert("csrf".into(), Value::String(csrf_marker().to_owned()));
    }
    Ok(templates::render(template, &data)?.into_bytes())
}

/// Content rendered into the layout.
pub fn render_layout(
    status: StatusCode,
    user: Option<&User>,
    title: &str,
    content: &str,
    csrf: &str,
    flash: Option<&str>,
) -> HttpResponse {
    let layout = json!({ "title": title, "user": user_json(user), "csrf": csrf, "flash": flash, "content": content });
    match templates::render("layout", &layout) {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html),
        Err(e) => render_failure(&e),
    }
}

/// A rendering error is our bug: logged, and shown plainly, since the error page itself could fail.
fn render_failure(e: &Error) -> HttpResponse {
    e.log();
    HttpResponse::InternalServerError()
        .content_type("text/plain; charset=utf-8")
        .body("Er ging iets mis bij het tonen van deze pagina.")
}

/// 303 See Other after a successful form, optionally with a message for the next page.
pub fn redirect(to: &str, flash: Option<&str>) -> HttpResponse {
    let mut r = HttpResponse::SeeOther();
    r.insert_header((header::LOCATION, to));
    if let Some(message) = flash {
        r.cookie(
            Cookie::build(FLASH_COOKIE, hex::encode(message))
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .max_age(Duration::minutes(5))
                .finish(),
        );
    }
    r.finish()
}

/// Links to the previous and next page of a list.
pub fn pagination(base: &str, r: crate::db::PageRequest, total: i64) -> Value {
    let pages = ((total + r.per_page - 1) / r.per_page).max(1);
    let join = if base.contains('?') { '&' } else { '?' };
    json!({
        "several": pages > 1,
        "page": r.page,
        "pages": pages,
        "total": total,
        "prev": (r.page > 1).then(|| format!("{base}{join}page={}", r.page - 1)),
        "next": (r.page < pages).then(|| format!("{base}{join}page={}", r.page + 1)),
    })
}
