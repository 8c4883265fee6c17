## connectid sign-in pages, messages and assets — Bengali (bn).
## Terminology: "সাইন ইন", "সাইন আউট", "… হিসেবে সাইন ইন করা আছে"; never "লগ ইন" or "ইউজারনেম".
## The noun is hyphenated: "সাইন-ইন", "সাইন-ইনের", "সাইন-ইনটি"; the verb is not: "সাইন ইন করুন".
## Polite "আপনি", as Bengali consumer apps and banks use.

brand = CONNECT ID
language = ভাষা

## The first screen (data-step="identifier")
signin-title = সাইন ইন করুন
identifier-label-phone = ফোন নম্বর
identifier-label-email = ইমেল
identifier-label-phone-or-email = ফোন নম্বর বা ইমেল
identifier-label-email-or-phone = ইমেল বা ফোন নম্বর
identifier-placeholder-email = name@example.com
identifier-locked = এই পরিষেবাটি আপনাকে এই ফোন নম্বর বা ইমেল দিয়ে সাইন ইন করতে বলেছে।
remember = সাইন ইন করে থাকুন
button-next = পরবর্তী

## Password (data-step="password")
password-title = আপনার পাসওয়ার্ড লিখুন
signing-in-as = { $identifier } হিসেবে সাইন ইন করা হচ্ছে
password-label = পাসওয়ার্ড
button-signin = সাইন ইন করুন
not-you = আপনি নন? অন্য ফোন নম্বর বা ইমেল ব্যবহার করুন
forgot-password = পাসওয়ার্ড ভুলে গেছেন?

## One-time code (data-step="code")
code-title = কোডটি লিখুন
code-sent = আমরা { $identifier }-এ একটি ৬-সংখ্যার কোড পাঠিয়েছি।
code-label = কোড
button-continue = চালিয়ে যান
code-resend = নতুন কোড পাঠান

## Choose a password (data-step="set-password")
set-password-title = পাসওয়ার্ড তৈরি করুন
set-password-for = { $identifier }-এর জন্য।
password-rules = কমপক্ষে { $min ->
    [one] { $min }টি অক্ষর
   *[other] { $min }টি অক্ষর
  }। সাধারণ পাসওয়ার্ড এড়িয়ে চলুন।
new-password-label = নতুন পাসওয়ার্ড
strength-label = পাসওয়ার্ডের শক্তি
strength-0 = খুব দুর্বল
strength-1 = দুর্বল
strength-2 = মোটামুটি
strength-3 = ভালো
strength-4 = শক্তিশালী

## Add an email (data-step="add-email")
add-email-title = আপনার ইমেল যোগ করুন
add-email-text = আপনার অ্যাকাউন্টের জন্য { $client }-এর একটি ইমেল ঠিকানা প্রয়োজন। এটি যাচাই করতে আমরা একটি কোড পাঠাব।
email-label = ইমেল

## Consent (data-step="consent")
consent-title = { $client }-কে আপনার অ্যাকাউন্ট ব্যবহার করার অনুমতি দেবেন?
signed-in-as = { $identifier } হিসেবে সাইন ইন করা আছে
scope-openid = এটি যে আপনিই, তা জানা
scope-profile = আপনার নাম ও ভাষা
scope-email = আপনার ইমেল ঠিকানা
scope-phone = আপনার ফোন নম্বর
scope-offline_access = আপনি ব্যবহার না করার সময়েও সংযুক্ত থাকা
scope-device_sso = এই ডিভাইসে একই প্রকাশকের অন্য অ্যাপগুলিতে আপনাকে সাইন ইন রাখা
button-allow = অনুমতি দিন
button-deny = প্রত্যাখ্যান করুন

## Signing out
logout-title = CONNECT ID থেকে সাইন আউট করবেন?
button-signout = সাইন আউট করুন
signed-out-title = আপনি সাইন আউট করেছেন
signed-out-text = আপনি এই ডিভাইসে CONNECT ID থেকে সাইন আউট করেছেন।
signed-out-everywhere-title = সব ডিভাইস থেকে আপনাকে সাইন আউট করা হয়েছে
signed-out-everywhere-text = আপনার CONNECT ID অ্যাকাউন্টের সব সেশন শেষ হয়েছে: এই ডিভাইসে, আপনার অন্যান্য ডিভাইসে এবং সব পরিষেবায়।
signed-out-signin-again = আবার সাইন ইন করুন

## Error pages (data-step="error")
error-title = কোনো সমস্যা হয়েছে
error-details-label = পরিষেবার ডেভেলপারদের জন্য বিস্তারিত তথ্য:
error-reference = রেফারেন্স: { $id }
error-bad-request = পরিষেবাটি এমন একটি সাইন-ইন অনুরোধ পাঠিয়েছে যা CONNECT ID গ্রহণ করতে পারে না। পরিষেবাটিতে ফিরে গিয়ে আবার চেষ্টা করুন।
error-unknown-client = এই পরিষেবাটি CONNECT ID-তে নিবন্ধিত নয়।
error-signin-expired = এই সাইন-ইনের মেয়াদ শেষ হয়ে গেছে। পরিষেবাটিতে ফিরে গিয়ে আবার শুরু করুন।
error-other-browser = এই সাইন-ইনটি অন্য একটি ব্রাউজারে শুরু করা হয়েছিল। পরিষেবাটিতে ফিরে গিয়ে আবার শুরু করুন।
error-form-expired = ফর্মটির মেয়াদ শেষ হয়ে গেছে। ফিরে গিয়ে আবার চেষ্টা করুন।
error-server = আমাদের দিক থেকে কোনো সমস্যা হয়েছে। অনুগ্রহ করে আবার চেষ্টা করুন।
error-answer-not-sent = পরিষেবাটিতে উত্তর পাঠানো যায়নি।
error-not-found = এই পৃষ্ঠাটির কোনো অস্তিত্ব নেই।
error-account-locked = আপনার CONNECT ID অ্যাকাউন্ট লক করা আছে। এটি আনলক করাতে পরিষেবাটির সহায়তা বিভাগের সাথে যোগাযোগ করুন।

## Messages shown above a form (role="alert")
err-identifier-empty = একটি ফোন নম্বর বা ইমেল ঠিকানা লিখুন।
err-identifier-phone = এটি কোনো বৈধ ফোন নম্বর নয়।
err-identifier-email = এটি কোনো বৈধ ইমেল ঠিকানা নয়।
err-enter-phone = একটি ফোন নম্বর লিখুন।
err-enter-email = একটি ইমেল ঠিকানা লিখুন।
err-locked = যে অ্যাকাউন্টে আপনি সাইন ইন করে আছেন, তার ফোন নম্বর বা ইমেল ব্যবহার করুন, অথবা “আপনি নন?” বেছে নিন।
err-hint-locked = এই পরিষেবাটি যে ফোন নম্বর বা ইমেল চেয়েছে, সেটি ব্যবহার করুন।
err-no-sms = এই পরিষেবাটি SMS-এ কোড পাঠায় না। আপনার ইমেল ও পাসওয়ার্ড দিয়ে সাইন ইন করুন।
err-sms-refused = এই নম্বরে আমরা SMS-এ কোড পাঠাতে পারি না।
err-sms-refused-email = এই নম্বরে আমরা SMS-এ কোড পাঠাতে পারি না। এর বদলে আপনার ইমেল ঠিকানা দিয়ে সাইন ইন করুন।
err-sms-challenge = কোড পাঠানোর আগে আপনার ব্রাউজার যাচাই করে যে আপনি একজন মানুষ। এতে এক মুহূর্ত লাগে।
challenge-working = যাচাই করা হচ্ছে…
challenge-noscript = এই যাচাইয়ের জন্য JavaScript দরকার। তা ছাড়া আপনার ইমেল ঠিকানা বা পাসওয়ার্ড দিয়ে সাইন ইন করুন।
err-sms-budget = আজ আর SMS-এ কোড পাঠানো যাবে না। আগামীকাল আবার চেষ্টা করুন।
err-resend-wait = এইমাত্র একটি কোড পাঠানো হয়েছে। নতুন কোড চাওয়ার আগে { $seconds ->
    [one] { $seconds } সেকেন্ড
   *[other] { $seconds } সেকেন্ড
  } অপেক্ষা করুন।
err-too-many-sends = এই নম্বর বা ঠিকানায় অনেক বেশি কোড পাঠানো হয়েছে। এক ঘণ্টা পরে আবার চেষ্টা করুন।
err-send-failed = কোডটি পাঠানো যায়নি। কিছুক্ষণ পরে আবার চেষ্টা করুন।
err-unavailable = এটি এখন করা যাচ্ছে না। কয়েক মিনিট পরে আবার চেষ্টা করুন।
err-too-many-passwords = অনেকবার ভুল পাসওয়ার্ড দেওয়া হয়েছে। { $minutes ->
    [one] { $minutes } মিনিট
   *[other] { $minutes } মিনিট
  } অপেক্ষা করে আবার চেষ্টা করুন।
err-too-many-attempts = অনেকবার চেষ্টা করা হয়েছে। { $minutes ->
    [one] { $minutes } মিনিট
   *[other] { $minutes } মিনিট
  } অপেক্ষা করে আবার চেষ্টা করুন।
err-password-wrong = পাসওয়ার্ডটি সঠিক নয়। আবার চেষ্টা করুন।
err-code-expired = কোডটির মেয়াদ শেষ হয়ে গেছে। নতুন কোড চেয়ে নিন।
err-code-too-many = অনেকবার ভুল কোড দেওয়া হয়েছে। নতুন কোড চেয়ে নিন।
err-code-wrong = কোডটি সঠিক নয়। যাচাই করে আবার চেষ্টা করুন।
err-conflict = এর মধ্যে কিছু পরিবর্তন হয়েছে। আবার চেষ্টা করুন।
err-password-short = পাসওয়ার্ডে কমপক্ষে { $min ->
    [one] { $min }টি অক্ষর
   *[other] { $min }টি অক্ষর
  } থাকতে হবে।
err-password-long = পাসওয়ার্ডটি অনেক বেশি লম্বা (সর্বোচ্চ ১২৮ বাইট)।
err-password-common = এই পাসওয়ার্ডটি খুবই প্রচলিত। অন্য একটি বেছে নিন।
err-password-weak = এই পাসওয়ার্ডটি অনুমান করা খুব সহজ। এটিকে আরও লম্বা বা কম অনুমানযোগ্য করুন।
err-password-identifier = আপনার ফোন নম্বর বা ইমেল পাসওয়ার্ড হিসেবে ব্যবহার করা যাবে না।
err-email-taken = এই ইমেলটি অন্য একটি অ্যাকাউন্টে ব্যবহার করা হচ্ছে। অন্য ইমেল ব্যবহার করুন।

## SMS and email texts (the WebOTP line is added after the SMS text)
sms-code = CONNECT ID কোড: { $code }। ৫ মিনিট বৈধ।
email-code-subject = আপনার CONNECT ID কোড
email-code-body = আপনার CONNECT ID কোড হল { $code }। এটি ৫ মিনিট বৈধ থাকবে। আপনি সাইন ইন করার চেষ্টা না করে থাকলে এই ইমেলটি উপেক্ষা করতে পারেন।
password-changed-subject = আপনার CONNECT ID পাসওয়ার্ড পরিবর্তন করা হয়েছে
password-changed-body = আপনার CONNECT ID অ্যাকাউন্টের পাসওয়ার্ড পরিবর্তন করা হয়েছে। এটি আপনি না করে থাকলে এখনই আপনার পাসওয়ার্ড রিসেট করুন।

## The "Sign in with CONNECT ID" button
signin-button = CONNECT ID দিয়ে সাইন ইন করুন

## The flow previewer (/flow-previewer)
previewer-title = সাইন-ইন ফ্লো প্রিভিউ
previewer-intro = আপনার পরিষেবার সেটিংস অনুযায়ী সাইন-ইনের প্রতিটি ধাপ ব্যবহারকারীরা যেভাবে দেখবেন, ঠিক সেভাবে দেখুন। কিছুই পাঠানো হয় না এবং কেউ সাইন ইন করেন না।
previewer-client-id = নিবন্ধিত পরিষেবার ক্লায়েন্ট আইডি
previewer-metadata = অথবা ক্লায়েন্ট মেটাডেটা (JSON) পেস্ট করুন
previewer-step = ধাপ
previewer-login-hint = আগে থেকে পূরণ করে রাখার ফোন নম্বর বা ইমেল (login_hint)
previewer-locked = শুধু এই ফোন নম্বর বা ইমেল দিয়েই সাইন ইন করা যাবে (login_hint_locked)
previewer-show = প্রিভিউ দেখান
previewer-banner = “{ $step }” ধাপের প্রিভিউ। এখানকার ফর্মগুলো কিছুই পাঠায় না।
previewer-back = সেটিংস পরিবর্তন করুন
previewer-unknown-client = এই ক্লায়েন্ট আইডি দিয়ে কোনো পরিষেবা নিবন্ধিত নেই।
previewer-need-client = একটি ক্লায়েন্ট আইডি লিখুন অথবা ক্লায়েন্ট মেটাডেটা পেস্ট করুন।
previewer-invalid-metadata = এই ক্লায়েন্ট মেটাডেটা সঠিক নয়।

## My account (/account): data-step="account", "account-password", "account-add",
## "account-services", "account-delete"
account-title = আমার অ্যাকাউন্ট
account-nav = অ্যাকাউন্ট
account-phones = ফোন নম্বর
account-emails = ইমেল ঠিকানা
account-none = এখনও কিছু নেই
account-unverified = যাচাই করা হয়নি
account-remove = সরান
account-remove-label = { $identifier } সরান
account-add-phone = ফোন নম্বর যোগ করুন
account-add-email = ইমেল ঠিকানা যোগ করুন
account-add-text = এটি যাচাই করতে আমরা একটি কোড পাঠাব।
account-password = পাসওয়ার্ড
account-password-change = পাসওয়ার্ড পরিবর্তন করুন
account-password-set = পাসওয়ার্ড তৈরি করুন
account-password-none = আপনি শুধু কোড দিয়ে সাইন ইন করেন।
account-services = সংযুক্ত পরিষেবা
account-services-text = যেসব পরিষেবায় আপনি CONNECT ID দিয়ে সাইন ইন করেছেন। কোনো পরিষেবার সংযোগ বিচ্ছিন্ন করলে আপনি সেটি থেকে সাইন আউট হয়ে যাবেন, এবং সেটি আপনাকে আবার সাইন ইন করতে বলবে।
account-services-none = আপনার অ্যাকাউন্টে কোনো পরিষেবা সংযুক্ত নেই।
account-services-manage = আপনার পরিষেবাগুলি দেখুন ও সংযোগ বিচ্ছিন্ন করুন
account-disconnect = সংযোগ বিচ্ছিন্ন করুন
account-disconnect-label = { $service } থেকে সংযোগ বিচ্ছিন্ন করুন
account-signout-everywhere = সব ডিভাইস থেকে সাইন আউট করুন
account-signout-everywhere-text = এই ডিভাইসসহ সব ডিভাইস এবং সব পরিষেবায় আপনার সেশন শেষ হয়ে যাবে।
account-delete = অ্যাকাউন্ট মুছে ফেলুন
account-delete-text = আপনার অ্যাকাউন্ট এবং এর সব ফোন নম্বর ও ইমেল ঠিকানা মুছে ফেলা হবে, আর আপনি সব পরিষেবা থেকে সাইন আউট হয়ে যাবেন। এটি আর ফিরিয়ে আনা যাবে না।
account-delete-confirm = আমার অ্যাকাউন্ট মুছে ফেলুন
account-deleted-title = আপনার অ্যাকাউন্ট মুছে ফেলা হয়েছে
account-deleted-text = আপনার CONNECT ID অ্যাকাউন্ট এবং এতে সংরক্ষিত সবকিছু মুছে ফেলা হয়েছে।
account-back = { $service }-এ ফিরে যান
## Removing a phone number or email address: a confirmation (data-step="account-remove"),
## after confirming who it is (the sign-in page says why it asks)
account-remove-title = { $identifier } সরাবেন?
account-remove-text = আপনি আর { $identifier } দিয়ে সাইন ইন করতে পারবেন না, এবং এতে আর কোনো কোড পাঠানো হবে না।
account-remove-confirm = এটি সরান
account-reauth-reason = আপনার অ্যাকাউন্টে পরিবর্তন করতে আগে নিশ্চিত করুন যে এটি আপনিই।
button-cancel = বাতিল করুন
button-save = সংরক্ষণ করুন
button-add = যোগ করুন
notice-password-changed = আপনার পাসওয়ার্ড পরিবর্তন করা হয়েছে। আপনার অন্যান্য ডিভাইস থেকে আপনাকে সাইন আউট করা হয়েছে।
notice-identifier-added = { $identifier } আপনার অ্যাকাউন্টে যোগ করা হয়েছে।
notice-identifier-removed = { $identifier } আপনার অ্যাকাউন্ট থেকে সরানো হয়েছে।
notice-service-disconnected = { $service }-এর সংযোগ বিচ্ছিন্ন করা হয়েছে।
err-last-identifier = আপনার শেষ ফোন নম্বর বা ইমেল ঠিকানাটি সরানো যাবে না।
err-identifier-taken = এই ফোন নম্বর বা ইমেল ঠিকানাটি অন্য একটি অ্যাকাউন্টে ব্যবহার করা হচ্ছে।
err-identifier-known = এই ফোন নম্বর বা ইমেল ঠিকানাটি আগে থেকেই আপনার অ্যাকাউন্টে আছে।
identifier-added-subject = আপনার CONNECT ID-তে নতুন ফোন নম্বর বা ইমেল যোগ করা হয়েছে
identifier-added-body = আপনার CONNECT ID অ্যাকাউন্টে { $identifier } যোগ করা হয়েছে। এটি আপনি না করে থাকলে সাইন ইন করে এটি সরিয়ে দিন এবং আপনার পাসওয়ার্ড পরিবর্তন করুন।

## Pre-authenticated URLs (/preauth/…, data-step="preauth"), and its error page
preauth-title = { $identifier } হিসেবে চালিয়ে যাবেন?
preauth-text = { $service } আপনার CONNECT ID দিয়ে সাইন ইন করা অবস্থায় আপনার জন্য একটি পৃষ্ঠা খুলছে। আপনি নিজে অ্যাপ থেকে এটি খুলে থাকলে তবেই চালিয়ে যান।
error-link-used = এই লিঙ্কের মেয়াদ শেষ হয়ে গেছে বা এটি আগেই ব্যবহার করা হয়েছে। অ্যাপে ফিরে গিয়ে আবার চেষ্টা করুন।

## The start page (/): data-step="home"
home-text = আপনার CONNECT ID দিয়ে সাইন ইন করার জন্য পরিষেবাগুলি আপনাকে এখানে পাঠায়। আপনি এখানে আপনার অ্যাকাউন্টও পরিচালনা করতে পারেন।
home-demo = ডেমো পরিষেবাগুলি ব্যবহার করে দেখুন
home-discovery = OpenID Connect Discovery (ডেভেলপারদের জন্য)
