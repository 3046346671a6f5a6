//! Tabellen: the diesel view of the schema, written by hand to stay portable across both backends.

diesel::table! {
    regions (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        capacity_version -> BigInt,
    }
}

diesel::table! {
    municipalities (id) {
        id -> BigInt,
        region_id -> BigInt,
        cbs_code -> Text,
        name -> Text,
        dissolved_on -> Nullable<Date>,
        note -> Text,
    }
}

diesel::table! {
    learning_routes (id) {
        id -> BigInt,
        code -> Text,
        name -> Text,
        kind -> Text,
        keurmerk_required -> Bool,
        position -> Integer,
        description -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        token_version -> Integer,
        must_change_password -> Bool,
        active -> Bool,
        created_at -> Timestamp,
        company_id -> Nullable<BigInt>,
        email_verified_at -> Nullable<Timestamp>,
        municipality_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    companies (id) {
        id -> BigInt,
        name -> Text,
        kvk_number -> Text,
        street -> Text,
        postal_code -> Text,
        city -> Text,
        contact_name -> Text,
        phone -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        tender_id -> Nullable<BigInt>,
        user_id -> Nullable<BigInt>,
        recipient -> Text,
        kind -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        created_at -> Timestamp,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Text,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttles (email) {
        email -> Text,
        failures -> Integer,
        locked_until -> Nullable<Timestamp>,
        last_failure_at -> Timestamp,
    }
}

diesel::table! {
    tenders (id) {
        id -> BigInt,
        reference -> Text,
        title -> Text,
        procedure -> Text,
        description -> Text,
        lead_municipality_id -> Nullable<BigInt>,
        question_deadline -> Timestamp,
        submission_deadline -> Timestamp,
        standstill_days -> Integer,
        standstill_reason -> Text,
        rounding_decimals -> Integer,
        rounding_mode -> Text,
        status -> Text,
        version -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        published_by -> Nullable<BigInt>,
        anonymous_evaluation -> Bool,
    }
}

diesel::table! {
    tender_municipalities (tender_id, municipality_id) {
        tender_id -> BigInt,
        municipality_id -> BigInt,
    }
}

diesel::table! {
    scoring_scales (id) {
        id -> BigInt,
        tender_id -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    scale_steps (scale_id, position) {
        scale_id -> BigInt,
        position -> Integer,
        points -> Integer,
        descriptor -> Text,
    }
}

diesel::table! {
    lots (id) {
        id -> BigInt,
        tender_id -> BigInt,
        number -> Integer,
        title -> Text,
        learning_route_id -> BigInt,
        description -> Text,
        max_winners -> Integer,
        ceiling_price_cents -> Nullable<BigInt>,
        ceiling_price_rationale -> Text,
        price_formula -> Text,
        price_weight_bp -> Integer,
        bandwidth_min_cents -> Nullable<BigInt>,
        bandwidth_max_cents -> Nullable<BigInt>,
        log_factor_milli -> Nullable<Integer>,
        evaluation_version -> BigInt,
    }
}

diesel::table! {
    lot_volumes (lot_id, municipality_id) {
        lot_id -> BigInt,
        municipality_id -> BigInt,
        estimated_volume -> Integer,
    }
}

diesel::table! {
    lot_price_lines (id) {
        id -> BigInt,
        lot_id -> BigInt,
        position -> Integer,
        description -> Text,
        unit -> Text,
        quantity -> BigInt,
    }
}

diesel::table! {
    award_criteria (id) {
        id -> BigInt,
        lot_id -> BigInt,
        position -> Integer,
        title -> Text,
        description -> Text,
        weight_bp -> Integer,
        scale_id -> BigInt,
        value_cents -> Nullable<BigInt>,
    }
}

diesel::table! {
    selection_criteria (id) {
        id -> BigInt,
        tender_id -> BigInt,
        lot_id -> Nullable<BigInt>,
        position -> Integer,
        title -> Text,
        description -> Text,
        evidence -> Text,
        validity_rule -> Text,
        validity_months -> Nullable<Integer>,
    }
}

diesel::table! {
    corrections (id) {
        id -> BigInt,
        tender_id -> BigInt,
        number -> Integer,
        subject -> Text,
        reason -> Text,
        before_json -> Text,
        after_json -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        announced_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_heads (chain) {
        chain -> Text,
        seq -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        chain -> Text,
        seq -> BigInt,
        tender_id -> Nullable<BigInt>,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor -> Text,
        action -> Text,
        subject -> Text,
        before_json -> Nullable<Text>,
        after_json -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    tender_keys (tender_id) {
        tender_id -> BigInt,
        wrapped_key -> Binary,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bids (id) {
        id -> BigInt,
        tender_id -> BigInt,
        lot_id -> BigInt,
        company_id -> BigInt,
        status -> Text,
        sealed_content -> Binary,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        needs_reconfirmation -> Bool,
        code -> Nullable<Text>,
    }
}

diesel::table! {
    bid_files (id) {
        id -> BigInt,
        bid_id -> BigInt,
        kind -> Text,
        storage_name -> Text,
        sealed_name -> Binary,
        size -> BigInt,
        sha256 -> Text,
        uploaded_by -> BigInt,
        uploaded_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
        sealed_prices -> Nullable<Binary>,
        prices_confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    submissions (id) {
        id -> BigInt,
        bid_id -> BigInt,
        receipt_number -> Text,
        submitted_at -> Timestamp,
        submitted_by -> BigInt,
        manifest -> Text,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    openings (tender_id) {
        tender_id -> BigInt,
        first_by -> BigInt,
        first_at -> Timestamp,
        second_by -> Nullable<BigInt>,
        opened_at -> Nullable<Timestamp>,
        report -> Nullable<Text>,
    }
}

diesel::table! {
    tender_interests (tender_id, company_id) {
        tender_id -> BigInt,
        company_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    enquiries (id) {
        id -> BigInt,
        tender_id -> BigInt,
        lot_id -> Nullable<BigInt>,
        company_id -> BigInt,
        asked_by -> BigInt,
        asked_at -> Timestamp,
        question -> Text,
        number -> Nullable<Integer>,
        draft_answer -> Nullable<Text>,
        draft_question -> Nullable<Text>,
        drafted_by -> Nullable<BigInt>,
        drafted_at -> Nullable<Timestamp>,
        published_versions -> Integer,
    }
}

diesel::table! {
    enquiry_notes (id) {
        id -> BigInt,
        tender_id -> BigInt,
        number -> Integer,
        published_at -> Timestamp,
        published_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    enquiry_note_items (id) {
        id -> BigInt,
        note_id -> BigInt,
        enquiry_id -> BigInt,
        position -> Integer,
        question_number -> Integer,
        version -> Integer,
        lot_id -> Nullable<BigInt>,
        lot_label -> Text,
        question -> Text,
        answer -> Text,
    }
}

diesel::table! {
    tender_reminders (tender_id, kind, deadline) {
        tender_id -> BigInt,
        kind -> Text,
        deadline -> Timestamp,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    committee_members (lot_id, user_id) {
        lot_id -> BigInt,
        user_id -> BigInt,
        appointed_by -> BigInt,
        appointed_at -> Timestamp,
    }
}

diesel::table! {
    conflict_declarations (bid_id, user_id) {
        bid_id -> BigInt,
        user_id -> BigInt,
        has_conflict -> Bool,
        explanation -> Text,
        declared_at -> Timestamp,
    }
}

diesel::table! {
    suitability_decisions (bid_id, subject) {
        bid_id -> BigInt,
        subject -> Text,
        passes -> Bool,
        motivation -> Text,
        decided_by -> BigInt,
        decided_at -> Timestamp,
    }
}

diesel::table! {
    scores (bid_id, criterion_id, assessor_id) {
        bid_id -> BigInt,
        criterion_id -> BigInt,
        assessor_id -> BigInt,
        points -> Integer,
        motivation -> Text,
        saved_at -> Timestamp,
        locked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    consensus_scores (bid_id, criterion_id) {
        bid_id -> BigInt,
        criterion_id -> BigInt,
        points -> Integer,
        internal_motivation -> Text,
        external_motivation -> Text,
        recorded_by -> BigInt,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    price_reveals (lot_id) {
        lot_id -> BigInt,
        revealed_by -> BigInt,
        revealed_at -> Timestamp,
    }
}

diesel::table! {
    draws (id) {
        id -> BigInt,
        lot_id -> BigInt,
        bid_ids -> Text,
        scheduled_at -> Timestamp,
        place -> Text,
        conducted_by -> Text,
        announced_by -> BigInt,
        announced_at -> Timestamp,
        attendees -> Text,
        witnesses -> Text,
        outcome -> Nullable<Text>,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    evaluation_corrections (id) {
        id -> BigInt,
        tender_id -> BigInt,
        lot_id -> BigInt,
        bid_id -> BigInt,
        kind -> Text,
        reason -> Text,
        before_json -> Text,
        after_json -> Text,
        corrected_by -> BigInt,
        corrected_at -> Timestamp,
    }
}

diesel::table! {
    evidence_requests (id) {
        id -> BigInt,
        lot_id -> BigInt,
        bid_id -> BigInt,
        message -> Text,
        due_at -> Timestamp,
        requested_by -> BigInt,
        requested_at -> Timestamp,
    }
}

diesel::table! {
    award_decisions (id) {
        id -> BigInt,
        tender_id -> BigInt,
        lot_id -> BigInt,
        status -> Text,
        winner_bid_ids -> Text,
        not_awarded_reason -> Text,
        standstill_days -> Integer,
        standstill_reason -> Text,
        proposed_by -> BigInt,
        proposed_at -> Timestamp,
        approved_by -> Nullable<BigInt>,
        approved_at -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        definitive_at -> Nullable<Timestamp>,
        withdrawn_at -> Nullable<Timestamp>,
        withdrawn_reason -> Text,
    }
}

diesel::table! {
    award_letters (id) {
        id -> BigInt,
        decision_id -> BigInt,
        bid_id -> BigInt,
        kind -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    objections (id) {
        id -> BigInt,
        decision_id -> BigInt,
        bid_id -> Nullable<BigInt>,
        body -> Text,
        kort_geding -> Bool,
        lodged_by -> BigInt,
        lodged_at -> Timestamp,
        lifted_by -> Nullable<BigInt>,
        lifted_at -> Nullable<Timestamp>,
        lifted_reason -> Text,
    }
}

diesel::table! {
    contracts (id) {
        id -> BigInt,
        decision_id -> BigInt,
        tender_id -> BigInt,
        lot_id -> BigInt,
        bid_id -> BigInt,
        company_id -> BigInt,
        municipalities -> Text,
        start_date -> Date,
        years -> Integer,
        extensions -> Text,
        extensions_taken -> Integer,
        prices -> Text,
        total_cents -> BigInt,
        created_at -> Timestamp,
        activated_by -> Nullable<BigInt>,
        activated_at -> Nullable<Timestamp>,
        notice_months -> Integer,
    }
}

diesel::table! {
    contract_documents (id) {
        id -> BigInt,
        contract_id -> BigInt,
        storage_name -> Text,
        name -> Text,
        content_type -> Text,
        size -> BigInt,
        sha256 -> Text,
        uploaded_by -> BigInt,
        uploaded_at -> Timestamp,
    }
}

diesel::table! {
    contract_capacities (id) {
        id -> BigInt,
        contract_id -> BigInt,
        year -> Integer,
        municipality_id -> Nullable<BigInt>,
        places -> Integer,
    }
}

diesel::table! {
    taakstellingen (municipality_id, half_year) {
        municipality_id -> BigInt,
        half_year -> Integer,
        people -> Integer,
        updated_by -> BigInt,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    route_shares (region_id, learning_route_id) {
        region_id -> BigInt,
        learning_route_id -> BigInt,
        share_bp -> Integer,
    }
}

diesel::table! {
    placements (id) {
        id -> BigInt,
        municipality_id -> BigInt,
        contract_id -> BigInt,
        learning_route_id -> BigInt,
        reference -> Text,
        start_date -> Date,
        start_half -> Integer,
        ended_on -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        overrule_reason -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    capacity_notices (subject) {
        subject -> Text,
        sent_at -> Timestamp,
    }
}

diesel::joinable!(municipalities -> regions (region_id));
diesel::joinable!(bids -> lots (lot_id));
diesel::joinable!(bids -> companies (company_id));
diesel::joinable!(bid_files -> bids (bid_id));
diesel::joinable!(submissions -> bids (bid_id));
diesel::joinable!(users -> companies (company_id));
diesel::joinable!(tender_municipalities -> tenders (tender_id));
diesel::joinable!(tender_municipalities -> municipalities (municipality_id));
diesel::joinable!(lots -> tenders (tender_id));
diesel::joinable!(lots -> learning_routes (learning_route_id));
diesel::joinable!(lot_volumes -> lots (lot_id));
diesel::joinable!(lot_volumes -> municipalities (municipality_id));
diesel::joinable!(award_criteria -> lots (lot_id));
diesel::joinable!(lot_price_lines -> lots (lot_id));
diesel::joinable!(award_criteria -> scoring_scales (scale_id));
diesel::joinable!(scale_steps -> scoring_scales (scale_id));
diesel::joinable!(selection_criteria -> tenders (tender_id));
diesel::joinable!(selection_criteria -> lots (lot_id));
diesel::joinable!(enquiry_note_items -> enquiry_notes (note_id));

diesel::joinable!(committee_members -> lots (lot_id));
diesel::joinable!(conflict_declarations -> bids (bid_id));
diesel::joinable!(suitability_decisions -> bids (bid_id));
diesel::joinable!(scores -> bids (bid_id));
diesel::joinable!(consensus_scores -> bids (bid_id));

diesel::allow_tables_to_appear_in_same_query!(
    committee_members,
    conflict_declarations,
    suitability_decisions,
    scores,
    consensus_scores,
    price_reveals,
    draws,
    evaluation_corrections,
    evidence_requests,
    regions,
    municipalities,
    learning_routes,
    users,
    companies,
    tender_keys,
    bids,
    bid_files,
    submissions,
    openings,
    outbox,
    login_throttles,
    tenders,
    tender_municipalities,
    scoring_scales,
    scale_steps,
    lots,
    lot_volumes,
    lot_price_lines,
    award_criteria,
    selection_criteria,
    corrections,
    audit_heads,
    audit_log,
    tender_interests,
    enquiries,
    enquiry_notes,
    enquiry_note_items,
    tender_reminders,
    award_decisions,
    award_letters,
    objections,
    contracts,
    contract_documents,
    contract_capacities,
    taakstellingen,
    route_shares,
    placements,
    capacity_notices,
);
