### E-mail: subjects and lines of every mail (templates in web/templates/email)

## Every e-mail
mail-greeting = Hello { $name },
mail-open = Open the conversation
mail-footer = You get this e-mail because you are a member of the { $brand } community.
mail-unsubscribe = Unsubscribe from these e-mails

## Notifications
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
mail-rules-subject = The { $brand } community rules changed: “{ $title }”
mail-rules-line = { $actor } published a new version of the rule “{ $title }”:
mail-report_received-subject = Your report to the { $brand } moderators
mail-report_received-line = We received your report about “{ $title }” on the { $brand } community:
mail-report_received-next = The moderators will look at it and we will tell you the outcome at this address. The person you reported is not told who reported them.
mail-report_outcome-subject = The moderators of { $brand } decided on your report
mail-report_outcome-line = The moderators decided on your report about “{ $title }”. The decision and its reasons are in the public moderation log:

## Digests
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
mail-digest-rules = Community rules changed
mail-digest-report_outcome = Decision on your report

## Verification, password reset, e-mail change
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
mail-email_changed-subject = The e-mail address of your { $brand } account changed
mail-email_changed-line = The e-mail address of your { $brand } account is now { $email }. We send this to the old address so that you know.
mail-email_changed-undo = If you did not make this change, open this link within 7 days: it puts this address back, signs everyone out of the account and sends you a link to choose a new password.
mail-email_changed-button = This was not me: undo the change

mail-statement-subject = A moderation decision about you on { $brand }: the statement of reasons
mail-statement-line = A moderator of the { $brand } community took a decision that concerns you. Here is what was decided and why:
mail-digest-statement = Statement of reasons
mail-case-subject = Your case { $title } on { $brand } has news
mail-case-line = Your case { $title } moved (received, assigned, escalated or decided). Open it to see where it stands and what was decided:
mail-digest-case = A case of yours moved
mail-event_place-subject = A place at { $title } on { $brand } is yours
mail-event_place-line = A place came free at { $title } and it is yours: you were first on the waitlist. The event page has the details (and, for an online event, the link from 15 minutes before the start):
mail-digest-event_place = A place at an event is yours
mail-event_moved-subject = New time for { $title } on { $brand }
mail-event_moved-line = An event date you answered for moved. Its new time (shown on your clock, with the zone named): { $title }. Your calendar feed updates by itself; the event page has the details:
mail-digest-event_moved = An event date moved
mail-event_cancelled-subject = Cancelled: { $title } on { $brand }
mail-event_cancelled-line = An event you answered for was cancelled: { $title }. Your calendar feed marks it cancelled; the event page has the details:
mail-digest-event_cancelled = An event was cancelled
mail-event_reminder-subject = Reminder: { $title } on { $brand }
mail-event_reminder-line = An event you answered for starts soon: { $title }. The event page has the details (and, for an online event you are going to, the link from 15 minutes before):
mail-digest-event_reminder = An event starts soon
mail-event_follow_up-subject = After { $title } on { $brand }: recording and slides
mail-event_follow_up-line = Thank you for coming to { $title }. The hosts published the follow-up (the recording, the slides):
mail-digest-event_follow_up = The follow-up of an event you went to
mail-badge_granted-subject = You earned the badge { $title } on { $brand }
mail-badge_granted-line = Well done: you earned a badge.
mail-digest-badge_granted = A badge you earned
mail-badge_revoked-subject = The badge { $title } was taken back on { $brand }
mail-badge_revoked-line = A badge you held was taken back, with this reason:
mail-digest-badge_revoked = A badge taken back
mail-ambassador_nomination-subject = You are nominated as an ambassador of { $brand }
mail-ambassador_nomination-line = The community manager would like you to be an ambassador of the community, and says why:
mail-digest-ambassador_nomination = A nomination as an ambassador
