### Forum: home, categories, threads, posts, reactions, the composer, history, bookmarks

## Home
home-title = Home
home-welcome = Welcome to the { $brand } community
home-intro = Ask questions, share what you know and meet other customers.
home-greeting = Good to see you, { $name }.
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

## Threads
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
pager-first = First
pager-last = Last post
pager-position = Posts { $first }–{ $last } of { $total }
directory-title = Members
directory-search = Name
directory-sort = Sort by
directory-sort-activity = Recently active
directory-sort-joined = Newest members
directory-sort-name = Name
directory-show = Show
directory-staff = { $department } team
directory-posts = { $count ->
    [one] 1 post
   *[other] { $count } posts
}
directory-joined = joined
directory-seen = seen
directory-more = The first { $count } are shown: search by name to find others.
directory-none = No member matches that name.
nav-members = Members
filter-label = Show
filter-all = All
filter-unanswered = Unanswered
filter-unsolved = Unsolved
filter-solved = Solved
filter-questions = Questions
filter-mine = My threads
filter-needs_staff = Needs a staff answer
thread-started-by = started by { $name }
thread-last-reply-by = last reply by { $name }
thread-answer-read = Read the whole answer (post #{ $number })
thread-tools = Thread tools
thread-pin = Pin
thread-unpin = Unpin
thread-pin-globally = Pin on the home page
thread-lock = Lock
thread-unlock = Unlock
thread-move = Move to
thread-locked-notice = This thread is locked: no new replies.
category-reply-everyone = Everyone may reply in { $category }.
category-reply-groups = Only members of { $groups } and staff reply in { $category }.
category-reply-staff = Only staff reply in { $category }.
category-reply-trust = Replying in { $category } needs trust level { $trust }; you reach it by taking part.
category-start-short-everyone = open to everyone
category-start-short-groups = { $groups } only
category-start-short-staff = staff only
category-start-short-trust = trust level { $trust } and up
watch-label = Notifications
watch-muted = Muted
watch-normal = Normal
watch-watching = Watching

## Posts, reactions and replies
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
composer-markdown-hint = Markdown works: **bold**, *italic*, lists, `code`, > quotes, @username, emoji such as :coffee: :+1: :heart: :smile: :check:.
composer-preview = Preview
field-category = Category
field-kind = Kind of thread
field-title = Title
field-body = Message
field-reason = Reason for the edit

## History and bookmarks
history-title = Edit history
history-version = Version { $version }
history-current = current
history-reason = reason
bookmarks-none = You have no bookmarks yet.
history-moderator = A moderator
thread-live-new = { $count ->
    [one] 1 new reply — show
   *[other] { $count } new replies — show
}
draft-save = Save draft
draft-saved = Draft saved
draft-restored = Your unsent draft is back.
mention-suggestions = Members to mention
filter-top_week = Top this week
filter-top_month = Top this month
filter-top_year = Top this year
filter-top_all = Top of all time
action-close = Close
member-posts = Posts
member-solutions = Solutions
member-reactions = Reactions received
profile-recent-posts = Recent posts
