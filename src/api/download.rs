//! Download (bestand downloaden): how a file leaves the service under its own name.

use actix_web::HttpResponse;
use actix_web::http::header::{Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue};

/// A response that saves `bytes` as `name`. Header values are ASCII, so a name such as
/// "beëindiging – Hoorn.pdf" goes out twice (RFC 6266): as an ASCII stand-in in `filename`
/// for old clients, and exactly, UTF-8 and percent-encoded, in `filename*`, which browsers prefer.
pub fn attachment(name: &str, content_type: &str, bytes: impl Into<actix_web::web::Bytes>) -> HttpResponse {
    HttpResponse::Ok().content_type(content_type).insert_header(disposition(name)).body(bytes.into())
}

fn disposition(name: &str) -> ContentDisposition {
    // A path separator or control character has no place in a name to save under.
    let name: String = name.chars().map(|c| if c.is_control() || c == '/' || c == '\\' { '_' } else { c }).collect();
    let ascii: String = name.chars().map(|c| if c.is_ascii() { c } else { '_' }).collect();
    let mut parameters = vec![DispositionParam::Filename(ascii)];
    if !name.is_ascii() {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: name.into_bytes(),
        }));
    }
    ContentDisposition { disposition: DispositionType::Attachment, parameters }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str) -> String {
        disposition(name).to_string()
    }

    #[test]
    fn an_ascii_name_goes_out_as_it_is() {
        assert_eq!(header("capaciteit-gm0405.xlsx"), "attachment; filename=\"capaciteit-gm0405.xlsx\"");
    }

    #[test]
    fn a_dutch_name_keeps_its_letters_in_filename_star() {
        assert_eq!(
            header("beëindiging – Hoorn.pdf"),
            "attachment; filename=\"be_indiging _ Hoorn.pdf\"; filename*=UTF-8''be%C3%ABindiging%20%E2%80%93%20Hoorn.pdf"
        );
    }

    #[test]
    fn quotes_are_escaped_and_separators_replaced() {
        assert_eq!(header("WF/2027 \"B1\"\n.xlsx"), "attachment; filename=\"WF_2027 \\\"B1\\\"_.xlsx\"");
    }
}
