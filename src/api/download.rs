//! Download (bestand downloaden): how a file leaves the service under its own name.

use actix_web::HttpResponse;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What RFC 8187 lets stand unencoded in an ext-value (attr-char); everything else is %XX.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// A response that saves `bytes` as `name`.
pub fn attachment(name: &str, content_type: &str, bytes: impl Into<actix_web::web::Bytes>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", disposition(name)))
        .body(bytes.into())
}

/// Header values are ASCII, so a name such as "beëindiging – Hoorn.pdf" goes out twice
/// (RFC 6266): a plain stand-in in `filename` for old clients, and exactly, UTF-8 and
/// percent-encoded, in `filename*`, which browsers prefer. The stand-in holds no `%` (some
/// browsers decode it), no quote or backslash (not every client unescapes them), and no path
/// separator or control character.
fn disposition(name: &str) -> String {
    let name: String = name.chars().map(|c| if c.is_control() || c == '/' || c == '\\' { '_' } else { c }).collect();
    let plain: String = name.chars().map(|c| if c.is_ascii() && c != '%' && c != '"' { c } else { '_' }).collect();
    if plain == name {
        format!("attachment; filename=\"{plain}\"")
    } else {
        format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{}", utf8_percent_encode(&name, ATTR_CHAR))
    }
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn an_ascii_name_goes_out_as_it_is() {
        assert_eq!(disposition("capaciteit-gm0405.xlsx"), "attachment; filename=\"capaciteit-gm0405.xlsx\"");
    }

    #[test]
    fn a_dutch_name_keeps_its_letters_in_filename_star() {
        assert_eq!(
            disposition("beëindiging – Hoorn.pdf"),
            "attachment; filename=\"be_indiging _ Hoorn.pdf\"; filename*=UTF-8''be%C3%ABindiging%20%E2%80%93%20Hoorn.pdf"
        );
    }

    #[test]
    fn only_attr_chars_stand_unencoded() {
        assert_eq!(
            disposition("offerte=v2@wf ë.pdf"),
            "attachment; filename=\"offerte=v2@wf _.pdf\"; filename*=UTF-8''offerte%3Dv2%40wf%20%C3%AB.pdf"
        );
    }

    #[test]
    fn percent_quotes_and_separators_never_reach_the_stand_in() {
        assert_eq!(
            disposition("korting%20juni \"B1\"/2027\n.pdf"),
            "attachment; filename=\"korting_20juni _B1__2027_.pdf\"; filename*=UTF-8''korting%2520juni%20%22B1%22_2027_.pdf"
        );
    }
}
