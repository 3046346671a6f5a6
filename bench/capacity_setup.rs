//! The capacity benchmark's data: regions of gemeenten, per region ten active contracts over
//! five leerroutes with places per year, a taakstelling, a distribution, and placements spread
//! over the gemeenten, contracts and three years. Contracts are written as rows of an awarded
//! tender: how they came about is not what this measures.

use aanbesteding::auth::password;
use aanbesteding::db::audit::Actor;
use aanbesteding::db::region::{MunicipalityFixture, RegionFixture};
use aanbesteding::db::schema::{
    award_decisions, bids, companies, contract_capacities, contracts, learning_routes, lots, municipalities,
    placements, regions, route_shares, taakstellingen, tenders,
};
use aanbesteding::db::user::{self, NewUser};
use aanbesteding::db::{self, Db, DbConn};
use aanbesteding::domain::placement::half_of;
use aanbesteding::domain::role::Role;
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

pub const PASSWORD: &str = "benchmark-wachtwoord-123";
pub const MANAGEMENT: &str = "management@bench.example";
/// Five leerroutes with their expected share in hundredths of a percent.
const ROUTES: [(&str, i32); 5] =
    [("b1-route", 5000), ("onderwijsroute", 2000), ("z-route", 1500), ("alfabetisering", 1000), ("knm", 500)];
const YEARS: [i32; 3] = [2026, 2027, 2028];

/// Regions besides the shipped two, so that `total` gemeenten exist in `count` regions.
pub fn regions(db: &Db, count: usize, total: usize) {
    let mut conn = db.conn().expect("conn");
    let have: i64 = municipalities::table.count().get_result(&mut *conn).expect("count");
    let extra = count.saturating_sub(2);
    let left = total.saturating_sub(have as usize);
    for r in 0..extra {
        let n = left / extra + usize::from(r < left % extra);
        let fixture = RegionFixture {
            code: format!("bench-{r:02}"),
            name: format!("Benchregio {r:02}"),
            municipalities: (0..n)
                .map(|m| MunicipalityFixture {
                    cbs_code: format!("GM9{r:02}{m}"),
                    name: format!("Gemeente {r:02}-{m}"),
                    dissolved_on: None,
                    note: String::new(),
                })
                .collect(),
        };
        db::transaction(&mut conn, |c| aanbesteding::db::region::import(c, &fixture)).expect("region");
    }
}

/// The management account, with a known password.
pub fn management(db: &Db) {
    let hash = password::hash(PASSWORD).expect("hash");
    let new = NewUser {
        email: MANAGEMENT,
        name: "Bench Management",
        role: Role::Management,
        password_hash: &hash,
        must_change_password: false,
        company_id: None,
        municipality_id: None,
        verified: true,
    };
    db::transaction(&mut db.conn().expect("conn"), |c| user::insert(c, &new, &Actor::system("benchmark")))
        .expect("user");
}

fn id_of(conn: &mut DbConn, route: &str) -> i64 {
    learning_routes::table
        .filter(learning_routes::code.eq(route))
        .select(learning_routes::id)
        .first(conn)
        .expect("route")
}

/// Ten contracts of one region, their places, its taakstelling and distribution, and
/// `placements` placements; returns the contract ids.
pub fn region(db: &Db, code: &str, placements_n: usize, user_id: i64) -> Vec<i64> {
    let mut conn = db.conn().expect("conn");
    let c = &mut *conn;
    let region_id: i64 = regions::table.filter(regions::code.eq(code)).select(regions::id).first(c).expect("region");
    let gemeenten: Vec<(i64, String)> = municipalities::table
        .filter(municipalities::region_id.eq(region_id))
        .order(municipalities::id)
        .select((municipalities::id, municipalities::cbs_code))
        .load(c)
        .expect("gemeenten");
    let codes = serde_json::to_string(&gemeenten.iter().map(|g| &g.1).collect::<Vec<_>>()).expect("json");
    let now = chrono::Utc::now().naive_utc();
    let mut contract_ids = Vec::new();
    let mut contract_routes = Vec::new();
    db::transaction(c, |c| {
        let tender_id: i64 = diesel::insert_into(tenders::table)
            .values((
                tenders::reference.eq(format!("BENCH-{code}")),
                tenders::title.eq(format!("Leerroutes {code}")),
                tenders::procedure.eq("openbaar"),
                tenders::description.eq("Benchmark"),
                tenders::lead_municipality_id.eq(gemeenten[0].0),
                tenders::question_deadline.eq(now - Duration::days(400)),
                tenders::submission_deadline.eq(now - Duration::days(380)),
                tenders::standstill_days.eq(20),
                tenders::rounding_decimals.eq(2),
                tenders::rounding_mode.eq("half_up"),
                tenders::status.eq("awarded"),
                tenders::created_at.eq(now),
                tenders::updated_at.eq(now),
            ))
            .returning(tenders::id)
            .get_result(c)?;
        for (n, (route, share)) in ROUTES.iter().enumerate() {
            let route_id = id_of(c, route);
            diesel::insert_into(route_shares::table)
                .values((
                    route_shares::region_id.eq(region_id),
                    route_shares::learning_route_id.eq(route_id),
                    route_shares::share_bp.eq(share),
                ))
                .execute(c)?;
            let lot_id: i64 = diesel::insert_into(lots::table)
                .values((
                    lots::tender_id.eq(tender_id),
                    lots::number.eq(n as i32 + 1),
                    lots::title.eq(*route),
                    lots::learning_route_id.eq(route_id),
                    lots::description.eq(""),
                    lots::max_winners.eq(2),
                    lots::price_formula.eq("relative_to_lowest"),
                    lots::price_weight_bp.eq(3000),
                ))
                .returning(lots::id)
                .get_result(c)?;
            let decision_id: i64 = diesel::insert_into(award_decisions::table)
                .values((
                    award_decisions::tender_id.eq(tender_id),
                    award_decisions::lot_id.eq(lot_id),
                    award_decisions::status.eq("definitive"),
                    award_decisions::winner_bid_ids.eq("[]"),
                    award_decisions::not_awarded_reason.eq(""),
                    award_decisions::standstill_days.eq(20),
                    award_decisions::standstill_reason.eq(""),
                    award_decisions::proposed_by.eq(user_id),
                    award_decisions::proposed_at.eq(now),
                    award_decisions::withdrawn_reason.eq(""),
                ))
                .returning(award_decisions::id)
                .get_result(c)?;
            for w in 0..2 {
                let company_id: i64 = diesel::insert_into(companies::table)
                    .values((
                        companies::name.eq(format!("Taalschool {code} {route} {w}")),
                        companies::kvk_number.eq(format!("{:08}", 90_000_000 + tender_id * 10 + n as i64 * 2 + w)),
                        companies::street.eq("Benchstraat 1"),
                        companies::postal_code.eq("1621 AB"),
                        companies::city.eq("Hoorn"),
                        companies::contact_name.eq("Bench"),
                        companies::phone.eq("0229 000 000"),
                        companies::created_at.eq(now),
                    ))
                    .returning(companies::id)
                    .get_result(c)?;
                let bid_id: i64 = diesel::insert_into(bids::table)
                    .values((
                        bids::tender_id.eq(tender_id),
                        bids::lot_id.eq(lot_id),
                        bids::company_id.eq(company_id),
                        bids::status.eq("submitted"),
                        bids::sealed_content.eq(Vec::<u8>::new()),
                        bids::created_by.eq(user_id),
                        bids::created_at.eq(now),
                        bids::updated_at.eq(now),
                        bids::needs_reconfirmation.eq(false),
                    ))
                    .returning(bids::id)
                    .get_result(c)?;
                let id: i64 = diesel::insert_into(contracts::table)
                    .values((
                        contracts::decision_id.eq(decision_id),
                        contracts::tender_id.eq(tender_id),
                        contracts::lot_id.eq(lot_id),
                        contracts::bid_id.eq(bid_id),
                        contracts::company_id.eq(company_id),
                        contracts::municipalities.eq(&codes),
                        contracts::start_date.eq(NaiveDate::from_ymd_opt(2026, 1, 1).expect("date")),
                        contracts::years.eq(4),
                        contracts::extensions.eq("[2,2]"),
                        contracts::prices.eq("[]"),
                        contracts::total_cents.eq(1_250_000),
                        contracts::created_at.eq(now),
                        contracts::activated_by.eq(user_id),
                        contracts::activated_at.eq(now),
                    ))
                    .returning(contracts::id)
                    .get_result(c)?;
                contract_ids.push(id);
                contract_routes.push(route_id);
                for year in YEARS {
                    let per = 300 / gemeenten.len() as i32;
                    let mut rows = vec![(None, 300)];
                    rows.extend(gemeenten.iter().map(|g| (Some(g.0), per)));
                    for (m, places) in rows {
                        diesel::insert_into(contract_capacities::table)
                            .values((
                                contract_capacities::contract_id.eq(id),
                                contract_capacities::year.eq(year),
                                contract_capacities::municipality_id.eq(m),
                                contract_capacities::places.eq(places),
                            ))
                            .execute(c)?;
                    }
                }
            }
        }
        for (g, _) in &gemeenten {
            for half in YEARS[0] * 2..=YEARS[2] * 2 + 1 {
                diesel::insert_into(taakstellingen::table)
                    .values((
                        taakstellingen::municipality_id.eq(g),
                        taakstellingen::half_year.eq(half),
                        taakstellingen::people.eq(20 + (half % 7)),
                        taakstellingen::updated_by.eq(user_id),
                        taakstellingen::updated_at.eq(now),
                    ))
                    .execute(c)?;
            }
        }
        Ok(())
    })
    .expect("contracts");
    let first = NaiveDate::from_ymd_opt(YEARS[0], 1, 1).expect("date");
    let rows: Vec<_> = (0..placements_n)
        .map(|i| {
            let k = i % contract_ids.len();
            let start = first + Duration::days(((i * 7919) % 1095) as i64);
            let ended = (i % 3 == 0).then(|| start + Duration::days(300));
            (
                placements::municipality_id.eq(gemeenten[i % gemeenten.len()].0),
                placements::contract_id.eq(contract_ids[k]),
                placements::learning_route_id.eq(contract_routes[k]),
                placements::reference.eq(format!("B-{code}-{i}")),
                placements::start_date.eq(start),
                placements::start_half.eq(half_of(start).index()),
                placements::ended_on.eq(ended),
                placements::end_reason.eq(ended.map(|_| "afgerond")),
                placements::overrule_reason.eq(""),
                placements::created_by.eq(user_id),
                placements::created_at.eq(now),
            )
        })
        .collect();
    db::transaction(c, |c| {
        // A batch insert needs the concrete backend.
        for chunk in rows.chunks(500) {
            let insert = diesel::insert_into(placements::table).values(chunk);
            match c {
                DbConn::Pg(pg) => insert.execute(pg)?,
                DbConn::Sqlite(lite) => insert.execute(lite)?,
            };
        }
        Ok(())
    })
    .expect("placements");
    contract_ids
}
