## Navigation and layout
nav-skip = Skip to content
nav-label = Main
nav-home = Home
nav-login = Log in
nav-register = Sign up
nav-logout = Log out
nav-sessions = Sessions
nav-tokens = API tokens
nav-admin = Admin
footer-powered = Powered by Tertulia, the community platform that belongs to its members.

## Home
home-title = Home
home-welcome = Welcome to the { $brand } community
home-intro = Ask questions, share what you know and meet other customers.
home-greeting = Good to see you, { $name }.

## Forms
field-username = Username
field-email = E-mail address
field-display-name = Display name
field-optional = (optional)
field-password = Password
field-login = Username or e-mail
field-language = Language
language-auto = Same as my browser
language-en = English
language-es = Español
action-save = Save
action-next-page = Next page

## Registration and login
register-title = Create your account
register-submit = Create account
register-password-hint = At least 10 characters. A sentence you remember is a good password.
register-have-account = Already have an account?
login-title = Log in
login-submit = Log in
login-no-account = New here?

## Profile
profile-role = Role
profile-trust-level = Trust level
profile-joined = Joined
profile-settings = Your settings
role-member = Member
role-moderator = Moderator
role-community_manager = Community manager
role-admin = Administrator

## Sessions and tokens
sessions-title = Your sessions
sessions-intro = These devices are logged in to your account. Revoke any you do not recognise.
sessions-device = Device
sessions-address = Address
sessions-last-seen = Last active
sessions-actions = Actions
sessions-unknown-device = Unknown device
sessions-this-one = this device
sessions-revoke = Revoke
sessions-revoke-all = Log out everywhere
tokens-title = API tokens
tokens-intro = Tokens let your own tools use the API on your behalf. Send one as "Authorization: Bearer <token>".
tokens-created = Your new token. Copy it now: it will not be shown again.
tokens-name = Name
tokens-created-at = Created
tokens-last-used = Last used
tokens-never = Never
tokens-new = New token
tokens-create = Create token

## Administration
admin-users-title = Members and roles

## Errors
error-title = Something went wrong
error-invalid-input = Some fields need your attention.
error-invalid-form = The form could not be read. Please reload the page and try again.
error-form-too-large = The form is too large.
error-invalid-json = The request body is not valid JSON of the expected shape.
error-expected-json = Send the request body as JSON (Content-Type: application/json).
error-body-too-large = The request body is too large.
error-invalid-query = The address contains an invalid parameter.
error-unauthenticated = Please log in to continue.
error-bad-credentials = That username or e-mail and password do not match.
error-forbidden = You do not have permission to do that.
error-csrf-failed = This form has expired or was sent from another site. Reload the page and try again.
error-not-found = We could not find that page.
error-username-taken = That username is taken. Please choose another.
error-email-unavailable = This e-mail address cannot be used for a new account. If it is yours, log in instead.
error-rate-limited = Too many attempts. Please wait and try again.
error-rate-limited-seconds = Too many attempts. Try again in { $seconds } s.
error-internal = The server ran into a problem. It has been logged; please try again.
error-unavailable = The service is temporarily unavailable. Please try again shortly.
error-last-admin = The last administrator cannot lose that role.
error-username-length = Usernames have 3 to 20 characters.
error-username-chars = Use letters, digits, "_", "-" or "." and start with a letter or digit.
error-email-invalid = Enter an e-mail address like name@example.com.
error-password-short = Passwords need at least 10 characters.
error-password-long = Passwords can have at most 256 characters.
error-password-is-username = Your password cannot be your username.
error-display-name-invalid = Display names have 1 to 60 characters.
error-token-name = Give the token a name of 1 to 60 characters.
error-locale-invalid = Choose one of the listed languages.
error-role-invalid = Choose one of the listed roles.

## Forum
nav-latest = Latest
nav-bookmarks = Bookmarks
nav-categories = Categories
nav-breadcrumb = Breadcrumb
nav-pages = Pages
home-latest = Latest
home-categories = Categories
home-new-since = { $count ->
    [0] Nothing new since your last visit.
    [one] One thread has new posts since your last visit.
   *[other] { $count } threads have new posts since your last visit.
}
category-threads = { $count ->
    [one] 1 thread
   *[other] { $count } threads
}
category-top-level = (top level)
visibility-public = Public
visibility-members = Members only
visibility-private = Private
kind-discussion = Discussion
kind-question = Question
kind-announcement = Announcement
thread-new = New thread
thread-create = Publish
thread-none = No threads here yet.
thread-pinned = Pinned
thread-locked = Locked
thread-solved = Solved
thread-question = Question
thread-official-answer = Official answer
thread-unread = { $count } new
thread-replies = { $count ->
    [one] 1 reply
   *[other] { $count } replies
}
thread-views = { $count ->
    [one] 1 view
   *[other] { $count } views
}
thread-jump-unread = Jump to the first unread post
thread-answers = Answers
thread-tools = Thread tools
thread-pin = Pin
thread-unpin = Unpin
thread-lock = Lock
thread-unlock = Unlock
thread-move = Move to
thread-locked-notice = This thread is locked: no new replies.
watch-label = Notifications
watch-muted = Muted
watch-normal = Normal
watch-watching = Watching
post-official = Official answer · { $department }
post-accepted = Accepted answer
post-reply-to = In reply to #{ $number }
post-edited = edited (version { $version })
post-bookmark = Bookmark
post-unbookmark = Remove bookmark
post-quote = Quote
post-edit = Edit
post-accept = Accept as answer
post-unaccept = Unaccept answer
reaction-like = Like
reaction-love = Love
reaction-laugh = Funny
reaction-thanks = Thanks
reaction-insightful = Insightful
reply-title = Your reply
reply-submit = Reply
reply-official = Publish as the brand's official answer
reply-login = Log in to reply
composer-markdown-hint = Markdown works: **bold**, *italic*, lists, `code`, > quotes, @username.
composer-preview = Preview
field-category = Category
field-kind = Kind of thread
field-title = Title
field-body = Message
field-reason = Reason for the edit
field-name = Name
field-slug = Address (slug)
field-description = Description
field-parent = Parent category
field-visibility = Who can see it
field-groups = Groups (for private categories)
history-title = Edit history
history-version = Version { $version }
history-current = current
history-reason = reason
bookmarks-none = You have no bookmarks yet.
admin-categories-title = Categories
admin-category-new = New category
admin-groups-title = Groups
admin-group-new = New group
group-members = Members
group-no-members = nobody yet
group-add = Add
group-remove = Remove
action-more = More
action-previous = Previous
action-move = Move
action-up = Move up
action-down = Move down
action-create = Create
error-title-length = Titles have 5 to 150 characters.
error-body-empty = Write something first.
error-body-long = Posts can have at most 32,000 characters.
error-kind-invalid = Choose a kind of thread from the list.
error-category-unknown = Choose one of the listed categories.
error-thread-locked = This thread is locked: no new replies.
error-reason-long = Keep the reason under 200 characters.
error-edit-conflict = Someone else edited this post at the same time. Reload it and try again.
error-not-a-question = Only questions have accepted answers.
error-cannot-accept-question = The question itself cannot be its answer.
error-own-post = You cannot react to your own post.
error-invalid-cursor = That page link is not valid.
error-level-invalid = Choose muted, normal or watching.
error-action-invalid = That action is not known.
error-reaction-invalid = That reaction is not available.
error-category-name = Category names have 1 to 60 characters.
error-slug-taken = Another category already uses that address.
error-parent-invalid = The parent must be a top-level category other than this one, and a category with subcategories cannot become one.
error-visibility-invalid = Choose public, members only or private.
error-group-unknown = One of those groups does not exist.
error-private-needs-group = A private category needs at least one group.
error-group-name = Group names have 2 to 40 characters and no commas.
error-group-taken = A group with that name already exists.
error-user-unknown = There is no member with that username.
field-department = Department (brand staff)
error-department-long = Departments have at most 60 characters.
profile-threads = Threads started

## Notifications
nav-notifications = { $count ->
    [0] Notifications
   *[other] Notifications ({ $count })
}
notifications-title = Notifications
notifications-none = Nothing yet. Replies, mentions and answers will show up here.
notifications-read-all = Mark all as read
notifications-preferences = Notification settings
notifications-older = Older
notification-reply = { $actor } replied to your thread “{ $title }”
notification-watched = { $actor } posted in “{ $title }”
notification-mention = { $actor } mentioned you in “{ $title }”
notification-quote = { $actor } answered your post in “{ $title }”
notification-reaction = { $actor } reacted to your post in “{ $title }”
notification-accepted = { $actor } accepted your answer in “{ $title }”
notification-official = { $actor } posted the official answer in “{ $title }”
preferences-title = Notification settings
preferences-intro = Choose how each kind of notification reaches you.
preferences-saved = Saved.
kind-label-reply = Replies to my threads
kind-label-watched = New posts in threads and categories I watch
kind-label-mention = Mentions of me
kind-label-quote = Answers to my posts
kind-label-reaction = Reactions to my posts
kind-label-accepted = My answer accepted
kind-label-official = Official answers where I took part
delivery-off = Off
delivery-in_app = In the app only
delivery-email = E-mail right away
delivery-daily = Daily digest
delivery-weekly = Weekly digest
unsubscribe-title = Unsubscribe
unsubscribe-confirm = Stop these e-mails? You will still see the notifications in the app.
unsubscribe-button = Unsubscribe
unsubscribe-done = Done: you will not get these e-mails any more. You can change this in your notification settings.
error-invalid-unsubscribe-link = This unsubscribe link is not valid.
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

## E-mail
mail-greeting = Hello { $name },
mail-open = Open the conversation
mail-footer = You get this e-mail because you are a member of the { $brand } community.
mail-unsubscribe = Unsubscribe from these e-mails
mail-reply-subject = { $actor } replied to “{ $title }”
mail-reply-line = { $actor } replied to your thread “{ $title }”:
mail-watched-subject = New post in “{ $title }”
mail-watched-line = { $actor } posted in “{ $title }”, which you watch:
mail-mention-subject = { $actor } mentioned you in “{ $title }”
mail-mention-line = { $actor } mentioned you in “{ $title }”:
mail-quote-subject = { $actor } answered your post in “{ $title }”
mail-quote-line = { $actor } answered your post in “{ $title }”:
mail-reaction-subject = { $actor } reacted to your post in “{ $title }”
mail-reaction-line = { $actor } reacted to your post in “{ $title }”:
mail-accepted-subject = Your answer in “{ $title }” was accepted
mail-accepted-line = { $actor } accepted your answer in “{ $title }”:
mail-official-subject = { $brand } answered officially in “{ $title }”
mail-official-line = { $actor } posted the official answer in “{ $title }”:
mail-digest-daily-subject = Your daily summary from { $brand } ({ $count })
mail-digest-weekly-subject = Your weekly summary from { $brand } ({ $count })
mail-digest-intro = { $count ->
    [one] One thing happened since the last summary:
   *[other] { $count } things happened since the last summary:
}
mail-digest-reply = Reply
mail-digest-watched = New post
mail-digest-mention = Mention
mail-digest-quote = Answer to your post
mail-digest-reaction = Reaction
mail-digest-accepted = Accepted answer
mail-digest-official = Official answer
mail-verify-subject = Confirm your e-mail address for { $brand }
mail-verify-line = Confirm your address to start posting in the { $brand } community:
mail-verify-button = Confirm my address
mail-verify-ignore = If you did not sign up, ignore this e-mail.
mail-reset-subject = Reset your { $brand } password
mail-reset-line = Someone asked to reset the password of your { $brand } account. The link works once, for one hour:
mail-reset-button = Choose a new password
mail-reset-ignore = If it was not you, ignore this e-mail: your password stays the same.
mail-change_email-subject = Confirm your new e-mail address for { $brand }
mail-change_email-line = Confirm that this is the new address of your { $brand } account:
mail-change_email-button = Confirm the new address
mail-change_email-ignore = If you did not ask for this, ignore this e-mail: nothing changes.

## Verification, password reset, e-mail change
verify-banner = Please confirm your e-mail address: we sent you a link. Until then you can read but not post.
verify-resend = Send the link again
verify-sent = We sent a new confirmation link to your address.
verify-title = Confirm your e-mail address
verify-confirm = Confirm
verify-done = Thank you: your address is confirmed.
error-email-unverified = Please confirm your e-mail address before posting: we sent you a link.
error-token-invalid = This link is not valid, has expired or was already used. You can ask for a new one.
forgot-title = Forgot your password?
forgot-intro = Enter the e-mail address of your account and we will send you a link to choose a new password.
forgot-submit = Send the link
forgot-sent = If an account uses that address, we have sent it a link. It works once, for one hour.
forgot-link = Forgot your password?
reset-title = Choose a new password
reset-submit = Save the new password
reset-done = Your password has changed and every session was logged out. Log in with the new password.
email-change-title = Change your e-mail address
email-change-new = New e-mail address
email-change-password = Your current password
email-change-submit = Send a confirmation link
email-change-sent = We sent a confirmation link to the new address. Your address changes when you open it.
email-change-done = Your e-mail address has changed.
nav-jobs = Jobs
error-preference-invalid = Choose one of the listed options.
