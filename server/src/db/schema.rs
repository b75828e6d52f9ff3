//! Table definitions shared by both backends (kept by hand: both migration folders must match).

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        username_normalized -> Text,
        email -> Text,
        email_normalized -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> SmallInt,
        trust_level -> SmallInt,
        locale -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_seen_at -> Nullable<Timestamp>,
        department -> Nullable<Text>,
        previous_visit_at -> Nullable<Timestamp>,
        email_verified_at -> Nullable<Timestamp>,
        silenced_until -> Nullable<Timestamp>,
        suspended_until -> Nullable<Timestamp>,
        trust_level_since -> Nullable<Timestamp>,
        trust_level_locked -> SmallInt,
        time_zone -> Nullable<Text>,
        event_reminders -> Nullable<Text>,
        featured_badges -> Nullable<Text>,
        leaderboard_opt_out -> SmallInt,
        first_week -> SmallInt,
        invite_id -> Nullable<BigInt>,
        flair -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        user_agent -> Text,
        ip -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        name -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_groups (id) {
        id -> BigInt,
        name -> Text,
        description -> Text,
        created_at -> Timestamp,
        flair -> Nullable<Text>,
    }
}

diesel::table! {
    group_members (group_id, user_id) {
        group_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    categories (id) {
        id -> BigInt,
        parent_id -> Nullable<BigInt>,
        slug -> Text,
        name -> Text,
        description -> Text,
        position -> Integer,
        visibility -> SmallInt,
        threads_count -> Integer,
        posts_count -> Integer,
        created_at -> Timestamp,
        start_rule -> SmallInt,
        start_trust -> SmallInt,
        reply_rule -> SmallInt,
        reply_trust -> SmallInt,
    }
}

diesel::table! {
    category_groups (category_id, group_id) {
        category_id -> BigInt,
        group_id -> BigInt,
    }
}

diesel::table! {
    category_posting_groups (category_id, group_id) {
        category_id -> BigInt,
        group_id -> BigInt,
    }
}

diesel::table! {
    threads (id) {
        id -> BigInt,
        category_id -> BigInt,
        author_id -> BigInt,
        kind -> SmallInt,
        title -> Text,
        slug -> Text,
        created_at -> Timestamp,
        bumped_at -> Timestamp,
        last_post_number -> Integer,
        posts_count -> Integer,
        views -> Integer,
        likes -> Integer,
        pinned -> SmallInt,
        locked -> SmallInt,
        accepted_post_id -> Nullable<BigInt>,
        official_post_id -> Nullable<BigInt>,
        state -> SmallInt,
        last_poster_id -> Nullable<BigInt>,
        lang -> Nullable<Text>,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        thread_id -> BigInt,
        number -> Integer,
        author_id -> BigInt,
        raw -> Text,
        cooked -> Text,
        created_at -> Timestamp,
        edited_at -> Nullable<Timestamp>,
        version -> Integer,
        reply_to_number -> Nullable<Integer>,
        official -> SmallInt,
        department -> Nullable<Text>,
        likes -> Integer,
        state -> SmallInt,
        moderation_label -> Nullable<Text>,
        history_hidden_through -> Integer,
        lang -> Nullable<Text>,
    }
}

diesel::table! {
    post_revisions (id) {
        id -> BigInt,
        post_id -> BigInt,
        version -> Integer,
        raw -> Text,
        cooked -> Text,
        editor_id -> BigInt,
        reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reactions (post_id, user_id, kind) {
        post_id -> BigInt,
        user_id -> BigInt,
        kind -> SmallInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bookmarks (user_id, post_id) {
        user_id -> BigInt,
        post_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    thread_watches (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        level -> SmallInt,
    }
}

diesel::table! {
    category_watches (user_id, category_id) {
        user_id -> BigInt,
        category_id -> BigInt,
        level -> SmallInt,
    }
}

diesel::table! {
    thread_reads (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        last_read_number -> Integer,
    }
}

diesel::table! {
    account_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> SmallInt,
        token_hash -> Text,
        new_email -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    jobs (id) {
        id -> BigInt,
        kind -> Text,
        payload -> Text,
        run_at -> Timestamp,
        attempts -> Integer,
        max_attempts -> Integer,
        locked_until -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        done_at -> Nullable<Timestamp>,
        failed_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mails (id) {
        id -> BigInt,
        message_id -> Text,
        user_id -> Nullable<BigInt>,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        list_unsubscribe -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> SmallInt,
        thread_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        digest -> SmallInt,
        digested_at -> Nullable<Timestamp>,
        subject_kind -> SmallInt,
        subject_id -> BigInt,
        url -> Text,
        title -> Text,
        detail -> Text,
        others -> Integer,
        grouped_into -> Nullable<BigInt>,
    }
}

diesel::table! {
    notification_preferences (user_id, kind) {
        user_id -> BigInt,
        kind -> SmallInt,
        delivery -> SmallInt,
    }
}

diesel::table! {
    rules (id) {
        id -> BigInt,
        number -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    rule_versions (id) {
        id -> BigInt,
        rule_id -> BigInt,
        version -> Integer,
        title -> Text,
        body -> Text,
        significant -> SmallInt,
        effective_at -> Timestamp,
        published_by -> Nullable<BigInt>,
        published_at -> Timestamp,
    }
}

diesel::table! {
    rule_acceptances (user_id) {
        user_id -> BigInt,
        accepted_at -> Timestamp,
    }
}

diesel::table! {
    review_items (id) {
        id -> BigInt,
        target_kind -> SmallInt,
        target_id -> BigInt,
        status -> SmallInt,
        priority -> SmallInt,
        score -> Integer,
        reports_count -> Integer,
        version -> Integer,
        claimed_by -> Nullable<BigInt>,
        claimed_at -> Nullable<Timestamp>,
        due_at -> Timestamp,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        origin -> SmallInt,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        item_id -> BigInt,
        reporter_id -> Nullable<BigInt>,
        reporter_email -> Nullable<Text>,
        reason -> SmallInt,
        explanation -> Text,
        weight -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    evidence_snapshots (id) {
        id -> BigInt,
        item_id -> BigInt,
        content -> Text,
        digest -> Text,
        taken_at -> Timestamp,
    }
}

diesel::table! {
    decisions (id) {
        id -> BigInt,
        item_id -> Nullable<BigInt>,
        target_kind -> SmallInt,
        target_id -> BigInt,
        action -> SmallInt,
        explanation -> Text,
        rule_id -> Nullable<BigInt>,
        rule_version -> Nullable<Integer>,
        source -> SmallInt,
        decided_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        scope -> Text,
        ends_at -> Nullable<Timestamp>,
        detected_automatically -> SmallInt,
        reversed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    review_claims (id) {
        id -> BigInt,
        item_id -> BigInt,
        user_id -> BigInt,
        claimed_at -> Timestamp,
    }
}

diesel::table! {
    cases (id) {
        id -> BigInt,
        kind -> SmallInt,
        state -> SmallInt,
        complainant_id -> BigInt,
        decision_id -> Nullable<BigInt>,
        reviewer_id -> Nullable<BigInt>,
        summary -> Text,
        outcome -> Nullable<SmallInt>,
        reasons -> Text,
        reason_code -> Nullable<Text>,
        rule_id -> Nullable<BigInt>,
        rule_version -> Nullable<Integer>,
        version -> Integer,
        due_at -> Timestamp,
        created_at -> Timestamp,
        acknowledged_at -> Nullable<Timestamp>,
        escalated_at -> Nullable<Timestamp>,
        decided_at -> Nullable<Timestamp>,
        respondent_id -> Nullable<BigInt>,
        department -> Nullable<Text>,
        desired_outcome -> Text,
        draft -> Nullable<Text>,
        findings -> Text,
        terms -> Nullable<Text>,
        complainant_accepted_at -> Nullable<Timestamp>,
        respondent_accepted_at -> Nullable<Timestamp>,
        reminded_due_at -> Nullable<Timestamp>,
        complainant_consent_at -> Nullable<Timestamp>,
        respondent_consent_at -> Nullable<Timestamp>,
        witness_ids -> Text,
    }
}

diesel::table! {
    case_arbitrations (case_id) {
        case_id -> BigInt,
        started_at -> Timestamp,
        decide_by -> Timestamp,
        cap_at -> Timestamp,
        extended_at -> Nullable<Timestamp>,
        extension_reason -> Nullable<Text>,
        overdue_told_at -> Nullable<Timestamp>,
        cap_told_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    case_pauses (case_id) {
        case_id -> BigInt,
        paused_state -> SmallInt,
        paused_seconds -> BigInt,
        awaiting_side -> SmallInt,
        notices_sent -> SmallInt,
    }
}

diesel::table! {
    case_reviews (id) {
        id -> BigInt,
        case_id -> BigInt,
        side -> SmallInt,
        requested_by -> BigInt,
        text -> Text,
        prior_state -> SmallInt,
        arbiter_id -> Nullable<BigInt>,
        answer -> Nullable<Text>,
        answered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    published_decisions (case_id) {
        case_id -> BigInt,
        kind -> SmallInt,
        outcome -> SmallInt,
        basis -> Text,
        summary -> Text,
        published_by -> BigInt,
        published_at -> Timestamp,
    }
}

diesel::table! {
    case_tasks (id) {
        id -> BigInt,
        case_id -> BigInt,
        kind -> Text,
        description -> Text,
        owner_id -> Nullable<BigInt>,
        department -> Nullable<Text>,
        due_at -> Timestamp,
        done_at -> Nullable<Timestamp>,
        waived_at -> Nullable<Timestamp>,
        waiver_reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    case_messages (id) {
        id -> BigInt,
        case_id -> BigInt,
        author_id -> BigInt,
        body -> Text,
        privileged -> SmallInt,
        resubmitted_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        stage -> SmallInt,
    }
}

diesel::table! {
    case_evidence (id) {
        id -> BigInt,
        case_id -> BigInt,
        submitted_by -> BigInt,
        text -> Text,
        post_id -> Nullable<BigInt>,
        snapshot -> Nullable<Text>,
        digest -> Text,
        visibility -> SmallInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_role -> Text,
        action -> Text,
        target_kind -> Text,
        target_id -> BigInt,
        case_id -> Nullable<BigInt>,
        reason -> Text,
        rule_id -> Nullable<BigInt>,
        rule_version -> Nullable<Integer>,
        digest -> Nullable<Text>,
        automated -> SmallInt,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    case_events (id) {
        id -> BigInt,
        case_id -> BigInt,
        from_state -> Nullable<SmallInt>,
        to_state -> SmallInt,
        actor_id -> Nullable<BigInt>,
        note -> Text,
        automated -> SmallInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    moderation_settings (name) {
        name -> Text,
        value -> Integer,
    }
}

diesel::table! {
    watched_words (id) {
        id -> BigInt,
        pattern -> Text,
        action -> SmallInt,
        replacement -> Nullable<Text>,
        rule_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    statements (id) {
        id -> BigInt,
        user_id -> BigInt,
        decision_id -> BigInt,
        target_title -> Text,
        target_url -> Text,
        appeal_until -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    sanctions (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> SmallInt,
        decision_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    moderator_notes (id) {
        id -> BigInt,
        user_id -> BigInt,
        author_id -> Nullable<BigInt>,
        body -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(rule_versions -> rules (rule_id));
diesel::joinable!(notifications -> threads (thread_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(group_members -> user_groups (group_id));
diesel::joinable!(group_members -> users (user_id));
diesel::joinable!(category_groups -> categories (category_id));
diesel::joinable!(category_groups -> user_groups (group_id));
diesel::joinable!(category_posting_groups -> categories (category_id));
diesel::joinable!(category_posting_groups -> user_groups (group_id));
diesel::joinable!(threads -> categories (category_id));
diesel::joinable!(posts -> threads (thread_id));
diesel::joinable!(posts -> users (author_id));
diesel::joinable!(post_revisions -> posts (post_id));
diesel::joinable!(reactions -> posts (post_id));
diesel::joinable!(bookmarks -> posts (post_id));
diesel::joinable!(thread_reads -> threads (thread_id));
diesel::joinable!(statements -> decisions (decision_id));
diesel::joinable!(reports -> review_items (item_id));
diesel::joinable!(sanctions -> decisions (decision_id));
diesel::joinable!(case_events -> cases (case_id));
diesel::joinable!(case_arbitrations -> cases (case_id));
diesel::table! {
    drafts (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        title -> Text,
        body -> Text,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    users,
    drafts,
    invites,
    ambassador_nominations,
    badges,
    user_badges,
    points_ledger,
    leaderboard_scores,
    sessions,
    api_tokens,
    user_groups,
    group_members,
    categories,
    category_groups,
    category_posting_groups,
    threads,
    posts,
    post_revisions,
    reactions,
    bookmarks,
    thread_watches,
    category_watches,
    thread_reads,
    account_tokens,
    jobs,
    mails,
    notifications,
    notification_preferences,
    rules,
    rule_versions,
    rule_acceptances,
    review_items,
    reports,
    evidence_snapshots,
    decisions,
    statements,
    sanctions,
    moderator_notes,
    watched_words,
    moderation_settings,
    review_claims,
    cases,
    case_events,
    audit_log,
    case_evidence,
    case_messages,
    case_tasks,
    case_pauses,
    case_arbitrations,
    events,
    event_hosts,
    event_occurrences,
    event_rsvps,
    calendar_feeds,
    event_reminders,
    event_questions,
    event_question_votes,
    event_organizers,
);

diesel::table! {
    /// Posts and threads whose search documents must be written again (search::outbox).
    search_outbox (id) {
        id -> BigInt,
        post_id -> Nullable<BigInt>,
        thread_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        event_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    fortunes (id) {
        id -> BigInt,
        message -> Text,
    }
}

diesel::table! {
    /// Events (calendar::model::Event).
    events (id) {
        id -> BigInt,
        category_id -> BigInt,
        author_id -> BigInt,
        title -> Text,
        raw -> Text,
        cooked -> Text,
        time_zone -> Text,
        starts_local -> Timestamp,
        minutes -> Integer,
        recurrence -> Nullable<Text>,
        online_url -> Nullable<Text>,
        location -> Nullable<Text>,
        capacity -> Nullable<Integer>,
        rsvp_closes_minutes -> Nullable<Integer>,
        state -> SmallInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        follow_up -> Nullable<Text>,
        follow_up_cooked -> Nullable<Text>,
        follow_up_at -> Nullable<Timestamp>,
        thread_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    /// Members allowed to create events in a category (calendar::organizers).
    event_organizers (category_id, user_id) {
        category_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    event_hosts (event_id, user_id) {
        event_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::table! {
    event_occurrences (id) {
        id -> BigInt,
        event_id -> BigInt,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        original_starts_at -> Timestamp,
        state -> SmallInt,
        sequence -> Integer,
        going -> Integer,
        waitlisted -> Integer,
        tickets -> BigInt,
        check_in_code -> Nullable<Text>,
    }
}

diesel::table! {
    event_rsvps (id) {
        id -> BigInt,
        occurrence_id -> BigInt,
        user_id -> BigInt,
        status -> SmallInt,
        ticket -> BigInt,
        checked_in_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(events -> categories (category_id));
diesel::joinable!(event_hosts -> events (event_id));
diesel::joinable!(event_hosts -> users (user_id));
diesel::joinable!(event_occurrences -> events (event_id));
diesel::joinable!(event_rsvps -> event_occurrences (occurrence_id));
diesel::joinable!(event_rsvps -> users (user_id));

diesel::table! {
    /// Secret calendar feed URLs (calendar::feeds).
    calendar_feeds (id) {
        id -> BigInt,
        user_id -> BigInt,
        category_id -> Nullable<BigInt>,
        token_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(calendar_feeds -> users (user_id));

diesel::table! {
    /// Reminders sent (calendar::reminders).
    event_reminders (occurrence_id, user_id, minutes) {
        occurrence_id -> BigInt,
        user_id -> BigInt,
        minutes -> Integer,
        sent_at -> Timestamp,
    }
}

diesel::table! {
    /// Live Q&A questions (calendar::questions).
    event_questions (id) {
        id -> BigInt,
        event_id -> BigInt,
        author_id -> BigInt,
        body -> Text,
        state -> SmallInt,
        votes -> Integer,
        created_at -> Timestamp,
        answered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    event_question_votes (question_id, user_id) {
        question_id -> BigInt,
        user_id -> BigInt,
    }
}

diesel::joinable!(event_questions -> events (event_id));
diesel::joinable!(event_questions -> users (author_id));
diesel::joinable!(event_question_votes -> event_questions (question_id));

diesel::joinable!(event_organizers -> users (user_id));

diesel::table! {
    badges (id) {
        id -> BigInt,
        slug -> Text,
        builtin -> SmallInt,
        tier -> SmallInt,
        icon -> Text,
        name_en -> Text,
        name_es -> Text,
        description_en -> Text,
        description_es -> Text,
        multiple -> SmallInt,
        revocable -> SmallInt,
        enabled -> SmallInt,
        grant_count -> Integer,
        backfill_after -> Nullable<BigInt>,
        backfilled_at -> Nullable<Timestamp>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    user_badges (id) {
        id -> BigInt,
        badge_id -> BigInt,
        user_id -> BigInt,
        item -> BigInt,
        post_id -> Nullable<BigInt>,
        granted_at -> Timestamp,
        granted_by -> Nullable<BigInt>,
        reason -> Text,
    }
}

diesel::table! {
    points_ledger (id) {
        id -> BigInt,
        user_id -> BigInt,
        action -> SmallInt,
        amount -> Integer,
        post_id -> Nullable<BigInt>,
        category_id -> Nullable<BigInt>,
        item -> Text,
        credited_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::table! {
    leaderboard_scores (period, starts_at, category_id, user_id) {
        period -> SmallInt,
        starts_at -> Timestamp,
        category_id -> BigInt,
        user_id -> BigInt,
        points -> Integer,
    }
}

diesel::joinable!(user_badges -> badges (badge_id));
diesel::joinable!(leaderboard_scores -> users (user_id));
diesel::joinable!(user_badges -> users (user_id));
diesel::joinable!(points_ledger -> users (user_id));

diesel::table! {
    invites (id) {
        id -> BigInt,
        code -> Text,
        source -> Text,
        created_by -> BigInt,
        max_uses -> Integer,
        uses -> Integer,
        expires_at -> Timestamp,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ambassador_nominations (id) {
        id -> BigInt,
        user_id -> BigInt,
        nominated_by -> BigInt,
        reason -> Text,
        state -> SmallInt,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
    }
}
