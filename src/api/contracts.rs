//! Raamovereenkomsten via de API: the contracts of a tender, their activation, which the
//! domain refuses before the Alcatel-termijn has ended, and their documents.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};

use super::problem::Problem;
use super::tenders::visible;
use super::{ApiResult, created, ok};
use crate::auth::{Inkoper, Staff};
use crate::db::award;
use crate::db::bid_file::{self, BidFile};
use crate::db::contract::{self, Contract};
use crate::db::contract_document::{self, ContractDocument, NewDocument};
use crate::db::user::User;
use crate::errors::Error;
use crate::state::AppState;
use crate::vault::sealed_file;
use crate::vault::upload::{self, Accept, Limits};

#[utoipa::path(get, path = "/api/v1/tenders/{id}/contracts", tag = "award", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<Contract>)))]
pub async fn list(Staff(user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    let tender_id = *id;
    visible(&state, Some(&user), tender_id).await?;
    ok(&state.db.read(move |conn| contract::of_tender(conn, tender_id)).await?)
}

#[utoipa::path(post, path = "/api/v1/contracts/{contract_id}/activate", tag = "award", security(("bearer" = [])),
    params(("contract_id" = i64, Path)),
    description = "Makes the contract active: only after the definitive award, after the Alcatel-termijn, on or after its start.",
    responses((status = 200, body = Contract), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn activate(Inkoper(user): Inkoper, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    ok(&activate_contract(&state, &user, *id).await?)
}

/// Activates a contract as the domain allows; answers the contract as it is then.
pub async fn activate_contract(state: &AppState, user: &User, contract_id: i64) -> Result<Contract, Error> {
    let (u, now, url) = (user.clone(), state.clock.now(), state.settings.public_url.clone());
    state
        .db
        .write(move |conn| {
            let c = contract::find(conn, contract_id)?;
            let d = award::find(conn, c.lot_id, c.decision_id)?;
            contract::activate(conn, &c, &d, &u, now)?;
            // An active contract adds its places to the region's capacity.
            if let Some(region) = crate::db::capacity_notice::region_of_contract(conn, contract_id)? {
                crate::db::capacity_notice::region_changed(conn, &region, now, &url)?;
            }
            contract::find(conn, contract_id)
        })
        .await
}

/// A contract with its documents: those uploaded to it, and the winning bid's own.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ContractDocuments {
    pub contract: Contract,
    /// The signed agreement and what was added to it.
    pub documents: Vec<ContractDocument>,
    /// The documents of the winning inschrijving, part of the agreement; kept with the bid.
    pub bid_documents: Vec<BidFile>,
}

/// The contract and all its documents, for a reader of the tender.
pub async fn documents_of(state: &AppState, user: &User, contract_id: i64) -> Result<ContractDocuments, Error> {
    let c = state.db.read(move |conn| contract::find(conn, contract_id)).await?;
    visible(state, Some(user), c.tender_id).await?;
    let key = crate::db::tender_key::get(&state.db, &state.master_key, c.tender_id).await?;
    let (id, bid_id) = (c.id, c.bid_id);
    let (documents, files) = state
        .db
        .read(move |conn| Ok((contract_document::of_contracts(conn, &[id])?, bid_file::list(conn, &key, bid_id)?)))
        .await?;
    let bid_documents = files.into_iter().filter(|f| f.kind == bid_file::DOCUMENT).collect();
    Ok(ContractDocuments { contract: c, documents, bid_documents })
}

#[utoipa::path(get, path = "/api/v1/contracts/{contract_id}/documents", tag = "award", security(("bearer" = [])),
    params(("contract_id" = i64, Path)),
    responses((status = 200, body = ContractDocuments), (status = 404, body = Problem)))]
pub async fn documents(Staff(user): Staff, state: web::Data<AppState>, id: web::Path<i64>) -> ApiResult {
    ok(&documents_of(&state, &user, *id).await?)
}

#[utoipa::path(post, path = "/api/v1/contracts/{contract_id}/documents", tag = "award", security(("bearer" = [])),
    params(("contract_id" = i64, Path)),
    description = "multipart/form-data with a field `file`: PDF, DOCX or XLSX, e.g. the signed agreement. Sealed in the tender's vault folder, hashed.",
    responses((status = 201, body = ContractDocument), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    Inkoper(user): Inkoper,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    payload: Multipart,
) -> ApiResult {
    let d = add_document(&state, &user, *id, payload).await?;
    created(format!("/api/v1/contracts/{}/documents/{}", d.contract_id, d.id), &d)
}

/// Streams an upload into the vault and records it as one of the contract's documents.
pub async fn add_document(
    state: &AppState,
    user: &User,
    contract_id: i64,
    payload: Multipart,
) -> Result<ContractDocument, Error> {
    let c = state.db.read(move |conn| contract::find(conn, contract_id)).await?;
    let key = crate::db::tender_key::get(&state.db, &state.master_key, c.tender_id).await?;
    let used: i64 = state
        .db
        .read(move |conn| Ok(contract_document::of_contracts(conn, &[contract_id])?.iter().map(|d| d.size).sum()))
        .await?;
    let limits = Limits {
        per_file: state.settings.max_file_bytes,
        in_all: state.settings.max_bid_bytes,
        used: u64::try_from(used).unwrap_or_default(),
        whole: "de raamovereenkomst",
    };
    let up = upload::one_file(payload, Accept::Documents, &state.vault_dir(c.tender_id), &key, limits).await?;
    let (u, now) = (user.clone(), state.clock.now());
    let new = (up.storage_name.clone(), up.name.clone(), up.content_type.clone(), up.sealed.clone());
    let d = state
        .db
        .write(move |conn| {
            let c = contract::find(conn, contract_id)?;
            let (storage_name, name, content_type, sealed) = &new;
            let d = NewDocument { storage_name, name, content_type, sealed };
            contract_document::add(conn, &c, &d, limits, &u, now)
        })
        .await?;
    up.keep();
    Ok(d)
}

#[utoipa::path(get, path = "/api/v1/contracts/{contract_id}/documents/{document_id}", tag = "award", security(("bearer" = [])),
    params(("contract_id" = i64, Path), ("document_id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", description = "the document"), (status = 404, body = Problem)))]
pub async fn download(Staff(user): Staff, state: web::Data<AppState>, path: web::Path<(i64, i64)>) -> ApiResult {
    let (contract_id, document_id) = path.into_inner();
    Ok(document(&state, &user, contract_id, document_id).await?)
}

/// One of the contract's documents, opened from the vault, as a download under its own name.
pub async fn document(state: &AppState, user: &User, contract_id: i64, id: i64) -> Result<HttpResponse, Error> {
    let c = state.db.read(move |conn| contract::find(conn, contract_id)).await?;
    visible(state, Some(user), c.tender_id).await?;
    let d = state.db.read(move |conn| contract_document::find(conn, contract_id, id)).await?;
    let key = crate::db::tender_key::get(&state.db, &state.master_key, c.tender_id).await?;
    let path = state.vault_dir(c.tender_id).join(&d.storage_name);
    let bytes =
        web::block(move || sealed_file::read_all(&path, &key)).await.map_err(|e| Error::Internal(e.to_string()))??;
    Ok(super::download::attachment(&d.name, &d.content_type, bytes))
}
