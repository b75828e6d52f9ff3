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
