### Administration: members, categories, groups, background jobs

## Members
admin-users-title = Members and roles
field-department = Department (brand staff)

## Categories and groups
field-name = Name
field-slug = Address (slug)
field-description = Description
field-flair = Flair
field-flair-hint = Optional: a short label shown by its members' names on their posts, like “Ambassador”.
field-parent = Parent category
field-visibility = Who can see it
field-groups = Groups (for private categories)
field-start-rule = Who may start threads
field-reply-rule = Who may reply
field-posting-trust = Trust level (for “trust level”)
field-posting-groups = Groups that may post (for “members of groups”)
posting-rule-everyone = Everyone
posting-rule-groups = Members of groups
posting-rule-staff = Staff only
posting-rule-trust = Trust level or above
admin-categories-title = Categories
admin-category-new = New category
admin-groups-title = Groups
admin-group-new = New group
group-members = Members
group-no-members = nobody yet
group-add = Add
group-remove = Remove

## Background jobs and mail
admin-outbox-title = Background jobs and mail
admin-outbox-pending = Waiting
admin-outbox-running = Running
admin-outbox-failed = Failed
admin-outbox-done = Done
admin-outbox-mail-queued = E-mails queued
admin-outbox-mail-sent = E-mails sent
admin-outbox-retry = Retry
admin-outbox-no-failures = No failed jobs.
admin-outbox-error = Last error
admin-search-title = Search index
admin-search-engine = Engine
admin-search-pending = Changes waiting for the index
admin-search-oldest = Oldest waiting for
admin-search-seconds = { $n ->
    [one] one second
   *[other] { $n } seconds
}
admin-search-failure = Meilisearch is failing: { $error }. Searches use the database's own index meanwhile; the worker retries and sends every waiting change when it answers.
