//! Demogegevens (demo data): both regions, the leerroutes, one account per role and the
//! published demo tender "Leerroutes inburgering Westfriesland". Loading twice changes nothing,
//! except that demo accounts still on their first password get a fresh one printed.

use chrono::{Duration, NaiveTime};
use serde::Deserialize;

use crate::auth::{self, password};
use crate::db::audit::Actor;
use crate::db::learning_route::LearningRoute;
use crate::db::region::RegionFixture;
use crate::db::schema::{tenders, users};
use crate::db::{self, Db, DbConn, learning_route, region, setup};
use crate::domain::account::UserInput;
use crate::domain::deadline;
use crate::domain::forecast::HalfYear;
use crate::domain::role::Role;
use crate::domain::taakstelling::Target;
use crate::domain::tender::TenderInput;
use crate::errors::Error;
use diesel::prelude::*;

pub const LEARNING_ROUTES: &str = include_str!("../fixtures/leerroutes.json");
pub const WESTFRIESLAND: &str = include_str!("../fixtures/regio-westfriesland.json");
pub const ALKMAAR: &str = include_str!("../fixtures/regio-alkmaar.json");
pub const DEMO_TENDER: &str = include_str!("../fixtures/demo-aanbesteding.json");
pub const DEMO_TAAKSTELLING: &str = include_str!("../fixtures/demo-taakstelling.json");

/// Example figures per gemeente for the half years from the current one, so the demo's
/// capacity dashboards show a forecast.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DemoTaakstelling {
    /// Says the figures are examples; read so that the file stays complete.
    #[serde(rename = "note")]
    _note: String,
    people: std::collections::BTreeMap<String, Vec<u32>>,
}

/// The demo tender file: the tender plus deadlines counted from the day it is loaded.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoTender {
    pub question_deadline_days: i64,
    pub submission_deadline_days: i64,
    pub deadline_time: String,
    pub tender: TenderInput,
}

/// One account per role: role, e-mail, name and (for a klantmanager) the gemeente.
const ACCOUNTS: [(Role, &str, &str, Option<&str>); 6] = [
    (Role::Beheerder, "beheerder@westfriesland.example", "Bea Beheer", None),
    (Role::Inkoper, "inkoper@westfriesland.example", "Ingrid Inkoop", None),
    (Role::Beoordelaar, "beoordelaar@westfriesland.example", "Bram Beoordeling", None),
    (Role::Aanbieder, "aanbieder@taalschool.example", "Ahmed Aanbod", None),
    (Role::Management, "management@westfriesland.example", "Mirjam Management", None),
    (Role::Klantmanager, "klantmanager@hoorn.example", "Karim Klant", Some("GM0405")),
];

fn parse<T: serde::de::DeserializeOwned>(name: &str, json: &str) -> Result<T, Error> {
    serde_json::from_str(json).map_err(|e| Error::Internal(format!("fixture {name}: {e}")))
}

/// Reference data every installation needs: the leerroutes and the two regions.
pub fn load_reference(conn: &mut DbConn) -> Result<(), Error> {
    let routes: Vec<LearningRoute> = parse("leerroutes.json", LEARNING_ROUTES)?;
    learning_route::import(conn, &routes)?;
    for (name, json) in [("regio-westfriesland.json", WESTFRIESLAND), ("regio-alkmaar.json", ALKMAAR)] {
        region::import(conn, &parse::<RegionFixture>(name, json)?)?;
    }
    Ok(())
}

/// Loads everything and returns the lines to print: e-mail, role and one-time password.
pub fn load(db: &Db) -> Result<Vec<String>, Error> {
    let mut conn = db.conn()?;
    let actor = Actor::system("demo");
    db::transaction(&mut conn, load_reference)?;
    let mut lines = Vec::new();
    for (role, email, name, gemeente) in ACCOUNTS {
        let input = UserInput { email: email.into(), name: name.into(), role, municipality: gemeente.map(Into::into) };
        let line = db::transaction(&mut conn, |conn| account(conn, &input, &actor))?;
        lines.extend(line);
    }
    db::transaction(&mut conn, |conn| demo_tender(conn, &actor))?;
    db::transaction(&mut conn, demo_taakstelling)?;
    Ok(lines)
}

fn account(conn: &mut DbConn, input: &UserInput, actor: &Actor) -> Result<Option<String>, Error> {
    let (role, email) = (input.role, input.email.as_str());
    let existing: Option<(i64, bool)> = users::table
        .filter(users::email.eq(email))
        .select((users::id, users::must_change_password))
        .first(conn)
        .optional()?;
    let one_time = match existing {
        None => auth::create_account(conn, input, actor)?.1,
        Some((id, true)) => {
            let fresh = password::generate();
            diesel::update(users::table.find(id))
                .set(users::password_hash.eq(password::hash(&fresh)?))
                .execute(conn)?;
            fresh
        }
        Some((_, false)) => return Ok(None),
    };
    Ok(Some(format!("{:<12} {:<36} {}", role.as_str(), email, one_time)))
}

fn demo_tender(conn: &mut DbConn, actor: &Actor) -> Result<(), Error> {
    let demo: DemoTender = parse("demo-aanbesteding.json", DEMO_TENDER)?;
    let exists =
        tenders::table.filter(tenders::reference.eq(&demo.tender.reference)).count().get_result::<i64>(conn)? > 0;
    if exists {
        return Ok(());
    }
    let time = NaiveTime::parse_from_str(&demo.deadline_time, "%H:%M")
        .map_err(|e| Error::Internal(format!("deadline_time: {e}")))?;
    let today = deadline::to_local(db::now().and_utc()).date_naive();
    let at = |days: i64| (today + Duration::days(days)).and_time(time).format("%Y-%m-%dT%H:%M").to_string();
    let mut input = demo.tender;
    input.question_deadline = at(demo.question_deadline_days);
    input.submission_deadline = at(demo.submission_deadline_days);
    let now = db::now().and_utc();
    let id = setup::create(conn, &input, now, actor)?;
    db::publication::publish(conn, id, actor, now)?;
    Ok(())
}

/// The demo taakstelling, unless Westfriesland already has one.
fn demo_taakstelling(conn: &mut DbConn) -> Result<(), Error> {
    use crate::db::schema::{municipalities, regions, taakstellingen};
    let known: i64 = taakstellingen::table
        .inner_join(municipalities::table.on(municipalities::id.eq(taakstellingen::municipality_id)))
        .inner_join(regions::table.on(regions::id.eq(municipalities::region_id)))
        .filter(regions::code.eq("westfriesland"))
        .count()
        .get_result(conn)?;
    let by = crate::db::user::find_by_email(conn, "management@westfriesland.example")?;
    let (0, Some(by)) = (known, by) else { return Ok(()) };
    let demo: DemoTaakstelling = parse("demo-taakstelling.json", DEMO_TAAKSTELLING)?;
    let first = crate::domain::placement::half_of(deadline::to_local(db::now().and_utc()).date_naive());
    let targets: Vec<Target> = demo
        .people
        .iter()
        .flat_map(|(code, list)| {
            list.iter().enumerate().map(move |(i, people)| Target {
                municipality: code.clone(),
                half: HalfYear::from_index(first.index() + i as i32),
                people: *people,
            })
        })
        .collect();
    crate::db::taakstelling::put(conn, &targets, "demo", &by, db::now().and_utc())?;
    // No warning mail for a demo, but a service already running on this database counts again.
    let region: i64 = regions::table.filter(regions::code.eq("westfriesland")).select(regions::id).first(conn)?;
    crate::db::capacity_notice::raise_version(conn, region)
}
