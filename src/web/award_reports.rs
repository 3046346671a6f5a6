//! Gunningsrapportage op de website: the award report downloaded from the tender's pages.

use actix_web::web;

use super::WebResult;
use crate::api::award_reports::download;
use crate::api::tenders::visible;
use crate::auth::Staff;
use crate::state::AppState;

pub async fn get(Staff(user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> WebResult {
    visible(&state, Some(&user), *id).await?;
    Ok(download(&state, *id).await?)
}
