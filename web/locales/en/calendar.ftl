events-title = Events
events-new = New event
events-category = Category
events-any = Any
events-format = Format
events-format-online = Online
events-format-in_person = In person
events-from = From
events-to = Until
events-filter = Show
events-none = No events in these dates yet.
event-in-person = In person
event-hosts = Hosted by { $names }
event-cancelled = Cancelled
event-moved = Moved
event-next = Next date
event-dates = All dates
event-going-count = { $count ->
    [one] 1 going
   *[other] { $count } going
}
event-waitlist-count = { $count } on the waitlist
event-places-left = { $count ->
    [0] Full: new answers join the waitlist
    [one] 1 place left
   *[other] { $count } places left
}
event-link = Join here:
event-link-later = The meeting link appears here 15 minutes before the start.
event-my-rsvp-going = You are going.
event-my-rsvp-interested = You are interested.
event-my-rsvp-not_going = You are not going.
event-my-rsvp-waitlisted = You are on the waitlist.
event-waitlist-position = Your place in it: { $position }. You get a place automatically when one frees up, and we tell you.
event-rsvp-going = Going
event-rsvp-interested = Interested
event-rsvp-not_going = Not going
event-withdraw = Withdraw my answer
event-login-to-rsvp = Log in to answer
event-rsvp-closed = Answers are closed for this date.
event-form-title = Title
event-form-body = Description (Markdown)
event-form-starts = Starts
event-form-ends = Ends
event-form-zone = Time zone (IANA name, e.g. Europe/Madrid)
event-form-online = Online meeting link
event-form-location = Place and address
event-form-where-hint = An online link, a place, or both. The link is shown only to those going, from 15 minutes before the start.
event-form-capacity = Places per date (empty: no limit)
event-form-recurrence = Repeats
event-form-recurrence-hint = Empty for a single date; weekly, biweekly, monthly (same weekday of the month), or an RRULE such as FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10.
event-form-occurrences = Number of dates (for a repeating event without an end)
event-form-deadline = Answers close at (optional)
event-form-hosts = Hosts (usernames, separated by commas; you when empty)
event-form-submit = Create event
event-recurrence-weekly = Every week
event-recurrence-biweekly = Every two weeks
event-recurrence-monthly = Every month, same weekday
