## connectid sign-in pages, messages and assets — English (the reference locale).
## Every other locale must have every message this file has (a test checks it).
## Terminology (seed 001): "Sign in", "Sign out", "Signed in as"; never "username" or "login".
## Keep { $variables } as they are; translate the words around them.

brand = CONNECT ID
language = Language

## The first screen (data-step="identifier")
signin-title = Sign in
identifier-label-phone = Phone number
identifier-label-email = Email
identifier-label-phone-or-email = Phone number or email
identifier-label-email-or-phone = Email or phone number
identifier-placeholder-email = name@example.com
identifier-locked = This service asked you to sign in with this phone number or email.
remember = Stay signed in
button-next = Next

## Password (data-step="password")
password-title = Enter your password
signing-in-as = Signing in as { $identifier }
password-label = Password
button-signin = Sign in
not-you = Not you? Use another phone number or email
forgot-password = Forgot your password?

## One-time code (data-step="code")
code-title = Enter the code
code-sent = We sent a 6-digit code to { $identifier }.
code-label = Code
button-continue = Continue
code-resend = Send a new code

## Choose a password (data-step="set-password")
set-password-title = Choose a password
set-password-for = For { $identifier }.
password-rules = At least { $min ->
    [one] { $min } character
   *[other] { $min } characters
  }. Avoid common passwords.
new-password-label = New password
strength-label = Password strength
strength-0 = Very weak
strength-1 = Weak
strength-2 = Fair
strength-3 = Good
strength-4 = Strong

## Add an email (data-step="add-email")
add-email-title = Add your email
add-email-text = { $client } needs an email address for your account. We will send a code to check it.
email-label = Email

## Consent (data-step="consent")
consent-title = Allow { $client } to use your account?
signed-in-as = Signed in as { $identifier }
scope-openid = Know that it is you
scope-profile = Your name and language
scope-email = Your email address
scope-phone = Your phone number
scope-offline_access = Stay connected when you are not using it
scope-device_sso = Keep you signed in to the publisher's other apps on this device
button-allow = Allow
button-deny = Deny

## Signing out
logout-title = Sign out of CONNECT ID?
button-signout = Sign out
signed-out-title = You are signed out
signed-out-text = You have signed out of CONNECT ID on this device.
signed-out-everywhere-title = You are signed out on every device
signed-out-everywhere-text = Every session of your CONNECT ID account has ended: on this device, on your other devices and in every service.
signed-out-signin-again = Sign in again

## Error pages (data-step="error")
error-title = Something went wrong
error-details-label = Details for the service's developers:
error-reference = Reference: { $id }
error-bad-request = The service sent a sign-in request that CONNECT ID cannot accept. Go back to the service and try again.
error-unknown-client = This service is not registered with CONNECT ID.
error-signin-expired = This sign-in has expired. Go back to the service and start again.
error-other-browser = This sign-in was started in another browser. Go back to the service and start again.
error-form-expired = The form has expired. Go back and try again.
error-server = Something went wrong on our side. Please try again.
error-answer-not-sent = The answer could not be sent to the service.
error-not-found = This page does not exist.
error-account-locked = Your CONNECT ID account is locked. Contact the service's support to have it unlocked.

## Messages shown above a form (role="alert")
err-identifier-empty = Enter a phone number or an email address.
err-identifier-phone = This is not a valid phone number.
err-identifier-email = This is not a valid email address.
err-enter-phone = Enter a phone number.
err-enter-email = Enter an email address.
err-locked = Use the phone number or email of the account you are signed in with, or choose “Not you?”.
err-hint-locked = Use the phone number or email this service asked for.
err-no-sms = This service does not send SMS codes. Sign in with your email and password.
err-sms-refused = We can't send a code by SMS to this number.
err-sms-refused-email = We can't send a code by SMS to this number. Sign in with your email address instead.
err-sms-challenge = Before we send a code, your browser checks that you are a person. This takes a moment.
challenge-working = Checking…
challenge-noscript = This check needs JavaScript. Without it, sign in with your email address or password instead.
err-sms-budget = No more codes can be sent by SMS today. Try again tomorrow.
err-resend-wait = A code was just sent. Wait { $seconds ->
    [one] { $seconds } second
   *[other] { $seconds } seconds
  } before asking for a new one.
err-too-many-sends = Too many codes were sent to this number or address. Try again in an hour.
err-send-failed = The code could not be sent. Try again in a moment.
err-unavailable = This can't be done right now. Try again in a few minutes.
err-too-many-passwords = Too many wrong passwords. Wait { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
  } and try again.
err-too-many-attempts = Too many attempts. Wait { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
  } and try again.
err-password-wrong = The password is not correct. Try again.
err-code-expired = The code has expired. Ask for a new one.
err-code-too-many = Too many wrong codes. Ask for a new one.
err-code-wrong = The code is not correct. Check it and try again.
err-conflict = Something changed meanwhile. Try again.
err-password-short = The password must be at least { $min ->
    [one] { $min } character
   *[other] { $min } characters
  }.
err-password-long = The password is too long (at most 128 bytes).
err-password-common = This password is too common. Choose another.
err-password-weak = This password is too easy to guess. Make it longer or less predictable.
err-password-identifier = The password must not be your phone number or email.
err-email-taken = This email belongs to another account. Use another email.

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = Your CONNECT ID code is { $code }. It expires in 5 minutes.
email-code-subject = Your CONNECT ID code
email-code-body = Your CONNECT ID code is { $code }. It expires in 5 minutes. If you did not try to sign in, you can ignore this email.
password-changed-subject = Your CONNECT ID password was changed
password-changed-body = The password of your CONNECT ID account was changed. If this was not you, reset your password at once.

## The "Sign in with CONNECT ID" button
signin-button = Sign in with CONNECT ID

## The flow previewer (/flow-previewer), for services' developers
previewer-title = Flow previewer
previewer-intro = See each sign-in step as people will see it with your service's settings. Nothing is sent and no one is signed in.
previewer-client-id = Client ID of a registered service
previewer-metadata = Or paste client metadata (JSON)
previewer-step = Step
previewer-login-hint = Phone number or email to fill in (login_hint)
previewer-locked = Only this phone number or email may sign in (login_hint_locked)
previewer-show = Show preview
previewer-banner = Preview of the “{ $step }” step. Forms here send nothing.
previewer-back = Change the settings
previewer-unknown-client = No service is registered with this client ID.
previewer-need-client = Enter a client ID or paste client metadata.
previewer-invalid-metadata = This client metadata is not valid.

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = My account
account-nav = Account
account-phones = Phone numbers
account-emails = Email addresses
account-none = None yet
account-unverified = Not verified
account-remove = Remove
account-remove-label = Remove { $identifier }
account-add-phone = Add a phone number
account-add-email = Add an email address
account-add-text = We will send a code to check it.
account-password = Password
account-password-change = Change password
account-password-set = Choose a password
account-password-none = You sign in with codes only.
account-services = Connected services
account-services-text = Services you have signed in to with CONNECT ID. Disconnecting a service signs you out of it; it will ask you to sign in again.
account-services-none = No services are connected to your account.
account-services-manage = See and disconnect your services
account-disconnect = Disconnect
account-disconnect-label = Disconnect { $service }
account-signout-everywhere = Sign out on every device
account-signout-everywhere-text = Ends your sessions on every device and in every service, including this one.
account-delete = Delete account
account-delete-text = Your account, its phone numbers and its email addresses will be deleted, and you will be signed out of every service. This cannot be undone.
account-delete-confirm = Delete my account
account-deleted-title = Your account was deleted
account-deleted-text = Your CONNECT ID account and everything stored with it are gone.
account-back = Back to { $service }
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = Remove { $identifier }?
account-remove-text = You will no longer be able to sign in with { $identifier }, and no codes will be sent to it.
account-remove-confirm = Remove it
account-reauth-reason = To change your account, first confirm that it is you.
button-cancel = Cancel
button-save = Save
button-add = Add
notice-password-changed = Your password was changed. You were signed out on your other devices.
notice-identifier-added = { $identifier } was added to your account.
notice-identifier-removed = { $identifier } was removed from your account.
notice-service-disconnected = { $service } was disconnected.
err-last-identifier = You cannot remove your last phone number or email address.
err-identifier-taken = This phone number or email address belongs to another account.
err-identifier-known = This phone number or email address is already on your account.
identifier-added-subject = A new phone number or email was added to your CONNECT ID
identifier-added-body = { $identifier } was added to your CONNECT ID account. If this was not you, sign in and remove it, and change your password.

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = Continue as { $identifier }?
preauth-text = { $service } opens a page for you, signed in with your CONNECT ID. Continue only if you opened it from the app yourself.
error-link-used = This link has expired or has already been used. Go back to the app and try again.

## The start page (/): data-step="home"
home-text = Services send you here to sign in with your CONNECT ID. You can also manage your account here.
home-demo = Try the demo services
home-discovery = OpenID Connect discovery (for developers)
