### Notifications: the list, preferences, unsubscribe

## Notifications
notifications-title = Notifications
notifications-none = Nothing yet. Replies, mentions and answers will show up here.
notifications-read-all = Mark all as read
notifications-preferences = Notification settings
notifications-older = Older
notifications-all = All notifications
notification-reply = { $actor } replied to your thread “{ $title }”
notification-watched = { $actor } posted in “{ $title }”
notification-mention = { $actor } mentioned you in “{ $title }”
notification-quote = { $actor } answered your post in “{ $title }”
notification-reaction = { $others ->
    [0] { $actor } reacted to your post in “{ $title }”: { $reactions }
    [one] { $actor } and one other member reacted to your post in “{ $title }”: { $reactions }
   *[other] { $actor } and { $others } other members reacted to your post in “{ $title }”: { $reactions }
}
notification-reaction-unnamed = { $actor } reacted to your post in “{ $title }”
notification-accepted = { $actor } accepted your answer in “{ $title }”
notification-official = { $actor } posted the official answer in “{ $title }”
notification-rules = The community rules changed: “{ $title }”
notification-report_outcome = The moderators decided on your report about “{ $title }”

## Preferences
preferences-title = Notification settings
preferences-intro = Choose how each kind of notification reaches you.
kind-label-reply = Replies to my threads
kind-label-watched = New posts in threads and categories I watch
kind-label-mention = Mentions of me
kind-label-quote = Answers to my posts
kind-label-reaction = Reactions to my posts
kind-label-accepted = My answer accepted
kind-label-official = Official answers where I took part
kind-label-rules = Significant changes to the community rules
kind-label-report_outcome = Decisions on my reports
delivery-off = Off
delivery-in_app = In the app only
delivery-email = E-mail right away
delivery-daily = Daily digest
delivery-weekly = Weekly digest

## Unsubscribe
unsubscribe-title = Unsubscribe
unsubscribe-confirm = Stop these e-mails? You will still see the notifications in the app.
unsubscribe-button = Unsubscribe
unsubscribe-done = Done: you will not get these e-mails any more. You can change this in your notification settings.
notification-statement = A moderator's decision about “{ $title }”: read the statement of reasons
kind-label-statement = Statements of reasons (always delivered)
notification-case = Your case { $title } has news: open it to see where it stands
kind-label-case = My appeals and cases
notification-event_place = A place at { $title } is yours: you were first on the waitlist
kind-label-event_place = A place at an event I was waiting for
notification-event_moved = A date you answered for moved: { $title }
kind-label-event_moved = An event date I answered for moved
notification-event_cancelled = An event you answered for was cancelled: { $title }
kind-label-event_cancelled = An event I answered for was cancelled
notification-event_reminder = Starting soon: { $title }
kind-label-event_reminder = Reminders of events I answered for
notification-event_follow_up = The follow-up of { $title } is out: recording and slides
kind-label-event_follow_up = Follow-ups of events I went to
notification-badge_granted = You earned a badge: { $title }
kind-label-badge_granted = Badges I earn
notification-badge_revoked = A badge was taken back: { $title }
kind-label-badge_revoked = Badges taken back
notification-ambassador_nomination = You are nominated as an ambassador of the community
kind-label-ambassador_nomination = Ambassador nominations
