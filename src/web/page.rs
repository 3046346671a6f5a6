//! Pagina (page): renders a page inside the layout, with the CSRF token and the flash message.

use std::future::{Ready, ready};

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::{Value, json};

use super::templates;
use crate::auth::csrf;
use crate::db::user::User;
use crate::domain::role::Role;
use crate::state::AppState;

const FLASH_COOKIE: &str = "aanbesteding_melding";

/// What every page needs from the request: the CSRF token and a message left by the last action.
pub struct Ctx {
    csrf: String,
    new_csrf: bool,
    flash: Option<String>,
    secure: bool,
}

impl FromRequest for Ctx {
    type Error = actix_web::Error;
    type Future = Ready<Result<Ctx, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let (csrf, new_csrf) = csrf::token(req);
        let flash =
            req.cookie(FLASH_COOKIE).and_then(|c| hex::decode(c.value()).ok()).and_then(|b| String::from_utf8(b).ok());
        let secure = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.cookie_secure);
        ready(Ok(Ctx { csrf, new_csrf, flash, secure }))
    }
}

impl Ctx {
    pub fn csrf(&self) -> &str {
        &self.csrf
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
            map.insert("csrf".into(), Value::String(self.csrf.clone()));
        }
        let mut response = render_layout(status, user, title, template, data, &self.csrf, self.flash.as_deref());
        if self.new_csrf {
            let _ = response.add_cookie(&csrf::cookie(self.csrf.clone(), self.secure));
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
            })
        }
    }
}

/// The page rendered into the layout. An error while rendering is logged and shown plainly,
/// since the error page itself could be what fails.
pub fn render_layout(
    status: StatusCode,
    user: Option<&User>,
    title: &str,
    template: &str,
    data: Value,
    csrf: &str,
    flash: Option<&str>,
) -> HttpResponse {
    let page = templates::render(template, &data).and_then(|content| {
        templates::render(
            "layout",
            &json!({ "title": title, "user": user_json(user), "csrf": csrf, "flash": flash, "content": content }),
        )
    });
    match page {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(html),
        Err(e) => {
            e.log();
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("Er ging iets mis bij het tonen van deze pagina.")
        }
    }
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
    json!({
        "several": pages > 1,
        "page": r.page,
        "pages": pages,
        "total": total,
        "prev": (r.page > 1).then(|| format!("{base}?page={}", r.page - 1)),
        "next": (r.page < pages).then(|| format!("{base}?page={}", r.page + 1)),
    })
}
