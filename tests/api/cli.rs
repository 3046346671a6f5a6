//! The command line: adding users and its errors.

use serde_json::json;

use crate::both;
use crate::helpers::TestApp;

fn aanbesteding(app: &TestApp, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aanbesteding"))
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("SECRET_KEY", crate::helpers::SECRET)
        .output()
        .expect("run aanbesteding");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

both! {
    fn user_add_creates_an_account_with_a_one_time_password(app) {
        let (code, out, _) = aanbesteding(&app, &["user", "add", "--role", "inkoper", "--email", "Anna@Hoorn.example", "--name", "Anna de Vries"]);
        assert_eq!(code, 0, "{out}");
        let password = out.lines().find_map(|l| l.strip_prefix("eenmalig wachtwoord: ")).unwrap_or_default().trim().to_owned();
        assert_eq!(password.len(), 16, "{out}");
        let r = app.post("/api/v1/auth/token", None, &json!({ "email": "anna@hoorn.example", "password": password }));
        assert_eq!(r.status, 403, "the one-time password works, but must be replaced first: {}", r.body);
    }

    fn user_add_refuses_an_unknown_role_and_a_bad_address_in_dutch(app) {
        let (code, _, err) = aanbesteding(&app, &["user", "add", "--role", "superuser", "--email", "x@hoorn.example"]);
        assert_eq!(code, 1);
        assert!(err.contains("Onbekende rol 'superuser'"), "{err}");
        let (code, _, err) = aanbesteding(&app, &["user", "add", "--role", "inkoper", "--email", "geen-adres"]);
        assert_eq!(code, 1);
        assert!(err.contains("email: Vul een geldig e-mailadres in"), "{err}");
        let (code, _, _) = aanbesteding(&app, &["user", "add", "--role", "inkoper", "--email", "dubbel@hoorn.example"]);
        assert_eq!(code, 0);
        let (code, _, err) = aanbesteding(&app, &["user", "add", "--role", "beheerder", "--email", "dubbel@hoorn.example"]);
        assert_eq!(code, 1);
        assert!(err.contains("Er is al een account"), "{err}");
    }
}
