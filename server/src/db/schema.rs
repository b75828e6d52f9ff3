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
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(users, sessions, api_tokens);
