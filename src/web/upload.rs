//! Uploaden (file upload from a form): a multipart form of this site, its CSRF token checked
//! before any file byte is read. The token field comes first in every upload form.

use actix_multipart::Multipart;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

use crate::auth::csrf;
use crate::errors::Error;

fn stale_form() -> Error {
    Error::Forbidden(
        "Dit formulier is verlopen of komt niet van deze site. Laad de pagina opnieuw en probeer het nog eens.".into(),
    )
}

/// The upload's remaining fields, once its CSRF token has been found to match.
pub async fn multipart(req: &HttpRequest, body: web::Payload) -> Result<Multipart, Error> {
    let multipart = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        // Not a file upload at all: still a form of this site, or not.
        let bytes = body
            .to_bytes_limited(16 * 1024)
            .await
            .map_err(|_| Error::invalid("file", "Kies een bestand om te uploaden."))?;
        let pairs: Vec<(String, String)> = serde_html_form::from_bytes(&bytes.unwrap_or_default()).unwrap_or_default();
        let token = pairs.iter().find(|(k, _)| k == csrf::FIELD).map(|(_, v)| v.as_str()).unwrap_or_default();
        if !csrf::matches(req, token) {
            return Err(stale_form());
        }
        return Err(Error::invalid("file", "Kies een bestand om te uploaden."));
    }
    let mut payload = Multipart::new(req.headers(), body);
    let token_ok = match payload.next().await {
        Some(Ok(mut field)) if field.name() == Some(csrf::FIELD) => {
            let mut value = Vec::new();
            while let Some(Ok(chunk)) = field.next().await {
                value.extend_from_slice(&chunk);
                if value.len() > 128 {
                    break;
                }
            }
            csrf::matches(req, &String::from_utf8_lossy(&value))
        }
        _ => false,
    };
    if !token_ok {
        return Err(stale_form());
    }
    Ok(payload)
}
