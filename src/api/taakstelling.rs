//! Taakstelling via de API: management enters the statushouders per gemeente and half year,
//! as a list or as an imported sheet. A bad row refuses the whole list, named by row and column.

use actix_multipart::Multipart;
use actix_web::web;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::Problem;
use super::{ApiResult, Json, ok};
use crate::auth::Management;
use crate::db::scope::{self, Scope};
use crate::db::taakstelling::{self, Entry};
use crate::db::user::User;
use crate::db::{DbConn, capacity_notice, municipality};
use crate::domain::forecast::HalfYear;
use crate::domain::taakstelling::{Known, SHEET, Target, from_cells};
use crate::errors::{Error, FieldError};
use crate::excel::reader::Bounds;
use crate::excel::sandbox::{self, Limits};
use crate::state::AppState;

/// An import file is a short list: a few hundred rows at most.
const MAX_FILE: usize = 2 * 1024 * 1024;
const LAST_ROW: u32 = 20_000;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Taakstelling {
    pub entries: Vec<Entry>,
}

fn region_ids(conn: &mut DbConn, code: &str) -> Result<(Scope, Vec<municipality::Municipality>), Error> {
    let region = scope::region(conn, code)?;
    let list = municipality::list(conn, Some(code))?;
    Ok((region, list))
}

#[utoipa::path(get, path = "/api/v1/regions/{region}/taakstelling", tag = "capacity", security(("bearer" = [])),
    params(("region" = String, Path)), responses((status = 200, body = Taakstelling), (status = 404, body = Problem)))]
pub async fn get(Management(_user): Management, state: web::Data<AppState>, code: web::Path<String>) -> ApiResult {
    let code = code.into_inner();
    let entries = state
        .db
        .read(move |conn| {
            let (_, list) = region_ids(conn, &code)?;
            taakstelling::entries(conn, &list.iter().map(|m| m.id).collect::<Vec<_>>())
        })
        .await?;
    ok(&Taakstelling { entries })
}

/// Stores checked targets of a region and checks its capacity against them.
pub async fn store(
    state: &AppState,
    user: &User,
    code: String,
    targets: Vec<Target>,
    source: &'static str,
) -> Result<usize, Error> {
    let (u, now, url) = (user.clone(), state.clock.now(), state.settings.public_url.clone());
    state
        .db
        .write(move |conn| {
            let (region, _) = region_ids(conn, &code)?;
            let n = taakstelling::put(conn, &targets, source, &u, now)?;
            capacity_notice::region_changed(conn, &region, now, &url)?;
            Ok(n)
        })
        .await
}

/// The entries as targets of the region, every wrong one named by its place in the list.
pub async fn checked(state: &AppState, code: &str, entries: &[Entry]) -> Result<Vec<Target>, Error> {
    let c = code.to_owned();
    let (_, list) = state.db.read(move |conn| region_ids(conn, &c)).await?;
    let mut problems = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let at = |f: &str| format!("entries[{i}].{f}");
        let m = list.iter().find(|m| m.cbs_code.eq_ignore_ascii_case(e.municipality.trim()));
        let half = HalfYear::parse(&e.half_year);
        match (m, half) {
            (Some(m), Ok(half)) if targets.iter().any(|t| t.municipality == m.cbs_code && t.half == half) => {
                problems.push(FieldError::new(at("half_year"), format!("{} {half} staat er twee keer in.", m.name)));
            }
            (Some(m), Ok(half)) => targets.push(Target { municipality: m.cbs_code.clone(), half, people: e.people }),
            (m, half) => {
                if m.is_none() {
                    problems.push(FieldError::new(
                        at("municipality"),
                        format!("'{}' is geen gemeente van deze regio.", e.municipality),
                    ));
                }
                if let Err(msg) = half {
                    problems.push(FieldError::new(at("half_year"), msg));
                }
            }
        }
        if e.people > 10_000 {
            problems.push(FieldError::new(at("people"), "Hoogstens 10000 statushouders per halfjaar."));
        }
    }
    if problems.is_empty() { Ok(targets) } else { Err(Error::Validation(problems)) }
}

#[utoipa::path(put, path = "/api/v1/regions/{region}/taakstelling", tag = "capacity", security(("bearer" = [])),
    params(("region" = String, Path)), request_body = Taakstelling,
    description = "Sets the listed gemeenten and half years; others stay. One wrong entry refuses all.",
    responses((status = 200, body = Taakstelling), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn put(
    Management(user): Management,
    state: web::Data<AppState>,
    code: web::Path<String>,
    body: Json<Taakstelling>,
) -> ApiResult {
    let (code, input) = (code.into_inner(), body.0?);
    let targets = checked(&state, &code, &input.entries).await?;
    store(&state, &user, code.clone(), targets, "formulier").await?;
    get(Management(user), state, web::Path::from(code)).await
}

/// The bytes of the one file in the upload, at most [`MAX_FILE`].
pub async fn file_bytes(mut payload: Multipart) -> Result<Vec<u8>, Error> {
    let mut bytes: Option<Vec<u8>> = None;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| Error::invalid("file", format!("Het uploaden is afgebroken: {e}")))?;
        if field.name() != Some("file") {
            continue;
        }
        let mut buf = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| Error::invalid("file", format!("Het uploaden is afgebroken: {e}")))?;
            if buf.len() + chunk.len() > MAX_FILE {
                return Err(Error::invalid(
                    "file",
                    "Het bestand is groter dan 2 MB; een taakstelling past ruim in minder.",
                ));
            }
            buf.extend_from_slice(&chunk);
        }
        bytes = Some(buf);
    }
    match bytes {
        Some(b) if !b.is_empty() => Ok(b),
        _ => Err(Error::invalid("file", "Kies een Excel-bestand met de taakstelling.")),
    }
}

/// Reads an uploaded sheet into the region's targets; nothing is stored when any row is wrong.
pub async fn import(state: &AppState, user: &User, code: String, bytes: Vec<u8>) -> Result<usize, Error> {
    let c = code.clone();
    let (_, list) = state.db.read(move |conn| region_ids(conn, &c)).await?;
    let (exe, readers) = (state.settings.reader_exe.clone(), state.readers.clone());
    let read_sheet = move |sheets: Vec<String>, bytes: Vec<u8>| {
        let bounds = Bounds { last_row: LAST_ROW, last_col: 2, columns: vec![0, 1, 2] };
        sandbox::read_cells(&readers, &exe, &sheets, &bounds, &Limits::default(), move |w| {
            w.write_all(&bytes).map_err(|e| Error::Internal(e.to_string()))
        })
    };
    let first = bytes.clone();
    let read = web::block(move || -> Result<Result<_, String>, Error> {
        let x = match read_sheet(vec![SHEET.to_owned()], first.clone())? {
            Ok(x) => x,
            Err(reason) => return Ok(Err(reason)),
        };
        match (x.cells.contains_key(SHEET), x.sheet_names.first()) {
            (false, Some(name)) => read_sheet(vec![name.clone()], first).map(|r| r.map(|x| (name.clone(), x))),
            _ => Ok(Ok((SHEET.to_owned(), x))),
        }
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))??;
    let (sheet, x) = read.map_err(|reason| Error::invalid("file", reason))?;
    let mut problems: Vec<String> = Vec::new();
    if let Some(s) = x.strays.get(&sheet) {
        problems.extend(s.first.iter().map(|c| {
            format!(
                "{}: alleen de kolommen A, B en C worden gelezen.",
                crate::domain::price_sheet::cell_name(c.row, c.col)
            )
        }));
        if s.count > s.first.len() {
            problems.push(format!("En nog {} cellen buiten de kolommen A tot en met C.", s.count - s.first.len()));
        }
    }
    let known: Vec<Known> = list.iter().map(|m| Known { code: &m.cbs_code, name: &m.name }).collect();
    let cells = x.cells.get(&sheet).cloned().unwrap_or_default();
    let targets = match from_cells(&cells, &known) {
        Ok(t) if problems.is_empty() => t,
        Ok(_) => Vec::new(),
        Err(list) => {
            problems.extend(list);
            Vec::new()
        }
    };
    if !problems.is_empty() {
        return Err(Error::Validation(problems.into_iter().map(|p| FieldError::new("file", p)).collect()));
    }
    store(state, user, code, targets, "import").await
}

#[derive(Serialize, ToSchema)]
pub struct Imported {
    pub imported: usize,
}

#[utoipa::path(post, path = "/api/v1/regions/{region}/taakstelling/import", tag = "capacity", security(("bearer" = [])),
    params(("region" = String, Path)),
    description = "Multipart field `file`: an xlsx, xls or ods with gemeente, halfjaar and aantal in A, B and C under a header row.",
    responses((status = 200, body = Imported), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn upload(
    Management(user): Management,
    state: web::Data<AppState>,
    code: web::Path<String>,
    payload: Multipart,
) -> ApiResult {
    let bytes = file_bytes(payload).await?;
    ok(&Imported { imported: import(&state, &user, code.into_inner(), bytes).await? })
}
