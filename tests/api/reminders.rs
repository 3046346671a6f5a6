//! Herinneringen: 48 and 4 hours before the sluitingstermijn, once per deadline value, to the
//! interested aanbieders whose company has not submitted.

use aanbesteding::db::{self, reminder};
use aanbesteding::domain::role::Role;
use chrono::Duration;
use serde_json::json;

use crate::bidding::submitted_bid;
use crate::both;
use crate::enquiries::{instant, mails_to, published};
use crate::helpers::{TestApp, TestUser};

/// Runs the reminder work as the mail worker does, at the app's clock.
fn remind(app: &TestApp) -> usize {
    let mut conn = app.db.conn().expect("conn");
    db::transaction(&mut conn, |c| reminder::queue_due_reminders(c, app.clock.now(), "http://127.0.0.1"))
        .expect("reminders")
}

fn reminders(app: &TestApp, who: &TestUser) -> Vec<String> {
    mails_to(app, &who.email).into_iter().filter(|m| m.0 == "reminder").map(|m| m.1).collect()
}

both! {
    fn reminders_go_48_and_4_hours_before_the_deadline_once_to_those_without_a_submitted_bid(app) {
        let (t, inkoper) = published(&app, "REM-1");
        let waiting = app.user(Role::Aanbieder);
        assert_eq!(app.call("POST", &format!("/api/v1/tenders/{}/interest", t["id"]), Some(&waiting.token), None).status, 201);
        // A colleague at the same company, and one whose address is not confirmed yet.
        let colleague = app.user(Role::Aanbieder);
        let unconfirmed = app.user(Role::Aanbieder);
        app.sql(&format!(
            "UPDATE users SET company_id = (SELECT company_id FROM users WHERE id = {}) WHERE id IN ({}, {})",
            waiting.id, colleague.id, unconfirmed.id
        ));
        app.sql(&format!("UPDATE users SET email_verified_at = NULL WHERE id = {}", unconfirmed.id));
        let submitted = app.user(Role::Aanbieder);
        submitted_bid(&app, &t, &submitted);
        let drafting = app.user(Role::Aanbieder);
        app.post(&format!("/api/v1/tenders/{}/lots/{}/bids", t["id"], t["lots"][0]["id"]), Some(&drafting.token), &json!({}));
        let stranger = app.user(Role::Aanbieder);

        let deadline = instant(&t["submission_deadline"]);
        app.clock.set(deadline - Duration::hours(49));
        remind(&app);
        assert!(reminders(&app, &waiting).is_empty(), "not yet");
        app.clock.set(deadline - Duration::hours(47));
        remind(&app);
        remind(&app);
        let subject = "Herinnering: de sluitingstermijn van REM-1 is over 48 uur".to_string();
        for who in [&waiting, &colleague, &drafting] {
            assert_eq!(reminders(&app, who), std::slice::from_ref(&subject), "{}", who.email);
        }
        for who in [&unconfirmed, &submitted, &stranger] {
            assert!(reminders(&app, who).is_empty(), "{}", who.email);
        }
        let text = app.last_mail_to(&drafting.email);
        assert!(text.contains("nog geen inschrijving ingediend") && text.contains("Een concept telt niet"), "{text}");
        app.clock.set(deadline - Duration::hours(3));
        remind(&app);
        assert_eq!(remind(&app), 0, "each reminder goes once");
        assert_eq!(reminders(&app, &waiting).len(), 2);
        assert_eq!(reminders(&app, &waiting)[1], "Herinnering: de sluitingstermijn van REM-1 is over 4 uur");
        assert!(reminders(&app, &submitted).is_empty());
        app.clock.set(deadline + Duration::minutes(1));
        assert_eq!(remind(&app), 0, "nothing after the deadline");
        let file = app.get(&format!("/api/v1/tenders/{}/messages?per_page=100", t["id"]), Some(&inkoper)).body;
        assert!(!file.contains("Herinnering"), "who was reminded tells who submitted: kept out of the tender file");
    }

    fn a_moved_deadline_gets_reminders_of_its_own(app) {
        let (t, inkoper) = published(&app, "REM-2");
        let waiting = app.user(Role::Aanbieder);
        app.call("POST", &format!("/api/v1/tenders/{}/interest", t["id"]), Some(&waiting.token), None);
        let deadline = instant(&t["submission_deadline"]);
        app.clock.set(deadline - Duration::hours(40));
        remind(&app);
        assert_eq!(reminders(&app, &waiting).len(), 1);
        let moved = deadline + Duration::days(5);
        let mut g = crate::fixtures::general("REM-2");
        g["question_deadline"] = t["question_deadline"].clone();
        g["submission_deadline"] = json!(moved.to_rfc3339());
        let r = app.post(&format!("/api/v1/tenders/{}/corrections", t["id"]), Some(&inkoper), &json!({ "reason": "Vijf dagen extra voor het prijzenblad", "tender": g }));
        assert_eq!(r.status, 200, "{}", r.body);
        remind(&app);
        assert_eq!(reminders(&app, &waiting).len(), 1, "the new deadline is more than 48 hours away");
        app.clock.set(moved - Duration::hours(47));
        remind(&app);
        assert_eq!(reminders(&app, &waiting).len(), 2, "the moved deadline has its own 48-hour reminder");
    }
}
