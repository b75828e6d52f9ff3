### Words every page shares: navigation, footer, languages, buttons

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
nav-latest = Latest
nav-events = Events
nav-bookmarks = Bookmarks
nav-categories = Categories
nav-breadcrumb = Breadcrumb
nav-pages = Pages
nav-notifications = { $count ->
    [0] Notifications
   *[other] Notifications ({ $count })
}
nav-jobs = Jobs

## Forms and buttons
field-optional = (optional)
language-auto = Same as my browser
language-en = English
language-es = Español
nav-user-menu = your menu
nav-more = More
nav-profile = My profile
nav-language = Language
nav-language-apply = Change
action-save = Save
notice-saved = Your changes are saved.
time-just-now = just now
time-minutes-ago = { $count } min ago
time-hours-ago = { $count } h ago
time-days-ago = { $count ->
    [one] yesterday
   *[other] { $count } days ago
}
action-next-page = Next page
action-more = More
action-previous = Previous
action-move = Move
action-up = Move up
action-down = Move down
action-create = Create
# A refused form: the page title's prefix and the summary of what to fix.
form-error-prefix = Error:
form-error-summary = Please correct the following:
