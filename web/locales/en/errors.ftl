### Error messages: `error-<code>` for every stable error code and form field problem

## Requests, sessions and permissions
error-title = Something went wrong
error-invalid-input = Some fields need your attention.
error-invalid-form = The form could not be read. Please reload the page and try again.
error-form-too-large = The form is too large.
error-invalid-json = The request body is not valid JSON of the expected shape.
error-expected-json = Send the request body as JSON (Content-Type: application/json).
error-body-too-large = The request body is too large.
error-invalid-query = The address contains an invalid parameter.
error-nul-character = The text contains a NUL character, which cannot be stored. Remove it and try again.
error-unauthenticated = Please log in to continue.
error-bad-credentials = That username or e-mail and password do not match.
error-forbidden = You do not have permission to do that.
error-csrf-failed = This form has expired or was sent from another site. Reload the page and try again.
error-not-found = We could not find that page.
error-rate-limited = Too many attempts. Please wait and try again.
error-rate-limited-seconds = Too many attempts. Try again in { $seconds } s.
error-internal = The server ran into a problem. It has been logged; please try again.
error-unavailable = The service is temporarily unavailable. Please try again shortly.

## Accounts
error-username-taken = That username is taken. Please choose another.
error-email-unavailable = This e-mail address cannot be used for a new account. If it is yours, log in instead.
error-last-admin = The last administrator cannot lose that role.
error-username-length = Usernames have 3 to 20 characters.
error-username-chars = Use letters, digits, "_", "-" or "." and start with a letter or digit.
error-email-invalid = Enter an e-mail address like name@example.com.
error-password-short = Passwords need at least 10 characters.
error-password-long = Passwords can have at most 256 characters.
error-login-long = A username or e-mail address has at most 254 characters.
error-password-is-username = Your password cannot be your username.
error-display-name-invalid = Display names have 1 to 60 characters.
error-token-name = Give the token a name of 1 to 60 characters.
error-token-cannot-mint = An API token cannot create more tokens: create them signed in, or with your password.
error-token-expiry = A token lasts 1 to 365 days, or until you revoke it.
error-locale-invalid = Choose one of the listed languages.
error-role-invalid = Choose one of the listed roles.
error-user-unknown = There is no member with that username.
error-department-long = Departments have at most 60 characters.
error-email-unverified = Please confirm your e-mail address before posting: we sent you a link.
error-token-invalid = This link is not valid, has expired or was already used. You can ask for a new one.

## Forum
error-title-length = Titles have 5 to 150 characters.
error-body-empty = Write something first.
error-body-long = Posts can have at most 32,000 characters.
error-kind-invalid = Choose a kind of thread from the list.
error-category-unknown = Choose one of the listed categories.
error-thread-locked = This thread is locked: no new replies.
error-reason-long = Keep the reason under 200 characters.
error-edit-conflict = Someone else edited this post at the same time. Reload it and try again.
error-rule-number-taken = Another rule has that number.
error-not-a-question = Only questions have accepted answers.
error-cannot-accept-question = The question itself cannot be its answer.
error-own-post = You cannot react to your own post.
error-invalid-cursor = That page link is not valid.
error-level-invalid = Choose muted, normal or watching.
error-action-invalid = That action is not known.
error-reaction-invalid = That reaction is not available.
error-rule-title = Rule titles have 3 to 120 characters.
error-rule-body = Write the rule's text (at most 10,000 characters).
error-rule-number = Rule numbers go from 1 to 999.
error-rule-unchanged = This version changes nothing: edit the title or the text.
error-rule-effective = A version takes effect from today up to a year ahead.
error-rules-not-accepted = Please read and accept the community rules to join.
error-report-target = There is nothing to report there (or you cannot see it).
error-report-reason = Choose a reason from the list.
error-report-text = Say what is wrong (at most 2,000 characters).
error-report-bona-fide = Reports of illegal content need the good-faith statement.
error-report-self = You cannot report yourself.
error-reason-required = Explain the decision: the people concerned will read it.
error-not-allowed = You cannot decide this item: you are involved in it, it is resolved, or it waits for the community manager.
error-stale-version = This item changed since you loaded it. Reload the queue and look again.
error-claimed-by-other = Another moderator is working on this item.
error-decision-action = Choose an action that applies to this item: hide, delete, edit, approve or reject held content, keep, dismiss or escalate.

## Categories and groups
error-category-name = Category names have 1 to 60 characters.
error-slug-taken = Another category already uses that address.
error-parent-invalid = The parent must be a top-level category other than this one, and a category with subcategories cannot become one.
error-visibility-invalid = Choose public, members only or private.
error-group-unknown = One of those groups does not exist.
error-private-needs-group = A private category needs at least one group.
error-group-name = Group names have 2 to 40 characters and no commas.
error-group-taken = A group with that name already exists.

## Notifications
error-invalid-unsubscribe-link = This unsubscribe link is not valid.
error-preference-invalid = Choose one of the listed options.
error-rule-required = A restrictive decision must cite a rule in force (its id and version) and explain itself.
error-already-sanctioned = This member already has a sanction of that kind in force.
error-silenced = A moderator has silenced your account for a while: you can read but not post. Why, for how long and how to appeal: see your statements of reasons at /me/statements.
error-suspended = Your account is suspended: you can only read your statements of reasons at /me/statements, which say why, for how long and how to appeal.
error-sanction-kind = Choose warning, silence, suspension or ban.
error-sanction-days = A silence or suspension lasts 1 to 365 days.
error-watched-word-blocked = This text contains words the community does not allow.
error-watched-word = “{ $word }” is not allowed here (rule { $rule }). Please rephrase.
error-watched-word-pattern = Write a word or phrase (letters, digits, spaces; * matches the rest of a word), up to 100 characters.
error-watched-word-action = Choose hold, flag, replace or block.
error-watched-word-replacement = Give the text that replaces it.
error-watched-word-taken = That word or phrase is already watched.
error-setting-unknown = There is no such setting.
error-setting-range = Give a whole number from { $min } to { $max }.
error-trust-level = Choose a trust level from 0 to 4.
error-reports-paused = Most of your recent reports were found unfounded, so your reports are paused for a while (EU Digital Services Act, Art. 23). You can still write to the community manager.
error-already-appealed = You already appealed this decision: each decision can be appealed once. Your case page shows where it stands.
error-conflict-of-interest = You had a part in this decision (you decided, claimed or reported it, or it is about you), so you cannot review its appeal. Another moderator or the community manager will.
error-case-closed = This case is already decided, inadmissible or withdrawn.
error-appeal-text = Say why the decision is wrong (up to 2,000 characters).
error-appeal-what = Name the statement of reasons (or the decision) you appeal.
error-appeal-shorter = Give a number of days, from 1 to 365, shorter than the sanction's term.
error-case-outcome = Choose upheld, modified, overturned or inadmissible.
error-case-modify = Only a sanction with a term (shortened with "days") or a deletion (made a hide) can be modified; otherwise uphold or overturn it.
error-case-transition = A case can only be escalated (by its reviewer) or withdrawn (by its appellant).
