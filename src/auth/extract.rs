//! Rol-extractors: a handler names who may call it in its signature (`Inkoper`, `Staff`, …).
//!
//! The web reads the session cookie, the API only a Bearer header (so the API needs no CSRF
//! token). Each request checks the user's account: a revoked token or disabled account stops at
//! once on this instance and within a second on any other (see `db::user::Users`).

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};

use super::token::Purpose;
use crate::db::audit::{self, Change};
use crate::db::user::User;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "aanbesteding_sessie";

/// Why a request was turned away, and whether it came to the API or to a page.
#[derive(Debug)]
pub struct Rejection {
    pub api: bool,
    pub path: String,
    pub error: Error,
    /// A one-time password must be replaced before anything else.
    pub change_password: bool,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)
    }
}

impl ResponseError for Rejection {
    fn error_response(&self) -> HttpResponse {
        if self.api {
            let error = if self.change_password {
                Error::Forbidden("Wijzig eerst uw eenmalige wachtwoord via POST /api/v1/auth/password.".into())
            } else {
                self.error.clone()
            };
            return crate::api::problem::response(&error);
        }
        if self.change_password {
            return HttpResponse::SeeOther().insert_header((header::LOCATION, "/wachtwoord")).finish();
        }
        if let Error::Unauthenticated = self.error {
            let target = format!("/inloggen?terug={}", crate::web::encode_query(&self.path));
            return HttpResponse::SeeOther().insert_header((header::LOCATION, target)).finish();
        }
        crate::web::error_page(&self.error)
    }
}

pub fn is_api(req: &HttpRequest) -> bool {
    req.path().starts_with("/api/")
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// The user behind the request's token, if the token is valid and not revoked.
async fn current_user(req: &HttpRequest) -> Result<Option<User>, Error> {
    let token = if is_api(req) { bearer(req) } else { req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned()) };
    let Some(token) = token else { return Ok(None) };
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| Error::Internal("geen app-toestand".into()))?;
    let Some(claims) = state.keys.verify(&token, Purpose::Login) else {
        return Ok(None);
    };
    let Ok(id) = claims.sub.parse::<i64>() else {
        return Ok(None);
    };
    let found = state.users.get(&state.db, id).await?;
    Ok(found.filter(|u| u.active && u.token_version == claims.ver))
}

async fn authenticate(
    req: HttpRequest,
    roles: Option<&'static [Role]>,
    allow_one_time: bool,
) -> Result<User, Rejection> {
    let reject = |error: Error, change_password: bool| Rejection {
        api: is_api(&req),
        path: req.uri().to_string(),
        error,
        change_password,
    };
    let user = match current_user(&req).await {
        Ok(Some(u)) => u,
        Ok(None) => return Err(reject(Error::Unauthenticated, false)),
        Err(e) => return Err(reject(e, false)),
    };
    if user.must_change_password && !allow_one_time {
        return Err(reject(Error::Unauthenticated, true));
    }
    if let Some(allowed) = roles
        && !user.role().is_some_and(|r| allowed.contains(&r))
    {
        record_refusal(&req, &user).await;
        let names: Vec<&str> = allowed.iter().map(|r| r.label()).collect();
        return Err(reject(Error::Forbidden(format!("Dit is alleen voor de rol {}.", names.join(" of "))), false));
    }
    Ok(user)
}

/// A logged-in user asked for what their role may not see (a sealed bid, another role's page):
/// the attempt goes into the audit log. A failure to record does not change the refusal.
async fn record_refusal(req: &HttpRequest, user: &User) {
    let Some(state) = req.app_data::<web::Data<AppState>>() else { return };
    let (actor, subject) = (user.actor(), format!("{} {}", req.method(), req.path()));
    let change = move |conn: &mut crate::db::DbConn| {
        let change = Change { tender_id: None, action: "access.refused", subject, before: None, after: None };
        audit::record(conn, &actor, change)
    };
    if let Err(e) = state.db.write(change).await {
        e.log();
    }
}

type Fut<T> = Pin<Box<dyn Future<Output = Result<T, Rejection>>>>;

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $roles:expr, $allow_one_time:expr) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl $name {
            pub const ROLES: Option<&'static [Role]> = $roles;
        }

        impl FromRequest for $name {
            type Error = Rejection;
            type Future = Fut<Self>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                let req = req.clone();
                Box::pin(async move { authenticate(req, Self::ROLES, $allow_one_time).await.map($name) })
            }
        }
    };
}

role_extractor!(
    /// Any logged-in user.
    Authenticated, None, false
);
role_extractor!(
    /// Any logged-in user, also one who still has to replace a one-time password.
    PasswordHolder, None, true
);
role_extractor!(
    /// An inkoper: sets up and changes tenders.
    Inkoper, Some(&[Role::Inkoper]), false
);
role_extractor!(
    /// A beheerder: manages accounts.
    Beheerder, Some(&[Role::Beheerder]), false
);
role_extractor!(
    /// An aanbieder's employee: registers, asks questions, bids.
    Aanbieder, Some(&[Role::Aanbieder]), false
);
role_extractor!(
    /// A beoordelaar: scores the quality of the bids of the percelen appointed to.
    Beoordelaar, Some(&[Role::Beoordelaar]), false
);
role_extractor!(
    /// Management: approves award decisions, follows contracts and capacity.
    Management, Some(&[Role::Management]), false
);
role_extractor!(
    /// Staff of the contracting gemeenten, who may also read concepts and the audit log.
    Staff, Some(&[Role::Inkoper, Role::Management, Role::Beheerder]), false
);

role_extractor!(
    /// A klantmanager: records the plaatsingen of the one gemeente of the account.
    Klantmanager, Some(&[Role::Klantmanager]), false
);
role_extractor!(
    /// Who follows capacity: management for the region, a klantmanager for one gemeente.
    CapacityReader, Some(&[Role::Management, Role::Klantmanager]), false
);
role_extractor!(
    /// Who keeps the contract register: the inkoper and management.
    ContractKeeper, Some(&[Role::Inkoper, Role::Management]), false
);

/// The user when logged in, or nobody: for pages anyone may read.
pub struct MaybeUser(pub Option<User>);

impl FromRequest for MaybeUser {
    type Error = Rejection;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match current_user(&req).await {
                Ok(user) => Ok(MaybeUser(user.filter(|u| !u.must_change_password))),
                Err(error) => {
                    Err(Rejection { api: is_api(&req), path: req.path().to_owned(), error, change_password: false })
                }
            }
        })
    }
}
