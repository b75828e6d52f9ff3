### Accounts: registration, login, profile, sessions, tokens, verification, password reset, e-mail change

## Registration and login
field-username = Username
field-email = E-mail address
field-display-name = Display name
field-password = Password
field-login = Username or e-mail
field-language = Language
register-title = Create your account
register-submit = Create account
register-password-hint = At least 10 characters. A sentence you remember is a good password.
register-accept-rules = I have read and accept the
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
profile-threads = Threads started

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
tokens-expires = Expires
tokens-until-revoked = When revoked
tokens-days = In { $days } days
tokens-new = New token
tokens-create = Create token

## Verification, password reset, e-mail change
verify-banner = Please confirm your e-mail address: we sent you a link. Until then you can read but not post.
verify-resend = Send the link again
verify-sent = We sent a new confirmation link to your address.
verify-title = Confirm your e-mail address
verify-confirm = Confirm
verify-done = Thank you: your address is confirmed.
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
email-undo-title = Undo the change of address
email-undo-line = This puts the previous e-mail address back on the account, signs everyone out (every session and API token) and sends a link to choose a new password to that address.
email-undo-button = Undo the change and sign everyone out
email-undo-done = The previous address is back and everyone is signed out. Check that inbox for a link to choose a new password.
field-time-zone = Time zone
field-time-zone-hint = An IANA name such as Europe/Madrid or America/Bogota: event times are shown and notified on this clock. Empty: your browser's.
