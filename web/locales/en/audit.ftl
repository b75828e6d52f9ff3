# The audit log.
audit-title = Audit log
audit-intro = Every decision, sanction, statement of reasons, rule publication, reversal and move of a case, in order. Each entry holds the hash of the one before it, so changing or removing any entry breaks the chain from there on. Nobody can edit or delete an entry.
audit-verified = The chain verifies: { $count } entries, none changed or removed.
audit-broken = The chain is broken at entry { $id } ({ $kind }): it was changed or removed after it was written. { $count } entries checked.
audit-head = Hash of the newest entry (note it down to check later that nothing was cut off the end):
audit-when = When
audit-who = Who
audit-what = What
audit-target = About
audit-reason = Reason
audit-hash = Hash
audit-automated = automated
audit-empty = Nothing recorded yet.
nav-audit = Audit log
